from django.urls import path

from jamaat.acts import views

app_name = "acts"

urlpatterns = [
    path("acts/", views.act_list, name="list"),
    path("acts/<int:pk>/", views.act_detail, name="detail"),
    path("deputies/", views.deputy_list, name="deputies"),
    path("manage/acts/", views.manage, name="manage"),
    path("manage/acts/new/", views.act_new, name="act_new"),
    path("manage/acts/<int:pk>/", views.act_edit, name="act_edit"),
    path("manage/mandates/", views.mandates, name="mandates"),
    path("manage/mandates/new/", views.mandate_new, name="mandate_new"),
    path("manage/mandates/<int:pk>/", views.mandate_edit, name="mandate_edit"),
    path("manage/deputies/", views.deputies_manage, name="deputies_manage"),
    path("manage/deputies/new/", views.deputy_edit, name="deputy_new"),
    path("manage/deputies/<int:pk>/", views.deputy_edit, name="deputy_edit"),
]

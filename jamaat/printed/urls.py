from django.urls import path

from jamaat.printed import views

app_name = "printed"

urlpatterns = [
    path("manage/printed/", views.material_list, name="list"),
    path("manage/printed/new/", views.material_edit, name="new"),
    path("manage/printed/<int:pk>/", views.material_detail, name="detail"),
    path("manage/printed/<int:pk>/edit/", views.material_edit, name="edit"),
    path("manage/printed/<int:pk>/placements/new/", views.placement_new, name="placement_new"),
]

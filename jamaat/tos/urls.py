from django.urls import path

from jamaat.tos import views

app_name = "tos"

urlpatterns = [
    path("tos/", views.public_list, name="list"),
    path("tos/projects/<int:pk>/", views.project_detail, name="project"),
    path("manage/tos/", views.manage, name="manage"),
    path("manage/tos/new/", views.body_edit, name="body_new"),
    path("manage/tos/<int:pk>/", views.body_edit, name="body_edit"),
    path("manage/tos/<int:pk>/projects/new/", views.project_new, name="project_new"),
    path("manage/tos/projects/<int:pk>/", views.project_edit, name="project_edit"),
]

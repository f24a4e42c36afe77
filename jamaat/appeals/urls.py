from django.urls import path

from jamaat.appeals import views

app_name = "appeals"

urlpatterns = [
    path("appeals/new/", views.new, name="new"),
    path("appeals/status/", views.status, name="status"),
    path("appeals/stats/", views.stats, name="stats"),
    path("manage/appeals/", views.manage, name="manage"),
    path("manage/appeals/new/", views.register, name="register"),
    path("manage/appeals/<int:pk>/", views.detail, name="detail"),
]

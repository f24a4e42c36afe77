from django.urls import path

from jamaat.channels import views

app_name = "channels"

urlpatterns = [
    path("manage/channels/", views.channel_list, name="list"),
    path("manage/channels/new/", views.channel_edit, name="new"),
    path("manage/channels/<int:pk>/", views.channel_edit, name="edit"),
    path("manage/channels/counts/", views.counts, name="counts"),
]

from django.urls import path

from jamaat.meetings import views

app_name = "meetings"

urlpatterns = [
    path("meetings/", views.meeting_list, name="list"),
    path("meetings/<int:pk>/", views.meeting_detail, name="detail"),
    path("meetings/<int:pk>/protocol-<str:lang>.pdf", views.protocol_pdf, name="protocol_pdf"),
    path("meetings/<int:pk>/poster-<str:lang>.pdf", views.poster_pdf, name="poster"),
    path("manage/meetings/", views.manage, name="manage"),
    path("manage/meetings/new/", views.edit, name="new"),
    path("manage/meetings/settings/", views.settings_view, name="settings"),
    path("manage/meetings/<int:pk>/", views.manage_detail, name="manage_detail"),
    path("manage/meetings/<int:pk>/edit/", views.edit, name="edit"),
    path("manage/meetings/<int:pk>/announce/", views.announce, name="announce"),
    path("manage/meetings/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("manage/meetings/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("manage/meetings/<int:pk>/protocol/", views.protocol, name="protocol"),
    path(
        "manage/meetings/<int:pk>/protocol-<str:lang>.<str:fmt>",
        views.protocol_download,
        name="protocol_download",
    ),
    path(
        "manage/meetings/<int:pk>/sign-in-<str:lang>.pdf",
        views.sign_in_sheet,
        name="sign_in",
    ),
]

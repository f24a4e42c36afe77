"""Staff pages of the quarterly digest, included under `/<slug:slug>/`."""

from django.urls import path

from jamaat.digests import views

app_name = "digests"

urlpatterns = [
    path("manage/digests/", views.digest_list, name="list"),
    path("manage/digests/new/", views.digest_new, name="new"),
    path("manage/digests/<int:pk>/", views.digest_detail, name="detail"),
    path("manage/digests/<int:pk>/share/", views.share, name="share"),
    path(
        "manage/digests/<int:pk>/share/<int:share_pk>/delete/",
        views.share_delete,
        name="share_delete",
    ),
]

from django.urls import path

from jamaat.initiatives import views

app_name = "initiatives"

urlpatterns = [
    path("initiatives/", views.initiative_list, name="list"),
    path("initiatives/new/", views.submit, name="new"),
    path("initiatives/track/", views.track_lookup, name="track_lookup"),
    path("initiatives/track/<str:code>/", views.track, name="track"),
    path("initiatives/<int:pk>/", views.initiative_detail, name="detail"),
    path("initiatives/<int:pk>/support/", views.support, name="support"),
    path(
        "initiatives/<int:pk>/support/<str:token>/",
        views.support_confirm,
        name="support_confirm",
    ),
    path("manage/initiatives/", views.manage, name="manage"),
    path("manage/initiatives/new/", views.paper_new, name="paper_new"),
    path("manage/initiatives/<int:pk>/", views.edit, name="edit"),
    path("manage/initiatives/<int:pk>/transition/", views.transition, name="transition"),
    path("manage/initiatives/<int:pk>/milestones/", views.milestone, name="milestone"),
    path("manage/initiatives/<int:pk>/paper-support/", views.paper_support, name="paper_support"),
    path("manage/initiatives/<int:pk>/sheets/<int:sheet_pk>/", views.sheet, name="sheet"),
]

"""Plan engine pages, all under /<slug>/."""

from django.urls import path

from jamaat.plans import feeds, views

app_name = "plans"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("plan/", views.plan_detail, name="plan"),
    path("plan/adopt/", views.adopt, name="adopt"),
    path("plan/approve/", views.approve, name="approve"),
    path("plan/reopen/", views.reopen, name="reopen"),
    path("plan/history/", views.history, name="history"),
    path("plan/export.<str:fmt>", views.export, name="export"),
    path("plan/activities/add/", views.activity_add, name="activity_add"),
    path("plan/activities/<str:code>/", views.activity_detail, name="activity"),
    path("schedule/", views.schedule, name="schedule"),
    path("schedule/<int:pk>/", views.occurrence_detail, name="occurrence"),
    path("calendar.ics", feeds.municipality_feed, name="calendar"),
]

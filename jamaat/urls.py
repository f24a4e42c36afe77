from django.contrib import admin
from django.urls import include, path, re_path

from jamaat.api.api import api
from jamaat.core import views as core_views
from jamaat.plans import feeds as plan_feeds

urlpatterns = [
    path("", core_views.home, name="home"),
    path("language/", core_views.set_language, name="set_language"),
    path("accounts/profile/", core_views.profile, name="profile"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("calendar/<str:token>.ics", plan_feeds.person_feed, name="person_calendar"),
    path("jobs/", core_views.jobs, name="jobs"),
    path("healthz", core_views.healthz, name="healthz"),
    path("open311/", include("jamaat.appeals.open311_urls")),
    re_path(r"^media/(?P<path>.*)$", core_views.public_media, name="media"),
    path("<slug:slug>/", include("jamaat.municipalities.urls")),
    path("<slug:slug>/", include("jamaat.news.urls")),
    path("<slug:slug>/", include("jamaat.messaging.urls")),
    path("<slug:slug>/", include("jamaat.channels.urls")),
    path("<slug:slug>/", include("jamaat.digests.urls")),
    path("<slug:slug>/", include("jamaat.printed.urls")),
    path("<slug:slug>/", include("jamaat.reports.urls")),
    path("<slug:slug>/", include("jamaat.meetings.urls")),
    path("<slug:slug>/", include("jamaat.initiatives.urls")),
    path("<slug:slug>/", include("jamaat.acts.urls")),
    path("<slug:slug>/", include("jamaat.tos.urls")),
    path("<slug:slug>/", include("jamaat.surveys.urls")),
    path("<slug:slug>/", include("jamaat.appeals.urls")),
    path("<slug:slug>/", include("jamaat.paper.urls")),
    path("<slug:slug>/", include("jamaat.analysis.urls")),
    path("<slug:slug>/", include("jamaat.plans.urls")),
]

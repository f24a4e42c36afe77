"""The project's URLs plus the messaging pages under /<slug>/, as the lead will wire them."""

from django.urls import include, path

from jamaat.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("<slug:slug>/", include("jamaat.messaging.urls")),
    *project_urlpatterns,
]

"""Open311 GeoReport v2 endpoints, mounted at /open311/ (see jamaat/urls.py)."""

from django.urls import path

from jamaat.appeals import open311

app_name = "open311"

urlpatterns = [
    path("v2/discovery.<str:fmt>", open311.discovery, name="discovery"),
    path("v2/services.<str:fmt>", open311.services_list, name="services"),
    path("v2/services/<str:code>.<str:fmt>", open311.service_definition, name="service"),
    path("v2/requests.<str:fmt>", open311.requests_view, name="requests"),
    path("v2/requests/<str:request_id>.<str:fmt>", open311.request_detail, name="request"),
]

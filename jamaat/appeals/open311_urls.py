"""Open311 GeoReport v2 endpoints, mounted at /open311/ (see jamaat/urls.py)."""

app_name = "open311"

urlpatterns: list = []

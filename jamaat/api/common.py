"""Helpers shared by the API routers of the feature apps (each app's `api.py`)."""

from django.http import Http404, HttpRequest, HttpResponse
from ninja.errors import HttpError

from jamaat.core.access import get_municipality
from jamaat.municipalities.models import Municipality

PUBLIC_CACHE = "public, max-age=300"
PRIVATE_CACHE = "private"


def set_cache(request: HttpRequest, response: HttpResponse) -> None:
    user = request.user
    response["Cache-Control"] = PRIVATE_CACHE if user.is_authenticated else PUBLIC_CACHE


def municipality_or_404(slug: str) -> Municipality:
    try:
        return get_municipality(slug)
    except Http404:
        raise HttpError(404, f"No municipality with slug '{slug}'.") from None

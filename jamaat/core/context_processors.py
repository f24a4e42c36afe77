from django.conf import settings


def jamaat(request):
    municipality = getattr(request, "municipality", None)
    return {
        "municipality": municipality,
        "perms_here": getattr(request, "perms", frozenset()),
        "SITE_URL": settings.SITE_URL,
        "LANGUAGES": settings.LANGUAGES,
    }

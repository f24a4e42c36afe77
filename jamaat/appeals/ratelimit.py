"""Per-IP limit on new appeals (web form and Open311 POST), counted in Django's cache.

APPEALS_SUBMIT_LIMIT = (count, window seconds), default (10, 3600).
"""

from django.conf import settings
from django.core.cache import cache

from jamaat.initiatives.ratelimit import client_ip  # noqa: F401  (one definition of the client IP)

DEFAULT = (10, 3600)


def _key(ip: str) -> str:
    return f"appeals:rate:{ip}"


def hit(ip: str) -> bool:
    """Count one submission; True when the IP is over its limit."""
    limit, window = getattr(settings, "APPEALS_SUBMIT_LIMIT", None) or DEFAULT
    key = _key(ip)
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, window)
        count = 1
    return count > int(limit)


def reset(ip: str) -> None:
    cache.delete(_key(ip))

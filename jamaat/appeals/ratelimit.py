"""Per-IP limit on new appeals (web form and Open311 POST): `jamaat.core.ratelimit`.

APPEALS_SUBMIT_LIMIT = (count, window seconds), default (10, 3600).
"""

from django.conf import settings

from jamaat.core import ratelimit
from jamaat.core.ratelimit import client_ip  # noqa: F401  (one definition of the client IP)

DEFAULT = (10, 3600)


def hit(ip: str) -> bool:
    """Count one submission; True when the IP is over its limit."""
    limit, window = getattr(settings, "APPEALS_SUBMIT_LIMIT", None) or DEFAULT
    return ratelimit.hit("appeals:submit", ip, limit=limit, window=window)


def reset(ip: str) -> None:
    ratelimit.reset("appeals:submit", ip)

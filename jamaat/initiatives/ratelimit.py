"""Per-IP limits on the public forms: `jamaat.core.ratelimit` with initiatives' settings.

Limits (count, window in seconds) come from settings:
INITIATIVES_SUBMIT_LIMIT (default (5, 3600): new initiatives per IP per hour) and
INITIATIVES_CODE_LIMIT (default (10, 3600): support codes requested per IP per hour).
"""

from django.conf import settings

from jamaat.core import ratelimit
from jamaat.core.ratelimit import client_ip  # noqa: F401  (one definition of the client IP)

DEFAULTS = {"submit": (5, 3600), "code": (10, 3600)}
SETTINGS = {"submit": "INITIATIVES_SUBMIT_LIMIT", "code": "INITIATIVES_CODE_LIMIT"}


def hit(scope: str, ip: str) -> bool:
    """Count one attempt; True when the IP is over its limit (the attempt must be refused)."""
    limit, window = getattr(settings, SETTINGS[scope], None) or DEFAULTS[scope]
    return ratelimit.hit(f"initiatives:{scope}", ip, limit=limit, window=window)


def reset(ip: str) -> None:
    for scope in DEFAULTS:
        ratelimit.reset(f"initiatives:{scope}", ip)

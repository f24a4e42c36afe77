"""Per-IP limits on the public forms, counted in Django's cache.

Limits (count, window in seconds) come from settings:
INITIATIVES_SUBMIT_LIMIT (default (5, 3600): new initiatives per IP per hour) and
INITIATIVES_CODE_LIMIT (default (10, 3600): support codes requested per IP per hour).

With several server processes the cache must be shared (Redis or the database cache); the default
local-memory cache counts per process.
"""

import ipaddress

from django.conf import settings
from django.core.cache import cache

DEFAULTS = {"submit": (5, 3600), "code": (10, 3600)}
SETTINGS = {"submit": "INITIATIVES_SUBMIT_LIMIT", "code": "INITIATIVES_CODE_LIMIT"}


def client_ip(request) -> str:
    """The client's IP: from the header the proxy sets (MESSAGING_CLIENT_IP_HEADER), else
    REMOTE_ADDR; "unknown" when neither is a valid address."""
    header = getattr(settings, "MESSAGING_CLIENT_IP_HEADER", "")
    candidates = [request.META.get(header, "").split(",")[0].strip()] if header else []
    candidates.append(request.META.get("REMOTE_ADDR", ""))
    for value in candidates:
        try:
            return str(ipaddress.ip_address(value))
        except ValueError:
            continue
    return "unknown"


def _key(scope: str, ip: str) -> str:
    return f"initiatives:rate:{scope}:{ip}"


def _limit(scope: str) -> tuple[int, int]:
    count, window = getattr(settings, SETTINGS[scope], None) or DEFAULTS[scope]
    return int(count), int(window)


def hit(scope: str, ip: str) -> bool:
    """Count one attempt; True when the IP is over its limit (the attempt must be refused)."""
    limit, window = _limit(scope)
    key = _key(scope, ip)
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    return count > limit


def reset(ip: str) -> None:
    for scope in DEFAULTS:
        cache.delete(_key(scope, ip))

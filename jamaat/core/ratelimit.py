"""Per-client limits on public forms, counted in Django's cache; one definition of the client IP.

    hit("appeals:submit", client_ip(request), limit=10, window=3600) -> True when over the limit

Feature apps keep their own settings names (e.g. APPEALS_SUBMIT_LIMIT) and call `hit`. With
several server processes the cache must be shared (Redis or the database cache); the default
local-memory cache counts per process.
"""

import ipaddress

from django.conf import settings
from django.core.cache import cache


def client_ip(request) -> str:
    """The client's IP: from the header the proxy sets (CLIENT_IP_HEADER, e.g.
    "HTTP_X_REAL_IP") when valid, else REMOTE_ADDR; "unknown" when neither is a valid address."""
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    candidates = [request.META.get(header, "").split(",")[0].strip()] if header else []
    candidates.append(request.META.get("REMOTE_ADDR", ""))
    for value in candidates:
        try:
            return str(ipaddress.ip_address(value))
        except ValueError:
            continue
    return "unknown"


def _key(scope: str, ip: str) -> str:
    return f"rate:{scope}:{ip}"


def hit(scope: str, ip: str, *, limit: int, window: int) -> bool:
    """Count one attempt; True when the IP is over its limit (the attempt must be refused)."""
    key = _key(scope, ip)
    cache.add(key, 0, int(window))
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, int(window))
        count = 1
    return count > int(limit)


def count(scope: str, ip: str) -> int:
    """Attempts counted so far in the window (without counting one)."""
    return int(cache.get(_key(scope, ip), 0))


def reset(scope: str, ip: str) -> None:
    cache.delete(_key(scope, ip))

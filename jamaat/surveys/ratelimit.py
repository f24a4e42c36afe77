"""Soft limits on answering, per client address (`jamaat.core.ratelimit`), for the web form and
the API alike.

SURVEYS_RESPONSES_PER_IP_PER_DAY (30): answers to one round from one address in a day — soft,
because a family or a school computer shares an address. SURVEYS_CODE_LIMIT ((10, 3600)):
phone codes asked from one address per hour.
"""

from datetime import date

from django.conf import settings

from jamaat.core import ratelimit


def per_ip_limit() -> int:
    return getattr(settings, "SURVEYS_RESPONSES_PER_IP_PER_DAY", 30)


def _answers_scope(round_pk) -> str:
    return f"surveys:answers:{round_pk}:{date.today():%Y%m%d}"


def answers_limited(request, round_pk) -> bool:
    """True when the address already sent the day's number of answers to the round."""
    ip = ratelimit.client_ip(request)
    return ratelimit.count(_answers_scope(round_pk), ip) >= per_ip_limit()


def count_answer(request, round_pk) -> None:
    ip = ratelimit.client_ip(request)
    ratelimit.hit(_answers_scope(round_pk), ip, limit=per_ip_limit(), window=60 * 60 * 24)


def codes_limited(request) -> bool:
    """Count one phone code asked for; True when the address is over its limit."""
    limit, window = getattr(settings, "SURVEYS_CODE_LIMIT", None) or (10, 3600)
    return ratelimit.hit("surveys:code", ratelimit.client_ip(request), limit=limit, window=window)

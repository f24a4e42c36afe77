"""Indicator figures computed from meetings (registered with the plan engine in apps.py).

- 2.1.participants_count: the number of citizens who took part in gatherings and hearings in
  the year = the sum of the recorded attendance of the meetings held that year.
- 1.2.population_participated: the share of the population who took part = that sum divided by
  the municipality's population, in %, capped at 100.

A person who attends several meetings is counted once per meeting (attendance is recorded as
numbers, not names), so both figures count attendances; the share is an upper bound.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from jamaat.meetings.models import Meeting

PARTICIPANTS_KEY = "2.1.participants_count"
SHARE_KEY = "1.2.population_participated"
KEYS = (PARTICIPANTS_KEY, SHARE_KEY)

PARTICIPANTS_HOW = _(
    "Sum of the attendance recorded for the village gatherings and public hearings held in the "
    "year. Someone who attended several meetings is counted once per meeting."
)
SHARE_HOW = _(
    "Sum of the attendance of the village gatherings and public hearings held in the year, "
    "divided by the population, in %. Someone who attended several meetings is counted once "
    "per meeting, so this is an upper bound; capped at 100%."
)


def participants_count(municipality, year: int) -> int | None:
    return Meeting.objects.for_municipality(municipality).attendance_in(year)


def population_share(municipality, year: int) -> Decimal | None:
    total = participants_count(municipality, year)
    if total is None or not municipality.population:
        return None
    share = min(Decimal(100), Decimal(total) * 100 / municipality.population)
    return share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

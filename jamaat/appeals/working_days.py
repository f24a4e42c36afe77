"""Working days of the Kyrgyz Republic: Monday–Friday except `Holiday` rows.

    add(start, n, municipality=None) -> date   the n-th working day after `start`
    is_working_day(day) -> bool
    between(start, end) -> int                 working days after `start` up to and including `end`
    answer_days(municipality) -> int           the answer period (setting, per-municipality override)

The rows follow the Labour Code in force from 2025 (migration 0005 seeds 2025–2028): 1–7 January,
8 March, 21 March, 1–9 May, 31 August, Orozo Ait and Kurman Ait; 23 February, 7 April and 7–8
November are working days. A holiday on a weekend is not moved, and no Saturday is a working day.
Orozo Ait and Kurman Ait follow the lunar calendar: seeded dates marked "болжолдуу"/"предварительно"
are estimates that platform admins confirm or correct each year in the Django admin (Public
holidays), as they add any extra days off the Cabinet of Ministers decrees.
"""

from datetime import date, timedelta

from django.conf import settings

DEFAULT_ANSWER_DAYS = 14


def _holidays(start: date, end: date) -> set[date]:
    from jamaat.appeals.models import Holiday

    return set(
        Holiday.objects.filter(date__gte=start, date__lte=end).values_list("date", flat=True)
    )


def is_working_day(day: date, holidays: set[date] | None = None) -> bool:
    if holidays is None:
        holidays = _holidays(day, day)
    return day.weekday() < 5 and day not in holidays


def add(start: date, n: int, municipality=None) -> date:
    """The n-th working day after `start` (n=0: `start` itself if working, else the next one).

    `municipality` is accepted for per-municipality calendars later; holidays are national today.
    """
    holidays = _holidays(start, start + timedelta(days=n * 2 + 60))
    day = start
    if n == 0:
        while not is_working_day(day, holidays):
            day += timedelta(days=1)
        return day
    left = n
    while left:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            left -= 1
    return day


def between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    if end <= start:
        return 0
    holidays = _holidays(start, end)
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            count += 1
    return count


def answer_days(municipality=None) -> int:
    if municipality is not None:
        from jamaat.appeals.models import AppealSettings

        override = (
            AppealSettings.objects.filter(municipality=municipality)
            .values_list("answer_working_days", flat=True)
            .first()
        )
        if override:
            return override
    return int(getattr(settings, "APPEAL_ANSWER_WORKING_DAYS", DEFAULT_ANSWER_DAYS))

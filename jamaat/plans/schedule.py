"""Schedule rules: each turns an activity's periodicity into the dated occurrences of a period.

Pure functions, no database. `occurrences(rule, params, start_year, end_year)` returns `Slot`s in
date order. Each slot has the window in which the work is done and the due date (the window's
last day unless the rule names a day).
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Slot:
    due: date
    start: date
    end: date
    key: str  # stable within a plan: "2025-03", "2025-Q1", "2025-H1", "2025", "2025-R2"


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def monthly(start_year, end_year, **_):
    for y in range(start_year, end_year + 1):
        for m in range(1, 13):
            yield Slot(_month_end(y, m), date(y, m, 1), _month_end(y, m), f"{y}-{m:02d}")


def monthly_on_day(start_year, end_year, day=25, **_):
    for y in range(start_year, end_year + 1):
        for m in range(1, 13):
            d = min(day, calendar.monthrange(y, m)[1])
            yield Slot(date(y, m, d), date(y, m, 1), date(y, m, d), f"{y}-{m:02d}")


def quarterly(start_year, end_year, **_):
    for y in range(start_year, end_year + 1):
        for q in range(4):
            first = date(y, 3 * q + 1, 1)
            last = _month_end(y, 3 * q + 3)
            yield Slot(last, first, last, f"{y}-Q{q + 1}")


def twice_yearly_in_months(start_year, end_year, months=(1, 2, 7, 8), per_year=2, **_):
    """1.2: at least twice a year, in January–February and July–August.

    The months are split into `per_year` consecutive windows (Jan–Feb, Jul–Aug); each window is
    one occurrence due on its last day.
    """
    months = sorted(months)
    size = max(1, len(months) // per_year)
    windows = [months[i : i + size] for i in range(0, len(months), size)][:per_year]
    for y in range(start_year, end_year + 1):
        for i, window in enumerate(windows, 1):
            yield Slot(
                _month_end(y, window[-1]),
                date(y, window[0], 1),
                _month_end(y, window[-1]),
                f"{y}-W{i}",
            )


def half_yearly(start_year, end_year, **_):
    for y in range(start_year, end_year + 1):
        yield Slot(date(y, 6, 30), date(y, 1, 1), date(y, 6, 30), f"{y}-H1")
        yield Slot(date(y, 12, 31), date(y, 7, 1), date(y, 12, 31), f"{y}-H2")


def yearly(start_year, end_year, **_):
    for y in range(start_year, end_year + 1):
        yield Slot(date(y, 12, 31), date(y, 1, 1), date(y, 12, 31), f"{y}")


def continuous(start_year, end_year, report_every_months=3, **_):
    """2.3: a standing item; what is scheduled are its periodic reports."""
    step = max(1, int(report_every_months))
    for y in range(start_year, end_year + 1):
        for first_month in range(1, 13, step):
            last_month = min(12, first_month + step - 1)
            yield Slot(
                _month_end(y, last_month),
                date(y, first_month, 1),
                _month_end(y, last_month),
                f"{y}-P{(first_month - 1) // step + 1}",
            )


# 3.2 "at least twice a year": two collection rounds a year. The rounds close on 31 May and
# 30 November (not at the half-year's end) so that the analysis and report of 3.3, due a set
# number of days after each round, still fall within the same year and the same plan period.
COLLECTION_ROUNDS = ((1, 5), (6, 11))


def at_least_twice_yearly(start_year, end_year, **_):
    for y in range(start_year, end_year + 1):
        for i, (first, last) in enumerate(COLLECTION_ROUNDS, 1):
            yield Slot(_month_end(y, last), date(y, first, 1), _month_end(y, last), f"{y}-R{i}")


def after_collection(start_year, end_year, days_after=30, after_rule="at_least_twice_yearly", **_):
    """3.3: due `days_after` days after each data-collection round (3.2) closes.

    The plan engine re-dates these when the round's occurrence is actually closed earlier or later
    (see `Occurrence.redate_followers`).
    """
    for s in RULES[after_rule](start_year, end_year):
        due = s.end + timedelta(days=int(days_after))
        yield Slot(due, s.end + timedelta(days=1), due, s.key)


RULES = {
    "monthly": monthly,
    "monthly_on_day": monthly_on_day,
    "quarterly": quarterly,
    "twice_yearly_in_months": twice_yearly_in_months,
    "half_yearly": half_yearly,
    "yearly": yearly,
    "continuous": continuous,
    "at_least_twice_yearly": at_least_twice_yearly,
    "after_collection": after_collection,
}

RULE_LABELS = {
    "monthly": _("monthly"),
    "monthly_on_day": _("monthly, on a fixed day"),
    "quarterly": _("quarterly"),
    "twice_yearly_in_months": _("twice a year, in given months"),
    "half_yearly": _("every half year"),
    "yearly": _("yearly"),
    "continuous": _("continuous, with periodic reports"),
    "at_least_twice_yearly": _("at least twice a year"),
    "after_collection": _("after data collection"),
}


def occurrences(rule: str, params: dict | None, start_year: int, end_year: int) -> list[Slot]:
    if rule not in RULES:
        raise ValueError(f"unknown schedule rule {rule!r}")
    params = {k: v for k, v in (params or {}).items() if k != "after"}
    return sorted(RULES[rule](start_year, end_year, **params), key=lambda s: (s.due, s.key))

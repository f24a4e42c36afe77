"""Helpers for the plan engine tests: a pinned "today", logged-in clients in English, form data."""

from datetime import date

import pytest
from django.utils import timezone

from jamaat.plans.models import Activity, Occurrence

# The plan's "today" in most tests: a Tuesday in the second year of the 2025–2028 plan.
TODAY = date(2026, 3, 10)


@pytest.fixture
def pin_today(monkeypatch):
    """Pin `timezone.localdate()` (what every view, form and task calls "today")."""
    real = timezone.localdate

    def pin(day: date) -> date:
        def fake(value=None, timezone=None):
            return day if value is None else real(value, timezone)

        monkeypatch.setattr("django.utils.timezone.localdate", fake)
        return day

    return pin


@pytest.fixture
def today(pin_today):
    return pin_today(TODAY)


@pytest.fixture
def login(client):
    """`login(user)` logs the test client in with the English UI, so messages can be read."""

    def do(user=None):
        client.logout()
        client.cookies["django_language"] = "en"
        if user is not None:
            client.force_login(user)
        return client

    return do


def occurrence(plan, code: str, key: str) -> Occurrence:
    return Occurrence.objects.get(activity__plan=plan, activity__code=code, key=key)


def activity_post_data(activity: Activity, **overrides) -> dict:
    """The activity page's form as the browser would submit it unchanged (prefixes a- and t-)."""
    data = {
        f"a-{f}": getattr(activity, f)
        for f in [
            "text_ky", "text_ru", "deadline_text_ky", "deadline_text_ru", "rule",
            "budget_source", "expected_ky", "expected_ru", "note_ky", "note_ru",
        ]
    }  # fmt: skip
    data["a-responsible_persons"] = [u.pk for u in activity.responsible_persons.all()]
    for ind in activity.indicators.filter(has_blank=True):
        current = {t.year: t.value for t in ind.targets.all()}
        for y in activity.plan.years:
            value = current.get(y)
            data[f"t-target_{ind.pk}_{y}"] = "" if value is None else str(value)
    if activity.budget_source == Activity.Budget.LOCAL:
        current = {b.year: b.amount_kgs for b in activity.budgets.all()}
        for y in activity.plan.years:
            value = current.get(y)
            data[f"t-budget_{y}"] = "" if value is None else str(value)
    data.update(overrides)
    return data

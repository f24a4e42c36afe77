"""Every schedule rule over 2025–2028, a property test over any period, and the stored schedule."""

import tempfile
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from jamaat.plans import schedule, services, template_data
from jamaat.plans.models import Occurrence
from jamaat.plans.tests.conftest import occurrence

YEARS = range(2025, 2029)


def template_activity(code: str) -> dict:
    for goal in template_data.GOALS:
        for a in goal["activities"]:
            if a["code"] == code:
                return a
    raise KeyError(code)


def slots_of(code: str, start=2025, end=2028) -> list[schedule.Slot]:
    a = template_activity(code)
    return schedule.occurrences(a["rule"], a["rule_params"], start, end)


def month_end(d: date) -> bool:
    return (d + timedelta(days=1)).day == 1


def per_year(slots) -> Counter:
    return Counter(s.due.year for s in slots)


def test_template_uses_the_rules_the_issue_names():
    rules = {
        a["code"]: a["rule"] for g in template_data.GOALS for a in g["activities"]
    }  # fmt: skip
    assert rules == {
        "1.1": "monthly",
        "1.2": "twice_yearly_in_months",
        "1.3": "quarterly",
        "1.4": "quarterly",
        "1.5": "monthly_on_day",
        "2.1": "half_yearly",
        "2.2": "yearly",
        "2.3": "continuous",
        "2.4": "yearly",
        "3.1": "quarterly",
        "3.2": "at_least_twice_yearly",
        "3.3": "after_collection",
    }


def test_1_5_is_due_on_the_25th_of_every_month():
    slots = slots_of("1.5")
    assert len(slots) == 48
    assert {s.due.day for s in slots} == {25}
    assert {(s.due.year, s.due.month) for s in slots} == {
        (y, m) for y in YEARS for m in range(1, 13)
    }


def test_monthly_on_day_falls_back_to_the_months_last_day():
    slots = schedule.occurrences("monthly_on_day", {"day": 31}, 2025, 2025)
    assert [s.due for s in slots][:3] == [date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 31)]


def test_1_2_twice_a_year_in_january_february_and_july_august():
    slots = slots_of("1.2")
    assert len(slots) == 8
    for s in slots:
        assert s.due.month in (1, 2, 7, 8)
        assert s.start.month in (1, 2, 7, 8)
        assert s.start.year == s.due.year
    # one occurrence per window per year: Jan–Feb and Jul–Aug
    windows = Counter((s.due.year, "Jan-Feb" if s.due.month <= 2 else "Jul-Aug") for s in slots)
    assert windows == {(y, w): 1 for y in YEARS for w in ("Jan-Feb", "Jul-Aug")}
    assert [(s.start, s.due) for s in slots if s.due.year == 2028] == [
        (date(2028, 1, 1), date(2028, 2, 29)),
        (date(2028, 7, 1), date(2028, 8, 31)),
    ]


def test_monthly_is_due_at_each_months_end():
    slots = slots_of("1.1")
    assert len(slots) == 48
    assert all(month_end(s.due) for s in slots)
    assert len({(s.due.year, s.due.month) for s in slots}) == 48


@pytest.mark.parametrize("code", ["1.3", "1.4", "3.1"])
def test_quarterly_is_due_on_quarter_ends(code):
    slots = slots_of(code)
    assert len(slots) == 16
    assert {(s.due.month, s.due.day) for s in slots} == {(3, 31), (6, 30), (9, 30), (12, 31)}
    assert per_year(slots) == dict.fromkeys(YEARS, 4)


def test_half_yearly_2_1():
    slots = slots_of("2.1")
    assert len(slots) == 8
    assert {(s.due.month, s.due.day) for s in slots} == {(6, 30), (12, 31)}
    assert per_year(slots) == dict.fromkeys(YEARS, 2)


@pytest.mark.parametrize("code", ["2.2", "2.4"])
def test_yearly_is_due_on_december_31(code):
    assert [s.due for s in slots_of(code)] == [date(y, 12, 31) for y in YEARS]


def test_continuous_2_3_has_quarterly_reports():
    slots = slots_of("2.3")
    assert len(slots) == 16
    assert per_year(slots) == dict.fromkeys(YEARS, 4)
    # the reports cover the whole year without gaps
    for y in YEARS:
        ys = [s for s in slots if s.due.year == y]
        assert ys[0].start == date(y, 1, 1)
        assert ys[-1].end == date(y, 12, 31)
        for a, b in zip(ys, ys[1:], strict=False):
            assert b.start == a.end + timedelta(days=1)


def test_at_least_twice_yearly_3_2():
    slots = slots_of("3.2")
    assert len(slots) == 8
    assert per_year(slots) == dict.fromkeys(YEARS, 2)


def test_after_collection_3_3_follows_each_3_2_round_in_the_same_year():
    days_after = template_activity("3.3")["rule_params"]["days_after"]
    rounds = {s.key: s for s in slots_of("3.2")}
    followers = slots_of("3.3")
    assert len(followers) == 8
    for s in followers:
        leader = rounds[s.key]
        assert s.due == leader.end + timedelta(days=days_after)
        assert s.start > leader.end
        assert s.due.year == leader.end.year
    assert {s.key for s in followers} == set(rounds)


@pytest.mark.parametrize(
    "code", [a["code"] for g in template_data.GOALS for a in g["activities"]]
)  # fmt: skip
def test_keys_unique_and_windows_sane(code):
    slots = slots_of(code)
    assert len({s.key for s in slots}) == len(slots)
    assert slots == sorted(slots, key=lambda s: (s.due, s.key))
    for s in slots:
        assert s.start <= s.due <= s.end


def test_unknown_rule_is_refused():
    with pytest.raises(ValueError, match="unknown schedule rule"):
        schedule.occurrences("fortnightly", {}, 2025, 2028)


# --------------------------------------------------------------------------- property test

# Keep Hypothesis' caches out of the repository.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "jamaat-hypothesis")

PARAMS = {
    "monthly": st.just({}),
    "monthly_on_day": st.builds(lambda d: {"day": d}, st.integers(1, 31)),
    "quarterly": st.just({}),
    "twice_yearly_in_months": st.just({"months": [1, 2, 7, 8], "per_year": 2}),
    "half_yearly": st.just({}),
    "yearly": st.just({}),
    "continuous": st.builds(lambda n: {"report_every_months": n}, st.integers(1, 12)),
    "at_least_twice_yearly": st.just({"per_year": 2}),
    "after_collection": st.builds(lambda n: {"after": "3.2", "days_after": n}, st.integers(1, 120)),
}
assert set(PARAMS) == set(schedule.RULES)


@st.composite
def rule_and_params(draw):
    rule = draw(st.sampled_from(sorted(schedule.RULES)))
    return rule, draw(PARAMS[rule])


@settings(max_examples=300, deadline=None, database=None)
@given(rule_and_params(), st.integers(2020, 2035), st.integers(1, 6))
def test_any_rule_any_period(rp, start, years):
    rule, params = rp
    end = start + years - 1
    slots = schedule.occurrences(rule, params, start, end)
    assert slots
    first = date(start, 1, 1)
    last = date(end, 12, 31) + timedelta(days=params.get("days_after", 0))
    for s in slots:
        assert first <= s.start <= s.due <= last
        assert s.due <= s.end
    assert slots == sorted(slots, key=lambda s: (s.due, s.key))
    assert len({s.key for s in slots}) == len(slots)
    # every year of the period has work
    assert {s.start.year for s in slots} == set(range(start, end + 1))


# --------------------------------------------------------------------------- through the DB

EXPECTED_COUNTS = {
    "1.1": 48, "1.2": 8, "1.3": 16, "1.4": 16, "1.5": 48, "2.1": 8,
    "2.2": 4, "2.3": 16, "2.4": 4, "3.1": 16, "3.2": 8, "3.3": 8,
}  # fmt: skip


def test_adopted_plan_has_the_whole_schedule(plan_a):
    counts = Counter(
        Occurrence.objects.filter(activity__plan=plan_a).values_list("activity__code", flat=True)
    )
    assert counts == EXPECTED_COUNTS
    assert all(
        o.municipality_id == plan_a.municipality_id
        for o in Occurrence.objects.filter(activity__plan=plan_a)
    )
    on_25th = Occurrence.objects.filter(activity__plan=plan_a, activity__code="1.5")
    assert {o.due.day for o in on_25th} == {25}


def test_sync_is_idempotent(plan_a):
    before = list(
        Occurrence.objects.filter(activity__plan=plan_a).values_list("pk", "due").order_by("pk")
    )
    services.sync_occurrences(plan_a)
    after = list(
        Occurrence.objects.filter(activity__plan=plan_a).values_list("pk", "due").order_by("pk")
    )
    assert before == after


def test_a_3_2_round_closed_early_redates_its_3_3_report(plan_a, people, today):
    round_1 = occurrence(plan_a, "3.2", "2025-R1")
    report_1 = occurrence(plan_a, "3.3", "2025-R1")
    report_2 = occurrence(plan_a, "3.3", "2025-R2")
    assert report_1.due == date(2025, 6, 30)  # 31 May + 30 days
    closed = date(2025, 4, 10)
    services.record_evidence(
        people["staff_a"],
        round_1,
        services.EvidenceInput("done", closed, text="412 анкета чогултулду"),
    )
    report_1.refresh_from_db()
    assert report_1.due == closed + timedelta(days=30) == date(2025, 5, 10)
    assert report_1.window_start == date(2025, 4, 11)
    assert report_1.status == Occurrence.Status.PLANNED
    # the other round's report is untouched
    before_due = report_2.due
    report_2.refresh_from_db()
    assert report_2.due == before_due == date(2025, 12, 30)
    # and a later re-sync of the plan keeps the new date
    services.sync_occurrences(plan_a)
    report_1.refresh_from_db()
    assert report_1.due == date(2025, 5, 10)


def test_a_3_2_round_closed_late_moves_the_report_later(plan_a, people, today):
    services.record_evidence(
        people["staff_a"],
        occurrence(plan_a, "3.2", "2025-R2"),
        services.EvidenceInput("done", date(2025, 12, 20), text="late round"),
    )
    report = occurrence(plan_a, "3.3", "2025-R2")
    assert report.due == date(2026, 1, 19)


def test_changing_an_activitys_rule_regenerates_its_schedule(plan_a, people):
    activity = plan_a.activities.get(code="2.2")
    services.update_activity(people["staff_a"], activity, {"rule": "quarterly"})
    assert activity.occurrences.count() == 16

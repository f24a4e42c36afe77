"""Adopting the model plan, filling its blanks, naming people, budgets, own activities, approval."""

import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.utils import translation

from jamaat.conftest import fill_all_targets
from jamaat.core.models import AuditEntry
from jamaat.plans import services, template_data
from jamaat.plans.models import (
    ActivityBudget,
    Indicator,
    IndicatorTarget,
    Occurrence,
    Plan,
)
from jamaat.plans.tests.conftest import activity_post_data


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def template_activities() -> dict[str, dict]:
    return {a["code"]: a for g in template_data.GOALS for a in g["activities"]}


# ------------------------------------------------------------------------------- adopting


def test_adopting_copies_the_model_plan_verbatim(plan_a):
    assert plan_a.status == Plan.Status.DRAFT
    assert (plan_a.start_year, plan_a.end_year) == (2025, 2028)
    assert plan_a.template_version == template_data.TEMPLATE_VERSION
    goals = list(plan_a.goals.order_by("number"))
    assert [g.number for g in goals] == [1, 2, 3]
    for goal, tg in zip(goals, template_data.GOALS, strict=True):
        assert goal.title_ky == tg["title"]["ky"]
        assert goal.title_ru == tg["title"]["ru"]
    activities = {a.code: a for a in plan_a.activities.all()}
    expected = template_activities()
    assert len(activities) == 12
    assert set(activities) == set(expected)
    for code, a in activities.items():
        t = expected[code]
        assert a.text_ky == t["text"]["ky"]
        assert a.text_ru == t["text"]["ru"]
        assert a.deadline_text_ky == t["deadline_text"]["ky"]
        assert a.deadline_text_ru == t["deadline_text"]["ru"]
        assert a.expected_ky == t["expected_results"]["ky"]
        assert a.expected_ru == t["expected_results"]["ru"]
        assert a.rule == t["rule"]
        assert a.budget_source == t["budget_source"]
        assert a.responsible_roles == list(t["responsible_roles"])
        assert not a.is_custom
        indicators = list(a.indicators.order_by("order"))
        assert [i.key for i in indicators] == [i["key"] for i in t["indicators"]]
        for ind, ti in zip(indicators, t["indicators"], strict=True):
            assert ind.text_ky == ti["text"]["ky"]
            assert ind.text_ru == ti["text"]["ru"]
            assert ind.has_blank == ti["has_blank"]
    assert "25-го числа" in activities["1.5"].text_ru


def test_activity_1_5_russian_text_keeps_the_25th():
    assert "25-го числа" in template_activities()["1.5"]["text"]["ru"]


def test_adopting_twice_for_the_same_period_is_refused(plan_a, people):
    with translation.override("en"), pytest.raises(ValidationError, match="already exists"):
        services.adopt_plan(plan_a.municipality, people["staff_a"], 2025, 2028)
    assert Plan.objects.filter(municipality=plan_a.municipality).count() == 1


def test_staff_adopts_through_the_web(mun_a, people, login):
    client = login(people["staff_a"])
    response = client.post("/karool/plan/adopt/", {"start_year": 2025, "end_year": 2028})
    assert response.status_code == 302
    assert response["Location"] == "/karool/plan/"
    plan = Plan.objects.get(municipality=mun_a)
    assert plan.status == Plan.Status.DRAFT
    assert plan.activities.count() == 12
    assert Occurrence.objects.filter(activity__plan=plan).count() == 200
    entry = AuditEntry.objects.get(municipality=mun_a, action="adopt")
    assert entry.actor == people["staff_a"]
    page = client.get("/karool/plan/")
    assert page.status_code == 200
    assert "draft" in page.content.decode()

    again = client.post("/karool/plan/adopt/", {"start_year": 2025, "end_year": 2028})
    assert again.status_code == 302
    assert any("already exists" in m for m in messages_of(again))
    assert Plan.objects.filter(municipality=mun_a).count() == 1


def test_adopting_a_backwards_period_is_refused(mun_a, people, login):
    client = login(people["staff_a"])
    response = client.post("/karool/plan/adopt/", {"start_year": 2028, "end_year": 2025})
    assert any("1 to 10 years" in m for m in messages_of(response))
    assert not Plan.objects.filter(municipality=mun_a).exists()


@pytest.mark.parametrize("who", ["deputy_a", "council_chair_a", "agency", "staff_b", "outsider"])
def test_only_plan_editors_adopt(mun_a, people, login, who):
    response = login(people[who]).post(
        "/karool/plan/adopt/", {"start_year": 2025, "end_year": 2028}
    )
    assert response.status_code == 403
    assert not Plan.objects.filter(municipality=mun_a).exists()


def test_anonymous_adopt_goes_to_login(mun_a, login):
    response = login().post("/karool/plan/adopt/", {"start_year": 2025, "end_year": 2028})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Plan.objects.filter(municipality=mun_a).exists()


# --------------------------------------------------------------------------- editing


def test_editing_an_activity_saves_targets_and_people_and_shows_the_history(plan_a, people, login):
    activity = plan_a.activities.get(code="1.1")
    ind = activity.indicators.get(has_blank=True)
    staff, chair = people["staff_a"], people["council_chair_a"]
    client = login(staff)
    data = activity_post_data(
        activity,
        **{
            f"t-target_{ind.pk}_2025": "20",
            f"t-target_{ind.pk}_2026": "25",
            f"t-target_{ind.pk}_2027": "30",
            f"t-target_{ind.pk}_2028": "35.5",
            "a-responsible_persons": [staff.pk, chair.pk],
            "a-note_ru": "Сайт обновляет пресс-секретарь",
        },
    )
    response = client.post("/karool/plan/activities/1.1/", data)
    assert response.status_code == 302, messages_of(response)
    assert response["Location"] == "/karool/plan/activities/1.1/"

    targets = dict(IndicatorTarget.objects.filter(indicator=ind).values_list("year", "value"))
    assert targets == {
        2025: Decimal("20"),
        2026: Decimal("25"),
        2027: Decimal("30"),
        2028: Decimal("35.5"),
    }
    activity.refresh_from_db()
    assert set(activity.responsible_persons.all()) == {staff, chair}
    assert activity.note_ru == "Сайт обновляет пресс-секретарь"

    entries = AuditEntry.objects.filter(municipality=plan_a.municipality, action="update")
    assert all(e.actor == staff for e in entries)
    target_entry = entries.get(object_type="indicator")
    assert set(target_entry.changes) == {f"target {y}" for y in plan_a.years}
    assert target_entry.changes["target 2026"] == ["", "25"]
    assert target_entry.changes["target 2028"] == ["", "35.5"]
    activity_entry = entries.get(object_type="activity")
    assert activity_entry.changes["responsible_persons"] == [
        "Staff_A",
        "Council_Chair_A, Staff_A",
    ]

    history = client.get("/karool/plan/history/").content.decode()
    assert "<strong>target 2026</strong>: — → 25" in history
    assert "<strong>responsible_persons</strong>: Staff_A → Council_Chair_A, Staff_A" in history

    # a second edit records before → after, not just after
    data[f"t-target_{ind.pk}_2026"] = "27"
    client.post("/karool/plan/activities/1.1/", data)
    history = client.get("/karool/plan/history/").content.decode()
    assert "<strong>target 2026</strong>: 25 → 27" in history

    # the plan page shows the targets and the person
    plan_page = client.get("/karool/plan/").content.decode()
    assert "2025: 20 · 2026: 27 · 2027: 30 · 2028: 35.5" in plan_page
    assert "Council_Chair_A" in plan_page


def test_history_shows_round_numbers_as_typed(plan_a, people, login):
    client = login(people["staff_a"])
    a11 = plan_a.activities.get(code="1.1")
    ind = a11.indicators.get(has_blank=True)
    client.post(
        "/karool/plan/activities/1.1/",
        activity_post_data(a11, **{f"t-target_{ind.pk}_2025": "20"}),
    )
    a14 = plan_a.activities.get(code="1.4")
    client.post(
        "/karool/plan/activities/1.4/", activity_post_data(a14, **{"t-budget_2025": "120000"})
    )
    assert AuditEntry.objects.get(object_type="indicator").changes["target 2025"] == ["", "20"]
    assert AuditEntry.objects.get(object_type="activity").changes["budget 2025, KGS"] == [
        "",
        "120000",
    ]
    history = client.get("/karool/plan/history/").content.decode()
    assert "<strong>target 2025</strong>: — → 20<" in history
    assert "<strong>budget 2025, KGS</strong>: — → 120000<" in history


def test_editing_an_activity_text_is_in_the_history(plan_a, people, login):
    activity = plan_a.activities.get(code="1.1")
    client = login(people["staff_a"])
    data = activity_post_data(activity, **{"a-note_ru": "Сайт обновляет пресс-секретарь"})
    assert client.post("/karool/plan/activities/1.1/", data).status_code == 302
    activity.refresh_from_db()
    assert activity.note_ru == "Сайт обновляет пресс-секретарь"
    entry = AuditEntry.objects.get(object_type="activity", action="update")
    assert entry.changes == {"note_ru": ["", "Сайт обновляет пресс-секретарь"]}
    history = client.get("/karool/plan/history/").content.decode()
    assert "<strong>note_ru</strong>: — → Сайт обновляет пресс-секретарь" in history


def test_changing_the_rule_on_the_activity_page_regenerates_its_schedule(plan_a, people, login):
    activity = plan_a.activities.get(code="2.2")
    assert activity.occurrences.count() == 4
    client = login(people["staff_a"])
    data = activity_post_data(activity, **{"a-rule": "quarterly"})
    assert client.post("/karool/plan/activities/2.2/", data).status_code == 302
    activity.refresh_from_db()
    assert activity.rule == "quarterly"
    assert activity.occurrences.count() == 16


def test_saving_the_form_unchanged_records_nothing(plan_a, people, login):
    activity = plan_a.activities.get(code="2.1")
    client = login(people["staff_a"])
    response = client.post("/karool/plan/activities/2.1/", activity_post_data(activity))
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action="update").exists()


def test_budget_of_a_local_budget_activity_is_saved_in_kgs(plan_a, people, login):
    activity = plan_a.activities.get(code="1.4")
    assert activity.budget_source == "local"
    client = login(people["staff_a"])
    page = client.get("/karool/plan/activities/1.4/").content.decode()
    assert 'name="t-budget_2025"' in page
    data = activity_post_data(activity, **{"t-budget_2025": "120000", "t-budget_2026": "150000.50"})
    response = client.post("/karool/plan/activities/1.4/", data)
    assert response.status_code == 302
    budgets = dict(
        ActivityBudget.objects.filter(activity=activity).values_list("year", "amount_kgs")
    )
    assert budgets == {2025: Decimal("120000"), 2026: Decimal("150000.50")}
    entry = AuditEntry.objects.get(object_type="activity", action="update")
    assert entry.changes["budget 2026, KGS"] == ["", "150000.50"]
    plan_page = client.get("/karool/plan/").content.decode()
    assert re.search(r"2025: 120[,\s\xa0 ]?000 KGS", plan_page), "budget not shown in KGS"


def test_an_activity_without_budget_has_no_budget_fields(plan_a, people, login):
    activity = plan_a.activities.get(code="1.1")
    client = login(people["staff_a"])
    assert 'name="t-budget_2025"' not in client.get("/karool/plan/activities/1.1/").content.decode()
    client.post(
        "/karool/plan/activities/1.1/", activity_post_data(activity, **{"t-budget_2025": "5000"})
    )
    assert not ActivityBudget.objects.filter(activity=activity).exists()


def test_a_percent_target_over_100_is_refused_and_nothing_is_saved(plan_a, people, login):
    activity = plan_a.activities.get(code="1.1")
    ind = activity.indicators.get(has_blank=True)
    assert ind.unit == Indicator.Unit.PERCENT
    client = login(people["staff_a"])
    data = activity_post_data(
        activity,
        **{
            f"t-target_{ind.pk}_2025": "150",
            f"t-target_{ind.pk}_2026": "40",
            "a-note_ru": "не сохранять",
        },
    )
    response = client.post("/karool/plan/activities/1.1/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "nothing was saved" in page
    assert "less than or equal to 100" in page
    # what was typed is still in the form
    assert 'value="150"' in page
    assert not IndicatorTarget.objects.filter(indicator=ind).exists()
    activity.refresh_from_db()
    assert activity.note_ru == ""
    assert not AuditEntry.objects.filter(action="update").exists()


def test_a_count_target_may_exceed_100(plan_a, people, login):
    activity = plan_a.activities.get(code="3.2")
    ind = activity.indicators.get(has_blank=True)
    assert ind.unit == Indicator.Unit.COUNT
    client = login(people["staff_a"])
    data = activity_post_data(activity, **{f"t-target_{ind.pk}_2025": "450"})
    assert client.post("/karool/plan/activities/3.2/", data).status_code == 302
    assert ind.targets.get(year=2025).value == Decimal("450")


@pytest.mark.parametrize("who", ["deputy_a", "council_chair_a", "agency", "staff_b"])
def test_only_plan_editors_edit_activities(plan_a, people, login, who):
    activity = plan_a.activities.get(code="1.1")
    data = activity_post_data(activity, **{"a-note_ru": "чужая правка"})
    response = login(people[who]).post("/karool/plan/activities/1.1/", data)
    assert response.status_code in (403, 404)
    activity.refresh_from_db()
    assert activity.note_ru == ""


def test_adding_an_own_activity(plan_a, people, login):
    goal = plan_a.goals.get(number=1)
    client = login(people["staff_a"])
    response = client.post(
        "/karool/plan/activities/add/",
        {
            "goal": goal.pk,
            "text_ky": "Айыл чарба жаңылыктарын радиодон жарыялоо",
            "text_ru": "Публиковать сельскохозяйственные новости по радио",
            "deadline_text_ky": "Ай сайын",
            "deadline_text_ru": "Ежемесячно",
            "rule": "monthly",
            "budget_source": "none",
            "responsible_persons": [people["staff_a"].pk],
            "responsible_roles": ["staff"],
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/karool/plan/activities/1.6/"
    activity = plan_a.activities.get(code="1.6")
    assert activity.is_custom
    assert activity.goal == goal
    assert activity.text_ky == "Айыл чарба жаңылыктарын радиодон жарыялоо"
    assert list(activity.responsible_persons.all()) == [people["staff_a"]]
    assert activity.occurrences.count() == 48
    # it sorts after 1.5 and before goal 2
    codes = list(plan_a.activities.ordered().values_list("code", flat=True))
    assert codes.index("1.6") == codes.index("1.5") + 1
    assert AuditEntry.objects.filter(action="create", object_type="activity").exists()
    assert "Айыл чарба жаңылыктарын" in client.get("/karool/plan/").content.decode()


# ----------------------------------------------------------------------------- approval


def approve(client, plan):
    return client.post("/karool/plan/approve/", {"plan": plan.pk})


def test_approval_with_empty_blanks_is_refused_and_names_them(plan_a, people, login):
    client = login(people["head_a"])
    response = approve(client, plan_a)
    assert response.status_code == 302
    plan_a.refresh_from_db()
    assert plan_a.status == Plan.Status.DRAFT
    (msg,) = messages_of(response)
    n_blanks = Indicator.objects.filter(activity__plan=plan_a, has_blank=True).count() * 4
    assert f"{n_blanks} blanks are empty" in msg
    assert "1.1 — 2025" in msg


def test_approval_names_the_one_blank_left(plan_a, people, login):
    fill_all_targets(plan_a)
    ind = Indicator.objects.get(activity__plan=plan_a, activity__code="2.3", has_blank=True)
    services.set_targets(None, ind, {2027: None})
    client = login(people["head_a"])
    response = approve(client, plan_a)
    (msg,) = messages_of(response)
    assert msg.endswith(": 2.3 — 2027")
    assert "2.3 — 2026" not in msg
    plan_a.refresh_from_db()
    assert plan_a.status == Plan.Status.DRAFT
    # the plan page lists it too
    page = client.get("/karool/plan/").content.decode()
    assert "1 blank is still empty" in page


def test_staff_cannot_approve(plan_a, people, login):
    fill_all_targets(plan_a)
    response = approve(login(people["staff_a"]), plan_a)
    assert response.status_code == 403
    plan_a.refresh_from_db()
    assert plan_a.status == Plan.Status.DRAFT


def test_head_of_another_municipality_cannot_approve(plan_a, people, login):
    fill_all_targets(plan_a)
    response = approve(login(people["head_b"]), plan_a)
    assert response.status_code == 403
    plan_a.refresh_from_db()
    assert plan_a.status == Plan.Status.DRAFT


def test_approval_after_filling_every_blank(plan_a, people, login):
    client = login(people["head_a"])
    fill_all_targets(plan_a)
    response = approve(client, plan_a)
    assert messages_of(response) == ["The plan is approved."]
    plan_a.refresh_from_db()
    assert plan_a.status == Plan.Status.APPROVED
    assert plan_a.approved_by == people["head_a"]
    assert plan_a.approved_at is not None
    page = client.get("/karool/plan/").content.decode()
    assert '<span class="badge approved">approved</span>' in page
    assert "Approved on" in page and "Head_A" in page
    entry = AuditEntry.objects.get(action="approve")
    assert entry.actor == people["head_a"]
    assert entry.changes == {"status": ["draft", "approved"]}
    # now the public sees it
    anonymous = login()
    assert anonymous.get("/karool/plan/").status_code == 200


def test_a_draft_is_not_public(plan_a, login):
    assert login().get("/karool/plan/").status_code == 404


def test_reopening_makes_it_a_draft_again(plan_a, people, login):
    fill_all_targets(plan_a)
    client = login(people["head_a"])
    approve(client, plan_a)
    response = client.post("/karool/plan/reopen/", {"plan": plan_a.pk})
    assert response.status_code == 302
    plan_a.refresh_from_db()
    assert plan_a.status == Plan.Status.DRAFT
    assert login().get("/karool/plan/").status_code == 404
    assert (
        login(people["staff_a"]).post("/karool/plan/reopen/", {"plan": plan_a.pk}).status_code
        == 403
    )


def test_an_overlapping_draft_does_not_hide_the_approved_plan(
    approved_plan_a, people, login, today
):
    services.adopt_plan(approved_plan_a.municipality, people["staff_a"], 2026, 2029)
    assert Plan.objects.current_for(approved_plan_a.municipality) == approved_plan_a
    page = login().get("/karool/plan/")
    assert page.status_code == 200
    assert "2025–2028" in page.content.decode()


@pytest.mark.parametrize("path", ["/karool/plan/approve/", "/karool/plan/reopen/"])
def test_a_malformed_plan_id_is_not_found(plan_a, people, login, path):
    client = login(people["head_a"])
    client.raise_request_exception = False
    assert client.post(path, {"plan": "abc"}).status_code == 404

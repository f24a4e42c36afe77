"""The lifecycle through the staff pages: every step, its history, the refusals, the 2.2 figure."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jamaat.core.models import AuditEntry
from jamaat.initiatives import services
from jamaat.initiatives.models import Initiative, Milestone, Status, StatusChange
from jamaat.initiatives.tests.conftest import jpeg, make_initiative
from jamaat.plans.models import Evidence
from jamaat.plans.progress import indicator_rows

TODAY = timezone.localdate()


def _post_transition(client, initiative, to, **fields):
    data = {"to": to}
    data.update({f"t-{to}-{k}": v for k, v in fields.items()})
    return client.post(
        f"/{initiative.municipality.slug}/manage/initiatives/{initiative.pk}/transition/", data
    )


def test_full_lifecycle_through_the_staff_pages(staff, client, mun_a, approved_plan_a, people):
    initiative = make_initiative(mun_a, estimated_cost=Decimal("250000"))
    base = f"/karool/manage/initiatives/{initiative.pk}/"
    decision_day = TODAY - timedelta(days=20)

    r = _post_transition(staff, initiative, "under_review", note="Комиссия карайт")
    assert r.status_code == 302
    r = _post_transition(
        staff,
        initiative,
        "supported",
        decision_kind="council",
        decision_number="12-3",
        decision_date=decision_day.isoformat(),
        note="Айылдык кеңештин сессиясы",
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    r = _post_transition(staff, initiative, "funded", budget_kgs="200 000", cofinancing_kgs="50000")
    assert r.status_code == 302
    r = _post_transition(staff, initiative, "in_progress", progress="10")
    assert r.status_code == 302

    r = staff.post(
        base + "milestones/",
        {
            "m-happened_on": TODAY.isoformat(),
            "m-text_ky": "Түтүктөр сатылып алынды",
            "m-progress": "60",
            "m-photos": jpeg(),
        },
    )
    assert r.status_code == 302
    initiative.refresh_from_db()
    assert initiative.progress == 60
    assert initiative.status == Status.IN_PROGRESS

    r = _post_transition(staff, initiative, "implemented", implemented_on=TODAY.isoformat())
    assert r.status_code == 302
    initiative.refresh_from_db()
    assert initiative.status == Status.IMPLEMENTED
    assert initiative.progress == 100
    assert initiative.decision_number == "12-3"
    assert initiative.budget_kgs == Decimal("200000")
    assert initiative.cofinancing_kgs == Decimal("50000")

    # every step is in the history, in order, with who did it
    steps = list(
        StatusChange.objects.filter(initiative=initiative).values_list(
            "from_status", "to_status", "actor__username"
        )
    )
    assert steps == [
        ("", "submitted", None),
        ("submitted", "under_review", "staff_a"),
        ("under_review", "supported", "staff_a"),
        ("supported", "funded", "staff_a"),
        ("funded", "in_progress", "staff_a"),
        ("in_progress", "implemented", "staff_a"),
    ]
    assert AuditEntry.objects.filter(object_type="initiative", action="transition").count() == 5

    # the public page shows all of it to anyone
    client.logout()
    client.cookies["django_language"] = "en"
    html = client.get(f"/karool/initiatives/{initiative.pk}/").content.decode()
    assert "Айылдык кеңештин сессиясы" in html  # note of the history
    assert "12-3" in html and decision_day.strftime("%d.%m.%Y") in html
    assert "Түтүктөр сатылып алынды" in html
    assert 'loading="lazy"' in html  # milestone photos
    assert html.count('class="badge') >= 6
    assert "Support is closed" in html  # implemented: no more support

    # implemented is evidence for the 2.2 occurrence of this year
    ev = Evidence.objects.get(source=f"initiatives.initiative:{initiative.pk}")
    assert ev.occurrence.activity.code == "2.2"
    assert ev.occurrence.status == "done"
    assert ev.happened_on == TODAY
    assert any(f"/karool/initiatives/{initiative.pk}/" in link for link in ev.links)


def test_rejection_needs_a_reason_and_is_shown_publicly(staff, client, mun_a, people):
    initiative = make_initiative(mun_a)
    r = _post_transition(staff, initiative, "rejected", rejection_reason="")
    assert r.status_code == 200
    assert "Give the reason" in r.content.decode()
    initiative.refresh_from_db()
    assert initiative.status == Status.SUBMITTED
    r = _post_transition(
        staff, initiative, "rejected", rejection_reason="Бул мамлекеттик жолдун маселеси."
    )
    assert r.status_code == 302
    client.logout()
    html = client.get(f"/karool/initiatives/{initiative.pk}/").content.decode()
    assert "Бул мамлекеттик жолдун маселеси." in html


@pytest.mark.parametrize(
    ("status", "target"),
    [
        (Status.SUBMITTED, Status.SUPPORTED),  # skipping the review
        (Status.SUBMITTED, Status.IMPLEMENTED),
        (Status.UNDER_REVIEW, Status.FUNDED),
        (Status.FUNDED, Status.REJECTED),  # money set aside: no rejection any more
        (Status.IMPLEMENTED, Status.IN_PROGRESS),
        (Status.REJECTED, Status.UNDER_REVIEW),
    ],
)
def test_invalid_transitions_are_refused_with_a_message(staff, mun_a, people, status, target):
    initiative = make_initiative(mun_a, status=status)
    before = StatusChange.objects.count()
    with pytest.raises(ValidationError) as info:
        services.transition(
            people["staff_a"],
            initiative,
            target,
            decision_kind="head",
            decision_number="1",
            decision_date=TODAY,
            budget_kgs=Decimal(1),
            rejection_reason="x",
        )
    assert "cannot" in info.value.messages[0]
    # and through the page: a message, nothing changed
    r = _post_transition(staff, initiative, target, rejection_reason="x")
    assert r.status_code == 302
    follow = staff.get(r["Location"])
    assert "cannot" in follow.content.decode()
    initiative.refresh_from_db()
    assert initiative.status == status
    assert StatusChange.objects.count() == before


def test_invalid_transition_message_names_the_next_steps(mun_a, people):
    initiative = make_initiative(mun_a)
    message = services.invalid_transition_message(initiative, Status.FUNDED)
    assert "“under review”" in message and "“rejected”" in message
    initiative.status = Status.IMPLEMENTED
    assert "cannot change any more" in services.invalid_transition_message(
        initiative, Status.REJECTED
    )


def test_step_requirements_keep_what_was_typed(staff, mun_a, people):
    initiative = make_initiative(mun_a, status=Status.UNDER_REVIEW)
    future = (TODAY + timedelta(days=3)).isoformat()
    r = _post_transition(
        staff, initiative, "supported", decision_kind="head", decision_number="77-б",
        decision_date=future,
    )  # fmt: skip
    html = r.content.decode()
    assert r.status_code == 200
    assert "The date cannot be in the future." in html
    assert 'value="77-б"' in html  # nothing lost
    initiative.refresh_from_db()
    assert initiative.status == Status.UNDER_REVIEW

    funded = make_initiative(mun_a, title="Көпүрө", status=Status.SUPPORTED)
    r = _post_transition(staff, funded, "funded", budget_kgs="0", cofinancing_kgs="")
    assert "give the budget or the co-financing amount" in r.content.decode()
    r = _post_transition(staff, funded, "funded", budget_kgs="сто", cofinancing_kgs="")
    assert "Enter an amount in som" in r.content.decode()


def test_milestones_only_once_funded(staff, mun_a, people):
    initiative = make_initiative(mun_a, status=Status.SUPPORTED)
    r = staff.post(
        f"/karool/manage/initiatives/{initiative.pk}/milestones/",
        {"m-happened_on": TODAY.isoformat(), "m-text_ky": "Иш башталды"},
    )
    assert r.status_code == 302
    assert "once the initiative is funded" in staff.get(r["Location"]).content.decode()
    assert not Milestone.objects.exists()


def test_deputy_sees_the_staff_page_but_cannot_change_anything(client, mun_a, people):
    initiative = make_initiative(mun_a)
    client.force_login(people["deputy_a"])
    page = client.get(f"/karool/manage/initiatives/{initiative.pk}/")
    assert page.status_code == 200
    assert "/transition/" not in page.content.decode()
    assert _post_transition(client, initiative, "under_review").status_code == 403
    initiative.refresh_from_db()
    assert initiative.status == Status.SUBMITTED


def test_council_chair_records_the_council_decision(client, mun_a, people):
    initiative = make_initiative(mun_a, status=Status.UNDER_REVIEW)
    client.force_login(people["council_chair_a"])
    r = _post_transition(
        client, initiative, "supported", decision_kind="council", decision_number="5",
        decision_date=TODAY.isoformat(),
    )  # fmt: skip
    assert r.status_code == 302
    initiative.refresh_from_db()
    assert initiative.status == Status.SUPPORTED


def test_initiative_of_b_through_a_is_404(client, mun_a, mun_b, people):
    other = make_initiative(mun_b)
    client.force_login(people["head_a"])
    assert client.get(f"/karool/manage/initiatives/{other.pk}/").status_code == 404
    assert client.get(f"/karool/initiatives/{other.pk}/").status_code == 404
    r = client.post(f"/karool/manage/initiatives/{other.pk}/transition/", {"to": "under_review"})
    assert r.status_code == 404
    other.refresh_from_db()
    assert other.status == Status.SUBMITTED


# --- the 2.2 figure and the dashboard ---------------------------------------------------------


def _implemented(municipality, title, on, decided):
    i = make_initiative(municipality, title=title, status=Status.UNDER_REVIEW)
    services.transition(
        None, i, Status.SUPPORTED, decision_kind="council", decision_number="1",
        decision_date=decided,
    )  # fmt: skip
    services.transition(None, i, Status.FUNDED, budget_kgs=Decimal(1000))
    services.transition(None, i, Status.IN_PROGRESS)
    services.transition(None, i, Status.IMPLEMENTED, implemented_on=on)
    return i


def test_figure_counts_initiatives_implemented_in_the_year(mun_a, mun_b, approved_plan_a):
    year = TODAY.year
    jan1 = TODAY.replace(month=1, day=1)
    _implemented(mun_a, "Бири", TODAY, jan1)
    _implemented(mun_a, "Экиси", jan1, jan1)
    _implemented(mun_a, "Былтыр", jan1 - timedelta(days=1), jan1 - timedelta(days=30))
    _implemented(mun_b, "Башка", TODAY, jan1)  # another municipality
    still = make_initiative(mun_a, title="Каржыланды", status=Status.UNDER_REVIEW)
    services.transition(
        None, still, Status.SUPPORTED, decision_kind="head", decision_number="9",
        decision_date=TODAY,
    )  # fmt: skip
    make_initiative(mun_a, title="Жаңы")

    assert services.implemented_count(mun_a, year) == 2
    assert services.implemented_count(mun_a, year - 1) == 1
    assert services.supported_count(mun_a, year) == 3  # two implemented + one supported

    rows = [
        r
        for r in indicator_rows(approved_plan_a, year)
        if r.indicator.key == "2.2.initiatives_implemented"
    ]
    assert len(rows) == 1
    assert rows[0].recorded == Decimal(2)
    assert rows[0].target == Decimal(30)  # fill_all_targets
    assert "implemented in the year" in str(rows[0].how)


def test_dashboard_shows_the_figure_against_the_target(client, mun_a, approved_plan_a, people):
    jan1 = TODAY.replace(month=1, day=1)
    for n in range(3):
        _implemented(mun_a, f"Демилге {n}", TODAY, jan1)
    client.force_login(people["staff_a"])
    client.cookies["django_language"] = "en"
    html = client.get(f"/karool/dashboard/?year={TODAY.year}").content.decode()
    block = html.split('data-activity="2.2"')[1].split("</tbody>")[0]
    assert "<strong>3</strong>" in block
    assert ">30<" in block  # the target beside it
    assert "implemented in the year" in block


def test_figure_zero_without_initiatives_and_workplace_registered(mun_a, approved_plan_a):
    from jamaat.plans import registry

    assert services.implemented_count(mun_a, TODAY.year) == 0
    assert [w.url_name for w in registry.workplaces_for("2.2")] == ["initiatives:manage"]


def test_staff_queue_counts_this_year(staff, mun_a, people):
    jan1 = TODAY.replace(month=1, day=1)
    _implemented(mun_a, "Бири", TODAY, jan1)
    make_initiative(mun_a, title="Күтүүдө")
    page = staff.get("/karool/manage/initiatives/")
    html = page.content.decode()
    assert "Күтүүдө" in html  # the review queue
    assert "Бири" not in html  # implemented is not waiting for review
    assert '<p class="big">1</p>' in html
    assert "Бири" in staff.get("/karool/manage/initiatives/?status=implemented").content.decode()


def test_implemented_twice_records_one_evidence(mun_a, approved_plan_a):
    i = _implemented(mun_a, "Бир жолу", TODAY, TODAY)
    services.record_implementation(i)
    assert Evidence.objects.filter(source=f"initiatives.initiative:{i.pk}").count() == 1
    assert Initiative.objects.get(pk=i.pk).implemented_on == TODAY

"""The dashboard, the registry of computed figures, the iCalendar feeds and the daily reminders."""

import re
from collections import Counter
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.module_loading import autodiscover_modules
from icalendar import Calendar

from jamaat.core.models import TaskRun
from jamaat.plans import registry, services
from jamaat.plans.models import Evidence, Indicator, Occurrence
from jamaat.plans.tasks import daily_reminders
from jamaat.plans.tests.conftest import occurrence


def dashboard(client) -> str:
    response = client.get("/karool/dashboard/")
    assert response.status_code == 200
    return response.content.decode()


def big_numbers(page: str) -> tuple[int, int]:
    due = re.search(r"Due this month</h\d>\s*<p class=\"big\">(\d+)</p>", page)
    overdue = re.search(r'id="overdue-count">(\d+)<', page)
    return int(due.group(1)), int(overdue.group(1))


def activity_block(page: str, code: str) -> str:
    match = re.search(rf'data-activity="{re.escape(code)}"(.*?)</tbody>', page, re.S)
    assert match, code
    return match.group(1)


def done(plan, code, key, actor, on, **values):
    occ = occurrence(plan, code, key)
    return services.record_evidence(
        actor,
        occ,
        services.EvidenceInput(
            "done",
            on,
            text=f"{code} {key}",
            values={
                Indicator.objects.get(activity=occ.activity, key=k): v for k, v in values.items()
            },
        ),
    )


@pytest.fixture
def clean_registry():
    saved = registry.unregister_all_for_tests()
    yield registry
    registry.restore(saved)


# ----------------------------------------------------------------------------------- dashboard


def test_due_this_month_and_overdue(approved_plan_a, people, login, today):
    client = login(people["staff_a"])
    page = dashboard(client)
    # March 2026: 1.1, 1.3, 1.4, 1.5 (25th), 2.3 (report), 3.1
    assert big_numbers(page) == (6, 55)
    response = client.get("/karool/dashboard/")
    assert sorted(o.activity.code for o in response.context["due_month"]) == [
        "1.1", "1.3", "1.4", "1.5", "2.3", "3.1",
    ]  # fmt: skip
    # 50 items of 2025 and 5 of 2026 before 10 March
    assert Counter(o.due.year for o in Occurrence.objects.overdue()) == {2025: 50, 2026: 5}

    done(approved_plan_a, "1.1", "2026-02", people["staff_a"], date(2026, 2, 27))
    done(approved_plan_a, "1.5", "2026-03", people["staff_a"], date(2026, 3, 9))  # early
    assert big_numbers(dashboard(client)) == (6, 54)


def test_a_day_later_the_25th_becomes_overdue(approved_plan_a, people, login, pin_today):
    client = login(people["staff_a"])
    pin_today(date(2026, 3, 25))
    assert big_numbers(dashboard(client)) == (6, 55)
    pin_today(date(2026, 3, 26))
    assert big_numbers(dashboard(client)) == (6, 56)
    pin_today(date(2026, 4, 1))
    # April: 1.1 and 1.5; March's 1.1, 1.3, 1.4, 1.5, 2.3, 3.1 now overdue
    assert big_numbers(dashboard(client)) == (2, 61)


def test_indicator_target_beside_what_was_recorded(
    approved_plan_a, people, login, today, clean_registry
):
    client = login(people["staff_a"])
    block = activity_block(dashboard(client), "1.1")
    assert "30%" in block  # the target filled for 2026
    assert "nothing recorded yet" in block

    done(
        approved_plan_a, "1.1", "2026-01", people["staff_a"], date(2026, 1, 30),
        **{"1.1.population_informed": Decimal("24")},
    )  # fmt: skip
    done(
        approved_plan_a, "1.1", "2026-02", people["staff_a"], date(2026, 2, 27),
        **{"1.1.population_informed": Decimal("42.5")},
    )  # fmt: skip
    # a count indicator adds its figures up
    done(
        approved_plan_a, "1.4", "2025-Q4", people["staff_a"], date(2026, 1, 15),
        **{"1.4.materials_posted": Decimal("3")},
    )  # fmt: skip
    done(
        approved_plan_a, "1.4", "2026-Q1", people["staff_a"], date(2026, 3, 2),
        **{"1.4.materials_posted": Decimal("4")},
    )  # fmt: skip
    # a 2025 figure does not count for 2026
    done(
        approved_plan_a, "1.1", "2025-06", people["staff_a"], date(2025, 6, 30),
        **{"1.1.population_informed": Decimal("99")},
    )  # fmt: skip

    page = dashboard(client)
    block = activity_block(page, "1.1")
    assert re.search(r"<strong>42\.50?%</strong>", block), block
    assert "✓" in block  # 42.5% ≥ 30%
    assert "highest of 2 figures recorded with evidence" in block
    assert "99" not in block
    block = activity_block(page, "1.4")
    assert "<strong>7</strong>" in block
    assert "sum of 2 figures recorded with evidence" in block
    assert "✓" not in block  # 7 < 30
    # and the 2025 view shows the 2025 figure
    block = activity_block(client.get("/karool/dashboard/?year=2025").content.decode(), "1.1")
    assert "<strong>99%</strong>" in block


def test_indicator_value_entered_on_the_occurrence_page_reaches_the_dashboard(
    approved_plan_a, people, login, today, clean_registry
):
    client = login(people["staff_a"])
    occ = occurrence(approved_plan_a, "3.2", "2026-R1")
    ind = occ.activity.indicators.get(key="3.2.questionnaires_collected")
    response = client.post(
        f"/karool/schedule/{occ.pk}/",
        {
            "e-outcome": "done",
            "e-happened_on": "2026-03-05",
            "e-text": "Анкеталар чогултулду",
            f"e-value_{ind.pk}": "412",
        },
    )
    assert response.status_code == 302
    assert "<strong>412</strong>" in activity_block(dashboard(client), "3.2")


def test_a_registered_figure_is_computed_and_explained(
    approved_plan_a, people, login, today, clean_registry
):
    calls = []

    def participants(municipality, year):
        calls.append((municipality.slug, year))
        return 1234

    clean_registry.register_figure(
        "2.1.participants_count",
        "Participants",
        participants,
        how="counted from the attendance lists of village gatherings",
    )
    page = dashboard(login(people["staff_a"]))
    block = activity_block(page, "2.1")
    assert "<strong>1234</strong>" in block
    assert "counted from the attendance lists of village gatherings" in block
    assert calls == [("karool", 2026)]
    # other indicators are untouched
    assert "nothing recorded yet" in activity_block(page, "2.2")


def test_a_figure_without_a_value_shows_a_dash(
    approved_plan_a, people, login, today, clean_registry
):
    clean_registry.register_figure("2.2.initiatives_implemented", "Initiatives", lambda m, y: None)
    block = activity_block(dashboard(login(people["staff_a"])), "2.2")
    assert "<strong>" not in block
    assert "Initiatives" in block  # label stands in for the missing "how"


def measure(client) -> int:
    client.get("/karool/dashboard/")  # warm caches (session, translations)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/karool/dashboard/").status_code == 200
    return len(ctx.captured_queries)


def test_dashboard_queries_do_not_grow_with_evidence(
    approved_plan_a, people, login, today, clean_registry, django_assert_max_num_queries
):
    client = login(people["staff_a"])
    baseline = measure(client)
    staff = people["staff_a"]
    occs = list(Occurrence.objects.filter(activity__plan=approved_plan_a, due__lte=today))
    for occ in occs:
        values = {
            ind: Decimal(10)
            for ind in occ.activity.indicators.all()
            if ind.unit in (Indicator.Unit.PERCENT, Indicator.Unit.COUNT)
        }
        services.record_evidence(
            staff,
            occ,
            services.EvidenceInput("done", min(occ.due, today), text="x", values=values),
        )
    assert Evidence.objects.count() == len(occs) == 55
    client.get("/karool/dashboard/")
    with django_assert_max_num_queries(baseline):
        assert client.get("/karool/dashboard/").status_code == 200


def test_dashboard_queries_do_not_grow_with_activities(
    approved_plan_a, people, login, today, clean_registry, django_assert_max_num_queries
):
    client = login(people["staff_a"])
    baseline = measure(client)
    goal = approved_plan_a.goals.get(number=1)
    for i in range(5):
        services.add_activity(
            people["staff_a"],
            approved_plan_a,
            goal,
            {
                "text_ky": f"Өз иш-чарабыз {i}", "text_ru": f"Своё мероприятие {i}",
                "deadline_text_ky": "Ай сайын", "deadline_text_ru": "Ежемесячно",
                "rule": "monthly", "budget_source": "none",
            },
        )  # fmt: skip
    client.get("/karool/dashboard/")
    with django_assert_max_num_queries(baseline):
        assert client.get("/karool/dashboard/").status_code == 200


@pytest.mark.parametrize("who,status", [("deputy_a", 200), ("agency", 200), ("staff_b", 403)])
def test_who_sees_the_dashboard(approved_plan_a, people, login, today, who, status):
    assert login(people[who]).get("/karool/dashboard/").status_code == status


def test_anonymous_dashboard_goes_to_login(approved_plan_a, login):
    response = login().get("/karool/dashboard/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# -------------------------------------------------------------------------------- iCalendar


def events(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    evs = Calendar.from_ical(response.content).walk("VEVENT")
    assert response.content.count(b"DTSTART;VALUE=DATE:") == len(evs)
    return evs


def test_municipality_feed(approved_plan_a, login, today):
    response = login().get("/karool/calendar.ics")
    evs = events(response)
    occs = Occurrence.objects.filter(activity__plan=approved_plan_a)
    assert len(evs) == occs.count() == 200
    assert len({str(e["UID"]) for e in evs}) == 200
    for e in evs:
        start = e.decoded("DTSTART")
        assert isinstance(start, date) and not isinstance(start, datetime)
        assert e.decoded("DTEND") == start + timedelta(days=1)
    seen = Counter((str(e["SUMMARY"]).split()[0], e.decoded("DTSTART")) for e in evs)
    assert seen == Counter((o.activity.code, o.due) for o in occs.select_related("activity"))
    one = next(e for e in evs if e.decoded("DTSTART") == date(2026, 3, 25))
    assert str(one["SUMMARY"]).startswith("1.5 ")
    pk = occurrence(approved_plan_a, "1.5", "2026-03").pk
    assert str(one["URL"]).endswith(f"/karool/schedule/{pk}/")


def test_a_draft_plan_has_no_public_feed(plan_a, people, login):
    assert login().get("/karool/calendar.ics").status_code == 404
    assert login(people["staff_a"]).get("/karool/calendar.ics").status_code == 404


def test_unknown_municipality_feed(db, login):
    assert login().get("/nowhere/calendar.ics").status_code == 404


def test_person_feed_lists_only_that_persons_items(approved_plan_a, plan_b, people, login, today):
    chair = people["council_chair_a"]
    for code in ("1.5", "3.2"):
        approved_plan_a.activities.get(code=code).responsible_persons.add(chair)
    plan_b.activities.get(code="2.1").responsible_persons.add(people["staff_b"])

    evs = events(login().get(f"/calendar/{chair.calendar_token}.ics"))
    codes = Counter(str(e["SUMMARY"]).split()[0] for e in evs)
    # a year back from 10.03.2026 and everything ahead
    assert codes == {"1.5": 46, "3.2": 8}
    assert all("/karool/" in str(e["URL"]) for e in evs)

    evs = events(login().get(f"/calendar/{people['staff_b'].calendar_token}.ics"))
    assert Counter(str(e["SUMMARY"]).split()[0] for e in evs) == {"2.1": 8}
    assert all("/tokmok/" in str(e["URL"]) for e in evs)

    assert events(login().get(f"/calendar/{people['deputy_a'].calendar_token}.ics")) == []


def test_person_feed_with_a_wrong_token(approved_plan_a, people, login):
    token = people["staff_a"].calendar_token
    assert login().get(f"/calendar/{token}x.ics").status_code == 404
    assert login().get("/calendar/.ics").status_code == 404


def test_an_inactive_persons_feed_is_gone(approved_plan_a, people, login):
    user = people["staff_a"]
    user.is_active = False
    user.save()
    assert login().get(f"/calendar/{user.calendar_token}.ics").status_code == 404


# -------------------------------------------------------------------------------- reminders


@pytest.fixture
def reminder_setup(approved_plan_a, people, pin_today):
    """On 20.03.2026: staff_a has 1.1 of February overdue; the council chair has 1.5 due on the
    25th; the deputy's 2.2 is not due until December; the head is responsible for nothing."""
    pin_today(date(2026, 3, 20))
    plan = approved_plan_a
    for a in plan.activities.all():
        a.responsible_persons.clear()
    assign = {"1.1": "staff_a", "1.5": "council_chair_a", "2.2": "deputy_a"}
    for code, who in assign.items():
        plan.activities.get(code=code).responsible_persons.add(people[who])
        people[who].language = "en"
        people[who].save()
    Occurrence.objects.filter(activity__plan=plan, due__lt=date(2026, 2, 1)).update(status="done")
    Occurrence.objects.filter(
        activity__plan=plan, activity__code="1.5", due__lt=date(2026, 3, 1)
    ).update(status="done")
    return plan


def test_daily_reminders_email_each_responsible_person(reminder_setup, people, mailoutbox):
    autodiscover_modules("tasks")  # as the task consumer does: registers the TaskRun signals
    plan = reminder_setup
    daily_reminders()  # through the queue (immediate in tests)

    by_to = {m.to[0]: m for m in mailoutbox}
    assert sorted(by_to) == ["council_chair_a@example.kg", "staff_a@example.kg"]

    staff_mail = by_to["staff_a@example.kg"]
    assert staff_mail.subject == "Jamaat: 1 overdue item, 0 due soon"
    assert "Overdue:" in staff_mail.body
    assert "1.1 · 28.02.2026" in staff_mail.body
    assert f"/karool/schedule/{occurrence(plan, '1.1', '2026-02').pk}/" in staff_mail.body
    assert "Due in the next 7 days" not in staff_mail.body
    assert "1.5" not in staff_mail.body

    chair_mail = by_to["council_chair_a@example.kg"]
    assert chair_mail.subject == "Jamaat: 0 overdue items, 1 due soon"
    assert "Due in the next 7 days:" in chair_mail.body
    assert "1.5 · 25.03.2026" in chair_mail.body
    assert "Overdue:" not in chair_mail.body

    runs = Counter(
        (r.name.rsplit(".", 1)[-1], r.status) for r in TaskRun.objects.all()
    )  # fmt: skip
    assert runs == {("daily_reminders", "ok"): 1, ("send_reminder", "ok"): 2}


def test_no_reminders_when_everything_is_done(reminder_setup, people, mailoutbox):
    Occurrence.objects.filter(activity__plan=reminder_setup, due__lte=date(2026, 3, 27)).update(
        status="done"
    )
    assert daily_reminders.call_local() == 0
    assert mailoutbox == []


def test_daily_reminders_counts_the_people_reminded(reminder_setup, mailoutbox):
    assert daily_reminders.call_local() == 2
    assert len(mailoutbox) == 2


def test_a_not_done_item_is_not_reminded(reminder_setup, people, mailoutbox):
    occ = occurrence(reminder_setup, "1.1", "2026-02")
    services.record_evidence(
        people["staff_a"],
        occ,
        services.EvidenceInput("not_done", date(2026, 2, 28), reason="Интернет жок болчу"),
    )
    daily_reminders()
    assert [m.to for m in mailoutbox] == [["council_chair_a@example.kg"]]


def test_a_reminder_is_in_the_persons_language(reminder_setup, people, mailoutbox):
    chair = people["council_chair_a"]
    chair.language = "ru"
    chair.save()
    daily_reminders()
    mail = next(m for m in mailoutbox if m.to == [chair.email])
    assert "Due in the next 7 days" not in mail.body
    assert re.search(r"[А-Яа-я]", mail.body.splitlines()[0])  # the greeting is in Russian
    assert "1.5 · 25.03.2026" in mail.body

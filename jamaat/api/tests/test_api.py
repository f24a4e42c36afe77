"""The public read-only API: contracts, access to drafts, errors, caching and query counts."""

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jamaat.conftest import make_municipality
from jamaat.plans import services
from jamaat.plans.models import Indicator, IndicatorTarget, Occurrence, Plan

BASE = "/api/v1"
CODES = ["1.1", "1.2", "1.3", "1.4", "1.5", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3"]
MUNICIPALITY_KEYS = {
    "slug", "name_ky", "name_ru", "name_en", "kind", "oblast_ky", "oblast_ru", "district_ky",
    "district_ru", "population", "population_year",
}  # fmt: skip
OCCURRENCE_KEYS = {"id", "activity", "due", "window_start", "window_end", "status", "overdue"}


def plan_url(slug="karool"):
    return f"{BASE}/municipalities/{slug}/plan/"


def occ_url(slug="karool", **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"{BASE}/municipalities/{slug}/occurrences/" + (f"?{query}" if query else "")


def by_code(body):
    return {a["code"]: a for a in body["activities"]}


# --- municipalities ---------------------------------------------------------------------------


def test_list_municipalities(client, mun_a, mun_b):
    resp = client.get(f"{BASE}/municipalities/")
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("application/json")
    assert resp["Cache-Control"] == "public, max-age=300"
    body = resp.json()
    assert [m["slug"] for m in body] == ["karool", "tokmok"]  # oblast_ky: Ош < Чүй
    assert all(set(m) == MUNICIPALITY_KEYS for m in body)
    tokmok = body[1]
    assert tokmok == {
        "slug": "tokmok", "name_ky": "Токмок", "name_ru": "Токмок", "name_en": "Tokmok",
        "kind": "city", "oblast_ky": "Чүй", "oblast_ru": "Чуй", "district_ky": "",
        "district_ru": "", "population": 71600, "population_year": 2022,
    }  # fmt: skip


def test_logged_in_responses_are_private(client, people, plan_b):
    client.force_login(people["outsider"])
    for url in (f"{BASE}/municipalities/", plan_url("tokmok"), occ_url("tokmok")):
        resp = client.get(url)
        assert resp.status_code == 200, url
        assert resp["Cache-Control"] == "private", url


# --- plan -------------------------------------------------------------------------------------


def test_approved_plan_is_public(client, approved_plan_a):
    resp = client.get(plan_url())
    assert resp.status_code == 200
    assert resp["Cache-Control"] == "public, max-age=300"
    body = resp.json()
    assert body["status"] == "approved"
    assert (body["start_year"], body["end_year"]) == (2025, 2028)
    assert body["period"] == "2025–2028"
    assert body["template_version"] == approved_plan_a.template_version
    assert body["approved_at"] is not None
    assert [g["number"] for g in body["goals"]] == [1, 2, 3]
    assert set(body["goals"][0]) == {"number", "title_ky", "title_ru"}
    assert [a["code"] for a in body["activities"]] == CODES
    assert [a["goal"] for a in body["activities"]] == [int(c.split(".")[0]) for c in CODES]

    activities = by_code(body)
    a15 = activities["1.5"]
    assert a15["rule"] == "monthly_on_day"
    assert a15["rule_params"] == {"day": 25}
    assert a15["title_ky"] and a15["title_ru"]
    assert a15["deadline_text_ky"] and a15["deadline_text_ru"]
    assert a15["budget_source"] in {"none", "local"}
    assert isinstance(a15["responsible_roles"], list) and a15["responsible_roles"]
    assert set(a15) == {
        "code", "goal", "title_ky", "title_ru", "title_en", "deadline_text_ky",
        "deadline_text_ru", "rule", "rule_params", "budget_source", "responsible_roles",
        "indicators", "targets",
    }  # fmt: skip
    years = ["2025", "2026", "2027", "2028"]
    (ind,) = a15["indicators"]
    assert set(ind) == {"key", "text_ky", "text_ru", "unit", "targets"}
    assert ind["targets"] == dict.fromkeys(years, 30.0)  # filled blanks (conftest: 30)
    assert a15["targets"] == {y: {ind["key"]: 30.0} for y in years}


def test_plan_targets_per_year_fixed_and_unset(client, approved_plan_a):
    activities = by_code(client.get(plan_url()).json())
    a11 = activities["1.1"]
    assert a11["targets"]["2026"] == {
        "1.1.population_informed": 30.0,  # a blank filled in
        "1.1.subscriber_growth": 10.0,  # fixed by the model plan
    }
    a21 = activities["2.1"]  # indicators without blank or fixed target: not set
    assert a21["targets"]["2025"] == {"2.1.participants_count": None, "2.1.protocols": None}
    assert all(v is None for v in a21["indicators"][0]["targets"].values())


def test_plan_target_changes_show_up_per_year(client, approved_plan_a):
    ind = Indicator.objects.get(
        activity__plan=approved_plan_a, key="1.5.population_informed_of_activities"
    )
    IndicatorTarget.objects.filter(indicator=ind, year=2027).update(value=Decimal("55.5"))
    IndicatorTarget.objects.filter(indicator=ind, year=2028).update(value=None)
    targets = by_code(client.get(plan_url()).json())["1.5"]["targets"]
    assert targets["2027"] == {ind.key: 55.5}
    assert targets["2028"] == {ind.key: None}


def test_other_municipality_without_plan_is_404(client, approved_plan_a, mun_b):
    resp = client.get(plan_url("tokmok"))
    assert resp.status_code == 404
    assert set(resp.json()) == {"detail"}


def test_prefers_current_approved_plan(client, people, approved_plan_a, mun_a):
    services.adopt_plan(mun_a, people["staff_a"], 2029, 2032)  # a later draft
    assert client.get(plan_url()).json()["period"] == "2025–2028"
    client.force_login(people["staff_a"])
    if timezone.localdate().year <= 2028:
        assert client.get(plan_url()).json()["period"] == "2025–2028"


# --- occurrences ------------------------------------------------------------------------------


def test_occurrences_filtered_by_range(client, approved_plan_a):
    resp = client.get(occ_url(**{"from": "2025-01-01", "to": "2025-12-31"}))
    assert resp.status_code == 200
    assert resp["Cache-Control"] == "public, max-age=300"
    body = resp.json()
    assert body and all(set(o) == OCCURRENCE_KEYS for o in body)
    assert all("2025-01-01" <= o["due"] <= "2025-12-31" for o in body)
    dues = [o["due"] for o in body]
    assert dues == sorted(dues)
    monthly = [o for o in body if o["activity"] == "1.5"]
    assert len(monthly) == 12
    assert [o["due"] for o in monthly] == [f"2025-{m:02d}-25" for m in range(1, 13)]
    assert monthly[0]["window_start"] == "2025-01-01"
    assert monthly[0]["window_end"] == "2025-01-25"


def test_occurrences_default_to_whole_plan(client, approved_plan_a):
    body = client.get(occ_url()).json()
    assert len(body) == Occurrence.objects.filter(activity__plan=approved_plan_a).count()
    assert len([o for o in body if o["activity"] == "1.5"]) == 48
    assert body[0]["due"].startswith("2025-")
    assert {o["activity"] for o in body} == set(CODES)


def test_occurrences_open_ended_ranges(client, approved_plan_a):
    since = client.get(occ_url(**{"from": "2028-12-01"})).json()
    assert since and all(o["due"] >= "2028-12-01" for o in since)
    until = client.get(occ_url(to="2025-01-31")).json()
    assert until and all(o["due"] <= "2025-01-31" for o in until)
    assert "2025-01-25" in [o["due"] for o in until if o["activity"] == "1.5"]
    one_day = client.get(occ_url(**{"from": "2025-03-25", "to": "2025-03-25"})).json()
    assert [o["activity"] for o in one_day] == ["1.5"]


def test_occurrence_status_and_overdue(client, approved_plan_a):
    done = Occurrence.objects.get(
        activity__plan=approved_plan_a, activity__code="1.5", key="2025-01"
    )
    done.status = Occurrence.Status.DONE
    done.save(update_fields=["status"])
    body = client.get(occ_url()).json()
    today = timezone.localdate().isoformat()
    for o in body:
        assert o["status"] in {"planned", "done", "not_done"}
        assert o["overdue"] == (o["status"] == "planned" and o["due"] < today)
    by_id = {o["id"]: o for o in body}
    assert by_id[done.pk]["status"] == "done"
    assert by_id[done.pk]["overdue"] is False
    assert by_id[done.pk]["activity"] == "1.5"


@pytest.mark.parametrize(
    "params, parameter",
    [
        ({"from": "2025-13-01"}, "from"),
        ({"from": "yesterday"}, "from"),
        ({"from": "20250101"}, "from"),
        ({"from": "2025-1-5"}, "from"),
        ({"to": "2025-02-30"}, "to"),
        ({"to": "31.12.2025"}, "to"),
        ({"from": "2025-01-01", "to": "nope"}, "to"),
    ],
)
def test_bad_dates_are_400_naming_the_parameter(client, approved_plan_a, params, parameter):
    resp = client.get(occ_url(**params))
    assert resp.status_code == 400
    assert resp.json() == {
        "detail": f"Invalid date in parameter '{parameter}': expected YYYY-MM-DD",
        "parameter": parameter,
    }


def test_from_after_to_is_400(client, approved_plan_a):
    resp = client.get(occ_url(**{"from": "2025-12-31", "to": "2025-01-01"}))
    assert resp.status_code == 400
    body = resp.json()
    assert body["parameter"] == "from"
    assert "'from'" in body["detail"] and "'to'" in body["detail"]


@pytest.mark.parametrize("url", [plan_url("nowhere"), occ_url("nowhere")])
def test_unknown_slug_is_404_json(client, db, url):
    resp = client.get(url)
    assert resp.status_code == 404
    assert resp["Content-Type"].startswith("application/json")
    body = resp.json()
    assert set(body) == {"detail"}
    assert "nowhere" in body["detail"]


# --- drafts -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", [None, "outsider", "staff_b", "head_b", "deputy_b"])
def test_draft_is_hidden_like_a_missing_plan(client, people, plan_a, plan_b, who):
    if who:
        client.force_login(people[who])
    draft_plan = client.get(plan_url())
    draft_occ = client.get(occ_url())
    assert draft_plan.status_code == 404
    assert draft_occ.status_code == 404
    assert client.get(plan_url("tokmok")).status_code == 200  # B's approved plan is public

    Plan.objects.filter(pk=plan_a.pk).delete()
    assert client.get(plan_url()).json() == draft_plan.json()  # nothing reveals the draft
    assert client.get(occ_url()).json() == draft_occ.json()


@pytest.mark.parametrize(
    "who", ["staff_a", "head_a", "deputy_a", "council_chair_a", "agency", "admin"]
)
def test_draft_is_visible_with_internal_access(client, people, plan_a, who):
    client.force_login(people[who])
    resp = client.get(plan_url())
    assert resp.status_code == 200
    assert resp["Cache-Control"] == "private"
    body = resp.json()
    assert body["status"] == "draft"
    assert body["approved_at"] is None
    assert [a["code"] for a in body["activities"]] == CODES
    occ = client.get(occ_url(**{"from": "2025-01-01", "to": "2025-12-31"}))
    assert occ.status_code == 200
    assert len([o for o in occ.json() if o["activity"] == "1.5"]) == 12


# --- OpenAPI ----------------------------------------------------------------------------------


def test_openapi_schema(client, db):
    resp = client.get(f"{BASE}/openapi.json")
    assert resp.status_code == 200
    schema = json.loads(resp.content)
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    expected = {
        "/api/v1/municipalities/": {"200"},
        "/api/v1/municipalities/{slug}/plan/": {"200", "404"},
        "/api/v1/municipalities/{slug}/occurrences/": {"200", "400", "404"},
    }
    for path, codes in expected.items():
        op = paths[path]["get"]
        assert op["summary"] and op["description"] and op["tags"], path
        assert set(op["responses"]) == codes, path
    params = {
        p["name"] for p in paths["/api/v1/municipalities/{slug}/occurrences/"]["get"]["parameters"]
    }
    assert params == {"slug", "from", "to"}
    components = schema["components"]["schemas"]
    assert {"MunicipalityOut", "PlanOut", "ActivityOut", "OccurrenceOut"} <= set(components)


# --- query counts -----------------------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url)
    assert resp.status_code == 200, resp.content
    return len(ctx.captured_queries)


def grow_plan(plan, actor, n=5) -> None:
    """Add `n` custom activities (with indicators, targets and a monthly schedule) per goal."""
    for goal in plan.goals.all():
        for i in range(n):
            activity = services.add_activity(
                actor,
                plan,
                goal,
                {
                    "text_ky": f"Кошумча {i}",
                    "text_ru": f"Доп. {i}",
                    "deadline_text_ky": "ай сайын",
                    "deadline_text_ru": "ежемесячно",
                    "rule": "monthly",
                    "budget_source": "none",
                    "responsible_roles": ["staff"],
                },  # fmt: skip
            )
            for k in range(2):
                ind = Indicator.objects.create(
                    activity=activity, key=f"{activity.code}.x{k}", order=k, unit="count",
                    text_ky="x", text_ru="x",
                )  # fmt: skip
                IndicatorTarget.objects.bulk_create(
                    IndicatorTarget(indicator=ind, year=y, value=Decimal(k)) for y in plan.years
                )


@pytest.mark.parametrize("who", [None, "staff_a"])
def test_query_counts_do_not_grow_with_plan_size(
    client, people, approved_plan_a, django_assert_max_num_queries, who
):
    if who:
        client.force_login(people[who])
    urls = [plan_url(), occ_url(), occ_url(**{"from": "2025-01-01", "to": "2025-12-31"})]
    before = {url: count_queries(client, url) for url in urls}
    activities_before = approved_plan_a.activities.count()
    occurrences_before = Occurrence.objects.filter(activity__plan=approved_plan_a).count()

    grow_plan(approved_plan_a, people["staff_a"])
    assert approved_plan_a.activities.count() == activities_before + 15
    assert Occurrence.objects.filter(activity__plan=approved_plan_a).count() > occurrences_before

    for url in urls:
        with django_assert_max_num_queries(before[url]):
            resp = client.get(url)
        assert resp.status_code == 200
    assert len(by_code(client.get(plan_url()).json())) == activities_before + 15
    # Absolute ceilings: municipality, plan(s), goals, activities, indicators, targets
    # (plus session, user and membership for a logged-in user).
    assert before[plan_url()] <= (9 if who else 6)
    assert before[occ_url()] <= (6 if who else 3)


def test_list_municipalities_query_count(client, db, django_assert_num_queries):
    for i in range(5):
        make_municipality(f"m{i}", name_ky=f"М{i}")
    with django_assert_num_queries(1):
        assert len(client.get(f"{BASE}/municipalities/").json()) == 5

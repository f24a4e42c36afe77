"""Access matrix: each role of municipality A against every view and API endpoint, in A and B.

Each cell is one (row, target municipality, role): a request whose status is asserted exactly
(200, 302 to a success page, 302 to the login page, 403, 404 or 405). Refused writes also assert
that the database did not change; allowed writes assert the change happened, so a refusal can
never pass because the form was invalid.

The expected permissions are written out here (`EXPECTED_PERMS`), independently of
`jamaat.core.access.ROLE_PERMS`, and `test_role_perms_match_the_policy` ties the two together.

The matrix checks itself: `test_every_url_pattern_has_a_matrix_row` walks the URL resolver and
fails for any route (under `<slug:slug>/`, `api/v1/` or the other app-level routes) that has no
row here, so a view added later without a row breaks the build.

Speed: the two municipalities, their people and their adopted plans are built once per module
inside an outer transaction (rolled back at the end); each test runs in its own savepoint
(pytest-django's `db`), so writes made by one cell never leak into another.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from jamaat.conftest import fill_all_targets, make_municipality, make_user
from jamaat.core.access import AGENCY_PERMS, ROLE_PERMS, Perm, Role
from jamaat.core.models import AuditEntry
from jamaat.core.uploads import CleanFile
from jamaat.municipalities.models import Membership
from jamaat.plans import services
from jamaat.plans.forms import ActivityForm
from jamaat.plans.models import (
    Activity,
    ActivityBudget,
    Evidence,
    EvidenceFile,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Occurrence,
    Plan,
)

# --- the policy -------------------------------------------------------------------------------

V, E, AP, R = Perm.VIEW_INTERNAL, Perm.EDIT_PLAN, Perm.APPROVE_PLAN, Perm.RECORD_EVIDENCE
C = Perm.MANAGE_CONTENT
ALL = PLAN_PERMS = frozenset({V, E, AP, R, C})
NONE: frozenset[Perm] = frozenset()

ROLES = (
    "head_a",
    "staff_a",
    "council_chair_a",
    "deputy_a",
    "agency",
    "admin",
    "outsider",
    "anonymous",
)

# role -> municipality tag -> permissions it must hold there (missing: none).
EXPECTED_PERMS: dict[str, dict[str, frozenset[Perm]]] = {
    "head_a": {"A": ALL},
    "staff_a": {"A": frozenset({V, E, R, C})},
    "council_chair_a": {"A": frozenset({V, R})},
    "deputy_a": {"A": frozenset({V})},
    "agency": {"A": frozenset({V}), "B": frozenset({V})},
    "admin": {"A": ALL, "B": ALL},
}


def perms_for(role: str, tag: str | None) -> frozenset[Perm]:
    return EXPECTED_PERMS.get(role, {}).get(tag, NONE) if tag else NONE


# Outcomes of a cell.
OK = "200"  # the page / file / JSON
DONE = "302-done"  # a write that happened, redirecting to a non-login page
LOGIN = "302-login"  # anonymous sent to the login page
DENIED = "403"
HIDDEN = "404"
NOT_ALLOWED = "405"
ANY_PUBLIC = "public"  # no login asked, never a 5xx, whatever it answers (ninja's API root)


@dataclass(frozen=True)
class Who:
    role: str
    perms: frozenset[Perm]
    state: str  # state of the target municipality's plan: "approved" | "draft"

    @property
    def anon(self) -> bool:
        return self.role == "anonymous"


def public(_w: Who) -> str:
    return OK


def needs(perm: Perm, ok: str = OK) -> Callable[[Who], str]:
    """`municipality_view(perm)`: anonymous -> login, other refused -> 403."""

    def rule(w: Who) -> str:
        if perm in w.perms:
            return ok
        return LOGIN if w.anon else DENIED

    return rule


def public_if_approved(w: Who) -> str:
    """Approved plan: public. Draft: only for insiders, a 404 (no hint) for everyone else."""
    return OK if w.state == "approved" or V in w.perms else HIDDEN


def feed_rule(w: Who) -> str:
    return OK if w.state == "approved" else HIDDEN


def post_only(_w: Who) -> str:
    return NOT_ALLOWED


def activity_post_rule(w: Who) -> str:
    if w.state == "draft" and V not in w.perms:
        return HIDDEN
    if w.state == "approved":
        return DENIED  # an approved plan is read-only until the head reopens it
    return DONE if E in w.perms else DENIED


def locked_when_approved(w: Who) -> str:
    """`municipality_view(E)` first; then an approved plan refuses changes to everyone."""
    if E not in w.perms:
        return LOGIN if w.anon else DENIED
    return DENIED


def evidence_post_rule(w: Who) -> str:
    if V not in w.perms:
        return LOGIN if w.anon else DENIED
    return DONE if R in w.perms else DENIED


def jobs_rule(w: Who) -> str:
    return OK if w.role in ("admin", "agency") else LOGIN


def any_public(_w: Who) -> str:
    return ANY_PUBLIC


# --- the world --------------------------------------------------------------------------------


@dataclass
class Tenant:
    tag: str
    slug: str
    municipality: object
    plan_pk: int
    goal_pk: int
    activity_pk: int
    activity_code: str
    occ_pk: int
    happened_on: date
    staff_pk: int
    occurrence_pks: frozenset[int] = field(default_factory=frozenset)


@dataclass
class World:
    tenants: dict[str, Tenant]
    users: dict[str, object]
    deputy_activity_pk: int

    def t(self, tag: str) -> Tenant:
        return self.tenants[tag]


def _tenant(tag, municipality, plan, staff) -> Tenant:
    activity = (
        Activity.objects.filter(plan=plan, indicators__has_blank=True)
        .exclude(rule="after_collection")
        .order_by("order")
        .first()
    )
    today = timezone.localdate()
    occ = Occurrence.objects.filter(activity=activity, due__lte=today).order_by("due").first()
    return Tenant(
        tag=tag,
        slug=municipality.slug,
        municipality=municipality,
        plan_pk=plan.pk,
        goal_pk=activity.goal_id,
        activity_pk=activity.pk,
        activity_code=activity.code,
        occ_pk=occ.pk,
        happened_on=min(occ.due, today),
        staff_pk=staff.pk,
        occurrence_pks=frozenset(
            Occurrence.objects.filter(municipality=municipality).values_list("pk", flat=True)
        ),
    )


def _build_world() -> World:
    mun_a = make_municipality("karool")
    mun_b = make_municipality(
        "tokmok", name_ky="Токмок", name_ru="Токмок", name_en="Tokmok", kind="city",
        oblast_ky="Чүй", oblast_ru="Чуй", district_ky="", district_ru="", population=71600,
        population_year=2022,
    )  # fmt: skip
    users = {}
    for m, tag in ((mun_a, "a"), (mun_b, "b")):
        for role in Role.values:
            users[f"{role}_{tag}"] = make_user(f"{role}_{tag}", m, role)
    users["agency"] = make_user("agency", is_agency_officer=True)
    users["admin"] = make_user("admin", is_superuser=True, is_staff=True)
    users["outsider"] = make_user("outsider")

    plans = {}
    # a two-year period ending this year: always the current plan, always with past occurrences,
    # and half the rows of the default four-year period (the feeds and pages render them all)
    year = timezone.localdate().year
    for m, tag in ((mun_a, "a"), (mun_b, "b")):
        plan = services.adopt_plan(m, users[f"staff_{tag}"], year - 1, year)
        for activity in plan.activities.all():
            activity.responsible_persons.add(users[f"staff_{tag}"])
        fill_all_targets(plan)
        services.approve_plan(users[f"head_{tag}"], plan)
        plans[tag] = plan
    # deputy_a is responsible for exactly one activity of A (for the person feed).
    deputy_activity = plans["a"].activities.order_by("order").last()
    deputy_activity.responsible_persons.add(users["deputy_a"])
    return World(
        tenants={
            "A": _tenant("A", mun_a, plans["a"], users["staff_a"]),
            "B": _tenant("B", mun_b, plans["b"], users["staff_b"]),
        },
        users=users,
        deputy_activity_pk=deputy_activity.pk,
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once per module in an outer transaction; each test's `db` savepoint nests in it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
            ):
                built = _build_world()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def files(world, db):
    """One evidence file in A and one in B (per test: MEDIA_ROOT is a per-test directory)."""
    out = {}
    for tag in ("A", "B"):
        t = world.t(tag)
        occ = Occurrence.objects.get(pk=t.occ_pk)
        ev = services.record_evidence(
            world.users[f"staff_{tag.lower()}"],
            occ,
            services.EvidenceInput(
                outcome="done",
                happened_on=t.happened_on,
                text="scan",
                files=[CleanFile(f"scan-{tag}.pdf", f"%PDF-1.4 {tag}".encode(), "application/pdf")],
            ),
        )
        out[tag] = ev.files.get()
    return out


def set_state(t: Tenant, state: str) -> None:
    status = Plan.Status.APPROVED if state == "approved" else Plan.Status.DRAFT
    Plan.objects.filter(pk=t.plan_pk).update(status=status)


EXTRA_FINGERPRINTS: list[Callable[[], tuple]] = []  # from feature apps' access_rows


def fingerprint() -> tuple:
    """Everything a refused write could have touched."""
    return tuple(f() for f in EXTRA_FINGERPRINTS) + (
        tuple(Plan.objects.order_by("pk").values_list("pk", "status", "approved_at")),
        tuple(Activity.objects.order_by("pk").values_list("pk", "text_ky", "rule")),
        tuple(IndicatorTarget.objects.order_by("pk").values_list("pk", "value")),
        tuple(ActivityBudget.objects.order_by("pk").values_list("pk", "amount_kgs")),
        Activity.responsible_persons.through.objects.count(),
        tuple(Occurrence.objects.exclude(status="planned").values_list("pk", "status")),
        Occurrence.objects.count(),
        Evidence.objects.count(),
        EvidenceFile.objects.count(),
        IndicatorValue.objects.count(),
        AuditEntry.objects.count(),
    )


# --- request bodies and success checks --------------------------------------------------------

NEW_START = timezone.localdate().year + 5  # a period no plan of the world has


def adopt_data(_w: World, _t: Tenant) -> dict:
    return {"start_year": str(NEW_START), "end_year": str(NEW_START + 3)}


def adopt_done(_w: World, t: Tenant) -> None:
    assert Plan.objects.filter(municipality=t.municipality, start_year=NEW_START).exists()


def plan_data(_w: World, t: Tenant) -> dict:
    return {"plan": str(t.plan_pk)}


def approved_done(_w: World, t: Tenant) -> None:
    assert Plan.objects.get(pk=t.plan_pk).status == Plan.Status.APPROVED


def reopened_done(_w: World, t: Tenant) -> None:
    assert Plan.objects.get(pk=t.plan_pk).status == Plan.Status.DRAFT


def activity_data(_w: World, t: Tenant, persons=None) -> dict:
    activity = Activity.objects.get(pk=t.activity_pk)
    plan = activity.plan
    data = {f"a-{f}": getattr(activity, f) for f in ActivityForm.Meta.fields}
    data["a-text_ky"] = "MATRIX-EDITED"
    data["a-responsible_persons"] = [str(p) for p in (persons or [t.staff_pk])]
    for ind in Indicator.objects.filter(activity=activity, has_blank=True):
        for y in plan.years:
            data[f"t-target_{ind.pk}_{y}"] = "42"
    if activity.budget_source == Activity.Budget.LOCAL:
        for y in plan.years:
            data[f"t-budget_{y}"] = "1000"
    return data


def activity_done(_w: World, t: Tenant) -> None:
    activity = Activity.objects.get(pk=t.activity_pk)
    assert activity.text_ky == "MATRIX-EDITED"
    values = set(
        IndicatorTarget.objects.filter(indicator__activity=activity).values_list("value", flat=True)
    )
    assert values == {Decimal("42")}


def activity_add_data(_w: World, t: Tenant, goal_pk=None) -> dict:
    return {
        "goal": str(goal_pk or t.goal_pk),
        "text_ky": "MATRIX-NEW",
        "text_ru": "MATRIX-NEW",
        "deadline_text_ky": "ар чейрек",
        "deadline_text_ru": "ежеквартально",
        "rule": "quarterly",
        "budget_source": "none",
        "responsible_roles": ["staff"],
        "responsible_persons": [str(t.staff_pk)],
    }


def activity_add_done(_w: World, t: Tenant) -> None:
    assert Activity.objects.filter(plan_id=t.plan_pk, text_ky="MATRIX-NEW").exists()


def evidence_data(_w: World, t: Tenant) -> dict:
    return {
        "e-outcome": "done",
        "e-happened_on": t.happened_on.isoformat(),
        "e-text": "MATRIX-EVIDENCE",
    }


def evidence_done(_w: World, t: Tenant) -> None:
    assert Evidence.objects.filter(occurrence_id=t.occ_pk, text="MATRIX-EVIDENCE").exists()


# --- extra checks on successful reads -----------------------------------------------------------


def no_internal_links(response, who: Who, t: Tenant | None) -> None:
    """A public page seen without internal access links to no internal page."""
    if V in who.perms or t is None:
        return
    body = response.content.decode()
    for internal in ("dashboard/", "schedule/", "plan/history/"):
        assert f"/{t.slug}/{internal}" not in body, internal
    for form in re.findall(r"<form[^>]*method=\"post\"[^>]*>", body):
        assert re.search(r'action="/(language|accounts/logout)/"', form), form


def home_check(response, who: Who, t: Tenant | None) -> None:
    if who.state == "draft" and V not in who.perms:
        templates = [template for template, _ctx in response.context["blocks"]]
        assert "plans/_home_block.html" not in templates  # no draft plan shown
    no_internal_links(response, who, t)


def api_plan_check(response, who: Who, t: Tenant | None) -> None:
    assert response.json()["status"] == who.state


def api_occurrences_check(response, who: Who, t: Tenant | None) -> None:
    ids = {o["id"] for o in response.json()}
    assert ids, "empty schedule"
    assert ids <= t.occurrence_pks, "occurrences of another municipality"


def file_check(response, who: Who, t: Tenant | None) -> None:
    assert b"".join(response.streaming_content) == f"%PDF-1.4 {t.tag}".encode()


def export_check(response, who: Who, t: Tenant | None) -> None:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


# --- the matrix -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    key: str  # short label for the test id
    route: str  # the URL pattern (converters dropped), as the resolver shows it
    method: str
    rule: Callable[[Who], str]
    url: Callable[[World, Tenant | None], str]
    state: str = "approved"
    per_municipality: bool = True
    data: Callable[[World, Tenant], dict] | None = None
    done: Callable[[World, Tenant], None] | None = None
    check: Callable | None = None
    needs_files: bool = False


def u(path: str) -> Callable[[World, Tenant | None], str]:
    return lambda w, t: f"/{t.slug}/{path}"


def activity_url(w: World, t: Tenant) -> str:
    return f"/{t.slug}/plan/activities/{t.activity_code}/"


def occurrence_url(w: World, t: Tenant) -> str:
    return f"/{t.slug}/schedule/{t.occ_pk}/"


API = "/api/v1"

MATRIX: list[Row] = [
    # municipality pages
    Row("home", "<slug>/", "GET", public, u(""), check=home_check),
    Row("home", "<slug>/", "GET", public, u(""), state="draft", check=home_check),
    Row("dashboard", "<slug>/dashboard/", "GET", needs(V), u("dashboard/")),
    Row("plan", "<slug>/plan/", "GET", public_if_approved, u("plan/"), check=no_internal_links),
    Row("plan", "<slug>/plan/", "GET", public_if_approved, u("plan/"), state="draft"),
    Row("adopt", "<slug>/plan/adopt/", "GET", post_only, u("plan/adopt/")),
    Row("adopt", "<slug>/plan/adopt/", "POST", needs(E, DONE), u("plan/adopt/"),
        data=adopt_data, done=adopt_done),
    Row("approve", "<slug>/plan/approve/", "GET", post_only, u("plan/approve/"), state="draft"),
    Row("approve", "<slug>/plan/approve/", "POST", needs(AP, DONE), u("plan/approve/"),
        state="draft", data=plan_data, done=approved_done),
    Row("reopen", "<slug>/plan/reopen/", "GET", post_only, u("plan/reopen/")),
    Row("reopen", "<slug>/plan/reopen/", "POST", needs(AP, DONE), u("plan/reopen/"),
        data=plan_data, done=reopened_done),
    Row("history", "<slug>/plan/history/", "GET", needs(V), u("plan/history/")),
    Row("export", "<slug>/plan/export.<fmt>", "GET", public_if_approved,
        u("plan/export.xlsx"), check=export_check),
    Row("export", "<slug>/plan/export.<fmt>", "GET", public_if_approved,
        u("plan/export.xlsx"), state="draft"),
    Row("activity_add", "<slug>/plan/activities/add/", "GET", needs(E),
        u("plan/activities/add/"), state="draft"),
    Row("activity_add", "<slug>/plan/activities/add/", "POST", needs(E, DONE),
        u("plan/activities/add/"), state="draft", data=activity_add_data, done=activity_add_done),
    Row("activity_add", "<slug>/plan/activities/add/", "GET", locked_when_approved,
        u("plan/activities/add/")),
    Row("activity_add", "<slug>/plan/activities/add/", "POST", locked_when_approved,
        u("plan/activities/add/"), data=activity_add_data),
    Row("activity", "<slug>/plan/activities/<code>/", "GET", public_if_approved, activity_url,
        check=no_internal_links),
    Row("activity", "<slug>/plan/activities/<code>/", "GET", public_if_approved, activity_url,
        state="draft"),
    Row("activity", "<slug>/plan/activities/<code>/", "POST", activity_post_rule, activity_url,
        data=activity_data, done=activity_done),
    Row("activity", "<slug>/plan/activities/<code>/", "POST", activity_post_rule, activity_url,
        state="draft", data=activity_data, done=activity_done),
    Row("schedule", "<slug>/schedule/", "GET", needs(V), u("schedule/")),
    Row("occurrence", "<slug>/schedule/<pk>/", "GET", needs(V), occurrence_url),
    Row("occurrence", "<slug>/schedule/<pk>/", "POST", evidence_post_rule, occurrence_url,
        data=evidence_data, done=evidence_done),
    Row("occurrence_file", "<slug>/schedule/<pk>/", "GET", needs(V),
        lambda w, t: f"/{t.slug}/schedule/{t.occ_pk}/?file={{file}}", needs_files=True,
        check=file_check),
    Row("calendar", "<slug>/calendar.ics", "GET", feed_rule, u("calendar.ics")),
    Row("calendar", "<slug>/calendar.ics", "GET", feed_rule, u("calendar.ics"), state="draft"),
    # the read-only API
    Row("api_plan", "api/v1/municipalities/<slug>/plan/", "GET", public_if_approved,
        lambda w, t: f"{API}/municipalities/{t.slug}/plan/", check=api_plan_check),
    Row("api_plan", "api/v1/municipalities/<slug>/plan/", "GET", public_if_approved,
        lambda w, t: f"{API}/municipalities/{t.slug}/plan/", state="draft",
        check=api_plan_check),
    Row("api_occurrences", "api/v1/municipalities/<slug>/occurrences/", "GET",
        public_if_approved, lambda w, t: f"{API}/municipalities/{t.slug}/occurrences/",
        check=api_occurrences_check),
    Row("api_occurrences", "api/v1/municipalities/<slug>/occurrences/", "GET",
        public_if_approved, lambda w, t: f"{API}/municipalities/{t.slug}/occurrences/",
        state="draft", check=api_occurrences_check),
    Row("api_municipalities", "api/v1/municipalities/", "GET", public,
        lambda w, t: f"{API}/municipalities/", per_municipality=False),
    Row("api_openapi", "api/v1/openapi.json", "GET", public,
        lambda w, t: f"{API}/openapi.json", per_municipality=False),
    Row("api_docs", "api/v1/docs", "GET", public, lambda w, t: f"{API}/docs",
        per_municipality=False),
    Row("api_root", "api/v1/", "GET", any_public, lambda w, t: f"{API}/",
        per_municipality=False),
    # platform pages
    Row("national_home", "", "GET", public, lambda w, t: "/", per_municipality=False),
    Row("jobs", "jobs/", "GET", jobs_rule, lambda w, t: "/jobs/", per_municipality=False),
    # the feed is addressed by its secret token, not by the session: same for every visitor
    Row("person_calendar", "calendar/<token>.ics", "GET", public,
        lambda w, t: f"/calendar/{w.users['deputy_a'].calendar_token}.ics",
        per_municipality=False),
]  # fmt: skip


def _collect_feature_rows() -> None:
    """Feature apps add their rows in `<app>/tests/access_rows.py`: `rows(matrix) -> [Row]`
    (and optionally `fingerprint() -> tuple` for what their refused writes could touch)."""
    import importlib
    import sys

    from django.apps import apps

    this = sys.modules[__name__]
    for config in apps.get_app_configs():
        if not config.name.startswith("jamaat."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.access_rows")
        except ModuleNotFoundError as exc:
            if (
                exc.name != f"{config.name}.tests.access_rows"
                and exc.name != f"{config.name}.tests"
            ):
                raise
            continue
        MATRIX.extend(module.rows(this))
        if hasattr(module, "fingerprint"):
            EXTRA_FINGERPRINTS.append(module.fingerprint)


_collect_feature_rows()


def _cells():
    for row in MATRIX:
        for tag in ("A", "B") if row.per_municipality else (None,):
            for role in ROLES:
                where = f"{tag}:{row.state}" if tag else "-"
                yield pytest.param(row, tag, role, id=f"{row.method}:{row.key}:{where}:{role}")


CELLS = list(_cells())


def _client(world: World, role: str, **kw) -> Client:
    client = Client(**kw)
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def _assert_outcome(response, expected: str, label: str) -> None:
    status = response.status_code
    login = reverse("login")
    location = response.get("Location", "")
    if expected == OK:
        assert status == 200, f"{label}: expected 200, got {status} {location}"
    elif expected == DONE:
        assert status == 302, f"{label}: expected a redirect after the write, got {status}"
        assert not location.startswith(login), f"{label}: sent to login"
    elif expected == LOGIN:
        assert status == 302, f"{label}: expected login redirect, got {status}"
        assert location.startswith(f"{login}?next="), f"{label}: redirected to {location}"
    elif expected == DENIED:
        assert status == 403, f"{label}: expected 403, got {status} {location}"
    elif expected == HIDDEN:
        assert status == 404, f"{label}: expected 404, got {status} {location}"
    elif expected == NOT_ALLOWED:
        assert status == 405, f"{label}: expected 405, got {status}"
    elif expected == ANY_PUBLIC:
        assert status in (200, 301, 302, 404), f"{label}: got {status}"
        assert not location.startswith(login), f"{label}: a public URL asks to log in"
    else:  # pragma: no cover
        raise AssertionError(expected)


@pytest.mark.parametrize(("row", "tag", "role"), CELLS)
def test_access_matrix(world, db, request, row: Row, tag: str | None, role: str):
    t = world.t(tag) if tag else None
    if t is not None:
        set_state(t, row.state)
    who = Who(role=role, perms=perms_for(role, tag), state=row.state)
    expected = row.rule(who)
    url = row.url(world, t)
    if row.needs_files:
        url = url.format(file=request.getfixturevalue("files")[tag].pk)
    client = _client(world, role)
    label = f"{role} {row.method} {url} ({row.state})"

    before = fingerprint() if row.method == "POST" else None
    response = client.post(url, row.data(world, t)) if row.data else client.get(url)
    _assert_outcome(response, expected, label)

    if row.method == "POST":
        if expected == DONE:
            row.done(world, t)
        else:
            assert fingerprint() == before, f"{label}: refused, yet the database changed"
    elif expected == OK and row.check:
        row.check(response, who, t)


# --- the matrix checks itself -----------------------------------------------------------------

SKIPPED_PREFIXES = ("admin/", "static/", "media/", "^media/", "accounts/", "language/", "healthz")


def _normalise(route: str) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", route)


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.callback


def _routes() -> dict[str, Callable]:
    return {
        _normalise(route): callback
        for route, callback in _walk(get_resolver().url_patterns)
        if not route.startswith(SKIPPED_PREFIXES)
    }


def test_every_url_pattern_has_a_matrix_row():
    routes = _routes()
    assert any(r.startswith("<slug>/") for r in routes)
    assert any(r.startswith("api/v1/") for r in routes)
    in_matrix = {row.route for row in MATRIX}
    missing = sorted(set(routes) - in_matrix)
    assert not missing, f"URL patterns without a row in the access matrix: {missing}"
    stale = sorted(in_matrix - set(routes))
    assert not stale, f"matrix rows for URL patterns that no longer exist: {stale}"


def _mentions_post(code) -> bool:
    return (
        "POST" in code.co_names
        or "POST" in code.co_consts
        or any(_mentions_post(c) for c in code.co_consts if inspect.iscode(c))
    )


def _handles_post(callback) -> bool:
    """True when the view (or a decorator around it, e.g. `require_POST`) deals with POST.

    Looks at the compiled code, not the source file, so it cannot be fooled by a file edited
    after import.
    """
    f = callback
    while f is not None:
        code = getattr(f, "__code__", None)
        if code is not None and _mentions_post(code):
            return True
        for cell in getattr(f, "__closure__", None) or ():
            try:
                value = cell.cell_contents
            except ValueError:
                continue
            if isinstance(value, list | tuple | set | frozenset) and "POST" in value:
                return True
        f = getattr(f, "__wrapped__", None)
    return False


def test_every_view_that_reads_post_has_post_rows():
    """A view whose code handles POST must have POST cells (and GET cells, as every route)."""
    routes = _routes()
    methods: dict[str, set[str]] = {}
    for row in MATRIX:
        methods.setdefault(row.route, set()).add(row.method)
    handling = set()
    for route, callback in routes.items():
        assert "GET" in methods.get(route, set()), route
        if route.startswith("api/v1/"):
            continue  # ninja views: see test_api_is_read_only
        if _handles_post(callback):
            handling.add(route)
            assert "POST" in methods[route], f"{route} handles POST but has no POST row"
    # the detector itself works: it finds the known write views
    assert {
        "<slug>/plan/adopt/",
        "<slug>/plan/approve/",
        "<slug>/plan/reopen/",
        "<slug>/plan/activities/add/",
        "<slug>/plan/activities/<code>/",
        "<slug>/schedule/<pk>/",
    } <= handling


API_DOCUMENT_ROUTES = {"api/v1/", "api/v1/docs", "api/v1/openapi.json"}


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_api_is_read_only(world, db, method):
    """Every API route refuses writes, even to a platform admin (routes found by the resolver).

    The documentation views (schema, docs page, root) answer any method with the same static
    document; they must still change nothing.
    """
    client = _client(world, "admin")
    before = fingerprint()
    api_routes = [r for r in _routes() if r.startswith("api/v1/")]
    assert set(api_routes) - API_DOCUMENT_ROUTES
    for route in api_routes:
        url = "/" + route.replace("<slug>", world.t("A").slug)
        response = getattr(client, method)(url)
        if route in API_DOCUMENT_ROUTES:
            assert response.status_code < 500, f"{method.upper()} {url}"
        else:
            assert response.status_code in (404, 405), f"{method.upper()} {url}"
    assert fingerprint() == before


def test_role_perms_match_the_policy():
    """The plan permissions of each role are exactly the policy this matrix tests.

    Other permissions (e.g. `manage_content` of feature apps) are outside this matrix.
    """
    assert PLAN_PERMS & ROLE_PERMS[Role.HEAD] == ALL
    assert PLAN_PERMS & ROLE_PERMS[Role.STAFF] == EXPECTED_PERMS["staff_a"]["A"]
    assert PLAN_PERMS & ROLE_PERMS[Role.COUNCIL_CHAIR] == EXPECTED_PERMS["council_chair_a"]["A"]
    assert PLAN_PERMS & ROLE_PERMS[Role.DEPUTY] == EXPECTED_PERMS["deputy_a"]["A"]
    assert set(Role.values) == {"head", "staff", "council_chair", "deputy"}
    # the Agency reads everything and writes nothing, of any kind
    assert set(AGENCY_PERMS) == {V}


def test_matrix_users_hold_exactly_the_expected_perms(world, db):
    from jamaat.core.access import perms_of
    from jamaat.core.models import User

    for role in ROLES:
        if role == "anonymous":
            continue
        for tag in ("A", "B"):
            user = User.objects.get(pk=world.users[role].pk)  # fresh: perms_of caches roles
            held = perms_of(user, world.t(tag).municipality)
            assert held & PLAN_PERMS == perms_for(role, tag), (role, tag)
            if not perms_for(role, tag):
                assert held == NONE, (role, tag)  # no permission of any kind elsewhere


# --- cross-tenant id tricks -------------------------------------------------------------------


def test_occurrence_of_b_through_a_url_is_404(world, db):
    a, b = world.t("A"), world.t("B")
    for role in ("staff_a", "admin"):
        client = _client(world, role)
        assert client.get(f"/{a.slug}/schedule/{b.occ_pk}/").status_code == 404, role
        before = fingerprint()
        response = client.post(f"/{a.slug}/schedule/{b.occ_pk}/", evidence_data(world, b))
        assert response.status_code == 404, role
        assert fingerprint() == before


@pytest.mark.parametrize("action", ["approve", "reopen"])
def test_plan_of_b_posted_to_a_is_404(world, db, action):
    a, b = world.t("A"), world.t("B")
    state = "draft" if action == "approve" else "approved"
    set_state(b, state)
    before = fingerprint()
    for role in ("head_a", "admin"):
        client = _client(world, role)
        response = client.post(f"/{a.slug}/plan/{action}/", {"plan": str(b.plan_pk)})
        assert response.status_code == 404, role
    assert fingerprint() == before
    assert Plan.objects.get(pk=b.plan_pk).status == state


def test_evidence_file_of_b_through_a_occurrence_is_404(world, files):
    a = world.t("A")
    for role in ("staff_a", "admin"):
        client = _client(world, role)
        url = f"/{a.slug}/schedule/{a.occ_pk}/?file={files['B'].pk}"
        assert client.get(url).status_code == 404, role
        # its own file, for contrast
        ok = client.get(f"/{a.slug}/schedule/{a.occ_pk}/?file={files['A'].pk}")
        assert ok.status_code == 200


def test_evidence_file_of_another_occurrence_of_a_is_404(world, files):
    a = world.t("A")
    other = Occurrence.objects.filter(municipality=a.municipality).exclude(pk=a.occ_pk).first()
    client = _client(world, "staff_a")
    url = f"/{a.slug}/schedule/{other.pk}/?file={files['A'].pk}"
    assert client.get(url).status_code == 404


def test_persons_and_goals_of_b_cannot_be_attached_in_a(world, db):
    a, b = world.t("A"), world.t("B")
    set_state(a, "draft")  # an approved plan refuses every change anyway
    client = _client(world, "staff_a")
    before = fingerprint()
    response = client.post(
        f"/{a.slug}/plan/activities/{a.activity_code}/",
        activity_data(world, a, persons=[b.staff_pk]),
    )
    assert response.status_code == 200  # the form again, with an error
    response = client.post(
        f"/{a.slug}/plan/activities/add/", activity_add_data(world, a, goal_pk=b.goal_pk)
    )
    assert response.status_code == 200
    assert fingerprint() == before


def test_api_draft_of_b_is_404_for_a_insiders(world, db):
    b = world.t("B")
    set_state(b, "draft")
    for role in ("head_a", "staff_a", "council_chair_a", "deputy_a", "outsider", "anonymous"):
        client = _client(world, role)
        for path in ("plan/", "occurrences/"):
            response = client.get(f"{API}/municipalities/{b.slug}/{path}")
            assert response.status_code == 404, (role, path)
            assert "draft" not in response.content.decode(), (role, path)


# --- CSRF -------------------------------------------------------------------------------------


def test_approve_without_csrf_token_is_403(world, db):
    a = world.t("A")
    set_state(a, "draft")
    client = _client(world, "head_a", enforce_csrf_checks=True)
    before = fingerprint()
    response = client.post(f"/{a.slug}/plan/approve/", {"plan": str(a.plan_pk)})
    assert response.status_code == 403
    assert fingerprint() == before
    # with the token the same request goes through: the 403 above was the CSRF check
    client.get(f"/{a.slug}/plan/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        f"/{a.slug}/plan/approve/", {"plan": str(a.plan_pk), "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert Plan.objects.get(pk=a.plan_pk).status == Plan.Status.APPROVED


@pytest.mark.parametrize(
    ("role", "path", "data"),
    [
        ("staff_a", "plan/activities/add/", activity_add_data),
        ("staff_a", "plan/adopt/", adopt_data),
        ("council_chair_a", "schedule/{occ}/", evidence_data),
    ],
)
def test_other_writes_without_csrf_token_are_403(world, db, role, path, data):
    a = world.t("A")
    client = _client(world, role, enforce_csrf_checks=True)
    before = fingerprint()
    response = client.post(f"/{a.slug}/" + path.format(occ=a.occ_pk), data(world, a))
    assert response.status_code == 403
    assert fingerprint() == before


# --- the person calendar feed -----------------------------------------------------------------

UID = re.compile(r"UID:occurrence-(\d+)@jamaat")


def _feed_ids(client, user) -> set[int]:
    response = client.get(f"/calendar/{user.calendar_token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return {int(x) for x in UID.findall(response.content.decode())}


def _expected_feed(user) -> set[int]:
    since = timezone.localdate() - timedelta(days=366)
    return set(
        Occurrence.objects.filter(activity__responsible_persons=user, due__gte=since).values_list(
            "pk", flat=True
        )
    )


def test_person_feed_shows_only_that_persons_occurrences(world, db):
    client = Client()  # calendar apps fetch the feed without a session
    deputy, staff_a, staff_b = (world.users[k] for k in ("deputy_a", "staff_a", "staff_b"))

    deputy_ids = _feed_ids(client, deputy)
    own = set(
        Occurrence.objects.filter(activity_id=world.deputy_activity_pk).values_list("pk", flat=True)
    )
    assert deputy_ids
    assert deputy_ids == _expected_feed(deputy)
    assert deputy_ids <= own  # nothing of the activities others are responsible for

    staff_a_ids = _feed_ids(client, staff_a)
    staff_b_ids = _feed_ids(client, staff_b)
    assert staff_a_ids == _expected_feed(staff_a)
    assert staff_b_ids == _expected_feed(staff_b)
    assert staff_a_ids <= world.t("A").occurrence_pks
    assert staff_b_ids <= world.t("B").occurrence_pks
    # people responsible for nothing get an empty calendar, not someone else's
    for role in ("head_a", "agency", "admin", "outsider"):
        assert _feed_ids(client, world.users[role]) == set(), role


def test_person_feed_token_is_the_only_key(world, db):
    client = _client(world, "admin")  # a session does not open someone else's feed
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    assert client.get("/calendar/.ics").status_code == 404
    deputy = world.users["deputy_a"]
    deputy.__class__.objects.filter(pk=deputy.pk).update(is_active=False)
    assert client.get(f"/calendar/{deputy.calendar_token}.ics").status_code == 404


# --- private evidence files through the public media view -------------------------------------


def test_evidence_file_not_served_as_public_media(world, files):
    name = files["A"].file.name
    assert name.startswith("evidence/")
    assert Client().get(f"/media/{name}").status_code == 404


@pytest.mark.parametrize("trick", ["/", "./", "%2e/", "./././"])
def test_evidence_file_not_served_through_path_tricks(world, files, trick):
    name = files["A"].file.name
    response = Client().get(f"/media/{trick}{name}")
    assert response.status_code == 404


def test_membership_fixture_sanity(world, db):
    """The world matches conftest's cast: one membership per role per municipality."""
    assert Membership.objects.count() == 2 * len(Role.values)
    assert not world.users["outsider"].memberships.exists()

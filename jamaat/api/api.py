"""The public read-only JSON API, mounted at `/api/v1/` (OpenAPI at `/api/v1/openapi.json`).

Approved plans are public. Drafts are visible only to users holding `Perm.VIEW_INTERNAL` in the
municipality; to everyone else a draft looks exactly like a missing plan (404). All access
decisions go through `jamaat.core.access`. Queries are constant per request: the plan and its
schedule are fetched with `prefetch_related` / `select_related`, never per row.
"""

import re
from datetime import date

from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI, Query
from ninja.errors import HttpError, ValidationError

from jamaat.api.common import municipality_or_404, set_cache
from jamaat.api.schemas import (
    ErrorOut,
    MunicipalityOut,
    OccurrenceOut,
    ParameterErrorOut,
    PlanOut,
)
from jamaat.core.access import Perm, has_perm
from jamaat.municipalities.models import Municipality
from jamaat.plans.models import Activity, Indicator, Occurrence, Plan

api = NinjaAPI(
    title="Jamaat API",
    version="1",
    description=(
        "Read-only public data of municipalities and their approved plans: the plan "
        "(goals, activities, indicators, targets per year) and its dated schedule.\n\n"
        "No login is needed for public data. Browser users logged in to Jamaat (session cookie) "
        "also see their municipality's draft plan. Public responses are cacheable for 5 minutes "
        "(`Cache-Control: public, max-age=300`); responses for logged-in users are `private`.\n\n"
        'Errors are JSON: `{"detail": "..."}` (404), and for a bad query parameter '
        '`{"detail": "...", "parameter": "<name>"}` (400).'
    ),
    urls_namespace="api",
)

MUNICIPALITY_FIELDS = list(MunicipalityOut.model_fields)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class BadParameter(Exception):
    def __init__(self, parameter: str, detail: str):
        super().__init__(detail)
        self.parameter = parameter
        self.detail = detail


@api.exception_handler(BadParameter)
def _bad_parameter(request: HttpRequest, exc: BadParameter) -> HttpResponse:
    return api.create_response(
        request, {"detail": exc.detail, "parameter": exc.parameter}, status=400
    )


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Never leak ninja's 422: report the first offending parameter as a 400."""
    error = exc.errors[0] if exc.errors else {}
    loc = [str(part) for part in error.get("loc", ())]
    parameter = loc[-1] if loc else ""
    detail = f"Invalid value in parameter '{parameter}': {error.get('msg', 'invalid')}"
    return api.create_response(request, {"detail": detail, "parameter": parameter}, status=400)


_set_cache = set_cache
_municipality = municipality_or_404


def _visible_plan(request: HttpRequest, municipality: Municipality) -> Plan:
    """The municipality's current plan as this user may see it, or 404.

    Anyone sees approved plans; drafts only with `Perm.VIEW_INTERNAL` there. Among the visible
    plans: the one covering the current year (approved before draft), else the latest.
    """
    plans = Plan.objects.for_municipality(municipality)
    if not has_perm(request.user, municipality, Perm.VIEW_INTERNAL):
        plans = plans.approved()
    candidates = list(plans.order_by("-start_year"))
    year = timezone.localdate().year
    current = [p for p in candidates if p.start_year <= year <= p.end_year]
    current.sort(key=lambda p: not p.is_approved)  # stable: approved first, then latest
    plan = (current or candidates or [None])[0]
    if plan is None:
        raise HttpError(404, f"No plan of '{municipality.slug}' is available.")
    return plan


def _parse_date(parameter: str, value: str | None) -> date | None:
    if value is None or value == "":
        return None
    try:
        if not _ISO_DATE.fullmatch(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise BadParameter(
            parameter, f"Invalid date in parameter '{parameter}': expected YYYY-MM-DD"
        ) from None


def _number(value) -> float | None:
    return None if value is None else float(value)


# ----------------------------------------------------------------------------------------------


@api.get(
    "/municipalities/",
    response=list[MunicipalityOut],
    tags=["municipalities"],
    summary="List municipalities",
    description="Every municipality on the platform with its names (ky/ru/en), oblast, district "
    "and population. Ordered by oblast, then name (Kyrgyz).",
    operation_id="list_municipalities",
)
def list_municipalities(request: HttpRequest, response: HttpResponse):
    _set_cache(request, response)
    return list(Municipality.objects.values(*MUNICIPALITY_FIELDS))


@api.get(
    "/municipalities/{slug}/plan/",
    response={200: PlanOut, 404: ErrorOut},
    tags=["plans"],
    summary="Plan of a municipality",
    description=(
        "The municipality's current plan: goals, activities (code, texts, deadline, schedule "
        "rule, budget source, responsible roles), indicators and targets per year.\n\n"
        "Targets are given twice for easy reading: per indicator (`indicators[].targets`, "
        "year → value) and per activity (`targets`, year → indicator key → value). Years are "
        "strings; a target not set is `null`.\n\n"
        "Only an approved plan is public. A draft is returned only to users with internal "
        "access to the municipality; for everyone else it is a 404, as if there were no plan."
    ),
    operation_id="get_plan",
)
def get_plan(request: HttpRequest, response: HttpResponse, slug: str):
    municipality = _municipality(slug)
    plan = _visible_plan(request, municipality)
    indicators = Indicator.objects.order_by("order").prefetch_related("targets")
    activities = Activity.objects.ordered().prefetch_related(
        Prefetch("indicators", queryset=indicators)
    )
    prefetch_related_objects([plan], "goals", Prefetch("activities", queryset=activities))
    _set_cache(request, response)
    goals = list(plan.goals.all())
    goal_numbers = {g.pk: g.number for g in goals}
    return {
        "status": plan.status,
        "start_year": plan.start_year,
        "end_year": plan.end_year,
        "period": f"{plan.start_year}–{plan.end_year}",
        "template_version": plan.template_version,
        "approved_at": plan.approved_at,
        "goals": [
            {"number": g.number, "title_ky": g.title_ky, "title_ru": g.title_ru} for g in goals
        ],
        "activities": [_activity(a, goal_numbers, plan.years) for a in plan.activities.all()],
    }


def _activity(activity: Activity, goal_numbers: dict[int, int], years: list[int]) -> dict:
    indicators = []
    per_year: dict[str, dict[str, float | None]] = {str(y): {} for y in years}
    for ind in activity.indicators.all():
        targets = {str(y): _number(ind.target_for(y)) for y in years}
        for year, value in targets.items():
            per_year[year][ind.key] = value
        indicators.append(
            {
                "key": ind.key,
                "text_ky": ind.text_ky,
                "text_ru": ind.text_ru,
                "unit": ind.unit,
                "targets": targets,
            }
        )
    return {
        "code": activity.code,
        "goal": goal_numbers[activity.goal_id],
        "title_ky": activity.text_ky,
        "title_ru": activity.text_ru,
        "title_en": activity.text_en,
        "deadline_text_ky": activity.deadline_text_ky,
        "deadline_text_ru": activity.deadline_text_ru,
        "rule": activity.rule,
        "rule_params": activity.rule_params or {},
        "budget_source": activity.budget_source,
        "responsible_roles": list(activity.responsible_roles or []),
        "indicators": indicators,
        "targets": per_year,
    }


@api.get(
    "/municipalities/{slug}/occurrences/",
    response={200: list[OccurrenceOut], 400: ParameterErrorOut, 404: ErrorOut},
    tags=["plans"],
    summary="Schedule of a municipality's plan",
    description=(
        "The dated occurrences of every activity of the current plan (the same plan as "
        "`/plan/`, with the same visibility rules), ordered by due date, then plan order.\n\n"
        "`from` and `to` (YYYY-MM-DD, inclusive, on the due date) are optional; without them "
        "the whole plan period is returned. A malformed date or `from` after `to` is a 400 "
        "naming the parameter.\n\n"
        "`status` is the stored status (planned, done, not_done); `overdue` is true when an "
        "occurrence is still planned after its due date."
    ),
    operation_id="list_occurrences",
)
def list_occurrences(
    request: HttpRequest,
    response: HttpResponse,
    slug: str,
    date_from: str | None = Query(
        None,
        alias="from",
        description="First due date to include, YYYY-MM-DD (default: start of the plan).",
        examples=["2025-01-01"],
    ),
    date_to: str | None = Query(
        None,
        alias="to",
        description="Last due date to include, YYYY-MM-DD (default: end of the plan).",
        examples=["2025-12-31"],
    ),
):
    start = _parse_date("from", date_from)
    end = _parse_date("to", date_to)
    if start and end and start > end:
        raise BadParameter("from", "Parameter 'from' must not be after 'to'.")
    municipality = _municipality(slug)
    plan = _visible_plan(request, municipality)
    occurrences = (
        Occurrence.objects.for_municipality(municipality)
        .filter(activity__plan=plan)
        .select_related("activity")
        .only("id", "due", "window_start", "window_end", "status", "activity__code")
        .order_by("due", "activity__order", "pk")
    )
    if start:
        occurrences = occurrences.filter(due__gte=start)
    if end:
        occurrences = occurrences.filter(due__lte=end)
    _set_cache(request, response)
    today = timezone.localdate()
    return [
        {
            "id": o.pk,
            "activity": o.activity.code,
            "due": o.due,
            "window_start": o.window_start,
            "window_end": o.window_end,
            "status": o.status,
            "overdue": o.is_overdue(today),
        }
        for o in occurrences
    ]


# Feature apps' routers (each app's api.py); the plan engine's endpoints are above.
def _mount_feature_routers() -> None:
    import importlib

    from django.apps import apps

    for config in apps.get_app_configs():
        if not config.name.startswith("jamaat.") or config.name == "jamaat.api":
            continue
        try:
            module = importlib.import_module(f"{config.name}.api")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.api":
                raise
            continue
        api.add_router("", module.router)


_mount_feature_routers()

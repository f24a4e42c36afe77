"""Writes that span several rows or have side effects: adopting, editing, approving, evidence."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jamaat.core import audit
from jamaat.core.uploads import CleanFile
from jamaat.plans import template_data
from jamaat.plans.models import (
    Activity,
    ActivityBudget,
    Evidence,
    EvidenceFile,
    Goal,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Occurrence,
    Plan,
)

ACTIVITY_AUDIT_FIELDS = [
    "text_ky", "text_ru", "deadline_text_ky", "deadline_text_ru", "rule", "budget_source",
    "expected_ky", "expected_ru", "note_ky", "note_ru",
]  # fmt: skip


class PlanIncomplete(ValidationError):
    def __init__(self, missing):
        self.missing = missing
        super().__init__(_("Fill every blank before approving."), code="incomplete")


@transaction.atomic
def adopt_plan(municipality, actor, start_year: int | None = None, end_year: int | None = None):
    """Copy the model plan into a draft plan for this municipality and generate its schedule."""
    start_year = start_year or template_data.PERIOD[0]
    end_year = end_year or template_data.PERIOD[1]
    if end_year < start_year or end_year - start_year > 10:
        raise ValidationError(_("The period must be 1 to 10 years, first year first."))
    if Plan.objects.filter(municipality=municipality, start_year=start_year).exists():
        raise ValidationError(_("A plan for this period already exists."))
    plan = Plan.objects.create(
        municipality=municipality,
        template_version=template_data.TEMPLATE_VERSION,
        start_year=start_year,
        end_year=end_year,
    )
    order = 0
    for g in template_data.GOALS:
        goal = Goal.objects.create(
            plan=plan, number=g["number"], **_langs("title", g["title"], ("ky", "ru", "en"))
        )
        for a in g["activities"]:
            order += 10
            activity = Activity.objects.create(
                municipality=municipality,
                plan=plan,
                goal=goal,
                code=a["code"],
                order=order,
                rule=a["rule"],
                rule_params=a.get("rule_params") or {},
                responsible_roles=list(a["responsible_roles"]),
                budget_source=a["budget_source"],
                **_langs("text", a["text"], ("ky", "ru", "en")),
                **_langs("deadline_text", a["deadline_text"], ("ky", "ru", "en")),
                **_langs("expected", a["expected_results"], ("ky", "ru", "en")),
                **_langs("note", a.get("note") or {}, ("ky", "ru")),
            )
            for i, ind in enumerate(a["indicators"]):
                Indicator.objects.create(
                    activity=activity,
                    key=ind["key"],
                    order=i,
                    unit=ind["unit"],
                    has_blank=ind["has_blank"],
                    fixed_target=ind.get("fixed_target"),
                    **_langs("text", ind["text"], ("ky", "ru", "en")),
                )
    sync_occurrences(plan)
    audit.record(actor, municipality, plan, "adopt", {"period": ["", f"{start_year}–{end_year}"]})
    return plan


def _langs(field: str, values: dict, langs) -> dict:
    return {f"{field}_{lang}": values.get(lang, "") for lang in langs}


def sync_occurrences(plan: Plan) -> None:
    """Make the stored occurrences match every activity's rule; keep any with evidence."""
    activities = list(plan.activities.all())
    existing: dict[tuple[int, str], Occurrence] = {
        (o.activity_id, o.key): o
        for o in Occurrence.objects.filter(activity__plan=plan).annotate_evidence()
    }
    wanted = set()
    to_create = []
    for activity in activities:
        for slot in activity.slots():
            wanted.add((activity.pk, slot.key))
            occ = existing.get((activity.pk, slot.key))
            if occ is None:
                to_create.append(
                    Occurrence(
                        municipality_id=plan.municipality_id,
                        activity=activity,
                        key=slot.key,
                        due=slot.due,
                        window_start=slot.start,
                        window_end=slot.end,
                    )
                )
            elif occ.status == Occurrence.Status.PLANNED and (
                occ.due,
                occ.window_start,
                occ.window_end,
            ) != (slot.due, slot.start, slot.end):
                occ.due, occ.window_start, occ.window_end = slot.due, slot.start, slot.end
                occ.save(update_fields=["due", "window_start", "window_end"])
    Occurrence.objects.bulk_create(to_create, batch_size=500)
    stale = [o.pk for k, o in existing.items() if k not in wanted and not o.evidence_count]
    Occurrence.objects.filter(pk__in=stale).delete()
    for activity in activities:
        if activity.rule == "after_collection":
            _redate_followers(activity)


def _redate_followers(activity: Activity) -> None:
    """3.3 is due a set number of days after each 3.2 round actually closes."""
    after = (activity.rule_params or {}).get("after")
    days = int((activity.rule_params or {}).get("days_after", 30))
    if not after:
        return
    leaders = {
        o.key: o
        for o in Occurrence.objects.filter(activity__plan=activity.plan, activity__code=after)
    }
    for occ in activity.occurrences.filter(status=Occurrence.Status.PLANNED):
        leader = leaders.get(occ.key)
        if leader and leader.closed_on:
            due = leader.closed_on + timedelta(days=days)
            if due != occ.due:
                occ.due = due
                occ.window_start = leader.closed_on + timedelta(days=1)
                occ.window_end = due
                occ.save(update_fields=["due", "window_start", "window_end"])


@transaction.atomic
def update_activity(actor, activity: Activity, cleaned: dict, persons=None) -> None:
    # The form has already copied the new values onto `activity`: compare with the database.
    before = audit.snapshot(Activity.objects.get(pk=activity.pk), ACTIVITY_AUDIT_FIELDS)
    for field in ACTIVITY_AUDIT_FIELDS:
        if field in cleaned:
            setattr(activity, field, cleaned[field])
    activity.save()
    changes = audit.diff(before, audit.snapshot(activity, ACTIVITY_AUDIT_FIELDS))
    if persons is not None:
        old = sorted(str(u) for u in activity.responsible_persons.all())
        activity.responsible_persons.set(persons)
        new = sorted(str(u) for u in persons)
        if old != new:
            changes["responsible_persons"] = [", ".join(old), ", ".join(new)]
    audit.record(actor, activity.municipality, activity, "update", changes)
    if "rule" in changes:
        sync_occurrences(activity.plan)


@transaction.atomic
def set_targets(actor, indicator: Indicator, values: dict[int, Decimal | None]) -> None:
    changes = {}
    current = {t.year: t for t in indicator.targets.all()}
    for year, value in values.items():
        t = current.get(year)
        old = t.value if t else None
        if old == value:
            continue
        IndicatorTarget.objects.update_or_create(
            indicator=indicator, year=year, defaults={"value": value}
        )
        changes[f"target {year}"] = [audit._plain(old), audit._plain(value)]
    audit.record(actor, indicator.activity.municipality, indicator, "update", changes)


@transaction.atomic
def set_budgets(actor, activity: Activity, values: dict[int, Decimal | None]) -> None:
    changes = {}
    current = {b.year: b for b in activity.budgets.all()}
    for year, value in values.items():
        old = current[year].amount_kgs if year in current else None
        if old == value:
            continue
        if value is None:
            ActivityBudget.objects.filter(activity=activity, year=year).delete()
        else:
            ActivityBudget.objects.update_or_create(
                activity=activity, year=year, defaults={"amount_kgs": value}
            )
        changes[f"budget {year}, KGS"] = [audit._plain(old), audit._plain(value)]
    audit.record(actor, activity.municipality, activity, "update", changes)


@transaction.atomic
def add_activity(actor, plan: Plan, goal: Goal, cleaned: dict, persons=()) -> Activity:
    siblings = plan.activities.filter(goal=goal)
    numbers = [int(c.split(".")[1]) for c in siblings.values_list("code", flat=True) if "." in c]
    code = f"{goal.number}.{max(numbers, default=0) + 1}"
    last = plan.activities.filter(goal=goal).order_by("-order").first()
    activity = Activity.objects.create(
        municipality=plan.municipality,
        plan=plan,
        goal=goal,
        code=code,
        order=(last.order + 1) if last else goal.number * 1000,
        is_custom=True,
        responsible_roles=cleaned.pop("responsible_roles", []),
        **cleaned,
    )
    activity.responsible_persons.set(persons)
    audit.record(actor, plan.municipality, activity, "create", {"code": ["", code]})
    sync_occurrences(plan)
    return activity


@transaction.atomic
def approve_plan(actor, plan: Plan) -> None:
    missing = plan.missing_blanks()
    if missing:
        raise PlanIncomplete(missing)
    plan.status = Plan.Status.APPROVED
    plan.approved_by = actor
    plan.approved_at = timezone.now()
    plan.save(update_fields=["status", "approved_by", "approved_at"])
    audit.record(actor, plan.municipality, plan, "approve", {"status": ["draft", "approved"]})


@transaction.atomic
def reopen_plan(actor, plan: Plan) -> None:
    plan.status = Plan.Status.DRAFT
    plan.save(update_fields=["status"])
    audit.record(actor, plan.municipality, plan, "reopen", {"status": ["approved", "draft"]})


@dataclass
class EvidenceInput:
    outcome: str
    happened_on: date
    text: str = ""
    reason: str = ""
    links: list[str] | None = None
    files: list[CleanFile] | None = None
    values: dict | None = None  # Indicator -> Decimal
    source: str = "manual"


def check_evidence_date(occurrence: Occurrence, happened_on: date) -> None:
    plan = occurrence.activity.plan
    first, last = date(plan.start_year, 1, 1), date(plan.end_year + 1, 3, 31)
    if not first <= happened_on <= last:
        raise ValidationError(
            _("The date must fall within the plan period (%(first)s – %(last)s).")
            % {"first": first.strftime("%d.%m.%Y"), "last": last.strftime("%d.%m.%Y")},
            code="out_of_period",
        )
    if happened_on > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."), code="future")


@transaction.atomic
def record_evidence(actor, occurrence: Occurrence, data: EvidenceInput) -> Evidence:
    check_evidence_date(occurrence, data.happened_on)
    if data.outcome == Evidence.Outcome.NOT_DONE and not data.reason.strip():
        raise ValidationError(_("Say why it was not done."), code="reason_required")
    evidence = Evidence.objects.create(
        municipality_id=occurrence.municipality_id,
        occurrence=occurrence,
        outcome=data.outcome,
        happened_on=data.happened_on,
        text=data.text,
        reason=data.reason,
        links=list(data.links or []),
        source=data.source,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    for f in data.files or []:
        ef = EvidenceFile(
            municipality_id=occurrence.municipality_id,
            evidence=evidence,
            original_name=f.name,
            content_type=f.content_type,
            size=len(f.content),
        )
        ef.file.save(f.name, ContentFile(f.content), save=False)
        ef.save()
    for indicator, value in (data.values or {}).items():
        if value is not None:
            IndicatorValue.objects.create(
                municipality_id=occurrence.municipality_id,
                indicator=indicator,
                year=data.happened_on.year,
                value=value,
                evidence=evidence,
            )
    before = occurrence.status
    occurrence.status = data.outcome
    occurrence.closed_on = data.happened_on
    occurrence.save(update_fields=["status", "closed_on"])
    audit.record(
        actor,
        occurrence.municipality,
        occurrence,
        "evidence",
        {"status": [before, occurrence.status], "date": ["", data.happened_on.isoformat()]},
    )
    for follower in Activity.objects.filter(
        plan_id=occurrence.activity.plan_id, rule="after_collection"
    ):
        if (follower.rule_params or {}).get("after") == occurrence.activity.code:
            _redate_followers(follower)
    return evidence


def record_automatic_evidence(
    municipality, activity_code: str, on: date, text: str, source: str, links=()
) -> Evidence | None:
    """For feature apps: mark the occurrence of `activity_code` whose window holds `on` done.

    Idempotent per `source` (e.g. "news.post:12"): recording the same source twice does nothing.
    Returns None when the municipality has no plan covering that date.
    """
    plan = (
        Plan.objects.filter(
            municipality=municipality, start_year__lte=on.year, end_year__gte=on.year
        )
        .order_by("status")  # an approved plan before a draft
        .first()
    )
    if plan is None:
        return None
    occ = (
        Occurrence.objects.filter(
            activity__plan=plan, activity__code=activity_code, window_start__lte=on
        )
        .filter(window_end__gte=on)
        .first()
    ) or (
        Occurrence.objects.filter(activity__plan=plan, activity__code=activity_code, due__gte=on)
        .order_by("due")
        .first()
    )
    if occ is None:
        return None
    existing = Evidence.objects.filter(occurrence__activity__plan=plan, source=source).first()
    if existing:
        return existing
    return record_evidence(
        None,
        occ,
        EvidenceInput(Evidence.Outcome.DONE, on, text=text, links=list(links), source=source),
    )

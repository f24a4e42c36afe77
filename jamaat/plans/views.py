import calendar as pycalendar
from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jamaat.core.access import Perm, municipality_view, require
from jamaat.core.models import AuditEntry
from jamaat.plans import exports, progress, registry, services
from jamaat.plans.forms import (
    ActivityForm,
    AdoptForm,
    EvidenceForm,
    NewActivityForm,
    TargetsForm,
    month_param,
)
from jamaat.plans.models import Activity, EvidenceFile, Indicator, Occurrence, Plan


def _int(value) -> int:
    """A primary key from user input; anything else is simply not found."""
    if value is None or not str(value).isdigit():
        raise Http404
    return int(value)


def _plan_or_none(municipality):
    return Plan.objects.current_for(municipality)


def _visible_plan(request, municipality):
    """The plan this request may see: approved plans are public, drafts are internal."""
    plan = _plan_or_none(municipality)
    if plan and not plan.is_approved and Perm.VIEW_INTERNAL not in request.perms:
        return None
    return plan


def home_block(request, municipality):
    """The plan's public progress on the municipality's home page (registered in apps.py)."""
    plan = _visible_plan(request, municipality)
    if plan is None:
        return None
    year = timezone.localdate().year
    per_goal, _per_activity = progress.done_shares(plan, year)
    return {
        "plan": plan,
        "year": year,
        "goals": [(g, per_goal.get(g.pk)) for g in plan.goals.all()],
    }


@municipality_view(Perm.VIEW_INTERNAL)
def dashboard(request, municipality):
    plan = _plan_or_none(municipality)
    if plan is None:
        return render(request, "plans/no_plan.html", {"form": AdoptForm(initial=_period())})
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    if year not in plan.years:
        year = min(max(year, plan.start_year), plan.end_year)
    occs = Occurrence.objects.filter(activity__plan=plan).select_related("activity", "municipality")
    due_month = list(occs.due_in_month(today.year, today.month))
    overdue = list(occs.overdue(today).order_by("due")[:8])
    overdue_count = occs.overdue(today).count()
    per_goal, per_activity = progress.done_shares(plan, year)
    goals = list(
        plan.goals.prefetch_related(
            Prefetch(
                "activities", queryset=Activity.objects.ordered().select_related("municipality")
            )
        )
    )
    indicator_rows = progress.by_activity(progress.indicator_rows(plan, year))
    return render(
        request,
        "plans/dashboard.html",
        {
            "plan": plan,
            "year": year,
            "today": today,
            "due_month": due_month,
            "overdue": overdue,
            "overdue_count": overdue_count,
            "goal_rows": [
                (
                    g,
                    per_goal.get(g.pk),
                    [
                        (
                            a,
                            per_activity.get(a.pk),
                            indicator_rows.get(a.pk, []),
                            registry.workplaces_for(a.code),
                        )
                        for a in g.activities.all()
                    ],
                )
                for g in goals
            ],
        },
    )


def _period():
    from django.conf import settings

    return {
        "start_year": settings.PLAN_DEFAULT_PERIOD[0],
        "end_year": settings.PLAN_DEFAULT_PERIOD[1],
    }


@municipality_view()
def plan_detail(request, municipality):
    plan = _visible_plan(request, municipality)
    if plan is None:
        if Perm.EDIT_PLAN in request.perms:
            return redirect("plans:dashboard", municipality.slug)
        raise Http404(_("This municipality has not published an approved plan yet."))
    goals = plan.goals.prefetch_related(
        Prefetch(
            "activities",
            queryset=Activity.objects.ordered()
            .select_related("municipality")
            .prefetch_related("responsible_persons", "budgets", "indicators__targets"),
        )
    )
    missing = plan.missing_blanks() if not plan.is_approved else []
    return render(
        request,
        "plans/plan.html",
        {"plan": plan, "goals": goals, "missing": missing, "years": plan.years},
    )


@require_POST
@municipality_view(Perm.EDIT_PLAN)
def adopt(request, municipality):
    form = AdoptForm(request.POST)
    if form.is_valid():
        try:
            services.adopt_plan(
                municipality,
                request.user,
                form.cleaned_data["start_year"],
                form.cleaned_data["end_year"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The model plan was adopted as a draft. Fill its blanks."))
            return redirect("plans:plan", municipality.slug)
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return redirect("plans:dashboard", municipality.slug)


@require_POST
@municipality_view(Perm.APPROVE_PLAN)
def approve(request, municipality):
    plan = get_object_or_404(Plan, municipality=municipality, pk=_int(request.POST.get("plan")))
    try:
        services.approve_plan(request.user, plan)
    except services.PlanIncomplete as exc:
        listed = "; ".join(f"{ind.activity.code} — {year}" for ind, year in exc.missing[:20])
        more = len(exc.missing) - 20
        msg = _("The plan cannot be approved: %(n)s blanks are empty: %(list)s") % {
            "n": len(exc.missing),
            "list": listed + (f" … (+{more})" if more > 0 else ""),
        }
        messages.error(request, msg)
    else:
        messages.success(request, _("The plan is approved."))
    return redirect("plans:plan", municipality.slug)


@require_POST
@municipality_view(Perm.APPROVE_PLAN)
def reopen(request, municipality):
    plan = get_object_or_404(Plan, municipality=municipality, pk=_int(request.POST.get("plan")))
    services.reopen_plan(request.user, plan)
    messages.info(request, _("The plan is a draft again; approve it once more after editing."))
    return redirect("plans:plan", municipality.slug)


@municipality_view(Perm.VIEW_INTERNAL)
def history(request, municipality):
    entries = AuditEntry.objects.for_municipality(municipality).select_related("actor")[:300]
    return render(request, "plans/history.html", {"entries": entries})


@municipality_view()
def export(request, municipality, fmt):
    plan = _visible_plan(request, municipality)
    if plan is None or fmt not in exports.FORMATS:
        raise Http404
    lang = request.GET.get("lang") or (get_language() or "ky")[:2]
    if lang not in ("ky", "ru", "en"):
        lang = "ky"
    content, content_type, filename = exports.export_plan(plan, lang, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@municipality_view()
def activity_detail(request, municipality, code):
    plan = _visible_plan(request, municipality)
    if plan is None:
        raise Http404
    activity = get_object_or_404(
        Activity.objects.select_related("plan", "goal", "municipality").prefetch_related(
            "budgets", "responsible_persons"
        ),
        plan=plan,
        code=code,
    )
    indicators = list(
        Indicator.objects.filter(activity=activity).prefetch_related("targets").order_by("order")
    )
    # An approved plan is the signed document: it is changed only after the head reopens it.
    can_edit = Perm.EDIT_PLAN in request.perms and not plan.is_approved
    form = targets_form = None
    if can_edit:
        data = request.POST if request.method == "POST" else None
        form = ActivityForm(data, instance=activity, municipality=municipality, prefix="a")
        targets_form = TargetsForm(
            data,
            activity=activity,
            indicators=indicators,
            years=plan.years,
            budgets=activity.budgets.all(),
            prefix="t",
        )
        if request.method == "POST":
            if form.is_valid() and targets_form.is_valid():
                services.update_activity(
                    request.user,
                    activity,
                    form.cleaned_data,
                    persons=form.cleaned_data["responsible_persons"],
                )
                for ind, values in targets_form.targets().items():
                    services.set_targets(request.user, ind, values)
                if targets_form.budgets():
                    services.set_budgets(request.user, activity, targets_form.budgets())
                messages.success(request, _("Saved."))
                return redirect(activity.get_absolute_url())
            messages.error(request, _("Please correct the errors below; nothing was saved yet."))
    elif request.method == "POST":
        raise PermissionDenied
    occurrences = activity.occurrences.select_related("municipality").order_by("due")
    return render(
        request,
        "plans/activity.html",
        {
            "plan": plan,
            "activity": activity,
            "indicators": indicators,
            "form": form,
            "targets_form": targets_form,
            "occurrences": occurrences,
            "today": timezone.localdate(),
            "workplaces": registry.workplaces_for(activity.code),
        },
    )


@municipality_view(Perm.EDIT_PLAN)
def activity_add(request, municipality):
    plan = _plan_or_none(municipality)
    if plan is None:
        return redirect("plans:dashboard", municipality.slug)
    if plan.is_approved:
        raise PermissionDenied(_("The plan is approved: the head reopens it before it is changed."))
    form = NewActivityForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        goal = data.pop("goal")
        persons = data.pop("responsible_persons")
        activity = services.add_activity(request.user, plan, goal, data, persons)
        messages.success(request, _("Activity %(code)s added.") % {"code": activity.code})
        return redirect(activity.get_absolute_url())
    return render(request, "plans/activity_add.html", {"form": form, "plan": plan})


@municipality_view(Perm.VIEW_INTERNAL)
def schedule(request, municipality):
    plan = _plan_or_none(municipality)
    if plan is None:
        return redirect("plans:dashboard", municipality.slug)
    today = timezone.localdate()
    month = month_param(request.GET.get("month"))
    occs = Occurrence.objects.filter(activity__plan=plan).select_related("activity", "municipality")
    mine = request.GET.get("mine") == "1"
    if mine:
        occs = occs.for_person(request.user)
    month_items = list(
        occs.due_in_month(month.year, month.month).order_by("due", "activity__order")
    )
    weeks = []
    by_day: dict[date, list] = {}
    for o in month_items:
        by_day.setdefault(o.due, []).append(o)
    for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month):
        weeks.append([(d, d.month == month.month, by_day.get(d, [])) for d in week])
    prev_month = (month - timedelta(days=1)).replace(day=1)
    next_month = (month + timedelta(days=32)).replace(day=1)
    return render(
        request,
        "plans/schedule.html",
        {
            "plan": plan,
            "today": today,
            "month": month,
            "weeks": weeks,
            "month_items": month_items,
            "overdue": list(occs.overdue(today).order_by("due")),
            "prev_month": prev_month,
            "next_month": next_month,
            "mine": mine,
        },
    )


@municipality_view(Perm.VIEW_INTERNAL)
def occurrence_detail(request, municipality, pk):
    occurrence = get_object_or_404(
        Occurrence.objects.select_related("activity__plan", "activity__goal", "municipality"),
        municipality=municipality,
        pk=pk,
    )
    if request.GET.get("file"):
        ef = get_object_or_404(
            EvidenceFile, municipality=municipality, evidence__occurrence=occurrence,
            pk=_int(request.GET["file"]),
        )  # fmt: skip
        return FileResponse(
            ef.file.open("rb"),
            content_type=ef.content_type,
            filename=ef.original_name,
            as_attachment=not ef.is_image,  # PDFs download rather than render in our origin
        )
    can_record = Perm.RECORD_EVIDENCE in request.perms
    form = None
    if can_record:
        form = EvidenceForm(
            request.POST or None, request.FILES or None, occurrence=occurrence, prefix="e"
        )
        if request.method == "POST":
            if form.is_valid():
                d = form.cleaned_data
                services.record_evidence(
                    request.user,
                    occurrence,
                    services.EvidenceInput(
                        outcome=d["outcome"],
                        happened_on=d["happened_on"],
                        text=d["text"],
                        reason=d["reason"],
                        links=d["links"],
                        files=d["files"],
                        values=form.values(),
                    ),
                )
                messages.success(request, _("Recorded."))
                return redirect(occurrence.get_absolute_url())
            messages.error(request, _("Please correct the errors below; nothing was saved yet."))
    elif request.method == "POST":
        require(request, municipality, Perm.RECORD_EVIDENCE)
    evidence = occurrence.evidence.select_related("recorded_by").prefetch_related(
        "files", "values__indicator"
    )
    return render(
        request,
        "plans/occurrence.html",
        {
            "occurrence": occurrence,
            "activity": occurrence.activity,
            "evidence": evidence,
            "form": form,
            "today": timezone.localdate(),
            "workplaces": registry.workplaces_for(occurrence.activity.code),
        },
    )

import time
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from jamaat.core.access import Perm, municipality_view, require
from jamaat.core.text import render_markdown
from jamaat.plans.models import Occurrence, Plan
from jamaat.reports import lang as L
from jamaat.reports import services
from jamaat.reports import slides as deck
from jamaat.reports.forms import MonthForm, RecompileForm, ReportForm, SlidesForm
from jamaat.reports.models import MonthlyReport, previous_month
from jamaat.reports.pdf import render_report_pdf

MONTHS_LISTED = 12  # the staff list shows the past year even where nothing was compiled


def _month(year: int, month: int) -> date:
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise Http404
    return date(year, month, 1)


def _report(municipality, year: int, month: int) -> MonthlyReport:
    return get_object_or_404(
        MonthlyReport.objects.select_related("municipality"),
        municipality=municipality,
        month=_month(year, month),
    )


def _visible(request, report: MonthlyReport) -> None:
    """Published reports are public; a draft is internal and a 404 for everyone else."""
    if not report.is_published and Perm.VIEW_INTERNAL not in request.perms:
        raise Http404


# --- public pages -------------------------------------------------------------------------------


@municipality_view()
def report_list(request, municipality):
    reports = MonthlyReport.objects.for_municipality(municipality).published()
    page = Paginator(reports.select_related("municipality"), 24).get_page(request.GET.get("page"))
    return render(request, "reports/list.html", {"page": page})


@municipality_view()
def report_detail(request, municipality, year, month):
    report = _report(municipality, year, month)
    _visible(request, report)
    return render(
        request, "reports/detail.html", {"report": report, "preview": not report.is_published}
    )


@municipality_view()
def report_pdf(request, municipality, year, month):
    report = _report(municipality, year, month)
    _visible(request, report)
    filename = f"{municipality.slug}-{report.month_key}.pdf"
    if report.is_published and report.pdf:
        try:
            response = FileResponse(
                report.pdf.open("rb"), content_type="application/pdf", filename=filename
            )
        except FileNotFoundError:
            response = None
        if response is not None:
            response["Content-Disposition"] = f'inline; filename="{filename}"'
            response["Cache-Control"] = "public, max-age=3600"
            return response
    # A draft (staff only): a preview made now and not stored, marked as a draft.
    pdf = render_report_pdf(report, draft=not report.is_published)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store" if not report.is_published else "public"
    return response


# --- staff pages --------------------------------------------------------------------------------


def _rows(municipality, today: date):
    """The past year's months (and any older report) with their report and 1.5 occurrence.

    A month is overdue when its report is not published, the 25th of the next month has passed
    and the plan's 1.5 occurrence of that next month is still open (evidence recorded by hand
    also closes it; months outside the plan are never overdue).
    """
    existing = {r.month: r for r in MonthlyReport.objects.for_municipality(municipality)}
    months, month = [], previous_month(today)
    for _i in range(MONTHS_LISTED):
        months.append(month)
        month = previous_month(month)
    months = sorted(set(months) | set(existing), reverse=True)
    plan = Plan.objects.current_for(municipality, today)
    occurrences = {}
    if plan is not None:
        occurrences = {
            o.key: o
            for o in Occurrence.objects.filter(
                activity__plan=plan, activity__code=services.ACTIVITY_CODE
            ).select_related("municipality")
        }
    lang = _lang()
    rows = []
    for m in months:
        report = existing.get(m)
        probe = report or MonthlyReport(municipality=municipality, month=m)
        occ = occurrences.get(f"{probe.occurrence_month:%Y-%m}")
        open_occ = occ is not None and occ.status == Occurrence.Status.PLANNED
        rows.append(
            {
                "month": m,
                "label": L.month_label(m, lang),
                "report": report,
                "occurrence": occ,
                "draft_due": probe.draft_due,
                "publish_due": probe.publish_due,
                "overdue": open_occ
                and not (report and report.is_published)
                and today > probe.publish_due,
                "year": m.year,
                "mm": f"{m.month:02d}",
            }
        )
    return rows


def _lang() -> str:
    from django.utils.translation import get_language

    return (get_language() or "ky")[:2]


@municipality_view(Perm.VIEW_INTERNAL)
def manage(request, municipality):
    form = MonthForm(request.POST or None, initial={"month": previous_month(timezone.localdate())})
    if request.method == "POST":
        require(request, municipality, Perm.MANAGE_CONTENT)
        if form.is_valid():
            month = form.cleaned_data["month"]
            result = services.compile_draft(municipality, month, actor=request.user)
            messages.success(
                request,
                {
                    services.Outcome.CREATED: _("The draft is compiled. Check it and publish it."),
                    services.Outcome.PUBLISHED: _("This report is already published."),
                    services.Outcome.KEPT_EDITS: _(
                        "This draft has staff edits; it was left as it is."
                    ),
                }.get(result.outcome, _("The draft is up to date.")),
            )
            return redirect("reports:edit", municipality.slug, month.year, f"{month.month:02d}")
        messages.error(request, _("Please correct the errors below; nothing was saved yet."))
    today = timezone.localdate()
    return render(
        request,
        "reports/manage.html",
        {"rows": _rows(municipality, today), "form": form, "today": today},
    )


@municipality_view(Perm.MANAGE_CONTENT)
def edit(request, municipality, year, month):
    report = _report(municipality, year, month)
    form = ReportForm(request.POST or None, instance=report)
    preview = None
    if request.method == "POST":
        if form.is_valid():
            if form.action == "preview":
                preview = {
                    lang: (
                        form.cleaned_data[f"title_{lang}"],
                        render_markdown(form.cleaned_data[f"body_{lang}"]),
                    )
                    for lang in ("ky", "ru")
                }
            else:
                values = {f: form.cleaned_data[f] for f in services.TEXT_FIELDS}
                try:
                    changed = services.save_edits(request.user, report, values)
                    if form.action == "publish":
                        evidence = services.publish(request.user, report)
                        messages.success(
                            request,
                            _("Published. It is recorded as evidence for activity 1.5.")
                            if evidence
                            else _("Published. No plan occurrence of activity 1.5 covers it."),
                        )
                    else:
                        messages.success(
                            request, _("Saved.") if changed else _("Nothing was changed.")
                        )
                except ValidationError as exc:
                    for message in exc.messages:
                        messages.error(request, message)
                    report.refresh_from_db()
                else:
                    return redirect("reports:edit", municipality.slug, year, f"{month:02d}")
        else:
            messages.error(request, _("Please correct the errors below; nothing was saved yet."))
    return render(
        request,
        "reports/edit.html",
        {"form": form, "report": report, "preview": preview, "today": timezone.localdate()},
    )


@municipality_view(Perm.MANAGE_CONTENT)
def recompile(request, municipality, year, month):
    report = _report(municipality, year, month)
    form = RecompileForm(request.POST or None, needs_confirmation=report.edited_by_staff)
    if request.method == "POST" and not report.is_published and form.is_valid():
        services.compile_draft(municipality, report.month, force=True, actor=request.user)
        messages.success(request, _("The draft is compiled again from the month's records."))
        return redirect("reports:edit", municipality.slug, year, f"{month:02d}")
    if request.method == "POST" and report.is_published:
        messages.error(request, _("A published report is not recompiled; edit its text instead."))
    return render(request, "reports/recompile.html", {"form": form, "report": report})


@municipality_view(Perm.VIEW_INTERNAL)
def slides(request, municipality):
    form = SlidesForm(request.GET or None)
    as_of = form.as_of_or(timezone.localdate())
    if not form.is_bound:
        form = SlidesForm(initial={"as_of": as_of})
    first, last, year = deck.season(as_of)
    lang = _lang()
    return render(
        request,
        "reports/slides.html",
        {
            "form": form,
            "as_of": as_of,
            "season": L.months_range(first, last, year, lang),
            "since": deck.half_year_start(as_of),
            "languages": [("ky", "Кыргызча"), ("ru", "Русский")],
        },
    )


CONTENT_TYPES = {
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pdf": "application/pdf",
}


@municipality_view(Perm.VIEW_INTERNAL)
def slides_download(request, municipality, lang, fmt):
    if lang not in L.CONTENT_LANGS or fmt not in CONTENT_TYPES:
        raise Http404
    as_of = SlidesForm(request.GET or None).as_of_or(timezone.localdate())
    started = time.perf_counter()
    built = deck.build_slides(municipality, lang, as_of)
    content = deck.render_pptx(built) if fmt == "pptx" else deck.render_pdf(built)
    elapsed_ms = (time.perf_counter() - started) * 1000
    first, _last, year = deck.season(as_of)
    name = f"{municipality.slug}-slides-{year}-{first:02d}-{lang}.{fmt}"
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    response["Server-Timing"] = f"generate;dur={elapsed_ms:.0f}"
    return response

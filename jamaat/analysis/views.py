from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jamaat.analysis import export as exporter
from jamaat.analysis import services, stats, topics
from jamaat.analysis.forms import PresentedForm, ReportForm
from jamaat.analysis.models import ReportJob
from jamaat.core.access import Perm, municipality_view, require
from jamaat.surveys.models import Answer, Question, Questionnaire


def _lang(request) -> str:
    lang = request.GET.get("lang") or (get_language() or "ky")[:2]
    return lang if lang in ("ky", "ru") else "ky"


@municipality_view(Perm.VIEW_INTERNAL)
def index(request, municipality):
    from django.db.models import Count

    qnrs = Questionnaire.objects.for_municipality(municipality).annotate(n=Count("responses"))
    return render(request, "analysis/index.html", {"questionnaires": qnrs})


def _filter_context(questionnaire, municipality):
    from jamaat.municipalities.models import Village
    from jamaat.surveys.models import Response

    return {
        "villages": list(Village.objects.filter(municipality=municipality)),
        "genders": Response.Gender.choices,
        "age_groups": Response.AgeGroup.choices,
        "channels": Response.Channel.choices,
        "rounds": list(questionnaire.rounds.all()),
        "dimensions": [
            ("village", _("village")),
            ("gender", _("gender")),
            ("age_group", _("age group")),
            ("channel", _("channel")),
        ],
    }


@municipality_view(Perm.VIEW_INTERNAL)
def questionnaire(request, municipality, pk):
    qn = get_object_or_404(Questionnaire, municipality=municipality, pk=pk)
    lang = _lang(request)
    filters = stats.clean_filters(request.GET, qn)
    results = stats.all_results(qn, filters, lang)
    by_code = {r.question.code: r.question for r in results}
    ctx = {
        "qn": qn,
        "results": results,
        "filters": filters,
        "lang": lang,
        "n": stats.responses(qn, filters).count(),
        "query": request.GET.urlencode(),
        # the filter form keeps the cross-tab and the change between rounds being looked at
        "keep": [(k, request.GET.get(k, "")) for k in ("xq", "xdim", "cq", "ra", "rb")],
        **_filter_context(qn, municipality),
    }
    xq, xdim = request.GET.get("xq", ""), request.GET.get("xdim", "")
    if xq in by_code and xdim in stats.DEMOGRAPHICS:
        ctx["crosstab"] = stats.crosstab(qn, by_code[xq], xdim, filters, lang)
        ctx["crosstab_q"] = by_code[xq]
    ra, rb = request.GET.get("ra", ""), request.GET.get("rb", "")
    rounds = {str(r.pk): r for r in ctx["rounds"]}
    cq = by_code.get(request.GET.get("cq", ""))
    if cq is not None and ra in rounds and rb in rounds:
        ctx["change"] = stats.round_change(qn, cq, rounds[ra], rounds[rb], filters, lang)
        ctx["change_q"], ctx["round_a"], ctx["round_b"] = cq, rounds[ra], rounds[rb]
    ctx["categorical"] = [r.question for r in results if r.bars]
    return render(request, "analysis/questionnaire.html", ctx)


@municipality_view(Perm.VIEW_INTERNAL)
def export(request, municipality, pk, fmt):
    qn = get_object_or_404(Questionnaire, municipality=municipality, pk=pk)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    lang = _lang(request)
    rows = exporter.table(qn, stats.clean_filters(request.GET, qn), lang)
    if fmt == "csv":
        resp = HttpResponse(exporter.to_csv(rows), content_type="text/csv; charset=utf-8")
    else:
        resp = HttpResponse(
            exporter.to_xlsx(rows, f"q{qn.pk}"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    resp["Content-Disposition"] = f'attachment; filename="questionnaire-{qn.pk}-{lang}.{fmt}"'
    return resp


@municipality_view(Perm.VIEW_INTERNAL)
def topics_page(request, municipality):
    from jamaat.appeals.models import Appeal
    from jamaat.municipalities.models import LocalIssue

    lang = _lang(request)
    texts = list(
        Appeal.objects.filter(municipality=municipality)
        .order_by("-registered_at")
        .values_list("text", flat=True)[:3000]
    ) + list(
        Answer.objects.filter(
            response__municipality=municipality,
            question__type__in=[Question.Type.TEXT, Question.Type.LONG_TEXT],
        )
        .exclude(value="")
        .order_by("-id")
        .values_list("value", flat=True)[:3000]
    )
    issues = list(LocalIssue.objects.filter(municipality=municipality))
    groups = topics.group(texts, issues, lang)
    pairs = (
        Appeal.objects.filter(municipality=municipality)
        .order_by("-registered_at")
        .values_list("category__code", "text")[:3000]
    )
    hits, checked = topics.agreement_with_categories(pairs, issues)
    return render(
        request,
        "analysis/topics.html",
        {
            "groups": groups,
            "total": len(texts),
            "checked": checked,
            "agreement": round(100 * hits / checked) if checked else None,
        },
    )


@municipality_view(Perm.VIEW_INTERNAL)
def reports(request, municipality):
    form = ReportForm(request.POST or None)
    if request.method == "POST":
        require(request, municipality, Perm.MANAGE_CONTENT)
        if form.is_valid():
            d = form.cleaned_data
            job = services.start_job(request.user, municipality, d["year"], d["lang"], d["format"])
            return redirect(job)
        messages.error(request, _("Please correct the errors below; nothing was saved yet."))
    jobs = ReportJob.objects.for_municipality(municipality)[:50]
    return render(request, "analysis/reports.html", {"form": form, "jobs": jobs})


@municipality_view(Perm.VIEW_INTERNAL)
def report_job(request, municipality, pk):
    job = get_object_or_404(ReportJob, municipality=municipality, pk=pk)
    return render(
        request,
        "analysis/report_job.html",
        {
            "job": job,
            "presented_form": PresentedForm(
                initial={"presented_on": job.presented_on, "note": job.presented_note}
            ),
        },
    )


def _send(job):
    if job.status != ReportJob.Status.DONE or not job.file:
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)


@municipality_view(Perm.VIEW_INTERNAL)
def report_file(request, municipality, pk):
    return _send(get_object_or_404(ReportJob, municipality=municipality, pk=pk))


@require_POST
@municipality_view(Perm.MANAGE_CONTENT)
def report_publish(request, municipality, pk):
    job = get_object_or_404(
        ReportJob, municipality=municipality, pk=pk, status=ReportJob.Status.DONE
    )
    publish = request.POST.get("publish") == "1"
    services.set_published(request.user, job, publish)
    messages.success(
        request, _("Published on the site.") if publish else _("Removed from the site.")
    )
    return redirect(job)


@require_POST
@municipality_view(Perm.RECORD_EVIDENCE)
def report_presented(request, municipality, pk):
    job = get_object_or_404(
        ReportJob, municipality=municipality, pk=pk, status=ReportJob.Status.DONE
    )
    form = PresentedForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please correct the errors below; nothing was saved yet."))
        return render(request, "analysis/report_job.html", {"job": job, "presented_form": form})
    evidence = services.record_presented(
        request.user, job, form.cleaned_data["presented_on"], form.cleaned_data["note"]
    )
    if evidence is None:
        messages.warning(
            request, _("Saved. No plan activity 3.3 covers that date, so no evidence was recorded.")
        )
    else:
        messages.success(request, _("Saved and recorded as evidence for activity 3.3."))
    return redirect(job)


@municipality_view(None)
def public_reports(request, municipality):
    jobs = ReportJob.objects.for_municipality(municipality).published()
    return render(request, "analysis/public_reports.html", {"jobs": jobs})


@municipality_view(None)
def public_download(request, municipality, pk):
    return _send(get_object_or_404(ReportJob.objects.published(), municipality=municipality, pk=pk))

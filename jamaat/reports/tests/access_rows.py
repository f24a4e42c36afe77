"""Reports rows of the access matrix (collected by jamaat/core/tests/test_access_matrix.py)."""

from django.utils import timezone

from jamaat.reports import services
from jamaat.reports.models import MonthlyReport, previous_month


def _months_back(n: int):
    month = timezone.localdate()
    for _ in range(n):
        month = previous_month(month)
    return month


def _report(t, months_back: int, published: bool = False, edited: bool = False) -> MonthlyReport:
    report = services.compile_draft(t.municipality, _months_back(months_back)).report
    changes = {}
    if published and not report.is_published:
        changes.update(status=MonthlyReport.Status.PUBLISHED, published_at=timezone.now())
    if edited:
        changes.update(body_ky="MATRIX-EDITED", edited_by_staff=True)
    if changes:
        MonthlyReport.objects.filter(pk=report.pk).update(**changes)
        report.refresh_from_db()
    return report


def _path(t, report: MonthlyReport, suffix: str = "", manage: bool = False) -> str:
    base = "manage/reports" if manage else "reports"
    return f"/{t.slug}/{base}/{report.month:%Y-%m}/{suffix}"


def fingerprint():
    return (
        tuple(
            MonthlyReport.objects.order_by("pk").values_list(
                "pk", "month", "status", "title_ky", "body_ky", "body_ru", "edited_by_staff", "pdf"
            )
        ),
    )


def rows(m):
    Row, needs, public, u, C, V, OK, DONE, HIDDEN = (
        m.Row, m.needs, m.public, m.u, m.C, m.V, m.OK, m.DONE, m.HIDDEN,
    )  # fmt: skip

    def internal_or_hidden(w):
        return OK if V in w.perms else HIDDEN

    def published_url(w, t):
        return _path(t, _report(t, 1, published=True))

    def published_pdf(w, t):
        return _path(t, _report(t, 1, published=True), "pdf/")

    def draft_url(w, t):
        return _path(t, _report(t, 2))

    def draft_pdf(w, t):
        return _path(t, _report(t, 2), "pdf/")

    def edit_url(w, t):
        return _path(t, _report(t, 2), manage=True)

    def edited_url(w, t):
        return _path(t, _report(t, 2, edited=True), manage=True)

    def recompile_url(w, t):
        return _path(t, _report(t, 2, edited=True), "recompile/", manage=True)

    def pdf_check(response, who, t):
        assert response["Content-Type"] == "application/pdf"

    def pptx_check(response, who, t):
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert response.content[:2] == b"PK"

    def compile_data(w, t):
        return {"month": f"{_months_back(3):%Y-%m}"}

    def compile_done(w, t):
        assert MonthlyReport.objects.filter(
            municipality=t.municipality, month=_months_back(3)
        ).exists()

    def edit_data(w, t):
        return {"title_ky": "MATRIX", "body_ky": "MATRIX-SAVED", "title_ru": "", "body_ru": "",
                "action": "save"}  # fmt: skip

    def edit_done(w, t):
        report = MonthlyReport.objects.get(municipality=t.municipality, month=_months_back(2))
        assert report.body_ky == "MATRIX-SAVED" and report.edited_by_staff

    def recompile_data(w, t):
        return {"confirm": "on"}

    def recompile_done(w, t):
        report = MonthlyReport.objects.get(municipality=t.municipality, month=_months_back(2))
        assert report.body_ky != "MATRIX-EDITED" and not report.edited_by_staff

    return [
        Row("reports", "<slug>/reports/", "GET", public, u("reports/")),
        Row("report", "<slug>/reports/<year>-<month>/", "GET", public, published_url),
        Row("report_draft", "<slug>/reports/<year>-<month>/", "GET", internal_or_hidden,
            draft_url),
        Row("report_pdf", "<slug>/reports/<year>-<month>/pdf/", "GET", public, published_pdf,
            check=pdf_check),
        Row("report_pdf_draft", "<slug>/reports/<year>-<month>/pdf/", "GET", internal_or_hidden,
            draft_pdf, check=pdf_check),
        Row("reports_manage", "<slug>/manage/reports/", "GET", needs(V), u("manage/reports/")),
        Row("reports_manage", "<slug>/manage/reports/", "POST", needs(C, DONE),
            u("manage/reports/"), data=compile_data, done=compile_done),
        Row("report_edit", "<slug>/manage/reports/<year>-<month>/", "GET", needs(C), edit_url),
        Row("report_edit", "<slug>/manage/reports/<year>-<month>/", "POST", needs(C, DONE),
            edited_url, data=edit_data, done=edit_done),
        Row("report_recompile", "<slug>/manage/reports/<year>-<month>/recompile/", "GET",
            needs(C), recompile_url),
        Row("report_recompile", "<slug>/manage/reports/<year>-<month>/recompile/", "POST",
            needs(C, DONE), recompile_url, data=recompile_data, done=recompile_done),
        Row("slides", "<slug>/manage/slides/", "GET", needs(V), u("manage/slides/")),
        Row("slides_file", "<slug>/manage/slides/<lang>.<fmt>", "GET", needs(V),
            u("manage/slides/ky.pptx"), check=pptx_check),
        Row("slides_file", "<slug>/manage/slides/<lang>.<fmt>", "GET", needs(V),
            u("manage/slides/ru.pdf"), check=pdf_check),
    ]  # fmt: skip

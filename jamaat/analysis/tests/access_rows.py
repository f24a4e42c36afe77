"""Analysis rows of the access matrix (jamaat/core/tests/test_access_matrix.py collects them)."""

from django.core.files.base import ContentFile

from jamaat.analysis.models import ReportJob


def _questionnaire(t):
    from jamaat.surveys.models import Questionnaire, QuestionnaireVersion

    q, created = Questionnaire.objects.get_or_create(
        municipality=t.municipality, title_ky="MATRIX-Q", defaults={"title_ru": "MATRIX-Q"}
    )
    if created:
        QuestionnaireVersion.objects.create(questionnaire=q, number=1)
    return q


def _job(t, published=False):
    year = 2002 if published else 2001  # the year tells the two jobs apart
    job = ReportJob.objects.filter(municipality=t.municipality, year=year).first()
    if job is None:
        job = ReportJob(
            municipality=t.municipality, year=year, lang="ky", format="pdf",
            status=ReportJob.Status.DONE, progress=100, is_published=published,
        )  # fmt: skip
        job.file.save("matrix.pdf", ContentFile(b"%PDF-1.4 matrix"), save=False)
        job.save()
    return job


def fingerprint():
    return (
        tuple(
            ReportJob.objects.order_by("pk").values_list(
                "pk", "status", "is_published", "presented_on"
            )
        ),
    )


def rows(m):
    Row, needs, public, u, V, C, R, DONE = m.Row, m.needs, m.public, m.u, m.V, m.C, m.R, m.DONE
    base = "<slug>/manage/analysis/"

    def q_url(w, t):
        return f"/{t.slug}/manage/analysis/q/{_questionnaire(t).pk}/"

    def export_url(w, t):
        return f"/{t.slug}/manage/analysis/q/{_questionnaire(t).pk}/export.xlsx"

    def job_url(suffix=""):
        return lambda w, t: f"/{t.slug}/manage/analysis/reports/{_job(t).pk}/{suffix}"

    def new_report(w, t):
        return {"year": "2001", "lang": "ru", "format": "docx"}

    def new_report_done(w, t):
        assert ReportJob.objects.filter(
            municipality=t.municipality, format="docx", status="done"
        ).exists()

    def publish_done(w, t):
        assert ReportJob.objects.get(pk=_job(t).pk).is_published

    def presented_done(w, t):
        assert ReportJob.objects.get(pk=_job(t).pk).presented_on is not None

    def public_dl(w, t):
        return f"/{t.slug}/analysis/reports/{_job(t, published=True).pk}/download/"

    return [
        Row("analysis", base, "GET", needs(V), u("manage/analysis/")),
        Row("analysis_q", base + "q/<pk>/", "GET", needs(V), q_url),
        Row("analysis_export", base + "q/<pk>/export.<fmt>", "GET", needs(V), export_url),
        Row("analysis_topics", base + "topics/", "GET", needs(V), u("manage/analysis/topics/")),
        Row("reports", base + "reports/", "GET", needs(V), u("manage/analysis/reports/")),
        Row("reports", base + "reports/", "POST", needs(C, DONE), u("manage/analysis/reports/"),
            data=new_report, done=new_report_done),
        Row("report_job", base + "reports/<pk>/", "GET", needs(V), job_url()),
        Row("report_file", base + "reports/<pk>/file/", "GET", needs(V), job_url("file/")),
        Row("report_publish", base + "reports/<pk>/publish/", "GET", m.post_only, job_url("publish/")),
        Row("report_publish", base + "reports/<pk>/publish/", "POST", needs(C, DONE),
            job_url("publish/"), data=lambda w, t: {"publish": "1"}, done=publish_done),
        Row("report_presented", base + "reports/<pk>/presented/", "GET", m.post_only,
            job_url("presented/")),
        Row("report_presented", base + "reports/<pk>/presented/", "POST", needs(R, DONE),
            job_url("presented/"), data=lambda w, t: {"presented_on": "2026-03-01", "note": "x"},
            done=presented_done),
        Row("public_reports", "<slug>/analysis/reports/", "GET", public, u("analysis/reports/")),
        Row("public_report_dl", "<slug>/analysis/reports/<pk>/download/", "GET", public, public_dl),
    ]  # fmt: skip

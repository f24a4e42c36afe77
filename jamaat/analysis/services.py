"""Writes of the analysis app: report jobs, publishing, the council presentation (3.3)."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.utils import timezone

from jamaat.analysis import report
from jamaat.analysis.models import ReportJob
from jamaat.core import audit


def start_job(actor, municipality, year: int, lang: str, fmt: str) -> ReportJob:
    from jamaat.analysis.tasks import build_report

    job = ReportJob.objects.create(
        municipality=municipality, year=year, lang=lang, format=fmt, created_by=actor
    )
    audit.record(actor, municipality, job, "create")
    build_report(job.pk)
    return job


def run_job(job_id: int) -> None:
    job = ReportJob.objects.select_related("municipality").get(pk=job_id)

    def progress(pct: int) -> None:
        ReportJob.objects.filter(pk=job.pk).update(
            progress=min(pct, 99), status=ReportJob.Status.RUNNING
        )

    try:
        content = report.build(job.municipality, job.year, job.lang, job.format, progress)
    except Exception as exc:
        ReportJob.objects.filter(pk=job.pk).update(
            status=ReportJob.Status.FAILED, error=str(exc)[:2000]
        )
        raise
    job.refresh_from_db()
    job.file.save(job.filename, ContentFile(content), save=False)
    job.status, job.progress, job.finished_at, job.error = (
        ReportJob.Status.DONE,
        100,
        timezone.now(),
        "",
    )
    job.save()


def set_published(actor, job: ReportJob, published: bool) -> None:
    job.is_published = published
    job.save(update_fields=["is_published"])
    audit.record(actor, job.municipality, job, "publish" if published else "unpublish")


def record_presented(actor, job: ReportJob, on, note: str):
    """The report was presented to the council: evidence for the 3.3 occurrence of that date."""
    from jamaat.plans.services import record_automatic_evidence

    job.presented_on, job.presented_note = on, note
    job.save(update_fields=["presented_on", "presented_note"])
    audit.record(actor, job.municipality, job, "presented", {"on": on.isoformat()})
    text = (
        f"{job.year}-жылдын аналитикалык отчету жергиликтүү кеңешке сунушталды. / "
        f"Годовой аналитический отчет за {job.year} год представлен местному кенешу. {note}"
    ).strip()
    return record_automatic_evidence(
        job.municipality, "3.3", on, text, source=f"analysis.report:{job.pk}:presented"
    )

"""The yearly analytical report (activity 3.3): a background job that renders a file.

A `ReportJob` is created by staff, rendered by the Huey task `tasks.build_report` (progress
0–100), optionally published on the public site and marked "presented to the council" — that
records the evidence of the 3.3 occurrence.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jamaat.core.models import TenantModel, TenantQuerySet


class ReportJobQuerySet(TenantQuerySet):
    def published(self):
        return self.filter(is_published=True, status=ReportJob.Status.DONE)


class ReportJob(TenantModel):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("being prepared")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "DOCX"
        PPTX = "pptx", _("PPTX slides")

    class Lang(models.TextChoices):
        KY = "ky", "Кыргызча"
        RU = "ru", "Русский"

    year = models.PositiveSmallIntegerField(_("year"))
    lang = models.CharField(_("language"), max_length=2, choices=Lang.choices, default=Lang.KY)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices, default=Format.PDF)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    file = models.FileField(upload_to="analysis/reports/%Y/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_published = models.BooleanField(_("published on the site"), default=False)
    presented_on = models.DateField(_("presented to the council on"), null=True, blank=True)
    presented_note = models.TextField(_("note"), blank=True)

    objects = ReportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.year} {self.lang} {self.format}"

    @property
    def filename(self) -> str:
        return f"report-{self.municipality.slug}-{self.year}-{self.lang}.{self.format}"

    def get_absolute_url(self) -> str:
        return reverse("analysis:report_job", args=[self.municipality.slug, self.pk])

"""The monthly report of activity 1.5: what the LSG body did on local issues in a past month.

Which month a report covers (see also `services`): activity 1.5 says "information material about
the activities of the LSG body in the *past* month, posted on the 25th of *each* month". The
plan's 1.5 occurrence of month M has the window M-01 … M-25. So the report *about* month M-1 is
compiled as a draft on the 20th of M, published by the 25th of M, and is the evidence for the
1.5 occurrence of M. `MonthlyReport.month` is always the month the report is about (M-1);
`occurrence_month` is M.
"""

import calendar
import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jamaat.core.models import TenantModel, TenantQuerySet
from jamaat.core.text import plain_excerpt, render_markdown
from jamaat.reports import lang as L

DRAFT_DAY = 20  # the draft is compiled automatically on the 20th of the following month
PUBLISH_DAY = 25  # and published by the 25th (the plan's 1.5 due day)


def next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def previous_month(day: date) -> date:
    first = day.replace(day=1)
    return date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


class ReportQuerySet(TenantQuerySet):
    def published(self):
        return self.filter(status=MonthlyReport.Status.PUBLISHED)


def pdf_upload_to(instance, filename: str) -> str:
    # Not under a public media prefix: served by `reports:pdf`, which checks publication.
    return f"reports/{instance.municipality_id}/{instance.month:%Y-%m}-{uuid.uuid4().hex[:8]}.pdf"


class MonthlyReport(TenantModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    month = models.DateField(_("month"), help_text=_("The month the report is about."))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    title_ky = models.CharField(_("title (ky)"), max_length=300, blank=True)
    title_ru = models.CharField(_("title (ru)"), max_length=300, blank=True)
    body_ky = models.TextField(_("text (ky)"), blank=True, help_text=_("Markdown"))
    body_ru = models.TextField(_("text (ru)"), blank=True, help_text=_("Markdown"))
    figures = models.JSONField(default=dict, blank=True)  # counts found when compiling
    compiled_at = models.DateTimeField(null=True, blank=True)
    edited_by_staff = models.BooleanField(default=False)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    edited_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    pdf = models.FileField(upload_to=pdf_upload_to, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "month"], name="monthly_report_unique_month"
            )
        ]

    def __str__(self) -> str:
        return self.title_ky or self.title_ru or f"{self.month:%Y-%m}"

    # --- dates ---------------------------------------------------------------------------------
    @property
    def occurrence_month(self) -> date:
        """The month whose 1.5 occurrence this report is the evidence for."""
        return next_month(self.month)

    @property
    def draft_due(self) -> date:
        return self.occurrence_month.replace(day=DRAFT_DAY)

    @property
    def publish_due(self) -> date:
        return self.occurrence_month.replace(day=PUBLISH_DAY)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def is_overdue(self, today: date) -> bool:
        return not self.is_published and today > self.publish_due

    @property
    def month_key(self) -> str:
        return f"{self.month:%Y-%m}"

    def url_args(self) -> list:
        return [self.municipality.slug, self.month.year, f"{self.month.month:02d}"]

    def get_absolute_url(self) -> str:
        return reverse("reports:detail", args=self.url_args())

    def get_pdf_url(self) -> str:
        return reverse("reports:pdf", args=self.url_args())

    # --- language fallback, as for news: either language may be empty -------------------------
    def month_label(self, lang: str | None = None) -> str:
        return L.month_label(self.month, (lang or get_language() or "ky")[:2])

    def lang_shown(self, lang: str | None = None) -> str:
        lang = (lang or get_language() or "ky")[:2]
        if getattr(self, f"title_{lang}", "") or getattr(self, f"body_{lang}", ""):
            return lang
        return "ky" if (self.title_ky or self.body_ky) else "ru"

    def is_fallback(self, lang: str | None = None) -> bool:
        lang = (lang or get_language() or "ky")[:2]
        return self.lang_shown(lang) != lang

    @property
    def title(self) -> str:
        return getattr(self, f"title_{self.lang_shown()}") or self.title_ky or self.title_ru

    @property
    def body_html(self) -> str:
        return render_markdown(getattr(self, f"body_{self.lang_shown()}"))

    @property
    def excerpt(self) -> str:
        return plain_excerpt(getattr(self, f"body_{self.lang_shown()}"))

    def get_edit_url(self) -> str:
        return reverse("reports:edit", args=self.url_args())

    def get_recompile_url(self) -> str:
        return reverse("reports:recompile", args=self.url_args())

"""Village gatherings and public hearings (activities 2.1 and 1.2): announcement, attendance, protocol.

The statutory notice period, quorum and protocol contents are *unverified* legal facts
(see CONTEXT.md), so they live in `MeetingSettings`, one row per municipality with defaults.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jamaat.core.models import TenantModel, TenantQuerySet, localized

DEFAULT_NOTICE_DAYS = 10
DEFAULT_SIGN_IN_ROWS = 40
AGE_FIELDS = ("age_18_29", "age_30_44", "age_45_59", "age_60_plus")
SEX_FIELDS = ("women", "men")


class MeetingSettings(TenantModel):
    """A municipality's rules for meetings (created on demand with the defaults)."""

    class QuorumRule(models.TextChoices):
        NONE = "none", _("no rule configured")
        VOTERS_SHARE = "voters_share", _("a share of registered voters")
        ADULTS_SHARE = "adults_share", _("a share of adult residents")
        MINIMUM = "minimum", _("a fixed minimum number of participants")

    notice_days = models.PositiveSmallIntegerField(
        _("notice period, days"),
        default=DEFAULT_NOTICE_DAYS,
        help_text=_(
            "Residents are told about a meeting at least this many days ahead. The legal "
            "period is not verified: check the local community charter."
        ),
    )
    quorum_rule = models.CharField(
        _("quorum rule"), max_length=20, choices=QuorumRule.choices, default=QuorumRule.NONE
    )
    quorum_percent = models.DecimalField(
        # xgettext:no-python-format
        _("quorum, % of the base"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    quorum_base = models.PositiveIntegerField(
        _("number of registered voters / adult residents"),
        null=True,
        blank=True,
        help_text=_(
            "The base the percentage is taken of, for the whole municipality. A meeting of "
            "some villages only can give its own number."
        ),
    )
    quorum_minimum = models.PositiveIntegerField(
        _("minimum number of participants"), null=True, blank=True
    )
    quorum_source = models.CharField(
        _("where the rule comes from"),
        max_length=300,
        blank=True,
        help_text=_("For example: the local community charter, article 12."),
    )
    default_chair = models.CharField(_("usual chair"), max_length=200, blank=True)
    default_secretary = models.CharField(_("usual secretary"), max_length=200, blank=True)
    sign_in_rows = models.PositiveSmallIntegerField(
        _("rows on the sign-in sheet"), default=DEFAULT_SIGN_IN_ROWS
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality"], name="meeting_settings_unique")
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id} meeting settings"

    @classmethod
    def for_municipality(cls, municipality) -> "MeetingSettings":
        obj, _created = cls.objects.get_or_create(municipality=municipality)
        return obj


class MeetingQuerySet(TenantQuerySet):
    def public(self):
        """Everything residents may see: never drafts."""
        return self.exclude(status=Meeting.Status.DRAFT)

    def upcoming(self, now=None):
        return self.filter(status=Meeting.Status.ANNOUNCED, starts_at__gte=now or timezone.now())

    def past(self, now=None):
        now = now or timezone.now()
        return self.public().filter(
            Q(status__in=[Meeting.Status.HELD, Meeting.Status.CANCELLED]) | Q(starts_at__lt=now)
        )

    def held_in(self, year: int):
        return self.filter(status=Meeting.Status.HELD, starts_at__year=year)

    def attendance_in(self, year: int) -> int | None:
        """Sum of attendance of the meetings held in `year` (None: none held with attendance)."""
        row = (
            self.held_in(year)
            .filter(attendance_total__isnull=False)
            .aggregate(total=Sum("attendance_total"), n=models.Count("id"))
        )
        return row["total"] if row["n"] else None

    def for_list(self):
        return self.select_related("municipality").prefetch_related("villages")


def _upload_to(instance, filename: str, folder: str) -> str:
    municipality_id = instance.municipality_id
    return f"meetings/{municipality_id}/{folder}/{uuid.uuid4().hex[:12]}-{filename}"


def scan_upload_to(instance, filename: str) -> str:
    return _upload_to(instance, filename, "protocols")


def document_upload_to(instance, filename: str) -> str:
    return _upload_to(instance, filename, "documents")


class Meeting(TenantModel):
    class Kind(models.TextChoices):
        GATHERING = "gathering", _("village gathering")
        HEARING = "hearing", _("public hearing")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ANNOUNCED = "announced", _("announced")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.GATHERING)
    title_ky = models.CharField(_("title (ky)"), max_length=200, blank=True)
    title_ru = models.CharField(_("title (ru)"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("date and time"), db_index=True)
    place_ky = models.CharField(_("place (ky)"), max_length=300, blank=True)
    place_ru = models.CharField(_("place (ru)"), max_length=300, blank=True)
    villages = models.ManyToManyField(
        "municipalities.Village",
        verbose_name=_("villages"),
        blank=True,
        related_name="meetings",
        help_text=_("Leave empty for a meeting of the whole municipality."),
    )
    contacts = models.CharField(
        _("contact for questions"),
        max_length=300,
        blank=True,
        help_text=_("Printed on the poster, e.g. a name and phone number."),
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    announced_at = models.DateTimeField(null=True, blank=True)
    short_notice_reason = models.TextField(_("reason for the short notice"), blank=True)
    cancelled_reason = models.TextField(_("reason for cancelling"), blank=True)
    # After the meeting
    presentation_shown = models.BooleanField(
        _("the presentation on local issues was shown"),
        default=False,
        help_text=_("Then the meeting also counts for activity 1.2."),
    )
    eligible_count = models.PositiveIntegerField(
        _("registered voters / adult residents concerned"),
        null=True,
        blank=True,
        help_text=_(
            "For the quorum of a meeting of some villages; empty: the municipality's number."
        ),
    )
    attendance_total = models.PositiveIntegerField(_("participants, total"), null=True, blank=True)
    women = models.PositiveIntegerField(_("women"), null=True, blank=True)
    men = models.PositiveIntegerField(_("men"), null=True, blank=True)
    age_18_29 = models.PositiveIntegerField(_("aged 18–29"), null=True, blank=True)
    age_30_44 = models.PositiveIntegerField(_("aged 30–44"), null=True, blank=True)
    age_45_59 = models.PositiveIntegerField(_("aged 45–59"), null=True, blank=True)
    age_60_plus = models.PositiveIntegerField(_("aged 60 and over"), null=True, blank=True)
    attendee_names = models.TextField(_("names of participants"), blank=True)
    names_consent = models.BooleanField(default=False)
    # The protocol
    protocol_number = models.CharField(_("protocol number"), max_length=40, blank=True)
    chair = models.CharField(_("chair"), max_length=200, blank=True)
    secretary = models.CharField(_("secretary"), max_length=200, blank=True)
    questions_ky = models.TextField(_("questions raised (ky)"), blank=True)
    questions_ru = models.TextField(_("questions raised (ru)"), blank=True)
    protocol_scan = models.FileField(upload_to=scan_upload_to, blank=True)
    protocol_scan_name = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["municipality", "status", "starts_at"])]

    def __str__(self) -> str:
        return self.title_ky or self.title_ru or f"#{self.pk}"

    title = property(lambda self: localized(self, "title"))
    place = property(lambda self: localized(self, "place"))
    questions = property(lambda self: localized(self, "questions"))

    def title_in(self, lang: str) -> str:
        return localized(self, "title", lang)

    def place_in(self, lang: str) -> str:
        return localized(self, "place", lang)

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", args=[self.municipality.slug, self.pk])

    def get_manage_url(self) -> str:
        return reverse("meetings:manage_detail", args=[self.municipality.slug, self.pk])

    @property
    def local_start(self):
        return timezone.localtime(self.starts_at)

    @property
    def badge(self) -> str:
        """CSS class of the status badge (the existing plan badge colours)."""
        return {
            self.Status.DRAFT: "draft",
            self.Status.ANNOUNCED: "planned",
            self.Status.HELD: "done",
            self.Status.CANCELLED: "not_done",
        }[self.status]

    @property
    def is_public(self) -> bool:
        return self.status != self.Status.DRAFT

    @property
    def is_held(self) -> bool:
        return self.status == self.Status.HELD

    @property
    def has_taken_place(self) -> bool:
        return self.starts_at <= timezone.now()

    def days_ahead(self, today=None) -> int:
        return (self.local_start.date() - (today or timezone.localdate())).days

    def population_limit(self) -> tuple[int, str]:
        """The most people who could attend: the villages' population when all are known."""
        villages = list(self.villages.all()) if self.pk else []
        if villages and all(v.population for v in villages):
            return sum(v.population for v in villages), ", ".join(str(v) for v in villages)
        return self.municipality.population, self.municipality.name

    def protocol_pdf_url(self, lang: str) -> str:
        return reverse("meetings:protocol_pdf", args=[self.municipality.slug, self.pk, lang])

    def public_protocol_url(self, lang: str | None = None) -> str | None:
        """The signed scan once uploaded, else the generated PDF; None before it is held."""
        if not self.is_held:
            return None
        if self.protocol_scan:
            return self.protocol_scan.url
        lang = (lang or get_language() or "ky")[:2]
        return self.protocol_pdf_url(lang if lang in ("ky", "ru") else "ky")


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text_ky = models.TextField(_("agenda item (ky)"), blank=True)
    text_ru = models.TextField(_("agenda item (ru)"), blank=True)
    issues = models.ManyToManyField(
        "municipalities.LocalIssue", verbose_name=_("local issues"), blank=True
    )

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text_ky or self.text_ru

    text = property(lambda self: localized(self, "text"))

    def text_in(self, lang: str) -> str:
        return localized(self, "text", lang)


class MeetingDocument(models.Model):
    """A document for discussion (draft budget, draft act…), photo or PDF."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to=document_upload_to)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def municipality_id(self):
        return self.meeting.municipality_id

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"


class Speaker(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="speakers")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("name"), max_length=200)
    summary_ky = models.TextField(_("summary (ky)"), blank=True)
    summary_ru = models.TextField(_("summary (ru)"), blank=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name

    summary = property(lambda self: localized(self, "summary"))

    def summary_in(self, lang: str) -> str:
        return localized(self, "summary", lang)


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    order = models.PositiveSmallIntegerField(default=0)
    text_ky = models.TextField(_("decision (ky)"), blank=True)
    text_ru = models.TextField(_("decision (ru)"), blank=True)
    votes_for = models.PositiveIntegerField(_("for"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("against"), null=True, blank=True)
    votes_abstained = models.PositiveIntegerField(_("abstained"), null=True, blank=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return (self.text_ky or self.text_ru)[:80]

    text = property(lambda self: localized(self, "text"))

    def text_in(self, lang: str) -> str:
        return localized(self, "text", lang)

    @property
    def votes_total(self) -> int:
        return sum(v or 0 for v in (self.votes_for, self.votes_against, self.votes_abstained))

    @property
    def has_votes(self) -> bool:
        return any(
            v is not None for v in (self.votes_for, self.votes_against, self.votes_abstained)
        )

"""Local initiatives (activity 2.2): proposals of residents, their support and their lifecycle.

An initiative is written by a resident in one language (`language`: ky or ru) and kept as written
in `title` / `description`; staff may add the other language in `title_other` /
`description_other`. Its status moves along `TRANSITIONS` only (see `services.transition`), and
every move is a `StatusChange` row, shown publicly as the initiative's history.

Support counts are kept on the initiative (`support_online`, `support_paper`), recounted from
`Support` and `PaperSupport` rows by the services, so the public list needs no per-row query.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jamaat.core.models import TenantModel, TenantQuerySet, localized
from jamaat.messaging.models import PendingCode

CONTENT_LANGUAGES = [("ky", "Кыргызча"), ("ru", "Русский")]
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud, typed by hand


def new_tracking_code() -> str:
    raw = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    UNDER_REVIEW = "under_review", _("under review")
    SUPPORTED = "supported", _("supported")
    FUNDED = "funded", _("funded")
    IN_PROGRESS = "in_progress", _("in progress")
    IMPLEMENTED = "implemented", _("implemented")
    REJECTED = "rejected", _("rejected")


# The lifecycle: where each status may go next. Nothing leaves "implemented" or "rejected".
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.SUBMITTED: (Status.UNDER_REVIEW, Status.REJECTED),
    Status.UNDER_REVIEW: (Status.SUPPORTED, Status.REJECTED),
    Status.SUPPORTED: (Status.FUNDED, Status.REJECTED),
    Status.FUNDED: (Status.IN_PROGRESS,),
    Status.IN_PROGRESS: (Status.IMPLEMENTED,),
    Status.IMPLEMENTED: (),
    Status.REJECTED: (),
}
# The path an initiative walks when all goes well (for the public progress steps).
PATH = (
    Status.SUBMITTED,
    Status.UNDER_REVIEW,
    Status.SUPPORTED,
    Status.FUNDED,
    Status.IN_PROGRESS,
    Status.IMPLEMENTED,
)
# Existing badge classes of app.css for each status.
BADGES = {
    Status.SUBMITTED: "draft",
    Status.UNDER_REVIEW: "planned",
    Status.SUPPORTED: "planned",
    Status.FUNDED: "planned",
    Status.IN_PROGRESS: "planned",
    Status.IMPLEMENTED: "done",
    Status.REJECTED: "not_done",
}
OPEN_FOR_SUPPORT = (
    Status.SUBMITTED,
    Status.UNDER_REVIEW,
    Status.SUPPORTED,
    Status.FUNDED,
    Status.IN_PROGRESS,
)
MILESTONE_STATUSES = (Status.FUNDED, Status.IN_PROGRESS, Status.IMPLEMENTED)


class InitiativeQuerySet(TenantQuerySet):
    def public(self):
        return self.filter(is_public=True)

    def public_list(self):
        return (
            self.public()
            .select_related("village", "category")
            .order_by("-status_changed_at", "-id")
        )

    def active(self):
        """Shown on the home page: everything not rejected."""
        return self.exclude(status=Status.REJECTED)

    def to_review(self):
        return self.filter(status__in=(Status.SUBMITTED, Status.UNDER_REVIEW))

    def supported_in(self, year: int):
        """Supported by a decision dated in `year` (whatever happened to them afterwards)."""
        return self.filter(decision_date__year=year).exclude(decision_date=None)

    def implemented_in(self, year: int):
        return self.filter(status=Status.IMPLEMENTED, implemented_on__year=year)


class Initiative(TenantModel):
    Status = Status

    class Channel(models.TextChoices):
        ONLINE = "online", _("online")
        PAPER = "paper", _("on paper (entered by staff)")

    class DecisionKind(models.TextChoices):
        COUNCIL = "council", _("decision of the local council")
        HEAD = "head", _("order of the head")

    # What the resident wrote, in the language they wrote it in; staff may add the other one.
    language = models.CharField(
        _("language of the text"), max_length=2, choices=CONTENT_LANGUAGES, default="ky"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    title_other = models.CharField(_("title in the other language"), max_length=200, blank=True)
    description_other = models.TextField(_("description in the other language"), blank=True)

    village = models.ForeignKey(
        "municipalities.Village",
        verbose_name=_("village"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="initiatives",
    )
    category = models.ForeignKey(
        "municipalities.LocalIssue",
        verbose_name=_("local issue"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="initiatives",
    )
    estimated_cost = models.DecimalField(
        _("estimated cost, KGS"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    # Who submitted it. The phone is never public; the name only with `publish_name`.
    submitter_name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=16)
    group_name = models.CharField(
        _("group name"),
        max_length=200,
        blank=True,
        help_text=_("If you submit on behalf of a group of residents. Shown publicly."),
    )
    publish_name = models.BooleanField(_("show the name publicly"), default=False)
    channel = models.CharField(
        _("received"), max_length=10, choices=Channel.choices, default=Channel.ONLINE
    )
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    consent_text = models.TextField(blank=True)
    consent_at = models.DateTimeField(null=True, blank=True)
    tracking_code = models.CharField(max_length=9, unique=True, default=new_tracking_code)
    is_public = models.BooleanField(
        _("shown on the public site"),
        default=True,
        help_text=_(
            "Untick only for spam or abusive text. The submitter can still follow it by the "
            "tracking link."
        ),
    )

    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    status_changed_at = models.DateTimeField(default=timezone.now, db_index=True)
    # supported
    decision_kind = models.CharField(
        _("decided by"), max_length=10, choices=DecisionKind.choices, blank=True
    )
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    # funded
    budget_kgs = models.DecimalField(
        _("from the local budget, KGS"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    cofinancing_kgs = models.DecimalField(
        _("community co-financing, KGS"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    # in progress / implemented
    progress = models.PositiveSmallIntegerField(_("progress, %"), default=0)
    implemented_on = models.DateField(_("implemented on"), null=True, blank=True)
    # rejected
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)

    support_online = models.PositiveIntegerField(default=0)
    support_paper = models.PositiveIntegerField(default=0)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["-status_changed_at", "-id"]
        verbose_name = _("local initiative")
        verbose_name_plural = _("local initiatives")
        indexes = [
            models.Index(fields=["municipality", "is_public", "-status_changed_at"]),
            models.Index(fields=["municipality", "status"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="initiative_progress_max"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}" if self.pk else self.title

    def get_absolute_url(self) -> str:
        return reverse("initiatives:detail", args=[self.municipality.slug, self.pk])

    def tracking_url(self) -> str:
        return reverse("initiatives:track", args=[self.municipality.slug, self.tracking_code])

    def manage_url(self) -> str:
        return reverse("initiatives:edit", args=[self.municipality.slug, self.pk])

    # --- text in the reader's language ------------------------------------------------------
    @property
    def other_language(self) -> str:
        return "ru" if self.language == "ky" else "ky"

    def lang_shown(self, lang: str | None = None) -> str:
        lang = (lang or get_language() or "ky")[:2]
        if lang != self.language and lang == self.other_language and self.title_other:
            return lang
        return self.language

    def is_fallback(self, lang: str | None = None) -> bool:
        lang = (lang or get_language() or "ky")[:2]
        return lang in ("ky", "ru") and self.lang_shown(lang) != lang

    def title_in(self, lang: str) -> str:
        if lang == self.language:
            return self.title
        return self.title_other if lang == self.other_language else ""

    def description_in(self, lang: str) -> str:
        if lang == self.language:
            return self.description
        return self.description_other if lang == self.other_language else ""

    @property
    def shown_title(self) -> str:
        return self.title_in(self.lang_shown()) or self.title

    @property
    def shown_description(self) -> str:
        lang = self.lang_shown()
        return self.description_in(lang) or self.description

    # --- lifecycle --------------------------------------------------------------------------
    @property
    def next_statuses(self) -> tuple[str, ...]:
        return TRANSITIONS.get(self.status, ())

    def can_become(self, status: str) -> bool:
        return status in self.next_statuses

    @property
    def is_closed(self) -> bool:
        return not self.next_statuses

    @property
    def badge(self) -> str:
        return BADGES.get(self.status, "")

    @property
    def shown_progress(self) -> int:
        """Implementation progress for the bar: 100 once implemented, else what staff recorded."""
        if self.status == Status.IMPLEMENTED:
            return 100
        if self.status in (Status.IN_PROGRESS, Status.FUNDED):
            return self.progress
        return 0

    @property
    def step(self) -> int:
        """1–6 along PATH; 0 when rejected."""
        return PATH.index(self.status) + 1 if self.status in PATH else 0

    @property
    def open_for_support(self) -> bool:
        return self.status in OPEN_FOR_SUPPORT

    @property
    def accepts_milestones(self) -> bool:
        return self.status in MILESTONE_STATUSES

    @property
    def support_total(self) -> int:
        return self.support_online + self.support_paper

    @property
    def public_author(self) -> str:
        """What the public site shows about who submitted it (name only with consent)."""
        parts = [self.submitter_name] if self.publish_name else []
        if self.group_name:
            parts.append(self.group_name)
        return ", ".join(parts)


class StatusChange(TenantModel):
    """One move along the lifecycle (the first row is the submission itself)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="history")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Status.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.initiative_id}: {self.from_status or '—'} → {self.to_status}"

    @property
    def badge(self) -> str:
        return BADGES.get(self.to_status, "")


class Milestone(TenantModel):
    """A dated step of the work with text (ky/ru) and photos."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="milestones")
    happened_on = models.DateField(_("date"))
    text_ky = models.TextField(_("what was done (ky)"), blank=True)
    text_ru = models.TextField(_("what was done (ru)"), blank=True)
    progress = models.PositiveSmallIntegerField(_("progress, %"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["happened_on", "id"]

    def __str__(self) -> str:
        return f"{self.happened_on} {self.text[:60]}"

    @property
    def text(self) -> str:
        return localized(self, "text")


def photo_upload_to(instance, filename: str) -> str:
    return f"initiatives/{instance.municipality_id}/{timezone.now():%Y/%m}/{filename}"


class MilestonePhoto(TenantModel):
    """A milestone's photo in responsive sizes (public media, like news photos)."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="photos")
    order = models.PositiveSmallIntegerField(default=0)
    small = models.ImageField(upload_to=photo_upload_to)
    small_w = models.PositiveIntegerField(default=0)
    small_h = models.PositiveIntegerField(default=0)
    medium = models.ImageField(upload_to=photo_upload_to, blank=True)
    large = models.ImageField(upload_to=photo_upload_to, blank=True)
    widths = models.JSONField(default=list)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.small.name

    def srcset(self) -> str:
        files = [self.small, self.medium, self.large]
        return ", ".join(f"{f.url} {w}w" for f, w in zip(files, self.widths, strict=False) if f)

    def best(self):
        return self.large or self.medium or self.small


class Support(TenantModel):
    """One resident's confirmed online support: one per phone number per initiative."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="supports")
    phone = models.CharField(max_length=16)
    language = models.CharField(max_length=2, blank=True)
    consent_text = models.TextField(blank=True)
    confirmed_at = models.DateTimeField(default=timezone.now)
    delivery = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["-confirmed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "phone"], name="support_one_per_phone")
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id} {self.phone[:-4]}••••"


class SupportCode(TenantModel, PendingCode):
    """A pending online support: the 6-digit code sent to the phone (`PendingCode`)."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="support_codes"
    )
    phone = models.CharField(max_length=16)
    language = models.CharField(max_length=2, blank=True)
    consent_text = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["initiative", "phone", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.initiative_id} {self.phone[:-4]}•••• {self.created_at:%H:%M}"


class PaperSupport(TenantModel):
    """Signatures collected on paper sheets: the count entered by staff, scans attached."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="paper_supports"
    )
    count = models.PositiveIntegerField(_("signatures"))
    collected_on = models.DateField(_("collected on"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["collected_on", "id"]

    def __str__(self) -> str:
        return f"{self.initiative_id}: {self.count} ({self.collected_on})"


def sheet_upload_to(instance, filename: str) -> str:
    # Not under a public media prefix: the sheets carry names and signatures of residents.
    return f"private/initiative-sheets/{instance.municipality_id}/{timezone.now():%Y/%m}/{filename}"


class PaperSheet(TenantModel):
    """A scan (photo or PDF) of signed support sheets; served only to staff."""

    paper_support = models.ForeignKey(PaperSupport, on_delete=models.CASCADE, related_name="sheets")
    file = models.FileField(upload_to=sheet_upload_to)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

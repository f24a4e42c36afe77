"""Citizens' appeals (Law No. 67 of 04.05.2007), public holidays and the numbering counter.

An appeal is registered at once with a number `<PREFIX>-<year>-<000123>` (gap-free per
municipality and year: `AppealCounter` row locked with select_for_update) and a due date in
working days (`working_days.add`, weekends and `Holiday` rows skipped). Every change is an
`AppealEvent` row (the appeal's history).
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jamaat.core.models import TenantModel, TenantQuerySet, localized

CONTENT_LANGUAGES = [("ky", "Кыргызча"), ("ru", "Русский")]
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud, typed by hand


def new_check_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


class Holiday(models.Model):
    """A non-working public holiday of the Kyrgyz Republic (platform-wide)."""

    date = models.DateField(_("date"), unique=True)
    name_ky = models.CharField(_("name (ky)"), max_length=200)
    name_ru = models.CharField(_("name (ru)"), max_length=200)

    class Meta:
        ordering = ["date"]
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {localized(self, 'name')}"


class AppealSettings(TenantModel):
    """Per-municipality overrides: the number prefix and the answer period."""

    number_prefix = models.CharField(
        _("registration number prefix"),
        max_length=10,
        blank=True,
        help_text=_("E.g. КАР. Empty: the first three letters of the municipality's name."),
    )
    answer_working_days = models.PositiveSmallIntegerField(
        _("answer due in working days"),
        null=True,
        blank=True,
        help_text=_("Empty: the platform default (APPEAL_ANSWER_WORKING_DAYS)."),
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["municipality"], name="appeal_settings_one")]

    def __str__(self) -> str:
        return str(self.municipality)


class AppealCounter(TenantModel):
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="appeal_counter_year")
        ]


class AppealQuerySet(TenantQuerySet):
    def open(self):
        return self.filter(status__in=Appeal.OPEN_STATUSES)


class Appeal(TenantModel):
    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("complaint")
        REQUEST = "request", _("request")
        PROPOSAL = "proposal", _("proposal")

    class Channel(models.TextChoices):
        ONLINE = "online", _("online")
        PAPER = "paper", _("on paper")
        PHONE = "phone", _("by phone")
        VISIT = "visit", _("in person")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("registered")
        IN_PROGRESS = "in_progress", _("in progress")
        ANSWERED = "answered", _("answered")
        UNCONSIDERED = "unconsidered", _("left unconsidered")
        CLOSED = "closed", _("closed")

    class UnconsideredReason(models.TextChoices):
        NO_CONTACTS = "no_contacts", _("no name or contacts of the applicant")
        OBSCENE = "obscene", _("obscene or offensive language")
        REPEATED = "repeated", _("repeats an appeal already answered, with no new arguments")

    OPEN_STATUSES = (Status.REGISTERED, Status.IN_PROGRESS)

    # Unique within the municipality: two municipalities may share a prefix (Кароол, Каракол).
    number = models.CharField(_("registration number"), max_length=32)
    check_code = models.CharField(max_length=16, default=new_check_code)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.REQUEST)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    category = models.ForeignKey(
        "municipalities.LocalIssue",
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    text = models.TextField(_("text of the appeal"))
    village = models.ForeignKey(
        "municipalities.Village",
        verbose_name=_("village"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    address = models.CharField(_("address or place"), max_length=300, blank=True)
    photo = models.ImageField(_("photo"), upload_to="appeals/%Y/", blank=True)
    applicant_name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    language = models.CharField(
        _("language of the appeal"), max_length=2, choices=CONTENT_LANGUAGES, default="ky"
    )
    registered_at = models.DateTimeField(_("registered"), db_index=True)
    due_date = models.DateField(_("answer due"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_appeals",
    )
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.REGISTERED
    )
    unconsidered_reason = models.CharField(
        _("legal reason"), max_length=12, choices=UnconsideredReason.choices, blank=True
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)
    reminders_sent = models.JSONField(default=list, blank=True)  # e.g. ["3", "1", "escalated"]

    objects = AppealQuerySet.as_manager()

    class Meta:
        ordering = ["-registered_at", "-id"]
        indexes = [models.Index(fields=["municipality", "status", "due_date"])]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "number"], name="appeal_number_unique")
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def open311_status(self) -> str:
        return "open" if self.is_open else "closed"


class AppealEvent(models.Model):
    """One line of an appeal's history.

    `action` and, for registration and “left unconsidered”, `note` hold codes (a channel, a legal
    reason), never labels: `label` and `detail` translate them into the language of the page that
    shows the history. Other notes are names (the responsible person, the heads notified).
    """

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField(max_length=30)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.appeal} {self.action}"

    @property
    def label(self) -> str:
        """What happened, in the active language."""
        action, _sep, arg = self.action.partition(":")
        if action in (Appeal.Status.REGISTERED, Appeal.Status.ANSWERED) and not arg:
            return str(Appeal.Status(action).label)
        if action == "assigned":
            return str(_("responsible person"))
        if action == "status" and arg in Appeal.Status.values:
            return str(Appeal.Status(arg).label)
        if action == "reminder" and arg.isdigit():
            return str(_("reminder sent: %(days)s working day(s) left") % {"days": arg})
        if action == "escalated":
            return str(_("overdue: reported to the head"))
        return self.action

    @property
    def detail(self) -> str:
        """The note, with a stored code (channel, legal reason) shown as its label."""
        note = self.note
        if self.action == "registered" and note in Appeal.Channel.values:
            return str(Appeal.Channel(note).label)
        if self.action.startswith("status:") and note in Appeal.UnconsideredReason.values:
            return str(Appeal.UnconsideredReason(note).label)
        return note

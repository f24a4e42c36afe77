"""Subscribers (with their consent), provider accounts and the one outbox with its delivery log."""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jamaat.core.models import TenantModel, new_token
from jamaat.messaging.codes import max_attempts


class PendingCode(models.Model):
    """A 6-digit code sent to a phone and not confirmed yet (`jamaat.messaging.codes`).

    Only a hash of the code is kept, bound to `token` (random, not the code), by which the pending
    code is addressed. Expires after PHONE_CODE_TTL_SECONDS (600); at most PHONE_CODE_MAX_ATTEMPTS
    (5) tries. Features subclass it with what the code confirms (initiatives' support,
    questionnaires' one answer per phone).
    """

    token = models.CharField(max_length=64, unique=True)
    code_hash = models.CharField(max_length=128)
    delivery = models.CharField(max_length=20, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def is_expired(self, now=None) -> bool:
        return (now or timezone.now()) >= self.expires_at

    @property
    def attempts_left(self) -> int:
        return max(0, max_attempts() - self.attempts)


class Channel(models.TextChoices):
    """How a resident is reached; also the provider that delivers to that channel."""

    EMAIL = "email", _("Email")
    TELEGRAM = "telegram", _("Telegram")
    WHATSAPP = "whatsapp", _("WhatsApp")


Provider = Channel


class Subscriber(TenantModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for confirmation")
        ACTIVE = "active", _("active")
        UNSUBSCRIBED = "unsubscribed", _("unsubscribed")

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    address = models.CharField(
        _("address"),
        max_length=254,
        help_text=_("Email address, Telegram chat ID or WhatsApp number (+996…)."),
    )
    language = models.CharField(
        _("language"), max_length=2, choices=[("ky", "Кыргызча"), ("ru", "Русский")], default="ky"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    consent_text = models.TextField(_("consent text shown"))
    consent_language = models.CharField(max_length=8, blank=True)
    consent_at = models.DateTimeField(_("consent given at"))
    consent_ip = models.GenericIPAddressField(_("consent IP"), null=True, blank=True)
    confirm_token = models.CharField(max_length=64, default=new_token, unique=True)
    unsubscribe_token = models.CharField(max_length=64, default=new_token, unique=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "channel", "address"], name="subscriber_unique_address"
            )
        ]
        indexes = [models.Index(fields=["municipality", "status", "channel"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.address}"

    @property
    def badge(self) -> str:
        return BADGES.get(self.status, "")

    @property
    def masked_address(self) -> str:
        """Enough to recognise one's own address on a public page, not enough to learn it."""
        a = self.address
        if self.channel == Channel.EMAIL and "@" in a:
            local, _at, domain = a.partition("@")
            return f"{local[:1]}•••@{domain}"
        return "•••" + a[-3:] if len(a) > 3 else a

    def unsubscribe_path(self) -> str:
        return reverse(
            "messaging:unsubscribe", args=[self.municipality.slug, self.unsubscribe_token]
        )

    def confirm_path(self) -> str:
        return reverse("messaging:confirm", args=[self.municipality.slug, self.confirm_token])


class ConsentEvent(TenantModel):
    """Every consent given, confirmed or withdrawn, kept even when the subscriber re-subscribes."""

    class Kind(models.TextChoices):
        GIVEN = "given", _("consent given")
        CONFIRMED = "confirmed", _("email confirmed")
        WITHDRAWN = "withdrawn", _("unsubscribed")
        PROVIDER = "provider", _("removed: the provider refused delivery")

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    at = models.DateTimeField(auto_now_add=True)
    text = models.TextField(blank=True)
    language = models.CharField(max_length=8, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.subscriber} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class ProviderAccount(TenantModel):
    """A municipality's own credentials for a messenger API (its bot, its WhatsApp number)."""

    provider = models.CharField(
        _("provider"),
        max_length=10,
        choices=[(Channel.TELEGRAM, _("Telegram")), (Channel.WHATSAPP, _("WhatsApp"))],
    )
    token = models.CharField(_("access token"), max_length=500, blank=True)
    phone_number_id = models.CharField(_("WhatsApp phone number ID"), max_length=64, blank=True)
    whatsapp_template = models.CharField(
        _("WhatsApp template name"),
        max_length=100,
        blank=True,
        help_text=_("An approved template with one text parameter, used for news and digests."),
    )
    channel_chat_id = models.CharField(
        _("Telegram channel"),
        max_length=100,
        blank=True,
        help_text=_("@channelname or the channel's numeric ID; the bot must be its admin."),
    )
    base_url = models.URLField(
        _("API address override"), blank=True, help_text=_("Leave empty (used for testing).")
    )
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["provider"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "provider"], name="provider_account_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_provider_display()} ({self.token_hint or '—'})"

    @property
    def token_hint(self) -> str:
        """What the UI may show of the token: its last four characters."""
        if not self.token:
            return ""
        return "…" + self.token[-4:] if len(self.token) > 8 else "…"


class OutboxMessage(TenantModel):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    idempotency_key = models.CharField(max_length=200, unique=True)
    provider = models.CharField(_("provider"), max_length=10, choices=Provider.choices)
    recipient = models.CharField(_("recipient"), max_length=254)
    subscriber = models.ForeignKey(
        Subscriber, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    source = models.CharField(_("source"), max_length=100, db_index=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = models.TextField(_("text"))
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=100, blank=True)
    error_kind = models.CharField(max_length=20, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    provider_message_id = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["status", "lease_until"]),
            models.Index(fields=["municipality", "source", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.idempotency_key} → {self.recipient} ({self.status})"

    @property
    def badge(self) -> str:
        return BADGES.get(self.status, "")

    @property
    def error_label(self) -> str:
        from jamaat.messaging.adapters import ERROR_KINDS

        return str(ERROR_KINDS.get(self.error_kind, "")) if self.error_kind else ""


class DeliveryAttempt(models.Model):
    """One try to hand a message to its provider: opened before the request, closed after."""

    class Outcome(models.TextChoices):
        SENT = "sent", _("sent")
        RETRY = "retry", _("will retry")
        FAILED = "failed", _("failed")
        INTERRUPTED = "interrupted", _("interrupted (worker stopped)")

    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="log")
    number = models.PositiveSmallIntegerField(default=1)
    worker = models.CharField(max_length=100, blank=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error_kind = models.CharField(max_length=20, blank=True)
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["started_at", "id"]

    def __str__(self) -> str:
        return f"{self.message_id} #{self.number} {self.outcome or 'in flight'}"

    @property
    def badge(self) -> str:
        return BADGES.get(self.outcome, "")

    @property
    def error_label(self) -> str:
        from jamaat.messaging.adapters import ERROR_KINDS

        return str(ERROR_KINDS.get(self.error_kind, "")) if self.error_kind else ""


BADGES = {
    "sent": "done",
    "active": "done",
    "failed": "not_done",
    "queued": "planned",
    "pending": "draft",
    "sending": "draft",
    "retry": "draft",
    "interrupted": "overdue",
}

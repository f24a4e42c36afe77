"""Channels through which the LSG body reaches residents, with monthly follower counts."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jamaat.core.models import TenantModel, TenantQuerySet


class ChannelQuerySet(TenantQuerySet):
    def active(self):
        return self.filter(is_active=True)

    def online(self):
        return self.filter(kind__in=Channel.ONLINE_KINDS)


class Channel(TenantModel):
    class Kind(models.TextChoices):
        WEBSITE = "website", _("website")
        FACEBOOK = "facebook", _("Facebook page")
        INSTAGRAM = "instagram", _("Instagram")
        TELEGRAM = "telegram", _("Telegram channel")
        WHATSAPP_GROUP = "whatsapp_group", _("WhatsApp group")
        INFO_BOARD = "info_board", _("information board")
        OTHER = "other", _("other")

    # Counted for the website and social networks (indicator 1.1). WhatsApp groups feed 1.3,
    # information boards 1.4 (they have no followers; their count is of placements).
    ONLINE_KINDS = (Kind.WEBSITE, Kind.FACEBOOK, Kind.INSTAGRAM, Kind.TELEGRAM, Kind.OTHER)

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("address (link)"), blank=True)
    telegram_chat_id = models.CharField(
        _("Telegram chat id or @username"),
        max_length=100,
        blank=True,
        help_text=_("With a bot token set, the member count is read automatically each month."),
    )
    village = models.ForeignKey(
        "municipalities.Village",
        verbose_name=_("village"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    is_active = models.BooleanField(_("in use"), default=True)

    objects = ChannelQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"


class SnapshotQuerySet(models.QuerySet):
    def for_municipality(self, municipality):
        return self.filter(channel__municipality=municipality)


class ChannelSnapshot(models.Model):
    """The follower/member count of a channel in a month (entered, or read from Telegram)."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("entered by staff")
        TELEGRAM = "telegram_api", _("read from Telegram")

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="snapshots")
    month = models.DateField(_("month"))  # always the 1st
    followers = models.PositiveIntegerField(_("followers / members"))
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.MANUAL)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    recorded_at = models.DateTimeField(auto_now=True)

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "month"], name="snapshot_unique_month")
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.month:%Y-%m}: {self.followers}"

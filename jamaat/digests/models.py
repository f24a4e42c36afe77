"""The quarterly digest (activity 1.3): composed from the quarter's news, sent to subscribers and
the Telegram channel through the messaging outbox, and shared by hand to WhatsApp groups."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jamaat.core.models import TenantModel, TenantQuerySet

QUARTERS = [(1, "I"), (2, "II"), (3, "III"), (4, "IV")]


def quarter_label(year: int, quarter: int) -> str:
    """ "I quarter of 2026" in the active language."""
    return gettext("%(q)s quarter of %(year)s") % {"q": dict(QUARTERS)[quarter], "year": year}


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_dates(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of the quarter."""
    first = date(year, 3 * quarter - 2, 1)
    nxt = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return first, nxt - timedelta(days=1)


def quarter_span(year: int, quarter: int) -> tuple[datetime, datetime]:
    """[start, end) of the quarter as aware datetimes in the local time zone."""
    first, last = quarter_dates(year, quarter)
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime(first.year, first.month, first.day), tz)
    nxt = last + timedelta(days=1)
    end = timezone.make_aware(datetime(nxt.year, nxt.month, nxt.day), tz)
    return start, end


class DigestQuerySet(TenantQuerySet):
    def for_list(self):
        return (
            self.select_related("municipality")
            .annotate(
                n_posts=models.Count("posts", distinct=True),
                n_shares=models.Count("shares", distinct=True),
            )
            .order_by("-year", "-quarter")
        )


class Digest(TenantModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")

    class ChannelLanguage(models.TextChoices):
        BOTH = "both", _("both languages in one post")
        KY = "ky", _("Kyrgyz only")
        RU = "ru", _("Russian only")

    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=QUARTERS)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    title_ky = models.CharField(_("title (ky)"), max_length=300, blank=True)
    title_ru = models.CharField(_("title (ru)"), max_length=300, blank=True)
    text_ky = models.TextField(_("text (ky)"), blank=True)
    text_ru = models.TextField(_("text (ru)"), blank=True)
    # What "compose" produced last, so a later compose can tell whether staff edited the text.
    composed = models.JSONField(default=dict, blank=True, editable=False)
    channel_language = models.CharField(
        _("Telegram channel post"),
        max_length=4,
        choices=ChannelLanguage.choices,
        default=ChannelLanguage.BOTH,
    )
    posts = models.ManyToManyField(
        "news.Post", verbose_name=_("news included"), blank=True, related_name="digests"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    send_requested_at = models.DateTimeField(_("send pressed at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    objects = DigestQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-quarter"]
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year", "quarter"], name="digest_unique_quarter"
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="digest_quarter_1_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}-Q{self.quarter}"

    def get_absolute_url(self) -> str:
        return reverse("digests:detail", args=[self.municipality.slug, self.pk])

    @property
    def source(self) -> str:
        """The outbox source of every message of this digest."""
        return f"digest:{self.pk}"

    @property
    def label(self) -> str:
        return quarter_label(self.year, self.quarter)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def badge(self) -> str:
        return {"draft": "draft", "sending": "planned", "sent": "done"}[self.status]

    def dates(self) -> tuple[date, date]:
        return quarter_dates(self.year, self.quarter)

    def title_in(self, lang: str) -> str:
        other = "ru" if lang == "ky" else "ky"
        return getattr(self, f"title_{lang}", "") or getattr(self, f"title_{other}")

    def text_in(self, lang: str) -> str:
        """The text in `lang`, or the other language's when that one is empty."""
        other = "ru" if lang == "ky" else "ky"
        return getattr(self, f"text_{lang}", "") or getattr(self, f"text_{other}")

    def channel_text(self) -> str:
        """The Telegram channel post: the chosen language, or both one after the other."""
        ky, ru = self.text_ky.strip(), self.text_ru.strip()
        if self.channel_language == self.ChannelLanguage.KY:
            return ky or ru
        if self.channel_language == self.ChannelLanguage.RU:
            return ru or ky
        return f"{ky}\n\n— — —\n\n{ru}" if ky and ru else ky or ru

    def is_edited(self, values: dict | None = None) -> bool:
        """True when the titles or texts differ from what compose produced."""
        values = values if values is not None else {f: getattr(self, f) for f in EDITABLE}
        return any(
            (values.get(f) or "").strip() != (self.composed.get(f) or "").strip() for f in EDITABLE
        )


EDITABLE = ("title_ky", "text_ky", "title_ru", "text_ru")


class DigestShare(TenantModel):
    """A WhatsApp group (a registered channel) that received the digest, posted by hand."""

    digest = models.ForeignKey(Digest, on_delete=models.CASCADE, related_name="shares")
    channel = models.ForeignKey(
        "channels.Channel",
        verbose_name=_("WhatsApp group"),
        on_delete=models.CASCADE,
        related_name="digest_shares",
    )
    shared_on = models.DateField(_("shared on"))
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["shared_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["digest", "channel"], name="digest_share_unique")
        ]

    def __str__(self) -> str:
        return f"{self.digest} → {self.channel} ({self.shared_on:%d.%m.%Y})"

"""Digest writes: create and compose, save edits, send through the messaging outbox, record
WhatsApp shares, follow delivery and record the evidence of activity 1.3.

Delivery itself is messaging's: `send` only puts messages in the outbox (idempotent per
recipient, keyed by the digest's source "digest:<id>"); the outbox worker sends, retries and
logs them. `refresh_status` turns a digest `sent` once nothing of it is waiting any more.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Count, F, Max, Min, Q, Value, When
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jamaat.core import audit
from jamaat.digests import compose
from jamaat.digests.models import EDITABLE, Digest, DigestShare
from jamaat.messaging import services as messaging
from jamaat.messaging.adapters import ERROR_KINDS
from jamaat.messaging.models import BADGES, OutboxMessage, Subscriber
from jamaat.messaging.models import Channel as Provider
from jamaat.plans.services import record_automatic_evidence

log = logging.getLogger(__name__)
S = OutboxMessage.Status
ACTIVITY = "1.3"


class NothingToSend(Exception):
    """No Telegram channel and no active subscriber: nobody would receive the digest."""


# --- composing and editing ----------------------------------------------------------------


@transaction.atomic
def create(actor, municipality, year: int, quarter: int) -> tuple[Digest, int]:
    """A new draft composed from every published post of the quarter; (digest, posts left out)."""
    posts = list(compose.quarter_posts(municipality, year, quarter))
    digest = Digest(municipality=municipality, year=year, quarter=quarter, created_by=actor)
    fields, left_out = compose.compose(municipality, year, quarter, posts)
    for k, v in fields.items():
        setattr(digest, k, v)
    digest.composed = fields
    digest.save()
    digest.posts.set(posts)
    audit.record(actor, municipality, digest, "create", {"posts": ["", len(posts)]})
    return digest, left_out


@transaction.atomic
def recompose(actor, digest: Digest, posts) -> int:
    """Compose the texts again from `posts` (replacing edits); returns posts left out for length."""
    if not digest.is_draft:
        raise ValidationError(_("A digest that was sent cannot be changed."), code="locked")
    posts = sorted(posts, key=lambda p: (p.publish_at, p.pk))
    fields, left_out = compose.compose(digest.municipality, digest.year, digest.quarter, posts)
    before = audit.snapshot(digest, EDITABLE)
    for k, v in fields.items():
        setattr(digest, k, v)
    digest.composed = fields
    digest.save()
    digest.posts.set(posts)
    audit.record(actor, digest.municipality, digest, "compose", audit.diff(before, fields))
    return left_out


@transaction.atomic
def save_edits(actor, digest: Digest, values: dict, posts) -> None:
    if not digest.is_draft:
        raise ValidationError(_("A digest that was sent cannot be changed."), code="locked")
    fields = (*EDITABLE, "channel_language")
    before = audit.snapshot(digest, fields)
    for f in fields:
        if f in values:
            setattr(digest, f, values[f])
    digest.save()
    digest.posts.set(posts)
    audit.record(
        actor,
        digest.municipality,
        digest,
        "update",
        audit.diff(before, audit.snapshot(digest, fields)),
    )


# --- checks -------------------------------------------------------------------------------


def length_errors(municipality, values: dict) -> dict[str, str]:
    """Field -> message for texts too long for Telegram (subscribers, or the channel post)."""
    errors = {}
    limit = compose.subscriber_text_limit(municipality)
    for lang in compose.LANGS:
        text = (values.get(f"text_{lang}") or "").strip()
        if len(text) > limit:
            errors[f"text_{lang}"] = _(
                "Too long for Telegram: %(n)s characters, at most %(max)s (a Telegram message "
                "holds 4096, the rest is kept for the unsubscribe link). Shorten it by %(over)s "
                "characters, or untick some news and compose again."
            ) % {"n": len(text), "max": limit, "over": len(text) - limit}
    if not has_telegram_channel(municipality):
        return errors
    probe = Digest(
        text_ky=values.get("text_ky") or "",
        text_ru=values.get("text_ru") or "",
        channel_language=values.get("channel_language") or Digest.ChannelLanguage.BOTH,
    )
    channel = probe.channel_text()
    if len(channel) > compose.CHANNEL_LIMIT and not errors:
        errors["channel_language"] = _(
            "Both texts together are too long for one Telegram channel post: %(n)s characters, "
            "at most %(max)s. Post one language only, or shorten the texts."
        ) % {"n": len(channel), "max": compose.CHANNEL_LIMIT}
    return errors


def has_telegram_channel(municipality) -> bool:
    return bool(
        messaging.provider_ready(municipality, Provider.TELEGRAM)
        and messaging.telegram_channel(municipality)
    )


def check_sendable(digest: Digest) -> None:
    values = {f: getattr(digest, f) for f in (*EDITABLE, "channel_language")}
    if not (digest.text_ky.strip() or digest.text_ru.strip()):
        raise ValidationError(_("The digest has no text. Compose it or write it first."))
    errors = length_errors(digest.municipality, values)
    if errors:
        raise ValidationError(list(errors.values()))


# --- recipients and sending ---------------------------------------------------------------


@dataclass
class Audience:
    channel: str  # the Telegram channel (chat id or @name), or ""
    by_channel: dict = field(default_factory=dict)  # provider -> active subscribers reachable
    not_ready: dict = field(default_factory=dict)  # provider label -> subscribers not reachable

    @property
    def subscribers(self) -> int:
        return sum(self.by_channel.values())

    @property
    def anyone(self) -> bool:
        return bool(self.channel or self.subscribers)


def audience(municipality) -> Audience:
    ready = set(messaging.available_channels(municipality))
    counts = dict(
        Subscriber.objects.filter(municipality=municipality, status=Subscriber.Status.ACTIVE)
        .values_list("channel")
        .annotate(n=Count("id"))
        .order_by()
    )
    channel = ""
    if Provider.TELEGRAM in ready:
        channel = messaging.telegram_channel(municipality)
    return Audience(
        channel=channel,
        by_channel={p: counts.get(p, 0) for p in Provider.values if p in ready},
        not_ready={Provider(p).label: n for p, n in counts.items() if p not in ready and n},
    )


@dataclass
class SendResult:
    channel_post: bool  # a new channel post was queued
    subscribers: int  # new subscriber messages queued
    total: int  # all messages of the digest in the outbox


def send(actor, digest: Digest) -> SendResult:
    """Queue the channel post and one message per active subscriber; idempotent.

    Pressing Send again queues nothing twice: the keys are per digest and recipient; only
    subscribers who joined since get theirs.
    """
    municipality = digest.municipality
    with transaction.atomic():
        d = Digest.objects.select_for_update().select_related("municipality").get(pk=digest.pk)
        check_sendable(d)
        who = audience(municipality)
        source = d.source
        outbox = OutboxMessage.objects.filter(municipality=municipality, source=source)
        had_channel_post = outbox.filter(subscriber__isnull=True).exists()
        channel_post = None
        if who.channel:
            channel_post = messaging.enqueue_channel_post(municipality, source, d.channel_text())
        n = messaging.enqueue_to_subscribers(
            municipality, source, compose.renderer(d), channels=list(who.by_channel)
        )
        total = outbox.count()
        if not total:
            raise NothingToSend
        if d.status == Digest.Status.DRAFT:
            d.status = Digest.Status.SENDING
            d.send_requested_at = timezone.now()
            d.sent_by = actor if getattr(actor, "is_authenticated", False) else None
            d.save(update_fields=["status", "send_requested_at", "sent_by", "updated_at"])
        audit.record(actor, municipality, d, "send", {"messages": ["", total], "new": ["", n]})
    digest.refresh_from_db()
    return SendResult(bool(channel_post) and not had_channel_post, n, total)


def refresh_status(digest: Digest) -> Digest:
    """`sending` → `sent` once no message of the digest is waiting and at least one arrived."""
    if digest.status != Digest.Status.SENDING:
        return digest
    agg = OutboxMessage.objects.filter(
        municipality_id=digest.municipality_id, source=digest.source
    ).aggregate(
        waiting=Count("id", filter=Q(status__in=[S.QUEUED, S.SENDING])),
        sent=Count("id", filter=Q(status=S.SENT)),
        last=Max("sent_at"),
    )
    if agg["waiting"] or not agg["sent"]:
        return digest
    won = Digest.objects.filter(pk=digest.pk, status=Digest.Status.SENDING).update(
        status=Digest.Status.SENT, sent_at=agg["last"]
    )
    digest.refresh_from_db()
    if won:
        with translation.override(settings.LANGUAGE_CODE):
            text = _("Digest “%(title)s” delivered: %(n)s messages (Telegram and email).") % {
                "title": digest.title_ky or digest.title_ru,
                "n": agg["sent"],
            }
        record_evidence(digest, timezone.localdate(agg["last"]), text)
    return digest


def refresh_sending() -> int:
    """For the periodic task: settle every digest still `sending`."""
    done = 0
    for digest in Digest.objects.filter(status=Digest.Status.SENDING).select_related(
        "municipality"
    ):
        if refresh_status(digest).status == Digest.Status.SENT:
            done += 1
    return done


def record_evidence(digest: Digest, on, text: str):
    """Evidence for the 1.3 occurrence whose window holds `on` (once per digest)."""
    try:
        return record_automatic_evidence(
            digest.municipality,
            ACTIVITY,
            on,
            text,
            source=f"digests.digest:{digest.pk}",
            links=[compose.site_url(digest.get_absolute_url())],
        )
    except ValidationError:
        log.warning("digest %s: evidence for %s on %s not recorded", digest.pk, ACTIVITY, on)
        return None


# --- the delivery log ---------------------------------------------------------------------


@dataclass
class Delivery:
    rows: list  # {"label", "cells": [(status, label, n, badge)] non-zero, "total"} per kind
    totals: list  # [(status, label, n, badge)] for every status
    total: int
    counts: dict  # status -> n
    waiting: list  # (provider label, error label, n, next attempt) for messages being retried
    statuses: list


def delivery(digest: Digest) -> Delivery:
    """Counts by recipient kind and status, and what is waiting for a retry and why."""
    qs = OutboxMessage.objects.filter(municipality_id=digest.municipality_id, source=digest.source)
    grouped = (
        qs.annotate(
            kind=Case(
                When(subscriber__isnull=True, then=Value("channel")),
                default=F("provider"),
            )
        )
        .values("kind", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    table: dict = {}
    for r in grouped:
        table.setdefault(r["kind"], {})[r["status"]] = r["n"]
    kinds = [("channel", _("Telegram channel"))] + [
        (v, _("%(provider)s subscribers") % {"provider": label}) for v, label in Provider.choices
    ]
    counts = dict.fromkeys(S.values, 0)
    rows = []
    for kind, label in kinds:
        if kind not in table:
            continue
        cells = [(s, lbl, table[kind].get(s, 0), BADGES.get(s, "")) for s, lbl in S.choices]
        for s, _lbl, n, _badge in cells:
            counts[s] += n
        rows.append(
            {"label": label, "cells": [c for c in cells if c[2]], "total": sum(c[2] for c in cells)}
        )
    waiting = [
        (
            Provider(r["provider"]).label,
            str(ERROR_KINDS.get(r["error_kind"], ERROR_KINDS["error"])),
            r["n"],
            r["next"],
        )
        for r in qs.filter(status=S.QUEUED, attempts__gt=0)
        .values("provider", "error_kind")
        .annotate(n=Count("id"), next=Min("next_attempt_at"))
        .order_by("provider", "error_kind")
    ]
    totals = [(s, lbl, counts[s], BADGES.get(s, "")) for s, lbl in S.choices]
    return Delivery(rows, totals, sum(counts.values()), counts, waiting, S.choices)


# --- WhatsApp groups ----------------------------------------------------------------------


@transaction.atomic
def record_shares(actor, digest: Digest, channels, shared_on) -> tuple[list, list]:
    """Record the groups that received the digest; (new shares, groups already recorded)."""
    created, existing = [], []
    for channel in channels:
        share, new = DigestShare.objects.get_or_create(
            digest=digest,
            channel=channel,
            defaults={
                "municipality": digest.municipality,
                "shared_on": shared_on,
                "shared_by": actor if getattr(actor, "is_authenticated", False) else None,
            },
        )
        (created if new else existing).append(share)
        if new:
            audit.record(
                actor, digest.municipality, share, "create", {"shared_on": ["", str(shared_on)]}
            )
    if created:
        with translation.override(settings.LANGUAGE_CODE):
            text = _("Digest “%(title)s” shared to WhatsApp groups: %(groups)s.") % {
                "title": digest.title_ky or digest.title_ru,
                "groups": ", ".join(s.channel.name for s in created),
            }
        record_evidence(digest, shared_on, text)
    return created, existing


@transaction.atomic
def delete_share(actor, share: DigestShare) -> None:
    audit.record(
        actor, share.municipality, share, "delete", {"shared_on": [str(share.shared_on), ""]}
    )
    share.delete()

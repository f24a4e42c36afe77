"""The messaging API other apps call: subscriptions with consent, and putting messages in the outbox.

    subscribe(municipality, channel, address, language, consent_text, ip) -> Subscriber
    confirm(token) -> Subscriber | None
    unsubscribe(token) -> Subscriber | None
    enqueue(municipality, provider, recipient, body, *, key, source, subject="", payload=None,
            subscriber=None) -> OutboxMessage
    enqueue_to_subscribers(municipality, source, render, *, channels=None) -> int
    enqueue_channel_post(municipality, source, text) -> OutboxMessage | None
    adapter_for(municipality, provider) -> adapter (raises NotConfigured)
    available_channels(municipality) -> list[str]
    telegram_member_count(municipality, chat_id=None) -> int
    retry_failed(messages) -> int

Nothing here sends over the network: `enqueue*` write the outbox, and the worker
(`jamaat.messaging.tasks`) is nudged once the transaction commits.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jamaat.core.models import new_token
from jamaat.messaging.adapters import (
    TELEGRAM_BASE,
    TELEGRAM_TEXT_LIMIT,
    WHATSAPP_BASE,
    EmailAdapter,
    NotConfigured,
    TelegramAdapter,
    WhatsAppCloudAdapter,
)
from jamaat.messaging.models import (
    Channel,
    ConsentEvent,
    OutboxMessage,
    ProviderAccount,
    Subscriber,
)

log = logging.getLogger(__name__)

CONTENT_LANGUAGES = ("ky", "ru")


def setting(name: str, default=""):
    """A Django setting, else the environment variable of the same name, else `default`."""
    value = getattr(settings, name, None)
    if value in (None, ""):
        value = os.environ.get(name, default)
    return value


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


# --- addresses ------------------------------------------------------------------------------

_PHONE_JUNK = re.compile(r"[\s\-().\u00a0]")


def normalise_kg_phone(raw: str) -> str:
    """A Kyrgyz number as E.164 (+996 and 9 digits) from the ways people write it.

    Accepts "+996 555 123 456", "996555123456", "00996…", "0555 12 34 56", "555123456",
    "+996 (0555) 12-34-56".
    """
    s = _PHONE_JUNK.sub("", raw or "")
    if s.startswith("00"):
        s = "+" + s[2:]
    national = None
    if s.startswith("+"):
        digits = s[1:]
        if digits.isdigit() and digits.startswith("996"):
            national = digits[3:]
    elif s.isdigit():
        if s.startswith("996") and len(s) in (12, 13):
            national = s[3:]
        elif s.startswith("0") and len(s) == 10:
            national = s[1:]
        elif len(s) == 9:
            national = s
    if national is not None and len(national) == 10 and national.startswith("0"):
        national = national[1:]  # "+996 (0555) …"
    if national is None or len(national) != 9 or not national.isdigit() or national[0] == "0":
        raise ValidationError(
            _(
                "Enter a Kyrgyz mobile number: +996 and 9 digits, "
                "for example +996 555 123 456 or 0555 12 34 56."
            ),
            code="invalid_phone",
        )
    return "+996" + national


def normalise_address(channel: str, raw: str) -> str:
    value = (raw or "").strip()
    if channel == Channel.WHATSAPP:
        return normalise_kg_phone(value)
    if channel == Channel.EMAIL:
        try:
            validate_email(value)
        except ValidationError:
            raise ValidationError(
                _("Enter a valid email address, for example aibek@example.kg."),
                code="invalid_email",
            ) from None
        return value.lower()
    if channel == Channel.TELEGRAM:
        if not re.fullmatch(r"-?\d{5,20}", value):
            raise ValidationError(
                _("Enter your Telegram chat ID: digits only, as the municipality's bot gave it."),
                code="invalid_chat_id",
            )
        return value
    raise ValidationError(_("Choose how to receive the news."), code="invalid_channel")


def consent_text(municipality, lang: str) -> str:
    """The consent sentence exactly as shown to a resident in `lang` (ky, ru or en)."""
    with translation.override(lang):
        return _(
            "I agree that %(name)s sends me its news and announcements at the address I gave "
            "above, and keeps that address with this consent for that purpose only. "
            "I can unsubscribe at any time in one click."
        ) % {"name": municipality.name_in(lang)}


# --- subscriptions --------------------------------------------------------------------------


def _consent(subscriber, kind, text="", language="", ip=None) -> ConsentEvent:
    return ConsentEvent.objects.create(
        municipality_id=subscriber.municipality_id,
        subscriber=subscriber,
        kind=kind,
        text=text,
        language=language,
        ip=ip or None,
    )


def subscribe(
    municipality,
    channel: str,
    address: str,
    language: str,
    consent_text: str,
    ip: str | None,
    *,
    consent_language: str = "",
) -> Subscriber:
    """Subscribe an address with the consent text exactly as shown.

    Email becomes `pending` and gets a confirmation link (double opt-in); Telegram and WhatsApp
    are `active` at once. Subscribing an address that unsubscribed starts over with the fresh
    consent. An address already subscribed stays one subscriber (no duplicate rows).
    Raises ValidationError for an invalid address or missing consent.
    """
    if channel not in Channel.values:
        raise ValidationError(_("Choose how to receive the news."), code="invalid_channel")
    address = normalise_address(channel, address)
    if not (consent_text or "").strip():
        raise ValidationError(_("Consent is required to subscribe."), code="no_consent")
    language = language if language in CONTENT_LANGUAGES else "ky"
    now = timezone.now()
    initial = Subscriber.Status.PENDING if channel == Channel.EMAIL else Subscriber.Status.ACTIVE
    fields = {
        "language": language,
        "consent_text": consent_text,
        "consent_language": consent_language or language,
        "consent_at": now,
        "consent_ip": ip or None,
    }
    with transaction.atomic():
        sub = (
            Subscriber.objects.select_for_update()
            .filter(municipality=municipality, channel=channel, address=address)
            .first()
        )
        send_confirmation = throttle = False
        if sub is None:
            try:
                with transaction.atomic():
                    sub = Subscriber.objects.create(
                        municipality=municipality,
                        channel=channel,
                        address=address,
                        status=initial,
                        **fields,
                    )
            except IntegrityError:  # a concurrent request created it: fall through as existing
                sub = Subscriber.objects.select_for_update().get(
                    municipality=municipality, channel=channel, address=address
                )
            else:
                send_confirmation = channel == Channel.EMAIL
        if sub.status == Subscriber.Status.UNSUBSCRIBED:
            for k, v in fields.items():
                setattr(sub, k, v)
            sub.status = initial
            sub.confirm_token = new_token()
            sub.confirmed_at = sub.unsubscribed_at = None
            sub.note = ""
            sub.save()
            send_confirmation = channel == Channel.EMAIL
        elif not send_confirmation and sub.status == Subscriber.Status.PENDING:
            # Asked again before confirming: fresh consent, the link is sent again (throttled).
            for k, v in fields.items():
                setattr(sub, k, v)
            sub.save()
            send_confirmation = throttle = True
        elif not send_confirmation and sub.status == Subscriber.Status.ACTIVE:
            if channel != Channel.EMAIL:
                # The number or chat was given again with consent: keep the newest choice.
                for k, v in fields.items():
                    setattr(sub, k, v)
                sub.save()
            else:
                # An email is only changed after its owner confirms; say nothing about it here.
                return sub
        event = _consent(sub, ConsentEvent.Kind.GIVEN, consent_text, fields["consent_language"], ip)
        if send_confirmation:
            _send_confirmation(sub, event, throttle=throttle)
    return sub


def _send_confirmation(
    sub: Subscriber, event: ConsentEvent, *, throttle: bool = False
) -> OutboxMessage | None:
    """Queue the double opt-in email. `throttle`: not again within MESSAGING_CONFIRM_RESEND_SECONDS."""
    gap = int(getattr(settings, "MESSAGING_CONFIRM_RESEND_SECONDS", 600))
    recent = OutboxMessage.objects.filter(
        subscriber=sub,
        source="subscription:confirm",
        created_at__gte=timezone.now() - timedelta(seconds=gap),
    ).exclude(status=OutboxMessage.Status.CANCELLED)
    if throttle and recent.exists():
        return None
    municipality = sub.municipality
    with translation.override(sub.language):
        context = {
            "municipality_name": municipality.name_in(sub.language),
            "confirm_url": site_url(sub.confirm_path()),
            "unsubscribe_url": site_url(sub.unsubscribe_path()),
        }
        subject = render_to_string("messaging/email/confirm_subject.txt", context).strip()
        body = render_to_string("messaging/email/confirm.txt", context)
    return enqueue(
        municipality,
        Channel.EMAIL,
        sub.address,
        body,
        key=f"subscriber:{sub.pk}:confirm:{event.pk}",
        source="subscription:confirm",
        subject=subject,
        payload={
            "from_name": municipality.name_in(sub.language),
            "unsubscribe_url": site_url(sub.unsubscribe_path()),
        },
        subscriber=sub,
    )


def confirm(token: str, *, municipality=None, ip: str | None = None) -> Subscriber | None:
    """Confirm an email subscription (second step of double opt-in). None: no such link."""
    if not token:
        return None
    with transaction.atomic():
        qs = Subscriber.objects.select_for_update().filter(confirm_token=token)
        if municipality is not None:
            qs = qs.filter(municipality=municipality)
        sub = qs.first()
        if sub is None or sub.status == Subscriber.Status.UNSUBSCRIBED:
            return None
        if sub.status == Subscriber.Status.PENDING:
            sub.status = Subscriber.Status.ACTIVE
            sub.confirmed_at = timezone.now()
            sub.save(update_fields=["status", "confirmed_at", "updated_at"])
            _consent(sub, ConsentEvent.Kind.CONFIRMED, ip=ip)
    return sub


def unsubscribe(
    token: str, *, municipality=None, ip: str | None = None, note: str = ""
) -> Subscriber | None:
    """Unsubscribe by the token from a message's link; queued messages to them are cancelled."""
    if not token:
        return None
    with transaction.atomic():
        qs = Subscriber.objects.select_for_update().filter(unsubscribe_token=token)
        if municipality is not None:
            qs = qs.filter(municipality=municipality)
        sub = qs.first()
        if sub is None:
            return None
        if sub.status != Subscriber.Status.UNSUBSCRIBED:
            _set_unsubscribed(sub, ConsentEvent.Kind.WITHDRAWN, note=note, ip=ip)
    return sub


def unsubscribe_by_provider(subscriber: Subscriber, note: str) -> None:
    """The provider says the recipient is gone (bot blocked, number not on WhatsApp…)."""
    with transaction.atomic():
        sub = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if sub.status != Subscriber.Status.UNSUBSCRIBED:
            _set_unsubscribed(sub, ConsentEvent.Kind.PROVIDER, note=note)


def _set_unsubscribed(sub: Subscriber, kind: str, note: str = "", ip=None) -> None:
    sub.status = Subscriber.Status.UNSUBSCRIBED
    sub.unsubscribed_at = timezone.now()
    sub.note = note[:300]
    sub.save(update_fields=["status", "unsubscribed_at", "note", "updated_at"])
    _consent(sub, kind, text=note, ip=ip)
    OutboxMessage.objects.filter(subscriber=sub, status=OutboxMessage.Status.QUEUED).update(
        status=OutboxMessage.Status.CANCELLED, last_error="unsubscribed", error_kind=""
    )


# --- the outbox -----------------------------------------------------------------------------


def _check_message(provider: str, recipient: str, body: str) -> None:
    if provider not in Channel.values:
        raise ValidationError(f"Unknown provider {provider!r}")
    if not recipient:
        raise ValidationError("A message needs a recipient")
    if provider == Channel.TELEGRAM and len(body) > TELEGRAM_TEXT_LIMIT:
        raise ValidationError(
            _("The text is too long for Telegram (%(n)s characters, at most %(max)s).")
            % {"n": len(body), "max": TELEGRAM_TEXT_LIMIT},
            code="too_long",
        )


def enqueue(
    municipality,
    provider: str,
    recipient: str,
    body: str,
    *,
    key: str,
    source: str,
    subject: str = "",
    payload: dict | None = None,
    subscriber: Subscriber | None = None,
) -> OutboxMessage:
    """Put one message in the outbox. Idempotent on `key`: the same key returns the existing row."""
    existing = OutboxMessage.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    _check_message(provider, recipient, body)
    msg, created = OutboxMessage.objects.get_or_create(
        idempotency_key=key,
        defaults={
            "municipality": municipality,
            "provider": provider,
            "recipient": recipient,
            "subscriber": subscriber,
            "source": source,
            "subject": subject[:300],
            "body": body,
            "payload": payload or {},
            "next_attempt_at": timezone.now(),
        },
    )
    if created:
        kick_worker()
    return msg


def unsubscribe_footer(sub: Subscriber) -> str:
    with translation.override(sub.language):
        return _("Unsubscribe: %(url)s") % {"url": site_url(sub.unsubscribe_path())}


RenderResult = tuple[str, str, dict | None] | None


def enqueue_to_subscribers(
    municipality,
    source: str,
    render: Callable[[Subscriber], RenderResult],
    *,
    channels: Iterable[str] | None = None,
) -> int:
    """One message per active subscriber, keyed "<source>:subscriber:<id>"; returns how many new.

    `render(subscriber)` runs in the subscriber's language and returns (subject, body, payload),
    or None to skip them. Email and Telegram bodies get an unsubscribe link appended; the
    payload gets "language" and "unsubscribe_url" (for a WhatsApp template parameter).
    Enqueueing the same source again adds only subscribers who have none yet.
    """
    subs = Subscriber.objects.filter(
        municipality=municipality, status=Subscriber.Status.ACTIVE
    ).select_related("municipality")
    if channels is not None:
        subs = subs.filter(channel__in=list(channels))
    prefix = f"{source}:subscriber:"
    done = set(
        OutboxMessage.objects.filter(idempotency_key__startswith=prefix).values_list(
            "idempotency_key", flat=True
        )
    )
    now = timezone.now()
    batch: list[OutboxMessage] = []
    for sub in subs.iterator(chunk_size=500):
        key = f"{prefix}{sub.pk}"
        if key in done:
            continue
        with translation.override(sub.language):
            rendered = render(sub)
        if rendered is None:
            continue
        subject, body, payload = rendered
        payload = dict(payload or {})
        unsubscribe_url = site_url(sub.unsubscribe_path())
        payload.setdefault("language", sub.language)
        payload.setdefault("unsubscribe_url", unsubscribe_url)
        if sub.channel in (Channel.EMAIL, Channel.TELEGRAM):
            body = f"{body.rstrip()}\n\n{unsubscribe_footer(sub)}"
        if sub.channel == Channel.EMAIL:
            payload.setdefault("from_name", municipality.name_in(sub.language))
        _check_message(sub.channel, sub.address, body)
        batch.append(
            OutboxMessage(
                municipality=municipality,
                idempotency_key=key,
                provider=sub.channel,
                recipient=sub.address,
                subscriber=sub,
                source=source,
                subject=(subject or "")[:300],
                body=body,
                payload=payload,
                next_attempt_at=now,
            )
        )
    created = 0
    for i in range(0, len(batch), 500):
        chunk = batch[i : i + 500]
        OutboxMessage.objects.bulk_create(chunk, ignore_conflicts=True)
        created += len(chunk)
    if created:
        kick_worker()
    return created


def enqueue_channel_post(municipality, source: str, text: str) -> OutboxMessage | None:
    """Post `text` to the municipality's Telegram channel (None when no channel is set)."""
    chat_id = telegram_channel(municipality)
    if not chat_id:
        return None
    return enqueue(
        municipality,
        Channel.TELEGRAM,
        chat_id,
        text,
        key=f"{source}:telegram-channel:{chat_id}",
        source=source,
    )


def retry_failed(messages) -> int:
    """Queue failed messages again now, with a fresh set of attempts (their log is kept)."""
    n = messages.filter(status=OutboxMessage.Status.FAILED).update(
        status=OutboxMessage.Status.QUEUED,
        attempts=0,
        next_attempt_at=timezone.now(),
        lease_until=None,
        claimed_by="",
    )
    if n:
        kick_worker()
    return n


def kick_worker() -> None:
    """Ask for a delivery run as soon as the current transaction commits (best effort)."""
    if not getattr(settings, "MESSAGING_KICK_AFTER_ENQUEUE", True):
        return

    def kick():
        try:
            from jamaat.messaging.tasks import deliver_outbox_now

            deliver_outbox_now()
        except Exception:  # the periodic task picks the message up within a minute
            log.exception("could not start the delivery task")

    transaction.on_commit(kick)


# --- provider accounts ----------------------------------------------------------------------


def account(municipality, provider: str) -> ProviderAccount | None:
    return ProviderAccount.objects.filter(
        municipality=municipality, provider=provider, is_active=True
    ).first()


def adapter_for(municipality, provider: str, timeout: float | None = None):
    """The adapter with the municipality's own account, else the platform's env settings."""
    acc = account(municipality, provider) if provider != Channel.EMAIL else None
    if provider == Channel.TELEGRAM:
        if acc and acc.token:
            return TelegramAdapter(acc.token, acc.base_url or TELEGRAM_BASE, timeout)
        return TelegramAdapter(
            setting("TELEGRAM_BOT_TOKEN"), setting("TELEGRAM_API_BASE", TELEGRAM_BASE), timeout
        )
    if provider == Channel.WHATSAPP:
        if acc and acc.token:
            return WhatsAppCloudAdapter(
                acc.token,
                acc.phone_number_id,
                acc.base_url or WHATSAPP_BASE,
                timeout,
                default_template=acc.whatsapp_template or setting("WHATSAPP_TEMPLATE"),
            )
        return WhatsAppCloudAdapter(
            setting("WHATSAPP_TOKEN"),
            setting("WHATSAPP_PHONE_NUMBER_ID"),
            setting("WHATSAPP_API_BASE", WHATSAPP_BASE),
            timeout,
            default_template=setting("WHATSAPP_TEMPLATE"),
        )
    if provider == Channel.EMAIL:
        return EmailAdapter(timeout=timeout)
    raise NotConfigured(f"unknown provider {provider}")


def provider_ready(municipality, provider: str) -> bool:
    try:
        adapter_for(municipality, provider)
    except NotConfigured:
        return False
    return True


def available_channels(municipality) -> list[str]:
    """Channels residents can subscribe to here: email always, messengers once set up."""
    return [c for c in Channel.values if c == Channel.EMAIL or provider_ready(municipality, c)]


def telegram_channel(municipality) -> str:
    acc = account(municipality, Channel.TELEGRAM)
    return (acc.channel_chat_id if acc else "") or setting("TELEGRAM_CHANNEL_CHAT_ID")


def telegram_member_count(municipality, chat_id: str | None = None) -> int:
    """Members of the municipality's Telegram channel (raises NotConfigured / DeliveryError)."""
    chat_id = chat_id or telegram_channel(municipality)
    if not chat_id:
        raise NotConfigured("No Telegram channel is set")
    return adapter_for(municipality, Channel.TELEGRAM).member_count(chat_id)

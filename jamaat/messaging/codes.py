"""Confirmation codes to a resident's phone: one pluggable sender for every feature that asks.

Initiatives (support one per phone) and questionnaires (one answer per phone, when the
municipality asks for it) both send a 6-digit code and check it. What they share lives here:

    class CodeSender(Protocol):
        def send_code(self, *, municipality, phone, code, text, language, key, source) -> str

`send_code` delivers (or queues) `text`, which contains `code`, and returns the channel used,
shown to the resident ("whatsapp", "sms", …). It raises `CodeNotSent` when it cannot send.

The setting PHONE_CODE_SENDER (a dotted path) chooses the sender:

- `jamaat.messaging.codes.MessagingCodeSender` (default): through the outbox
  (`jamaat.messaging.services.enqueue`) by WhatsApp when the municipality's WhatsApp provider is
  ready (`provider_ready`); otherwise it hands the code to the SMS sender named by
  PHONE_SMS_CODE_SENDER (default: the console sender below, until an SMS gateway exists).
  Telegram is not used: a Telegram bot cannot write to a phone number, only to a chat ID that
  the resident gave it first.
- `jamaat.messaging.codes.ConsoleCodeSender`: development; logs the code (logger
  "jamaat.messaging.codes") and sends nothing.
- `jamaat.messaging.codes.MemoryCodeSender`: tests; keeps every sent code in
  `MemoryCodeSender.sent`.

With WhatsApp, the message uses the template PHONE_CODE_WHATSAPP_TEMPLATE when set (an approved
"authentication" template whose one parameter is the code), else the municipality's default
template with the whole text as its parameter.

`new_code()`, `code_hash()` and `check()` are the shared rules: codes are random, stored only
as a salted HMAC bound to a random token, valid PHONE_CODE_TTL_SECONDS (600), at most
PHONE_CODE_MAX_ATTEMPTS (5) tries, and not re-sent within PHONE_CODE_RESEND_SECONDS (60).
"""

from __future__ import annotations

import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

log = logging.getLogger(__name__)


class CodeNotSent(Exception):
    """The code could not be sent (no channel, provider refused the message …)."""


class CodeSender(Protocol):
    def send_code(
        self,
        *,
        municipality,
        phone: str,
        code: str,
        text: str,
        language: str,
        key: str,
        source: str,
    ) -> str: ...


# --- the rules shared by every code -------------------------------------------------------------


def ttl_seconds() -> int:
    return int(getattr(settings, "PHONE_CODE_TTL_SECONDS", 600))


def resend_seconds() -> int:
    return int(getattr(settings, "PHONE_CODE_RESEND_SECONDS", 60))


def max_attempts() -> int:
    return int(getattr(settings, "PHONE_CODE_MAX_ATTEMPTS", 5))


def new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def new_token() -> str:
    return secrets.token_urlsafe(24)


def code_hash(purpose: str, token: str, code: str) -> str:
    """The stored form of a code: a salted HMAC bound to the pending check's random token."""
    return salted_hmac(f"jamaat.{purpose}", f"{token}:{code}").hexdigest()


def matches(purpose: str, token: str, typed: str, stored_hash: str) -> bool:
    digits = "".join(ch for ch in (typed or "") if ch.isdigit())
    return len(digits) == 6 and hmac.compare_digest(code_hash(purpose, token, digits), stored_hash)


def expired_message() -> str:
    return _("The code has expired: codes are valid for %(minutes)s minutes. Send a new code.") % {
        "minutes": ttl_seconds() // 60
    }


def too_many_message() -> str:
    return _("Too many wrong codes. Send a new code.")


def wrong_code_message(left: int) -> str:
    if not left:
        return _("Wrong code, and that was the last attempt. Send a new code.")
    return ngettext(
        "Wrong code. You have %(n)s more attempt.",
        "Wrong code. You have %(n)s more attempts.",
        left,
    ) % {"n": left}


def masked(phone: str) -> str:
    """ "+996 ••• •• 34 56": enough for the resident to recognise the number, no more."""
    return f"{phone[:4]} ••• •• {phone[-4:-2]} {phone[-2:]}" if len(phone) >= 8 else ""


def not_sent_message() -> str:
    return _("We could not send the code just now. Please try again in a few minutes.")


# --- issuing and checking, for any `PendingCode` subclass -------------------------------------


def issue(pending, *, create, purpose, municipality, phone, text, language, source, code=None):
    """Send a code to `phone`, or return the one sent within PHONE_CODE_RESEND_SECONDS that still
    has tries left (so pressing the button twice sends one message).

    `pending`: the feature's pending codes for this phone (a filtered queryset); `create(**fields)`
    makes the new row with the feature's own fields added; `text(code)` is the message.
    `code` is for tests and tools only. Raises `CodeNotSent` (call inside a transaction, so the
    new row goes away with it).
    """
    now = timezone.now()
    recent = (
        pending.filter(
            used_at=None,
            created_at__gte=now - timedelta(seconds=resend_seconds()),
            expires_at__gt=now,
        )
        .order_by("-created_at")
        .first()
    )
    if recent is not None and recent.attempts_left and code is None:
        return recent
    code = code or new_code()
    token = new_token()
    row = create(
        token=token,
        code_hash=code_hash(purpose, token, code),
        created_at=now,
        expires_at=now + timedelta(seconds=ttl_seconds()),
    )
    row.delivery = code_sender().send_code(
        municipality=municipality,
        phone=phone,
        code=code,
        text=text(code),
        language=language,
        key=f"{purpose}:{row.pk}",
        source=source,
    )
    row.save(update_fields=["delivery"])
    return row


def check(row, purpose: str, typed: str) -> tuple[str, str] | None:
    """None when `typed` is the code of `row` (locked by the caller); else (reason, message) with
    reason "expired", "too_many" or "wrong_code". A wrong code uses up a try (saved here)."""
    if row.is_expired():
        return "expired", expired_message()
    if row.attempts >= max_attempts():
        return "too_many", too_many_message()
    if not matches(purpose, row.token, typed, row.code_hash):
        row.attempts += 1
        row.save(update_fields=["attempts"])
        left = row.attempts_left
        return ("wrong_code" if left else "too_many"), wrong_code_message(left)
    return None


# --- senders ------------------------------------------------------------------------------------


class ConsoleCodeSender:
    """Development: the code goes to the log only."""

    channel = "sms"

    def send_code(self, *, municipality, phone, code, text, language, key, source) -> str:
        log.warning(
            "Confirmation code for %s, phone %s: %s (console sender: nothing was sent)",
            source,
            phone,
            code,
        )
        return self.channel


@dataclass
class SentCode:
    phone: str
    code: str
    language: str
    text: str
    source: str


class MemoryCodeSender:
    """Tests: remembers what it sent, like Django's locmem email backend."""

    sent: list[SentCode] = []
    channel = "sms"

    def send_code(self, *, municipality, phone, code, text, language, key, source) -> str:
        MemoryCodeSender.sent.append(SentCode(phone, code, language, text, source))
        return self.channel


class MessagingCodeSender:
    """WhatsApp through the messaging outbox when ready, else the SMS sender."""

    def send_code(self, *, municipality, phone, code, text, language, key, source) -> str:
        from jamaat.messaging import services as messaging

        if messaging.provider_ready(municipality, "whatsapp"):
            payload = {"language": language}
            template = getattr(settings, "PHONE_CODE_WHATSAPP_TEMPLATE", "")
            if template:
                payload.update(template=template, params=[code])
            try:
                messaging.enqueue(
                    municipality, "whatsapp", phone, text, key=key, source=source, payload=payload
                )
            except Exception as exc:  # a refused message must not lose the resident's input
                log.exception("could not queue a confirmation code")
                raise CodeNotSent(str(exc)) from exc
            return "whatsapp"
        return sms_sender().send_code(
            municipality=municipality,
            phone=phone,
            code=code,
            text=text,
            language=language,
            key=key,
            source=source,
        )


def _load(setting: str, default: str):
    path = getattr(settings, setting, "") or default
    return import_string(path)()


def sms_sender() -> CodeSender:
    return _load("PHONE_SMS_CODE_SENDER", "jamaat.messaging.codes.ConsoleCodeSender")


def code_sender() -> CodeSender:
    return _load("PHONE_CODE_SENDER", "jamaat.messaging.codes.MessagingCodeSender")

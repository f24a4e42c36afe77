"""How a support confirmation code reaches the resident's phone: a small pluggable sender.

    class CodeSender(Protocol):
        def send_code(self, *, municipality, phone, code, language, initiative, key) -> str

`send_code` delivers (or queues) the text with the 6-digit code and returns the channel used,
shown to the resident ("whatsapp", "sms", …). It raises `CodeNotSent` when it cannot send.

The setting INITIATIVES_CODE_SENDER (a dotted path) chooses the sender:

- `jamaat.initiatives.codes.MessagingCodeSender` (default): through the messaging layer's outbox
  (`jamaat.messaging.services.enqueue`) by WhatsApp when the municipality's WhatsApp provider is
  ready (`provider_ready`); otherwise it hands the code to the SMS sender named by
  INITIATIVES_SMS_CODE_SENDER (default: the console sender below, until an SMS gateway exists).
  Telegram is not used: a Telegram bot cannot write to a phone number, only to a chat ID that
  the resident gave it first.
- `jamaat.initiatives.codes.ConsoleCodeSender`: development; logs the code (logger
  "jamaat.initiatives.codes") and sends nothing.
- `jamaat.initiatives.codes.MemoryCodeSender`: tests; keeps every sent code in `MemoryCodeSender.sent`.

With WhatsApp, the message uses the template INITIATIVES_WHATSAPP_CODE_TEMPLATE when set (an
approved "authentication" template whose one parameter is the code), else the municipality's
default template with the whole text as its parameter.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)


class CodeNotSent(Exception):
    """The code could not be sent (no channel, provider refused the message …)."""


class CodeSender(Protocol):
    def send_code(
        self, *, municipality, phone: str, code: str, language: str, initiative, key: str
    ) -> str: ...


def code_text(municipality, initiative, code: str, language: str) -> str:
    minutes = int(getattr(settings, "INITIATIVES_CODE_TTL_SECONDS", 600)) // 60
    with translation.override(language):
        return _(
            "%(code)s is your code to support the initiative “%(title)s” (%(name)s). "
            "It is valid for %(minutes)s minutes. Do not give it to anyone."
        ) % {
            "code": code,
            "title": initiative.title[:80],
            "name": municipality.name_in(language),
            "minutes": minutes,
        }


class ConsoleCodeSender:
    """Development: the code goes to the log only."""

    channel = "sms"

    def send_code(self, *, municipality, phone, code, language, initiative, key) -> str:
        log.warning(
            "Support code for initiative %s, phone %s: %s (console sender: nothing was sent)",
            initiative.pk,
            phone,
            code,
        )
        return self.channel


@dataclass
class SentCode:
    phone: str
    code: str
    language: str
    initiative_id: int
    text: str


class MemoryCodeSender:
    """Tests: remembers what it sent, like Django's locmem email backend."""

    sent: list[SentCode] = []
    channel = "sms"

    def send_code(self, *, municipality, phone, code, language, initiative, key) -> str:
        MemoryCodeSender.sent.append(
            SentCode(
                phone,
                code,
                language,
                initiative.pk,
                code_text(municipality, initiative, code, language),
            )
        )
        return self.channel


class MessagingCodeSender:
    """WhatsApp through the messaging outbox when ready, else the SMS sender."""

    def send_code(self, *, municipality, phone, code, language, initiative, key) -> str:
        from jamaat.messaging import services as messaging

        if messaging.provider_ready(municipality, "whatsapp"):
            payload = {"language": language}
            template = getattr(settings, "INITIATIVES_WHATSAPP_CODE_TEMPLATE", "")
            if template:
                payload.update(template=template, params=[code])
            try:
                messaging.enqueue(
                    municipality,
                    "whatsapp",
                    phone,
                    code_text(municipality, initiative, code, language),
                    key=key,
                    source=f"initiatives.support_code:{initiative.pk}",
                    payload=payload,
                )
            except Exception as exc:  # a refused message must not lose the resident's input
                log.exception("could not queue a support code")
                raise CodeNotSent(str(exc)) from exc
            return "whatsapp"
        return sms_sender().send_code(
            municipality=municipality,
            phone=phone,
            code=code,
            language=language,
            initiative=initiative,
            key=key,
        )


def _load(setting: str, default: str):
    path = getattr(settings, setting, "") or default
    return import_string(path)()


def sms_sender() -> CodeSender:
    return _load("INITIATIVES_SMS_CODE_SENDER", "jamaat.initiatives.codes.ConsoleCodeSender")


def code_sender() -> CodeSender:
    return _load("INITIATIVES_CODE_SENDER", "jamaat.initiatives.codes.MessagingCodeSender")

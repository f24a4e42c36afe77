"""The text of an initiative's support code; sending and checking are in `jamaat.messaging.codes`
(shared with questionnaires' phone confirmation)."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from jamaat.messaging import codes


def code_text(municipality, initiative, code: str, language: str) -> str:
    minutes = codes.ttl_seconds() // 60
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

"""Writes of the surveys app. The one way answers enter Jamaat is `submit_response`.

``submit_response(version, answers, *, channel, round, batch_ref=None, serial=None, language)``
validates and stores one filled-in questionnaire; the online form, the API and (later) the
`paper` app's data entry all call it. `answers` maps question codes to values, in either form:

* nested (the API): ``{"q1": "opt", "q2": ["a", "other"], "q2__other": "text",
  "q3": 4, "q4": {"row1": 5, "row2": 3}}``;
* flat (HTML forms, paper entry): strings only, a multiple choice as a list of strings and a matrix
  row as ``"q4__row1": "5"``.

Values: single choice / gender / age group: an option code; multiple choice: a list of codes
(``"other"`` with the text under ``"<code>__other"`` when the question allows "other");
rating: 1–5; yes/no: ``"yes"`` / ``"no"``; number: a number within min/max; date: YYYY-MM-DD;
village: the village's id; matrix: row code → 1–5.

Validation walks the questions in order, so a "show if" condition sees the cleaned answers of
earlier questions; answers to hidden questions are dropped and hidden questions are never
required. Errors come back as `InvalidResponse.errors`: ``{code: message}`` (messages in the
active language), nothing is stored then. `validate(...)` does the same without storing, and
`visible_codes(...)` tells which questions are shown for given answers (the online form uses it
page by page).

Online answers need an open round (`RoundClosed` otherwise); paper and interview answers may be
entered after the round closed, but not into a draft questionnaire.

Phone confirmation (a questionnaire with `requires_phone`): `start_phone_check(round, phone)`
sends a 6-digit code (through `jamaat.messaging.codes`) and returns the pending `PhoneCheck`;
`confirm_and_submit(check, code, version, answers, …)` checks the code and stores the response in
one transaction, so a number answers once per round and a wrong code loses no answers. The number
is kept only as a keyed hash, never with the response.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from jamaat.core import audit
from jamaat.messaging import codes
from jamaat.messaging.services import normalise_kg_phone
from jamaat.surveys import conditions
from jamaat.surveys.models import (
    Answer,
    Option,
    PhoneCheck,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    Round,
    Section,
)

T = Question.Type
YES_NO = ("yes", "no")
RATING = range(1, 6)
OTHER = "other"


class InvalidResponse(ValueError):
    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class RoundClosed(ValueError):
    pass


def fixed_options(question) -> list[tuple[str, str]]:
    """(code, label) of a question's choices, for every type that has fixed ones."""
    if question.type in (T.SINGLE, T.MULTIPLE):
        return [(o.code, o.label) for o in question.options.all()]
    if question.type == T.YES_NO:
        return [("yes", _("Yes")), ("no", _("No"))]
    if question.type == T.RATING:
        return [(str(i), str(i)) for i in RATING]
    if question.type == T.GENDER:
        return list(Response.Gender.choices)
    if question.type == T.AGE_GROUP:
        return list(Response.AgeGroup.choices)
    return []


@dataclass
class Clean:
    """A cleaned answer: `value` for conditions, `rows` for storage."""

    value: object
    rows: list[tuple[str, str, str, float | None]]  # (row_code, option_code, value, number)


def _blank(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip()) or raw in ([], {})


def _number(raw) -> float | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        return float(raw)
    try:
        return float(str(raw).strip().replace(",", ".").replace(" ", ""))
    except ValueError:
        return None


def _raw(question, answers: dict):
    """The raw answer of `question` in nested or flat form (None if absent)."""
    code = question.code
    if question.type == T.MATRIX:
        nested = answers.get(code)
        out = dict(nested) if isinstance(nested, dict) else {}
        for row in question.rows:
            key = f"{code}__{row['code']}"
            if key in answers and not _blank(answers[key]):
                out[row["code"]] = answers[key]
        return {k: v for k, v in out.items() if not _blank(v)} or None
    raw = answers.get(code)
    if question.type == T.MULTIPLE and isinstance(raw, str):
        raw = [raw]
    if isinstance(raw, list | tuple):
        raw = [x for x in raw if not _blank(x)]
    return None if _blank(raw) else raw


def clean_answer(question, raw, answers: dict, villages: dict) -> Clean:
    """Check one present answer; raise ValueError(message) when it is wrong."""
    t = question.type
    if t in (T.SINGLE, T.YES_NO, T.GENDER, T.AGE_GROUP, T.RATING):
        codes = [c for c, _label in fixed_options(question)]
        text = str(int(raw) if isinstance(raw, float) and raw.is_integer() else raw).strip()
        if t == T.SINGLE and question.allow_other and text == OTHER:
            other = str(answers.get(f"{question.code}__other") or "").strip()
            if not other:
                raise ValueError(_("Write your answer after “Other”."))
            return Clean(OTHER, [("", OTHER, other, None)])
        if text not in codes:
            if t == T.RATING:
                raise ValueError(_("Choose a rating from 1 to 5."))
            raise ValueError(_("Choose one of the answers offered."))
        number = float(text) if t == T.RATING else None
        return Clean(number if t == T.RATING else text, [("", text, text, number)])
    if t == T.MULTIPLE:
        if not isinstance(raw, list | tuple):
            raise ValueError(_("Choose one or more of the answers offered."))
        codes = {c for c, _label in fixed_options(question)}
        chosen, rows = [], []
        for item in raw:
            code = str(item).strip()
            if code in chosen:
                continue
            if code == OTHER and question.allow_other:
                other = str(answers.get(f"{question.code}__other") or "").strip()
                if not other:
                    raise ValueError(_("Write your answer after “Other”."))
                rows.append(("", OTHER, other, None))
            elif code in codes:
                rows.append(("", code, code, None))
            else:
                raise ValueError(_("Choose one or more of the answers offered."))
            chosen.append(code)
        return Clean(chosen, rows)
    if t == T.NUMBER:
        number = _number(raw)
        if number is None:
            raise ValueError(_("Enter a number, for example 12."))
        if question.integer_only and not number.is_integer():
            raise ValueError(_("Enter a whole number."))
        lo, hi = question.min_value, question.max_value
        if lo is not None and Decimal(str(number)) < lo:
            raise ValueError(_("The number must be at least %(n)s.") % {"n": _fmt(lo)})
        if hi is not None and Decimal(str(number)) > hi:
            raise ValueError(_("The number must be at most %(n)s.") % {"n": _fmt(hi)})
        return Clean(number, [("", "", _fmt(number), number)])
    if t == T.DATE:
        try:
            day = date.fromisoformat(str(raw).strip())
        except ValueError:
            raise ValueError(_("Enter a date as YYYY-MM-DD, for example 2025-05-31.")) from None
        return Clean(day.isoformat(), [("", "", day.isoformat(), None)])
    if t in (T.TEXT, T.LONG_TEXT):
        text = str(raw).strip()
        limit = 300 if t == T.TEXT else 5000
        if len(text) > limit:
            raise ValueError(_("The text is too long (at most %(n)s characters).") % {"n": limit})
        return Clean(text, [("", "", text, None)])
    if t == T.VILLAGE:
        key = str(raw).strip()
        if key not in villages:
            raise ValueError(_("Choose one of the villages offered."))
        return Clean(key, [("", key, villages[key], None)])
    if t == T.MATRIX:
        if not isinstance(raw, dict):
            raise ValueError(_("Rate each line from 1 to 5."))
        known = [r["code"] for r in question.rows]
        value, rows = {}, []
        for row_code in known:
            if row_code not in raw:
                continue
            number = _number(raw[row_code])
            if number is None or number not in RATING:
                raise ValueError(_("Rate each line from 1 to 5."))
            value[row_code] = number
            rows.append((row_code, str(int(number)), str(int(number)), number))
        unknown = set(raw) - set(known)
        if unknown:
            raise ValueError(_("Rate each line from 1 to 5."))
        if question.required and len(value) < len(known):
            raise ValueError(_("Rate every line."))
        return Clean(value, rows)
    raise ValueError(t)  # pragma: no cover


def _fmt(number) -> str:
    number = float(number)
    return str(int(number)) if number.is_integer() else str(number)


def _villages(version) -> dict[str, str]:
    from jamaat.municipalities.models import Village

    return {
        str(pk): name
        for pk, name in Village.objects.filter(
            municipality_id=version.questionnaire.municipality_id
        ).values_list("pk", "name_ky")
    }


def validate(version, answers: dict, questions=None, villages=None):
    """(cleaned {code: Clean}, errors {code: message}, visible codes) for `answers`."""
    questions = questions if questions is not None else version.ordered_questions()
    villages = villages if villages is not None else _villages(version)
    cleaned: dict[str, Clean] = {}
    errors: dict[str, str] = {}
    visible: list[str] = []
    values: dict[str, object] = {}
    for q in questions:
        if q.show_if.strip():
            try:
                shown = conditions.evaluate(q.show_if, values)
            except conditions.ConditionError:
                shown = True
            if not shown:
                continue
        if q.type == T.VILLAGE and not villages:
            continue  # a city without villages listed: the question cannot be asked
        visible.append(q.code)
        raw = _raw(q, answers)
        if raw is None:
            if q.required:
                errors[q.code] = (
                    _("Rate every line.") if q.type == T.MATRIX else _("This question is required.")
                )
            continue
        try:
            clean = clean_answer(q, raw, answers, villages)
        except ValueError as exc:
            errors[q.code] = str(exc)
            continue
        cleaned[q.code] = clean
        values[q.code] = clean.value
    return cleaned, errors, visible


def visible_codes(version, answers: dict, questions=None, villages=None) -> list[str]:
    return validate(version, answers, questions, villages)[2]


def submit_response(
    version: QuestionnaireVersion,
    answers: dict,
    *,
    channel: str = Response.Channel.ONLINE,
    round: Round | None = None,
    batch_ref: str | None = None,
    serial: str | None = None,
    language: str = "ky",
    now=None,
    questions=None,
) -> Response:
    questionnaire = version.questionnaire
    now = now or timezone.now()
    if questionnaire.status == Questionnaire.Status.DRAFT:
        raise RoundClosed(_("This questionnaire is not published yet."))
    if channel == Response.Channel.ONLINE:
        if questionnaire.status != Questionnaire.Status.PUBLISHED:
            raise RoundClosed(_("This questionnaire is closed: answers are no longer accepted."))
        if round is None or not round.is_open(now):
            raise RoundClosed(
                _("This questionnaire is not open for answers now.")
                if round is None
                else _("Answers were accepted from %(start)s to %(end)s.")
                % {
                    "start": timezone.localtime(round.opens_at).strftime("%d.%m.%Y"),
                    "end": timezone.localtime(round.closes_at).strftime("%d.%m.%Y"),
                }
            )
    if round is not None and round.questionnaire_id != questionnaire.pk:
        raise ValueError("round of another questionnaire")
    questions = questions if questions is not None else version.ordered_questions()
    cleaned, errors, _visible = validate(version, answers, questions)
    if errors:
        raise InvalidResponse(errors)
    by_code = {q.code: q for q in questions}
    demo = {"village_id": None, "gender": "", "age_group": ""}
    for code, clean in cleaned.items():
        t = by_code[code].type
        if t == T.VILLAGE:
            demo["village_id"] = int(clean.value)
        elif t == T.GENDER:
            demo["gender"] = clean.value
        elif t == T.AGE_GROUP:
            demo["age_group"] = clean.value
    with transaction.atomic():
        response = Response.objects.create(
            municipality_id=questionnaire.municipality_id,
            questionnaire=questionnaire,
            version=version,
            round=round,
            channel=channel,
            batch_ref=batch_ref,
            serial=serial,
            submitted_at=now,
            language=(language or "ky")[:8],
            **demo,
        )
        Answer.objects.bulk_create(
            [
                Answer(
                    response=response,
                    question=by_code[code],
                    question_code=code,
                    row_code=row_code,
                    option_code=option_code,
                    value=value,
                    number=number,
                )
                for code, clean in cleaned.items()
                for row_code, option_code, value, number in clean.rows
            ]
        )
    return response


# --- phone confirmation ------------------------------------------------------------------------

PHONE_PURPOSE = "surveys.phone-code"


class PhoneCheckError(ValidationError):
    """A refused confirmation step; `code` says which (invalid_phone, duplicate, closed,
    not_sent, expired, too_many, wrong_code)."""


def phone_key(questionnaire_id: int, phone: str) -> str:
    """The keyed hash a number is remembered by: unlinkable across questionnaires."""
    return salted_hmac("jamaat.surveys.phone", f"{questionnaire_id}:{phone}").hexdigest()


def already_answered_message() -> str:
    return _("This phone number has already been used to answer in this round.")


def phone_code_text(questionnaire: Questionnaire, code: str, language: str) -> str:
    with translation.override(language):
        return _(
            "%(code)s is your code to send your answers to “%(title)s” (%(name)s). "
            "It is valid for %(minutes)s minutes. Do not give it to anyone."
        ) % {
            "code": code,
            "title": questionnaire.title[:80],
            "name": questionnaire.municipality.name_in(language),
            "minutes": codes.ttl_seconds() // 60,
        }


@transaction.atomic
def start_phone_check(round: Round, phone: str, *, language: str = "ky", code=None) -> PhoneCheck:
    """Send a code to the phone for this round; returns the pending check (its token for the
    session). A check asked for again within PHONE_CODE_RESEND_SECONDS is not sent twice.
    `code` is for tests and tools only (default: a random one)."""
    try:
        phone = normalise_kg_phone(phone)
    except ValidationError as exc:
        raise PhoneCheckError(exc.messages[0], code="invalid_phone") from None
    questionnaire = round.questionnaire
    if questionnaire.status != Questionnaire.Status.PUBLISHED or not round.is_open():
        raise PhoneCheckError(_("This questionnaire is not open for answers now."), code="closed")
    key = phone_key(questionnaire.pk, phone)
    if PhoneCheck.objects.filter(round=round, phone_key=key, used_at__isnull=False).exists():
        raise PhoneCheckError(already_answered_message(), code="duplicate")
    lang = language if language in ("ky", "ru") else "ky"
    try:
        return codes.issue(
            PhoneCheck.objects.filter(round=round, phone_key=key),
            create=lambda **fields: PhoneCheck.objects.create(
                municipality_id=round.municipality_id, round=round, phone_key=key, **fields
            ),
            purpose=PHONE_PURPOSE,
            municipality=questionnaire.municipality,
            phone=phone,
            text=lambda c: phone_code_text(questionnaire, c, lang),
            language=lang,
            source=f"surveys.phone_code:{questionnaire.pk}",
            code=code,
        )
    except codes.CodeNotSent:
        raise PhoneCheckError(codes.not_sent_message(), code="not_sent") from None


def confirm_and_submit(
    check: PhoneCheck, typed_code: str, version: QuestionnaireVersion, answers: dict, **kwargs
) -> Response:
    """Check the code and store the response in one transaction.

    Raises PhoneCheckError (a wrong code uses up an attempt, kept though the error is raised),
    or what `submit_response` raises (then the check stays unused and can be confirmed again).
    """
    error: PhoneCheckError | None = None
    response = None
    with transaction.atomic():
        pc = PhoneCheck.objects.select_for_update().select_related("round").get(pk=check.pk)
        taken = PhoneCheck.objects.filter(
            round_id=pc.round_id, phone_key=pc.phone_key, used_at__isnull=False
        ).exists()
        if pc.used_at is not None or taken:
            error = PhoneCheckError(already_answered_message(), code="duplicate")
        elif (refused := codes.check(pc, PHONE_PURPOSE, typed_code)) is not None:
            error = PhoneCheckError(refused[1], code=refused[0])
        else:
            try:
                with transaction.atomic():
                    pc.used_at = timezone.now()
                    pc.save(update_fields=["used_at"])
            except IntegrityError:
                error = PhoneCheckError(already_answered_message(), code="duplicate")
            else:
                kwargs.setdefault("channel", Response.Channel.ONLINE)
                response = submit_response(version, answers, round=pc.round, **kwargs)
    check.attempts = pc.attempts
    if error is not None:
        raise error
    return response


# --- questionnaires ---------------------------------------------------------------------------


def _copy_version(source: QuestionnaireVersion, number: int) -> QuestionnaireVersion:
    new = QuestionnaireVersion.objects.create(questionnaire=source.questionnaire, number=number)
    for section in source.ordered_sections():
        questions = list(section.questions.all())
        section.pk = None
        section.version = new
        section.save()
        for q in questions:
            options = list(q.options.all())
            q.pk = None
            q.section = section
            q.version = new
            q.save()
            for o in options:
                o.pk = None
                o.question = q
            Option.objects.bulk_create(options)
    return new


def editable_version(questionnaire: Questionnaire) -> QuestionnaireVersion:
    """The version to edit: the current one, or a new copy when the current one has answers."""
    version = questionnaire.current_version()
    if version is None:
        return QuestionnaireVersion.objects.create(questionnaire=questionnaire, number=1)
    if version.is_locked:
        return _copy_version(version, version.number + 1)
    return version


def create_questionnaire(user, municipality, data: dict) -> Questionnaire:
    """Create a questionnaire from a dict (the template's or an import's form, see template.py)."""
    with transaction.atomic():
        q = Questionnaire.objects.create(
            municipality=municipality,
            title_ky=data.get("title_ky", ""),
            title_ru=data.get("title_ru", ""),
            description_ky=data.get("description_ky", ""),
            description_ru=data.get("description_ru", ""),
            template_key=data.get("template_key", ""),
        )
        version = QuestionnaireVersion.objects.create(questionnaire=q, number=1)
        for s_order, s in enumerate(data.get("sections", [])):
            section = Section.objects.create(
                version=version,
                order=s_order,
                title_ky=s.get("title_ky", ""),
                title_ru=s.get("title_ru", ""),
                text_ky=s.get("text_ky", ""),
                text_ru=s.get("text_ru", ""),
            )
            for q_order, item in enumerate(s.get("questions", [])):
                question = Question.objects.create(
                    section=section,
                    version=version,
                    order=q_order,
                    code=item["code"],
                    type=item["type"],
                    required=item.get("required", False),
                    show_if=item.get("show_if", ""),
                    label_ky=item.get("label_ky", ""),
                    label_ru=item.get("label_ru", ""),
                    hint_ky=item.get("hint_ky", ""),
                    hint_ru=item.get("hint_ru", ""),
                    min_value=item.get("min_value"),
                    max_value=item.get("max_value"),
                    integer_only=item.get("integer_only", False),
                    allow_other=item.get("allow_other", False),
                    rows=item.get("rows", []),
                )
                Option.objects.bulk_create(
                    [
                        Option(
                            question=question,
                            order=i,
                            code=o["code"],
                            label_ky=o.get("label_ky", ""),
                            label_ru=o.get("label_ru", ""),
                        )
                        for i, o in enumerate(item.get("options", []))
                    ]
                )
        check_conditions(version)
        audit.record(user, municipality, q, "create")
    return q


def check_conditions(version) -> None:
    """Raise ConditionError naming the question whose condition is wrong."""
    seen: set[str] = set()
    for q in version.ordered_questions():
        if q.show_if.strip():
            try:
                conditions.check(q.show_if, seen)
            except conditions.ConditionError as exc:
                raise conditions.ConditionError(f"{q.code}: {exc}") from None
        seen.add(q.code)


def create_from_template(user, municipality, key: str = "lsg_assessment") -> Questionnaire:
    from jamaat.surveys.template import TEMPLATES

    return create_questionnaire(user, municipality, TEMPLATES[key])


def publish(user, questionnaire: Questionnaire) -> None:
    from jamaat.plans.services import record_automatic_evidence

    questionnaire.status = Questionnaire.Status.PUBLISHED
    questionnaire.published_at = questionnaire.published_at or timezone.now()
    questionnaire.save(update_fields=["status", "published_at"])
    audit.record(user, questionnaire.municipality, questionnaire, "publish")
    record_automatic_evidence(
        questionnaire.municipality,
        "3.1",
        timezone.localdate(),
        f"{_('Questionnaire published')}: {questionnaire.title}",
        f"surveys.questionnaire:{questionnaire.pk}",
    )


def close(user, questionnaire: Questionnaire) -> None:
    now = timezone.now()
    questionnaire.status = Questionnaire.Status.CLOSED
    questionnaire.save(update_fields=["status"])
    for r in questionnaire.rounds.open_at(now):
        close_round(user, r, now)
    audit.record(user, questionnaire.municipality, questionnaire, "close")


def close_round(user, round: Round, now=None) -> None:
    now = now or timezone.now()
    if round.closes_at > now:
        round.closes_at = now
        round.save(update_fields=["closes_at"])
    record_round_evidence(round)


def record_round_evidence(round: Round) -> None:
    """A round that has ended with responses is evidence for 3.2 (idempotent)."""
    from jamaat.plans.services import record_automatic_evidence

    count = round.responses.count()
    if not count or round.closes_at > timezone.now():
        return
    record_automatic_evidence(
        round.municipality,
        "3.2",
        timezone.localdate(round.closes_at),
        f"{round.questionnaire.title} — {round.name}: "
        + _("%(n)s questionnaires filled in") % {"n": count},
        f"surveys.round:{round.pk}",
    )


_SLUG = re.compile(r"[^a-z0-9_]+")


def new_code(version, base: str = "q") -> str:
    used = set(version.questions.values_list("code", flat=True))
    i = len(used) + 1
    while f"{base}{i}" in used:
        i += 1
    return f"{base}{i}"

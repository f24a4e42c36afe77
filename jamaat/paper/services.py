"""Paper entry: typed keys → answers, storing forms from a batch, double entry, the paper PDF.

Staff type option *numbers* ("2", "1 3 4"); `parse_typed` turns them into the option codes that
`surveys.services.submit_response` expects, and `save_form` validates with the surveys engine
(`validate`, so conditions and required questions behave exactly as online) before anything is
stored. Hidden questions are dropped by the engine, whatever was typed into them.

Serial numbers: `surveys.Response` has database constraints that make a serial unique per
questionnaire and round (each round's forms are printed from No. 1 again; forms outside any round
share one numbering), so a serial already used in the batch's round is refused here with a
message rather than an IntegrityError.

Double entry: `resolve` stores a form from the picks made for its discrepancies in one
transaction, or changes nothing and says which question is wrong and why (`ResolveError`); a
serial typed twice is never left taken without a response and without a way to finish it
(`open_forms`).
"""

from __future__ import annotations

import json
import re
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import translation
from django.utils.translation import gettext as _

from jamaat.core import audit
from jamaat.core.models import localized
from jamaat.municipalities.models import Village
from jamaat.paper.models import Batch, Discrepancy, PaperEntry
from jamaat.surveys import conditions
from jamaat.surveys import services as surveys
from jamaat.surveys.models import Question, Response

T = Question.Type
NUMBERED = {T.SINGLE, T.MULTIPLE, T.YES_NO, T.GENDER, T.AGE_GROUP, T.VILLAGE}
OTHER = "other"


class EntryError(ValueError):
    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class ResolveError(EntryError):
    """A double-entry form that was not stored (and nothing changed): `errors` maps a field
    ("why", "why__other", a matrix row "m__r") or "serial" to its message."""


def villages_of(municipality) -> list[tuple[str, str]]:
    return [
        (str(v.pk), localized(v, "name"))
        for v in Village.objects.filter(municipality=municipality).order_by("name_ky", "pk")
    ]


def choices(question, villages) -> list[tuple[str, str]]:
    """(code, label) in the order of their numbers (1, 2, …); "other" last when allowed."""
    if question.type == T.VILLAGE:
        out = list(villages)
    else:
        out = [(c, str(label)) for c, label in surveys.fixed_options(question)]
    if question.type in (T.SINGLE, T.MULTIPLE) and question.allow_other:
        out.append((OTHER, _("Other")))
    return out


def range_message(count: int) -> str:
    return _("Type a number from 1 to %(n)s.") % {"n": count}


def other_message(number: int) -> str:
    """For text typed after "Other" when the number of "Other" is not among the typed ones."""
    return _("Text after “Other” counts only with answer %(n)s: type %(n)s or clear this text.") % {
        "n": number
    }


def has_other(question) -> bool:
    return question.allow_other and question.type in (T.SINGLE, T.MULTIPLE)


def _numbers(text: str) -> list[int] | None:
    parts = [p for p in re.split(r"[\s,;.+]+", text.strip()) if p]
    if not parts or not all(p.isdigit() for p in parts):
        return None
    return [int(p) for p in parts]


def parse_typed(questions, villages, raw) -> tuple[dict, dict]:
    """(flat answers for the surveys engine, {field: message} for numbers that fit no option).

    Text typed after "Other" is kept only when the number of "Other" is among the typed
    numbers; otherwise it is an error on "<code>__other" (typically a key meant for the next
    question), never stored and never dropped silently."""
    answers: dict = {}
    errors: dict[str, str] = {}
    for q in questions:
        code = q.code
        if q.type == T.MATRIX:
            for row in q.rows:
                key = f"{code}__{row['code']}"
                if (raw.get(key) or "").strip():
                    answers[key] = raw[key].strip()
            continue
        text = (raw.get(code) or "").strip()
        other_text = (raw.get(f"{code}__other") or "").strip() if has_other(q) else ""
        if q.type in NUMBERED and text:
            opts = choices(q, villages)
            nums = _numbers(text)
            if nums is None or any(n < 1 or n > len(opts) for n in nums):
                errors[code] = range_message(len(opts))
            elif q.type == T.MULTIPLE:
                answers[code] = [opts[n - 1][0] for n in dict.fromkeys(nums)]
            elif len(nums) != 1:
                errors[code] = _("Type only one number.")
            else:
                answers[code] = opts[nums[0] - 1][0]
        if other_text:
            chosen = answers.get(code)
            if chosen == OTHER or (isinstance(chosen, list) and OTHER in chosen):
                answers[f"{code}__other"] = other_text
            elif code not in errors:
                errors[f"{code}__other"] = other_message(len(choices(q, villages)))
        if not text or q.type in NUMBERED:
            continue
        if q.type == T.DATE:
            m = re.fullmatch(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})", text)
            answers[code] = f"{m[3]}-{int(m[2]):02d}-{int(m[1]):02d}" if m else text
        else:
            answers[code] = text
    return answers, errors


def check_answers(version, questions, villages, raw) -> tuple[dict, dict, list[str]]:
    """(answers, errors, visible codes) for the typed values of one form."""
    answers, typed_errors = parse_typed(questions, villages, raw)
    village_names = dict(villages)
    _cleaned, errors, visible = surveys.validate(version, answers, questions, village_names)
    for field, message in typed_errors.items():
        if field.split("__")[0] in visible:
            errors[field] = message
    visible_set = set(visible)
    kept = {k: v for k, v in answers.items() if k.split("__")[0] in visible_set}
    return kept, errors, visible


def serial_taken(batch: Batch, serial: int, pass_no: int) -> bool:
    if pass_no == 1:
        return (
            Response.objects.filter(
                questionnaire_id=batch.questionnaire_id, round=batch.round_id, serial=str(serial)
            ).exists()
            or PaperEntry.objects.filter(
                batch__questionnaire_id=batch.questionnaire_id,
                batch__round=batch.round_id,
                serial=serial,
                pass_no=1,
            ).exists()
        )
    return PaperEntry.objects.filter(batch=batch, serial=serial, pass_no=2).exists()


def next_serial(batch: Batch, pass_no: int) -> int:
    last = (
        PaperEntry.objects.filter(batch=batch, pass_no=pass_no)
        .order_by("-entered_at", "-pk")
        .values_list("serial", flat=True)
        .first()
    )
    if last is None and pass_no == 2:
        first = (
            PaperEntry.objects.filter(batch=batch, pass_no=1)
            .order_by("serial")
            .values_list("serial", flat=True)
            .first()
        )
        return first or 1
    return (last or 0) + 1


def _submit(batch: Batch, version, questions, answers: dict, serial: int, language: str):
    return surveys.submit_response(
        version,
        answers,
        channel=batch.channel,  # paper (ballot box) or interview
        round=batch.round,
        batch_ref=str(batch.pk),
        serial=str(serial),
        language=language,
        questions=questions,
    )


def save_form(user, batch: Batch, version, questions, villages, serial_text, raw, *, pass_no=1):
    """Store one typed form; raise EntryError({field: message}) and store nothing when wrong."""
    errors: dict[str, str] = {}
    serial = int(serial_text) if str(serial_text).strip().isdigit() else None
    if serial is None or serial < 1:
        errors["serial"] = _("Type the form's number, printed at its top.")
    answers, answer_errors, _visible = check_answers(version, questions, villages, raw)
    errors.update(answer_errors)
    if serial is not None and not errors.get("serial"):
        if serial_taken(batch, serial, pass_no):
            errors["serial"] = (
                _("Form number %(n)s has already been entered in this round.")
                if batch.round_id
                else _("Form number %(n)s has already been entered for this questionnaire.")
            ) % {"n": serial}
        elif pass_no == 2:
            first = PaperEntry.objects.filter(batch=batch, serial=serial, pass_no=1).first()
            if first is None:
                errors["serial"] = _("Form number %(n)s has no first entry in this batch yet.") % {
                    "n": serial
                }
            elif user is not None and first.entered_by_id == user.pk:
                errors["serial"] = _("The second entry must be made by another person.")
    if batch.status != Batch.Status.OPEN:
        errors["serial"] = _("This batch is closed for entry.")
    if errors:
        raise EntryError(errors)
    language = translation.get_language() or "ky"
    with transaction.atomic():
        entry = PaperEntry.objects.create(
            batch=batch, serial=serial, pass_no=pass_no, answers=answers, entered_by=user
        )
        if not batch.double_entry:
            entry.response = _submit(batch, version, questions, answers, serial, language[:2])
            entry.save(update_fields=["response"])
        elif pass_no == 2:
            _compare(batch, version, questions, serial, language[:2])
    return entry


def _norm(value):
    if isinstance(value, list):
        return sorted(str(v) for v in value)
    return str(value).strip() if value is not None else ""


def _compare(batch, version, questions, serial, language):
    first = PaperEntry.objects.get(batch=batch, serial=serial, pass_no=1)
    second = PaperEntry.objects.get(batch=batch, serial=serial, pass_no=2)
    keys = list(dict.fromkeys([*first.answers, *second.answers]))
    differ = [k for k in keys if _norm(first.answers.get(k)) != _norm(second.answers.get(k))]
    if not differ:
        response = _submit(batch, version, questions, first.answers, serial, language)
        PaperEntry.objects.filter(pk__in=[first.pk, second.pk]).update(response=response)
        return
    Discrepancy.objects.bulk_create(
        [
            Discrepancy(
                batch=batch,
                serial=serial,
                question_code=k,
                first_value=json.dumps(first.answers.get(k), ensure_ascii=False),
                second_value=json.dumps(second.answers.get(k), ensure_ascii=False),
            )
            for k in differ
        ]
    )


def unstored_serials(batch: Batch):
    """Serials of the batch typed twice whose response is not stored (a values list)."""
    return PaperEntry.objects.filter(batch=batch, pass_no=2, response__isnull=True).values_list(
        "serial", flat=True
    )


def open_forms(batch: Batch) -> dict[int, list[Discrepancy]]:
    """{serial: its discrepancies} for every form of the batch typed twice but not stored.

    A form is open as long as it has no response, whatever its discrepancies hold: a pick is
    final only together with the stored response (see `resolve`). So forms whose picks an
    earlier version saved without storing the response (their combined answers were invalid)
    are listed again with those picks, and so is a form whose two entries agree but which has
    no response: no serial stays taken with nothing left to do."""
    forms: dict[int, list[Discrepancy]] = {s: [] for s in sorted(set(unstored_serials(batch)))}
    for d in Discrepancy.objects.filter(batch=batch, serial__in=list(forms)):
        forms[d.serial].append(d)
    return forms


def saved_pick(d: Discrepancy) -> str | None:
    """The entry ("first" or "second") whose value was picked earlier, else None."""
    if d.resolved_value is None:
        return None
    if d.resolved_value == d.first_value:
        return "first"
    if d.resolved_value == d.second_value:
        return "second"
    return None


def final_errors(version, questions, answers: dict) -> dict[str, str]:
    """{field: message} for combined answers: the engine's checks, plus text after "Other"
    whose question's answer (taken from the other entry) is not "Other" (the engine would drop
    it silently)."""
    _cleaned, errors, visible = surveys.validate(version, answers, questions)
    visible_set = set(visible)
    for q in questions:
        key = f"{q.code}__other"
        if not has_other(q) or q.code not in visible_set or q.code in errors:
            continue
        chosen = answers.get(q.code)
        if str(answers.get(key) or "").strip() and not (
            chosen == OTHER or (isinstance(chosen, list) and OTHER in chosen)
        ):
            errors[key] = _(
                "The text after “Other” counts only with the answer “Other”: choose the entry "
                "with “Other” for the answer, or the entry without this text."
            )
    return errors


def resolve(user, batch: Batch, serial: int, picks: dict[int, str]) -> Response:
    """Store form `serial` of a double-entry batch with the picks {discrepancy pk: "first" |
    "second"}, all at once: the response is stored, both entries link to it and every
    discrepancy of the form is closed with its pick. When anything is wrong nothing changes
    and ResolveError({field: message}) says which question and why (in the active language):
    a difference without a pick, answers that do not fit together, a form already stored.

    A discrepancy left without a pick keeps a value picked earlier (forms left open by an
    earlier version, see `open_forms`), so only the wrong pick needs changing."""
    version = batch.questionnaire.current_version()
    questions = version.ordered_questions()
    already = _("Form No. %(n)s has already been stored.") % {"n": serial}
    try:
        with transaction.atomic():
            entries = {
                e.pass_no: e
                for e in PaperEntry.objects.select_for_update().filter(batch=batch, serial=serial)
            }
            if set(entries) != {1, 2}:
                raise ValueError(f"form {serial} of batch {batch.pk} is not entered twice")
            if any(e.response_id for e in entries.values()):
                raise ResolveError({"serial": already})
            items = list(Discrepancy.objects.select_for_update().filter(batch=batch, serial=serial))
            answers = dict(entries[1].answers)
            errors: dict[str, str] = {}
            for d in items:
                pick = picks.get(d.pk) or saved_pick(d)
                if pick not in ("first", "second"):
                    errors[d.question_code] = _("Choose the first or the second entry.")
                    continue
                if picks.get(d.pk):
                    d.resolved_by = user
                d.resolved_value = d.first_value if pick == "first" else d.second_value
                value = json.loads(d.resolved_value)
                if value is None:
                    answers.pop(d.question_code, None)
                else:
                    answers[d.question_code] = value
            errors = errors or final_errors(version, questions, answers)
            if errors:
                raise ResolveError(errors)
            response = _submit(
                batch, version, questions, answers, serial, (translation.get_language() or "ky")[:2]
            )
            PaperEntry.objects.filter(pk__in=[e.pk for e in entries.values()]).update(
                response=response
            )
            Discrepancy.objects.bulk_update(items, ["resolved_value", "resolved_by"])
            audit.record(user, batch.municipality, batch, "resolve", {"serial": serial})
    except IntegrityError:  # another response took the serial meanwhile
        raise ResolveError({"serial": already}) from None
    except surveys.InvalidResponse as exc:
        raise ResolveError(exc.errors) from None
    except surveys.RoundClosed as exc:
        raise ResolveError({"serial": str(exc)}) from None
    return response


def counts(batch: Batch) -> dict:
    rows = dict(
        PaperEntry.objects.filter(batch=batch).values_list("pass_no").annotate(n=Count("id"))
    )
    return {
        "first": rows.get(1, 0),
        "second": rows.get(2, 0),
        "final": Response.objects.filter(
            batch_ref=str(batch.pk), questionnaire_id=batch.questionnaire_id
        ).count(),
        # every discrepancy of a form not stored yet, picked earlier or not (see open_forms)
        "open_discrepancies": Discrepancy.objects.filter(
            batch=batch, serial__in=unstored_serials(batch)
        ).count(),
    }


def _ast(node):
    c = conditions
    if isinstance(node, c.Var):
        return {"var": node.name}
    if isinstance(node, c.Lit):
        return {"lit": node.value}
    if isinstance(node, c.Not):
        return {"not": _ast(node.arg)}
    if isinstance(node, c.BoolOp):
        return {"bool": node.op, "l": _ast(node.left), "r": _ast(node.right)}
    if isinstance(node, c.Compare):
        return {"cmp": node.op, "l": _ast(node.left), "r": _ast(node.right)}
    return {"in": _ast(node.needle), "hay": _ast(node.haystack)}


def live_rules(questions, villages) -> list[dict]:
    """What the entry page's script needs to show and hide questions as values are typed and to
    flag wrong numbers at once: per question, in order, its type, its numbered option codes, its
    parsed "show if" (the same parser as the server, so both sides agree), the highest number
    that may be typed, the number of "Other" (or None) and the server's messages for wrong
    keys. The server still checks everything when the form is saved."""
    out = []
    for q in questions:
        show_if = None
        if q.show_if.strip():
            try:
                show_if = _ast(conditions.parse(q.show_if))
            except conditions.ConditionError:
                show_if = None  # the engine shows such a question too
        codes = [c for c, _l in choices(q, villages)] if q.type in NUMBERED else []
        messages = {}
        if codes:
            messages = {"range": range_message(len(codes)), "one": _("Type only one number.")}
        elif q.type == T.RATING:
            messages = {"range": _("Choose a rating from 1 to 5.")}
        elif q.type == T.MATRIX:
            messages = {"range": _("Rate each line from 1 to 5.")}
        other = len(codes) if has_other(q) else None
        if other:
            messages["other"] = other_message(other)
        out.append(
            {
                "code": q.code,
                "type": q.type,
                "codes": codes,
                "rows": [r["code"] for r in q.rows] if q.type == T.MATRIX else [],
                "show_if": show_if,
                "max": len(codes) or (5 if q.type in (T.RATING, T.MATRIX) else None),
                "other": other,
                "messages": messages,
            }
        )
    return out


# --- the printed form -----------------------------------------------------------------------


def _condition_text(show_if: str, numbers: dict, by_code: dict, villages) -> str:
    try:
        node = conditions.parse(show_if)
    except conditions.ConditionError:
        return ""

    def label_of(code, value):
        q = by_code.get(code)
        if q is None:
            return str(value)
        value = conditions._text(value)
        for c, label in choices(q, villages):
            if c == value:
                return str(label)
        return value

    if (
        isinstance(node, conditions.Compare)
        and node.op == "=="
        and isinstance(node.left, conditions.Var)
        and isinstance(node.right, conditions.Lit)
        and node.left.name in numbers
    ):
        return _("Answer only if you answered “%(a)s” to question %(n)s.") % {
            "a": label_of(node.left.name, node.right.value),
            "n": numbers[node.left.name],
        }
    if (
        isinstance(node, conditions.In)
        and isinstance(node.haystack, conditions.Var)
        and isinstance(node.needle, conditions.Lit)
        and node.haystack.name in numbers
    ):
        return _("Answer only if you ticked “%(a)s” in question %(n)s.") % {
            "a": label_of(node.haystack.name, node.needle.value),
            "n": numbers[node.haystack.name],
        }
    text = conditions.to_text(node)
    for code, n in sorted(numbers.items(), key=lambda kv: -len(kv[0])):
        text = re.sub(rf"\b{re.escape(code)}\b", _("question %(n)s") % {"n": n}, text)
    return _("Answer only if: %(c)s") % {"c": text}


def paper_data(questionnaire, lang: str, first: int, last: int) -> dict:
    with translation.override(lang):
        version = questionnaire.current_version()
        sections = version.ordered_sections()
        villages = [
            (str(v.pk), localized(v, "name", lang))
            for v in Village.objects.filter(municipality=questionnaire.municipality).order_by(
                "name_ky", "pk"
            )
        ]
        questions = [q for s in sections for q in s.questions.all()]
        numbers = {q.code: i for i, q in enumerate(questions, 1)}
        by_code = {q.code: q for q in questions}
        out_sections = []
        for s in sections:
            items = []
            for q in s.questions.all():
                items.append(
                    {
                        "n": numbers[q.code],
                        "label": q.label,
                        "hint": q.hint,
                        "type": q.type,
                        "required": q.required,
                        "condition": _condition_text(q.show_if, numbers, by_code, villages)
                        if q.show_if.strip()
                        else "",
                        "options": [str(label) for _c, label in choices(q, villages)]
                        if q.type in NUMBERED
                        else [],
                        "other": q.allow_other,
                        "rows": [q.row_label(r) for r in q.rows] if q.type == T.MATRIX else [],
                        "lines": 4 if q.type == T.LONG_TEXT else 1,
                        "multiple": q.type == T.MULTIPLE,
                    }
                )
            out_sections.append({"title": s.title, "text": s.text, "questions": items})
        m = questionnaire.municipality
        return {
            "municipality": m.name_in(lang),
            "title": questionnaire.title,
            "description": questionnaire.description,
            "serials": list(range(first, last + 1)),
            "form_no": _("Form No."),
            "instructions": _(
                "Tick one box ☐ for each question unless it says otherwise. You do not need "
                "to write your name. When you have finished, fold the form and drop it in the "
                "ballot box."
            ),
            "multiple_note": _("You may tick several boxes."),
            "required": _("required"),
            "other": _("Other:"),
            "thanks": _("Thank you! Please drop this form in the ballot box."),
            "sections": out_sections,
        }


def paper_pdf(questionnaire, lang: str, first: int, last: int) -> bytes:
    from pathlib import Path

    from jamaat.documents.typst import compile_pdf

    template = (Path(__file__).parent / "templates" / "paper" / "form.typ").read_text("utf-8")
    return compile_pdf(template, paper_data(questionnaire, lang, first, last))


def validate_range(first, last) -> str | None:
    if first < 1 or last < first:
        return _("The last form number must not be smaller than the first.")
    if last - first >= 2000:
        return _("Print at most 2000 forms at a time.")
    return None


def today() -> date:
    from django.utils import timezone

    return timezone.localdate()

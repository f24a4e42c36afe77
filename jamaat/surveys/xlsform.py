"""XLSForm import and export, so forms move to and from KoboToolbox and ODK.

Import reads the survey / choices / settings sheets (openpyxl), after pyxform has accepted the
form. Supported: select_one / select_multiple (``or_other``), integer / decimal, date, text
(``multiline`` → long text), note (→ section text), begin/end group (→ sections), ``relevant``
(the condition language's XPath subset), ``required``, ``constraint`` of the form ``. >= N`` /
``. <= N`` joined by ``and`` (→ min/max), labels and hints per language (``label::… (ky)``,
``(ru)``, ``(en)`` or plain ``label``) and metadata (start, end, today, deviceid…: skipped).
Anything else is refused with a message naming it and its row; nothing is stored then (one
transaction).

Export writes every Jamaat type; the ones XLSForm lacks (rating, yes/no, matrix, village, gender,
age group) become select_one questions (a matrix: a group of them) and carry a ``jamaat_type``
column so a re-import restores them.
"""

from __future__ import annotations

import io
import re
import tempfile
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from jamaat.surveys import conditions, services
from jamaat.surveys.models import Question, Questionnaire

T = Question.Type
METADATA = {
    "start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber",
    "username", "email", "audit", "start-geopoint", "background-audio",
}  # fmt: skip
TRUE = {"yes", "true", "true()", "1"}
_CONSTRAINT = re.compile(r"^\s*\.\s*(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)\s*$")
_NAME = re.compile(r"^[A-Za-z_][\w\-]*$")


class XLSFormError(ValueError):
    pass


def _lang(header: str) -> str | None:
    h = header.lower()
    for code, words in (
        ("ky", ("(ky)", "kyrgyz", "кыргыз")),
        ("ru", ("(ru)", "russian", "рус")),
        ("en", ("(en)", "english")),
    ):
        if any(w in h for w in words):
            return code
    return None


def _labels(row: dict, column: str) -> dict:
    """ky and ru texts of `column` ("label", "hint"). A language missing from the form gets the
    form's default text; a hint left empty in a language the form has stays empty there."""
    plain = row.get(column, "")
    by_lang, first, present = {}, "", set()
    for key, value in row.items():
        if key.startswith(f"{column}::"):
            lang = _lang(key.split("::", 1)[1])
            if lang:
                present.add(lang)
            if value:
                first = first or value
                if lang:
                    by_lang[lang] = value
    fallback = plain or by_lang.get("en") or first
    out = {}
    for lang in ("ky", "ru"):
        keep_empty = column == "hint" and lang in present
        out[f"{column}_{lang}"] = by_lang.get(lang) or ("" if keep_empty else fallback)
    return out


def _sheet(workbook, name):
    for ws in workbook.worksheets:
        if ws.title.strip().lower() == name:
            rows = list(ws.iter_rows(values_only=True))
            if not rows:
                return []
            headers = [str(h).strip() if h is not None else "" for h in rows[0]]
            out = []
            for n, values in enumerate(rows[1:], start=2):
                row = {
                    h.lower()
                    if "::" not in h
                    else h.split("::", 1)[0].lower() + "::" + h.split("::", 1)[1]: (
                        str(v).strip() if v is not None else ""
                    )
                    for h, v in zip(headers, values, strict=False)
                    if h
                }
                row["_row"] = n
                if any(v for k, v in row.items() if k != "_row"):
                    out.append(row)
            return out
    return None


def _pyxform_check(content: bytes) -> None:
    from pyxform.xls2xform import convert

    try:
        convert(xlsform=io.BytesIO(content), file_type=".xlsx", validate=False)
    except Exception as exc:  # noqa: BLE001 – pyxform raises many types; its message is the point
        raise XLSFormError(_("This is not a valid XLSForm: %(why)s") % {"why": exc}) from None


def parse(content: bytes) -> dict:
    """The questionnaire dict (as `services.create_questionnaire` takes) of an XLSForm file."""
    from openpyxl import load_workbook

    if not content.startswith(b"PK"):
        raise XLSFormError(_("This is not an .xlsx file."))
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001
        raise XLSFormError(_("The file cannot be read as an .xlsx workbook.")) from None
    survey = _sheet(workbook, "survey")
    if not survey:
        raise XLSFormError(_("The workbook has no “survey” sheet."))
    choice_rows = _sheet(workbook, "choices") or []
    settings = (_sheet(workbook, "settings") or [{}])[0]
    _pyxform_check(content)

    choices: dict[str, list] = {}
    for row in choice_rows:
        name = row.get("list_name") or row.get("list name") or ""
        if name and row.get("name"):
            choices.setdefault(name, []).append({"code": row["name"], **_labels(row, "label")})

    sections: list[dict] = []
    current = None
    depth = 0
    matrix = None
    seen: set[str] = set()

    def refuse(message):
        raise XLSFormError(message)

    def section_for(row):
        nonlocal current
        if current is None:
            current = {
                "title_ky": "",
                "title_ru": "",
                "text_ky": "",
                "text_ru": "",
                "questions": [],
            }
            sections.append(current)
        return current

    for row in survey:
        n = row["_row"]
        raw_type = _normalise_type(row.get("type", ""))
        name = row.get("name", "")
        jtype = row.get("jamaat_type", "")
        kind = raw_type.lower()
        if not kind:
            continue
        if kind in ("begin repeat", "begin_repeat"):
            refuse(
                _("repeat group “%(name)s” (row %(n)s) is not supported") % {"name": name, "n": n}
            )
        if kind in ("begin group", "begin_group"):
            if jtype == "matrix":
                matrix = {"code": name, "type": "matrix", "rows": [], **_labels(row, "label"),
                          **_labels(row, "hint"), "required": False,
                          "show_if": _relevant(row, seen, n, name)}  # fmt: skip
                continue
            depth += 1
            if depth == 1:
                current = {**_labels(row, "label"), "text_ky": "", "text_ru": "", "questions": []}
                current["title_ky"] = current.pop("label_ky")
                current["title_ru"] = current.pop("label_ru")
                if row.get("relevant"):
                    refuse(_("a condition on the group “%(name)s” (row %(n)s) is not supported")
                           % {"name": name, "n": n})  # fmt: skip
                sections.append(current)
            continue
        if kind in ("end group", "end_group"):
            if matrix is not None:
                if not matrix["rows"]:
                    refuse(
                        _("the matrix “%(name)s” (row %(n)s) has no rows")
                        % {"name": matrix["code"], "n": n}
                    )
                section_for(row)["questions"].append(matrix)
                seen.add(matrix["code"])
                matrix = None
                continue
            depth = max(0, depth - 1)
            if depth == 0:
                current = None
            continue
        if kind in ("end repeat", "end_repeat"):
            continue
        if kind in METADATA:
            continue
        if kind == "note":
            labels = _labels(row, "label")
            sec = section_for(row)
            for lang in ("ky", "ru"):
                sec[f"text_{lang}"] = "\n".join(
                    x for x in (sec[f"text_{lang}"], labels[f"label_{lang}"]) if x
                )
            continue
        if not _NAME.match(name or ""):
            refuse(
                _("the question name “%(name)s” (row %(n)s) cannot be used")
                % {"name": name, "n": n}
            )
        if name in seen:
            refuse(
                _("the question name “%(name)s” (row %(n)s) is used twice") % {"name": name, "n": n}
            )
        if row.get("choice_filter"):
            refuse(_("cascading select (choice_filter) of “%(name)s” (row %(n)s) is not supported")
                   % {"name": name, "n": n})  # fmt: skip
        if row.get("repeat_count") or row.get("calculation"):
            refuse(
                _("the calculation of “%(name)s” (row %(n)s) is not supported")
                % {"name": name, "n": n}
            )
        item = {"code": name, **_labels(row, "label"), **_labels(row, "hint"),
                "required": row.get("required", "").lower() in TRUE}  # fmt: skip
        parts = raw_type.split(" ")
        parts[0] = parts[0].lower()
        base = parts[0]
        if base in ("select_one", "select_multiple"):
            if len(parts) < 2 or parts[1] not in choices:
                refuse(
                    _("the choice list of “%(name)s” (row %(n)s) is missing")
                    % {"name": name, "n": n}
                )
            item["type"] = T.SINGLE if base == "select_one" else T.MULTIPLE
            item["allow_other"] = len(parts) > 2 and parts[2] == "or_other"
            item["options"] = [o for o in choices[parts[1]] if o["code"] != services.OTHER]
            if (
                jtype in (T.RATING, T.YES_NO, T.VILLAGE, T.GENDER, T.AGE_GROUP)
                and base == "select_one"
            ):
                item["type"] = jtype
                item.pop("options")
        elif base in ("integer", "decimal"):
            item["type"] = T.NUMBER
            item["integer_only"] = base == "integer"
        elif base == "date":
            item["type"] = T.DATE
        elif base in ("text", "string"):
            multiline = "multiline" in row.get("appearance", "").lower()
            item["type"] = T.LONG_TEXT if (multiline or jtype == T.LONG_TEXT) else T.TEXT
        elif base == "calculate":
            refuse(
                _("the calculation “%(name)s” (row %(n)s) is not supported")
                % {"name": name, "n": n}
            )
        else:
            refuse(_("the question type “%(type)s” of “%(name)s” (row %(n)s) is not supported")
                   % {"type": raw_type, "name": name, "n": n})  # fmt: skip
        item["show_if"] = _relevant(row, seen, n, name)
        if row.get("constraint"):
            _constraint(item, row, n, name)
        if matrix is not None:
            if item["type"] != T.RATING or not name.startswith(f"{matrix['code']}__"):
                refuse(
                    _("the matrix “%(name)s” (row %(n)s) may hold only ratings")
                    % {"name": matrix["code"], "n": n}
                )
            matrix["rows"].append({"code": name[len(matrix["code"]) + 2 :], "label_ky": item["label_ky"],
                                   "label_ru": item["label_ru"]})  # fmt: skip
            matrix["required"] = matrix["required"] or item["required"]
            continue
        section_for(row)["questions"].append(item)
        seen.add(name)
    if matrix is not None or depth:
        raise XLSFormError(_("a group is not closed with “end group”"))
    sections = [s for s in sections if s["questions"] or s.get("text_ky") or s.get("text_ru")]
    if not any(s["questions"] for s in sections):
        raise XLSFormError(_("The form has no question Jamaat can use."))
    title = settings.get("form_title") or settings.get("form_id") or _("Imported form")
    return {
        "title_ky": title,
        "title_ru": settings.get("jamaat_title_ru") or title,
        "description_ky": settings.get("jamaat_description_ky") or "",
        "description_ru": settings.get("jamaat_description_ru") or "",
        "sections": sections,
    }


_ALIASES = (
    (re.compile(r"^select (?:one|1)(?: from)? ", re.I), "select_one "),
    (re.compile(r"^select (?:all that apply|multiple)(?: from)? ", re.I), "select_multiple "),
    (re.compile(r" or specify other$", re.I), " or_other"),
)


def _normalise_type(text: str) -> str:
    text = re.sub(r"\s+", " ", text or "").strip()
    for pattern, replacement in _ALIASES:
        text = pattern.sub(replacement, text)
    return text


def _relevant(row, seen, n, name) -> str:
    text = row.get("relevant", "").strip()
    if not text:
        return ""
    try:
        conditions.check(text, seen)
        return conditions.to_text(conditions.parse(text))
    except conditions.ConditionError as exc:
        raise XLSFormError(
            _("the condition (relevant) of “%(name)s” (row %(n)s) is not supported: %(why)s")
            % {"name": name, "n": n, "why": exc}
        ) from None


def _constraint(item, row, n, name) -> None:
    if item["type"] != T.NUMBER:
        raise XLSFormError(
            _("the constraint of “%(name)s” (row %(n)s) is not supported") % {"name": name, "n": n}
        )
    for part in re.split(r"\s+and\s+", row["constraint"].strip()):
        m = _CONSTRAINT.match(part)
        if not m:
            raise XLSFormError(
                _("the constraint “%(c)s” of “%(name)s” (row %(n)s) is not supported; only "
                  "“. >= N” and “. <= N” are") % {"c": row["constraint"], "name": name, "n": n}
            )  # fmt: skip
        op, value = m.group(1), Decimal(m.group(2))
        item["min_value" if op.startswith(">") else "max_value"] = value


def read_upload(upload) -> bytes:
    from django.conf import settings

    limit = getattr(settings, "UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
    if getattr(upload, "size", 0) > limit:
        raise XLSFormError(_("The file is too large."))
    return upload.read()


def import_xlsform(source, municipality, user=None) -> Questionnaire:
    """Create a draft questionnaire from an XLSForm (bytes, a path or an uploaded file)."""
    if isinstance(source, bytes):
        content = source
    elif isinstance(source, str | Path):
        content = Path(source).read_bytes()
    else:
        content = read_upload(source)
    data = parse(content)
    try:
        with transaction.atomic():
            return services.create_questionnaire(user, municipality, data)
    except conditions.ConditionError as exc:
        raise XLSFormError(str(exc)) from None


# --- export -----------------------------------------------------------------------------------

LANGS = (("ky", "Кыргызча (ky)"), ("ru", "Русский (ru)"))


def _num(value) -> str:
    return services._fmt(value)


def export_rows(questionnaire: Questionnaire):
    version = questionnaire.current_version()
    villages = services._villages(version)
    survey_head = ["type", "name", *[f"label::{h}" for _c, h in LANGS],
                   *[f"hint::{h}" for _c, h in LANGS], "required", "relevant", "constraint",
                   "appearance", "jamaat_type"]  # fmt: skip
    survey, choices = [], []
    lists: set[str] = set()

    def add_list(name, items):
        if name in lists:
            return
        lists.add(name)
        for code, ky, ru in items:
            choices.append([name, code, ky, ru])

    def row(type_, name, obj=None, label=None, **kw):
        labels = label or ([getattr(obj, f"label_{c}", "") for c, _h in LANGS] if obj else ["", ""])
        hints = [getattr(obj, f"hint_{c}", "") for c, _h in LANGS] if obj else ["", ""]
        survey.append([type_, name, *labels, *hints, kw.get("required", ""),
                       kw.get("relevant", ""), kw.get("constraint", ""),
                       kw.get("appearance", ""), kw.get("jamaat_type", "")])  # fmt: skip

    def fixed(q):
        from django.utils import translation

        out = []
        for code, _label in services.fixed_options(q):
            labels = []
            for lang, _h in LANGS:
                with translation.override(lang):
                    labels.append(str(dict(services.fixed_options(q)).get(code)))
            out.append((code, *labels))
        return out

    for s_i, section in enumerate(version.ordered_sections(), 1):
        row("begin group", f"section_{s_i}", label=[section.title_ky, section.title_ru])
        if section.text_ky or section.text_ru:
            row("note", f"section_{s_i}_note", label=[section.text_ky, section.text_ru])
        for q in section.questions.all():
            rel = conditions.to_xpath(q.show_if) if q.show_if else ""
            req = "yes" if q.required else ""
            if q.type in (T.SINGLE, T.MULTIPLE):
                list_name = f"{q.code}_choices"
                add_list(list_name, [(o.code, o.label_ky, o.label_ru) for o in q.options.all()])
                kind = "select_one" if q.type == T.SINGLE else "select_multiple"
                other = " or_other" if q.allow_other else ""
                row(f"{kind} {list_name}{other}", q.code, q, required=req, relevant=rel)
            elif q.type == T.VILLAGE:
                add_list(
                    "jamaat_villages",
                    [(k, v, v) for k, v in villages.items()] or [("none", "—", "—")],
                )
                row(
                    "select_one jamaat_villages",
                    q.code,
                    q,
                    required=req,
                    relevant=rel,
                    jamaat_type=q.type,
                )
            elif q.type in (T.RATING, T.YES_NO, T.GENDER, T.AGE_GROUP):
                list_name = f"jamaat_{q.type}"
                add_list(list_name, fixed(q))
                row(
                    f"select_one {list_name}",
                    q.code,
                    q,
                    required=req,
                    relevant=rel,
                    jamaat_type=q.type,
                )
            elif q.type == T.MATRIX:
                add_list("jamaat_rating", [(str(i), str(i), str(i)) for i in services.RATING])
                row(
                    "begin group",
                    q.code,
                    q,
                    relevant=rel,
                    jamaat_type="matrix",
                    appearance="field-list",
                )
                for r in q.rows:
                    row("select_one jamaat_rating", f"{q.code}__{r['code']}",
                        label=[r.get("label_ky", ""), r.get("label_ru", "")], required=req,
                        jamaat_type=T.RATING)  # fmt: skip
                row("end group", "")
            elif q.type == T.NUMBER:
                parts = []
                if q.min_value is not None:
                    parts.append(f". >= {_num(q.min_value)}")
                if q.max_value is not None:
                    parts.append(f". <= {_num(q.max_value)}")
                row("integer" if q.integer_only else "decimal", q.code, q, required=req,
                    relevant=rel, constraint=" and ".join(parts))  # fmt: skip
            elif q.type == T.DATE:
                row("date", q.code, q, required=req, relevant=rel)
            else:
                row("text", q.code, q, required=req, relevant=rel,
                    appearance="multiline" if q.type == T.LONG_TEXT else "",
                    jamaat_type=q.type if q.type == T.LONG_TEXT else "")  # fmt: skip
        row("end group", "")
    choices_head = ["list_name", "name", *[f"label::{h}" for _c, h in LANGS]]
    title = questionnaire.title_ky or questionnaire.title_ru or f"questionnaire-{questionnaire.pk}"
    # XLSForm has one form_title; the Russian title and the descriptions ride in extra settings
    # columns (pyxform and KoboToolbox ignore them; Jamaat reads them back on import).
    settings = [["form_title", "form_id", "version", "default_language", "jamaat_title_ru",
                 "jamaat_description_ky", "jamaat_description_ru"],
                [title, f"jamaat_{questionnaire.pk}", str(version.number), LANGS[0][1],
                 questionnaire.title_ru, questionnaire.description_ky,
                 questionnaire.description_ru]]  # fmt: skip
    return [survey_head, *survey], [choices_head, *choices], settings


def export_xlsform(questionnaire: Questionnaire) -> bytes:
    from openpyxl import Workbook

    survey, choices, settings = export_rows(questionnaire)
    wb = Workbook()
    ws = wb.active
    ws.title = "survey"
    for r in survey:
        ws.append(r)
    for name, rows in (("choices", choices), ("settings", settings)):
        sheet = wb.create_sheet(name)
        for r in rows:
            sheet.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def to_xform(content: bytes) -> str:
    """The XForm XML pyxform makes of an XLSForm (used by the tests and the bench)."""
    from pyxform.xls2xform import convert

    with tempfile.TemporaryDirectory():
        return convert(xlsform=io.BytesIO(content), file_type=".xlsx", validate=False).xform

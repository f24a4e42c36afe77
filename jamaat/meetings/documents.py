"""A meeting's printed documents: the protocol (DOCX and PDF), the announcement poster and the
numbered sign-in sheet (PDF), in Kyrgyz or Russian.

`protocol_content(meeting, lang)` gathers every string of the protocol in one dict (already in
the document's language); the DOCX and the PDF are both drawn from it, so they say the same.
PDFs are compiled with typst and the vendored DejaVu fonts (ң ө ү); user text travels as JSON
data and is never evaluated as markup.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db.models import Prefetch
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from jamaat.documents.typst import compile_pdf
from jamaat.meetings import quorum
from jamaat.meetings.models import AGE_FIELDS, AgendaItem, Meeting, MeetingSettings
from jamaat.meetings.words import capfirst, long_date, number, place_name, weekday, words
from jamaat.municipalities.models import LocalIssue

TYPST_DIR = Path(__file__).resolve().parent / "typst"
FONT_NAME = "DejaVu Sans"
SIGNATURE_BLANK = "________________"
_LOCALE = {"ky": "ky-KG", "ru": "ru-RU"}
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
MAX_SIGN_IN_ROWS = 500

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"


def _clean(value) -> str:
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_CHARS.sub("", text).strip()


def load_meeting(pk: int) -> Meeting:
    """A meeting with everything its documents print, in a fixed number of queries."""
    issues = LocalIssue.objects.order_by("order", "name_ky")
    return (
        Meeting.objects.select_related("municipality")
        .prefetch_related(
            "villages",
            Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.prefetch_related(Prefetch("issues", queryset=issues)),
            ),
            "speakers",
            "decisions",
            "documents",
        )
        .get(pk=pk)
    )


def _villages(meeting: Meeting, lang: str) -> str:
    names = [
        v.name_ky if lang == "ky" else (v.name_ru or v.name_ky) for v in meeting.villages.all()
    ]
    return ", ".join(names)


def _agenda(meeting: Meeting, lang: str) -> list[str]:
    out = []
    for item in meeting.agenda_items.all():
        text = _clean(item.text_in(lang))
        issues = [
            i.name_ky if lang == "ky" else (i.name_ru or i.name_ky) for i in item.issues.all()
        ]
        if issues:
            text += f" ({', '.join(issues)})"
        if text:
            out.append(text)
    return out


def attendance_lines(meeting: Meeting, lang: str) -> list[str]:
    w = words(lang)
    if meeting.attendance_total is None:
        return [w["quorum_no_attendance"]]
    lines = [f"{w['total']}: {number(meeting.attendance_total)} {w['people']}"]
    sexes = [
        f"{w[f]} — {number(getattr(meeting, f))}"
        for f in ("women", "men")
        if getattr(meeting, f) is not None
    ]
    if sexes:
        lines.append(", ".join(sexes))
    ages = [
        f"{label} — {number(getattr(meeting, f))}"
        for f, label in zip(AGE_FIELDS, w["ages"], strict=True)
        if getattr(meeting, f) is not None
    ]
    if ages:
        lines.append(f"{w['by_age']}: " + "; ".join(ages))
    return lines


def votes_line(decision, lang: str) -> str:
    w = words(lang)
    if not decision.has_votes:
        return w["no_votes"]
    return w["votes"].format(
        **{
            "for": number(decision.votes_for or 0),
            "against": number(decision.votes_against or 0),
            "abstained": number(decision.votes_abstained or 0),
        }
    )


def protocol_content(meeting: Meeting, lang: str, meeting_settings=None) -> dict:
    """Every string of the protocol in `lang`, ready for the DOCX and the PDF."""
    w = words(lang)
    s = meeting_settings or MeetingSettings.for_municipality(meeting.municipality)
    start = meeting.local_start
    title = w["protocol"] + (
        f" № {_clean(meeting.protocol_number)}" if meeting.protocol_number else ""
    )
    facts = [
        (w["date"], long_date(start, lang)),
        (w["time"], f"{start:%H:%M}"),
        (w["place"], _clean(meeting.place_in(lang))),
    ]
    villages = _villages(meeting, lang)
    if villages:
        facts.append((w["villages"], villages))
    facts += [
        (w["chair"], _clean(meeting.chair) or "—"),
        (w["secretary"], _clean(meeting.secretary) or "—"),
    ]
    return {
        "lang": lang,
        "issuer": place_name(meeting.municipality, lang),
        "title": title,
        "subtitle": w["kind_heading"][meeting.kind],
        "meeting_title": _clean(meeting.title_in(lang)),
        "facts": [{"label": k, "value": v} for k, v in facts],
        "attendance_label": w["attendance"],
        "attendance": attendance_lines(meeting, lang),
        "quorum_label": w["quorum"],
        "quorum": quorum.statement(quorum.check(meeting, s), lang),
        "agenda_label": w["agenda"],
        "agenda": _agenda(meeting, lang),
        "speakers_label": w["speakers"],
        "speakers": [
            {"name": _clean(sp.name), "summary": _clean(sp.summary_in(lang))}
            for sp in meeting.speakers.all()
        ],
        "questions_label": w["questions"],
        "questions": _clean(meeting.questions_ky if lang == "ky" else meeting.questions_ru)
        or _clean(meeting.questions_ru if lang == "ky" else meeting.questions_ky),
        "decisions_label": w["decisions"],
        "decisions": [
            {"text": _clean(d.text_in(lang)), "votes": votes_line(d, lang)}
            for d in meeting.decisions.all()
        ],
        "none": w["none"],
        "signatures": [
            {"role": w["chair"], "name": _clean(meeting.chair)},
            {"role": w["secretary"], "name": _clean(meeting.secretary)},
        ],
        "signature_hint": w["signature"],
        "generated": f"{w['generated']} · {settings.SITE_URL}{meeting.get_absolute_url()}",
    }


# ------------------------------------------------------------------------------------ PDF


def _typst(name: str) -> str:
    return (TYPST_DIR / name).read_text(encoding="utf-8")


def protocol_pdf(meeting: Meeting, lang: str) -> bytes:
    return compile_pdf(_typst("protocol.typ"), protocol_content(meeting, lang))


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=1)
    return image.to_string(encoding="unicode")


def poster_pdf(meeting: Meeting, lang: str) -> bytes:
    """A4 announcement for the information board."""
    w = words(lang)
    m = meeting.municipality
    start = meeting.local_start
    url = f"{settings.SITE_URL}{meeting.get_absolute_url()}"
    contacts = [c for c in (_clean(meeting.contacts), _clean(m.phone)) if c]
    address = _clean(m.address_ky if lang == "ky" else m.address_ru)
    if address:
        contacts.append(address)
    where = _clean(meeting.place_in(lang))
    villages = _villages(meeting, lang)
    data = {
        "lang": lang,
        "issuer": place_name(m, lang),
        "notice": w["notice"],
        "kind": w["kind"][meeting.kind],
        "dear": w["dear"],
        "invite": w["invite"][meeting.kind],
        "title": _clean(meeting.title_in(lang)),
        "when_label": w["when"],
        "when": f"{long_date(start, lang)}, {weekday(start, lang)}",
        "time": w["at_time"].format(time=f"{start:%H:%M}"),
        "where_label": w["where"],
        "where": where + (f" ({villages})" if villages else ""),
        "agenda_label": w["agenda"],
        "agenda": _agenda(meeting, lang),
        "documents": w["documents"] if meeting.documents.all() else "",
        "contacts_label": w["contacts"],
        "contacts": contacts,
        "more": w["more"],
        "url": url,
        "qr_svg": _qr_svg(url),
    }
    return compile_pdf(_typst("poster.typ"), data)


def sign_in_pdf(meeting: Meeting, lang: str, rows: int | None = None) -> bytes:
    """A4 numbered sign-in sheet: №, full name, village/street, signature."""
    w = words(lang)
    start = meeting.local_start
    if rows is None:
        rows = MeetingSettings.for_municipality(meeting.municipality).sign_in_rows
    rows = max(1, min(int(rows), MAX_SIGN_IN_ROWS))
    data = {
        "lang": lang,
        "issuer": place_name(meeting.municipality, lang),
        "title": w["sign_in"],
        "kind": capfirst(w["kind"][meeting.kind]),
        "meeting_title": _clean(meeting.title_in(lang)),
        "when": f"{long_date(start, lang)}, {w['at_time'].format(time=f'{start:%H:%M}')}",
        "where": _clean(meeting.place_in(lang)),
        "columns": w["columns"],
        "rows": rows,
        "sheet": w["sheet"],
    }
    return compile_pdf(_typst("signin.typ"), data)


# ----------------------------------------------------------------------------------- DOCX


def _set_rfonts(rpr) -> None:
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), FONT_NAME)


def _setup(document, lang: str) -> None:
    normal = document.styles["Normal"]
    normal.font.name = FONT_NAME
    normal.font.size = Pt(11)
    rpr = normal.element.get_or_add_rPr()
    _set_rfonts(rpr)
    lang_el = OxmlElement("w:lang")
    lang_el.set(qn("w:val"), _LOCALE[lang])
    rpr.append(lang_el)
    pf = normal.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(4)
    pf.line_spacing = 1.1
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = Cm(2.5)
    section.right_margin = Cm(1.5)
    section.top_margin = section.bottom_margin = Cm(2.0)


def _run(paragraph, text: str, *, bold=False, size=None):
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.font.name = FONT_NAME
    _set_rfonts(run._r.get_or_add_rPr())
    if size:
        run.font.size = Pt(size)
    return run


def _para(document, text: str = "", *, bold=False, size=None, align=None, before=None):
    paragraph = document.add_paragraph()
    for i, line in enumerate(text.split("\n")):
        if i:
            paragraph.add_run().add_break()
        if line:
            _run(paragraph, line, bold=bold, size=size)
    if align is not None:
        paragraph.alignment = align
    if before is not None:
        paragraph.paragraph_format.space_before = Pt(before)
    return paragraph


def _heading(document, text: str):
    p = _para(document, text, bold=True, size=12, before=10)
    p.paragraph_format.keep_with_next = True
    return p


def protocol_docx(meeting: Meeting, lang: str) -> bytes:
    """The protocol as an editable Word document (A4 portrait, DejaVu Sans)."""
    c = protocol_content(meeting, lang)
    document = Document()
    _setup(document, lang)
    props = document.core_properties
    props.title = f"{c['title']} — {c['meeting_title']}"[:255]
    props.language = _LOCALE[lang]
    props.author = "Jamaat"

    center = WD_ALIGN_PARAGRAPH.CENTER
    _para(document, c["issuer"], size=11, align=center)
    _para(document, c["title"], bold=True, size=16, align=center, before=8)
    _para(document, c["subtitle"], bold=True, size=12, align=center)
    if c["meeting_title"]:
        _para(document, f"«{c['meeting_title']}»", size=12, align=center)
    first = True
    for fact in c["facts"]:
        p = document.add_paragraph()
        if first:
            p.paragraph_format.space_before = Pt(10)
            first = False
        _run(p, f"{fact['label']}: ", bold=True)
        _run(p, fact["value"])

    _heading(document, c["attendance_label"])
    for line in c["attendance"]:
        _para(document, line)
    p = document.add_paragraph()
    _run(p, f"{c['quorum_label']}: ", bold=True)
    _run(p, c["quorum"])

    _heading(document, c["agenda_label"])
    for i, item in enumerate(c["agenda"], 1):
        _para(document, f"{i}. {item}")
    if not c["agenda"]:
        _para(document, c["none"])

    _heading(document, c["speakers_label"])
    for i, sp in enumerate(c["speakers"], 1):
        p = document.add_paragraph()
        _run(p, f"{i}. {sp['name']}", bold=True)
        if sp["summary"]:
            _run(p, " — " + sp["summary"].replace("\n", " "))
    if not c["speakers"]:
        _para(document, c["none"])

    if c["questions"]:
        _heading(document, c["questions_label"])
        _para(document, c["questions"])

    _heading(document, c["decisions_label"])
    for i, d in enumerate(c["decisions"], 1):
        _para(document, f"{i}. {d['text']}")
        p = _para(document, d["votes"])
        p.paragraph_format.left_indent = Cm(0.6)
    if not c["decisions"]:
        _para(document, c["none"])

    table = document.add_table(rows=0, cols=3)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    widths = (Cm(4.5), Cm(6.0), Cm(6.0))
    for sig in c["signatures"]:
        cells = table.add_row().cells
        for cell, width in zip(cells, widths, strict=True):
            cell.width = width
        cells[0].paragraphs[0].paragraph_format.space_before = Pt(18)
        _run(cells[0].paragraphs[0], sig["role"], bold=True)
        cells[1].paragraphs[0].paragraph_format.space_before = Pt(18)
        _run(cells[1].paragraphs[0], SIGNATURE_BLANK)
        hint = cells[1].add_paragraph()
        hint.alignment = center
        _run(hint, c["signature_hint"], size=8)
        cells[2].paragraphs[0].paragraph_format.space_before = Pt(18)
        _run(cells[2].paragraphs[0], sig["name"])
    document.paragraphs[0].paragraph_format.space_before = Pt(0)

    footer = document.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(footer, c["generated"], size=7)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def protocol_file(meeting: Meeting, lang: str, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the protocol in `lang` and `fmt` (docx or pdf)."""
    if fmt == "docx":
        content, ctype = protocol_docx(meeting, lang), DOCX_TYPE
    elif fmt == "pdf":
        content, ctype = protocol_pdf(meeting, lang), PDF_TYPE
    else:
        raise ValueError(f"Unsupported format {fmt!r}; expected docx or pdf")
    day = meeting.local_start.date().isoformat()
    return content, ctype, f"protocol-{meeting.municipality.slug}-{day}-{meeting.pk}-{lang}.{fmt}"

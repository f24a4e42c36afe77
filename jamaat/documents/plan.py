"""Render an adopted municipal plan as DOCX, PDF (typst) and XLSX.

The layout follows the government seed's table: ``№ · activities/tasks ·
deadlines · responsible · budget · expected results · effectiveness indicators ·
note``. Goal rows ("1. Максаты: ...") span the full width, followed by one row
per activity. A title block names the municipality and period; the head's
signature line closes the document.

Pure Python: callers (views, tasks, CLI) build a :class:`PlanDocument` with all
strings already translated and filled in, and get ``bytes`` back.
"""

from __future__ import annotations

import io
import re
import textwrap
from dataclasses import dataclass, field

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .typst import compile_pdf

__all__ = [
    "COLUMN_COUNT",
    "FONT_NAME",
    "PlanDocument",
    "PlanGoal",
    "PlanRow",
    "render_docx",
    "render_pdf",
    "render_xlsx",
]


@dataclass
class PlanRow:
    code: str  # "1.1"
    text: str  # activity text
    deadline: str  # deadline text, e.g. "Ай сайын"
    responsible: str  # role label(s) with names, may contain "\n"
    budget: str  # e.g. "Талап кылынбайт" or "Жергиликтүү бюджет\n2025: 120 000 сом ..."
    expected: str
    indicators: str  # with blanks already filled, may contain "\n"
    note: str = ""


@dataclass
class PlanGoal:
    title: str  # "1. Максаты: ..."
    rows: list[PlanRow] = field(default_factory=list)


@dataclass
class PlanDocument:
    lang: str  # "ky" | "ru" | "en"
    issuer: str  # small right-aligned line(s) above the title, may be ""
    title: str  # main heading, already containing the municipality name
    subtitle: str  # e.g. "Кароол айыл аймагы · 2025–2028"
    status_line: str  # e.g. "Бекитилди: 12.03.2025-ж." or "Долбоор" (draft)
    columns: list[str]  # 8 column headers in this language
    goals: list[PlanGoal]
    signature_label: str  # e.g. "Айыл өкмөтүнүн башчысы"
    signer_name: str  # e.g. "Т. Асанов" (may be "")
    generated_line: str = ""  # small footer text, e.g. "Jamaat · 21.11.2026"


# --------------------------------------------------------------------------- layout

FONT_NAME = "DejaVu Sans"
COLUMN_COUNT = 8
LANGS = ("ky", "ru", "en")
# Locale tags for DOCX/XLSX language metadata (spell checking, hyphenation).
_LOCALE = {"ky": "ky-KG", "ru": "ru-RU", "en": "en-GB"}

# Width of the "№" column (em in typst) and relative weights of the other seven
# columns; shared by all three formats so they look alike.
CODE_WIDTH_EM = 2.9
COLUMN_WEIGHTS = (2.6, 1.0, 1.4, 1.3, 1.7, 1.6, 0.9)

SIGNATURE_BLANK = "____________"

# A4 landscape, margins in cm.
_PAGE_W, _PAGE_H = 29.7, 21.0
_MARGIN_L, _MARGIN_R, _MARGIN_T, _MARGIN_B = 1.5, 1.2, 1.3, 1.5
_CODE_WIDTH_CM = 1.3

_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def _clean(value: object) -> str:
    """Normalise newlines and drop characters XML (DOCX/XLSX) cannot carry."""
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_CHARS.sub("", text)


def _row_cells(row: PlanRow) -> list[str]:
    return [
        _clean(v)
        for v in (
            row.code,
            row.text,
            row.deadline,
            row.responsible,
            row.budget,
            row.expected,
            row.indicators,
            row.note,
        )
    ]


@dataclass
class _Prepared:
    """Validated, cleaned view of a PlanDocument shared by all renderers."""

    lang: str
    issuer: str
    title: str
    subtitle: str
    status_line: str
    columns: list[str]
    goals: list[tuple[str, list[list[str]]]]
    signature_label: str
    signer_name: str
    generated_line: str

    @property
    def signature_text(self) -> str:
        return " ".join(p for p in (self.signature_label, SIGNATURE_BLANK, self.signer_name) if p)


def _prepare(doc: PlanDocument) -> _Prepared:
    lang = _clean(doc.lang).strip().lower()
    if lang not in LANGS:
        raise ValueError(f"Unsupported plan language {doc.lang!r}; expected one of {LANGS}")
    columns = [_clean(c) for c in doc.columns]
    if len(columns) != COLUMN_COUNT:
        raise ValueError(f"A plan needs exactly {COLUMN_COUNT} column headers, got {len(columns)}")
    return _Prepared(
        lang=lang,
        issuer=_clean(doc.issuer).strip(),
        title=_clean(doc.title).strip(),
        subtitle=_clean(doc.subtitle).strip(),
        status_line=_clean(doc.status_line).strip(),
        columns=columns,
        goals=[(_clean(g.title).strip(), [_row_cells(r) for r in g.rows]) for g in doc.goals],
        signature_label=_clean(doc.signature_label).strip(),
        signer_name=_clean(doc.signer_name).strip(),
        generated_line=_clean(doc.generated_line).strip(),
    )


# ------------------------------------------------------------------------------ PDF

# Rows estimated taller than this many text lines may break across pages in the
# PDF; shorter rows are kept whole (a split 4-line row looks broken on paper).
_PDF_BREAKABLE_LINES = 28
# Approximate characters per weight unit of column width at 8.5 pt on A4 landscape.
_PDF_CHARS_PER_WEIGHT = 14.5


def _is_tall(cells: list[str]) -> bool:
    lines = max(
        _line_count(value, weight * _PDF_CHARS_PER_WEIGHT)
        for value, weight in zip(cells[1:], COLUMN_WEIGHTS, strict=True)
    )
    return lines > _PDF_BREAKABLE_LINES


def _code_width_em(p: _Prepared) -> float:
    """Wide enough for the longest activity code ("1.1", "10.12") on one line."""
    longest = max((len(cells[0]) for _, rows in p.goals for cells in rows), default=0)
    return max(CODE_WIDTH_EM, round(0.65 * longest + 1.0, 2))


def render_pdf(doc: PlanDocument) -> bytes:
    """A4 landscape PDF via typst, vendored DejaVu fonts, header row repeated per page."""
    p = _prepare(doc)
    data = {
        "lang": p.lang,
        "issuer": p.issuer,
        "title": p.title,
        "subtitle": p.subtitle,
        "status_line": p.status_line,
        "columns": p.columns,
        "code_width": _code_width_em(p),
        "weights": list(COLUMN_WEIGHTS),
        "goals": [
            {
                "title": title,
                "rows": [{"cells": cells, "breakable": _is_tall(cells)} for cells in rows],
            }
            for title, rows in p.goals
        ],
        "signature_label": p.signature_label,
        "signer_name": p.signer_name,
        "generated_line": p.generated_line,
    }
    return compile_pdf("plan.typ", data)


# ----------------------------------------------------------------------------- DOCX

_HEADER_FILL = "D9D9D9"
_GOAL_FILL = "F2F2F2"
# Elements that must follow <w:shd> inside <w:tcPr> (schema order).
_TCPR_AFTER_SHD = (
    "w:noWrap",
    "w:tcMar",
    "w:textDirection",
    "w:tcFitText",
    "w:vAlign",
    "w:hideMark",
    "w:headers",
    "w:cellIns",
    "w:cellDel",
    "w:cellMerge",
    "w:tcPrChange",
)
_RFONTS_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def _set_rfonts(rpr, font: str = FONT_NAME) -> None:
    """Point every script slot (ascii/hAnsi/eastAsia/cs) at ``font``; drop theme fonts,
    which would otherwise take precedence over the explicit names."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in _RFONTS_THEME_ATTRS:
        key = qn(attr)
        if key in rfonts.attrib:
            del rfonts.attrib[key]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), font)


def _set_lang(rpr, locale: str) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), locale)


def _setup_docx_styles(document, locale: str) -> None:
    styles_el = document.styles.element
    # Document defaults: every run falls back to DejaVu Sans.
    doc_defaults = styles_el.find(qn("w:docDefaults"))
    if doc_defaults is not None:
        rpr_default = doc_defaults.find(qn("w:rPrDefault"))
        if rpr_default is None:
            rpr_default = OxmlElement("w:rPrDefault")
            doc_defaults.insert(0, rpr_default)
        rpr = rpr_default.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            rpr_default.append(rpr)
        _set_rfonts(rpr)
        _set_lang(rpr, locale)
    # Any style that names a font (Normal, headings, Table Grid...) uses ours too.
    for style_el in styles_el.findall(qn("w:style")):
        rpr = style_el.find(qn("w:rPr"))
        if rpr is not None and rpr.find(qn("w:rFonts")) is not None:
            _set_rfonts(rpr)
    normal = document.styles["Normal"]
    normal.font.name = FONT_NAME
    normal.font.size = Pt(9)
    _set_rfonts(normal.element.get_or_add_rPr())
    pf = normal.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing = 1.0


def _shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = tc_pr.find(qn("w:shd"))
    if shd is None:
        shd = OxmlElement("w:shd")
        successor = next(
            (el for el in tc_pr if el.tag in {qn(t) for t in _TCPR_AFTER_SHD}),
            None,
        )
        if successor is not None:
            successor.addprevious(shd)
        else:
            tc_pr.append(shd)
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)


def _row_flag(row, tag: str) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn(tag)) is None:
        el = OxmlElement(tag)
        el.set(qn("w:val"), "true")
        tr_pr.append(el)


def _add_run(paragraph, text: str, *, bold=False, size=None, color=None):
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.font.name = FONT_NAME
    _set_rfonts(run._r.get_or_add_rPr())
    if size is not None:
        run.font.size = Pt(size)
    if color is not None:
        run.font.color.rgb = RGBColor.from_string(color)
    return run


def _add_lines(container, text: str, *, bold=False, size=None, align=None, color=None, first=None):
    """Write ``text`` as one paragraph per line. ``first`` reuses an existing
    (empty) paragraph, e.g. the one every new table cell already has."""
    paragraphs = []
    for i, line in enumerate(text.split("\n")):
        paragraph = first if (i == 0 and first is not None) else container.add_paragraph()
        if line:
            _add_run(paragraph, line, bold=bold, size=size, color=color)
        if align is not None:
            paragraph.alignment = align
        paragraphs.append(paragraph)
    return paragraphs


def _docx_column_widths() -> list:
    usable = _PAGE_W - _MARGIN_L - _MARGIN_R - _CODE_WIDTH_CM
    total = sum(COLUMN_WEIGHTS)
    return [Cm(_CODE_WIDTH_CM)] + [Cm(usable * w / total) for w in COLUMN_WEIGHTS]


def _add_field(paragraph, instr: str, *, size, color) -> None:
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instr)
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    _set_rfonts(rpr)
    col = OxmlElement("w:color")
    col.set(qn("w:val"), color)
    rpr.append(col)
    sz = OxmlElement("w:sz")
    sz.set(qn("w:val"), str(int(size * 2)))
    rpr.append(sz)
    run.append(rpr)
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)


def render_docx(doc: PlanDocument) -> bytes:
    """Editable Word document: A4 landscape, real 8-column table with a repeating
    header row, merged shaded goal rows and the head's signature line."""
    p = _prepare(doc)
    document = Document()
    _setup_docx_styles(document, _LOCALE[p.lang])

    props = document.core_properties
    props.title = p.title[:255]
    props.subject = p.subtitle[:255]
    props.language = _LOCALE[p.lang]
    props.author = "Jamaat"
    props.comments = ""

    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width = Cm(_PAGE_W)
    section.page_height = Cm(_PAGE_H)
    section.left_margin = Cm(_MARGIN_L)
    section.right_margin = Cm(_MARGIN_R)
    section.top_margin = Cm(_MARGIN_T)
    section.bottom_margin = Cm(_MARGIN_B)
    section.footer_distance = Cm(0.7)

    # Footer: generated line and page number, small and grey.
    footer_par = section.footer.paragraphs[0]
    footer_par.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if p.generated_line:
        _add_run(footer_par, p.generated_line.replace("\n", " · ") + "   ", size=7, color="595959")
    _add_field(footer_par, "PAGE", size=7, color="595959")
    _add_run(footer_par, " / ", size=7, color="595959")
    _add_field(footer_par, "NUMPAGES", size=7, color="595959")

    # The default body starts empty; we add paragraphs in order.
    body = document
    if p.issuer:
        _add_lines(body, p.issuer, size=8, align=WD_ALIGN_PARAGRAPH.RIGHT)
        spacer = body.add_paragraph()
        spacer.paragraph_format.space_after = Pt(2)
    title_pars = _add_lines(body, p.title, bold=True, size=13, align=WD_ALIGN_PARAGRAPH.CENTER)
    title_pars[-1].paragraph_format.space_after = Pt(2)
    if p.subtitle:
        _add_lines(body, p.subtitle, size=10.5, align=WD_ALIGN_PARAGRAPH.CENTER)
    if p.status_line:
        _add_lines(body, p.status_line, size=9, align=WD_ALIGN_PARAGRAPH.CENTER, color="404040")
    gap = body.add_paragraph()
    gap.paragraph_format.space_after = Pt(4)

    widths = _docx_column_widths()
    table = document.add_table(rows=0, cols=COLUMN_COUNT)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width

    # Header row, repeated at the top of every page.
    header = table.add_row()
    _row_flag(header, "w:tblHeader")
    _row_flag(header, "w:cantSplit")
    for cell, width, label in zip(header.cells, widths, p.columns, strict=True):
        cell.width = width
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _shade(cell, _HEADER_FILL)
        _add_lines(
            cell,
            label,
            bold=True,
            size=8.5,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            first=cell.paragraphs[0],
        )

    for goal_title, rows in p.goals:
        if goal_title:
            goal_row = table.add_row()
            _row_flag(goal_row, "w:cantSplit")
            for cell, width in zip(goal_row.cells, widths, strict=True):
                cell.width = width
            merged = goal_row.cells[0].merge(goal_row.cells[-1])
            _shade(merged, _GOAL_FILL)
            for paragraph in _add_lines(
                merged, goal_title, bold=True, size=9, first=merged.paragraphs[0]
            ):
                # Keep the goal row on the same page as its first activity.
                paragraph.paragraph_format.keep_with_next = True
        for values in rows:
            row = table.add_row()
            for i, (cell, width, value) in enumerate(zip(row.cells, widths, values, strict=True)):
                cell.width = width
                _add_lines(
                    cell,
                    value,
                    size=8.5,
                    align=WD_ALIGN_PARAGRAPH.CENTER if i == 0 else None,
                    first=cell.paragraphs[0],
                )

    signature = document.add_paragraph()
    signature.paragraph_format.space_before = Pt(24)
    signature.paragraph_format.keep_together = True
    if p.signature_label:
        _add_run(signature, p.signature_label.replace("\n", " "), bold=True, size=10)
        _add_run(signature, " ", size=10)
    _add_run(signature, SIGNATURE_BLANK, size=10)
    if p.signer_name:
        _add_run(signature, " " + p.signer_name.replace("\n", " "), size=10)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# ----------------------------------------------------------------------------- XLSX

_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_XLSX_CODE_WIDTH = 7.0
_XLSX_WIDTH_PER_WEIGHT = 13.5
_XLSX_LINE_PT = 11.5  # row height per text line at 8.5–9 pt


def _sheet_title(p: _Prepared) -> str:
    """Municipality/plan name usable as a sheet title (≤31 chars, no []:*?/\\)."""

    def sanitise(s: str) -> str:
        s = _SHEET_TITLE_FORBIDDEN.sub(" ", s.replace("\n", " "))
        return re.sub(r"\s+", " ", s).strip().strip("'").strip()

    candidates = []
    if p.subtitle:
        candidates.append(sanitise(p.subtitle))
        candidates.append(sanitise(re.split(r"[·|,]", p.subtitle)[0]))
    candidates.append(sanitise(p.title))
    for candidate in candidates:
        if candidate and len(candidate) <= 31:
            return candidate
    for candidate in candidates:
        if candidate:
            return candidate[:31].rstrip(" -–·'") or "Plan"
    return "Plan"


def _xlsx_widths() -> list[float]:
    return [_XLSX_CODE_WIDTH] + [round(w * _XLSX_WIDTH_PER_WEIGHT, 1) for w in COLUMN_WEIGHTS]


def _line_count(text: str, width_chars: float) -> int:
    per_line = max(int(width_chars * 1.05) - 1, 4)
    total = 0
    for line in text.split("\n"):
        total += max(1, len(textwrap.wrap(line, per_line, break_long_words=True)))
    return total


def _xlsx_escape_hf(text: str) -> str:
    """Header/footer strings use '&' as a control character."""
    return text.replace("&", "&&").replace("\n", " · ")


def render_xlsx(doc: PlanDocument) -> bytes:
    """One-sheet workbook in the same table layout, ready to print (landscape, fit
    to width, header row repeated)."""
    p = _prepare(doc)
    wb = Workbook()
    ws = wb.active
    ws.title = _sheet_title(p)
    wb.properties.title = p.title[:255]
    wb.properties.subject = p.subtitle[:255]
    wb.properties.creator = "Jamaat"
    wb.properties.language = _LOCALE[p.lang]

    widths = _xlsx_widths()
    total_width = sum(widths)
    last_col = get_column_letter(COLUMN_COUNT)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width

    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap_top = Alignment(wrap_text=True, vertical="top")
    header_fill = PatternFill("solid", fgColor=_HEADER_FILL)
    goal_fill = PatternFill("solid", fgColor=_GOAL_FILL)

    def font(size=9, bold=False, color=None) -> Font:
        return Font(name=FONT_NAME, size=size, bold=bold, color=color)

    def put(row: int, col: int, value: str):
        cell = ws.cell(row=row, column=col)
        cell.value = value
        if value.startswith("="):
            cell.data_type = "s"  # user text, never a formula
        return cell

    def merged_line(row: int, text: str, *, size, bold=False, align="center", color=None):
        ws.merge_cells(f"A{row}:{last_col}{row}")
        cell = put(row, 1, text)
        cell.font = font(size, bold, color)
        cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
        lines = _line_count(text, total_width * 9 / max(size, 1))
        ws.row_dimensions[row].height = max(lines * size * 1.35, size * 1.6) + 2
        return cell

    r = 1
    if p.issuer:
        merged_line(r, p.issuer, size=8, align="right")
        r += 1
    merged_line(r, p.title, size=13, bold=True)
    r += 1
    if p.subtitle:
        merged_line(r, p.subtitle, size=10.5)
        r += 1
    if p.status_line:
        merged_line(r, p.status_line, size=9, color="404040")
        r += 1
    r += 1  # blank spacer row

    header_row = r
    header_lines = 1
    for col, label in enumerate(p.columns, start=1):
        cell = put(r, col, label)
        cell.font = font(8.5, bold=True)
        cell.fill = header_fill
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        header_lines = max(header_lines, _line_count(label, widths[col - 1] * 0.9))
    ws.row_dimensions[r].height = header_lines * _XLSX_LINE_PT + 4
    r += 1

    for goal_title, rows in p.goals:
        if goal_title:
            ws.merge_cells(f"A{r}:{last_col}{r}")
            for col in range(1, COLUMN_COUNT + 1):
                c = ws.cell(row=r, column=col)
                c.border = border
                c.fill = goal_fill
            cell = put(r, 1, goal_title)
            cell.font = font(9, bold=True)
            cell.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
            ws.row_dimensions[r].height = _line_count(goal_title, total_width) * _XLSX_LINE_PT + 5
            r += 1
        for values in rows:
            lines = 1
            for col, value in enumerate(values, start=1):
                cell = put(r, col, value)
                cell.font = font(8.5)
                cell.border = border
                cell.alignment = (
                    Alignment(horizontal="center", vertical="top", wrap_text=True)
                    if col == 1
                    else wrap_top
                )
                lines = max(lines, _line_count(value, widths[col - 1]))
            ws.row_dimensions[r].height = lines * _XLSX_LINE_PT + 4
            r += 1

    r += 1  # spacer
    signature_row = r + 1
    ws.merge_cells(f"A{signature_row}:{last_col}{signature_row}")
    cell = put(signature_row, 1, p.signature_text)
    cell.font = font(10, bold=True)
    cell.alignment = Alignment(horizontal="left", vertical="bottom")
    ws.row_dimensions[signature_row].height = 22
    if p.generated_line:
        merged_line(signature_row + 2, p.generated_line, size=7, align="left", color="595959")

    # Freeze everything above the first body row; repeat the header when printing.
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_area = f"A1:{last_col}{ws.max_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.oddFooter.left.text = _xlsx_escape_hf(p.generated_line)
    ws.oddFooter.left.size = 7
    ws.oddFooter.right.text = "&P / &N"
    ws.oddFooter.right.size = 7
    ws.sheet_view.zoomScale = 100

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

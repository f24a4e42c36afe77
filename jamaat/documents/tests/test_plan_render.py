"""Render plans in every format and open the results to check their content.

Plain pytest functions; no Django needed (run with ``-p no:django``).
"""

from __future__ import annotations

import io
import time

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook
from pypdf import PdfReader

from jamaat.documents.plan import (
    PlanDocument,
    PlanGoal,
    PlanRow,
    render_docx,
    render_pdf,
    render_xlsx,
)
from jamaat.documents.typst import FONT_DIR, DocumentRenderError, compile_pdf

KY_COLUMNS = [
    "№",
    "Иш-чаралар / милдеттер",
    "Аткаруу мөөнөттөрү",
    "Жооптуулар",
    "Бюджет",
    "Күтүлгөн натыйжалар",
    "Натыйжалуулук көрсөткүчтөрү",
    "Эскертүү",
]
RU_COLUMNS = [
    "№",
    "Мероприятия / задачи",
    "Сроки исполнения",
    "Ответственные",
    "Бюджет",
    "Ожидаемые результаты",
    "Индикаторы эффективности",
    "Примечание",
]

KY_ROW = PlanRow(
    code="1.1",
    text="Жергиликтүү маанидеги маселелер боюнча Маалымат тактасын жаңылап туруу",
    deadline="Ай сайын",
    responsible="Айыл өкмөтүнүн башчысы\nҮсөнов Ө.",
    budget="Жергиликтүү бюджет\n2025: 120 000 сом",
    expected="Тургундар өз убагында маалымат алышат",
    indicators="Жарыяланган маалыматтардын саны: 12\nКатышуучулар: 250 киши",
    note="Ңөү ҢӨҮ",
)


def ky_plan(activities_per_goal: int = 2, goals: int = 2) -> PlanDocument:
    goal_list = []
    for g in range(1, goals + 1):
        rows = []
        for a in range(1, activities_per_goal + 1):
            if g == 1 and a == 1:
                rows.append(KY_ROW)
                continue
            rows.append(
                PlanRow(
                    code=f"{g}.{a}",
                    text=(
                        f"Коомдук угуу өткөрүү жана жергиликтүү өз алдынча башкаруунун "
                        f"ишмердүүлүгү тууралуу калкка маалымат берүү ({g}.{a})"
                    ),
                    deadline="2025-жылдын IV чейреги",
                    responsible="Жооптуу катчы\nАсанова Г.\nАйыл кеңешинин депутаттары",
                    budget="Талап кылынбайт",
                    expected="Калктын катышуусу жогорулайт, чечимдер ачык кабыл алынат",
                    indicators="Өткөрүлгөн угуулардын саны: 4\nКатышуучулардын 40% аялдар",
                    note="" if a % 2 else "Өзгөн районунун тажрыйбасы боюнча",
                )
            )
        goal_list.append(
            PlanGoal(
                title=f"{g}. Максаты: Жергиликтүү маанидеги маселелерди чечүүгө "
                f"жарандардын катышуусун күчөтүү ({g})",
                rows=rows,
            )
        )
    return PlanDocument(
        lang="ky",
        issuer="Өзгөн шаардык кеңешинин\n2025-жылдын 12-мартындагы №5 токтому менен бекитилген",
        title="Өзгөн шаарынын мэриясынын жарандарды маалымдоо жана катыштыруу планы",
        subtitle="Өзгөн шаары · 2025–2028",
        status_line="Бекитилди: 12.03.2025-ж.",
        columns=KY_COLUMNS,
        goals=goal_list,
        signature_label="Өзгөн шаарынын мэри",
        signer_name="Үсөнов Ө.",
        generated_line="Jamaat · 21.11.2026",
    )


def ru_plan() -> PlanDocument:
    return PlanDocument(
        lang="ru",
        issuer="",
        title="План информирования и вовлечения граждан Кароолского айыл окмоту",
        subtitle="Кароолский айылный аймак · 2025–2028",
        status_line="Проект",
        columns=RU_COLUMNS,
        goals=[
            PlanGoal(
                title="1. Цель: Повышение открытости органов МСУ",
                rows=[
                    PlanRow(
                        code="1.1",
                        text="Обновление информационной доски",
                        deadline="Ежемесячно",
                        responsible="Глава айыл окмоту\nАсанов Т.",
                        budget="Не требуется",
                        expected="Жители своевременно получают информацию",
                        indicators="Количество публикаций: 12",
                    )
                ],
            )
        ],
        signature_label="Глава айыл окмоту",
        signer_name="",
    )


# ---------------------------------------------------------------------- helpers


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def pdf_font_names(pdf: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(pdf))
    names: set[str] = set()

    def walk(resources, seen):
        if resources is None:
            return
        resources = resources.get_object()
        fonts = resources.get("/Font")
        if fonts is not None:
            for font in fonts.get_object().values():
                font = font.get_object()
                names.add(str(font.get("/BaseFont", "")))
        xobjects = resources.get("/XObject")
        if xobjects is not None:
            for xobj in xobjects.get_object().values():
                xobj = xobj.get_object()
                if id(xobj) not in seen and "/Resources" in xobj:
                    seen.add(id(xobj))
                    walk(xobj["/Resources"], seen)

    for page in reader.pages:
        walk(page.get("/Resources"), set())
    return names


def squash(s: str) -> str:
    """Text extraction may split lines/insert spaces differently; compare on words."""
    return " ".join(s.split())


def docx_cell_text(cell) -> str:
    return "\n".join(p.text for p in cell.paragraphs)


# ------------------------------------------------------------------------- DOCX


def test_docx_kyrgyz_table_layout():
    plan = ky_plan()
    document = Document(io.BytesIO(render_docx(plan)))
    body_text = "\n".join(p.text for p in document.paragraphs)
    assert plan.title in body_text
    assert "Өзгөн шаары · 2025–2028" in body_text
    assert "Бекитилди: 12.03.2025-ж." in body_text

    section = document.sections[0]
    assert section.page_width > section.page_height  # landscape

    assert len(document.tables) == 1
    table = document.tables[0]
    assert len(table.columns) == 8
    header = table.rows[0]
    assert [docx_cell_text(c) for c in header.cells] == KY_COLUMNS
    tr_pr = header._tr.trPr
    assert tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None

    goal_row = table.rows[1]
    tcs = goal_row._tr.tc_lst
    assert len(tcs) == 1 and tcs[0].grid_span == 8
    assert docx_cell_text(goal_row.cells[0]) == plan.goals[0].title
    assert tcs[0].tcPr.find(qn("w:shd")) is not None

    row = table.rows[2]
    expected = [
        KY_ROW.code,
        KY_ROW.text,
        KY_ROW.deadline,
        KY_ROW.responsible,
        KY_ROW.budget,
        KY_ROW.expected,
        KY_ROW.indicators,
        KY_ROW.note,
    ]
    assert [docx_cell_text(c) for c in row.cells] == expected
    # Multi-line text is written as separate paragraphs, not line breaks.
    assert [p.text for p in row.cells[3].paragraphs] == ["Айыл өкмөтүнүн башчысы", "Үсөнов Ө."]

    # 2 goals x (1 goal row + 2 activities) + header
    assert len(table.rows) == 1 + 2 * 3
    assert "Өзгөн шаарынын мэри ____________ Үсөнов Ө." in body_text
    assert body_text.rstrip().endswith("Үсөнов Ө.")


def test_docx_fonts_are_dejavu_for_all_scripts():
    document = Document(io.BytesIO(render_docx(ky_plan())))
    normal = document.styles["Normal"]
    rfonts = normal.element.rPr.find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        assert rfonts.get(qn(attr)) == "DejaVu Sans"
    defaults = document.styles.element.find(qn("w:docDefaults"))
    default_fonts = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:rFonts"))
    assert default_fonts.get(qn("w:eastAsia")) == "DejaVu Sans"
    assert default_fonts.get(qn("w:asciiTheme")) is None
    cell_run = document.tables[0].rows[2].cells[1].paragraphs[0].runs[0]
    assert cell_run.font.name == "DejaVu Sans"
    assert cell_run._r.rPr.find(qn("w:rFonts")).get(qn("w:cs")) == "DejaVu Sans"


def test_docx_russian_without_signer_or_issuer():
    plan = ru_plan()
    document = Document(io.BytesIO(render_docx(plan)))
    body_text = "\n".join(p.text for p in document.paragraphs)
    assert plan.title in body_text
    assert "Глава айыл окмоту ____________" in body_text
    table = document.tables[0]
    assert len(table.columns) == 8
    assert [docx_cell_text(c) for c in table.rows[0].cells] == RU_COLUMNS
    assert docx_cell_text(table.rows[2].cells[6]) == "Количество публикаций: 12"
    assert docx_cell_text(table.rows[2].cells[7]) == ""


# ------------------------------------------------------------------------- XLSX


def _merged(ws) -> set[str]:
    return {str(r) for r in ws.merged_cells.ranges}


def test_xlsx_kyrgyz_content_and_layout():
    plan = ky_plan()
    wb = load_workbook(io.BytesIO(render_xlsx(plan)))
    assert len(wb.sheetnames) == 1
    ws = wb.active
    assert ws.title == "Өзгөн шаары · 2025–2028"
    values = {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value}
    texts = set(values.values())
    assert plan.title in texts
    assert plan.issuer in texts

    header_row = next(c.row for c in ws["B"] if c.value == KY_COLUMNS[1])
    assert [ws.cell(header_row, col).value for col in range(1, 9)] == KY_COLUMNS
    assert all(ws.cell(header_row, col).font.b for col in range(1, 9))
    assert ws.freeze_panes == f"A{header_row + 1}"
    assert ws.print_title_rows.replace("$", "") == f"{header_row}:{header_row}"

    goal_row = header_row + 1
    assert ws.cell(goal_row, 1).value == plan.goals[0].title
    assert ws.cell(goal_row, 1).font.b
    assert f"A{goal_row}:H{goal_row}" in _merged(ws)
    second_goal_row = goal_row + 3
    assert ws.cell(second_goal_row, 1).value == plan.goals[1].title
    assert f"A{second_goal_row}:H{second_goal_row}" in _merged(ws)

    row = goal_row + 1
    assert [ws.cell(row, col).value for col in range(1, 9)] == [
        KY_ROW.code,
        KY_ROW.text,
        KY_ROW.deadline,
        KY_ROW.responsible,
        KY_ROW.budget,
        KY_ROW.expected,
        KY_ROW.indicators,
        KY_ROW.note,
    ]
    assert ws.cell(row, 4).alignment.wrap_text
    assert "Өзгөн шаарынын мэри ____________ Үсөнов Ө." in texts
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage


def test_xlsx_russian_and_sheet_title_rules():
    plan = ru_plan()
    plan.subtitle = "Кароолский айылный аймак: план [2025/2028] * ? \\ очень длинное название"
    wb = load_workbook(io.BytesIO(render_xlsx(plan)))
    ws = wb.active
    assert len(ws.title) <= 31
    assert not set(ws.title) & set("[]:*?/\\")
    texts = {c.value for row in ws.iter_rows() for c in row if c.value}
    assert "Обновление информационной доски" in texts
    assert "Глава айыл окмоту\nАсанов Т." in texts


def test_xlsx_user_text_is_never_a_formula():
    plan = ru_plan()
    plan.goals[0].rows[0].note = '=HYPERLINK("http://x")'
    plan.goals[0].rows[0].text = "Строка с управляющим символом\x0b внутри"
    wb = load_workbook(io.BytesIO(render_xlsx(plan)))
    ws = wb.active
    texts = {c.value for row in ws.iter_rows() for c in row if c.value}
    assert '=HYPERLINK("http://x")' in texts
    cell = next(c for row in ws.iter_rows() for c in row if c.value == '=HYPERLINK("http://x")')
    assert cell.data_type == "s"
    assert "Строка с управляющим символом внутри" in texts


# -------------------------------------------------------------------------- PDF


def test_pdf_kyrgyz_letters_and_embedded_dejavu():
    plan = ky_plan()
    pdf = render_pdf(plan)
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # A4 landscape
    text = pdf_text(pdf)
    for letter in "ңөүҢӨҮ":
        assert letter in text, letter
    flat = squash(text)
    for needle in (
        "Өзгөн шаарынын мэриясынын",
        "Жергиликтүү маанидеги маселелер",
        "Маалымат тактасын",
        "Үсөнов Ө.",
        "Ай сайын",
        "1. Максаты:",
        "Натыйжалуулук көрсөткүчтөрү",
    ):
        assert needle in flat, needle
    fonts = pdf_font_names(pdf)
    assert fonts, "no fonts found in PDF"
    assert all("DejaVu" in name for name in fonts), fonts
    assert any("DejaVuSans-Bold" in name for name in fonts), fonts


def test_pdf_russian():
    text = squash(pdf_text(render_pdf(ru_plan())))
    assert "План информирования и вовлечения граждан" in text
    assert "Обновление информационной доски" in text
    assert "Глава айыл окмоту" in text


def test_pdf_header_repeats_on_every_page():
    plan = ky_plan(activities_per_goal=12, goals=3)
    reader = PdfReader(io.BytesIO(render_pdf(plan)))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        assert "Жооптуулар" in page.extract_text()


SPECIAL = r'#set text(red) *bold* _em_ $x^2$ <label> @ref [link] \ "quote" `raw` // /* ~ -- ='


def test_pdf_markup_special_characters_are_literal():
    plan = ru_plan()
    row = plan.goals[0].rows[0]
    row.text = SPECIAL
    row.note = "#"
    row.budget = '\\"'
    plan.title = "Title #{panic()} ]["
    plan.signer_name = "@$_*"
    text = squash(pdf_text(render_pdf(plan)))
    for token in SPECIAL.split():
        assert token in text, token
    assert "Title #{panic()} ][" in text
    assert "@$_*" in text
    assert '\\"' in text


def test_invalid_input_raises():
    plan = ru_plan()
    plan.columns = plan.columns[:7]
    with pytest.raises(ValueError):
        render_pdf(plan)
    plan = ru_plan()
    plan.lang = "de"
    with pytest.raises(ValueError):
        render_docx(plan)


def test_compile_pdf_reports_typst_errors():
    with pytest.raises(DocumentRenderError) as info:
        compile_pdf("#let x = (\n", {})
    assert "typst compilation failed" in str(info.value)
    with pytest.raises(DocumentRenderError):
        compile_pdf("../../settings.typ", {})


def test_compile_pdf_generic_template_uses_vendored_fonts():
    pdf = compile_pdf(
        '#let d = json(bytes(sys.inputs.data))\n#set text(font: "DejaVu Serif")\n#d.msg\n',
        {"msg": "Ң Ө Ү ң ө ү"},
    )
    assert "Ң Ө Ү ң ө ү" in pdf_text(pdf)
    assert all("DejaVuSerif" in n for n in pdf_font_names(pdf))


def test_vendored_fonts_present():
    for name in (
        "DejaVuSans.ttf",
        "DejaVuSans-Bold.ttf",
        "DejaVuSerif.ttf",
        "DejaVuSerif-Bold.ttf",
        "LICENSE",
    ):
        assert (FONT_DIR / name).is_file(), name


def test_render_timings_12_activities(capsys):
    plan = ky_plan(activities_per_goal=4, goals=3)  # 12 activities
    timings = {}
    for name, fn in (("pdf", render_pdf), ("docx", render_docx), ("xlsx", render_xlsx)):
        start = time.perf_counter()
        out = fn(plan)
        timings[name] = time.perf_counter() - start
        assert out
    with capsys.disabled():
        print(
            "\nrender times (12 activities): "
            + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in timings.items())
        )


def test_pdf_very_tall_row_may_split_across_pages():
    plan = ru_plan()
    plan.goals[0].rows[0].indicators = "\n".join(f"Показатель {i}: {i * 10}" for i in range(1, 90))
    reader = PdfReader(io.BytesIO(render_pdf(plan)))
    assert len(reader.pages) >= 2
    text = squash("\n".join(page.extract_text() for page in reader.pages))
    assert "Показатель 1: 10" in text and "Показатель 89: 890" in text

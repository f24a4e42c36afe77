"""The adopted plan as DOCX, PDF and XLSX in ky and ru: opened and read back, cell by cell."""

import io
import re
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from jamaat.conftest import fill_all_targets
from jamaat.plans import services, template_data

STAFF_NAME = "Үсөнова Гүлзат"
HEAD_NAME = "Өмүрбеков Таалай"
SIGNATURE_LABEL = {"ky": "Айыл өкмөтүнүн башчысы", "ru": "Глава айыл окмоту"}
COMBOS = [(fmt, lang) for fmt in ("docx", "pdf", "xlsx") for lang in ("ky", "ru")]


def squash(text: str) -> str:
    return " ".join(text.split())


def template_text(code: str, field: str, lang: str) -> str:
    for goal in template_data.GOALS:
        for a in goal["activities"]:
            if a["code"] == code:
                return a[field][lang]
    raise KeyError(code)


class Read:
    """What a reader of the exported file sees: all text, the table header and the rows by code."""

    def __init__(self, fmt: str, content: bytes):
        self.fmt = fmt
        self.header: list[str] | None = None
        self.rows: dict[str, list[str]] = {}
        self.lines: list[str] = []
        getattr(self, f"_{fmt}")(content)
        self.text = squash("\n".join(self.lines))
        self._flat = self._flatten(self.text)

    def _flatten(self, text: str) -> str:
        # A PDF's text layer breaks lines inside table cells, at hyphens and by hyphenating;
        # compare it without whitespace and hyphens. DOCX/XLSX keep their text intact.
        return re.sub(r"[\s\-\u00ad\u2010]", "", text) if self.fmt == "pdf" else text

    def has(self, fragment: str) -> bool:
        return self._flatten(squash(fragment)) in self._flat

    def _docx(self, content):
        doc = Document(io.BytesIO(content))
        self.lines = [p.text for p in doc.paragraphs]
        assert len(doc.tables) == 1
        table = doc.tables[0]
        assert len(table.columns) == 8
        self.header = [c.text for c in table.rows[0].cells]
        self.lines += self.header
        for row in table.rows[1:]:
            cells = [c.text for c in row.cells]
            assert len(cells) == 8
            self.rows[cells[0]] = cells
            self.lines += cells

    def _xlsx(self, content):
        ws = load_workbook(io.BytesIO(content)).active
        assert ws.max_column == 8
        full_width = {
            m.min_row for m in ws.merged_cells.ranges if m.min_col == 1 and m.max_col == 8
        }
        for i, row in enumerate(ws.iter_rows(values_only=True), start=1):
            cells = ["" if v is None else str(v) for v in row]
            self.lines += cells
            if cells[0] == "№" and self.header is None:
                self.header = cells
            elif self.header is not None and cells[0]:
                # a merged row reads as its text in every cell, as in the DOCX
                self.rows[cells[0]] = [cells[0]] * 8 if i in full_width else cells

    def _pdf(self, content):
        reader = PdfReader(io.BytesIO(content))
        self.lines = [page.extract_text() for page in reader.pages]


@pytest.fixture
def named_plan(plan_a, people):
    """plan_a with names in place, distinct targets per year for 1.1 and a budget for 1.4."""
    people["staff_a"].full_name = STAFF_NAME
    people["staff_a"].save()
    people["head_a"].full_name = HEAD_NAME
    people["head_a"].save()
    fill_all_targets(plan_a)
    a11 = plan_a.activities.get(code="1.1")
    services.set_targets(
        None,
        a11.indicators.get(has_blank=True),
        {2025: Decimal(20), 2026: Decimal(25), 2027: Decimal(30), 2028: Decimal(35)},
    )
    a14 = plan_a.activities.get(code="1.4")
    services.set_budgets(None, a14, {2025: Decimal("120000"), 2026: Decimal("95000.5")})
    a31 = plan_a.activities.get(code="3.1")
    a31.note_ky = "Анкета үлгүсү агенттиктен алынды"
    a31.note_ru = "Шаблон анкеты получен от агентства"
    a31.save()
    return plan_a


@pytest.fixture
def approved(named_plan, people):
    services.approve_plan(people["head_a"], named_plan)
    return named_plan


def check_document(read: Read, lang: str):
    other = "ru" if lang == "ky" else "ky"
    text = read.text
    # title block names the municipality and the period
    assert read.has(template_data.fill_blank(template_data.TITLE[lang], "Кароол"))
    assert "2025–2028" in text
    # the seed's texts in this language, not the other
    for code in ("1.1", "2.3", "3.3"):
        assert read.has(template_text(code, "text", lang)), code
        assert read.has(template_text(code, "expected_results", lang)), code
    assert not read.has(template_text("1.1", "text", other))
    if lang == "ru":
        assert "25-го числа" in text
    else:
        assert "25инде" in text
    # filled targets, names, signature
    assert "20 / 25 / 30 / 35" in text
    assert "(2025 / 2026 / 2027 / 2028)" in text
    assert "____%" not in text and "___%" not in text  # every blank filled
    assert STAFF_NAME in text
    # the PDF draws the signature blank as a line, DOCX and XLSX write it as underscores
    blank = " " if read.fmt == "pdf" else " ____________ "
    assert f"{SIGNATURE_LABEL[lang]}{blank}{HEAD_NAME}" in text
    for column in template_data.COLUMNS[lang]:
        assert read.has(column), column
    if read.header is not None:
        assert read.header == template_data.COLUMNS[lang]
        assert len(read.header) == 8
        row = read.rows["1.1."]
        assert "20 / 25 / 30 / 35" in row[6]
        assert STAFF_NAME in row[3]
        assert squash(template_text("1.1", "text", lang)) == squash(row[1])
        assert template_text("1.1", "deadline_text", lang) == row[2]
        budget = read.rows["1.4."][4]
        assert template_data.BUDGET_SOURCES["local"][lang] in budget
        assert "2025: 120\u00a0000 сом" in budget
        assert "2026: 95\u00a0000.5 сом" in budget
        note = {
            "ky": "Анкета үлгүсү агенттиктен алынды",
            "ru": "Шаблон анкеты получен от агентства",
        }
        assert read.rows["3.1."][7] == note[lang]
        codes = [c for c in read.rows if re.fullmatch(r"\d+\.\d+\.", c)]
        assert codes == [f"{a['code']}." for g in template_data.GOALS for a in g["activities"]]
        goal_rows = [c for c in read.rows if re.match(r"\d+\. ", c)]
        assert len(goal_rows) == 3
        assert all(len(set(read.rows[g])) == 1 for g in goal_rows)  # spans the whole row
    if lang == "ky":
        for letter in "ңөүӨҮ":
            assert letter in text, letter
    else:
        assert "Ожидаемые результаты" in text


@pytest.mark.parametrize("fmt,lang", COMBOS)
def test_export_through_the_web(approved, login, fmt, lang):
    response = login().get(f"/karool/plan/export.{fmt}?lang={lang}")  # public: plan approved
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="plan-karool-2025-2028-{lang}.{fmt}"'
    )
    expected_type = {"pdf": "application/pdf", "docx": "wordprocessingml", "xlsx": "spreadsheetml"}
    assert expected_type[fmt] in response["Content-Type"]
    read = Read(fmt, response.content)
    check_document(read, lang)
    status = {"ky": "Бекитилди:", "ru": "Утвержден:"}[lang]
    assert status in read.text


@pytest.mark.parametrize("fmt,lang", COMBOS)
def test_export_plan_command(approved, tmp_path, fmt, lang):
    out = tmp_path / f"plan.{fmt}"
    call_command("export_plan", "karool", "--lang", lang, "--format", fmt, "-o", str(out))
    check_document(Read(fmt, out.read_bytes()), lang)


def test_the_pdf_embeds_its_fonts(approved, login):
    content = login().get("/karool/plan/export.pdf?lang=ky").content
    reader = PdfReader(io.BytesIO(content))
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (
                descendants[0].get_object()["/FontDescriptor"]
                if descendants
                else font.get("/FontDescriptor")
            )
            descriptor = descriptor.get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts.add(str(font["/BaseFont"]))
    assert fonts


def test_a_draft_says_so_and_is_not_public(named_plan, people, login):
    assert login().get("/karool/plan/export.pdf?lang=ru").status_code == 404
    assert login(people["outsider"]).get("/karool/plan/export.docx").status_code == 404
    assert login(people["staff_b"]).get("/karool/plan/export.xlsx").status_code == 404
    for who in ("staff_a", "deputy_a", "agency"):
        response = login(people[who]).get("/karool/plan/export.docx?lang=ru")
        assert response.status_code == 200, who
    read = Read("docx", response.content)
    assert "Проект (не утвержден)" in read.text
    assert "Утвержден:" not in read.text
    assert "20 / 25 / 30 / 35" in read.text


def test_empty_blanks_stay_blank_in_a_draft(plan_a, people, login):
    content = login(people["staff_a"]).get("/karool/plan/export.xlsx?lang=ky").content
    read = Read("xlsx", content)
    assert "____%" in read.rows["1.1."][6]


def test_unknown_format_and_language(approved, login):
    client = login()
    assert client.get("/karool/plan/export.doc").status_code == 404
    response = client.get("/karool/plan/export.docx?lang=xx")
    assert response.status_code == 200
    assert 'filename="plan-karool-2025-2028-ky.docx"' in response["Content-Disposition"]


def test_a_city_is_signed_by_its_mayor(plan_b, people, login):
    people["head_b"].full_name = "Асанов Бакыт"
    people["head_b"].save()
    read = Read("docx", login().get("/tokmok/plan/export.docx?lang=ru").content)
    assert "Мэр города ____________ Асанов Бакыт" in read.text
    assert "Токмок" in read.text


def test_export_plan_with_an_unknown_slug(db, tmp_path):
    out = tmp_path / "x.pdf"
    with pytest.raises(CommandError, match="nowhere"):
        call_command("export_plan", "nowhere", "--lang", "ky", "--format", "pdf", "-o", str(out))
    assert not out.exists()


def test_export_plan_without_a_plan(mun_a, tmp_path):
    with pytest.raises(CommandError, match="not adopted"):
        call_command("export_plan", "karool", "-o", str(tmp_path / "x.pdf"))


def test_export_plan_rejects_an_unknown_format(approved, tmp_path):
    with pytest.raises(CommandError):
        call_command("export_plan", "karool", "--format", "odt", "-o", str(tmp_path / "x.odt"))

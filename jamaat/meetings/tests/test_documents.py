"""The protocol (DOCX and PDF), the poster and the sign-in sheet, opened and read back."""

import io

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from pypdf import PdfReader

from jamaat.meetings import documents
from jamaat.meetings.models import MeetingSettings
from jamaat.meetings.tests.conftest import make_held, make_meeting
from jamaat.municipalities.models import Village


def docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def squash(text: str) -> str:
    """PDF text extraction may break lines anywhere; compare without whitespace."""
    return "".join(text.split())


@pytest.fixture
def held(mun_a):
    m = make_held(
        mun_a, total=120, women=70, men=50, age_18_29=20, age_30_44=40, age_45_59=35,
        age_60_plus=25, chair="Токтогулов Бакыт", secretary="Осмонова Айгүл",
        protocol_number="7", questions_ky="Көчө жарыгы качан оңдолот?",
        questions_ru="Когда починят уличное освещение?",
    )  # fmt: skip
    s = MeetingSettings.for_municipality(mun_a)
    s.quorum_rule, s.quorum_minimum = "minimum", 100
    s.save()
    return documents.load_meeting(m.pk)


EXPECTED = {
    "ky": [
        "ПРОТОКОЛ № 7",
        "Коомдук угуу",
        "Кароол айыл аймагы",
        "Бардыгы: 120 адам",
        "аялдар — 70, эркектер — 50",
        "18–29 жаш — 20",
        "Кворум бар: 120 адам катышты, талап кылынат — 100 (эреже: кеминде 100 катышуучу).",
        "Бюджеттин долбоорун колдоого.",
        "Добуш берүү: «макул» — 97, «каршы» — 12, «калыс» — 5.",
        "Асанова Гүлнара",
        "Көчө жарыгы качан оңдолот?",
        "2027-жылдын бюджетинин долбоору (Ичүүчү суу жана канализация)",
        "Төрага",
        "Катчы",
        "Токтогулов Бакыт",
    ],
    "ru": [
        "ПРОТОКОЛ № 7",
        "общественных слушаний",
        "Айылный аймак Кароол",
        "Всего: 120 чел.",
        "женщин — 70, мужчин — 50",
        "18–29 лет — 20",
        "Кворум имеется: присутствуют 120 чел., требуется 100 (правило: не менее 100 участников).",
        "Одобрить проект бюджета.",
        "Голосовали: «за» — 97, «против» — 12, «воздержались» — 5.",
        "Асанова Гүлнара",
        "Когда починят уличное освещение?",
        "Проект бюджета на 2027 год (Питьевая вода и канализация)",
        "Председатель",
        "Секретарь",
        "Осмонова Айгүл",
    ],
}


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_protocol_docx_has_attendance_decisions_and_votes(held, lang):
    content, ctype, name = documents.protocol_file(held, lang, "docx")
    assert ctype == documents.DOCX_TYPE
    assert name.endswith(f"-{lang}.docx")
    text = docx_text(content)
    for expected in EXPECTED[lang]:
        assert expected in text, expected
    other = "ru" if lang == "ky" else "ky"
    assert EXPECTED[other][8] not in text  # the votes line of the other language


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_protocol_pdf_has_attendance_decisions_and_votes(held, lang):
    content, ctype, _name = documents.protocol_file(held, lang, "pdf")
    assert ctype == "application/pdf"
    assert content.startswith(b"%PDF-")
    text = squash(pdf_text(content))
    for expected in EXPECTED[lang]:
        assert squash(expected) in text, expected


def test_protocol_without_quorum_rule_says_so(mun_a):
    meeting = documents.load_meeting(make_held(mun_a, total=30).pk)
    assert "Кворумдун эрежеси белгиленген эмес." in docx_text(
        documents.protocol_docx(meeting, "ky")
    )
    assert "Правило кворума не установлено." in docx_text(documents.protocol_docx(meeting, "ru"))


def test_user_text_is_not_typst_markup(mun_a):
    tricky = 'Суу #let x = 1 *bold* $x$ <a> @ref [b] \\ "q"'
    meeting = make_held(mun_a, title_ky=tricky, chair=tricky)
    text = squash(pdf_text(documents.protocol_pdf(documents.load_meeting(meeting.pk), "ky")))
    assert squash(tricky) in text


def test_poster_pdf_shows_the_meeting(mun_a):
    mun_a.phone = "+996 3233 5 12 34"
    mun_a.save()
    village = Village.objects.filter(municipality=mun_a).first()
    meeting = make_meeting(mun_a, contacts="Асанов Т., +996 555 123 456")
    meeting.villages.add(village)
    for lang, words in {
        "ky": ["КУЛАКТАНДЫРУУ", "коомдук угууга чакырабыз", "Күн тартиби", "Асанов Т."],
        "ru": ["ОБЪЯВЛЕНИЕ", "общественные слушания", "Повестка дня", "+996 3233 5 12 34"],
    }.items():
        content = documents.poster_pdf(documents.load_meeting(meeting.pk), lang)
        reader = PdfReader(io.BytesIO(content))
        assert len(reader.pages) == 1
        text = squash(pdf_text(content))
        for w in words + [meeting.title_in(lang), meeting.place_in(lang)]:
            assert squash(w) in text, w


def test_sign_in_sheet_has_numbered_rows(mun_a):
    s = MeetingSettings.for_municipality(mun_a)
    s.sign_in_rows = 60
    s.save()
    meeting = documents.load_meeting(make_meeting(mun_a).pk)
    content = documents.sign_in_pdf(meeting, "ky")
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) >= 2
    text = pdf_text(content)
    assert "Аты-жөнү" in text and "Колу" in text
    numbers = {int(t) for t in text.split() if t.isdigit()}
    assert set(range(1, 61)) <= numbers
    assert 61 not in numbers
    ru = pdf_text(documents.sign_in_pdf(meeting, "ru", rows=5))
    assert "Подпись" in ru and "Фамилия, имя, отчество" in ru


@pytest.mark.parametrize(("lang", "fmt"), [("ky", "docx"), ("ru", "pdf")])
def test_export_protocol_command(held, tmp_path, lang, fmt):
    out = tmp_path / f"protocol.{fmt}"
    call_command("export_protocol", str(held.pk), "--lang", lang, "--format", fmt, "-o", str(out))
    content = out.read_bytes()
    text = docx_text(content) if fmt == "docx" else pdf_text(content)
    assert squash(EXPECTED[lang][8]) in squash(text)


def test_export_protocol_unknown_meeting(db, tmp_path):
    with pytest.raises(CommandError, match="No meeting with id 999"):
        call_command("export_protocol", "999", "-o", str(tmp_path / "x.pdf"))

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from jamaat.analysis import report
from jamaat.analysis.models import ReportJob


@pytest.fixture
def appeals(mun_a):
    """Two appeals this year: one answered on time in 3 days, one still open."""
    from datetime import timedelta

    from jamaat.appeals.models import Appeal
    from jamaat.municipalities.models import LocalIssue

    LocalIssue.ensure_defaults(mun_a)
    water = LocalIssue.objects.get(municipality=mun_a, code="water")
    now = timezone.now()
    common = {"municipality": mun_a, "category": water, "channel": "paper", "applicant_name": "A"}
    Appeal.objects.create(
        number="A-1",
        text="Суу жок, кран иштебейт",
        registered_at=now - timedelta(days=3),
        due_date=(now + timedelta(days=10)).date(),
        answered_at=now,
        status="answered",
        **common,
    )
    Appeal.objects.create(number="A-2", text="Нет воды второй день", registered_at=now,
                          due_date=(now + timedelta(days=14)).date(), **common)  # fmt: skip


def _pdf_text(content: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_pdf_report_in_kyrgyz_and_docx_in_russian(dataset, appeals, mun_a):
    year = timezone.localdate().year
    text = _pdf_text(report.build(mun_a, year, "ky", "pdf"))
    assert str(year) in text and "Суу кандай?" in text and "Көчө жарыгы" in text
    assert "100.0%" in text  # answered on time: the one answered appeal
    text = _docx_text(report.build(mun_a, year, "ru", "docx"))
    assert "Как вода?" in text and "Хорошо" in text and "Питьевая вода и канализация" in text
    assert "Уличное освещение: 6" in text


def test_docx_report_has_chart_pictures(dataset, appeals, mun_a):
    from PIL import Image

    content = report.build(mun_a, timezone.localdate().year, "ky", "docx")
    doc = Document(io.BytesIO(content))
    pictures = list(doc.inline_shapes)
    charted = sum(1 for s in report.gather(mun_a, timezone.localdate().year, "ky")["surveys"]
                  for q in s["questions"] if q.get("bars"))  # fmt: skip
    assert len(pictures) == charted + 1  # each question's bars, and appeals by category
    blob = doc.part.related_parts[
        pictures[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    ].blob
    image = Image.open(io.BytesIO(blob))
    assert image.format == "PNG" and image.width > 600


def test_command_writes_the_file(dataset, appeals, mun_a, tmp_path):
    out = tmp_path / "r.docx"
    call_command("annual_report", mun_a.slug, "--year", str(timezone.localdate().year),
                 "--lang", "ky", "--format", "docx", "-o", str(out))  # fmt: skip
    assert "Суу кандай?" in _docx_text(out.read_bytes())


def test_background_job_reaches_100_and_is_published(
    dataset, appeals, mun_a, people, approved_plan_a
):
    from jamaat.plans.models import Evidence

    c = Client()
    c.force_login(people["staff_a"])
    year = timezone.localdate().year
    resp = c.post(
        f"/{mun_a.slug}/manage/analysis/reports/", {"year": year, "lang": "ru", "format": "pdf"}
    )
    job = ReportJob.objects.get()
    assert resp["Location"] == job.get_absolute_url()
    assert (job.status, job.progress) == ("done", 100)
    page = c.get(job.get_absolute_url()).content.decode()
    assert 'value="100"' in page and "http-equiv" not in page
    assert c.get(f"/{mun_a.slug}/analysis/reports/{job.pk}/download/").status_code == 404
    c.post(f"/{mun_a.slug}/manage/analysis/reports/{job.pk}/publish/", {"publish": "1"})
    anon = Client()
    assert (
        f"/analysis/reports/{job.pk}/download/"
        in anon.get(f"/{mun_a.slug}/analysis/reports/").content.decode()
    )
    pdf = anon.get(f"/{mun_a.slug}/analysis/reports/{job.pk}/download/")
    assert "Как вода?" in _pdf_text(b"".join(pdf.streaming_content))
    # the municipality's home page leads to it
    home = anon.get(f"/{mun_a.slug}/").content.decode()
    assert f"/analysis/reports/{job.pk}/download/" in home
    occ_date = timezone.localdate()
    resp = c.post(f"/{mun_a.slug}/manage/analysis/reports/{job.pk}/presented/",
                  {"presented_on": occ_date.isoformat(), "note": "Сессия"})  # fmt: skip
    assert resp.status_code == 302
    assert Evidence.objects.filter(source=f"analysis.report:{job.pk}:presented").exists()


def test_bad_year_keeps_the_form(people, mun_a):
    c = Client()
    c.force_login(people["staff_a"])
    resp = c.post(
        f"/{mun_a.slug}/manage/analysis/reports/", {"year": "twenty", "lang": "ru", "format": "pdf"}
    )
    assert resp.status_code == 200 and ReportJob.objects.count() == 0
    assert 'value="twenty"' in resp.content.decode()


def test_pptx_slides_have_findings_and_charts(dataset, appeals, mun_a):
    from pptx import Presentation

    prs = Presentation(io.BytesIO(report.build(mun_a, timezone.localdate().year, "ru", "pptx")))
    titles = [s.shapes.title.text for s in prs.slides if s.shapes.title is not None]
    assert "water. Как вода?" in titles
    charts = [sh for s in prs.slides for sh in s.shapes if sh.has_chart]
    assert charts and list(charts[0].chart.plots[0].categories)


def test_published_quotes_lose_phone_numbers_and_emails():
    from jamaat.analysis.report import redact

    text = "Суу жок. Чалыңыз 0555 12 34 56 же +996 (700) 11-22-33, жазыңыз aibek@mail.kg"
    assert redact(text) == "Суу жок. Чалыңыз … же …, жазыңыз …"
    assert redact("2025-жылы 3 көчөдө 12 саат жарык жок") == "2025-жылы 3 көчөдө 12 саат жарык жок"


def test_annual_report_command_writes_pptx_slides(dataset, appeals, mun_a, tmp_path):
    from pptx import Presentation

    out = tmp_path / "r.pptx"
    call_command("annual_report", mun_a.slug, "--year", str(timezone.localdate().year),
                 "--lang", "ru", "--format", "pptx", "-o", str(out))  # fmt: skip
    assert len(Presentation(str(out)).slides) > 1

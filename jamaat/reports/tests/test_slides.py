import io
import time
from datetime import date

import pytest
from pptx import Presentation
from pptx.util import Inches, Pt
from pypdf import PdfReader

from jamaat.channels.models import Channel, ChannelSnapshot
from jamaat.conftest import PASSWORD
from jamaat.municipalities.models import LocalIssue
from jamaat.news.models import Post
from jamaat.plans import services as plan_services
from jamaat.plans.models import Occurrence
from jamaat.reports import slides as S

AS_OF = date(2026, 1, 20)  # the January–February 2026 gatherings


@pytest.fixture
def karool(approved_plan_a, mun_a):
    mun_a.address_ky = "Кароол айылы, Борбордук көчөсү, 1"
    mun_a.address_ru = "с. Кароол, ул. Центральная, 1"
    mun_a.phone = "+996 3233 7-31-02"
    mun_a.email = "karool@example.kg"
    mun_a.save()
    LocalIssue.objects.filter(municipality=mun_a, code="pastures").update(is_active=False)
    LocalIssue.objects.create(
        municipality=mun_a, code="irrigation", name_ky="Сугат суусу", name_ru="Поливная вода",
        order=99,
    )  # fmt: skip
    # done in the last half year: three 1.1 months and the 1.3 quarter
    for occ in Occurrence.objects.filter(
        activity__plan=approved_plan_a, activity__code__in=["1.1", "1.3"],
        due__gte=date(2025, 8, 1), due__lte=date(2025, 12, 31),
    )[:4]:  # fmt: skip
        plan_services.record_evidence(
            None, occ, plan_services.EvidenceInput("done", occ.window_start, text="ok")
        )
    p = Post.objects.create(
        municipality=mun_a, title_ky="Мектептин чатыры жаңыртылды",
        title_ru="Обновлена крыша школы", status=Post.Status.PUBLISHED,
    )  # fmt: skip
    Post.objects.filter(pk=p.pk).update(publish_at="2025-12-10T10:00:00+06:00")
    fb = Channel.objects.create(municipality=mun_a, kind="facebook", name="Кароол АӨ")
    ChannelSnapshot.objects.create(channel=fb, month=date(2025, 12, 1), followers=3400)
    wa = Channel.objects.create(municipality=mun_a, kind="whatsapp_group", name="Кароол-1")
    ChannelSnapshot.objects.create(channel=wa, month=date(2025, 12, 1), followers=250)
    return mun_a


def texts_of(slide) -> list[str]:
    return [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame and sh.text_frame.text]


def all_text(prs) -> str:
    return "\n".join(t for slide in prs.slides for t in texts_of(slide))


@pytest.mark.parametrize(
    ("lang", "place", "titles", "phrases"),
    [
        (
            "ky",
            "Кароол айыл аймагы",
            ["Жергиликтүү маанидеги маселелер деген эмне?", "Акыркы жарым жылда эмне иштер аткардык",
             "Маалымат каналдары жана камтуу", "Пландын аткарылышы, 2025-жыл",
             "Жамааттын ролу: тургундар кантип катыша алат", "Байланыш"],
            ["2026-жылдын январь–февраль айлары", "Сугат суусу", "Мектептин чатыры жаңыртылды",
             "3\u00a0400 катталуучу", "калктын 20 пайызы", "Кароол айылы, Борбордук көчөсү, 1"],
        ),
        (
            "ru",
            "Айылный аймак Кароол",
            ["Что такое вопросы местного значения?", "Что мы сделали за последние полгода",
             "Каналы информирования и охват", "Выполнение плана, 2025 год",
             "Роль сообщества: как жители могут участвовать", "Контакты"],
            ["январь–февраль 2026 года", "Поливная вода", "Обновлена крыша школы",
             "3\u00a0400 подписчиков", "20% населения", "250 участников", "ул. Центральная, 1"],
        ),
    ],
)  # fmt: skip
def test_pptx_deck_from_the_municipalitys_data(karool, lang, place, titles, phrases):
    started = time.perf_counter()
    deck = S.build_slides(karool, lang, AS_OF)
    content = S.render_pptx(deck)
    elapsed = time.perf_counter() - started
    assert elapsed < 5, f"generating took {elapsed:.2f} s"
    prs = Presentation(io.BytesIO(content))
    assert prs.slide_width * 9 == prs.slide_height * 16  # 16:9
    assert len(prs.slides) == len(deck.slides) >= 9
    first = texts_of(prs.slides[0])
    assert place in first and S.TEXT[lang]["deck_title"] in first
    slide_titles = [texts_of(s)[0] for s in list(prs.slides)[1:]]
    for title in titles:
        assert title in slide_titles, title
    text = all_text(prs)
    for phrase in phrases:
        assert phrase in text, phrase
    assert "Жайыттар" not in text and "Пастбища" not in text  # an issue no longer in use
    # hall sizes and the font, on every run; only the footer lines are small
    for slide in prs.slides:
        for shape in slide.shapes:
            if not shape.has_text_frame:
                continue
            in_footer = shape.top >= Inches(S.FOOTER_TOP - 0.01)
            for paragraph in shape.text_frame.paragraphs:
                for run in paragraph.runs:
                    assert run.font.name == "DejaVu Sans"
                    if in_footer:
                        assert run.font.size == Pt(S.FOOTER_PT)
                    else:
                        assert run.font.size >= Pt(24), run.text


def test_pdf_deck_has_the_same_slides(karool):
    for lang, place in (("ky", "Кароол айыл аймагы"), ("ru", "Айылный аймак Кароол")):
        deck = S.build_slides(karool, lang, AS_OF)
        reader = PdfReader(io.BytesIO(S.render_pdf(deck)))
        assert len(reader.pages) == len(deck.slides)
        box = reader.pages[0].mediabox
        assert float(box.width) / float(box.height) == pytest.approx(16 / 9, rel=0.01)
        text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
        assert place in text and deck.slides[1].title.split("?")[0] in text
        if lang == "ky":
            assert "ң" in text and "ө" in text and "ү" in text
        assert "Сугат суусу" in text or "Поливная вода" in text


def test_what_we_did_counts_done_work_by_goal(karool, approved_plan_a):
    deck = S.build_slides(karool, "ky", AS_OF)
    did = next(s for s in deck.slides if s.title == S.TEXT["ky"]["done_title"])
    assert did.lead.startswith("01.07.2025-ж. – 20.01.2026-ж.")
    assert did.bullets[0].startswith("1. Жергиликтүү жамаатка")
    assert did.bullets[0].endswith(": 4 жолу аткарылды")
    assert did.bullets[1].endswith(": 0 жолу аткарылды")
    bars = next(s for s in deck.slides if s.kind == "bars")
    assert bars.bars[0].share is not None and "/" in bars.bars[0].note


def test_seasons_and_periods():
    assert S.season(date(2026, 1, 5)) == (1, 2, 2026)
    assert S.season(date(2026, 4, 1)) == (7, 8, 2026)
    assert S.season(date(2026, 8, 31)) == (7, 8, 2026)
    assert S.season(date(2026, 10, 1)) == (1, 2, 2027)
    assert S.half_year_start(date(2026, 1, 20)) == date(2025, 7, 1)
    assert S.half_year_start(date(2026, 7, 20)) == date(2026, 1, 1)


def test_long_lists_continue_on_a_next_slide(karool):
    for i in range(30):
        LocalIssue.objects.create(
            municipality=karool, code=f"x{i}", name_ky=f"Кошумча маселе {i}",
            name_ru=f"Дополнительный вопрос {i}", order=100 + i,
        )  # fmt: skip
    deck = S.build_slides(karool, "ru", AS_OF)
    issues = [s for s in deck.slides if s.title.startswith("Что такое вопросы")]
    assert len(issues) >= 3
    assert all(s.title.endswith("(продолжение)") for s in issues[1:])
    for s in deck.slides:
        if s.kind == "list":
            used = sum(S._height(b, True) for b in s.bullets)
            used += S._height(s.lead, False) if s.lead else 0
            assert used - S.PARA_GAP_PT <= S.CAPACITY_PT, s.title


def test_a_municipality_without_plan_or_channels_still_gets_a_deck(mun_b):
    deck = S.build_slides(mun_b, "ky", AS_OF)
    assert deck.slides[0].kicker == "Токмок шаары"
    text = " ".join(s.lead for s in deck.slides)
    assert S.TEXT["ky"]["no_plan"] in text and S.TEXT["ky"]["channels_none"] in text
    role = next(s for s in deck.slides if s.title == S.TEXT["ky"]["role_title"])
    assert role.bullets[0].startswith("Жыйындарга келиңиз")  # a city has no village gatherings
    assert len(Presentation(io.BytesIO(S.render_pptx(deck))).slides) == len(deck.slides)


def test_slides_page_and_downloads(client, people, karool):
    client.login(username="deputy_a", password=PASSWORD)  # reading is enough to download
    page = client.get("/karool/manage/slides/?as_of=2026-01-20")
    html = page.content.decode()
    assert page.status_code == 200
    assert "/karool/manage/slides/ky.pptx?as_of=2026-01-20" in html
    assert "/karool/manage/slides/ru.pdf?as_of=2026-01-20" in html
    r = client.get("/karool/manage/slides/ru.pptx?as_of=2026-01-20")
    assert r.status_code == 200
    assert r["Content-Disposition"].startswith('attachment; filename="karool-slides-2026-01-ru')
    assert "generate;dur=" in r["Server-Timing"]
    assert "Айылный аймак Кароол" in all_text(Presentation(io.BytesIO(r.content)))
    r = client.get("/karool/manage/slides/ky.pdf")
    assert r.status_code == 200 and r.content[:5] == b"%PDF-"
    assert client.get("/karool/manage/slides/en.pptx").status_code == 404
    assert client.get("/karool/manage/slides/ky.docx").status_code == 404
    client.logout()
    assert client.get("/karool/manage/slides/ky.pptx").status_code == 302  # to the login page

"""Slides for the village gatherings and public hearings (activity 1.2), in Kyrgyz or Russian.

`build_slides(municipality, lang, as_of)` makes a `Deck` from the municipality's own data; the
deck is rendered as PPTX (python-pptx, 16:9) and as PDF (typst, the same 16:9 pages). Both
renderings take the slides as paginated here: text is measured with the vendored DejaVu Sans
metrics, and a list that would not fit at hall size (body ≥ 24 pt) continues on a next slide.

Seasons (the plan's 1.2 windows): January–February and July–August. A deck made in March–June
is for the July–August gatherings, one made in September–December for the next January–February.
"What we did" covers the six months before `as_of` (from the first of the month six months
back). "Plan progress" shows the year of `as_of`, or the previous year for the January–February
gatherings, when the new year has hardly anything due yet.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from jamaat.channels.models import Channel, ChannelSnapshot
from jamaat.documents.typst import FONT_DIR, compile_pdf
from jamaat.municipalities.models import LocalIssue
from jamaat.news.models import Post
from jamaat.plans import progress
from jamaat.plans.models import Occurrence, Plan
from jamaat.reports import lang as L

FONT_NAME = "DejaVu Sans"
TEMPLATE = Path(__file__).resolve().parent / "typst" / "slides.typ"

# Geometry shared by both renderings (inches; 16:9 = 13.333 × 7.5).
SLIDE_W, SLIDE_H = 12192000 / 914400, 7.5  # PowerPoint's own 16:9 size, 33.867 × 19.05 cm
MARGIN_X = 0.6
BAND_H = 1.35
BODY_TOP, BODY_H = 1.55, 5.2
FOOTER_TOP = 6.95
TITLE_PT, TITLE_MIN_PT = 34, 28
BODY_PT = 24  # the smallest body text: readable from the back of a hall
FOOTER_PT = 14
BULLET_INDENT = 0.45
LINE = 1.19  # line pitch, × font size (set exactly in both renderings)
PARA_GAP_PT = 8
INSET_PT = 7.2
WRAP_SAFETY = 0.99  # measured widths vs. the renderers' kerning and wrapping
ACCENT = "0B5CAD"
DARK = "1A1A1A"
MUTED = "4A4F55"
OK = "1B6E2A"
TRACK = "E3E7EC"
MAX_NEWS = 8
BAR_PT = 24
BAR_H = 0.28  # inches
BAR_GAP_PT = 10


@dataclass
class Bar:
    label: str
    share: int | None  # percent
    note: str  # "8 / 10", or why there is no share


@dataclass
class Slide:
    kind: str  # "title" | "list" | "bars"
    title: str
    lead: str = ""
    bullets: list[str] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    kicker: str = ""  # title slide: the municipality
    subtitle: str = ""  # title slide: gathering season


@dataclass
class Deck:
    lang: str
    municipality: str
    footer: str
    slides: list[Slide]
    title: str
    public_url: str


# --- text measuring and pagination ---------------------------------------------------------------


@cache
def _font(bold: bool = False):
    from PIL import ImageFont

    return ImageFont.truetype(
        str(FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")), 100
    )


def text_width_pt(text: str, size: float, bold: bool = False) -> float:
    return _font(bold).getlength(text) * size / 100


def line_count(text: str, width_pt: float, size: float, bold: bool = False) -> int:
    lines = 0
    for paragraph in text.split("\n"):
        words, current = paragraph.split(), ""
        lines += 1
        for word in words:
            candidate = f"{current} {word}".strip()
            if current and text_width_pt(candidate, size, bold) > width_pt:
                lines += 1
                current = word
            else:
                current = candidate
    return lines


BODY_W_PT = (SLIDE_W - 2 * MARGIN_X) * 72 - 2 * INSET_PT
CAPACITY_PT = BODY_H * 72 - 2 * INSET_PT


def _height(text: str, indent: bool, size: float = BODY_PT) -> float:
    """Height of a paragraph plus the gap before it (the first one's gap is counted too)."""
    width = BODY_W_PT - (BULLET_INDENT * 72 if indent else 0)
    return line_count(text, width * WRAP_SAFETY, size) * size * LINE + PARA_GAP_PT


def bar_label_height(label: str) -> float:
    return line_count(label, BODY_W_PT * WRAP_SAFETY, BAR_PT) * BAR_PT * LINE


def bar_row_height(label: str) -> float:
    return bar_label_height(label) + 4 + BAR_H * 72 + BAR_GAP_PT


def title_size(title: str) -> int:
    """The title's size: 34 pt, smaller (to 28 pt) so it stays within two lines of the band."""
    width = (SLIDE_W - 2 * MARGIN_X) * 72 - 2 * INSET_PT
    for size in range(TITLE_PT, TITLE_MIN_PT - 1, -2):
        if (
            line_count(title, width * WRAP_SAFETY, size, bold=True) * size * LINE
            <= BAND_H * 72 - 14
        ):
            return size
    return TITLE_MIN_PT


def paginate(title: str, lead: str, bullets: list[str], more: str) -> list[Slide]:
    """One slide, or several when the bullets do not fit (the next ones titled “… (more)”)."""
    slides: list[Slide] = []
    current = Slide("list", title, lead)
    used = (_height(lead, False) if lead else 0) - PARA_GAP_PT
    for bullet in bullets:
        h = _height(bullet, True)
        if current.bullets and used + h > CAPACITY_PT:
            slides.append(current)
            current = Slide("list", f"{title} {more}")
            used = -PARA_GAP_PT
        current.bullets.append(bullet)
        used += h
    slides.append(current)
    return slides


# --- wording -------------------------------------------------------------------------------------

TEXT = {
    "ky": {
        "deck_title": (
            "Жергиликтүү маанидеги маселелер жана аларды чечүүдөгү жергиликтүү жамааттын ролу"
        ),
        "gatherings": {
            "aiyl_aimak": "Айылдык жыйындар жана коомдук угуулар",
            "city": "Жыйындар жана коомдук угуулар",
        },
        "more": "(уландысы)",
        "to_gatherings": {"aiyl_aimak": "Айылдык жыйындарга", "city": "Жыйындарга"},
        "issues_title": "Жергиликтүү маанидеги маселелер деген эмне?",
        "issues_lead": (
            "Мыйзам боюнча ЖӨБ органы чечүүчү, калктын күнүмдүк турмушуна байланыштуу "
            "маселелер. Биздин тизме:"
        ),
        "done_title": "Акыркы жарым жылда эмне иштер аткардык",
        "done_lead": "{first} – {last} аралыгында пландын максаттары боюнча аткарылган иштер:",
        "done_item": "{goal}: {n} жолу аткарылды",
        "news_title": "Акыркы жарым жылдагы жаңылыктар",
        "news_lead": "Веб-сайтта жарыяланган жаңылыктар: {n}. Акыркылары:",
        "news_none": "Бул мезгилде веб-сайтта жаңылыктар жарыяланган эмес.",
        "news_more": "…жана дагы {n} жаңылык",
        "channels_title": "Маалымат каналдары жана камтуу",
        "online": "Веб-сайт жана социалдык тармактар: {n}",
        "share": " — калктын {p} пайызы",
        "whatsapp": "WhatsApp топтору: {n}",
        "boards": "Маалымат такталары: {n}",
        "channels_none": "Маалымат каналдары азырынча катталган эмес.",
        "progress_title": "Пландын аткарылышы, {year}-жыл",
        "progress_lead": "Мөөнөтү келген иш-чаралардын канчасы аткарылды:",
        "not_due": "мөөнөтү келе элек",
        "no_plan": "Иш-чаралар планы азырынча кабыл алына элек.",
        "role_title": "Жамааттын ролу: тургундар кантип катыша алат",
        "role": [
            "{gatherings} келиңиз: маселелерди талкуулап, чечим кабыл алууга катышыңыз.",
            "Коомдук угууларда, анын ичинде жергиликтүү бюджет боюнча угууларда, "
            "сунуштарыңызды айтыңыз.",
            "Жергиликтүү демилгелерди сунуштап, аларды ишке ашырууга катышыңыз.",
            "Анкеталарды толтуруңуз: пикириңиз пландарды түзүүдө эске алынат.",
            "ЖӨБ органына жазуу жүзүндө, оозеки же электрондук түрдө кайрылыңыз: "
            "мыйзамда белгиленген мөөнөттө жооп берилет.",
            "Депутаттарга шайлоочулардын сунуш-талаптарын бериңиз.",
        ],
        "contacts_title": "Байланыш",
        "contacts_lead": "Суроолоруңуз жана сунуштарыңыз болсо, бизге кайрылыңыз!",
        "address": "Дарек: {v}",
        "phone": "Телефон: {v}",
        "email": "Электрондук почта: {v}",
        "site": "Сайт: {v}",
        "online_page": "Пландын жана жаңылыктардын баракчасы: {v}",
    },
    "ru": {
        "deck_title": "Вопросы местного значения и роль местного сообщества в их решении",
        "gatherings": {
            "aiyl_aimak": "Сельские сходы и общественные слушания",
            "city": "Собрания граждан и общественные слушания",
        },
        "more": "(продолжение)",
        "to_gatherings": {"aiyl_aimak": "сельские сходы", "city": "собрания граждан"},
        "issues_title": "Что такое вопросы местного значения?",
        "issues_lead": (
            "Вопросы повседневной жизни населения, которые по закону решает орган МСУ. "
            "Наш перечень:"
        ),
        "done_title": "Что мы сделали за последние полгода",
        "done_lead": "С {first} по {last} по целям плана выполнено:",
        "done_item": "{goal}: {n}",
        "news_title": "Новости за последние полгода",
        "news_lead": "Новостей на веб-сайте: {n}. Последние:",
        "news_none": "За этот период новости на веб-сайте не публиковались.",
        "news_more": "…и ещё новостей: {n}",
        "channels_title": "Каналы информирования и охват",
        "online": "Веб-сайт и социальные сети: {n}",
        "share": " — {p} населения",
        "whatsapp": "Группы WhatsApp: {n}",
        "boards": "Информационные доски: {n}",
        "channels_none": "Каналы информирования пока не зарегистрированы.",
        "progress_title": "Выполнение плана, {year} год",
        "progress_lead": "Выполнено из мероприятий, срок которых наступил:",
        "not_due": "сроки ещё не наступили",
        "no_plan": "План мероприятий пока не принят.",
        "role_title": "Роль сообщества: как жители могут участвовать",
        "role": [
            "Приходите на {gatherings}: обсуждайте вопросы и участвуйте в принятии решений.",
            "Высказывайте предложения на общественных слушаниях, в том числе по местному бюджету.",
            "Предлагайте местные инициативы и участвуйте в их реализации.",
            "Заполняйте анкеты: ваше мнение учитывается при составлении планов.",
            "Обращайтесь в орган МСУ письменно, устно или в электронном виде: ответ даётся "
            "в установленный законом срок.",
            "Передавайте депутатам наказы избирателей.",
        ],
        "contacts_title": "Контакты",
        "contacts_lead": "Обращайтесь к нам с вопросами и предложениями!",
        "address": "Адрес: {v}",
        "phone": "Телефон: {v}",
        "email": "Электронная почта: {v}",
        "site": "Сайт: {v}",
        "online_page": "План и новости онлайн: {v}",
    },
}


def season(as_of: date) -> tuple[int, int, int]:
    """(first month, last month, year) of the gathering season the deck is for."""
    if as_of.month <= 2:
        return 1, 2, as_of.year
    if as_of.month <= 8:
        return 7, 8, as_of.year
    return 1, 2, as_of.year + 1


def half_year_start(as_of: date) -> date:
    m = as_of.month - 6
    return date(as_of.year + (m - 1) // 12, (m - 1) % 12 + 1, 1)


def _share_text(value: Decimal) -> str:
    return L.percent(value).rstrip("%")


# --- building ------------------------------------------------------------------------------------


def build_slides(municipality, lang: str, as_of: date | None = None) -> Deck:
    if lang not in L.CONTENT_LANGS:
        raise ValueError(f"slides are made in ky or ru, not {lang!r}")
    as_of = as_of or timezone.localdate()
    t = TEXT[lang]
    first, last, year = season(as_of)
    place = L.capfirst(L.place_name(municipality, lang))
    season_text = L.months_range(first, last, year, lang)
    gatherings = t["gatherings"].get(municipality.kind, t["gatherings"]["aiyl_aimak"])
    slides: list[Slide] = [
        Slide(
            "title",
            t["deck_title"],
            kicker=place,
            subtitle=f"{gatherings} · {season_text}",
        )
    ]

    # Issues of local significance: the municipality's own list.
    issues = [
        L.capfirst(getattr(i, f"name_{lang}") or i.name_ky)
        for i in LocalIssue.objects.filter(municipality=municipality).active()
    ]
    slides += paginate(t["issues_title"], t["issues_lead"], issues, t["more"])

    plan = Plan.objects.current_for(municipality, as_of)
    since = half_year_start(as_of)

    # What we did: done occurrences by goal, then news titles.
    if plan is not None:
        done = dict(
            Occurrence.objects.filter(
                activity__plan=plan,
                status=Occurrence.Status.DONE,
                closed_on__gte=since,
                closed_on__lte=as_of,
            )
            .values_list("activity__goal__number")
            .annotate(n=Count("id"))
        )
        items = [
            t["done_item"].format(
                goal=f"{g.number}. {L.goal_short_title(getattr(g, f'title_{lang}') or g.title_ky)}",
                n=done.get(g.number, 0),
            )
            for g in plan.goals.all()
        ]
        lead = t["done_lead"].format(
            first=L.short_date(since, lang), last=L.short_date(as_of, lang)
        )
        slides += paginate(t["done_title"], lead, items, t["more"])
    else:
        slides.append(Slide("list", t["done_title"], t["no_plan"]))

    posts = list(
        Post.objects.for_municipality(municipality)
        .published()
        .filter(publish_at__date__gte=since, publish_at__date__lte=as_of)
        .order_by("-publish_at", "-id")
        .values_list("publish_at", "title_ky", "title_ru")
    )
    if posts:
        items = [
            f"{L.short_date(timezone.localtime(at).date(), lang)} — "
            f"{(ky if lang == 'ky' else ru) or ky or ru}"
            for at, ky, ru in posts[:MAX_NEWS]
        ]
        if len(posts) > MAX_NEWS:
            items.append(t["news_more"].format(n=len(posts) - MAX_NEWS))
        slides += paginate(t["news_title"], t["news_lead"].format(n=len(posts)), items, t["more"])
    else:
        slides.append(Slide("list", t["news_title"], t["news_none"]))

    slides += _channel_slides(municipality, lang, as_of)
    slides += _progress_slides(plan, lang, as_of)
    to_gatherings = t["to_gatherings"].get(municipality.kind, t["to_gatherings"]["aiyl_aimak"])
    role = [line.replace("{gatherings}", to_gatherings) for line in t["role"]]
    slides += paginate(t["role_title"], "", role, t["more"])

    public_url = f"{settings.SITE_URL}/{municipality.slug}/"
    contacts = []
    address = getattr(municipality, f"address_{lang}") or municipality.address_ky
    if address:
        contacts.append(t["address"].format(v=address))
    if municipality.phone:
        contacts.append(t["phone"].format(v=municipality.phone))
    if municipality.email:
        contacts.append(t["email"].format(v=municipality.email))
    if municipality.website:
        contacts.append(t["site"].format(v=municipality.website))
    contacts.append(t["online_page"].format(v=public_url))
    slides += paginate(t["contacts_title"], t["contacts_lead"], contacts, t["more"])

    return Deck(
        lang=lang,
        municipality=place,
        footer=f"{place} · {season_text}",
        slides=slides,
        title=f"{place}: {t['deck_title']}",
        public_url=public_url,
    )


def _channel_slides(municipality, lang: str, as_of: date) -> list[Slide]:
    t = TEXT[lang]
    channels = list(Channel.objects.for_municipality(municipality).active())
    latest: dict[int, int] = {}
    for channel_id, followers in (
        ChannelSnapshot.objects.filter(channel__in=channels, month__lte=as_of)
        .order_by("channel_id", "-month")
        .values_list("channel_id", "followers")
    ):
        latest.setdefault(channel_id, followers)
    if not channels:
        return [Slide("list", t["channels_title"], t["channels_none"])]
    online = [c for c in channels if c.kind in Channel.ONLINE_KINDS and c.pk in latest]
    groups = [c for c in channels if c.kind == Channel.Kind.WHATSAPP_GROUP and c.pk in latest]
    boards = [c for c in channels if c.kind == Channel.Kind.INFO_BOARD]
    items = []
    if online:
        total = sum(latest[c.pk] for c in online)
        line = t["online"].format(n=L.followers(total, lang))
        if municipality.population:
            share = min(Decimal(100), Decimal(total) * 100 / municipality.population)
            line += t["share"].format(p=_share_text(share) if lang == "ky" else L.percent(share))
        items.append(line)
    if groups:
        total = sum(latest[c.pk] for c in groups)
        items.append(t["whatsapp"].format(n=L.followers(total, lang, members=True)))
    if boards:
        items.append(t["boards"].format(n=len(boards)))
    for c in channels:
        if c.kind == Channel.Kind.INFO_BOARD:
            continue
        line = f"{L.channel_kind(c.kind, lang)} «{c.name}»"
        if c.pk in latest:
            members = c.kind == Channel.Kind.WHATSAPP_GROUP
            line += f": {L.followers(latest[c.pk], lang, members)}"
        items.append(line)
    return paginate(t["channels_title"], "", items, t["more"])


def progress_year(plan: Plan, as_of: date) -> int:
    year = as_of.year
    if as_of.month <= 2 and year - 1 in plan.years:
        year -= 1
    return min(max(year, plan.start_year), plan.end_year)


def _progress_slides(plan: Plan | None, lang: str, as_of: date) -> list[Slide]:
    t = TEXT[lang]
    if plan is None:
        return [Slide("list", t["progress_title"].format(year=as_of.year), t["no_plan"])]
    year = progress_year(plan, as_of)
    per_goal, _ = progress.done_shares(plan, year)
    bars = []
    for goal in plan.goals.all():
        row = per_goal.get(goal.pk)
        label = (
            f"{goal.number}. {L.goal_short_title(getattr(goal, f'title_{lang}') or goal.title_ky)}"
        )
        if row and row["total"]:
            bars.append(Bar(label, row["share"], f"{row['done']} / {row['total']}"))
        else:
            bars.append(Bar(label, None, t["not_due"]))
    title = t["progress_title"].format(year=year)
    out = [Slide("bars", title, lead=t["progress_lead"])]
    used = _height(t["progress_lead"], False) - PARA_GAP_PT
    for bar in bars:
        h = bar_row_height(bar.label)
        if out[-1].bars and used + h > CAPACITY_PT:
            out.append(Slide("bars", f"{title} {t['more']}"))
            used = 0
        out[-1].bars.append(bar)
        used += h
    return out


# --- PPTX ----------------------------------------------------------------------------------------


def _theme_fonts(prs) -> None:
    """Point the theme's heading and body fonts at DejaVu Sans (text added later by staff)."""
    import re

    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    theme = prs.slide_master.part.part_related_by(RT.THEME)
    xml = theme.blob.decode("utf-8")
    xml = re.sub(
        r'(<a:(?:majorFont|minorFont)><a:latin typeface=")[^"]*(")', rf"\g<1>{FONT_NAME}\g<2>", xml
    )
    theme._blob = xml.encode("utf-8")


def render_pptx(deck: Deck) -> bytes:
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
    from pptx.oxml.ns import qn
    from pptx.util import Emu, Inches, Pt

    locale = {"ky": "ky-KG", "ru": "ru-RU"}[deck.lang]
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)
    _theme_fonts(prs)
    props = prs.core_properties
    props.title = deck.title[:255]
    props.author = "Jamaat"
    props.language = locale
    props.subject = deck.footer[:255]
    blank = prs.slide_layouts[6]
    total = len(deck.slides)

    def rect(slide, x, y, w, h, color, shape=MSO_SHAPE.RECTANGLE):
        s = slide.shapes.add_shape(shape, Inches(x), Inches(y), Inches(w), Inches(h))
        s.fill.solid()
        s.fill.fore_color.rgb = RGBColor.from_string(color)
        s.line.fill.background()
        s.shadow.inherit = False
        return s

    def box(slide, x, y, w, h, anchor=MSO_ANCHOR.TOP):
        tb = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
        tf = tb.text_frame
        tf.word_wrap = True
        tf.auto_size = MSO_AUTO_SIZE.NONE
        tf.vertical_anchor = anchor
        for side in ("left", "right", "top", "bottom"):
            setattr(tf, f"margin_{side}", Pt(INSET_PT))
        return tf

    def para(tf, text, size, color=DARK, bold=False, first=False, bullet=False, align=None):
        p = tf.paragraphs[0] if first else tf.add_paragraph()
        p.line_spacing = Pt(round(size * LINE, 1))  # exact pitch, as measured when paginating
        if not first:
            p.space_before = Pt(PARA_GAP_PT)
        if align is not None:
            p.alignment = align
        run = p.add_run()
        run.text = text
        font = run.font
        font.size = Pt(size)
        font.bold = bold
        font.name = FONT_NAME
        font.color.rgb = RGBColor.from_string(color)
        rpr = run._r.get_or_add_rPr()
        rpr.set("lang", locale)
        for tag in ("a:ea", "a:cs"):
            el = rpr.find(qn(tag))
            if el is None:
                el = rpr.makeelement(qn(tag), {})
                rpr.append(el)
            el.set("typeface", FONT_NAME)
        if bullet:
            ppr = p._p.get_or_add_pPr()
            ppr.set("marL", str(Emu(Inches(BULLET_INDENT))))
            ppr.set("indent", str(-Emu(Inches(BULLET_INDENT))))
            clr = ppr.makeelement(qn("a:buClr"), {})
            srgb = clr.makeelement(qn("a:srgbClr"), {"val": ACCENT})
            clr.append(srgb)
            ppr.append(clr)
            ppr.append(ppr.makeelement(qn("a:buFont"), {"typeface": FONT_NAME}))
            ppr.append(ppr.makeelement(qn("a:buChar"), {"char": "•"}))
        return p

    body_w = SLIDE_W - 2 * MARGIN_X
    for number, s in enumerate(deck.slides, 1):
        slide = prs.slides.add_slide(blank)
        if s.kind == "title":
            rect(slide, 0, 0, SLIDE_W, SLIDE_H, ACCENT)
            rect(slide, MARGIN_X + 0.1, 2.55, 1.6, 0.08, "FFFFFF")
            tf = box(slide, MARGIN_X, 0.9, body_w, 1.5, MSO_ANCHOR.BOTTOM)
            para(tf, s.kicker, 36, "FFFFFF", bold=True, first=True)
            tf = box(slide, MARGIN_X, 2.85, body_w, 2.6)
            para(tf, s.title, 40, "FFFFFF", bold=True, first=True)
            tf = box(slide, MARGIN_X, 5.5, body_w, 1.2)
            para(tf, s.subtitle, 26, "DDE9F6", first=True)
            tf = box(slide, MARGIN_X, FOOTER_TOP, body_w, 0.45, MSO_ANCHOR.MIDDLE)
            para(tf, deck.public_url, FOOTER_PT, "DDE9F6", first=True)
            continue
        rect(slide, 0, 0, SLIDE_W, BAND_H, ACCENT)
        tf = box(slide, MARGIN_X, 0.05, body_w, BAND_H - 0.1, MSO_ANCHOR.MIDDLE)
        para(tf, s.title, title_size(s.title), "FFFFFF", bold=True, first=True)
        tf = box(slide, MARGIN_X, BODY_TOP, body_w, BODY_H)
        first = True
        if s.lead:
            para(tf, s.lead, BODY_PT, ACCENT, bold=True, first=True)
            first = False
        for bullet in s.bullets:
            para(tf, bullet, BODY_PT, first=first, bullet=True)
            first = False
        if s.kind == "bars":
            y = BODY_TOP + INSET_PT / 72
            if s.lead:
                y += _height(s.lead, False) / 72
            track_w = body_w - 2.9
            for bar in s.bars:
                label_h = bar_label_height(bar.label) / 72
                tf = box(slide, MARGIN_X, y - INSET_PT / 72, body_w, label_h + 2 * INSET_PT / 72)
                para(tf, bar.label, BAR_PT, first=True)
                track_y = y + label_h + 4 / 72
                if bar.share is None:  # nothing due yet: say so where the bar would be
                    tf = box(slide, MARGIN_X, track_y - 0.2, body_w, BAR_H + 0.4, MSO_ANCHOR.MIDDLE)
                    para(tf, bar.note, BAR_PT, MUTED, first=True)
                else:
                    rect(slide, MARGIN_X + INSET_PT / 72, track_y, track_w, BAR_H, TRACK)
                    if bar.share:
                        rect(slide, MARGIN_X + INSET_PT / 72, track_y, track_w * bar.share / 100,
                             BAR_H, OK)  # fmt: skip
                    tf = box(slide, MARGIN_X + track_w + 0.25, track_y - 0.2, 2.65, BAR_H + 0.4,
                             MSO_ANCHOR.MIDDLE)  # fmt: skip
                    para(tf, f"{bar.share}%  {bar.note}", BAR_PT, OK, bold=True, first=True)
                y += bar_row_height(bar.label) / 72
        rect(slide, MARGIN_X, FOOTER_TOP - 0.08, body_w, 0.02, "C9D1DA")
        tf = box(slide, MARGIN_X, FOOTER_TOP, body_w - 1.2, 0.45, MSO_ANCHOR.MIDDLE)
        para(tf, deck.footer, FOOTER_PT, MUTED, first=True)
        tf = box(slide, SLIDE_W - MARGIN_X - 1.2, FOOTER_TOP, 1.2, 0.45, MSO_ANCHOR.MIDDLE)
        para(tf, f"{number} / {total}", FOOTER_PT, MUTED, first=True, align=PP_ALIGN.RIGHT)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


# --- PDF -----------------------------------------------------------------------------------------


def render_pdf(deck: Deck) -> bytes:
    data = {
        "lang": deck.lang,
        "title": deck.title,
        "footer": deck.footer,
        "site": deck.public_url,
        "geometry": {
            "w": SLIDE_W,
            "h": SLIDE_H,
            "margin": MARGIN_X,
            "band": BAND_H,
            "body_top": BODY_TOP,
            "body_h": BODY_H,
            "footer_top": FOOTER_TOP,
            "body_pt": BODY_PT,
            "footer_pt": FOOTER_PT,
            "indent": BULLET_INDENT,
            "gap_pt": PARA_GAP_PT,
            "inset_pt": INSET_PT,
            "line": LINE,
            "bar_pt": BAR_PT,
            "bar_h": BAR_H,
            "bar_gap_pt": BAR_GAP_PT,
        },
        "colors": {"accent": ACCENT, "dark": DARK, "muted": MUTED, "ok": OK, "track": TRACK},
        "slides": [
            {
                "kind": s.kind,
                "title": s.title,
                "title_pt": title_size(s.title),
                "lead": s.lead,
                "bullets": s.bullets,
                "bars": [{"label": b.label, "share": b.share, "note": b.note} for b in s.bars],
                "kicker": s.kicker,
                "subtitle": s.subtitle,
            }
            for s in deck.slides
        ],
    }
    return compile_pdf(TEMPLATE.read_text(encoding="utf-8"), data)

"""Rendering a material as a PDF with typst: an A4 poster or an A4 landscape tri-fold booklet.

The document's own words are in the material's language (ky or ru), not the reader's UI
language, so they are written out here (as the plan export does), not taken from gettext.
User text is passed to typst as JSON data, never spliced into markup.
"""

import re
import time
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import qrcode
import qrcode.constants
import qrcode.image.svg
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from jamaat.documents.typst import compile_pdf
from jamaat.plans.exports import official_date
from jamaat.printed import text as fmt

TYPST_DIR = Path(__file__).resolve().parent / "typst"
PAGES = {"poster": 1, "booklet": 2}
BALANCE_TRIES = (1, 2, 4, None)  # extra lines per balanced booklet column; None: full height

WORDS = {
    "ky": {
        "country": "Кыргыз Республикасы",
        "lsg_aa": "{name} айыл өкмөтү",
        "lsg_city": "{name} шаарынын мэриясы",
        "kind": "Маалымат",
        "contacts": "Байланыш үчүн",
        "address": "Дарек",
        "phone": "Телефон",
        "email": "Эл. почта",
        "site": "Сайт",
        "qr": "Кененирээк маалымат сайтта:",
        "about_aa": "Айыл аймагы жөнүндө",
        "about_city": "Шаар жөнүндө",
        "oblast": "Облус",
        "district": "Район",
        "population": "Калкы",
        "villages": "Айылдар",
        "flap_title": "Сиздин пикириңиз маанилүү!",
        "flap_text": (
            "{lsg} сунуштарыңызды, суроолоруңузду жана кайрылууларыңызды кабыл алат. "
            "Жергиликтүү маанидеги маселелерди бирге чечебиз."
        ),
        "channels": "Биздин маалымат каналдары",
    },
    "ru": {
        "country": "Кыргызская Республика",
        "lsg_aa": "Айыл окмоту {name}",
        "lsg_city": "Мэрия города {name}",
        "kind": "Информация",
        "contacts": "Контакты",
        "address": "Адрес",
        "phone": "Телефон",
        "email": "Эл. почта",
        "site": "Сайт",
        "qr": "Подробнее на сайте:",
        "about_aa": "Об айылном аймаке",
        "about_city": "О городе",
        "oblast": "Область",
        "district": "Район",
        "population": "Население",
        "villages": "Сёла",
        "flap_title": "Ваше мнение важно!",
        "flap_text": (
            "{lsg} принимает ваши предложения, вопросы и обращения. "
            "Вопросы местного значения решаем вместе."
        ),
        "channels": "Наши информационные каналы",
    },
}
CHANNEL_LABELS = {
    "website": {"ky": "Сайт", "ru": "Сайт"},
    "facebook": {"ky": "Facebook", "ru": "Facebook"},
    "instagram": {"ky": "Instagram", "ru": "Instagram"},
    "telegram": {"ky": "Telegram", "ru": "Telegram"},
}


def _other(lang: str) -> str:
    return "ru" if lang == "ky" else "ky"


def _in(obj, field: str, lang: str) -> str:
    """A bilingual field in `lang`, else in the other content language."""
    return getattr(obj, f"{field}_{lang}", "") or getattr(obj, f"{field}_{_other(lang)}", "")


def lsg_body_name(municipality, lang: str) -> str:
    """“Кароол айыл өкмөтү” / “Айыл окмоту Кароол”; “Токмок шаарынын мэриясы” / “Мэрия города Токмок”."""
    key = "lsg_city" if municipality.kind == municipality.Kind.CITY else "lsg_aa"
    return WORDS[lang][key].format(name=_in(municipality, "name", lang))


def public_page_url(municipality) -> str:
    return f"{settings.SITE_URL}{reverse('municipalities:home', args=[municipality.slug])}"


def qr_target(material) -> str:
    """The post's public page when made from a published post; else the municipality's page."""
    post = material.source_post
    if post is not None and post.is_public:
        return f"{settings.SITE_URL}{post.get_absolute_url()}"
    return public_page_url(material.municipality)


def display_url(url: str) -> str:
    return re.sub(r"^https?://", "", url)


def qr_svg(url: str) -> str:
    """The QR code of `url` as an SVG (deterministic: the same URL gives the same SVG)."""
    qr = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        box_size=10,
        border=0,  # the layout leaves a white quiet zone around it
        image_factory=qrcode.image.svg.SvgPathImage,
    )
    qr.add_data(url)
    qr.make(fit=True)
    return qr.make_image().to_string(encoding="unicode")


def _number(n: int) -> str:
    return f"{n:,}".replace(",", "\u00a0")


def _contacts(municipality, lang: str) -> list[dict]:
    w = WORDS[lang]
    rows = [
        (w["address"], _in(municipality, "address", lang)),
        (w["phone"], municipality.phone),
        (w["email"], municipality.email),
        (w["site"], display_url(municipality.website or public_page_url(municipality))),
    ]
    return [{"label": label, "value": fmt.clean(value)} for label, value in rows if value]


def _facts(municipality, lang: str) -> list[dict]:
    w = WORDS[lang]
    rows = [
        (w["oblast"], _in(municipality, "oblast", lang)),
        (w["district"], _in(municipality, "district", lang)),
    ]
    if municipality.population:
        rows.append(
            (
                w["population"],
                f"{_number(municipality.population)} ({municipality.population_year})",
            )
        )
    villages = [_in(v, "name", lang) for v in municipality.villages.all()]
    if villages:
        rows.append((w["villages"], ", ".join(villages)))
    return [{"label": label, "value": value} for label, value in rows if value]


def _channels(municipality, lang: str) -> list[dict]:
    from jamaat.channels.models import Channel

    order = list(CHANNEL_LABELS)
    channels = Channel.objects.for_municipality(municipality).active().filter(kind__in=order)
    out = []
    for ch in sorted(channels, key=lambda c: (order.index(c.kind), c.name))[:6]:
        value = display_url(ch.url) if ch.url else ch.name
        out.append({"label": CHANNEL_LABELS[ch.kind][lang], "value": fmt.clean(value)})
    return out


def document_data(material, on: date | None = None, balance: int | None = None) -> dict:
    m = material.municipality
    lang = material.language
    w = WORDS[lang]
    url = qr_target(material)
    lsg = lsg_body_name(m, lang)
    about = "about_city" if m.kind == m.Kind.CITY else "about_aa"
    return {
        "lang": lang,
        "kind": material.kind,
        "title": fmt.clean(material.title).strip(),
        "blocks": fmt.blocks(material.text),
        "issuer": {"country": w["country"], "name": lsg},
        "words": {
            "kind": w["kind"],
            "contacts": w["contacts"],
            "qr": w["qr"],
            "about": w[about],
            "flap_title": w["flap_title"],
            "flap_text": w["flap_text"].format(lsg=lsg),
            "channels": w["channels"],
        },
        "contacts": _contacts(m, lang),
        "facts": _facts(m, lang) if material.kind == "booklet" else [],
        "channels": _channels(m, lang) if material.kind == "booklet" else [],
        "date": official_date(on or timezone.localdate(), lang),
        "url": url,
        "url_display": display_url(url),
        "qr_svg": qr_svg(url),
        "balance": balance,
    }


@cache
def template(kind: str) -> str:
    common = (TYPST_DIR / "common.typ").read_text(encoding="utf-8")
    return common + "\n" + (TYPST_DIR / f"{kind}.typ").read_text(encoding="utf-8")


_PAGES_COUNT = re.compile(
    rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)|/Count\s+(\d+)[^>]*?/Type\s*/Pages\b"
)


def page_count(pdf: bytes) -> int:
    m = _PAGES_COUNT.search(pdf)
    if m:
        return int(m.group(1) or m.group(2))
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


@dataclass
class Rendered:
    pdf: bytes
    kind: str
    pages: int
    url: str
    seconds: float

    @property
    def fits(self) -> bool:
        return self.pages <= PAGES[self.kind]


def render(material, on: date | None = None) -> Rendered:
    """Compile the material; `fits` is False when the text runs over the intended pages."""
    started = time.perf_counter()
    data = document_data(material, on)
    # Booklet: the shortest balanced columns that hold the text, else the full panel height.
    tries = BALANCE_TRIES if material.kind == "booklet" else (None,)
    for balance in tries:
        data["balance"] = balance
        pdf = compile_pdf(template(material.kind), data)
        pages = page_count(pdf)
        if pages <= PAGES[material.kind]:
            break
    return Rendered(pdf, material.kind, pages, data["url"], time.perf_counter() - started)

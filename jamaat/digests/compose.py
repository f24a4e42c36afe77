"""Composing the digest's plain text (Telegram, WhatsApp, email) in Kyrgyz and Russian.

The texts here are the municipality's content, not UI: they are written out in both languages
and do not depend on the translation catalogues.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from jamaat.core.models import new_token
from jamaat.core.text import plain_excerpt
from jamaat.digests.models import quarter_span
from jamaat.messaging.adapters import TELEGRAM_TEXT_LIMIT, template_param
from jamaat.messaging.models import Subscriber
from jamaat.messaging.services import unsubscribe_footer
from jamaat.news.models import Post

LANGS = ("ky", "ru")
EXCERPT_CHARS = 160
WHATSAPP_PARAM_LIMIT = 1000

WORDS = {
    "ky": {
        "header": "{name} — {year}-жылдын {q}-кварталындагы жаңылыктар",
        "none": "Бул кварталда жаңылыктар жарыяланган жок.",
        "other_lang": "(орус тилинде)",
        "more": "Дагы {n} жаңылык жана бардык жаңылыктар: {url}",
        "all": "Бардык жаңылыктар: {url}",
        "contacts": "Байланыш:",
        "address": "Дареги: {v}",
        "phone": "Телефон: {v}",
        "email": "Эл. почта: {v}",
        "website": "Сайт: {v}",
    },
    "ru": {
        "header": "{name} — новости за {q}-й квартал {year} года",
        "none": "В этом квартале новостей не публиковалось.",
        "other_lang": "(на кыргызском языке)",
        "more": "Ещё новостей: {n}. Все новости: {url}",
        "all": "Все новости: {url}",
        "contacts": "Контакты:",
        "address": "Адрес: {v}",
        "phone": "Телефон: {v}",
        "email": "Эл. почта: {v}",
        "website": "Сайт: {v}",
    },
}


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def quarter_posts(municipality, year: int, quarter: int):
    """The quarter's published news, oldest first."""
    start, end = quarter_span(year, quarter)
    return (
        Post.objects.for_municipality(municipality)
        .published()
        .filter(publish_at__gte=start, publish_at__lt=end)
        .select_related("municipality")
        .order_by("publish_at", "id")
    )


def header(municipality, year: int, quarter: int, lang: str) -> str:
    return WORDS[lang]["header"].format(name=municipality.name_in(lang), year=year, q=quarter)


def contacts(municipality, lang: str) -> str:
    w = WORDS[lang]
    lines = []
    address = (
        getattr(municipality, f"address_{lang}")
        or municipality.address_ky
        or (municipality.address_ru)
    )
    for key, value in (
        ("address", address),
        ("phone", municipality.phone),
        ("email", municipality.email),
        ("website", municipality.website),
    ):
        if value:
            lines.append(w[key].format(v=value))
    return "\n".join([w["contacts"], *lines]) if lines else ""


def post_block(post: Post, lang: str, excerpt: bool = True) -> str:
    shown = post.lang_shown(lang)
    title = getattr(post, f"title_{shown}") or post.title_ky or post.title_ru
    if shown != lang:
        title = f"{title} {WORDS[lang]['other_lang']}"
    lines = [f"• {title}"]
    if excerpt:
        text = plain_excerpt(getattr(post, f"body_{shown}"), EXCERPT_CHARS)
        if text:
            lines.append(text)
    lines.append(site_url(post.get_absolute_url()))
    return "\n".join(lines)


def compose_text(municipality, year, quarter, posts, lang: str, limit: int) -> tuple[str, int]:
    """The text in `lang` within `limit` characters; returns (text, posts left out).

    Too long with excerpts: titles and links only; still too long: the first posts that fit and
    a line with a link to all news.
    """
    w = WORDS[lang]
    head = header(municipality, year, quarter, lang)
    tail = contacts(municipality, lang)
    all_url = site_url(reverse("news:list", args=[municipality.slug]))

    def build(blocks: list[str], more: int) -> str:
        parts = [head, *blocks]
        if not blocks and not more:
            parts.append(w["none"])
        parts.append(
            w["more"].format(n=more, url=all_url) if more else w["all"].format(url=all_url)
        )
        if tail:
            parts.append(tail)
        return "\n\n".join(parts)

    posts = list(posts)
    text = build([post_block(p, lang) for p in posts], 0)
    if len(text) <= limit:
        return text, 0
    short = [post_block(p, lang, excerpt=False) for p in posts]
    for n in range(len(short), -1, -1):
        text = build(short[:n], len(short) - n)
        if len(text) <= limit:
            return text, len(short) - n
    return text[:limit], len(short)


def compose(municipality, year: int, quarter: int, posts) -> tuple[dict, int]:
    """Titles and texts for both languages; returns (fields, posts left out for length)."""
    limit = subscriber_text_limit(municipality)
    fields, left_out = {}, 0
    for lang in LANGS:
        fields[f"title_{lang}"] = header(municipality, year, quarter, lang)
        fields[f"text_{lang}"], out = compose_text(municipality, year, quarter, posts, lang, limit)
        left_out = max(left_out, out)
    return fields, left_out


# --- limits -----------------------------------------------------------------------------------


def footer_length(municipality) -> int:
    """Characters messaging appends to a Telegram message: a blank line and the unsubscribe link."""
    longest = 0
    for lang in LANGS:
        probe = Subscriber(municipality=municipality, language=lang, unsubscribe_token=new_token())
        with translation.override(lang):
            longest = max(longest, len(unsubscribe_footer(probe)))
    return longest + 2


def subscriber_text_limit(municipality) -> int:
    """Longest text a Telegram subscriber can get: 4096 less the unsubscribe link."""
    return TELEGRAM_TEXT_LIMIT - footer_length(municipality)


CHANNEL_LIMIT = TELEGRAM_TEXT_LIMIT


# --- rendering for the outbox -----------------------------------------------------------------


def whatsapp_param(digest, lang: str) -> str:
    """The one text parameter of the WhatsApp template: title, then each post's title and link."""
    posts = sorted(digest.posts.select_related("municipality"), key=lambda p: (p.publish_at, p.pk))
    all_url = site_url(reverse("news:list", args=[digest.municipality.slug]))
    w = WORDS[lang]
    title = digest.title_in(lang)
    for n in range(len(posts), -1, -1):
        lines = [title]
        for p in posts[:n]:
            shown = p.lang_shown(lang)
            lines.append(f"{getattr(p, f'title_{shown}')} {site_url(p.get_absolute_url())}")
        more = len(posts) - n
        lines.append(
            w["more"].format(n=more, url=all_url) if more else w["all"].format(url=all_url)
        )
        flat = template_param("\n".join(lines), WHATSAPP_PARAM_LIMIT + 1)
        if len(flat) <= WHATSAPP_PARAM_LIMIT:
            return flat
    return template_param(title, WHATSAPP_PARAM_LIMIT)


def renderer(digest):
    """`render(subscriber)` for messaging.enqueue_to_subscribers: each in their language."""
    params = {lang: whatsapp_param(digest, lang) for lang in LANGS}

    def render(sub):
        lang = sub.language if sub.language in LANGS else "ky"
        title, text = digest.title_in(lang), digest.text_in(lang).strip()
        if not text:
            return None
        if sub.channel == "whatsapp":
            return title, text, {"params": [params[lang]]}
        if sub.channel == "telegram":
            return "", text, None
        return title, text, None

    return render

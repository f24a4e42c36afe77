"""What a month recorded, and the bilingual draft of its monthly report (Markdown).

`gather` reads the month's facts (done plan work, published news, channel counts); `compose`
writes the title and the text in one language. Both are pure reads: the draft is stored by
`services.compile_draft`.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from jamaat.channels import reach
from jamaat.channels.models import Channel, ChannelSnapshot
from jamaat.news.models import Post
from jamaat.plans.models import Evidence
from jamaat.reports import lang as L
from jamaat.reports.models import month_end, next_month

NEWS_SOURCE = "news.post:"


@dataclass
class ActivityDone:
    code: str
    text_ky: str
    text_ru: str
    items: list[tuple[date, str, list[str]]] = field(default_factory=list)  # (day, text, links)
    news_count: int = 0  # 1.1 evidence recorded by news posts (listed under news)


@dataclass
class NewsItem:
    day: date
    title_ky: str
    title_ru: str
    url: str


@dataclass
class ChannelCount:
    kind: str
    name: str
    followers: int


@dataclass
class MonthFacts:
    month: date
    activities: list[ActivityDone]
    news: list[NewsItem]
    channels: list[ChannelCount]
    online_total: int | None
    whatsapp_total: int | None
    population_share: Decimal | None

    @property
    def figures(self) -> dict:
        return {
            "activities": len(self.activities),
            "records": sum(len(a.items) + a.news_count for a in self.activities),
            "news": len(self.news),
            "followers": self.online_total,
            "whatsapp": self.whatsapp_total,
        }


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _first_sentence(text: str, limit: int = 260) -> str:
    text = " ".join(text.split()).rstrip(";.")
    for stop in (". ", "; "):
        if stop in text[:limit]:
            text = text.split(stop, 1)[0]
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def gather(municipality, month: date) -> MonthFacts:
    first, last = month, month_end(month)
    evidence = (
        Evidence.objects.filter(
            municipality=municipality,
            outcome=Evidence.Outcome.DONE,
            happened_on__gte=first,
            happened_on__lte=last,
        )
        .select_related("occurrence__activity")
        .order_by("occurrence__activity__order", "occurrence__activity__code", "happened_on", "id")
    )
    activities: dict[str, ActivityDone] = {}
    for ev in evidence:
        activity = ev.occurrence.activity
        row = activities.get(activity.code)
        if row is None:
            row = activities[activity.code] = ActivityDone(
                activity.code,
                _first_sentence(activity.text_ky),
                _first_sentence(activity.text_ru),
            )
        if ev.source.startswith(NEWS_SOURCE):
            row.news_count += 1
        else:
            text = " ".join((ev.text or "").split())
            row.items.append((ev.happened_on, text, [str(x) for x in ev.links or []]))

    posts = (
        Post.objects.for_municipality(municipality)
        .published()
        .filter(publish_at__gte=_aware(first), publish_at__lt=_aware(next_month(month)))
        .select_related("municipality")
        .order_by("publish_at", "id")
    )
    news = [
        NewsItem(
            timezone.localtime(p.publish_at).date(),
            p.title_ky,
            p.title_ru,
            f"{settings.SITE_URL}{p.get_absolute_url()}",
        )
        for p in posts
    ]

    channels = [
        ChannelCount(s.channel.kind, s.channel.name, s.followers)
        for s in ChannelSnapshot.objects.for_municipality(municipality)
        .filter(month=month)
        .select_related("channel")
        .order_by("channel__kind", "channel__name")
    ]
    online = whatsapp = share = None
    row = next((r for r in reach.monthly_totals(municipality, month.year) if r[0] == month), None)
    if row is not None:
        _m, online, whatsapp = row
        if online and municipality.population:
            share = min(Decimal(100), Decimal(online) * 100 / municipality.population)
        online = online or None
        whatsapp = whatsapp or None
    return MonthFacts(month, list(activities.values()), news, channels, online, whatsapp, share)


# --- writing ------------------------------------------------------------------------------------


def _md_text(text: str) -> str:
    """User text inside generated Markdown: one line, no accidental markup at its start."""
    text = " ".join(text.split())
    text = re.sub(r"([\\`*\[\]<])", r"\\\1", text)
    return re.sub(r"(?<!\w)_|_(?!\w)", r"\\_", text)


def _md_url(url: str) -> str:
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def title(municipality, month: date, lang: str) -> str:
    if lang == "ky":
        return (
            f"{L.place_name(municipality, 'ky')}: {L.month_in(month, 'ky')} аткарылган иштер "
            "жөнүндө маалымат"
        )
    return (
        f"{L.capfirst(L.place_name(municipality, 'ru'))}: информация о проделанной работе "
        f"за {L.month_label(month, 'ru')}"
    )


def summary(municipality, month: date, facts: MonthFacts, lang: str) -> str:
    a, n = len(facts.activities), len(facts.news)
    when, who = L.month_in(month, lang), L.lsg_body(municipality, lang)
    if lang == "ky":
        did = []
        if a:
            did.append(
                f"жергиликтүү маанидеги маселелерди чечүү боюнча пландын {a} иш-чарасын аткарды"
            )
        if n:
            did.append(f"веб-сайтта {n} жаңылык жарыялады")
        if not did:
            return (
                f"{when} пландын иш-чаралары боюнча аткарылган иштер жана жаңылыктар "
                "катталган эмес."
            )
        text = f"{when} {who} {' жана '.join(did)}."
        if not a:
            text += " Пландын иш-чаралары боюнча аткарылган иштер катталган эмес."
        return text
    did = []
    if a:
        did.append(
            f"выполнил {a} {L.ru_plural(a, 'мероприятие', 'мероприятия', 'мероприятий')} плана "
            "по решению вопросов местного значения"
        )
    if n:
        did.append(
            f"опубликовал на веб-сайте {n} {L.ru_plural(n, 'новость', 'новости', 'новостей')}"
        )
    if not did:
        return f"{when} выполненные мероприятия плана и новости не зарегистрированы."
    text = f"{when} {who[0].lower()}{who[1:]} {' и '.join(did)}."
    if not a:
        text += " Выполненные мероприятия плана не зарегистрированы."
    return text


_HEADINGS = {
    "ky": {
        "activities": "Пландын аткарылган иш-чаралары",
        "news": "Жарыяланган жаңылыктар",
        "channels": "Маалымат каналдары",
        "link": "шилтеме",
        "done": "Аткарылды",
        "news_under": "Веб-сайтта жарыяланган жаңылыктар: {n} (тизмеси төмөндө).",
        "online": "Веб-сайттын жана социалдык тармактардагы баракчалардын катталуучулары: {n}",
        "share": " (калктын {p} пайызы)",
        "whatsapp": "WhatsApp топторунун катышуучулары: {n}.",
    },
    "ru": {
        "activities": "Выполненные мероприятия плана",
        "news": "Опубликованные новости",
        "channels": "Каналы информирования",
        "link": "ссылка",
        "done": "Выполнено",
        "news_under": "Новости, опубликованные на веб-сайте: {n} (список ниже).",
        "online": "Подписчики веб-сайта и страниц в социальных сетях: {n}",
        "share": " ({p} населения)",
        "whatsapp": "Участники групп WhatsApp: {n}.",
    },
}


def body(municipality, month: date, facts: MonthFacts, lang: str) -> str:
    h = _HEADINGS[lang]
    out = [summary(municipality, month, facts, lang)]
    if facts.activities:
        out.append(f"## {h['activities']}")
        for act in facts.activities:
            text = act.text_ky if lang == "ky" else act.text_ru
            lines = [f"**{act.code}.** {_md_text(text or act.text_ky or act.text_ru)}", ""]
            for day, what, links in act.items:
                line = f"- {L.short_date(day, lang)} — {_md_text(what) or h['done']}"
                for url in links[:3]:
                    line += f" ([{h['link']}]({_md_url(url)}))"
                lines.append(line)
            if act.news_count:
                lines.append("- " + h["news_under"].format(n=act.news_count))
            out.append("\n".join(lines))
    if facts.news:
        out.append(f"## {h['news']}")
        items = []
        for item in facts.news:
            own = item.title_ky if lang == "ky" else item.title_ru
            shown = _md_text(own or item.title_ky or item.title_ru)
            items.append(f"- {L.short_date(item.day, lang)} — [{shown}]({_md_url(item.url)})")
        out.append("\n".join(items))
    if facts.online_total or facts.whatsapp_total or facts.channels:
        out.append(f"## {h['channels']}")
        items = []
        if facts.online_total:
            line = h["online"].format(n=L.number(facts.online_total))
            if facts.population_share is not None:
                shown = L.percent(facts.population_share)
                line += h["share"].format(p=shown.rstrip("%") if lang == "ky" else shown)
            items.append(f"- {line}.")
        if facts.whatsapp_total:
            items.append("- " + h["whatsapp"].format(n=L.number(facts.whatsapp_total)))
        for ch in facts.channels:
            if ch.kind == Channel.Kind.INFO_BOARD:
                continue
            members = ch.kind == Channel.Kind.WHATSAPP_GROUP
            items.append(
                f"- {L.channel_kind(ch.kind, lang)} «{_md_text(ch.name)}»: "
                f"{L.followers(ch.followers, lang, members)}."
            )
        out.append("\n".join(items))
    return "\n\n".join(out) + "\n"

"""Kyrgyz and Russian wording of generated content (report drafts, slides, PDF headers).

This is content, not UI: a report or a deck is made in both languages at once whatever the
reader's interface language, so the sentences are written here per language rather than taken
from the gettext catalogs. Official date styles (see ../shared/CONTEXT.md): ky «2026-жылдын
ноябрь айы», «25.11.2026-ж.»; ru «ноябрь 2026 года», «25.11.2026».
"""

import calendar
from datetime import date

CONTENT_LANGS = ("ky", "ru")

# Kyrgyz official usage takes the month names from Russian (nominative, lower case).
MONTHS = [
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
]  # fmt: skip
MONTHS_RU_PREP = [
    "январе", "феврале", "марте", "апреле", "мае", "июне",
    "июле", "августе", "сентябре", "октябре", "ноябре", "декабре",
]  # fmt: skip
MONTHS_EN = [calendar.month_name[i] for i in range(1, 13)]


def ru_plural(n: int, one: str, few: str, many: str) -> str:
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def number(n: int) -> str:
    """12 345 with a no-break space between thousands (both languages)."""
    return f"{n:,}".replace(",", "\u00a0")


def percent(value) -> str:
    """7,1% (decimal comma in both languages); whole numbers without a fraction."""
    text = f"{float(value):.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


def month_label(month: date, lang: str) -> str:
    """The month as a heading: ky «2026-жылдын ноябрь айы», ru «ноябрь 2026 года»."""
    name = MONTHS[month.month - 1]
    if lang == "ky":
        return f"{month.year}-жылдын {name} айы"
    if lang == "ru":
        return f"{name} {month.year} года"
    return f"{MONTHS_EN[month.month - 1]} {month.year}"


def month_in(month: date, lang: str) -> str:
    """“In that month” at the start of a sentence: ky «2026-жылдын ноябрь айында», ru «В ноябре…»."""
    if lang == "ky":
        return f"{month.year}-жылдын {MONTHS[month.month - 1]} айында"
    if lang == "ru":
        return f"В {MONTHS_RU_PREP[month.month - 1]} {month.year} года"
    return f"In {MONTHS_EN[month.month - 1]} {month.year}"


def short_date(d: date, lang: str) -> str:
    return f"{d:%d.%m.%Y}-ж." if lang == "ky" else f"{d:%d.%m.%Y}"


def months_range(first: int, last: int, year: int, lang: str) -> str:
    """A gathering season: ky «2027-жылдын январь–февраль айлары», ru «январь–февраль 2027 года»."""
    names = f"{MONTHS[first - 1]}–{MONTHS[last - 1]}"
    if lang == "ky":
        return f"{year}-жылдын {names} айлары"
    if lang == "ru":
        return f"{names} {year} года"
    return f"{MONTHS_EN[first - 1]}–{MONTHS_EN[last - 1]} {year}"


# --- the municipality in a sentence ------------------------------------------------------------

_KY_KIND = {"aiyl_aimak": ("айыл аймагы", "айыл аймагынын"), "city": ("шаары", "шаарынын")}
_RU_KIND = {"aiyl_aimak": ("айылный аймак", "айылного аймака"), "city": ("город", "города")}


def place_name(municipality, lang: str, genitive: bool = False) -> str:
    """ky «Кароол айыл аймагы(нын)», «Токмок шаары(нын)»; ru «айылный аймак Кароол», «города Токмок».

    Russian forms start in lower case (use `capfirst` at the start of a sentence). A name that
    already carries the kind word (“Кароол айыл аймагы”) is used as it is.
    """
    name = municipality.name_in(lang).strip()
    kinds = _KY_KIND if lang == "ky" else _RU_KIND
    nom, gen = kinds.get(municipality.kind, ("", ""))
    if not nom:
        return name
    if lang == "ky":
        if name.lower().endswith(nom):
            return name[: -len(nom)] + (gen if genitive else nom)
        return f"{name} {gen if genitive else nom}"
    if name.lower().startswith(nom):
        return (gen + name[len(nom) :]) if genitive else name
    return f"{gen if genitive else nom} {name}"


def capfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


def lsg_body(municipality, lang: str) -> str:
    """The LSG body as the subject of a sentence (grammatically masculine in Russian: «орган»)."""
    if lang == "ky":
        return f"{place_name(municipality, 'ky', genitive=True)} жергиликтүү өз алдынча башкаруу органы"
    return f"Орган местного самоуправления {place_name(municipality, 'ru', genitive=True)}"


# Channel kinds as residents call them (the UI labels are gettext, this is content).
CHANNEL_KINDS = {
    "website": ("Веб-сайт", "Веб-сайт"),
    "facebook": ("Facebook баракчасы", "Страница в Facebook"),
    "instagram": ("Instagram баракчасы", "Страница в Instagram"),
    "telegram": ("Telegram каналы", "Telegram-канал"),
    "whatsapp_group": ("WhatsApp тобу", "Группа WhatsApp"),
    "info_board": ("Маалымат тактасы", "Информационная доска"),
    "other": ("Башка канал", "Другой канал"),
}


def channel_kind(kind: str, lang: str) -> str:
    ky, ru = CHANNEL_KINDS.get(kind, CHANNEL_KINDS["other"])
    return ky if lang == "ky" else ru


def followers(n: int, lang: str, members: bool = False) -> str:
    if lang == "ky":
        return f"{number(n)} {'катышуучу' if members else 'катталуучу'}"
    if members:
        return f"{number(n)} {ru_plural(n, 'участник', 'участника', 'участников')}"
    return f"{number(n)} {ru_plural(n, 'подписчик', 'подписчика', 'подписчиков')}"


def goal_short_title(title: str) -> str:
    """“Максаты: жергиликтүү …” → “Жергиликтүү …” (the plan's titles open with “Goal:”)."""
    head, sep, rest = title.partition(":")
    if sep and len(head) <= 12:
        title = rest
    return capfirst(title.strip().rstrip("."))

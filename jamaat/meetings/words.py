"""Kyrgyz and Russian wording of what a meeting produces: the protocol, the poster, the sign-in
sheet and the announcement sent to subscribers.

This is content, not UI: a protocol in Russian is made in Russian whatever the staff member's
interface language, so the sentences are written here per language rather than taken from the
gettext catalogs. Official date styles (CONTEXT.md): ky «2025-жылдын 25-январы», «25.01.2025-ж.»;
ru «25 января 2025 года», «25.01.2025». The kinds use the glossary's terms exactly.
"""

from datetime import date, datetime

LANGS = ("ky", "ru")

MONTHS_KY_POSSESSIVE = [
    "январы", "февралы", "марты", "апрели", "майы", "июну",
    "июлу", "августу", "сентябры", "октябры", "ноябры", "декабры",
]  # fmt: skip
MONTHS_RU_GENITIVE = [
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
]  # fmt: skip
WEEKDAYS = {
    "ky": ["дүйшөмбү", "шейшемби", "шаршемби", "бейшемби", "жума", "ишемби", "жекшемби"],
    "ru": ["понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"],
}

WORDS = {
    "ky": {
        "protocol": "ПРОТОКОЛ",
        "kind": {"gathering": "айылдык жыйын", "hearing": "коомдук угуу"},
        "kind_heading": {"gathering": "Айылдык жыйын", "hearing": "Коомдук угуу"},
        "date": "Өткөрүлгөн күнү",
        "time": "Убактысы",
        "place": "Өткөрүлгөн жери",
        "villages": "Айылдар",
        "whole": "бүт аймак",
        "attendance": "Катышкандар",
        "total": "Бардыгы",
        "people": "адам",
        "women": "аялдар",
        "men": "эркектер",
        "by_age": "Жаш курагы боюнча",
        "ages": ["18–29 жаш", "30–44 жаш", "45–59 жаш", "60 жаш жана андан улуу"],
        "not_recorded": "жазылган эмес",
        "quorum": "Кворум",
        "quorum_met": "Кворум бар: {present} адам катышты, талап кылынат — {required}.",
        "quorum_not_met": "Кворум жок: {present} адам катышты, талап кылынат — {required}.",
        "quorum_no_rule": "Кворумдун эрежеси белгиленген эмес.",
        "quorum_no_base": (
            "Кворум текшерилген жок: шайлоочулардын (тургундардын) саны көрсөтүлгөн эмес."
        ),
        "quorum_no_attendance": "Катышкандардын саны азырынча жазыла элек.",
        "rule_voters_share": "эреже: катталган шайлоочулардын {percent}% ({base} адамдан)",
        "rule_adults_share": "эреже: бойго жеткен тургундардын {percent}% ({base} адамдан)",
        "rule_minimum": "эреже: кеминде {required} катышуучу",
        "chair": "Төрага",
        "secretary": "Катчы",
        "agenda": "Күн тартиби",
        "speakers": "Сөз сүйлөгөндөр",
        "questions": "Көтөрүлгөн маселелер",
        "decisions": "Кабыл алынган чечимдер",
        "votes": "Добуш берүү: «макул» — {for}, «каршы» — {against}, «калыс» — {abstained}.",
        "no_votes": "Добуш берүүнүн жыйынтыгы жазылган эмес.",
        "none": "жок",
        "signature": "(колу)",
        "generated": "Jamaat аркылуу даярдалды",
        # poster
        "notice": "КУЛАКТАНДЫРУУ",
        "dear": "Урматтуу тургундар!",
        "invite": {
            "gathering": "Сиздерди айылдык жыйынга чакырабыз",
            "hearing": "Сиздерди коомдук угууга чакырабыз",
        },
        "when": "Качан",
        "where": "Кайда",
        "at_time": "саат {time}",
        "documents": "Талкууга документтер сайтта жарыяланды",
        "contacts": "Байланыш",
        "more": "Толук маалымат",
        # sign-in sheet
        "sign_in": "Катышуучулардын каттоо барагы",
        "columns": ["№", "Аты-жөнү", "Айылы, көчөсү", "Колу"],
        "sheet": "Барак",
        # messages
        "msg_announce": "{Kind} болот: {title}",
        "msg_cancel": "{Kind} жокко чыгарылды: {title}",
        "msg_when": "{date}, саат {time}",
        "msg_place": "Жери: {place}",
        "msg_reason": "Себеби: {reason}",
    },
    "ru": {
        "protocol": "ПРОТОКОЛ",
        "kind": {"gathering": "сельский сход", "hearing": "общественные слушания"},
        "kind_heading": {"gathering": "сельского схода", "hearing": "общественных слушаний"},
        "date": "Дата проведения",
        "time": "Время",
        "place": "Место проведения",
        "villages": "Сёла",
        "whole": "весь аймак",
        "attendance": "Присутствовали",
        "total": "Всего",
        "people": "чел.",
        "women": "женщин",
        "men": "мужчин",
        "by_age": "По возрасту",
        "ages": ["18–29 лет", "30–44 года", "45–59 лет", "60 лет и старше"],
        "not_recorded": "не записано",
        "quorum": "Кворум",
        "quorum_met": "Кворум имеется: присутствуют {present} чел., требуется {required}.",
        "quorum_not_met": "Кворума нет: присутствуют {present} чел., требуется {required}.",
        "quorum_no_rule": "Правило кворума не установлено.",
        "quorum_no_base": "Кворум не проверен: не указано число избирателей (жителей).",
        "quorum_no_attendance": "Число присутствующих ещё не записано.",
        "rule_voters_share": "правило: {percent}% зарегистрированных избирателей (из {base})",
        "rule_adults_share": "правило: {percent}% совершеннолетних жителей (из {base})",
        "rule_minimum": "правило: не менее {required} участников",
        "chair": "Председатель",
        "secretary": "Секретарь",
        "agenda": "Повестка дня",
        "speakers": "Выступили",
        "questions": "Поднятые вопросы",
        "decisions": "Принятые решения",
        "votes": "Голосовали: «за» — {for}, «против» — {against}, «воздержались» — {abstained}.",
        "no_votes": "Итоги голосования не записаны.",
        "none": "нет",
        "signature": "(подпись)",
        "generated": "Подготовлено в Jamaat",
        # poster
        "notice": "ОБЪЯВЛЕНИЕ",
        "dear": "Уважаемые жители!",
        "invite": {
            "gathering": "Приглашаем вас на сельский сход",
            "hearing": "Приглашаем вас на общественные слушания",
        },
        "when": "Когда",
        "where": "Где",
        "at_time": "в {time}",
        "documents": "Документы для обсуждения опубликованы на сайте",
        "contacts": "Контакты",
        "more": "Подробнее",
        # sign-in sheet
        "sign_in": "Лист регистрации участников",
        "columns": ["№", "Фамилия, имя, отчество", "Село, улица", "Подпись"],
        "sheet": "Лист",
        # messages
        "msg_announce": "{Kind}: {title}",
        "msg_cancel": "Отменяется {kind}: {title}",
        "msg_when": "{date}, в {time}",
        "msg_place": "Место: {place}",
        "msg_reason": "Причина: {reason}",
    },
}


def words(lang: str) -> dict:
    if lang not in LANGS:
        raise ValueError(f"Unsupported language {lang!r}; expected one of {LANGS}")
    return WORDS[lang]


def long_date(d: date | datetime, lang: str) -> str:
    if lang == "ky":
        return f"{d.year}-жылдын {d.day}-{MONTHS_KY_POSSESSIVE[d.month - 1]}"
    return f"{d.day} {MONTHS_RU_GENITIVE[d.month - 1]} {d.year} года"


def short_date(d: date | datetime, lang: str) -> str:
    return f"{d:%d.%m.%Y}-ж." if lang == "ky" else f"{d:%d.%m.%Y}"


def weekday(d: date | datetime, lang: str) -> str:
    return WEEKDAYS[lang][d.weekday()]


def capfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


_KY_KIND = {"aiyl_aimak": "айыл аймагы", "city": "шаары"}
_RU_KIND = {"aiyl_aimak": "айылный аймак", "city": "город"}


def place_name(municipality, lang: str) -> str:
    """ky «Кароол айыл аймагы», «Токмок шаары»; ru «Айылный аймак Кароол», «Город Токмок»."""
    name = municipality.name_in(lang).strip()
    if lang == "ky":
        kind = _KY_KIND.get(municipality.kind, "")
        return name if not kind or name.lower().endswith(kind) else f"{name} {kind}"
    kind = _RU_KIND.get(municipality.kind, "")
    return name if not kind or name.lower().startswith(kind) else capfirst(f"{kind} {name}")


def number(n: int) -> str:
    """12 345 with a no-break space between thousands (both languages)."""
    return f"{n:,}".replace(",", "\u00a0")

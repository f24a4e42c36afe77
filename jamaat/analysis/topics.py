"""Topics of open-ended answers and appeals, in Kyrgyz and Russian, computed on the server.

Baseline (measured in tests/test_topics.py on a labelled ky/ru set): texts are lower-cased,
split into words, stop words dropped and each word cut to a light stem (common ky/ru suffixes
stripped, then at most 5 letters). A text goes to the local issue (`LocalIssue`) whose keyword
stems it mentions most; keywords are a built-in ky/ru lexicon per default issue code plus the
stems of the municipality's own issue names. Texts matching nothing go to "other". Nothing is
sent outside the server.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

WORD = re.compile(r"[a-zа-яёңөүіәғқһ]+", re.IGNORECASE)

STOP = {
    "и",
    "в",
    "во",
    "на",
    "не",
    "что",
    "с",
    "со",
    "по",
    "к",
    "ко",
    "из",
    "за",
    "от",
    "до",
    "у",
    "о",
    "об",
    "а",
    "но",
    "или",
    "же",
    "ли",
    "бы",
    "как",
    "так",
    "это",
    "для",
    "при",
    "нет",
    "есть",
    "очень",
    "все",
    "всё",
    "уже",
    "еще",
    "ещё",
    "мы",
    "нам",
    "нас",
    "наш",
    "наша",
    "наши",
    "нашей",
    "вы",
    "вам",
    "они",
    "их",
    "он",
    "она",
    "его",
    "ее",
    "её",
    "там",
    "тут",
    "где",
    "когда",
    "который",
    "которая",
    "надо",
    "нужно",
    "просим",
    "прошу",
    "пожалуйста",
    "будет",
    "был",
    "была",
    "были",
    "жана",
    "менен",
    "үчүн",
    "бул",
    "ошол",
    "бир",
    "да",
    "дагы",
    "эле",
    "гана",
    "биз",
    "бизге",
    "биздин",
    "силер",
    "алар",
    "анын",
    "көп",
    "абдан",
    "керек",
    "жок",
    "бар",
    "болуп",
    "болот",
    "эмес",
    "кыл",
    "кылып",
    "суранабыз",
    "сураныч",
    "өтүнөбүз",
    "деп",
    "мен",
    "менин",
    "ар",
}

# Suffixes stripped (longest first) before the 5-letter cut; the set follows the text's language.
KY_SUFFIXES = sorted(
    [
        "лардын",
        "лердин",
        "дардын",
        "дердин",
        "тардын",
        "тердин",
        "лары",
        "лери",
        "дары",
        "дери",
        "тары",
        "тери",
        "лар",
        "лер",
        "дар",
        "дер",
        "тар",
        "тер",
        "дын",
        "дин",
        "дун",
        "дүн",
        "тын",
        "тин",
        "нын",
        "нин",
        "нун",
        "нүн",
        "га",
        "ге",
        "ка",
        "ке",
        "го",
        "гө",
        "ко",
        "кө",
        "да",
        "де",
        "та",
        "те",
        "дан",
        "ден",
        "тан",
        "тен",
        "нан",
        "нен",
        "ны",
        "ни",
        "ну",
        "нү",
        "ды",
        "ди",
        "ду",
        "дү",
        "ты",
        "ти",
        "ту",
        "тү",
        "сы",
        "си",
        "су",
        "сү",
        "ы",
        "и",
        "у",
        "ү",
    ],
    key=len,
    reverse=True,
)
RU_SUFFIXES = sorted(
    [
        "ами",
        "ями",
        "ого",
        "его",
        "ому",
        "ему",
        "ыми",
        "ими",
        "ах",
        "ях",
        "ов",
        "ев",
        "ей",
        "ой",
        "ый",
        "ий",
        "ая",
        "яя",
        "ое",
        "ее",
        "ые",
        "ие",
        "ам",
        "ям",
        "ом",
        "ем",
        "ую",
        "юю",
        "ым",
        "им",
        "ы",
        "и",
        "а",
        "я",
        "у",
        "ю",
        "е",
        "о",
    ],
    key=len,
    reverse=True,
)
KY_LETTERS = set("ңөү")
KY_MARKERS = {"жана", "менен", "үчүн", "жок", "бар", "керек", "биз", "биздин", "эмес"}


def language(text: str) -> str:
    """ "ky" when the text has Kyrgyz letters or common Kyrgyz words, else "ru"."""
    low = text.lower()
    if KY_LETTERS & set(low) or KY_MARKERS & set(WORD.findall(low)):
        return "ky"
    return "ru"


# Seed keywords per default local-issue code (stems are derived from these words).
LEXICON = {
    "water": "вода воды водой водопровод кран насос колодец арык полив канализация суу суусу "
    "ичүүчү суу түтүк кудук арык сугат канализация",
    "roads": "дорога дороги дорогу асфальт яма ямы мост мосты улица ремонт проезд грязь жол жолдор "
    "жолду асфальт чуңкур көпүрө көчө оңдоо ылай",
    "lighting": "свет освещение фонарь фонари лампа темно столб жарык жарыгы фонарь чырак караңгы "
    "мамы шам",
    "waste": "мусор мусора свалка отходы контейнер вывоз грязно таштанды таштандыны челек ташуу "
    "контейнер сасык",
    "greening": "дерево деревья озеленение клумба благоустройство сквер дарак дарактар "
    "жашылдандыруу көрктөндүрүү гүл",
    "parks": "парк спорт стадион площадка детская футбол спортзал эс алуу оюн аянтча",
    "culture": "клуб библиотека культура концерт дом культуры китепкана маданият клуб концерт",
    "cemeteries": "кладбище похороны көрүстөн мазар",
    "transport": "автобус маршрутка транспорт остановка маршрут автобус унаа аялдама",
    "land": "земля участок строительство земельный жер участок курулуш",
    "pastures": "пастбище скот выпас жайыт мал малдар",
    "budget": "бюджет налог деньги расходы бюджет салык акча",
    "schools": "школа школы садик детский сад класс мектеп мектептин бала бакча бакча",
    "order": "полиция порядок хулиганы драка милиция тартип милиция мушташ",
    "social": "пенсия пособие малоимущие инвалид помощь пенсия жөлөкпул майып жардам",
}


def stem(word: str, lang: str = "ru") -> str:
    w = word.lower().replace("ё", "е")
    for suf in KY_SUFFIXES if lang == "ky" else RU_SUFFIXES:
        if len(w) - len(suf) >= 3 and w.endswith(suf):
            w = w[: -len(suf)]
            break
    return w[:5]


def tokens(text: str, lang: str | None = None) -> list[str]:
    lang = lang or language(text)
    return [stem(w, lang) for w in WORD.findall(text.lower()) if w not in STOP and len(w) > 1]


@dataclass
class Topic:
    code: str
    label: str
    count: int = 0
    quotes: list[str] = field(default_factory=list)


class Classifier:
    def __init__(self, issues=()):
        """`issues`: LocalIssue objects (or tuples code, name_ky, name_ru)."""
        self.keywords: dict[str, set[str]] = defaultdict(set)
        for code, words in LEXICON.items():
            self.keywords[code].update(tokens(words, "ky") + tokens(words, "ru"))
        self.labels: dict[str, tuple[str, str]] = {}
        for issue in issues:
            code, ky, ru = (
                issue if isinstance(issue, tuple) else (issue.code, issue.name_ky, issue.name_ru)
            )
            self.labels[code] = (ky, ru)
            if code != "other":
                self.keywords[code].update(tokens(ky, "ky") + tokens(ru, "ru"))
        # a stem shared by several issues says nothing
        seen = Counter(s for words in self.keywords.values() for s in words)
        for code in self.keywords:
            self.keywords[code] = {s for s in self.keywords[code] if seen[s] == 1}

    def scores(self, text: str) -> Counter:
        toks = tokens(text)
        score = Counter()
        for code, words in self.keywords.items():
            hits = sum(1 for t in toks if t in words)
            if hits:
                score[code] = hits
        return score

    def classify(self, text: str) -> str:
        score = self.scores(text)
        return score.most_common(1)[0][0] if score else "other"

    def label(self, code: str, lang: str) -> str:
        ky, ru = self.labels.get(code, (code, code))
        return (ru if lang == "ru" else ky) or code


def group(texts, issues=(), lang="ky", quotes=3) -> list[Topic]:
    """Texts grouped into topics, biggest first, with the clearest short texts as quotes."""
    clf = Classifier(issues)
    topics: dict[str, Topic] = {}
    best: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for text in texts:
        text = (text or "").strip()
        if not text:
            continue
        score = clf.scores(text)
        code = score.most_common(1)[0][0] if score else "other"
        topic = topics.setdefault(code, Topic(code, clf.label(code, lang)))
        topic.count += 1
        best[code].append((-score.get(code, 0), len(text), text))
    for code, topic in topics.items():
        seen: set[str] = set()
        for _s, _l, text in sorted(best[code]):
            key = text.casefold()
            if key not in seen:
                seen.add(key)
                topic.quotes.append(text)
            if len(topic.quotes) == quotes:
                break
    return sorted(topics.values(), key=lambda t: (t.code == "other", -t.count))


def agreement_with_categories(pairs, issues=()) -> tuple[int, int]:
    """(matches, total) of the baseline against categories residents or staff chose for appeals:
    a free labelled set from real data. `pairs`: (category code, text)."""
    clf = Classifier(issues)
    total = hits = 0
    for code, text in pairs:
        if code and code != "other" and (text or "").strip():
            total += 1
            hits += clf.classify(text) == code
    return hits, total

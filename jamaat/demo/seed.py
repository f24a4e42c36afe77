"""Demo data: real municipalities, a user for every role, three approved plans with evidence.

Municipalities, their kind, oblast, district and population are the real figures of
`shared/CONTEXT.md`. Everything else is invented for the demo: people, village names inside Кароол,
addresses, phone numbers, e-mail addresses (all at example.kg, with "demo" in the mailbox name),
links (all under example.kg) and the evidence itself.

`seed()` is idempotent: rows are looked up by slug, username, (municipality, name), (user,
municipality, role) and (municipality, plan period). A plan that already exists is left exactly
as it is, evidence included, so a demo someone has been clicking through is never rewritten.
The whole seed runs in one transaction: either everything is there or nothing changed.

`jamaat.demo.features` then fills the feature apps (news, channels, subscribers, digest, printed
materials, monthly reports, meetings, appeals, and initiatives, acts, TOS and a survey) for the
three municipalities with plans, through each app's services.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone, translation

from jamaat.core.access import Role
from jamaat.core.models import User
from jamaat.core.uploads import CleanFile
from jamaat.demo.features import seed_features
from jamaat.municipalities.models import Membership, Municipality, Village
from jamaat.plans import services
from jamaat.plans.models import Evidence, Indicator, Occurrence, Plan

DEMO_PASSWORD = "jamaat-demo"  # noqa: S105 - printed on screen on purpose
PERIOD = (2025, 2028)
EVIDENCE_SOURCE = "demo"
# "Half a year of evidence": occurrences due in this many days before today get full evidence
# (photos, links, figures); older ones get the plain record a municipality would type in from
# its paper journal, so that the dashboard's overdue list shows only what is really late.
RECENT_DAYS = 183

# Never left open by `skip_recent_every`: gatherings, and data collection with its report (3.3 is
# dated from 3.2's close, so leaving 3.2 open while 3.3 is done would not make sense).
ALWAYS_RECORDED = ("2.1", "3.2", "3.3")

AA = Municipality.Kind.AIYL_AIMAK
CITY = Municipality.Kind.CITY

MUNICIPALITIES = [
    {
        "slug": "karool",
        "name_ky": "Кароол",
        "name_ru": "Кароол",
        "name_en": "Karool",
        "kind": AA,
        "oblast_ky": "Ош",
        "oblast_ru": "Ош",
        "district_ky": "Өзгөн",
        "district_ru": "Узген",
        "population": 17000,
        "population_year": 2021,
        "address_ky": "Өзгөн району, Кароол айылы, Борбордук көчөсү, 1",
        "address_ru": "Узгенский район, с. Кароол, ул. Центральная, 1",
        "phone": "+996 3233 7-31-02",
        "email": "karool.demo@example.kg",
        "website": "https://karool.example.kg",
    },
    {
        "slug": "karakol",
        "name_ky": "Каракол",
        "name_ru": "Каракол",
        "name_en": "Karakol",
        "kind": CITY,
        "oblast_ky": "Ысык-Көл",
        "oblast_ru": "Иссык-Куль",
        "district_ky": "",
        "district_ru": "",
        "population": 85600,
        "population_year": 2022,
        "address_ky": "Каракол шаары, Абдрахманов көчөсү, 130",
        "address_ru": "г. Каракол, ул. Абдрахманова, 130",
        "phone": "+996 3922 5-02-11",
        "email": "karakol.demo@example.kg",
        "website": "https://karakol.example.kg",
    },
    {
        "slug": "tokmok",
        "name_ky": "Токмок",
        "name_ru": "Токмок",
        "name_en": "Tokmok",
        "kind": CITY,
        "oblast_ky": "Чүй",
        "oblast_ru": "Чуй",
        "district_ky": "",
        "district_ru": "",
        "population": 71600,
        "population_year": 2022,
        "address_ky": "Токмок шаары, Ленин көчөсү, 41",
        "address_ru": "г. Токмок, ул. Ленина, 41",
        "phone": "+996 3138 6-21-45",
        "email": "tokmok.demo@example.kg",
        "website": "https://tokmok.example.kg",
    },
    {
        "slug": "uzgen",
        "name_ky": "Өзгөн",
        "name_ru": "Узген",
        "name_en": "Uzgen",
        "kind": CITY,
        "oblast_ky": "Ош",
        "oblast_ru": "Ош",
        "district_ky": "Өзгөн",
        "district_ru": "Узген",
        "population": 64000,
        "population_year": 2022,
        "address_ky": "Өзгөн шаары, Манас көчөсү, 54",
        "address_ru": "г. Узген, ул. Манаса, 54",
        "phone": "+996 3233 5-12-34",
        "email": "uzgen.demo@example.kg",
        "website": "https://uzgen.example.kg",
    },
    {
        "slug": "shark",
        "name_ky": "Шарк",
        "name_ru": "Шарк",
        "name_en": "Shark",
        "kind": AA,
        "oblast_ky": "Ош",
        "oblast_ru": "Ош",
        "district_ky": "Кара-Суу",
        "district_ru": "Кара-Суу",
        "population": 45494,
        "population_year": 2017,
        "address_ky": "Кара-Суу району, Шарк айылы, Жийдалик көчөсү, 12",
        "address_ru": "Кара-Суйский район, с. Шарк, ул. Жийдалик, 12",
        "phone": "+996 3232 4-15-20",
        "email": "shark.demo@example.kg",
        "website": "https://shark.example.kg",
    },
    {
        "slug": "engilchek",
        "name_ky": "Эңилчек",
        "name_ru": "Энгильчек",
        "name_en": "Engilchek",
        "kind": AA,
        "oblast_ky": "Ысык-Көл",
        "oblast_ru": "Иссык-Куль",
        "district_ky": "Ак-Суу",
        "district_ru": "Ак-Суу",
        "population": 173,
        "population_year": 2017,
        "address_ky": "Ак-Суу району, Эңилчек айылы, Мектеп көчөсү, 3",
        "address_ru": "Ак-Суйский район, с. Энгильчек, ул. Школьная, 3",
        "phone": "+996 3945 9-11-03",
        "email": "engilchek.demo@example.kg",
        "website": "https://engilchek.example.kg",
    },
]

# (name_ky, name_ru, population) — village names invented for the demo, Kyrgyz in form.
VILLAGES = {
    "karool": [
        ("Кароол", "Кароол", 6200),
        ("Кара-Булак", "Кара-Булак", 4300),
        ("Жаңы-Жол", "Жаны-Жол", 3700),
        ("Ак-Терек", "Ак-Терек", 2800),
    ],
    "shark": [
        ("Шарк", "Шарк", 21500),
        ("Кызыл-Суу", "Кызыл-Суу", 13200),
        ("Бүргөндү", "Бургонду", 10794),
    ],
    "engilchek": [("Эңилчек", "Энгильчек", 173)],
}

POSITIONS = {
    AA: {
        Role.HEAD: ("Айыл өкмөтүнүн башчысы", "Глава айыл окмоту"),
        Role.STAFF: (
            "Маалымат жана коомчулук менен байланыш боюнча адис",
            "Специалист по информированию и связям с общественностью",
        ),
        Role.COUNCIL_CHAIR: ("Айылдык кеңештин төрагасы", "Председатель айылного кенеша"),
        Role.DEPUTY: ("Айылдык кеңештин депутаты", "Депутат айылного кенеша"),
    },
    CITY: {
        Role.HEAD: ("Шаардын мэри", "Мэр города"),
        Role.STAFF: (
            "Мэриянын маалымат бөлүмүнүн адиси",
            "Специалист отдела информации мэрии",
        ),
        Role.COUNCIL_CHAIR: ("Шаардык кеңештин төрагасы", "Председатель городского кенеша"),
        Role.DEPUTY: ("Шаардык кеңештин депутаты", "Депутат городского кенеша"),
    },
}


@dataclass(frozen=True)
class DemoUser:
    username: str
    last_name: str
    first_name: str
    patronymic: str
    language: str
    phone: str
    municipality: str = ""  # slug
    role: str = ""
    agency: bool = False
    admin: bool = False

    @property
    def full_name(self) -> str:
        return f"{self.last_name} {self.first_name} {self.patronymic}"

    @property
    def email(self) -> str:
        return f"{self.username}.demo@example.kg"


H, S, C, D = Role.HEAD, Role.STAFF, Role.COUNCIL_CHAIR, Role.DEPUTY
USERS = [
    DemoUser("karool.head", "Асанов", "Талант", "Кубанычбекович", "ky", "+996 555 10-20-31", "karool", H),
    DemoUser("karool.staff", "Турдубаева", "Айгүл", "Мамытовна", "ky", "+996 700 41-15-62", "karool", S),
    DemoUser("karool.chair", "Мамытов", "Бактыбек", "Шералиевич", "ky", "+996 772 30-44-18", "karool", C),
    DemoUser("karool.deputy", "Юсупова", "Дилноза", "Рахматовна", "ru", "+996 557 62-08-90", "karool", D),
    DemoUser("karakol.head", "Сыдыков", "Марат", "Асылбекович", "ky", "+996 555 77-31-05", "karakol", H),
    DemoUser("karakol.staff", "Петрова", "Наталья", "Сергеевна", "ru", "+996 700 18-52-73", "karakol", S),
    DemoUser("karakol.chair", "Абдыраева", "Жылдыз", "Токтогуловна", "ky", "+996 772 90-13-46", "karakol", C),
    DemoUser("karakol.deputy", "Осмонов", "Азамат", "Кеңешбекович", "ky", "+996 550 24-67-81", "karakol", D),
    DemoUser("uzgen.head", "Мамажанов", "Улукбек", "Абдыжапарович", "ky", "+996 555 48-19-20", "uzgen", H),
    DemoUser("uzgen.staff", "Эргешова", "Гүлнара", "Турсунбаевна", "ky", "+996 700 63-27-14", "uzgen", S),
    DemoUser("uzgen.chair", "Юлдашев", "Рустам", "Бахтиярович", "ru", "+996 772 15-80-39", "uzgen", C),
    DemoUser("uzgen.deputy", "Абдуллаева", "Мохира", "Исмаиловна", "ky", "+996 557 33-91-27", "uzgen", D),
    DemoUser("tokmok.head", "Бекболотов", "Данияр", "Маратович", "ru", "+996 555 52-40-16", "tokmok", H),
    DemoUser("tokmok.staff", "Иванова", "Светлана", "Николаевна", "ru", "+996 700 86-12-59", "tokmok", S),
    DemoUser("shark.head", "Орозбаев", "Кубат", "Исмаилович", "ky", "+996 555 21-73-48", "shark", H),
    DemoUser("shark.staff", "Жумабаева", "Чолпон", "Бакировна", "ky", "+996 700 59-36-02", "shark", S),
    DemoUser("engilchek.head", "Усенов", "Мирлан", "Касымович", "ky", "+996 555 94-05-67", "engilchek", H),
    DemoUser("engilchek.staff", "Бейшеналиева", "Айзада", "Үсөновна", "ky", "+996 700 27-48-81", "engilchek", S),
    DemoUser("agency", "Токтосунова", "Бермет", "Алмазбековна", "ky", "+996 312 62-18-45", agency=True),
    DemoUser("admin", "Садыков", "Эмиль", "Рустамович", "ru", "+996 312 62-18-46", admin=True),
]  # fmt: skip

# --- Plans -------------------------------------------------------------------------------------
# Targets per year of the period for every blank; rising year by year.
TARGETS = {
    "1.1.population_informed": (40, 50, 60, 70),
    "1.2.population_participated": (5, 7, 9, 12),
    "1.3.population_informed_whatsapp": (30, 40, 50, 60),
    "1.4.materials_posted": (4, 5, 6, 8),
    "1.5.population_informed_of_activities": (25, 30, 35, 40),
    "2.2.initiatives_implemented": (2, 3, 3, 4),
    "2.3.normative_acts_adopted": (2, 3, 3, 4),
    "2.4.tps_projects_implemented": (1, 2, 2, 3),
    "3.2.questionnaires_collected": (200, 250, 300, 400),
}
CITY_TARGETS = {
    "1.2.population_participated": (3, 4, 5, 6),
    "1.4.materials_posted": (6, 8, 10, 12),
    "2.2.initiatives_implemented": (3, 4, 5, 6),
    "2.4.tps_projects_implemented": (2, 3, 4, 5),
    "3.2.questionnaires_collected": (500, 600, 750, 900),
}
FALLBACK_TARGETS = {"percent": (25, 30, 35, 40), "count": (4, 5, 6, 8), "none": (1, 1, 1, 1)}

# KGS per year for the activities paid from the local budget.
BUDGETS = {
    AA: {
        "1.4": (15000, 18000, 20000, 22000),
        "2.2": (150000, 180000, 200000, 250000),
        "2.4": (80000, 100000, 100000, 120000),
    },
    CITY: {
        "1.4": (45000, 50000, 55000, 60000),
        "2.2": (600000, 700000, 800000, 900000),
        "2.4": (300000, 350000, 400000, 450000),
    },
}
FALLBACK_BUDGET = (20000, 20000, 25000, 25000)


@dataclass(frozen=True)
class EvidenceProfile:
    """How diligent a municipality has been: what stays overdue, what was not done."""

    leave_overdue: dict  # activity code -> how many of its most recent past occurrences stay open
    not_done_recent: tuple  # activity codes whose latest recent occurrence was not done
    not_done_old: tuple  # (activity code, occurrence key) not done long ago
    skip_recent_every: int = 0  # leave every n-th other recent occurrence open (0: none)
    ru_every: int = 2  # every n-th text is Russian (2: alternate; 1: all Russian)
    ru_first: bool = False


PLANS = {
    "karool": EvidenceProfile(
        leave_overdue={"1.1": 1, "3.1": 1},
        not_done_recent=("1.4",),
        not_done_old=(("3.2", "2025-R1"),),
    ),
    "uzgen": EvidenceProfile(
        # 1.5 and 2.3 are then closed by the published reports and adopted acts of
        # `features`; 3.1 (the questionnaire template) stays overdue.
        leave_overdue={"1.5": 1, "2.3": 1, "3.1": 1},
        not_done_recent=("1.2",),
        not_done_old=(),
        ru_first=True,
    ),
    "karakol": EvidenceProfile(
        leave_overdue={"1.1": 1, "1.5": 1, "3.1": 1},
        not_done_recent=(),
        not_done_old=(("1.3", "2025-Q1"),),
        skip_recent_every=4,
        ru_every=3,
        ru_first=True,
    ),
}


# --- Seeding ----------------------------------------------------------------------------------
def seed(stdout=None) -> list[tuple[str, str, str]]:
    """Create (or complete) the demo data. Returns (username, password, description) per login."""

    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(message)

    with transaction.atomic():
        municipalities = {m["slug"]: _municipality(m, say) for m in MUNICIPALITIES}
        users = _users(municipalities, say)
        for slug, profile in PLANS.items():
            _plan(municipalities[slug], users, profile, say)
        seed_features(municipalities, users, say)
    with translation.override("en"):
        return [(u.username, DEMO_PASSWORD, describe(u, municipalities)) for u in USERS]


def describe(u: DemoUser, municipalities=None) -> str:
    if u.admin:
        return "platform admin (superuser)"
    if u.agency:
        return "State Agency officer (read-only, every municipality)"
    m = (municipalities or {}).get(u.municipality) or Municipality.objects.get(slug=u.municipality)
    return f"{Role(u.role).label} · {m.name_ky} / {m.name_ru}"


def start_path(u: DemoUser) -> str:
    if u.admin:
        return "/admin/"
    if u.agency:
        return "/"
    return f"/{u.municipality}/dashboard/"


def login_rows(base_url: str = "") -> list[tuple[str, str, str, str, str]]:
    """(username, password, role, municipality, URL to start at) for the table of logins."""
    names = {m["slug"]: f"{m['name_ky']} / {m['name_ru']}" for m in MUNICIPALITIES}
    rows = []
    with translation.override("en"):
        for u in USERS:
            if u.admin:
                role, where = "platform admin", "all"
            elif u.agency:
                role, where = "Agency officer (read-only)", "all"
            else:
                role, where = str(Role(u.role).label), names[u.municipality]
            rows.append((u.username, DEMO_PASSWORD, role, where, base_url + start_path(u)))
    return rows


def _save_changed(obj, values: dict) -> bool:
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    for k in changed:
        setattr(obj, k, values[k])
    if changed:
        obj.save(update_fields=changed)
    return bool(changed)


def _municipality(data: dict, say) -> Municipality:
    data = dict(data)
    slug = data.pop("slug")
    m, created = Municipality.objects.get_or_create(slug=slug, defaults=data)
    if not created and _save_changed(m, data):
        say(f"  updated municipality {slug}")
    elif created:
        say(f"  created municipality {slug} ({m.name_ky} / {m.name_ru})")
    for name_ky, name_ru, population in VILLAGES.get(slug, []):
        Village.objects.get_or_create(
            municipality=m, name_ky=name_ky, defaults={"name_ru": name_ru, "population": population}
        )
    return m


def _users(municipalities: dict, say) -> dict[str, User]:
    users = {}
    # One hash for every demo account: hashing is deliberately slow, and the password is public.
    hashed = None
    verified: dict[str, bool] = {}
    for u in USERS:
        user = User.objects.filter(username=u.username).first()
        if user is None:
            hashed = hashed or make_password(DEMO_PASSWORD)
            user = User.objects.create(
                username=u.username,
                password=hashed,
                email=u.email,
                first_name=u.first_name,
                last_name=u.last_name,
                full_name=u.full_name,
                phone=u.phone,
                language=u.language,
                is_agency_officer=u.agency,
                is_superuser=u.admin,
                is_staff=u.admin,
            )
            say(f"  created user {u.username} ({u.full_name})")
        else:
            # Keep whatever the demo user changed in their profile, but make sure the printed
            # login still works and still has its role.
            if user.password not in verified:
                verified[user.password] = check_password(DEMO_PASSWORD, user.password)
            fix = {"is_active": True, "is_agency_officer": u.agency}
            if u.admin:
                fix |= {"is_superuser": True, "is_staff": True}
            if not verified[user.password]:
                hashed = hashed or make_password(DEMO_PASSWORD)
                fix["password"] = hashed
            if _save_changed(user, fix):
                say(f"  restored login {u.username}")
        if u.municipality:
            m = municipalities[u.municipality]
            position_ky, position_ru = POSITIONS[m.kind][u.role]
            Membership.objects.get_or_create(
                user=user,
                municipality=m,
                role=u.role,
                defaults={"position_ky": position_ky, "position_ru": position_ru},
            )
        users[u.username] = user
    return users


def _plan(m: Municipality, users: dict, profile: EvidenceProfile, say) -> None:
    if Plan.objects.filter(municipality=m, start_year=PERIOD[0]).exists():
        say(f"  plan of {m.slug} exists; left as it is")
        return
    head, staff, chair = (users[f"{m.slug}.{r}"] for r in ("head", "staff", "chair"))
    by_role = {Role.HEAD: head, Role.STAFF: staff, Role.COUNCIL_CHAIR: chair}
    plan = services.adopt_plan(m, staff, *PERIOD)
    years = plan.years
    targets = TARGETS | (CITY_TARGETS if m.kind == CITY else {})
    budgets = BUDGETS[m.kind]
    for activity in plan.activities.prefetch_related("indicators", "budgets"):
        persons = [by_role[r] for r in activity.responsible_roles if r in by_role]
        services.update_activity(staff, activity, {}, persons=persons)
        for ind in activity.indicators.all():
            if ind.has_blank:
                values = targets.get(ind.key) or FALLBACK_TARGETS[ind.unit]
                services.set_targets(
                    staff,
                    ind,
                    {y: Decimal(v) for y, v in zip(years, _stretch(values, years), strict=True)},
                )
        if activity.budget_source == activity.Budget.LOCAL:
            amounts = _stretch(budgets.get(activity.code, FALLBACK_BUDGET), years)
            services.set_budgets(
                staff, activity, {y: Decimal(v) for y, v in zip(years, amounts, strict=True)}
            )
    services.approve_plan(head, plan)
    n = _evidence(plan, by_role, profile)
    say(f"  adopted and approved the plan of {m.slug} {plan.start_year}–{plan.end_year}")
    say(f"  recorded {n} evidence records for {m.slug}")


def _stretch(values, years) -> list:
    values = list(values)
    return [values[min(i, len(values) - 1)] for i in range(len(years))]


# --- Evidence ---------------------------------------------------------------------------------
MONTHS_KY = [
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
]  # fmt: skip
MONTHS_RU = [
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
]  # fmt: skip

TOPICS = [
    ("таштанды чыгаруу графиги", "график вывоза мусора"),
    ("ичүүчү суу түтүгүн оңдоо", "ремонт водопровода"),
    ("көчө жарыгы", "уличное освещение"),
    ("жергиликтүү бюджеттин аткарылышы", "исполнение местного бюджета"),
    ("жайыттарды пайдалануу", "использование пастбищ"),
    ("мектептин имаратын оңдоо", "ремонт здания школы"),
    ("көчөлөрдү көрктөндүрүү жана бак тигүү", "благоустройство улиц и посадка деревьев"),
    ("ички жолдорду шагылдоо", "отсыпка внутренних дорог гравием"),
]
DONE_WORKS = [
    ("ички жолдордун 2,5 км шагылданды", "отсыпано гравием 2,5 км внутренних дорог"),
    ("14 көчө чырагы орнотулду", "установлено 14 уличных фонарей"),
    ("мектептин чатыры оңдолду", "отремонтирована крыша школы"),
    ("180 көчөт отургузулду", "высажено 180 саженцев"),
    ("таштанды чыгаруу графиги жаңыланды", "обновлён график вывоза мусора"),
    ("жайыт комитетинин жыйыны өттү", "проведено собрание пастбищного комитета"),
    ("бала бакчанын жылытуу системасы алмаштырылды", "заменена система отопления детского сада"),
    ("көпүрөнүн тосмолору калыбына келтирилди", "восстановлены перила моста"),
]
AGENDAS = [
    ("ичүүчү суу түтүгүн оңдоо", "ремонт водопровода"),
    (
        "{next_year}-жылга жергиликтүү бюджеттин долбоору",
        "проект местного бюджета на {next_year} год",
    ),
    (
        "жайыттарды пайдалануу жана малды жаюу тартиби",
        "порядок использования пастбищ и выпаса скота",
    ),
    ("таштанды чыгаруу жана тазалык", "вывоз мусора и санитарная очистка"),
]
ACTS = [
    ("Жайыттарды пайдалануу эрежелерин бекитүү жөнүндө", "Об утверждении Правил пользования пастбищами"),
    (
        "Көрктөндүрүү жана тазалык эрежелерин бекитүү жөнүндө",
        "Об утверждении Правил благоустройства и санитарного содержания",
    ),
    (
        "Жергиликтүү жамааттын уставына өзгөртүүлөрдү киргизүү жөнүндө",
        "О внесении изменений в Устав местного сообщества",
    ),
    ("Катуу тиричилик калдыктарын чыгаруунун тарифтери жөнүндө", "О тарифах на вывоз твёрдых бытовых отходов"),
]  # fmt: skip
ISSUES = [
    ("ичүүчү суу, ички жолдор жана көчө жарыгы", "питьевая вода, внутренние дороги и уличное освещение"),
    ("бала бакчадагы орундар, таштанды чыгаруу", "места в детском саду, вывоз мусора"),
    ("жайыттар, сугат суусу, спорт аянтчасы", "пастбища, поливная вода, спортивная площадка"),
]  # fmt: skip

PLACES = {
    "karool": [
        ("Кара-Булак айылында", "в с. Кара-Булак"),
        ("Жаңы-Жол айылында", "в с. Жаны-Жол"),
        ("Ак-Терек айылында", "в с. Ак-Терек"),
        ("Кароол айылындагы маданият үйүндө", "в Доме культуры с. Кароол"),
    ],
    "karakol": [
        ("Каракол шаардык маданият үйүндө", "в городском Доме культуры Каракола"),
        ("мэриянын жыйындар залында", "в зале заседаний мэрии"),
        ("Түштүк кичи районундагы мектепте", "в школе Южного микрорайона"),
    ],
    "uzgen": [
        ("Өзгөн шаардык маданият үйүндө", "в городском Доме культуры Узгена"),
        ("мэриянын жыйындар залында", "в зале заседаний мэрии"),
        ("Чыгыш кичи районундагы мектепте", "в школе Восточного микрорайона"),
    ],
}
INITIATIVES = {
    AA: [
        ("Ак-Терек айылында балдар аянтчасын куруу", "детская площадка в с. Ак-Терек"),
        ("Кара-Булак айылында булакты тазалоо жана тосмо коюу", "очистка и ограждение родника в с. Кара-Булак"),
        ("Жаңы-Жол айылында көчө жарыгын орнотуу", "уличное освещение в с. Жаны-Жол"),
    ],
    CITY: [
        ("көп кабаттуу үйлөрдүн короолорун көрктөндүрүү", "благоустройство дворов многоэтажных домов"),
        ("жаштар үчүн спорт аянтчасын куруу", "спортивная площадка для молодёжи"),
        ("борбордук сейил бакта отургучтарды коюу", "скамейки в центральном парке"),
    ],
}  # fmt: skip
TPS_NAMES = ["Ынтымак", "Береке", "Ак-Ниет"]

NOT_DONE = {
    "1.4": (
        "Маалыматтык материалдарды басып чыгарууга каражат ушул кварталда бөлүнгөн жок; "
        "жергиликтүү бюджетке өзгөртүү киргизилгенден кийин аткарылат.",
        "Средства на печать информационных материалов в этом квартале не выделены; сделаем после "
        "уточнения местного бюджета.",
    ),
    "1.2": (
        "Жыйын түшүм жыйноо маалына туш келгендиктен сентябрга жылдырылды.",
        "Сход перенесён на сентябрь: в июле–августе шла уборка урожая, люди были на полях.",
    ),
    "3.2": (
        "Анкеталар басылып чыккан эмес, онлайн форма даяр болгон жок; сурамжылоо кийинки айлампага "
        "жылдырылды.",
        "Анкеты не были напечатаны, онлайн-форма не готова; опрос перенесён на следующий раунд.",
    ),
    "3.3": (
        "Анкеталар чогултулган жок, ошондуктан бул айлампа боюнча отчет даярдалган жок.",
        "Анкеты в этом раунде не собирались, поэтому отчёт не готовился.",
    ),
    "1.3": (
        "WhatsApp топторунун администратору алмашып, топтордун тизмеси жаңыланган жок.",
        "Сменился администратор WhatsApp-групп, список групп не был обновлён, рассылку не провели.",
    ),
}
NOT_DONE_DEFAULT = (
    "Жооптуу кызматкер өргүүдө болгондуктан аткарылган жок.",
    "Не выполнено: ответственный сотрудник был в отпуске, замена не назначена.",
)


def _plural_ru(n: int, one: str, few: str, many: str) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def _fmt(n) -> str:
    """12 500 (thin grouping as Kyrgyz and Russian write numbers)."""
    return f"{int(n):,}".replace(",", "\u00a0")


class _Writer:
    """Writes one evidence record's text, figures, links and photos for an occurrence."""

    def __init__(self, plan: Plan, profile: EvidenceProfile, rng: random.Random):
        self.plan = plan
        self.m = plan.municipality
        self.profile = profile
        self.rng = rng
        self.city = self.m.kind == CITY
        self.count = 0
        self.indicators: dict[str, Indicator] = {
            i.key: i for i in Indicator.objects.filter(activity__plan=plan)
        }
        self.subscribers = 2400 if not self.city else 9800

    # Words that differ between an aiyl aimak and a city.
    def body(self, lang: str) -> str:
        if lang == "ky":
            return "Мэриянын" if self.city else "Айыл өкмөтүнүн"
        return "мэрии" if self.city else "айыл окмоту"

    def council_gen(self, lang: str) -> str:
        if lang == "ky":
            return "Шаардык кеңештин" if self.city else "Айылдык кеңештин"
        return "городского кенеша" if self.city else "айылного кенеша"

    def lang(self) -> str:
        p = self.profile
        i = self.count + (1 if p.ru_first else 0)
        return "ru" if i % p.ru_every == 0 else "ky"

    def target(self, key: str, year: int) -> Decimal:
        ind = self.indicators.get(key)
        t = ind.targets.filter(year=year).first() if ind else None
        return t.value if t and t.value is not None else Decimal(30)

    def percent(self, key: str, occ: Occurrence, low=0.7, high=1.05) -> Decimal:
        """A share that climbs through the year towards (sometimes past) the year's target."""
        progress = 0.55 + 0.45 * (occ.due.month / 12)
        value = float(self.target(key, occ.due.year)) * progress * self.rng.uniform(low, high)
        return Decimal(str(round(min(value, 95), 1)))

    def write(self, occ: Occurrence, recent: bool) -> tuple[str, list[str], dict, list[CleanFile]]:
        lang = self.lang()
        self.count += 1
        code = occ.activity.code
        rng = self.rng
        y, mo = occ.due.year, occ.due.month
        slug = self.m.slug
        places = PLACES.get(slug) or [("айылдык клубда", "в сельском клубе")]
        place_ky, place_ru = rng.choice(places)
        values: dict[str, Decimal] = {}
        links: list[str] = []
        photos: list[CleanFile] = []
        ky = lang == "ky"

        if code == "1.1":
            topic_ky, topic_ru = rng.choice(TOPICS)
            n = rng.randint(5, 9)
            self.subscribers = int(self.subscribers * rng.uniform(1.006, 1.015))
            subs = _fmt(self.subscribers)
            text = (
                f"{self.body('ky')} сайтына жана Facebook баракчасына {topic_ky} тууралуу {n} жаңылык "
                f"жарыяланды. Катталуучулардын саны: {subs}."
                if ky
                else f"На сайте {self.body('ru')} и в Facebook опубликовано {n} новостей, главная тема — "
                f"{topic_ru}. Подписчиков страницы: {subs}."
            )
            links = [f"https://{slug}.example.kg/news/{y}/{mo:02d}/"]
            if recent:
                links.append(f"https://example.kg/facebook/{slug}/posts/{y}{mo:02d}{n:02d}")
            values["1.1.population_informed"] = self.percent("1.1.population_informed", occ)
            values["1.1.subscriber_growth"] = Decimal(str(round(mo * rng.uniform(0.8, 1.1), 1)))
        elif code == "1.2":
            pct = self.percent("1.2.population_participated", occ, 0.8, 1.1)
            people = max(40, int(self.m.population * float(pct) / 100))
            women = int(people * rng.uniform(0.38, 0.52))
            meetings = rng.randint(6, 9) if self.city else len(VILLAGES.get(slug, [])) or 2
            text = (
                f"Жергиликтүү маанидеги маселелер жана аларды чечүүдөгү жамааттын ролу боюнча "
                f"презентация {meetings} жыйында жана коомдук угууда көрсөтүлдү (акыркысы — "
                f"{place_ky}). Катышкандар: {_fmt(people)} киши, анын ичинде {_fmt(women)} аял."
                if ky
                else f"Презентация о вопросах местного значения и роли сообщества в их решении показана "
                f"на сходах и общественных слушаниях (встреч: {meetings}, последняя — {place_ru}). "
                f"Участников — {_fmt(people)}, из них женщин — {_fmt(women)}."
            )
            values["1.2.population_participated"] = pct
            if recent:
                photos.append(_photo(self.m, occ, "Презентация", rng))
        elif code == "1.3":
            pct = self.percent("1.3.population_informed_whatsapp", occ)
            members = int(self.m.population * float(pct) / 100)
            groups = rng.randint(4, 9) if not self.city else rng.randint(12, 20)
            topic_ky, topic_ru = rng.choice(TOPICS)
            text = (
                f"{groups} WhatsApp тобуна ({_fmt(members)} катышуучу) {topic_ky} боюнча маалыматтык "
                f"материал жөнөтүлдү."
                if ky
                else f"Информационный материал на тему «{topic_ru}» разослан в WhatsApp-группы "
                f"({groups} шт.), число участников групп — {_fmt(members)}."
            )
            values["1.3.population_informed_whatsapp"] = pct
        elif code == "1.4":
            n = rng.choice([1, 2, 2])
            cost = rng.choice([3500, 4200, 5000]) * (3 if self.city else 1)
            topic_ky, topic_ru = rng.choice(TOPICS)
            boards_ky = (
                "мэриянын, базардын жана автобекеттин"
                if self.city
                else "айыл өкмөтүнүн, ФАПтын жана мектептин"
            )
            boards_ru = "мэрия, рынок и автовокзал" if self.city else "айыл окмоту, ФАП и школа"
            text = (
                f"{n} маалыматтык материал (плакат, буклет) «{topic_ky}» темасында даярдалып, {boards_ky} "
                f"маалымат тактасына илинди. Басып чыгаруу: {_fmt(cost)} сом."
                if ky
                else f"Подготовлено и размещено на информационных досках ({boards_ru}) материалов: {n}, "
                f"тема — {topic_ru}. Печать: {_fmt(cost)} сом."
            )
            values["1.4.materials_posted"] = Decimal(n)
            if recent:
                photos.append(_photo(self.m, occ, "Маалымат тактасы / Инфостенд", rng))
        elif code == "1.5":
            prev = (occ.due.replace(day=1) - timedelta(days=1)).month - 1
            works = rng.sample(DONE_WORKS, 2)
            text = (
                f"{MONTHS_KY[prev].capitalize()} айында аткарылган иштер тууралуу маалымат сайтка жана "
                f"социалдык тармактарга жарыяланды: {works[0][0]}; {works[1][0]}."
                if ky
                else f"На сайте и в соцсетях опубликован отчёт о работе {self.body('ru')} за "
                f"{MONTHS_RU[prev]}: {works[0][1]}; {works[1][1]}."
            )
            links = [f"https://{slug}.example.kg/news/{y}/{mo:02d}/otchet/"]
            values["1.5.population_informed_of_activities"] = self.percent(
                "1.5.population_informed_of_activities", occ
            )
        elif code == "2.1":
            agenda_ky, agenda_ru = rng.choice(AGENDAS)
            agenda_ky = agenda_ky.format(next_year=y + 1)
            agenda_ru = agenda_ru.format(next_year=y + 1)
            people = rng.randint(95, 180) if not self.city else rng.randint(220, 420)
            part = _plural_ru(people, "участник", "участника", "участников")
            if self.city:
                text = (
                    f"{place_ky.capitalize()} коомдук угуу өттү, {_fmt(people)} шаар тургуну катышты. "
                    f"Күн тартибинде: {agenda_ky}. Протокол түзүлүп, сайтка жарыяланды."
                    if ky
                    else f"Проведены общественные слушания {place_ru}, {_fmt(people)} {part}; "
                    f"обсуждали {agenda_ru}. Протокол опубликован на сайте."
                )
            else:
                text = (
                    f"{place_ky.capitalize()} айылдык жыйын өттү, {_fmt(people)} киши катышты. "
                    f"Күн тартибинде: {agenda_ky}. Протоколго төрага жана катчы кол койду."
                    if ky
                    else f"Проведён сельский сход {place_ru}, {_fmt(people)} {part}, обсуждали "
                    f"{agenda_ru}. Протокол подписан председателем и секретарём."
                )
            values["2.1.participants_count"] = Decimal(people)
            links = [f"https://{slug}.example.kg/documents/protokol-{occ.key.lower()}/"]
            if recent:
                photos.append(_photo(self.m, occ, "Жыйын / Сход", rng))
                photos.append(_photo(self.m, occ, "Протокол", rng))
        elif code == "2.2":
            n = int(self.target("2.2.initiatives_implemented", y))
            chosen = (INITIATIVES[self.m.kind] * 2)[:n]
            cost = sum(rng.choice([40000, 55000, 70000]) for _ in chosen) * (3 if self.city else 1)
            text = (
                f"Жыл ичинде {n} жергиликтүү демилге колдоого алынып, ишке ашырылды: "
                f"{'; '.join(c[0] for c in chosen)}. Жергиликтүү бюджеттен {_fmt(cost)} сом бөлүндү."
                if ky
                else f"За год поддержано и реализовано местных инициатив: {n} "
                f"({'; '.join(c[1] for c in chosen)}). Из местного бюджета выделено {_fmt(cost)} сом."
            )
            values["2.2.initiatives_implemented"] = Decimal(n)
        elif code == "2.3":
            if rng.random() < 0.6:
                act_ky, act_ru = rng.choice(ACTS)
                text = (
                    f"{self.council_gen('ky')} сессиясында шайлоочулардын сунуш-талаптары боюнча "
                    f"«{act_ky}» токтом кабыл алынды."
                    if ky
                    else f"На сессии {self.council_gen('ru')} по наказам избирателей принято решение "
                    f"«{act_ru}»."
                )
                values["2.3.normative_acts_adopted"] = Decimal(1)
                links = [f"https://{slug}.example.kg/documents/toktom-{occ.key.lower()}/"]
            else:
                meetings = rng.randint(2, 5)
                text = (
                    f"Депутаттар шайлоочулар менен {meetings} жолугушуу өткөрүштү, сунуш-талаптар "
                    f"топтолду; токтомдун долбоору комиссияда каралууда."
                    if ky
                    else f"Депутаты провели встреч с избирателями: {meetings}; наказы собраны, проект "
                    f"решения рассматривается в постоянной комиссии."
                )
        elif code == "2.4":
            tps = rng.choice(TPS_NAMES)
            init_ky, init_ru = rng.choice(INITIATIVES[self.m.kind])
            cost = rng.choice([60000, 80000, 95000]) * (3 if self.city else 1)
            text = (
                f"«{tps}» АКӨБү менен биргеликте долбоор ишке ашырылды: {init_ky}. Жергиликтүү "
                f"бюджеттен {_fmt(cost)} сом, тургундардын салымы — эмгек жана курулуш материалдары."
                if ky
                else f"Совместно с ТОС «{tps}» реализован проект: {init_ru}. Из местного бюджета "
                f"{_fmt(cost)} сом, вклад жителей — труд и стройматериалы."
            )
            values["2.4.tps_projects_implemented"] = Decimal(1)
        elif code == "3.1":
            q = (occ.due.month - 1) // 3 + 1
            text = (
                f"Анкетанын {q}-чейрек үчүн жаңыртылган үлгүсү даярдалды, онлайн варианты Google "
                f"Forms аркылуу ачылды."
                if ky
                else f"Обновлён образец анкеты на {q}-й квартал, онлайн-версия открыта в Google Forms."
            )
            links = [f"https://forms.example.kg/{slug}-{y}-q{q}"]
        elif code == "3.2":
            half = float(self.target("3.2.questionnaires_collected", y)) / 2
            n = int(half * rng.uniform(0.85, 1.25))
            online = int(n * rng.uniform(0.2, 0.4))
            appeals = rng.randint(6, 25)
            text = (
                f"{_fmt(n)} анкета толтурулду: {_fmt(n - online)} кагаз түрүндө (үкөккө салынды), "
                f"{_fmt(online)} онлайн. Кошумча {appeals} кайрылуу кабыл алынды."
                if ky
                else f"Собрано анкет: {_fmt(n)} (бумажных — {_fmt(n - online)}, через урну; онлайн — "
                f"{_fmt(online)}). Принято обращений граждан: {appeals}."
            )
            values["3.2.questionnaires_collected"] = Decimal(n)
            if recent:
                photos.append(_photo(self.m, occ, "Үкөк / Урна", rng))
        elif code == "3.3":
            issues_ky, issues_ru = rng.choice(ISSUES)
            text = (
                f"Анкеталардын жыйынтыгы боюнча отчет даярдалып, аппаратка жана "
                f"{self.council_gen('ky').lower()} сессиясында презентацияланды. Негизги маселелер: "
                f"{issues_ky}."
                if ky
                else f"Подготовлен отчёт по итогам анкетирования, презентован аппарату {self.body('ru')} "
                f"и депутатам {self.council_gen('ru')}. Главные темы: {issues_ru}."
            )
            links = [f"https://{slug}.example.kg/documents/anketa-otchet-{occ.key.lower()}.pdf"]
        else:  # an activity a later template version adds
            text = (
                "Иш-чара пландын негизинде аткарылды."
                if ky
                else "Мероприятие выполнено в соответствии с планом."
            )
        figures = {self.indicators[k]: v for k, v in values.items() if k in self.indicators}
        return text, links, figures, photos

    def reason(self, occ: Occurrence) -> str:
        lang = self.lang()
        self.count += 1
        ky_text, ru_text = NOT_DONE.get(occ.activity.code, NOT_DONE_DEFAULT)
        return ky_text if lang == "ky" else ru_text


def _evidence(plan: Plan, by_role: dict, profile: EvidenceProfile) -> int:
    """Record evidence on the plan's past occurrences, leaving a few overdue and a few not done."""
    today = timezone.localdate()
    recent_from = today - timedelta(days=RECENT_DAYS)
    rng = random.Random(f"jamaat-demo-{plan.municipality.slug}")  # the same demo every time
    writer = _Writer(plan, profile, rng)

    def past():
        return list(
            Occurrence.objects.filter(activity__plan=plan, due__lte=today)
            .select_related("activity")
            .order_by("due", "activity__order")
        )

    occurrences = past()
    by_code: dict[str, list[Occurrence]] = {}
    for occ in occurrences:
        by_code.setdefault(occ.activity.code, []).append(occ)
    leave_open = set()
    for code, n in profile.leave_overdue.items():
        leave_open |= {o.pk for o in by_code.get(code, [])[-n:]}
    not_done = set()
    for code in profile.not_done_recent:
        candidates = [
            o for o in by_code.get(code, []) if o.due >= recent_from and o.pk not in leave_open
        ]
        if candidates:
            not_done.add(candidates[-1].pk)
    not_done |= {o.pk for o in occurrences if (o.activity.code, o.key) in set(profile.not_done_old)}

    recorded = 0
    skip_counter = 0
    not_done_keys = set()
    # 3.3 is re-dated when its 3.2 round closes, so it is read again after the first pass.
    for followers in (False, True):
        if followers:
            occurrences = past()
        todo = [
            o
            for o in occurrences
            if (o.activity.rule == "after_collection") == followers and o.pk not in leave_open
        ]
        for occ in todo:
            recent = occ.due >= recent_from
            if recent and profile.skip_recent_every and occ.activity.code not in ALWAYS_RECORDED:
                skip_counter += 1
                if skip_counter % profile.skip_recent_every == 0:
                    continue
            actor = _recorder(occ.activity, by_role)
            happened = _happened_on(occ, today, rng)
            leader = (occ.activity.rule_params or {}).get("after")
            if occ.pk in not_done or (followers and (leader, occ.key) in not_done_keys):
                not_done_keys.add((occ.activity.code, occ.key))
                data = services.EvidenceInput(
                    Evidence.Outcome.NOT_DONE,
                    happened,
                    reason=writer.reason(occ),
                    source=EVIDENCE_SOURCE,
                )
            else:
                text, links, figures, photos = writer.write(occ, recent)
                data = services.EvidenceInput(
                    Evidence.Outcome.DONE,
                    happened,
                    text=text,
                    links=links,
                    files=photos,
                    values=figures,
                    source=EVIDENCE_SOURCE,
                )
            services.record_evidence(actor, occ, data)
            recorded += 1
    return recorded


def _recorder(activity, by_role: dict):
    for role in activity.responsible_roles:
        if role in by_role:
            return by_role[role]
    return by_role[Role.STAFF]


def _happened_on(occ: Occurrence, today: date, rng: random.Random) -> date:
    day = occ.due - timedelta(days=rng.randint(0, 6))
    return min(max(day, occ.window_start), occ.due, today)


# --- Photos -----------------------------------------------------------------------------------
FONT = Path(__file__).resolve().parent.parent / "documents" / "fonts" / "DejaVuSans.ttf"
COLOURS = [(46, 125, 50), (21, 101, 192), (198, 40, 40), (239, 108, 0), (106, 27, 154)]


def _photo(m: Municipality, occ: Occurrence, caption: str, rng: random.Random) -> CleanFile:
    """A small JPEG that looks like a placeholder photo: a coloured card with a caption."""
    from PIL import Image, ImageDraw, ImageFont

    colour = rng.choice(COLOURS)
    image = Image.new("RGB", (640, 420), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((24, 24, 616, 396), outline=(255, 255, 255), width=4)
    try:
        big, small = ImageFont.truetype(str(FONT), 40), ImageFont.truetype(str(FONT), 24)
    except OSError:
        big = small = ImageFont.load_default()
    draw.text((48, 60), f"{m.name_ky} / {m.name_ru}", fill="white", font=big)
    draw.text((48, 140), f"{occ.activity.code} · {caption}", fill="white", font=small)
    draw.text((48, 180), occ.due.strftime("%d.%m.%Y"), fill="white", font=small)
    draw.text((48, 340), "DEMO", fill=(255, 255, 255), font=small)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    name = f"{m.slug}-{occ.activity.code.replace('.', '-')}-{occ.key.lower()}-{rng.randint(100, 999)}.jpg"
    return CleanFile(name, out.getvalue(), "image/jpeg")

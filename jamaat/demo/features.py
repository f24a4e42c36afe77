"""Demo data for the feature apps: news, channels, subscribers, digest, printed materials,
monthly reports, meetings and appeals of Кароол, Каракол and Өзгөн.

Every row is written through its app's service, as a staff member would write it in the UI, so
plan evidence, audit records and figures come out as in real use. Things that happened in the
past are written "at" that moment: `_at` makes `django.utils.timezone.now` return it while the
service runs (publication times, answer times, audit times are then what they would have been).

Idempotent: each item is looked up by a natural key (title, address, month, quarter, appeal
text) and skipped if it exists, so a demo someone has been clicking through is never rewritten.
Dates are relative to `timezone.localdate()`.
"""

from __future__ import annotations

import contextlib
import io
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from unittest import mock

from django.utils import timezone

from jamaat.core.uploads import CleanFile
from jamaat.municipalities.models import LocalIssue, Municipality

FEATURE_SLUGS = ("karool", "karakol", "uzgen")


@dataclass
class Ctx:
    m: Municipality
    staff: object
    head: object
    chair: object
    today: date
    rng: random.Random

    @property
    def city(self) -> bool:
        return self.m.kind == Municipality.Kind.CITY

    def issue(self, code: str) -> LocalIssue | None:
        return LocalIssue.objects.filter(municipality=self.m, code=code).first()


@contextlib.contextmanager
def _at(moment: datetime):
    """Run a service as if it were `moment` (never later than the real now)."""
    moment = min(moment, timezone.now())
    with mock.patch.object(timezone, "now", lambda: moment):
        yield moment


def _when(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _month_start(day: date, back: int = 0) -> date:
    y, mo = day.year, day.month - back
    while mo < 1:
        y, mo = y - 1, mo + 12
    return date(y, mo, 1)


def seed_features(municipalities: dict, users: dict, say) -> None:
    today = timezone.localdate()
    ctxs = []
    for slug in FEATURE_SLUGS:
        m = municipalities[slug]
        LocalIssue.ensure_defaults(m)
        ctx = Ctx(
            m,
            users[f"{slug}.staff"],
            users[f"{slug}.head"],
            users[f"{slug}.chair"],
            today,
            random.Random(f"jamaat-demo-features-{slug}"),
        )
        ctxs.append(ctx)
        for section in (
            _channels,
            _news,
            _subscribers,
            _digest,
            _printed,
            _reports,
            _meetings,
            _appeals,
        ):
            n = section(ctx)
            if n:
                say(f"  {slug}: {section.__name__.strip('_')} +{n}")
    _optional_sections(ctxs, say)


# --- Channels -----------------------------------------------------------------------------------
def _channel_list(ctx: Ctx) -> list[tuple[str, str, str, int]]:
    """(kind, name, url, followers 12 months ago)."""
    m, slug = ctx.m, ctx.m.slug
    k = 4 if ctx.city else 1
    boards = (
        ["Мэриянын кире беришиндеги такта", "Борбордук базардагы такта"]
        if ctx.city
        else ["Айыл өкмөтүнүн тактасы", "ФАПтын жанындагы такта"]
    )
    return [
        ("website", f"{slug}.example.kg", f"https://{slug}.example.kg/", 900 * k),
        ("facebook", f"{m.name_ky} — расмий баракча", f"https://example.kg/facebook/{slug}", 1400 * k),
        ("telegram", f"{m.name_ky} | Кабарлар", f"https://example.kg/t/{slug}_news", 380 * k),
        ("whatsapp_group", f"{m.name_ky}: жаңылыктар 1", "", 240 * k),
        ("whatsapp_group", f"{m.name_ky}: жаңылыктар 2", "", 210 * k),
        ("whatsapp_group", f"{m.name_ky}: аялдар кеңеши", "", 120 * k),
        ("info_board", boards[0], "", 0),
        ("info_board", boards[1], "", 0),
    ]  # fmt: skip


def _channels(ctx: Ctx) -> int:
    from jamaat.channels import services
    from jamaat.channels.models import Channel, ChannelSnapshot

    channels, created = [], 0
    for kind, name, url, start in _channel_list(ctx):
        ch, new = Channel.objects.get_or_create(
            municipality=ctx.m, kind=kind, name=name, defaults={"url": url}
        )
        created += new
        if kind != "info_board":
            channels.append((ch, start))
    if ChannelSnapshot.objects.for_municipality(ctx.m).exists():
        return created
    counts = {ch: float(start) for ch, start in channels}
    for back in range(12, -1, -1):
        month = _month_start(ctx.today, back)
        for ch in counts:
            if back != 12:
                counts[ch] *= ctx.rng.uniform(1.01, 1.02)
        with _at(_when(month + timedelta(days=2), 11)):
            services.save_counts(ctx.staff, ctx.m, month, {ch: int(v) for ch, v in counts.items()})
    return created


def _channel(ctx: Ctx, kind: str):
    from jamaat.channels.models import Channel

    return list(Channel.objects.filter(municipality=ctx.m, kind=kind).order_by("name"))


# --- News ---------------------------------------------------------------------------------------
# (days ago, issue code, langs, photo, title_ky, body_ky, title_ru, body_ru); {v} = a village or
# district, {body_ky}/{body_ru} = "айыл өкмөтү"/"мэрия".
NEWS = [
    (165, "water", "ky ru", True,
     "{v} ичүүчү суу түтүгү оңдолду",
     "{v} 1,2 км ичүүчү суу түтүгү алмаштырылды. Эми 140 үй күнү-түнү суу менен камсыз.\n\n"
     "Жумуштарга жергиликтүү бюджеттен каражат бөлүндү, тургундар эмгеги менен катышты.",
     "Отремонтирован водопровод: {v_ru}",
     "Заменено 1,2 км водопровода ({v_ru}). Теперь 140 домов получают воду круглосуточно.\n\n"
     "Работы оплачены из местного бюджета, жители помогли своим трудом."),
    (140, "waste", "ky ru", False,
     "Таштанды чыгаруунун жаңы графиги",
     "1-августтан баштап таштанды жумасына эки жолу чыгарылат: дүйшөмбү жана бейшемби. "
     "Таштандыны көчөгө таштабаңыздар — контейнерлерди колдонуңуздар.",
     "Новый график вывоза мусора",
     "С 1 августа мусор вывозится дважды в неделю: в понедельник и четверг. Пожалуйста, "
     "пользуйтесь контейнерами и не оставляйте мешки на улице."),
    (118, "lighting", "ky", True,
     "{v} 14 көчө чырагы орнотулду",
     "{v} эң караңгы көчөлөргө 14 үнөмдүү LED чырак орнотулду. Чырактар күн батканда "
     "автоматтык түрдө күйөт.", "", ""),
    (96, "budget", "ky ru", False,
     "Жергиликтүү бюджеттин биринчи жарым жылдык аткарылышы",
     "{body_ky} биринчи жарым жылдагы бюджеттин аткарылышы тууралуу отчету жарыяланды. "
     "Кирешелер пландын 54 пайызын түздү.",
     "Исполнение местного бюджета за первое полугодие",
     "Опубликован отчёт {body_ru} об исполнении бюджета за первое полугодие: доходы составили "
     "54 % от плана, основные расходы — образование и благоустройство."),
    (74, "schools", "ru", False, "", "",
     "Школы готовы к новому учебному году",
     "Комиссия {body_ru} приняла школы к 1 сентября: отремонтированы крыши двух школ, заменены "
     "окна в спортзале, дворы очищены."),
    (52, "pastures", "ky ru", False,
     "Жайыт комитетинин жыйыны",
     "Жайыт комитети күзгү мезгилге жайыттарды пайдалануу тартибин талкуулады. Жайыт билетинин "
     "баасы өзгөргөн жок.",
     "Собрание пастбищного комитета",
     "Пастбищный комитет обсудил порядок использования пастбищ на осенний сезон. Стоимость "
     "пастбищного билета не изменилась."),
    (30, "greening", "ky", True,
     "Ашарда 180 көчөт отургузулду",
     "Тургундар, мектеп окуучулары жана {body_ky} кызматкерлери ашарга чыгып, {v} 180 көчөт "
     "отургузушту. Рахмат баарыңызга!", "", ""),
    (9, "roads", "ky ru", False,
     "Ички жолдор шагылдалды",
     "{v} 2,5 км ички жол шагылдалды. Кийинки жылы дагы 3 км пландалууда.",
     "Внутренние дороги отсыпаны гравием",
     "Отсыпано 2,5 км внутренних дорог ({v_ru}). На следующий год запланировано ещё 3 км."),
]  # fmt: skip
DRAFT_POST = (
    "culture",
    "Китепкананын иш убактысы (долбоор)",
    "Кышкы мезгилде китепкана саат 9дан 17ге чейин иштейт.",
    "",
    "",
)
SCHEDULED_POST = (
    5,
    "order",
    "Жаңы жылдык майрамдарда коопсуздук",
    "Майрам күндөрү пиротехниканы колдонууда этият болуңуздар.",
    "Безопасность в новогодние праздники",
    "В праздничные дни будьте осторожны с пиротехникой; телефон дежурной части — 102.",
)


def _words(ctx: Ctx, i: int) -> dict:
    villages = list(ctx.m.villages.order_by("name_ky"))
    if villages:
        v = villages[i % len(villages)]  # the same for a post every time: titles are its key
        v_ky, v_ru = f"{v.name_ky} айылында", f"с. {v.name_ru}"
    else:
        v_ky, v_ru = "Чыгыш кичи районунда", "Восточный микрорайон"
    return {
        "v": v_ky,
        "v_ru": v_ru,
        "body_ky": "Мэриянын" if ctx.city else "Айыл өкмөтүнүн",
        "body_ru": "мэрии" if ctx.city else "айыл окмоту",
    }


def _news(ctx: Ctx) -> int:
    from jamaat.news import services
    from jamaat.news.models import Post

    def exists(title_ky, title_ru):
        qs = Post.objects.filter(municipality=ctx.m)
        return (
            qs.filter(title_ky=title_ky).exists()
            if title_ky
            else qs.filter(title_ru=title_ru).exists()
        )

    n = 0
    for i, (days, code, langs, photo, t_ky, b_ky, t_ru, b_ru) in enumerate(NEWS):
        w = _words(ctx, i)
        t_ky, b_ky, t_ru, b_ru = (s.format(**w) for s in (t_ky, b_ky, t_ru, b_ru))
        if "ky" not in langs:
            t_ky = b_ky = ""
        if "ru" not in langs:
            t_ru = b_ru = ""
        if exists(t_ky, t_ru):
            continue
        moment = _when(ctx.today - timedelta(days=days), 9 + ctx.rng.randint(0, 8), 15)
        post = Post(
            municipality=ctx.m,
            title_ky=t_ky,
            body_ky=b_ky,
            title_ru=t_ru,
            body_ru=b_ru,
            category=ctx.issue(code),
            publish_at=moment,
        )
        photos = [_jpeg(ctx.m, t_ky or t_ru, moment.date(), ctx.rng)] if photo else []
        with _at(moment):
            services.save_post(ctx.staff, post, photos, "publish")
        n += 1
    code, t_ky, b_ky, t_ru, b_ru = DRAFT_POST
    if not exists(t_ky, t_ru):
        post = Post(municipality=ctx.m, title_ky=t_ky, body_ky=b_ky, category=ctx.issue(code))
        services.save_post(ctx.staff, post, [], "draft")
        n += 1
    days, code, t_ky, b_ky, t_ru, b_ru = SCHEDULED_POST
    if not exists(t_ky, t_ru):
        post = Post(
            municipality=ctx.m,
            title_ky=t_ky,
            body_ky=b_ky,
            title_ru=t_ru,
            body_ru=b_ru,
            category=ctx.issue(code),
            publish_at=_when(ctx.today + timedelta(days=days), 9),
        )
        services.save_post(ctx.staff, post, [], "schedule")
        n += 1
    return n


# --- Subscribers --------------------------------------------------------------------------------
def _subscriber_list(ctx: Ctx) -> list[tuple[str, str, str, int]]:
    """(channel, address, language, days ago)."""
    slug, r = ctx.m.slug, random.Random(f"demo-subscribers-{ctx.m.slug}")
    return [
        ("email", f"{slug}.aibek.demo@example.kg", "ky", 120),
        ("email", f"{slug}.olga.demo@example.kg", "ru", 60),
        ("telegram", str(r.randint(100_000_000, 999_999_999)), "ky", 150),
        ("telegram", str(r.randint(100_000_000, 999_999_999)), "ru", 90),
        ("telegram", str(r.randint(1_000_000_000, 6_999_999_999)), "ky", 20),
        ("whatsapp", f"+996 555 {r.randint(100, 999)} {r.randint(100, 999)}", "ky", 110),
        ("whatsapp", f"+996 700 {r.randint(100, 999)} {r.randint(100, 999)}", "ky", 45),
        ("whatsapp", f"+996 772 {r.randint(100, 999)} {r.randint(100, 999)}", "ru", 14),
    ]


def _subscribers(ctx: Ctx) -> int:
    from jamaat.messaging import services
    from jamaat.messaging.models import Subscriber

    n = 0
    for channel, raw, lang, days in _subscriber_list(ctx):
        address = services.normalise_address(channel, raw)
        if Subscriber.objects.filter(municipality=ctx.m, channel=channel, address=address).exists():
            continue
        moment = _when(ctx.today - timedelta(days=days), 20, 30)
        with _at(moment):
            sub = services.subscribe(
                ctx.m, channel, raw, lang, services.consent_text(ctx.m, lang), None
            )
        if channel == "email":
            with _at(moment + timedelta(minutes=7)):
                services.confirm(sub.confirm_token, municipality=ctx.m)
        n += 1
    return n


# --- Digest -------------------------------------------------------------------------------------
def last_complete_quarter(today: date) -> tuple[int, int]:
    q = (today.month - 1) // 3 + 1
    return (today.year, q - 1) if q > 1 else (today.year - 1, 4)


def _digest(ctx: Ctx) -> int:
    from jamaat.digests import services
    from jamaat.digests.models import Digest

    year, quarter = last_complete_quarter(ctx.today)
    if Digest.objects.filter(municipality=ctx.m, year=year, quarter=quarter).exists():
        return 0
    quarter_start = _month_start(ctx.today, (ctx.today.month - 1) % 3)
    composed_on = min(quarter_start + timedelta(days=4), ctx.today)
    with _at(_when(composed_on, 10)):
        digest, _left_out = services.create(ctx.staff, ctx.m, year, quarter)
    groups = _channel(ctx, "whatsapp_group")[:2]
    shared_on = min(composed_on + timedelta(days=1), ctx.today)
    with _at(_when(shared_on, 12)):
        services.record_shares(ctx.staff, digest, groups, shared_on)
    return 1


# --- Printed materials --------------------------------------------------------------------------
BOOKLET = {
    "ky": (
        "Жергиликтүү жамааттын катышуусу",
        "Жергиликтүү маанидеги маселелерди чечүүгө ар бир тургун катыша алат.\n\n"
        "- Жыйындарга жана коомдук угууларга катышыңыз\n"
        "- Кайрылууларды онлайн же кагаз түрүндө жибериңиз\n"
        "- Анкетаны толтуруп, пикириңизди айтыңыз\n\n"
        "Байланыш: {phone}",
    ),
    "ru": (
        "Участие жителей в местном самоуправлении",
        "Каждый житель может участвовать в решении вопросов местного значения.\n\n"
        "- Приходите на сходы и общественные слушания\n"
        "- Подавайте обращения онлайн или на бумаге\n"
        "- Заполняйте анкеты и высказывайте своё мнение\n\n"
        "Контакты: {phone}",
    ),
}


def _printed(ctx: Ctx) -> int:
    from jamaat.news.models import Post
    from jamaat.printed import services
    from jamaat.printed.models import Material, Placement

    boards = _channel(ctx, "info_board")
    quarter_start = _month_start(ctx.today, (ctx.today.month - 1) % 3)
    n = 0
    post = (
        Post.objects.filter(municipality=ctx.m, category__code="waste").exclude(title_ky="").first()
    )
    lang = "ru" if ctx.m.slug == "karakol" else "ky"
    wanted = []
    if post is not None:
        title, text, used = services.from_post(post, lang)
        wanted.append(("poster", used, title, text, post, boards[0], True, 3))
    b_title, b_text = BOOKLET[lang]
    wanted.append(
        ("booklet", lang, b_title, b_text.format(phone=ctx.m.phone), None, boards[-1], False, 9)
    )
    for kind, language, title, text, source, board, photo, offset in wanted:
        if Material.objects.filter(municipality=ctx.m, title=title).exists():
            continue
        placed_on = min(quarter_start + timedelta(days=offset), ctx.today)
        with _at(_when(placed_on, 9)):
            material = Material(
                municipality=ctx.m,
                kind=kind,
                language=language,
                title=title,
                text=text,
                source_post=source,
            )
            services.save_material(ctx.staff, material)
        with _at(_when(placed_on, 15)):
            placement = Placement(
                municipality=ctx.m,
                material=material,
                board=board,
                placed_on=placed_on,
                placed_by=ctx.staff,
            )
            file = _jpeg(ctx.m, f"{board.name}", placed_on, ctx.rng) if photo else None
            services.record_placement(ctx.staff, placement, file)
        n += 1
    return n


# --- Monthly reports ----------------------------------------------------------------------------
def _reports(ctx: Ctx) -> int:
    from jamaat.reports import services
    from jamaat.reports.models import MonthlyReport

    n = 0
    # The report of the month that just ended is the one being worked on (it is due on the 25th
    # of this month): a compiled draft. The three months before it are published.
    for back in (4, 3, 2):
        month = _month_start(ctx.today, back)
        if MonthlyReport.objects.filter(municipality=ctx.m, month=month).exists():
            continue
        compiled_on = _month_start(ctx.today, back - 1) + timedelta(days=19)  # the 20th
        with _at(_when(compiled_on, 6)) as now:
            report = services.compile_draft(ctx.m, month, today=now.date()).report
        published_on = compiled_on + timedelta(days=ctx.rng.randint(1, 4))
        with _at(_when(published_on, 16)) as now:
            services.publish(ctx.head, report, today=now.date())
        n += 1
    month = _month_start(ctx.today, 1)
    if not MonthlyReport.objects.filter(municipality=ctx.m, month=month).exists():
        services.compile_draft(ctx.m, month)
        n += 1
    return n


# --- Meetings -----------------------------------------------------------------------------------
def _formset(cls, meeting, prefix: str, rows: list[dict], **kwargs):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for k, v in row.items():
            data[f"{prefix}-{i}-{k}"] = v
    formset = cls(data, instance=meeting, prefix=prefix, **kwargs)
    if not formset.is_valid():
        raise ValueError(f"demo {prefix}: {formset.errors}")
    return formset


def _meetings(ctx: Ctx) -> int:
    from jamaat.meetings import services
    from jamaat.meetings.forms import AgendaFormSet, DecisionFormSet, SpeakerFormSet
    from jamaat.meetings.models import Meeting

    n = 0
    kw = {"form_kwargs": {"municipality": ctx.m}}
    year = ctx.today.year + 1
    hall_ky, hall_ru = (
        ("мэриянын жыйындар залы", "зал заседаний мэрии")
        if ctx.city
        else ("Кароол айылындагы маданият үйү", "Дом культуры с. Кароол")
    )
    hearing_ky = f"{year}-жылдын жергиликтүү бюджетинин долбоору боюнча коомдук угуу"
    if not Meeting.objects.filter(municipality=ctx.m, title_ky=hearing_ky).exists():
        day = ctx.today - timedelta(days=40)
        meeting = Meeting(
            municipality=ctx.m,
            kind=Meeting.Kind.HEARING,
            title_ky=hearing_ky,
            title_ru=f"Общественные слушания по проекту местного бюджета на {year} год",
            place_ky=hall_ky,
            place_ru=hall_ru,
            contacts=ctx.m.phone,
            starts_at=_when(day, 10),
        )
        agenda = [
            {"text_ky": f"{year}-жылдын бюджетинин долбоору", "text_ru": f"Проект бюджета на {year} год",
             "issues": [str(ctx.issue("budget").pk)]},
            {"text_ky": "Ички жолдорду оңдоого каражат", "text_ru": "Средства на ремонт дорог",
             "issues": [str(ctx.issue("roads").pk)]},
        ]  # fmt: skip
        with _at(_when(day - timedelta(days=14), 11)):
            agenda_fs = _formset(AgendaFormSet, meeting, "agenda", agenda, **kw)
            services.save_meeting(ctx.staff, meeting, agenda_fs)
            services.announce(ctx.staff, meeting)
        total = 260 if ctx.city else 118
        women = int(total * 0.44)
        with _at(_when(day, 18)):
            meeting.refresh_from_db()
            meeting.attendance_total, meeting.women, meeting.men = total, women, total - women
            meeting.age_18_29, meeting.age_30_44 = total // 5, total * 3 // 10
            meeting.age_45_59 = total * 3 // 10
            meeting.age_60_plus = total - meeting.age_18_29 - meeting.age_30_44 - meeting.age_45_59
            meeting.presentation_shown = True
            services.record_attendance(ctx.staff, meeting)
        with _at(_when(day + timedelta(days=1), 11)):
            meeting.refresh_from_db()
            meeting.protocol_number = f"{day.year}-{ctx.rng.randint(3, 9)}"
            meeting.chair = ctx.chair.full_name
            meeting.secretary = ctx.staff.full_name
            meeting.questions_ky = "Ички жолдор, көчө жарыгы, бала бакчадагы орундар."
            meeting.questions_ru = "Внутренние дороги, уличное освещение, места в детском саду."
            speakers = [
                {"name": ctx.head.full_name,
                 "summary_ky": "Бюджеттин долбоорун жана негизги чыгымдарды тааныштырды.",
                 "summary_ru": "Представил проект бюджета и основные статьи расходов."},
                {"name": "Кадыров Нурлан, тургун",
                 "summary_ky": "Ички жолдорго каражатты көбөйтүүнү сунуштады.",
                 "summary_ru": "Предложил увеличить расходы на ремонт внутренних дорог."},
            ]  # fmt: skip
            decisions = [
                {"text_ky": "Бюджеттин долбоору жактырылсын жана кеңешке сунушталсын.",
                 "text_ru": "Одобрить проект бюджета и внести его в кенеш.",
                 "votes_for": str(total - 14), "votes_against": "6", "votes_abstained": "8"},
                {"text_ky": "Жолдорго кошумча 300 000 сом бөлүү сунушу кеңешке жиберилсин.",
                 "text_ru": "Направить в кенеш предложение выделить на дороги ещё 300 000 сом.",
                 "votes_for": str(total - 30), "votes_against": "12", "votes_abstained": "18"},
            ]  # fmt: skip
            services.save_protocol(
                ctx.staff,
                meeting,
                _formset(SpeakerFormSet, meeting, "speakers", speakers),
                _formset(
                    DecisionFormSet,
                    meeting,
                    "decisions",
                    decisions,
                    form_kwargs={"attendance": total},
                ),
            )
        n += 1
    gathering_ky = "Жамааттын жыйыны: кышка даярдык жана таштанды чыгаруу"
    if not Meeting.objects.filter(municipality=ctx.m, title_ky=gathering_ky).exists():
        villages = list(ctx.m.villages.order_by("name_ky"))
        place_ky, place_ru = (
            (f"{villages[1].name_ky} айылындагы мектеп", f"школа с. {villages[1].name_ru}")
            if villages[1:]
            else ("Чыгыш кичи районундагы мектеп", "школа Восточного микрорайона")
        )
        meeting = Meeting(
            municipality=ctx.m,
            kind=Meeting.Kind.GATHERING,
            title_ky=gathering_ky,
            title_ru="Сход жителей: подготовка к зиме и вывоз мусора",
            place_ky=place_ky,
            place_ru=place_ru,
            contacts=ctx.m.phone,
            starts_at=_when(ctx.today + timedelta(days=21), 14),
        )
        agenda = [
            {"text_ky": "Кышка даярдык: көмүр жана жылуулук", "text_ru": "Подготовка к зиме",
             "issues": [str(ctx.issue("social").pk)]},
            {"text_ky": "Таштанды чыгаруунун тарифи", "text_ru": "Тариф на вывоз мусора",
             "issues": [str(ctx.issue("waste").pk)]},
        ]  # fmt: skip
        services.save_meeting(
            ctx.staff, meeting, _formset(AgendaFormSet, meeting, "agenda", agenda, **kw)
        )
        services.announce(ctx.staff, meeting)
        n += 1
    return n


# --- Appeals ------------------------------------------------------------------------------------
# (days ago, kind, channel, issue, language, name, text, outcome, days to answer)
# outcome: answered | overdue | unconsidered | open
APPEALS = [
    (120, "complaint", "paper", "water", "ky", "Токтогулов Эркин",
     "Көчөбүздө үч жумадан бери ичүүчү суу жок. Түтүк жарылып калган.", "answered", 6),
    (104, "request", "online", "lighting", "ru", "Ким Александр",
     "Прошу установить фонарь у автобусной остановки: вечером очень темно.", "answered", 9),
    (90, "proposal", "visit", "greening", "ky", "Сатыбалдиева Гүлмира",
     "Мектептин жанына бак тигүүнү сунуштайм, окуучулар ашарга чыгууга даяр.", "answered", 12),
    (77, "complaint", "phone", "waste", "ru", "Абдурахманов Шерзод",
     "Мусор на нашей улице не вывозили две недели, контейнеры переполнены.", "answered", 4),
    (63, "request", "online", "roads", "ky", "Жээнбеков Азамат",
     "Биздин көчөгө шагыл төгүп берүүңүздөрдү суранабыз, жамгырда өтүү мүмкүн эмес.", "answered", 11),
    (55, "complaint", "online", "other", "ru", "—",
     "Анонимное сообщение с оскорблениями в адрес сотрудников.", "unconsidered", 0),
    (48, "request", "paper", "social", "ky", "Бообекова Айнура",
     "Көп балалуу үй-бүлө катары көмүр алууга жардам сурайм.", "answered", 8),
    (40, "request", "visit", "land", "ru", "Исмаилов Бахтияр",
     "Прошу разъяснить порядок получения земельного участка под строительство дома.", "overdue", 0),
    (33, "proposal", "online", "parks", "ky", "Маматов Тилек",
     "Жаштар үчүн спорт аянтчасын куруу сунушу: жерди тазалоого жардам беребиз.", "answered", 10),
    (21, "complaint", "phone", "pastures", "ky", "Осмонов Кубан",
     "Жайытка бөтөн айылдын малы түшүп жатат, жайыт комитети чара көрсүн.", "answered", 5),
    (9, "request", "online", "schools", "ru", "Петренко Ольга",
     "Когда откроется дополнительная группа в детском саду? Хотим записать ребёнка.", "open", 0),
    (3, "complaint", "paper", "water", "ky", "Эсенова Назгүл",
     "Суу түтүгүнөн суу агып жатат, көчөдө көлчүк пайда болду.", "open", 0),
]  # fmt: skip
APPEAL_PREFIXES = {"karool": "КРЛ", "karakol": "КРК", "uzgen": "ӨЗГ"}
ANSWERS = {
    "ky": "Кайрылууңуз каралды. Маселе боюнча иш жүргүзүлүп, чечилди. Кошумча суроолор болсо, "
    "айыл өкмөтүнө же мэрияга кайрылыңыз.",
    "ru": "Ваше обращение рассмотрено. По вопросу проведены работы, проблема решена. С "
    "дополнительными вопросами обращайтесь в приёмную.",
}


def _appeals(ctx: Ctx) -> int:
    from jamaat.appeals import services
    from jamaat.appeals.models import Appeal, AppealSettings

    # Кароол and Каракол both start with "КАР", the default prefix: give each its own, as the
    # platform admin does in the admin site (numbers are unique across municipalities).
    AppealSettings.objects.get_or_create(
        municipality=ctx.m, defaults={"number_prefix": APPEAL_PREFIXES[ctx.m.slug]}
    )
    villages = list(ctx.m.villages.order_by("name_ky"))
    r = random.Random(f"demo-appeals-{ctx.m.slug}")
    n = 0
    for days, kind, channel, code, lang, name, text, outcome, answer_in in APPEALS:
        phone = f"+996 555 {r.randint(100, 999)} {r.randint(100, 999)}"
        if Appeal.objects.filter(municipality=ctx.m, text=text).exists():
            continue
        moment = _when(ctx.today - timedelta(days=days), 10 + days % 6, 20)
        fields = {
            "kind": kind,
            "channel": channel,
            "category": ctx.issue(code),
            "text": text,
            "village": villages[days % len(villages)] if villages else None,
            "applicant_name": name,
            "phone": "" if outcome == "unconsidered" else phone,
            "language": lang,
        }
        actor = None if channel == "online" else ctx.staff
        with _at(moment):
            appeal = services.register(ctx.m, actor=actor, registered_at=moment, **fields)
        if outcome == "open" and days < 5:
            n += 1
            continue
        with _at(moment + timedelta(hours=3)):
            if outcome == "unconsidered":
                services.set_status(
                    ctx.staff, appeal, Appeal.Status.UNCONSIDERED, Appeal.UnconsideredReason.OBSCENE
                )
            else:
                services.assign(ctx.head, appeal, ctx.staff)
        if outcome == "answered":
            with _at(moment + timedelta(days=answer_in, hours=5)):
                services.answer(ctx.staff, appeal, ANSWERS[lang])
        n += 1
    return n


# --- Sections whose apps are still being finished -----------------------------------------------
def _optional_sections(ctxs: list[Ctx], say) -> None:
    """Apps other engineers are finishing: a missing module skips its section with a note."""
    for name, section in (
        ("initiatives", _initiatives),
        ("acts", _acts),
        ("tos", _tos),
        ("surveys", _surveys),
    ):
        try:
            for ctx in ctxs:
                n = section(ctx)
                if n:
                    say(f"  {ctx.m.slug}: {name} +{n}")
        except ImportError as exc:
            print(f"Demo: skipped the {name} section ({exc}).")  # noqa: T201


DEPUTIES = [
    ("Жумабеков Нурбек Асанович", 3, "+996 555 31-42-07"),
    ("Садырова Айзат Бакытовна", 7, "+996 700 18-64-22"),
]
MANDATES = [
    (0, "water", "Көчөбүзгө ичүүчү суу түтүгүн тартып берүү.", 150),
    (0, "lighting", "Мектепке баруучу жолго көчө жарыгын орнотуу.", 140),
    (1, "waste", "Таштанды чыгаруу графигин жана тарифин ачык жарыялоо.", 130),
    (1, "parks", "Балдар аянтчасын оңдоо.", 60),
]
DEMO_ACTS = [
    (
        "waste",
        "Катуу тиричилик калдыктарын чыгаруунун тарифтери жөнүндө",
        "О тарифах на вывоз твёрдых бытовых отходов",
        (1, 2),
        95,
    ),
    (
        "lighting",
        "Көчө жарыгын күтүү жана оңдоо тартиби жөнүндө",
        "О порядке содержания и ремонта уличного освещения",
        (0, 1),
        35,
    ),
]


def _acts(ctx: Ctx) -> int:
    from jamaat.acts import services
    from jamaat.acts.models import Deputy, LegalAct, Mandate

    n = 0
    deputies = []
    for i, (name, district, phone) in enumerate(DEPUTIES):
        deputy = Deputy.objects.filter(municipality=ctx.m, full_name=name).first()
        if deputy is None:
            deputy = Deputy(
                municipality=ctx.m,
                full_name=name,
                district_number=district,
                term_from=2024,
                term_to=2028,
                phone=phone,
                reception_ky=f"Ар бейшемби, 14:00–17:00, {'мэрия' if ctx.city else 'айыл өкмөтү'}",
                reception_ru=f"По четвергам, 14:00–17:00, {'мэрия' if ctx.city else 'айыл окмоту'}",
            )
            with _at(_when(ctx.today - timedelta(days=200 - i), 10)):
                services.save_deputy(ctx.staff, deputy)
            n += 1
        deputies.append(deputy)
    mandates = []
    for who, code, text, days in MANDATES:
        mandate = Mandate.objects.filter(municipality=ctx.m, text=text).first()
        if mandate is None:
            mandate = Mandate(
                municipality=ctx.m,
                deputy=deputies[who],
                received_via=Mandate.Via.MEETING,
                received_on=ctx.today - timedelta(days=days),
                submitted_by="Тургундардын жыйыны / сход жителей",
                text=text,
                category=ctx.issue(code),
            )
            with _at(_when(ctx.today - timedelta(days=days), 16)):
                services.save_mandate(ctx.staff, mandate)
            n += 1
        mandates.append(mandate)
    for i, (code, title_ky, title_ru, linked, days) in enumerate(DEMO_ACTS):
        if LegalAct.objects.filter(municipality=ctx.m, title_ky=title_ky).exists():
            continue
        adopted = ctx.today - timedelta(days=days)
        act = LegalAct(
            municipality=ctx.m, title_ky=title_ky, title_ru=title_ru, category=ctx.issue(code)
        )
        with _at(_when(adopted - timedelta(days=40), 10)):
            services.save_act(ctx.staff, act, [mandates[j] for j in linked])
            services.take_step(
                ctx.staff,
                act,
                LegalAct.Status.INITIATED,
                {
                    "initiator_kind": LegalAct.Initiator.DEPUTY,
                    "initiator_deputy": deputies[i],
                    "initiated_on": adopted - timedelta(days=40),
                },
            )
        with _at(_when(adopted - timedelta(days=30), 10)):
            services.take_step(
                ctx.staff,
                act,
                LegalAct.Status.DISCUSSION,
                {
                    "discussion_from": adopted - timedelta(days=30),
                    "discussion_to": adopted - timedelta(days=10),
                },
            )
        with _at(_when(adopted, 15)):
            services.take_step(
                ctx.staff,
                act,
                LegalAct.Status.ADOPTED,
                {"number": f"{adopted.year}-{12 + i * 5}", "adopted_on": adopted},
                pdf=_pdf(ctx.m, title_ky, adopted),
            )
        n += 1
    return n


# (title, description, issue, cost, submitter, channel, days ago, steps)
DEMO_INITIATIVES = [
    ("Көчөгө жарык орнотуу", "Мектепке баруучу 600 м көчөгө 12 чырак орнотуу.", "lighting",
     180000, "Асанова Жамила", "paper", 170, ["under_review", "supported", "funded",
                                                "in_progress", "implemented"]),
    ("Булакты тазалоо жана тосмо коюу", "Айылдын булагын тазалап, тосмо менен коргоо.",
     "water", 95000, "Токтобаев Бакыт", "online", 110, ["under_review", "supported", "funded",
                                                          "in_progress"]),
    ("Спорт аянтчасы", "Жаштар үчүн футбол жана волейбол аянтчасы.", "parks", 420000,
     "Эргешев Замир", "online", 12, ["under_review"]),
]  # fmt: skip


def _initiatives(ctx: Ctx) -> int:
    from decimal import Decimal

    from jamaat.initiatives import services
    from jamaat.initiatives.models import Initiative

    villages = list(ctx.m.villages.order_by("name_ky"))
    n = 0
    for i, (title, text, code, cost, name, channel, days, steps) in enumerate(DEMO_INITIATIVES):
        if Initiative.objects.filter(municipality=ctx.m, title=title).exists():
            continue
        day = ctx.today - timedelta(days=days)
        data = {
            "title": title,
            "description": text,
            "category": ctx.issue(code),
            "village": villages[i % len(villages)] if villages else None,
            "estimated_cost": Decimal(cost),
            "submitter_name": name,
            "phone": f"+996 555 4{i}-1{i}-2{i}",
        }
        online = channel == "online"
        with _at(_when(day, 12)):
            initiative = services.submit(
                ctx.m,
                data,
                channel=channel,
                language="ky",
                consent_text=services.submission_consent_text(ctx.m, "ky") if online else "",
                actor=None if online else ctx.staff,
                submitted_on=day,
            )
        for j, to in enumerate(steps, start=1):
            step_day = min(day + timedelta(days=j * (days // (len(steps) + 1))), ctx.today)
            fields = {
                "supported": {
                    "decision_kind": Initiative.DecisionKind.values[0],
                    "decision_number": f"{step_day.year}-{20 + i}",
                    "decision_date": step_day,
                },
                "funded": {
                    "budget_kgs": Decimal(cost) * 8 / 10,
                    "cofinancing_kgs": Decimal(cost) / 5,
                },
                "in_progress": {"progress": 40},
                "implemented": {"implemented_on": step_day},
            }.get(to, {})
            with _at(_when(step_day, 15)):
                services.transition(ctx.head, initiative, to, **fields)
        n += 1
    return n


SURVEY_RESPONSES = 30


def _surveys(ctx: Ctx) -> int:
    from jamaat.surveys import services
    from jamaat.surveys.models import Question, Questionnaire, Round

    if Questionnaire.objects.filter(municipality=ctx.m).exists():
        return 0
    if not ctx.m.villages.exists():
        # The template's "village" question is required and lists the municipality's villages;
        # a city without villages could not answer it, so its survey is left to be set up.
        return 0
    T = Question.Type
    opened = ctx.today - timedelta(days=20)
    with _at(_when(opened - timedelta(days=2), 10)):
        questionnaire = services.create_from_template(ctx.staff, ctx.m)
        services.publish(ctx.staff, questionnaire)
    round_ = Round.objects.create(
        municipality=ctx.m,
        questionnaire=questionnaire,
        name=f"{ctx.today.year}: күз / осень",
        opens_at=_when(opened, 8),
        closes_at=_when(ctx.today + timedelta(days=10), 20),
    )
    version = questionnaire.current_version()
    questions = list(version.ordered_questions())
    villages = [str(pk) for pk in ctx.m.villages.values_list("pk", flat=True)]
    r = random.Random(f"demo-survey-{ctx.m.slug}")
    n = 0
    for i in range(SURVEY_RESPONSES):
        answers: dict = {}
        for q in questions:
            options = [code for code, _label in services.fixed_options(q)]
            if q.type == T.MULTIPLE and options:
                answers[q.code] = r.sample(options, min(len(options), r.randint(1, 2)))
            elif q.type == T.RATING:
                answers[q.code] = str(r.choice([2, 3, 3, 4, 4, 4, 5]))
            elif options:
                answers[q.code] = r.choice(options)
            elif q.type == T.MATRIX:
                answers[q.code] = {row["code"]: str(r.randint(2, 5)) for row in q.rows}
            elif q.type == T.VILLAGE and villages:
                answers[q.code] = r.choice(villages)
            elif q.type == T.NUMBER and q.required:
                answers[q.code] = "1"
            elif q.type in (T.TEXT, T.LONG_TEXT) and q.required:
                answers[q.code] = "Жолдорду оңдоо керек."
        moment = _when(opened + timedelta(days=i * 19 // SURVEY_RESPONSES), 9 + i % 12, i % 60)
        services.submit_response(
            version,
            answers,
            round=round_,
            language="ky" if i % 3 else "ru",
            now=min(moment, timezone.now()),
            questions=questions,
        )
        n += 1
    return n


def _tos(ctx: Ctx) -> int:
    from decimal import Decimal

    from jamaat.tos import services
    from jamaat.tos.models import TosBody, TosProject

    name_ky = "Ынтымак"
    if TosBody.objects.filter(municipality=ctx.m, name_ky=name_ky).exists():
        return 0
    villages = list(ctx.m.villages.order_by("name_ky"))[:1]
    body = TosBody(
        municipality=ctx.m,
        name_ky=name_ky,
        name_ru="Ынтымак",
        territory_ky=f"{villages[0].name_ky} айылы" if villages else "Чыгыш кичи району",
        territory_ru=f"с. {villages[0].name_ru}" if villages else "Восточный микрорайон",
        leader_name="Мамытов Алмаз Токтосунович",
        leader_phone="+996 555 27-81-40",
        members_count=64,
        registered_on=date(2024, 3, 12),
        registration_number=f"ТОС-{ctx.m.slug[:3].upper()}-07",
    )
    start = ctx.today - timedelta(days=50)
    with _at(_when(start - timedelta(days=30), 11)):
        services.save_body(ctx.staff, body, villages)
        project = TosProject(
            municipality=ctx.m,
            tos=body,
            title_ky="Балдар аянтчасын куруу",
            title_ru="Строительство детской площадки",
            description_ky="Тургундар жер даярдап, орнотууга катышат.",
            description_ru="Жители готовят площадку и помогают с установкой.",
            category=ctx.issue("parks"),
            local_budget_kgs=Decimal(240000 if ctx.city else 80000),
            own_contribution_kgs=Decimal(25000),
            own_contribution_in_kind_ky="эмгек жана курулуш материалдары",
            own_contribution_in_kind_ru="труд и стройматериалы",
            planned_start=start,
        )
        services.save_project(ctx.staff, project)
    with _at(_when(start, 9)):
        services.take_step(ctx.staff, project, TosProject.Status.IN_PROGRESS, {"started_on": start})
    return 2


def _pdf(m: Municipality, title: str, day: date) -> CleanFile:
    """A one-page placeholder "signed text" (Pillow writes PDF as well as JPEG)."""
    image = _jpeg(m, title, day, random.Random(title))
    from PIL import Image

    out = io.BytesIO()
    Image.open(io.BytesIO(image.content)).save(out, "PDF")
    return CleanFile(f"{m.slug}-{day:%Y%m%d}-toktom.pdf", out.getvalue(), "application/pdf")


# --- Photos -------------------------------------------------------------------------------------
def _jpeg(m: Municipality, caption: str, day: date, rng: random.Random) -> CleanFile:
    from PIL import Image, ImageDraw, ImageFont

    from jamaat.demo.seed import COLOURS, FONT

    colour = rng.choice(COLOURS)
    image = Image.new("RGB", (960, 640), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((24, 24, 936, 616), outline=(255, 255, 255), width=4)
    try:
        big, small = ImageFont.truetype(str(FONT), 44), ImageFont.truetype(str(FONT), 26)
    except OSError:
        big = small = ImageFont.load_default()
    draw.text((56, 70), f"{m.name_ky} / {m.name_ru}", fill="white", font=big)
    draw.text((56, 170), caption[:60], fill="white", font=small)
    draw.text((56, 215), day.strftime("%d.%m.%Y"), fill="white", font=small)
    draw.text((56, 560), "DEMO", fill="white", font=small)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return CleanFile(
        f"{m.slug}-{day:%Y%m%d}-{rng.randint(100, 999)}.jpg", out.getvalue(), "image/jpeg"
    )

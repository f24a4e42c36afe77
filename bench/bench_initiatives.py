"""Benchmark: the public local-initiatives pages and API with 1,000 initiatives.

Run by hand, never in CI:

    python bench/bench_initiatives.py                 # SQLite in a temporary directory
    python bench/bench_initiatives.py --db postgres   # creates and drops database `jamaat_bench`
    python bench/bench_initiatives.py --runs 5        # quicker

It prints figures (min / median / p95 in ms, query counts, response size) and never asserts on
timings. Everything it writes lives in a throwaway database and a temporary directory. The
environment, the measuring and the table come from bench/bench_plan.py.

Data: "karool" has 1,000 initiatives spread over the seven statuses, five villages and the
sixteen local issues, each with the history of its path (submitted → … → its status, about
3,500 status changes in all), decisions and funding where reached, two milestones per
initiative in progress or implemented, and online/paper support counts. One implemented
initiative ("the showcase") went through the real services: milestones with three photos
each, paper support with a scan. "small" has the same mix with 10 initiatives: its query
counts are compared with karool's, since they must not grow with the data.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_plan import (  # noqa: E402  (the path above first)
    configure_environment,
    db_description,
    get_fn,
    make_municipality,
    measure,
    pg_admin,
    print_table,
    repeated_statements,
    row,
)

N_LARGE = 1000
N_SMALL = 10

TITLES_KY = [
    "Көчө жарыгын орнотуу", "Суу түтүгүн алмаштыруу", "Балдар аянтчасы", "Көпүрөнү оңдоо",
    "Таштанды контейнерлери", "Мектептин чатырын оңдоо", "Спорт аянтчасы", "Аялдаманы куруу",
]  # fmt: skip
TITLES_RU = [
    "Ремонт водопровода", "Освещение улицы", "Детская площадка", "Ремонт моста",
    "Контейнеры для мусора", "Ремонт крыши школы", "Спортивная площадка", "Навес на остановке",
]  # fmt: skip
DESCRIPTION = (
    "Көчөдө түнкүсүн караңгы, балдар мектептен кеч келишет. 12 чырак жана 400 метр зым керек. "
    "Жашоочулар мамыларды орнотууга жумуш күчү менен жардам беришет. / На улице темно, дети "
    "возвращаются из школы поздно. Нужно 12 светильников и 400 м кабеля; жители помогут "
    "установить опоры."
)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--runs", type=int, default=20, help="timed runs per measurement")
    return parser.parse_args(argv)


# ------------------------------------------------------------------------------------ data


def build(municipality, n: int, staff) -> None:
    """`n` initiatives with histories, decisions, funding, milestones and support counts."""
    from django.db import transaction
    from django.utils import timezone

    from jamaat.initiatives.models import (
        PATH,
        Initiative,
        Milestone,
        Status,
        StatusChange,
        new_tracking_code,
    )
    from jamaat.municipalities.models import LocalIssue

    villages = list(municipality.villages.all())
    issues = list(LocalIssue.objects.filter(municipality=municipality))
    statuses = [*PATH, Status.REJECTED]
    now = timezone.now()
    today = timezone.localdate()
    rows = []
    for k in range(n):
        status = statuses[k % len(statuses)]
        reached = PATH.index(status) if status in PATH else 1
        lang = "ru" if k % 3 == 0 else "ky"
        title = (TITLES_RU if lang == "ru" else TITLES_KY)[k % 8] + f" № {k + 1}"
        rows.append(
            Initiative(
                municipality=municipality,
                language=lang,
                title=title,
                description=DESCRIPTION,
                title_other=(TITLES_KY if lang == "ru" else TITLES_RU)[k % 8] if k % 2 else "",
                village=villages[k % len(villages)],
                category=issues[k % len(issues)],
                estimated_cost=Decimal(50_000 + 1_000 * (k % 300)),
                submitter_name="Асанова Гүлнара Төлөгөновна",
                phone=f"+996555{k:06d}",
                group_name="Жаштар тобу" if k % 4 == 0 else "",
                publish_name=k % 2 == 0,
                channel="paper" if k % 5 == 0 else "online",
                consent_text="bench",
                consent_at=now,
                tracking_code=new_tracking_code(),
                is_public=k % 50 != 49,
                status=status,
                status_changed_at=now - timedelta(hours=k),
                received_on=today - timedelta(days=k % 300),
                decision_kind="council" if reached >= 2 else "",
                decision_number=f"{k}-2" if reached >= 2 else "",
                decision_date=today - timedelta(days=30) if reached >= 2 else None,
                budget_kgs=Decimal(40_000) if reached >= 3 else None,
                cofinancing_kgs=Decimal(10_000) if reached >= 3 else None,
                progress=100 if status == Status.IMPLEMENTED else (k * 7) % 99,
                implemented_on=today - timedelta(days=k % 200)
                if status == Status.IMPLEMENTED
                else None,
                rejection_reason="Маселе жергиликтүү маанидеги эмес."
                if reached == 1 and status == Status.REJECTED
                else "",
                support_online=k % 40,
                support_paper=(k % 7) * 5,
            )
        )
    with transaction.atomic():
        Initiative.objects.bulk_create(rows, batch_size=500)
        changes, milestones = [], []
        for i in Initiative.objects.filter(municipality=municipality).only("pk", "status"):
            path = list(PATH[: PATH.index(i.status) + 1]) if i.status in PATH else [
                Status.SUBMITTED, Status.UNDER_REVIEW, Status.REJECTED
            ]  # fmt: skip
            prev = ""
            for step, to in enumerate(path):
                changes.append(
                    StatusChange(
                        municipality=municipality,
                        initiative_id=i.pk,
                        at=now - timedelta(days=len(path) - step),
                        actor=staff if step else None,
                        from_status=prev,
                        to_status=to,
                        note="Комиссиянын корутундусу боюнча." if step == 2 else "",
                    )
                )
                prev = to
            if i.status in (Status.IN_PROGRESS, Status.IMPLEMENTED):
                for d in (20, 10):
                    milestones.append(
                        Milestone(
                            municipality=municipality,
                            initiative_id=i.pk,
                            happened_on=today - timedelta(days=d),
                            text_ky="Материалдар сатылып алынды, иш башталды.",
                            text_ru="Материалы закуплены, работы начаты.",
                            progress=50 if d == 20 else 80,
                        )
                    )
        StatusChange.objects.bulk_create(changes, batch_size=1000)
        Milestone.objects.bulk_create(milestones, batch_size=1000)


def showcase(municipality, staff) -> int:
    """One implemented initiative through the real services, with photos and a paper scan."""
    import io

    from django.utils import timezone
    from PIL import Image

    from jamaat.core.uploads import CleanFile
    from jamaat.initiatives import services
    from jamaat.initiatives.models import Status

    def photo(color):
        buf = io.BytesIO()
        Image.new("RGB", (1600, 1066), color).save(buf, "JPEG", quality=80)
        return CleanFile("photo.jpg", buf.getvalue(), "image/jpeg")

    today = timezone.localdate()
    i = services.submit(
        municipality,
        {
            "title": "Борбордук көчөгө жарык", "description": DESCRIPTION,
            "village": municipality.villages.first(), "category": None,
            "estimated_cost": Decimal(95_000), "submitter_name": "Жээнбекова Гүлзат",
            "phone": "0555 12 34 56", "group_name": "Аялдар кеңеши", "publish_name": True,
        },
        channel="online", language="ky", consent_text="bench",
    )  # fmt: skip
    services.transition(staff, i, Status.UNDER_REVIEW)
    services.transition(
        staff, i, Status.SUPPORTED, decision_kind="council", decision_number="14-2",
        decision_date=today - timedelta(days=40),
    )  # fmt: skip
    services.transition(
        staff, i, Status.FUNDED, budget_kgs=Decimal(76_000), cofinancing_kgs=Decimal(19_000)
    )
    services.transition(staff, i, Status.IN_PROGRESS, progress=10)
    for d, colors in ((20, [(40, 120, 200)] * 3), (5, [(60, 160, 90)] * 3)):
        services.add_milestone(
            staff, i, today - timedelta(days=d), "Мамылар орнотулду", "Опоры установлены",
            60 if d == 20 else 90, [photo(c) for c in colors],
        )  # fmt: skip
    services.add_paper_support(
        staff, i, 37, today, "Жыйында", [CleanFile("s.pdf", b"%PDF-1.4 bench", "application/pdf")]
    )
    services.transition(staff, i, Status.IMPLEMENTED, implemented_on=today)
    return i.pk


def make_staff(municipality):
    from jamaat.core.models import User
    from jamaat.municipalities.models import Membership

    user = User.objects.create_user(
        username=f"staff_{municipality.slug}",
        password="Bench-password-2025",
        full_name="Токтогулова Айгүл Жеңишбековна",
    )
    Membership.objects.create(user=user, municipality=municipality, role="staff")
    return user


# ------------------------------------------------------------------------------------ main


def run(args) -> None:
    import django
    from django.core.management import call_command
    from django.test import Client

    from jamaat.initiatives.models import Initiative, Milestone, StatusChange

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    t_migrate = time.perf_counter() - t0

    t0 = time.perf_counter()
    large = make_municipality("karool", "Кароол", "Кароол", "aiyl_aimak", 17_000)
    small = make_municipality("small", "Кичи-Айыл", "Кичи-Айыл", "aiyl_aimak", 3_000)
    staff = {m.slug: make_staff(m) for m in (large, small)}
    for m in (large, small):
        from jamaat.municipalities.models import Village

        for k in range(2):
            Village.objects.create(
                municipality=m, name_ky=f"{m.name_ky} жаңы-{k}", name_ru=f"{m.name_ru} новый-{k}"
            )
    build(large, N_LARGE - 1, staff["karool"])
    build(small, N_SMALL - 1, staff["small"])
    show_large = showcase(large, staff["karool"])
    show_small = showcase(small, staff["small"])
    t_build = time.perf_counter() - t0

    print(
        f"Jamaat initiatives bench · {db_description()} · Django {django.get_version()} · "
        f"Python {sys.version.split()[0]} · runs={args.runs}"
    )
    print(f"migrate + collectstatic {t_migrate:.1f} s · build {t_build:.1f} s")
    for m in (large, small):
        qs = Initiative.objects.filter(municipality=m)
        print(
            f"  {m.slug:<7} {qs.count()} initiatives ({qs.filter(is_public=True).count()} public), "
            f"{StatusChange.objects.filter(municipality=m).count()} status changes, "
            f"{Milestone.objects.filter(municipality=m).count()} milestones"
        )
    print()

    village = large.villages.order_by("pk").first()
    pages = {
        "list": "/{slug}/initiatives/",
        "list page 10": "/{slug}/initiatives/?page=10",
        "list implemented": "/{slug}/initiatives/?status=implemented",
        "list village": "/{slug}/initiatives/?village={village}",
        "detail (showcase)": "/{slug}/initiatives/{show}/",
        "home": "/{slug}/",
        "api": "/api/v1/municipalities/{slug}/initiatives/",
        "api limit=200": "/api/v1/municipalities/{slug}/initiatives/?limit=200",
        "staff queue (all)": "/{slug}/manage/initiatives/?status=all",
    }

    def url(name, m, show, village_pk):
        return pages[name].format(slug=m.slug, show=show, village=village_pk)

    anonymous = Client()
    staff_client = Client()
    staff_client.force_login(staff["karool"])
    results = [measure("GET /healthz (baseline)", get_fn(anonymous, "/healthz"), args.runs)]
    per_page = {}
    for name in pages:
        client = staff_client if name.startswith("staff") else anonymous
        u = url(name, large, show_large, village.pk)
        per_page[name] = measure(f"GET {name}", get_fn(client, u), args.runs)
        results.append(per_page[name])
    print(f"Timings: municipality karool, {N_LARGE} initiatives; anonymous except the staff queue")
    print("  cold = first call, not in the stats; KiB = response size")
    print_table(results)
    print()

    small_village = small.villages.order_by("pk").first()
    small_staff = Client()
    small_staff.force_login(staff["small"])
    print(f"Query counts: {N_LARGE} initiatives vs {N_SMALL}")
    print(row(("page", str(N_LARGE), str(N_SMALL), ""), (24, 6, 6, 0)))
    flagged = []
    for name, full in per_page.items():
        client = small_staff if name.startswith("staff") else Client()
        other = measure(name, get_fn(client, url(name, small, show_small, small_village.pk)), 1)
        mark = "same" if other.query_text == full.query_text else "DIFFERS"
        print(row((name, full.query_text, other.query_text, mark), (24, 6, 6, 0)))
        for label, res in ((str(N_LARGE), full), (str(N_SMALL), other)):
            for n, statement in repeated_statements(res.sql):
                flagged.append(f"{name} ({label}): {n}x  {statement[:160]}")
    if flagged:
        print("Statements repeated 3+ times in one request (N+1 suspects):")
        for line in flagged:
            print(f"  {line}")
    print()
    data = anonymous.get(url("api limit=200", large, show_large, village.pk)).json()
    published = dict(
        Initiative.objects.filter(pk__in=[i["id"] for i in data]).values_list("pk", "publish_name")
    )
    wrong = [i["id"] for i in data if (i["submitted_by"] is not None) != published[i["id"]]]
    phones = "+996" in str(data)
    print(
        f"API privacy: {len(data)} initiatives, {sum(published.values())} with a published name; "
        + (
            "no phone numbers; names only where published"
            if not (wrong or phones)
            else f"LEAK: phones={phones}, names={wrong[:5]}"
        )
    )


def main(argv=None) -> int:
    args = parse_args(argv)
    data_dir = Path(tempfile.mkdtemp(prefix="jamaat-bench-"))
    configure_environment(args.db, data_dir)
    if args.db == "postgres":
        pg_admin("DROP DATABASE IF EXISTS {db} WITH (FORCE)")
        pg_admin("CREATE DATABASE {db}")
    started = time.perf_counter()
    try:
        import django

        django.setup()
        run(args)
    finally:
        from django.db import connections

        connections.close_all()
        if args.db == "postgres":
            pg_admin("DROP DATABASE IF EXISTS {db} WITH (FORCE)")
        shutil.rmtree(data_dir, ignore_errors=True)
    print(f"\nTotal {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: generating a meeting's protocol (DOCX and PDF, ky and ru), poster and sign-in sheet.

Run by hand, never in CI:

    python bench/bench_protocol.py              # SQLite in a temporary directory
    python bench/bench_protocol.py --runs 5     # quicker

It prints figures (min / median / p95 in ms and the number of SQL queries) and never asserts on
timings. Everything it writes lives in a throwaway database and a temporary directory.

Data: one municipality ("karool") with a held public hearing carrying a full protocol — 8 agenda
items tagged with local issues, 12 speakers, 10 decisions with votes, attendance with the sex and
age breakdowns and a quorum rule — and a minimal held meeting (1 agenda item, no speakers, no
decisions): the query counts of the two must be the same, since they must not grow with the data.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="timed runs per measurement")
    return parser.parse_args(argv)


def configure_environment(data_dir: Path) -> None:
    for name in ("DATABASE_URL", "SQLITE_PATH", "MEDIA_ROOT", "STATIC_ROOT", "REDIS_URL",
                 "S3_BUCKET", "JAMAAT_DEMO", "JAMAAT_TESTING"):  # fmt: skip
        os.environ.pop(name, None)
    os.environ["JAMAAT_DATA_DIR"] = str(data_dir)
    os.environ["SECRET_KEY"] = "bench"
    os.environ["DEBUG"] = "0"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    os.environ["DJANGO_SETTINGS_MODULE"] = "jamaat.settings"


SPEECH_KY = (
    "Айылдагы ичүүчү суу түтүгүнүн абалы жөнүндө айтып, быйылкы бюджеттен оңдоого каражат "
    "бөлүүнү, ошондой эле жашоочулардын өз салымын уюштурууну сунуштады."
)
SPEECH_RU = (
    "Рассказал о состоянии водопровода в селе и предложил выделить средства на ремонт из "
    "бюджета этого года, а также организовать вклад жителей."
)


def build():
    from django.db import transaction
    from django.utils import timezone

    from jamaat.meetings.models import (
        AgendaItem,
        Decision,
        Meeting,
        MeetingSettings,
        Speaker,
    )
    from jamaat.municipalities.models import LocalIssue, Municipality, Village

    with transaction.atomic():
        m = Municipality.objects.create(
            slug="karool", name_ky="Кароол", name_ru="Кароол", name_en="Karool",
            kind="aiyl_aimak", oblast_ky="Ош", oblast_ru="Ош", district_ky="Өзгөн",
            district_ru="Узген", population=17000, population_year=2021,
            phone="+996 3233 5 00 00", address_ky="Борбордук көчө, 1",
            address_ru="ул. Центральная, 1",
        )  # fmt: skip
        LocalIssue.ensure_defaults(m)
        villages = [
            Village.objects.create(municipality=m, name_ky=f"Кароол-{i}", name_ru=f"Кароол-{i}")
            for i in range(1, 5)
        ]
        s = MeetingSettings.for_municipality(m)
        s.quorum_rule, s.quorum_percent, s.quorum_base = "voters_share", 10, 9000
        s.save()
        issues = list(LocalIssue.objects.filter(municipality=m))
        start = timezone.now() - timedelta(days=3)
        full = Meeting.objects.create(
            municipality=m, kind="hearing", status="held", starts_at=start,
            title_ky="2027-жылдын жергиликтүү бюджетинин долбоору боюнча коомдук угуу",
            title_ru="Общественные слушания по проекту местного бюджета на 2027 год",
            place_ky="Айыл өкмөтүнүн жыйындар залы", place_ru="Актовый зал айыл окмоту",
            attendance_total=240, women=130, men=110, age_18_29=40, age_30_44=80,
            age_45_59=70, age_60_plus=50, chair="Токтогулов Бакыт Асанович",
            secretary="Осмонова Айгүл Жеңишбековна", protocol_number="12",
            questions_ky="Көчө жарыгы качан оңдолот?\nТаштанды ким чыгарат?",
            questions_ru="Когда починят уличное освещение?\nКто будет вывозить мусор?",
        )  # fmt: skip
        full.villages.set(villages)
        for i in range(8):
            item = AgendaItem.objects.create(
                meeting=full, order=i, text_ky=f"{i + 1}-маселе: {SPEECH_KY[:80]}",
                text_ru=f"Вопрос {i + 1}: {SPEECH_RU[:80]}",
            )  # fmt: skip
            item.issues.set(issues[i % len(issues) : i % len(issues) + 2])
        for i in range(12):
            Speaker.objects.create(
                meeting=full, order=i, name=f"Сүйлөөчү Үмүт {i + 1}",
                summary_ky=SPEECH_KY, summary_ru=SPEECH_RU,
            )  # fmt: skip
        for i in range(10):
            Decision.objects.create(
                meeting=full, order=i, text_ky=f"{i + 1}. {SPEECH_KY}", text_ru=f"{i + 1}. {SPEECH_RU}",
                votes_for=200 - i, votes_against=20 + i, votes_abstained=10,
            )  # fmt: skip
        small = Meeting.objects.create(
            municipality=m, kind="gathering", status="held", starts_at=start,
            title_ky="Айылдык жыйын", place_ky="Мектеп", attendance_total=40,
        )  # fmt: skip
        AgendaItem.objects.create(meeting=small, order=1, text_ky="Жайыттар")
    return m, full, small


def measure(fn, runs: int):
    """Cold call (with its query count), then `runs` timed calls.

    Queries are counted with an execute wrapper: a test-client request resets Django's query
    log when it starts, so CaptureQueriesContext would see none."""
    from django.db import connection

    count = 0

    def counter(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        start = time.perf_counter()
        size = len(fn())
        cold = (time.perf_counter() - start) * 1000
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return cold, times, p95, count, size


def run(args) -> None:
    import django
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    from jamaat.meetings import documents

    municipality, full, small = build()

    def gen(pk, kind, lang, fmt="pdf"):
        def fn():
            meeting = documents.load_meeting(pk)
            if kind == "protocol":
                return documents.protocol_file(meeting, lang, fmt)[0]
            if kind == "poster":
                return documents.poster_pdf(meeting, lang)
            return documents.sign_in_pdf(meeting, lang)

        return fn

    client = Client()

    def get(url):
        def fn():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response.content

        return fn

    print(
        f"Jamaat bench_protocol · Django {django.get_version()} · Python {sys.version.split()[0]}"
        f" · runs={args.runs} · {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}"
    )
    print("full: 8 agenda items, 12 speakers, 10 decisions; small: 1 agenda item, nothing else")
    print(
        "cold = first call in the process (typst font loading, python-docx template), not in stats"
    )
    heads = ("measurement", "cold ms", "min ms", "med ms", "p95 ms", "queries", "KiB")
    widths = (38, 8, 7, 7, 7, 8, 6)
    print(
        "  ".join(
            h.ljust(w) if i == 0 else h.rjust(w)
            for i, (h, w) in enumerate(zip(heads, widths, strict=True))
        )
    )
    print("-" * (sum(widths) + 2 * (len(widths) - 1)))
    rows = []
    for label, pk in (("full", full.pk), ("small", small.pk)):
        for fmt in ("docx", "pdf"):
            for lang in ("ky", "ru"):
                rows.append((f"protocol {fmt} {lang} ({label})", gen(pk, "protocol", lang, fmt)))
    rows += [
        ("poster pdf ky (full)", gen(full.pk, "poster", "ky")),
        ("sign-in sheet pdf ky, 40 rows (full)", gen(full.pk, "signin", "ky")),
        ("GET public protocol-ru.pdf (full)", get(f"/karool/meetings/{full.pk}/protocol-ru.pdf")),
        ("GET /karool/meetings/", get("/karool/meetings/")),
        ("GET api …/meetings/", get("/api/v1/municipalities/karool/meetings/")),
    ]
    queries = {}
    for label, fn in rows:
        cold, times, p95, n, size = measure(fn, args.runs)
        queries[label] = n
        cells = (label, f"{cold:.0f}", f"{times[0]:.1f}", f"{statistics.median(times):.1f}",
                 f"{p95:.1f}", str(n), f"{size / 1024:.0f}")  # fmt: skip
        print(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(cells, widths, strict=True))
            )
        )
    same = all(
        queries[f"protocol {fmt} {lang} (full)"] == queries[f"protocol {fmt} {lang} (small)"]
        for fmt in ("docx", "pdf")
        for lang in ("ky", "ru")
    )
    print()
    print("Query counts full vs small: " + ("same" if same else "DIFFER (grows with the data)"))


def main(argv=None) -> int:
    args = parse_args(argv)
    data_dir = Path(tempfile.mkdtemp(prefix="jamaat-bench-protocol-"))
    configure_environment(data_dir)
    started = time.perf_counter()
    try:
        import django

        django.setup()
        run(args)
    finally:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(data_dir, ignore_errors=True)
    print(f"\nTotal {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

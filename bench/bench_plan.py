"""Benchmark: plan export and the internal pages with four years of data.

Run by hand, never in CI:

    python bench/bench_plan.py                 # SQLite in a temporary directory
    python bench/bench_plan.py --db postgres   # creates and drops database `jamaat_bench`
    python bench/bench_plan.py --runs 5        # quicker

It prints figures (min / median / p95 in ms, query counts, peak memory) and never asserts on
timings. Everything it writes lives in a throwaway database and a temporary directory.

Data: three municipalities with the model plan 2025–2028 adopted, every blank filled, budgets set,
responsible persons named and the plan approved. Two of them ("karool", "tokmok") carry FOUR
YEARS of evidence: every occurrence of the whole period is marked done with text, links and
indicator values, through `jamaat.plans.services.record_evidence`. The service refuses dates after
today, so during the build phase only `django.utils.timezone.localdate` is patched to return
2029-03-31 (the last date the plan period accepts) and each evidence is dated on its occurrence's
due date. The third ("empty") has no evidence at all: its query counts are compared with the full
one's, since they must not grow with the data.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from unittest import mock

PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = "jamaat_bench"
PG_BENCH_URL = f"postgres://postgres@127.0.0.1:5432/{PG_BENCH_DB}"
BUILD_TODAY = date(2029, 3, 31)  # what "today" is while the evidence is recorded
EXPORT_LANGS = ("ky", "ru")
EXPORT_FORMATS = ("pdf", "docx", "xlsx")


# ------------------------------------------------------------------------------ environment


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--runs", type=int, default=20, help="timed runs per measurement")
    return parser.parse_args(argv)


def configure_environment(db: str, data_dir: Path) -> None:
    """Point Django at a throwaway database and directory, before `django.setup()`."""
    for name in (
        "DATABASE_URL", "SQLITE_PATH", "MEDIA_ROOT", "STATIC_ROOT", "REDIS_URL", "S3_BUCKET",
        "JAMAAT_DEMO", "JAMAAT_TESTING",
    ):  # fmt: skip
        os.environ.pop(name, None)
    os.environ["JAMAAT_DATA_DIR"] = str(data_dir)
    os.environ["SECRET_KEY"] = "bench"
    os.environ["DEBUG"] = "0"  # production posture: manifest static files, no debug pages
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    os.environ["DJANGO_SETTINGS_MODULE"] = "jamaat.settings"
    if db == "postgres":
        os.environ["DATABASE_URL"] = PG_BENCH_URL


def pg_admin(statement: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql.SQL(statement).format(db=sql.Identifier(PG_BENCH_DB)))


# ------------------------------------------------------------------------------------ data

PEOPLE = {
    # role, username suffix, full name
    "head": ("head", "Асанов Нурлан Өмүрбекович"),
    "staff": ("staff", "Токтогулова Айгүл Жеңишбековна"),
    "staff2": ("staff", "Мамытов Үмүтбек Садырович"),
    "council_chair": ("council_chair", "Сыдыкова Гүлнара Төлөгөновна"),
    "deputy": ("deputy", "Бакиров Эрмек Көчкөнбаевич"),
}

EVIDENCE_TEXT = (
    "Жыйын өткөрүлдү: айыл өкмөтүнүн имаратында жашоочулар менен жолугушуу болду, бюджеттин "
    "аткарылышы боюнча маалымат берилди, суроолорго жооп берилди. Катышуучулардын тизмеси, "
    "сүрөттөр жана протокол тиркелди. / Проведено собрание жителей: информация об исполнении "
    "бюджета, ответы на вопросы; приложены список участников, фото и протокол."
)


@dataclass
class Built:
    municipality: object
    plan: object
    staff: object
    occurrences: int = 0
    evidence: int = 0
    values: int = 0


def make_municipality(slug: str, name_ky: str, name_ru: str, kind: str, population: int):
    from jamaat.municipalities.models import Municipality, Village

    m = Municipality.objects.create(
        slug=slug, name_ky=name_ky, name_ru=name_ru, name_en=slug.title(), kind=kind,
        oblast_ky="Ош", oblast_ru="Ош", district_ky="Өзгөн", district_ru="Узген",
        population=population, population_year=2022, phone="+996 3232 5 00 00",
        email=f"{slug}@example.kg", website=f"https://{slug}.example.kg",
        address_ky="Борбордук көчө, 1", address_ru="ул. Центральная, 1",
    )  # fmt: skip
    for i in range(1, 4):
        Village.objects.create(
            municipality=m, name_ky=f"{name_ky}-{i}", name_ru=f"{name_ru}-{i}", population=3000
        )
    return m


def build_municipality(slug, name_ky, name_ru, kind, population, with_evidence) -> Built:
    from django.db import transaction

    from jamaat.core.models import User
    from jamaat.municipalities.models import Membership
    from jamaat.plans import services
    from jamaat.plans.models import Activity, Evidence, Indicator, IndicatorValue, Occurrence

    with transaction.atomic():
        m = make_municipality(slug, name_ky, name_ru, kind, population)
        users = {}
        for key, (role, full_name) in PEOPLE.items():
            user = User.objects.create_user(
                username=f"{key}_{slug}",
                password="Bench-password-2025",
                email=f"{key}_{slug}@example.kg",
                full_name=full_name,
            )
            Membership.objects.create(user=user, municipality=m, role=role)
            users[key] = user
        plan = services.adopt_plan(m, users["staff"], 2025, 2028)
        plan.notes_ky = "Пландын бош орундары айылдык кеңештин сессиясында талкууланды."
        plan.notes_ru = "Пробелы плана обсуждены на сессии айылного кенеша."
        plan.save(update_fields=["notes_ky", "notes_ru"])
        for i, activity in enumerate(plan.activities.all()):
            activity.responsible_persons.add(users["staff"] if i % 2 else users["staff2"])
            if "council_chair" in activity.responsible_roles:
                activity.responsible_persons.add(users["council_chair"])
            if "head" in activity.responsible_roles:
                activity.responsible_persons.add(users["head"])
            if activity.budget_source == Activity.Budget.LOCAL:
                services.set_budgets(
                    users["staff"],
                    activity,
                    {y: Decimal(50_000 + 10_000 * (y - 2025) + 1_000 * i) for y in plan.years},
                )
        for n, ind in enumerate(Indicator.objects.filter(activity__plan=plan, has_blank=True)):
            base = 20 + 5 * (n % 6)
            services.set_targets(
                users["staff"], ind, {y: Decimal(base + 5 * (y - 2025)) for y in plan.years}
            )
        services.approve_plan(users["head"], plan)

    built = Built(m, plan, users["staff"])
    if with_evidence:
        record_four_years(built, users)
    built.occurrences = Occurrence.objects.filter(municipality=m).count()
    built.evidence = Evidence.objects.filter(municipality=m).count()
    built.values = IndicatorValue.objects.filter(municipality=m).count()
    return built


def record_four_years(built: Built, users: dict) -> None:
    """Evidence on every occurrence of 2025–2028, dated on its due date (see module docstring)."""
    from django.db import transaction
    from django.utils import timezone

    from jamaat.plans import services
    from jamaat.plans.models import Evidence, Indicator, Occurrence

    plan = built.plan
    first, last = date(plan.start_year, 1, 1), date(plan.end_year + 1, 3, 31)
    indicators: dict[int, list] = {}
    for ind in Indicator.objects.filter(activity__plan=plan).order_by("order"):
        if ind.unit in (Indicator.Unit.PERCENT, Indicator.Unit.COUNT):
            indicators.setdefault(ind.activity_id, []).append(ind)
    real_localdate = timezone.localdate

    def fake_localdate(value=None, timezone=None):
        return BUILD_TODAY if value is None else real_localdate(value, timezone)

    recorders = [users["staff"], users["staff2"], users["council_chair"]]
    with mock.patch("django.utils.timezone.localdate", fake_localdate), transaction.atomic():
        pks = list(
            Occurrence.objects.filter(activity__plan=plan)
            .order_by("due", "activity__order", "pk")
            .values_list("pk", flat=True)
        )
        for n, pk in enumerate(pks):
            # Fetched afresh: recording a 3.2 round re-dates the 3.3 occurrence that follows it.
            occ = Occurrence.objects.select_related("activity__plan").get(pk=pk)
            happened_on = min(max(occ.due, first), last)
            values = {
                ind: Decimal(
                    min(100, 15 + (n * 7 + k * 11) % 80)
                    if ind.unit == Indicator.Unit.PERCENT
                    else 5 + (n * 3 + k) % 40
                )
                for k, ind in enumerate(indicators.get(occ.activity_id, []))
            }
            services.record_evidence(
                recorders[n % len(recorders)],
                occ,
                services.EvidenceInput(
                    outcome=Evidence.Outcome.DONE,
                    happened_on=happened_on,
                    text=f"{occ.activity.code} · {happened_on:%d.%m.%Y}. {EVIDENCE_TEXT}",
                    links=[
                        f"https://{built.municipality.slug}.example.kg/news/{pk}",
                        f"https://www.facebook.com/{built.municipality.slug}/posts/{pk}",
                    ],
                    values=values,
                ),
            )


# ------------------------------------------------------------------------------- measuring


@dataclass
class Result:
    label: str
    times_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)  # process CPU time, all threads
    cold_ms: float = 0.0
    queries: list[int] = field(default_factory=list)
    size: int = 0
    note: str = ""
    sql: list[str] = field(default_factory=list)  # the statements of the last run

    def pct(self, p: float) -> float:
        ordered = sorted(self.times_ms)
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]

    @property
    def query_text(self) -> str:
        lo, hi = min(self.queries), max(self.queries)
        return str(lo) if lo == hi else f"{lo}-{hi}"


def measure(label: str, fn, runs: int) -> Result:
    """One cold call, then `runs` timed calls, each with its query count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    result = Result(label)
    for i in range(runs + 1):
        with CaptureQueriesContext(connection) as ctx:
            cpu_start = time.process_time()
            start = time.perf_counter()
            size = fn()
            elapsed = (time.perf_counter() - start) * 1000
            cpu = (time.process_time() - cpu_start) * 1000
        if i == 0:
            result.cold_ms = elapsed
        else:
            result.times_ms.append(elapsed)
            result.cpu_ms.append(cpu)
        result.queries.append(len(ctx.captured_queries))
        result.size = size
        result.sql = [q["sql"] for q in ctx.captured_queries]
    return result


def export_fn(plan_pk: int, lang: str, fmt: str):
    """Like `jamaat export_plan`: fetch the plan, then export it (the fetch is measured too)."""
    from jamaat.plans.exports import export_plan
    from jamaat.plans.models import Plan

    def run() -> int:
        content, _type, _name = export_plan(Plan.objects.get(pk=plan_pk), lang, fmt)
        return len(content)

    return run


class PageError(RuntimeError):
    pass


def get_fn(client, url: str):
    def run() -> int:
        response = client.get(url)
        if response.status_code != 200:
            raise PageError(f"GET {url} → {response.status_code}")
        return len(response.content)

    return run


_LITERALS = re.compile(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b")
_COLUMNS = re.compile(r"^SELECT .*? FROM ", re.DOTALL)


def repeated_statements(sql: list[str], at_least: int = 3) -> list[tuple[int, str]]:
    """Statements that differ only by their literals, run `at_least` times: N+1 suspects."""
    counts = Counter(_COLUMNS.sub("SELECT … FROM ", _LITERALS.sub("?", s)) for s in sql)
    return [(n, s) for s, n in counts.most_common() if n >= at_least]


def peak_memory(fn) -> tuple[float, float | None]:
    """Peak of one call: Python heap (tracemalloc, MiB) and resident-set growth (MiB).

    tracemalloc does not see native allocations (typst is Rust), so on Linux the process's peak
    RSS (VmHWM) is also reset before the call and compared with the RSS before it.
    """
    rss_before = _reset_rss_peak()
    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        fn()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    rss_peak = _proc_status_kib("VmHWM")
    rss_growth = None
    if rss_before is not None and rss_peak is not None:
        rss_growth = (rss_peak - rss_before) / 1024
    return peak / 2**20, rss_growth


def memory_line(label: str, fn) -> str:
    start = time.perf_counter()
    peak, rss = peak_memory(fn)
    elapsed = (time.perf_counter() - start) * 1000
    rss_text = "n/a" if rss is None else f"+{rss:.1f} MiB"
    return f"{label:<24} tracemalloc peak {peak:5.1f} MiB · RSS {rss_text} · {elapsed:.0f} ms"


def _proc_status_kib(key: str) -> int | None:
    try:
        text = Path("/proc/self/status").read_text()
    except OSError:
        return None
    match = re.search(rf"^{key}:\s+(\d+) kB", text, re.MULTILINE)
    return int(match.group(1)) if match else None


def _reset_rss_peak() -> int | None:
    """Reset VmHWM to the current RSS (Linux ≥ 4.0); return the RSS in KiB, or None."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return None
    return _proc_status_kib("VmRSS")


# ---------------------------------------------------------------------------------- report


def row(cells, widths) -> str:
    return "  ".join(
        str(c).ljust(w) if i == 0 else str(c).rjust(w)
        for i, (c, w) in enumerate(zip(cells, widths, strict=True))
    )


def print_table(results: list[Result]) -> None:
    widths = (32, 7, 7, 7, 7, 7, 7, 6)
    heads = ("measurement", "min ms", "med ms", "p95 ms", "cold ms", "cpu ms", "queries", "KiB")
    print(row(heads, widths))
    print("-" * (sum(widths) + 2 * (len(widths) - 1)))
    for r in results:
        if not r.times_ms:
            print(row((r.label, *["-"] * (len(widths) - 1)), widths) + f"  {r.note}")
            continue
        cells = (
            r.label,
            f"{min(r.times_ms):.1f}",
            f"{statistics.median(r.times_ms):.1f}",
            f"{r.pct(95):.1f}",
            f"{r.cold_ms:.1f}",
            f"{statistics.median(r.cpu_ms):.1f}",
            r.query_text,
            f"{r.size / 1024:.0f}",
        )
        print(row(cells, widths) + (f"  {r.note}" if r.note else ""))


def db_description() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        import sqlite3

        return f"sqlite {sqlite3.sqlite_version} (WAL, file in a temp dir)"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"postgresql {cursor.fetchone()[0]} (database {PG_BENCH_DB})"


# ------------------------------------------------------------------------------------ main


def run(args) -> None:
    import django
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    t_migrate = time.perf_counter() - t0

    t0 = time.perf_counter()
    full = build_municipality("karool", "Кароол", "Кароол", "aiyl_aimak", 17_000, True)
    other = build_municipality("tokmok", "Токмок", "Токмок", "city", 71_600, True)
    empty = build_municipality("empty", "Бош-Айыл", "Бош-Айыл", "aiyl_aimak", 5_000, False)
    t_build = time.perf_counter() - t0

    from jamaat.core.models import AuditEntry
    from jamaat.plans.models import Evidence, Occurrence

    print(
        f"Jamaat bench · {db_description()} · Django {django.get_version()} · "
        f"Python {sys.version.split()[0]} · runs={args.runs} · today={timezone.localdate()}"
    )
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{os.cpu_count()} CPUs, load average {load} (wall times are noisy on a busy machine)")
    print(f"migrate + collectstatic {t_migrate:.1f} s · build {t_build:.1f} s")
    print(
        "Evidence dated on each occurrence's due date; django.utils.timezone.localdate patched "
        f"to {BUILD_TODAY} for the build phase only."
    )
    for b in (full, other, empty):
        print(
            f"  {b.municipality.slug:<7} plan {b.plan.start_year}–{b.plan.end_year} "
            f"{b.plan.status}: {b.plan.activities.count()} activities, {b.occurrences} occurrences, "
            f"{b.evidence} evidence, {b.values} indicator values"
        )
    print(
        f"  totals: {Occurrence.objects.count()} occurrences, {Evidence.objects.count()} "
        f"evidence, {AuditEntry.objects.count()} audit entries"
    )
    print()

    plan = full.plan
    # Memory first, while the process has not exported anything yet (typst font loading,
    # python-docx template parsing), then again after the timed runs.
    memory = [(f"{fmt} {lang} first in process", fmt, lang) for fmt in ("pdf", "docx")
              for lang in ("ky",)]  # fmt: skip
    memory_lines = [
        memory_line(label, export_fn(plan.pk, lang, fmt)) for label, fmt, lang in memory
    ]

    results: list[Result] = []
    for fmt in EXPORT_FORMATS:
        for lang in EXPORT_LANGS:
            results.append(
                measure(f"export_plan {fmt} {lang}", export_fn(plan.pk, lang, fmt), args.runs)
            )

    client = Client()
    client.force_login(full.staff)
    slug = full.municipality.slug
    pages = {
        "dashboard": f"/{slug}/dashboard/",
        "plan": f"/{slug}/plan/",
        "schedule": f"/{slug}/schedule/",
        "activity 1.1": f"/{slug}/plan/activities/1.1/",  # 48 monthly occurrences listed
    }
    api = {
        "api plan": f"/api/v1/municipalities/{slug}/plan/",
        "api occurrences": f"/api/v1/municipalities/{slug}/occurrences/",
        "api occurrences 2026": (
            f"/api/v1/municipalities/{slug}/occurrences/?from=2026-01-01&to=2026-12-31"
        ),
    }
    results.append(measure("GET /healthz (baseline)", get_fn(client, "/healthz"), args.runs))
    page_results = {}
    for name, url in pages.items():
        page_results[name] = measure(f"GET {url}", get_fn(client, url), args.runs)
        results.append(page_results[name])
    probe = client.get(api["api plan"])
    if probe.status_code == 200:
        for name, url in api.items():
            page_results[name] = measure(f"GET {name}", get_fn(client, url), args.runs)
            results.append(page_results[name])
    else:
        results.append(Result(f"GET {api['api plan']}", note=f"skipped: HTTP {probe.status_code}"))

    print("Timings: municipality karool, 4 years of evidence; cold = first call, not in the stats")
    print(
        f"  api = /api/v1/municipalities/{slug}/…; api occurrences 2026 = ?from=2026-01-01&to=2026-12-31"
    )
    print_table(results)
    print()

    # Query counts must not depend on the amount of data.
    empty_client = Client()
    empty_client.force_login(empty.staff)
    print("Query counts: full plan (4 years of evidence) vs empty plan (no evidence)")
    print(row(("page", "full", "empty", ""), (28, 6, 6, 0)))
    flagged = []
    for name, full_result in page_results.items():
        url = (pages | api)[name].replace(f"/{slug}/", f"/{empty.municipality.slug}/")
        empty_result = measure(name, get_fn(empty_client, url), 1)
        differs = empty_result.query_text != full_result.query_text
        mark = "DIFFERS" if differs else "same"
        print(row((name, full_result.query_text, empty_result.query_text, mark), (28, 6, 6, 0)))
        for label, res in (("full", full_result), ("empty", empty_result)):
            for n, statement in repeated_statements(res.sql):
                flagged.append(f"{name} ({label}): {n}x  {statement[:160]}")
    if flagged:
        print("Statements repeated 3+ times in one request (N+1 suspects):")
        for line in flagged:
            print(f"  {line}")
    print()

    # Isolation: the other municipality's data never shows up.
    data = client.get(api["api occurrences"]).json() if probe.status_code == 200 else None
    if data is not None:
        mine = Occurrence.objects.filter(municipality=full.municipality).count()
        print(
            f"Isolation: API lists {len(data)} occurrences for {slug}; {mine} belong to it, "
            f"{Occurrence.objects.count()} exist in all. "
            + ("ok" if len(data) == mine else "MISMATCH")
        )
    print()

    for fmt in ("pdf", "docx"):
        for lang in EXPORT_LANGS:
            memory_lines.append(memory_line(f"{fmt} {lang} warm", export_fn(plan.pk, lang, fmt)))
    print("Peak memory of one export_plan call (tracemalloc = Python heap only;")
    print("RSS = growth of the process's peak resident set over the call, includes typst;")
    print("the time shown is under tracemalloc, so slower than in the table)")
    for line in memory_lines:
        print(f"  {line}")


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

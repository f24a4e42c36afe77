"""Benchmark: analysis (3.3) and the yearly report with 100,000 responses × 20 questions.

Run by hand, never in CI:

    python bench/bench_analysis.py                   # SQLite in a temporary directory
    python bench/bench_analysis.py --responses 20000 --runs 2   # quicker
    python bench/bench_analysis.py --db postgres     # creates and drops `jamaat_bench_news`

Data is bulk-inserted straight into the tables (not through `submit_response`): one
questionnaire with 20 questions (village, gender, age group, 8 single choice, 4 ratings,
2 multiple choice with two ticks, a number, a 3-row matrix, a long text), two rounds, 100,000
responses spread over villages/genders/age groups/channels — about 2.4 million answer rows —
and 2,000 appeals. Then it times: every question's frequencies (the analysis page's work),
the same with a filter, one cross-tab, the staff page itself, the CSV/XLSX export, the topic
grouping, and the yearly report as PDF and DOCX. Prints figures; never asserts on timings.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_plan import (  # noqa: E402
    configure_environment,
    make_municipality,
    measure,
    pg_admin,
    print_table,
)


def build(n_responses: int):
    from django.db import connection, transaction
    from django.utils import timezone

    from jamaat.analysis.tests.topic_samples import SAMPLES
    from jamaat.appeals.models import Appeal
    from jamaat.municipalities.models import LocalIssue
    from jamaat.surveys.models import Question, Questionnaire, QuestionnaireVersion, Round, Section

    m = make_municipality("karool", "Кароол", "Кароол", "aiyl_aimak", 17_000)
    LocalIssue.ensure_defaults(m)
    villages = list(m.villages.values_list("pk", flat=True))
    qn = Questionnaire.objects.create(municipality=m, title_ky="Баалоо", title_ru="Оценка",
                                      status="published")  # fmt: skip
    v = QuestionnaireVersion.objects.create(questionnaire=qn, number=1)
    s = Section.objects.create(version=v, title_ky="Негизги", title_ru="Основное")
    T = Question.Type
    spec = [("village", T.VILLAGE), ("gender", T.GENDER), ("age", T.AGE_GROUP)]
    spec += [(f"s{i}", T.SINGLE) for i in range(8)] + [(f"r{i}", T.RATING) for i in range(4)]
    spec += [("m0", T.MULTIPLE), ("m1", T.MULTIPLE), ("num", T.NUMBER), ("grid", T.MATRIX)]
    spec += [("note", T.LONG_TEXT)]
    questions = {}
    for order, (code, typ) in enumerate(spec):
        rows = [
            {"code": f"row{i}", "label_ky": f"Сап {i}", "label_ru": f"Строка {i}"} for i in range(3)
        ]
        q = Question.objects.create(
            section=s, version=v, order=order, code=code, type=typ,
            label_ky=f"Суроо {code}", label_ru=f"Вопрос {code}", rows=rows if typ == T.MATRIX else [],
        )  # fmt: skip
        if typ in (T.SINGLE, T.MULTIPLE):
            for i in range(5 if typ == T.SINGLE else 4):
                q.options.create(order=i, code=f"o{i}", label_ky=f"Жооп {i}", label_ru=f"Ответ {i}")
        questions[code] = q
    now = timezone.now()
    year = now.year
    r1 = Round.objects.create(
        municipality=m,
        questionnaire=qn,
        name="Жаз",
        opens_at=now.replace(month=3, day=1),
        closes_at=now.replace(month=4, day=1),
    )
    r2 = Round.objects.create(municipality=m, questionnaire=qn, name="Күз",
                              opens_at=now.replace(month=9, day=1), closes_at=now.replace(month=10, day=1))  # fmt: skip
    rnd = random.Random(42)
    genders, ages = ["female", "male"], ["u18", "18_29", "30_44", "45_59", "60p"]
    channels = ["online", "paper", "interview"]
    texts = [t for _c, _l, t in SAMPLES]
    resp_rows, ans_rows = [], []
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        for pk in range(1, n_responses + 1):
            vil, gen, age = rnd.choice(villages), rnd.choice(genders), rnd.choice(ages)
            rd = r1 if pk % 2 else r2
            submitted = rd.opens_at + timedelta(days=rnd.randrange(28))
            resp_rows.append((pk, m.pk, qn.pk, v.pk, rd.pk, rnd.choice(channels), submitted, "ky",
                              vil, gen, age))  # fmt: skip
            add = ans_rows.append
            add((pk, questions["village"].pk, "village", "", str(vil), str(vil), None))
            add((pk, questions["gender"].pk, "gender", "", gen, gen, None))
            add((pk, questions["age"].pk, "age", "", age, age, None))
            for i in range(8):
                o = f"o{rnd.randrange(5)}"
                add((pk, questions[f"s{i}"].pk, f"s{i}", "", o, o, None))
            for i in range(4):
                n = rnd.randint(1, 5)
                add((pk, questions[f"r{i}"].pk, f"r{i}", "", str(n), str(n), float(n)))
            for code in ("m0", "m1"):
                for o in rnd.sample(["o0", "o1", "o2", "o3"], 2):
                    add((pk, questions[code].pk, code, "", o, o, None))
            n = rnd.randint(0, 8)
            add((pk, questions["num"].pk, "num", "", "", str(n), float(n)))
            for i in range(3):
                n = rnd.randint(1, 5)
                add((pk, questions["grid"].pk, "grid", f"row{i}", str(n), str(n), float(n)))
            if pk % 10 == 0:
                add((pk, questions["note"].pk, "note", "", "", rnd.choice(texts), None))
            if len(ans_rows) > 200_000:
                _flush(cur, resp_rows, ans_rows)
        _flush(cur, resp_rows, ans_rows)
        issues = list(LocalIssue.objects.filter(municipality=m))
        appeals = []
        for i in range(2000):
            reg = now.replace(month=1, day=1) + timedelta(days=rnd.randrange(300))
            answered = reg + timedelta(days=rnd.randrange(30)) if i % 5 else None
            appeals.append(Appeal(
                municipality=m, number=f"B-{i}", channel="paper", category=rnd.choice(issues),
                text=rnd.choice(texts), applicant_name="A", registered_at=reg,
                due_date=(reg + timedelta(days=20)).date(), answered_at=answered,
                status="answered" if answered else "registered",
            ))  # fmt: skip
        Appeal.objects.bulk_create(appeals, batch_size=1000)
    if connection.vendor == "postgresql":  # what autovacuum does after a bulk load: statistics
        with connection.cursor() as cur:  # and the visibility map (index-only scans need it)
            cur.execute("VACUUM ANALYZE")
    from jamaat.surveys.models import Answer

    print(f"inserted {n_responses} responses, {Answer.objects.count()} answers "
          f"and 2000 appeals in {time.perf_counter() - t0:.1f} s")  # fmt: skip
    return m, qn, year, r1


def _flush(cur, resp_rows, ans_rows):
    if resp_rows:
        cur.executemany(
            "INSERT INTO surveys_response (id, municipality_id, questionnaire_id, version_id, "
            "round_id, channel, submitted_at, language, village_id, gender, age_group) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            resp_rows,
        )
    if ans_rows:
        cur.executemany(
            "INSERT INTO surveys_answer (response_id, question_id, question_code, row_code, "
            "option_code, value, number) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            ans_rows,
        )
    resp_rows.clear()
    ans_rows.clear()


def run(args) -> None:
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    m, qn, year, r1 = build(args.responses)
    from jamaat.analysis import export, report, stats, topics
    from jamaat.conftest import make_user

    staff = make_user("bench_staff", m, "staff")
    client = Client()
    client.force_login(staff)
    grid = qn.current_version().questions.get(code="s0")
    url = f"/{m.slug}/manage/analysis/q/{qn.pk}/"
    results = [
        measure(
            "frequencies, 20 questions", lambda: len(stats.all_results(qn, {}, "ky")), args.runs
        ),
        measure(
            "… filtered (round, gender)",
            lambda: len(stats.all_results(qn, {"round": r1.pk, "gender": "female"}, "ky")),
            args.runs,
        ),  # fmt: skip
        measure(
            "cross-tab s0 × village",
            lambda: len(stats.crosstab(qn, grid, "village")["rows"]),
            args.runs,
        ),
        measure(
            "analysis page (HTTP)",
            lambda: len(client.get(url + "?xq=s0&xdim=age_group").content),
            args.runs,
        ),
        measure("export CSV", lambda: len(export.to_csv(export.table(qn, {}, "ru"))), args.runs),
        measure(
            "export XLSX", lambda: len(export.to_xlsx(export.table(qn, {}, "ru"), "q")), args.runs
        ),
        measure(
            "topics (10k answers + 2k appeals)",
            lambda: len(
                topics.group(
                    list(stats.answers(qn, "note").values_list("value", flat=True)),
                    m.local_issues.all(),
                )
            ),
            args.runs,
        ),  # fmt: skip
        measure("yearly report PDF ky", lambda: len(report.build(m, year, "ky", "pdf")), args.runs),
        measure(
            "yearly report DOCX ru", lambda: len(report.build(m, year, "ru", "docx")), args.runs
        ),
    ]
    print_table(results)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args(argv)
    data_dir = Path(tempfile.mkdtemp(prefix="jamaat-bench-analysis-"))
    configure_environment(args.db, data_dir)
    if args.db == "postgres":
        pg_admin("DROP DATABASE IF EXISTS {db} WITH (FORCE)")
        pg_admin("CREATE DATABASE {db}")
    try:
        import django

        django.setup()
        run(args)
    finally:
        if args.db == "postgres":
            from django.db import connections

            connections.close_all()
            pg_admin("DROP DATABASE IF EXISTS {db} WITH (FORCE)")
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

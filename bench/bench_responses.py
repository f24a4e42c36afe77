"""Benchmark: accepted questionnaire responses per second through the API, on gunicorn.

Run by hand, never in CI:

    python bench/bench_responses.py                  # SQLite (WAL) in a temporary directory
    python bench/bench_responses.py --db postgres    # creates and drops `jamaat_bench_news`
    python bench/bench_responses.py --seconds 5 --clients 8 --configs 2x4

What it does, only against throwaway data and only on 127.0.0.1:

1. Migrates a fresh database (DEBUG off), builds a municipality with three villages and the ready
   template questionnaire (18 questions: demographics, a rating matrix of 8 rows, multiple
   choice with "other", a condition), published with an open round.
2. Starts gunicorn (bench_news.Server) per WORKERSxTHREADS configuration.
3. N client threads POST `/api/v1/questionnaires/{id}/responses/` with varied, valid answers
   (about 20 answer rows each) for S seconds; every 201 is an accepted response. Printed:
   accepted/s, p50/p95/p99 latency, non-201 count, server CPU per response, and a check that the
   database holds exactly the accepted number of responses. First, a baseline: the same clients
   and server (first configuration) doing GET /healthz.

It prints figures and never asserts on timings.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bench_news as bn  # noqa: E402  (the server and environment helpers)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    p.add_argument("--seconds", type=float, default=10.0)
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--configs", default="2x1,2x4,4x1", help="gunicorn WORKERSxTHREADS list")
    return p.parse_args(argv)


def build() -> tuple[int, list[int]]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from datetime import timedelta

    from jamaat.municipalities.models import Municipality, Village
    from jamaat.surveys import services
    from jamaat.surveys.models import Round

    m = Municipality.objects.create(
        slug="karool", name_ky="Кароол", name_ru="Кароол", kind="aiyl_aimak", oblast_ky="Ош",
        oblast_ru="Ош", population=17000, population_year=2021,
    )  # fmt: skip
    villages = [
        Village.objects.create(municipality=m, name_ky=f"Айыл {i}", name_ru=f"Село {i}").pk
        for i in range(3)
    ]
    q = services.create_from_template(None, m)
    services.publish(None, q)
    now = timezone.now()
    Round.objects.create(
        municipality=m, questionnaire=q, name="bench",
        opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1),
    )  # fmt: skip
    return q.pk, villages


def answers(rng: random.Random, villages: list[int]) -> dict:
    took = rng.choice(["yes", "no"])
    a = {
        "village": rng.choice(villages), "gender": rng.choice(["female", "male"]),
        "age": rng.choice(["18_29", "30_44", "45_59", "60p"]),
        "satisfaction": rng.randint(1, 5), "opinion": rng.choice(["yes", "partly", "no"]),
        "applied": "no", "took_part": took, "ready": rng.choice(["yes", "no"]),
        "services": {r: rng.randint(1, 5) for r in
                     ["water", "roads", "lighting", "waste", "irrigation", "schools", "health",
                      "culture"]},
        "issues": rng.sample(["water", "roads", "jobs", "pastures", "youth"], 3),
        "info_sources": rng.sample(["website", "facebook", "whatsapp", "board"], 2),
        "info_enough": rng.randint(1, 5),
        "suggestions": "Көчөлөргө жарык орнотуу керек, суу түтүгүн оңдоо зарыл.",
    }  # fmt: skip
    if took == "no":
        a["why_not"] = rng.choice(["no_time", "not_known"])
    return a


def load(port: int, qid: int, villages: list[int], clients: int, seconds: float, baseline=False):
    """POST answers for `seconds` from `clients` threads; with `baseline`, GET /healthz instead
    (the same server and clients doing the least work a request can do)."""
    path = "/healthz" if baseline else f"/api/v1/questionnaires/{qid}/responses/"
    stop_at = time.monotonic() + seconds
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def worker(seed: int):
        rng = random.Random(seed)
        conn = http.client.HTTPConnection(bn.HOST, port, timeout=30)
        mine, codes = [], {}
        n = 0
        while time.monotonic() < stop_at and n < 100_000:
            n += 1
            body = json.dumps({"answers": answers(rng, villages), "language": "ky"})
            t0 = time.perf_counter()
            try:
                if baseline:
                    conn.request("GET", path)
                else:
                    conn.request("POST", path, body, {"Content-Type": "application/json"})
                resp = conn.getresponse()
                resp.read()
                status = resp.status
            except OSError:
                conn.close()
                conn = http.client.HTTPConnection(bn.HOST, port, timeout=30)
                status = 0
            mine.append(time.perf_counter() - t0)
            codes[status] = codes.get(status, 0) + 1
        conn.close()
        with lock:
            latencies.extend(mine)
            for k, v in codes.items():
                statuses[k] = statuses.get(k, 0) + v

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.monotonic() - t0, latencies, statuses


def pct(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] * 1000


def main(argv=None) -> None:
    args = parse_args(argv)
    port = bn.free_port()
    with tempfile.TemporaryDirectory(prefix="jamaat-bench-responses-") as tmp:
        data_dir = Path(tmp)
        bn.configure_environment(args.db, data_dir, port)
        # every simulated resident comes from 127.0.0.1: lift the per-address daily limit, which
        # would otherwise refuse all but the first 30 answers (it is measured in the tests)
        os.environ["SURVEYS_RESPONSES_PER_IP_PER_DAY"] = "100000000"
        if args.db == "postgres":
            bn.pg_admin("DROP DATABASE IF EXISTS {db}")
            bn.pg_admin("CREATE DATABASE {db}")
        try:
            qid, villages = build()
            from jamaat.surveys.models import Response

            print(f"database: {args.db}; clients: {args.clients}; {args.seconds:.0f} s per config")
            config = bn.ServerConfig.parse(args.configs.split(",")[0])
            server = bn.Server(config, port, data_dir / "gunicorn.log")
            server.start()
            try:
                cpu0 = server.cpu_seconds()
                elapsed, lat, statuses = load(
                    port, qid, villages, args.clients, args.seconds, baseline=True
                )
                cpu = server.cpu_seconds() - cpu0
            finally:
                server.stop()
            ok = statuses.get(200, 0)
            print(
                f"{config} baseline GET /healthz: {ok / elapsed:7.1f} req/s  "
                f"p50 {pct(lat, 0.5):6.1f} ms  p95 {pct(lat, 0.95):6.1f} ms  "
                f"CPU {1000 * cpu / max(ok, 1):5.1f} ms/request"
            )
            for text in args.configs.split(","):
                config = bn.ServerConfig.parse(text)
                server = bn.Server(config, port, data_dir / "gunicorn.log")
                before_db = Response.objects.count()
                server.start()
                try:
                    cpu0 = server.cpu_seconds()
                    elapsed, lat, statuses = load(port, qid, villages, args.clients, args.seconds)
                    cpu = server.cpu_seconds() - cpu0
                finally:
                    server.stop()
                ok = statuses.get(201, 0)
                stored = Response.objects.count() - before_db
                other = {k: v for k, v in statuses.items() if k != 201}
                print(
                    f"{config}: {ok / elapsed:7.1f} accepted/s  p50 {pct(lat, 0.5):6.1f} ms  "
                    f"p95 {pct(lat, 0.95):6.1f} ms  p99 {pct(lat, 0.99):6.1f} ms  "
                    f"CPU {1000 * cpu / max(ok, 1):5.1f} ms/response  other {other or 0}  "
                    f"stored {stored} {'OK' if stored == ok else 'MISMATCH'}"
                )
                if other:
                    print("   ", server.log_summary())
            if lat:
                print(f"mean latency last config: {statistics.mean(lat) * 1000:.1f} ms")
        finally:
            if args.db == "postgres":
                from django.db import connections

                connections.close_all()
                bn.pg_admin("DROP DATABASE IF EXISTS {db}")
    os.environ.pop("DATABASE_URL", None)


if __name__ == "__main__":
    main()

"""A real worker process killed in the middle of a digest, then restarted: no duplicate, no gap.

The scenario runs across processes, so it needs a database file they all share: the test builds
its data in pytest-django's test database (transactional test, so the rows are committed),
copies that database into a temporary SQLite file with SQLite's backup API, and runs the worker
as `python -m jamaat deliver_outbox` with `SQLITE_PATH` pointing at the file. Results are read
back from the file with the `sqlite3` module.

The fake Telegram server answers slowly (50 ms a request) and holds the 16th request without
answering until the worker has been SIGKILLed: the kill lands while that request is in flight,
after the 15 answered ones were committed as sent. The fake then finds the client gone and does
not record the request (`fake.dropped`): this models a request that never reached the provider,
so the exactly-once assertion below is meaningful. (Had the provider processed it, the retry
after the restart would be the one possible duplicate the worker documents: at-least-once for
the single in-doubt message, visible as an `interrupted` attempt in its log.)
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from jamaat.messaging import services
from jamaat.messaging.models import Channel, ProviderAccount, Subscriber
from jamaat.messaging.tests.fakes import FakeTelegram

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parents[3]
N = 40


@pytest.fixture
def slow_telegram():
    fake = FakeTelegram(delay=0.05).start()
    yield fake
    fake.stop()


@pytest.fixture
def digest_db(mun_a, slow_telegram, tmp_path, settings):
    """40 Telegram subscribers with a queued digest each, copied into a SQLite file."""
    settings.MESSAGING_KICK_AFTER_ENQUEUE = False  # the worker processes below do the sending
    ProviderAccount.objects.create(
        municipality=mun_a,
        provider=Channel.TELEGRAM,
        token=slow_telegram.token,
        base_url=slow_telegram.url,
    )
    chats = [str(7000000 + i) for i in range(N)]
    Subscriber.objects.bulk_create(
        Subscriber(
            municipality=mun_a,
            channel=Channel.TELEGRAM,
            address=chat,
            status=Subscriber.Status.ACTIVE,
            consent_text="consent",
            consent_at=timezone.now(),
        )
        for chat in chats
    )
    assert (
        services.enqueue_to_subscribers(mun_a, "digest:1", lambda s: ("", "Digest Q1", None)) == N
    )
    if connection.vendor == "postgresql":
        return None, chats  # committed (transaction=True): the workers use the test database
    path = tmp_path / "jamaat.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    return path, chats


def _pg_url() -> str:
    d = connection.settings_dict
    auth = d["USER"] + (f":{d['PASSWORD']}" if d.get("PASSWORD") else "")
    return f"postgres://{auth}@{d['HOST'] or 'localhost'}:{d['PORT'] or 5432}/{d['NAME']}"


def worker(db: Path, tmp_path: Path, *extra: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jamaat.settings",
        "DEBUG": "1",
        "JAMAAT_DATA_DIR": str(tmp_path),
        "LOG_LEVEL": "WARNING",
    }
    if db is None:
        env["DATABASE_URL"] = _pg_url()
    else:
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = str(db)
    # The lease stays longer than one request's timeout, as in production (120 s vs 10 s).
    args = ["--until-idle", "--lease", "3", "--timeout", "2", "--batch-size", "10"]
    return subprocess.Popen(
        [sys.executable, "-m", "jamaat", "deliver_outbox", *args, "--max-seconds", "40", *extra],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def query(db: Path | None, sql: str, *params):
    if db is None:
        with connection.cursor() as cursor:
            cursor.execute(sql.replace("?", "%s"), params)
            return [tuple(row) for row in cursor.fetchall()]
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def finish(proc: subprocess.Popen) -> dict:
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


def test_worker_killed_mid_digest_sends_none_twice_and_skips_none(
    digest_db, slow_telegram, tmp_path
):
    db, chats = digest_db
    fake = slow_telegram
    fake.hold_request = 16

    first = worker(db, tmp_path)
    try:
        assert fake.wait_until(lambda: fake.arrived >= 16, timeout=30), first.stderr
        first.send_signal(signal.SIGKILL)  # mid-request: the 16th is in flight
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    fake.release.set()
    assert fake.wait_until(lambda: fake.in_flight == 0, timeout=10)
    assert first.returncode == -signal.SIGKILL
    assert len(fake.requests) == 15 and len(fake.dropped) == 1
    in_doubt = fake.dropped[0].recipient

    # What the dead worker left behind: 15 sent, the in-flight one with an open attempt.
    status = dict(query(db, "SELECT status, COUNT(*) FROM messaging_outboxmessage GROUP BY status"))
    assert status["sent"] == 15
    assert status.get("sending", 0) >= 1
    open_attempts = query(
        db,
        "SELECT m.recipient FROM messaging_deliveryattempt a "
        "JOIN messaging_outboxmessage m ON m.id = a.message_id WHERE a.finished_at IS NULL",
    )
    assert open_attempts == [(in_doubt,)]

    second = worker(db, tmp_path)
    stats = finish(second)
    assert stats["sent"] == N - 15
    assert stats["reclaimed"] >= 1

    # Every recipient received exactly one message.
    received = Counter(fake.recipients("sendMessage"))
    assert sorted(received) == sorted(chats)
    assert set(received.values()) == {1}
    assert query(db, "SELECT status, COUNT(*) FROM messaging_outboxmessage GROUP BY status") == [
        ("sent", N)
    ]
    # The interruption is visible in that recipient's delivery log.
    log = query(
        db,
        "SELECT a.number, a.outcome, a.error_kind FROM messaging_deliveryattempt a "
        "JOIN messaging_outboxmessage m ON m.id = a.message_id WHERE m.recipient = ? "
        "ORDER BY a.number",
        in_doubt,
    )
    assert log == [(1, "interrupted", "interrupted"), (2, "sent", "")]
    assert query(
        db, "SELECT COUNT(*) FROM messaging_deliveryattempt WHERE outcome = 'interrupted'"
    ) == [(1,)]
    assert query(
        db, "SELECT COUNT(*) FROM messaging_deliveryattempt WHERE finished_at IS NULL"
    ) == [(0,)]


def test_two_workers_at_once_send_each_message_once(digest_db, slow_telegram, tmp_path):
    db, chats = digest_db
    a, b = worker(db, tmp_path), worker(db, tmp_path)
    stats_a, stats_b = finish(a), finish(b)
    assert stats_a.get("sent", 0) + stats_b.get("sent", 0) == N
    received = Counter(slow_telegram.recipients("sendMessage"))
    assert sorted(received) == sorted(chats) and set(received.values()) == {1}
    assert query(db, "SELECT status, COUNT(*) FROM messaging_outboxmessage GROUP BY status") == [
        ("sent", N)
    ]

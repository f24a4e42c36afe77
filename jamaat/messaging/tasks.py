"""The outbox worker: claims due messages, sends them one by one, and records every attempt.

What is guaranteed
------------------
- **A message whose success was committed is never sent again.** `sent` is final: a worker only
  claims rows that are `queued`, and the success (status `sent`, the provider's message id and
  the closed attempt) is committed in its own transaction right after each provider call,
  before the next message is touched.
- **No message is skipped.** A message leaves `queued`/`sending` only as `sent`, `failed` (after
  a permanent refusal or `MESSAGING_MAX_ATTEMPTS` tries; staff can retry it) or `cancelled` (its
  subscriber unsubscribed). A worker killed at any point leaves its claimed messages in
  `sending` with a lease; once the lease expires the next run puts them back in the queue.
- **At-least-once for the single message in flight at a crash.** If the worker dies after the
  request left but before the success was committed, nobody can know whether the provider got
  it: that one message is sent again. Its attempt, opened (and committed) before the request,
  is closed as `interrupted` when it is reclaimed, so the possible duplicate is visible in the
  delivery log. With one worker process there is at most one such message per crash.
- **No double claims.** Claiming is `UPDATE … SET status='sending', claimed_by=<this run>,
  lease_until=… WHERE status='queued' AND id IN (…)` (works the same on SQLite and
  PostgreSQL); the run then sends only the rows that carry its own `claimed_by`, and the row
  count says how many it won. Before each send the run re-checks and extends its lease with a
  conditional UPDATE, so a message whose lease was taken over is never sent by the old run.
  The lease (`MESSAGING_LEASE_SECONDS`, 120 s) is far longer than one request's timeout
  (`MESSAGING_HTTP_TIMEOUT`, 10 s), so a live run never loses a message it is sending.

Retries: `RetryableError` (429, 5xx, timeouts, connection errors) → queued again after
30 s, 2 min, 8 min, 32 min, 2 h 8 min (±10% jitter; a provider's `retry_after` is honoured and
pauses that provider for this process), and `failed` after the 6th failed attempt.
`PermanentError` → `failed` at once; when the recipient is gone (Telegram user blocked the bot,
number not on WhatsApp, mailbox refused) the subscriber is unsubscribed with a note.

Rate limits are token buckets per provider account in this process (`MESSAGING_RATE_LIMITS`,
messages per second: Telegram 25, WhatsApp 50, email 10). Huey's consumer runs its workers as
threads of one process, so they share the buckets; with several consumer processes, divide the
rates between them.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
import time
import uuid
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Min, Q
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from jamaat.messaging.adapters import DeliveryError, NotConfigured, PermanentError, RetryableError
from jamaat.messaging.models import DeliveryAttempt, OutboxMessage, Subscriber

log = logging.getLogger(__name__)

DEFAULT_RATES = {"telegram": 25.0, "whatsapp": 50.0, "email": 10.0}
S = OutboxMessage.Status


def conf(name: str, default):
    return getattr(settings, name, default)


def backoff_seconds(failed_attempts: int) -> float:
    """Delay after the n-th failed attempt: 30 s, 2 min, 8 min, 32 min, …, with ±10% jitter."""
    base = float(conf("MESSAGING_BACKOFF_BASE", 30))
    factor = float(conf("MESSAGING_BACKOFF_FACTOR", 4))
    delay = base * factor ** max(0, failed_attempts - 1)
    return delay * random.uniform(0.9, 1.1)


# --- rate limiting ------------------------------------------------------------------------


class TokenBucket:
    """Evenly spaced sends at `rate` per second (burst of one); thread-safe; can be paused."""

    def __init__(self, rate: float, burst: float = 1.0):
        self.rate = max(rate, 0.001)
        self.capacity = max(burst, 1.0)
        self.tokens = self.capacity
        self.stamp = time.monotonic()
        self.paused_until = 0.0
        self.lock = threading.Lock()

    def reserve(self) -> float:
        """Take a token; return how long to wait before using it."""
        with self.lock:
            now = time.monotonic()
            self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
            self.stamp = now
            self.tokens -= 1
            wait = max(0.0, -self.tokens / self.rate)
            return max(wait, self.paused_until - now)

    def pause(self, seconds: float) -> None:
        with self.lock:
            self.paused_until = max(self.paused_until, time.monotonic() + seconds)

    def paused_for(self) -> float:
        return max(0.0, self.paused_until - time.monotonic())


_buckets: dict[tuple, TokenBucket] = {}
_buckets_lock = threading.Lock()


def bucket_for(rate_key: tuple) -> TokenBucket:
    rates = {**DEFAULT_RATES, **conf("MESSAGING_RATE_LIMITS", {})}
    rate = float(rates.get(rate_key[0], 10.0))
    with _buckets_lock:
        bucket = _buckets.get(rate_key)
        if bucket is None or bucket.rate != rate:
            bucket = _buckets[rate_key] = TokenBucket(rate)
        return bucket


def reset_rate_limits() -> None:
    with _buckets_lock:
        _buckets.clear()


# --- claiming and reclaiming --------------------------------------------------------------


def reclaim_expired(now=None) -> int:
    """Messages left in `sending` by a dead worker: close the open attempt as interrupted, requeue."""
    now = now or timezone.now()
    max_attempts = int(conf("MESSAGING_MAX_ATTEMPTS", 6))
    ids = list(
        OutboxMessage.objects.filter(status=S.SENDING, lease_until__lt=now).values_list(
            "pk", flat=True
        )[:1000]
    )
    count = 0
    for pk in ids:
        with transaction.atomic():
            msg = OutboxMessage.objects.filter(pk=pk).only("attempts").first()
            if msg is None:
                continue
            open_attempts = DeliveryAttempt.objects.filter(message_id=pk, finished_at__isnull=True)
            in_doubt = open_attempts.exists()
            exhausted = in_doubt and msg.attempts >= max_attempts
            changes = {
                "status": S.FAILED if exhausted else S.QUEUED,
                "lease_until": None,
                "claimed_by": "",
            }
            if in_doubt:
                changes.update(
                    next_attempt_at=now,
                    error_kind="interrupted",
                    last_error="The worker stopped during the request; sent again.",
                )
            won = OutboxMessage.objects.filter(pk=pk, status=S.SENDING, lease_until__lt=now).update(
                **changes
            )
            if not won:
                continue
            count += 1
            if in_doubt:
                open_attempts.update(
                    outcome=DeliveryAttempt.Outcome.INTERRUPTED,
                    finished_at=now,
                    error_kind="interrupted",
                    error="The worker stopped before the result was recorded (lease expired); "
                    "the provider may or may not have received this request.",
                )
                log.warning("outbox message %s reclaimed after an interrupted attempt", pk)
    return count


def claim(batch_size: int, lease_seconds: float, worker: str, now=None) -> list[OutboxMessage]:
    """Atomically take up to `batch_size` due messages for `worker`; never a row another took."""
    now = now or timezone.now()
    ids = list(
        OutboxMessage.objects.filter(status=S.QUEUED)
        .filter(Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True))
        .order_by(F("next_attempt_at").asc(nulls_first=True), "id")
        .values_list("pk", flat=True)[:batch_size]
    )
    if not ids:
        return []
    won = OutboxMessage.objects.filter(status=S.QUEUED, pk__in=ids).update(
        status=S.SENDING, claimed_by=worker, lease_until=now + timedelta(seconds=lease_seconds)
    )
    if won < len(ids):
        log.info("claimed %s of %s messages; another worker took the rest", won, len(ids))
    if not won:
        return []
    return list(
        OutboxMessage.objects.filter(pk__in=ids, status=S.SENDING, claimed_by=worker)
        .select_related("municipality", "subscriber")
        .order_by("next_attempt_at", "id")
    )


def release(worker: str, ids, not_before=None) -> int:
    """Give claimed-but-unstarted messages back to the queue (no attempt is counted)."""
    changes = {"status": S.QUEUED, "lease_until": None, "claimed_by": ""}
    if not_before is not None:
        changes["next_attempt_at"] = not_before
    return OutboxMessage.objects.filter(
        pk__in=list(ids), status=S.SENDING, claimed_by=worker
    ).update(**changes)


# --- sending ------------------------------------------------------------------------------


class Run:
    """One delivery run: its identity, lease, adapters and counters."""

    def __init__(self, lease_seconds: float, timeout: float | None = None):
        self.worker = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.lease = timedelta(seconds=lease_seconds)
        self.timeout = timeout
        self.adapters: dict[tuple, object] = {}
        self.stats: Counter = Counter()

    def adapter(self, msg: OutboxMessage):
        from jamaat.messaging.services import adapter_for

        key = (msg.municipality_id, msg.provider)
        if key not in self.adapters:
            try:
                self.adapters[key] = adapter_for(msg.municipality, msg.provider, self.timeout)
            except NotConfigured as exc:
                self.adapters[key] = exc
        found = self.adapters[key]
        if isinstance(found, Exception):
            raise found
        return found

    def deliver(self, msg: OutboxMessage) -> str:
        """Send one claimed message; returns the outcome counted in the stats."""
        mine = OutboxMessage.objects.filter(pk=msg.pk, status=S.SENDING, claimed_by=self.worker)
        if (
            msg.subscriber_id
            and Subscriber.objects.filter(
                pk=msg.subscriber_id, status=Subscriber.Status.UNSUBSCRIBED
            ).exists()
        ):
            mine.update(
                status=S.CANCELLED, lease_until=None, claimed_by="", last_error="unsubscribed"
            )
            return "cancelled"
        try:
            adapter = self.adapter(msg)
        except NotConfigured as exc:
            adapter, config_error = None, exc
        else:
            config_error = None
            bucket = bucket_for(adapter.rate_key)
            paused = bucket.paused_for()
            if paused > float(conf("MESSAGING_MAX_RATE_WAIT", 2.0)):
                release(self.worker, [msg.pk], timezone.now() + timedelta(seconds=paused))
                return "deferred"
            wait = bucket.reserve()
            if wait > 0:
                time.sleep(wait)
        # Extend the lease and count the attempt; if the lease was taken over, do not send.
        now = timezone.now()
        if not mine.update(lease_until=now + self.lease, attempts=F("attempts") + 1):
            return "lost"
        number = msg.attempts + 1
        attempt = DeliveryAttempt.objects.create(
            message=msg, number=number, worker=self.worker, started_at=now
        )
        started = time.monotonic()
        try:
            if config_error is not None:
                raise config_error
            provider_id = adapter.deliver(msg)
        except RetryableError as exc:
            return self._retry(msg, attempt, number, exc, started)
        except PermanentError as exc:
            return self._fail(msg, attempt, exc, started)
        except Exception as exc:  # a bug or an unexpected library error: retry, don't lose it
            log.exception("unexpected error delivering outbox message %s", msg.pk)
            err = RetryableError(f"{type(exc).__name__}: {exc}"[:500], kind="error")
            return self._retry(msg, attempt, number, err, started)
        done = timezone.now()
        with transaction.atomic():
            OutboxMessage.objects.filter(pk=msg.pk).exclude(status=S.SENT).update(
                status=S.SENT,
                sent_at=done,
                provider_message_id=str(provider_id)[:200],
                lease_until=None,
                error_kind="",
                last_error="",
            )
            self._close(attempt, DeliveryAttempt.Outcome.SENT, started, done, http_status=200)
        return "sent"

    def _close(self, attempt, outcome, started, done=None, exc: DeliveryError | None = None, **kw):
        attempt.outcome = outcome
        attempt.finished_at = done or timezone.now()
        attempt.duration_ms = int((time.monotonic() - started) * 1000)
        if exc is not None:
            attempt.http_status = exc.http_status
            attempt.error_kind = exc.kind
            attempt.error = exc.detail[:2000]
        for k, v in kw.items():
            setattr(attempt, k, v)
        attempt.save()

    def _retry(self, msg, attempt, number, exc: RetryableError, started) -> str:
        max_attempts = int(conf("MESSAGING_MAX_ATTEMPTS", 6))
        done = timezone.now()
        adapter = self.adapters.get((msg.municipality_id, msg.provider))
        if exc.retry_after and adapter is not None and not isinstance(adapter, Exception):
            bucket_for(adapter.rate_key).pause(exc.retry_after)  # for this process
        final = number >= max_attempts
        delay = backoff_seconds(number)
        if exc.retry_after:
            delay = exc.retry_after * random.uniform(1.0, 1.1)
        with transaction.atomic():
            OutboxMessage.objects.filter(
                pk=msg.pk, status=S.SENDING, claimed_by=self.worker
            ).update(
                status=S.FAILED if final else S.QUEUED,
                next_attempt_at=None if final else done + timedelta(seconds=delay),
                lease_until=None,
                claimed_by="",
                error_kind=exc.kind,
                last_error=exc.detail[:2000],
            )
            outcome = DeliveryAttempt.Outcome.FAILED if final else DeliveryAttempt.Outcome.RETRY
            self._close(attempt, outcome, started, done, exc)
        return "failed" if final else "retry"

    def _fail(self, msg, attempt, exc: PermanentError, started) -> str:
        from jamaat.messaging.services import unsubscribe_by_provider

        done = timezone.now()
        with transaction.atomic():
            OutboxMessage.objects.filter(
                pk=msg.pk, status=S.SENDING, claimed_by=self.worker
            ).update(
                status=S.FAILED,
                next_attempt_at=None,
                lease_until=None,
                claimed_by="",
                error_kind=exc.kind,
                last_error=exc.detail[:2000],
            )
            self._close(attempt, DeliveryAttempt.Outcome.FAILED, started, done, exc)
        if exc.recipient_gone and msg.subscriber_id:
            unsubscribe_by_provider(
                msg.subscriber, f"{msg.get_provider_display()}: {exc.detail}"[:300]
            )
        return "failed"


def deliver_due(
    batch_size: int | None = None,
    *,
    lease_seconds: float | None = None,
    max_seconds: float | None = None,
    timeout: float | None = None,
) -> dict:
    """Deliver every due message (batch by batch) until none is due or `max_seconds` pass."""
    batch_size = int(batch_size or conf("MESSAGING_BATCH_SIZE", 50))
    lease_seconds = float(lease_seconds or conf("MESSAGING_LEASE_SECONDS", 120))
    max_seconds = float(max_seconds or conf("MESSAGING_RUN_SECONDS", 540))
    deadline = time.monotonic() + max_seconds
    run = Run(lease_seconds, timeout)
    while time.monotonic() < deadline:
        run.stats["reclaimed"] += reclaim_expired()
        batch = claim(batch_size, lease_seconds, run.worker)
        if not batch:
            break
        pending = [m.pk for m in batch]
        try:
            for msg in batch:
                if time.monotonic() >= deadline:
                    break
                pending.remove(msg.pk)
                run.stats[run.deliver(msg)] += 1
        finally:
            if pending:  # stopped early (deadline or an error): hand the rest back at once
                release(run.worker, pending)
    return {k: v for k, v in run.stats.items() if v}


def next_wakeup(now=None) -> float | None:
    """Seconds until something may become deliverable (a due retry or an expiring lease)."""
    now = now or timezone.now()
    queued = OutboxMessage.objects.filter(status=S.QUEUED).aggregate(t=Min("next_attempt_at"))["t"]
    leased = OutboxMessage.objects.filter(status=S.SENDING).aggregate(t=Min("lease_until"))["t"]
    times = [t for t in (queued, leased) if t is not None]
    if not times:
        return None
    return max(0.0, (min(times) - now).total_seconds())


# --- Huey tasks ---------------------------------------------------------------------------


@db_periodic_task(crontab(minute="*"))
def deliver_outbox() -> dict:
    """Every minute: retries that came due, reclaimed leases, anything the nudge missed."""
    return deliver_due()


@db_task()
def deliver_outbox_now() -> dict:
    """Started right after messages are enqueued (see services.kick_worker)."""
    return deliver_due()

"""Every Huey task's run is recorded in TaskRun; failures are retried (tasks set `retries`)."""

import traceback
from datetime import timedelta

from django.utils import timezone
from huey import crontab, signals
from huey.contrib.djhuey import HUEY, db_periodic_task

from jamaat.core.models import TaskRun


@HUEY.signal(signals.SIGNAL_EXECUTING)
def _started(signal, task):
    TaskRun.objects.create(
        task_id=task.id, name=task.name, status=TaskRun.Status.RUNNING, retries_left=task.retries
    )


@HUEY.signal(signals.SIGNAL_COMPLETE)
def _finished(signal, task):
    TaskRun.objects.filter(task_id=task.id, status=TaskRun.Status.RUNNING).update(
        status=TaskRun.Status.OK, finished_at=timezone.now()
    )


@HUEY.signal(signals.SIGNAL_ERROR)
def _failed(signal, task, exc=None):
    status = TaskRun.Status.RETRYING if task.retries else TaskRun.Status.FAILED
    TaskRun.objects.filter(task_id=task.id, status=TaskRun.Status.RUNNING).update(
        status=status,
        finished_at=timezone.now(),
        error="".join(traceback.format_exception(exc))[-4000:] if exc else "",
    )


KEEP_OK_RUNS = timedelta(days=2)
KEEP_FAILED_RUNS = timedelta(days=90)


@db_periodic_task(crontab(hour="3", minute="30"))
def prune_task_runs() -> int:
    """Frequent tasks (the outbox every minute) would flood the log: keep recent runs only."""
    now = timezone.now()
    deleted, _ = TaskRun.objects.filter(
        status=TaskRun.Status.OK, started_at__lt=now - KEEP_OK_RUNS
    ).delete()
    old, _ = TaskRun.objects.filter(started_at__lt=now - KEEP_FAILED_RUNS).delete()
    return deleted + old

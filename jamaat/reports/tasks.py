"""Scheduled work for the monthly report, at Bishkek time (settings.TIME_ZONE).

Huey's clock is UTC by default, so the schedule is checked against the local time of
settings.TIME_ZONE rather than with a plain crontab (09:00 in Bishkek is 03:00 UTC).
"""

from datetime import datetime

from django.conf import settings
from django.utils import timezone
from huey.contrib.djhuey import db_periodic_task, db_task

from jamaat.core.schedules import local_schedule
from jamaat.reports import services

DRAFT_HOUR = 9


@db_periodic_task(local_schedule((20,), DRAFT_HOUR), retries=3, retry_delay=900)
def compile_monthly_drafts() -> dict:
    """On the 20th: the draft of the past month for every municipality with a plan."""
    return services.compile_due_drafts(timezone.localdate())


@db_task(retries=3, retry_delay=600)
def send_report_reminder(municipality_id: int, user_id: int, day: str) -> bool:
    return services.send_reminder(
        municipality_id, user_id, datetime.strptime(day, "%Y-%m-%d").date()
    )


def queue_reminders(today) -> int:
    """One email task per responsible person (each retried on its own)."""
    recipients = services.reminder_recipients(today)
    for municipality_id, user_id in recipients:
        send_report_reminder(municipality_id, user_id, today.isoformat())
    return len(recipients)


@db_periodic_task(local_schedule((22, 25), settings.REMINDER_HOUR), retries=3, retry_delay=900)
def monthly_report_reminders() -> int:
    """On the 22nd and the 25th: remind the 1.5 responsible persons of an unpublished report."""
    return queue_reminders(timezone.localdate())

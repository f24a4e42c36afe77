"""Daily reminders: every responsible person gets their due-soon and overdue items by email."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from huey.contrib.djhuey import db_periodic_task, db_task

from jamaat.core.models import User
from jamaat.core.schedules import local_schedule
from jamaat.plans.models import Occurrence

DUE_SOON_DAYS = 7


def reminders_for(user, today):
    occs = (
        Occurrence.objects.for_person(user)
        .open()
        .filter(due__lte=today + timedelta(days=DUE_SOON_DAYS))
        .select_related("activity", "municipality")
        .order_by("due")
    )
    overdue = [o for o in occs if o.due < today]
    due = [o for o in occs if o.due >= today]
    return due, overdue


@db_task(retries=3, retry_delay=300)
def send_reminder(user_id: int) -> bool:
    user = User.objects.get(pk=user_id)
    today = timezone.localdate()
    due, overdue = reminders_for(user, today)
    if not (due or overdue) or not user.email:
        return False
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {"user": user, "due": due, "overdue": overdue, "SITE_URL": settings.SITE_URL}
        subject = render_to_string("plans/email/reminder_subject.txt", context).strip()
        body = render_to_string("plans/email/reminder.txt", context)
    send_mail(subject, body, None, [user.email])
    return True


@db_periodic_task(local_schedule(None, settings.REMINDER_HOUR), retries=3, retry_delay=600)
def daily_reminders() -> int:
    today = timezone.localdate()
    users = (
        User.objects.filter(
            is_active=True,
            responsible_activities__occurrences__status=Occurrence.Status.PLANNED,
            responsible_activities__occurrences__due__lte=today + timedelta(days=DUE_SOON_DAYS),
        )
        .exclude(email="")
        .distinct()
        .values_list("pk", flat=True)
    )
    count = 0
    for pk in users:
        send_reminder(pk)
        count += 1
    return count

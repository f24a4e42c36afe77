"""Appeal workflow: registration with a number, assignment, answer, status, reminders, statistics.

register(municipality, *, actor=None, **fields) -> Appeal
example_number(municipality) -> str  e.g. "КРЛ-2026-000123", for the status form's hints
assign(actor, appeal, user) / answer(actor, appeal, text) / set_status(actor, appeal, status, reason)
send_reminders(today) -> dict       emails 3 and 1 working days before the due date, escalation
statistics(municipality) -> dict    anonymised counts (no texts, no names)
"""

import logging
import statistics as stats_lib
from collections import Counter
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jamaat.appeals import working_days
from jamaat.appeals.models import Appeal, AppealCounter, AppealEvent, AppealSettings
from jamaat.core import audit
from jamaat.core.access import Role
from jamaat.municipalities.models import Membership

log = logging.getLogger(__name__)


def number_prefix(municipality) -> str:
    prefix = (
        AppealSettings.objects.filter(municipality=municipality)
        .values_list("number_prefix", flat=True)
        .first()
    )
    if prefix:
        return prefix.strip().upper()
    letters = [c for c in municipality.name_ky if c.isalpha()]
    return "".join(letters[:3]).upper() or municipality.slug[:3].upper()


def example_number(municipality, year: int | None = None) -> str:
    """A made-up number in this municipality's format, for placeholders and hints."""
    year = year or timezone.localdate().year
    return f"{number_prefix(municipality)}-{year}-000123"


def next_number(municipality, year: int) -> str:
    """The next registration number; gap-free when called inside the registering transaction."""
    for _attempt in range(3):
        try:
            with transaction.atomic():
                AppealCounter.objects.get_or_create(municipality=municipality, year=year)
            break
        except IntegrityError:  # created concurrently: it exists now
            continue
    counter = AppealCounter.objects.select_for_update().get(municipality=municipality, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{number_prefix(municipality)}-{year}-{counter.last:06d}"


def staff_of(municipality):
    from jamaat.core.models import User

    return (
        User.objects.filter(memberships__municipality=municipality, is_active=True)
        .distinct()
        .order_by("full_name", "username")
    )


@transaction.atomic
def register(municipality, *, actor=None, registered_at=None, **fields) -> Appeal:
    registered_at = registered_at or timezone.now()
    day = timezone.localtime(registered_at).date()
    appeal = Appeal(
        municipality=municipality,
        registered_at=registered_at,
        due_date=working_days.add(day, working_days.answer_days(municipality), municipality),
        registered_by=actor if getattr(actor, "is_authenticated", False) else None,
        **fields,
    )
    appeal.number = next_number(municipality, day.year)
    appeal.save()
    AppealEvent.objects.create(
        appeal=appeal,
        actor=appeal.registered_by,
        action="registered",
        note=appeal.channel,  # a code: the history shows its label in the reader's language
    )
    if appeal.registered_by is not None:  # public submissions: the AppealEvent is the record
        audit.record(actor, municipality, appeal, "create", {"channel": appeal.channel})
    return appeal


def _event(actor, appeal, action, note="") -> None:
    AppealEvent.objects.create(
        appeal=appeal,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        note=note,
    )


@transaction.atomic
def assign(actor, appeal: Appeal, user) -> Appeal:
    before = audit.snapshot(appeal, ["assigned_to", "status"])
    appeal.assigned_to = user
    if appeal.status == Appeal.Status.REGISTERED and user is not None:
        appeal.status = Appeal.Status.IN_PROGRESS
    appeal.save()
    _event(actor, appeal, "assigned", str(user or "—"))
    audit.record(actor, appeal.municipality, appeal, "update",
                 audit.diff(before, audit.snapshot(appeal, ["assigned_to", "status"])))  # fmt: skip
    return appeal


@transaction.atomic
def answer(actor, appeal: Appeal, text: str) -> Appeal:
    appeal.answer = text
    appeal.answered_at = timezone.now()
    appeal.answered_by = actor
    appeal.status = Appeal.Status.ANSWERED
    appeal.save()
    _event(actor, appeal, "answered")
    audit.record(actor, appeal.municipality, appeal, "update", {"status": ["", "answered"]})
    return appeal


@transaction.atomic
def set_status(actor, appeal: Appeal, status: str, reason: str = "") -> Appeal:
    before = appeal.status
    appeal.status = status
    appeal.unconsidered_reason = reason if status == Appeal.Status.UNCONSIDERED else ""
    appeal.save()
    _event(actor, appeal, f"status:{status}", appeal.unconsidered_reason)  # a code, see detail
    audit.record(actor, appeal.municipality, appeal, "update", {"status": [before, status]})
    return appeal


# --- reminders ------------------------------------------------------------------------------


def _mail(user, subject: str, body: str) -> bool:
    if not user.email:
        return False
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return True


def _link(appeal) -> str:
    return settings.SITE_URL + reverse("appeals:detail", args=[appeal.municipality.slug, appeal.pk])


def send_reminders(today: date | None = None) -> dict:
    """Remind assignees 3 and 1 working days before the due date; escalate to the heads the day
    after the deadline. Each reminder is sent once (recorded in `reminders_sent`)."""
    today = today or timezone.localdate()
    sent = Counter()
    appeals = Appeal.objects.open().select_related("assigned_to", "municipality")
    for appeal in appeals:
        done = set(appeal.reminders_sent)
        if appeal.due_date < today:
            if "escalated" in done:
                continue
            heads = [
                m.user
                for m in Membership.objects.filter(
                    municipality=appeal.municipality, role=Role.HEAD, user__is_active=True
                ).select_related("user")
            ]
            for head in heads:
                with translation.override(head.language or "ky"):
                    _mail(
                        head,
                        _("Appeal %(number)s is overdue") % {"number": appeal.number},
                        _(
                            "The answer to appeal %(number)s was due on %(due)s and has not been "
                            "given. Responsible person: %(who)s.\n%(link)s"
                        )
                        % {
                            "number": appeal.number,
                            "due": appeal.due_date.strftime("%d.%m.%Y"),
                            "who": appeal.assigned_to or "—",
                            "link": _link(appeal),
                        },
                    )
            done.add("escalated")
            _event(None, appeal, "escalated", ", ".join(str(h) for h in heads))
            sent["escalated"] += 1
        elif appeal.assigned_to is not None:
            left = working_days.between(today, appeal.due_date)
            key = str(left)
            if left in (1, 3) and key not in done:
                user = appeal.assigned_to
                with translation.override(user.language or "ky"):
                    _mail(
                        user,
                        _("Appeal %(number)s: answer due on %(due)s")
                        % {"number": appeal.number, "due": appeal.due_date.strftime("%d.%m.%Y")},
                        _(
                            "%(days)s working day(s) are left to answer appeal %(number)s. "
                            "The reply must be in the language of the appeal.\n%(link)s"
                        )
                        % {"days": left, "number": appeal.number, "link": _link(appeal)},
                    )
                done.add(key)
                _event(None, appeal, f"reminder:{key}")
                sent[f"reminder_{key}"] += 1
        else:
            continue
        appeal.reminders_sent = sorted(done)
        Appeal.objects.filter(pk=appeal.pk).update(reminders_sent=appeal.reminders_sent)
    return dict(sent)


# --- statistics -----------------------------------------------------------------------------


def on_time_share(municipality, today: date | None = None) -> float | None:
    """Share of appeals answered by the due date, among those answered or already overdue."""
    today = today or timezone.localdate()
    qs = Appeal.objects.for_municipality(municipality)
    on_time = late = 0
    for status, answered_at, due in qs.values_list("status", "answered_at", "due_date"):
        if answered_at is not None:
            if timezone.localtime(answered_at).date() <= due:
                on_time += 1
            else:
                late += 1
        elif status in Appeal.OPEN_STATUSES and due < today:
            late += 1
    total = on_time + late
    return on_time / total if total else None


def statistics(municipality) -> dict:
    from jamaat.municipalities.models import LocalIssue

    qs = Appeal.objects.for_municipality(municipality)
    names = {li.pk: str(li) for li in LocalIssue.objects.filter(municipality=municipality)}
    by_category = [
        (names.get(row["category"], "—"), row["n"])
        for row in qs.values("category").annotate(n=Count("id")).order_by("-n")
    ]
    labels = dict(Appeal.Status.choices)
    by_status = [
        (row["status"], labels.get(row["status"], row["status"]), row["n"])
        for row in qs.values("status").annotate(n=Count("id")).order_by("status")
    ]
    by_month = [
        (row["month"], row["n"])
        for row in qs.annotate(month=TruncMonth("registered_at"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    ]
    days = [
        working_days.between(timezone.localtime(r).date(), timezone.localtime(a).date())
        for r, a in qs.filter(answered_at__isnull=False).values_list("registered_at", "answered_at")
    ]
    share = on_time_share(municipality)
    return {
        "total": qs.count(),
        "by_category": by_category,
        "by_status": by_status,
        "by_month": by_month,
        "on_time_share": share,
        "on_time_percent": round(share * 100) if share is not None else None,
        "median_days": stats_lib.median(days) if days else None,
        "answered": len(days),
    }

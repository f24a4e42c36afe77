"""Monthly reports (activity 1.5): compiling drafts, staff edits, publishing, reminders.

Which month, and which plan occurrence
--------------------------------------
Activity 1.5 reads: "information material about the activities the LSG body carried out in the
*past* month … posted on the 25th of *each* month". The schedule gives 1.5 one occurrence per
month M, window M-01 … M-25, due on the 25th. Hence:

- the report of month M-1 (`MonthlyReport.month`) is compiled automatically on the 20th of M,
  edited by staff, and published by the 25th of M (reminders on the 22nd and the 25th of M);
- publishing it is the evidence of the 1.5 occurrence of M, dated the day of publication, or the
  25th of M when it is published late (so it lands in M's window rather than closing M+1's, whose
  own report is still to come; the real publication time stays on the report);
- a report can only be made for a month that has ended: the current month and later are refused.
"""

import logging
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jamaat.core import audit
from jamaat.plans.models import Activity, Plan
from jamaat.plans.services import record_automatic_evidence
from jamaat.reports import compose
from jamaat.reports.models import PUBLISH_DAY, MonthlyReport, previous_month
from jamaat.reports.pdf import render_report_pdf

log = logging.getLogger(__name__)

ACTIVITY_CODE = "1.5"
TEXT_FIELDS = ("title_ky", "body_ky", "title_ru", "body_ru")


class Outcome:
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    KEPT_EDITS = "kept_edits"  # staff edited the draft: not overwritten without confirmation
    PUBLISHED = "published"  # a published report is never recompiled


@dataclass
class Compiled:
    report: MonthlyReport
    outcome: str


def check_month(month: date, today: date | None = None) -> date:
    """The first of `month`; refuses a month that has not ended yet."""
    month = month.replace(day=1)
    today = today or timezone.localdate()
    if month > today:
        raise ValidationError(
            _("%(month)s is in the future: a report covers a month that has ended.")
            % {"month": f"{month:%m.%Y}"},
            code="future",
        )
    if month == today.replace(day=1):
        raise ValidationError(
            _(
                "%(month)s has not ended yet: a report covers a past month and is published "
                "by the 25th of the next month."
            )
            % {"month": f"{month:%m.%Y}"},
            code="current",
        )
    return month


def drafted_texts(municipality, month: date) -> tuple[dict, dict]:
    facts = compose.gather(municipality, month)
    texts = {}
    for lang in ("ky", "ru"):
        texts[f"title_{lang}"] = compose.title(municipality, month, lang)
        texts[f"body_{lang}"] = compose.body(municipality, month, facts, lang)
    return texts, facts.figures


@transaction.atomic
def compile_draft(
    municipality, month: date, *, force: bool = False, actor=None, today: date | None = None
) -> Compiled:
    """Create or refresh the draft of `month` from what the month recorded. Idempotent.

    A draft staff have edited is kept as it is unless `force` (the "recompile" button, after
    confirmation). A published report is never touched.
    """
    month = check_month(month, today)
    report = (
        MonthlyReport.objects.select_for_update()
        .filter(municipality=municipality, month=month)
        .first()
    )
    if report is not None and report.is_published:
        return Compiled(report, Outcome.PUBLISHED)
    if report is not None and report.edited_by_staff and not force:
        return Compiled(report, Outcome.KEPT_EDITS)
    texts, figures = drafted_texts(municipality, month)
    if report is None:
        report = MonthlyReport.objects.create(
            municipality=municipality,
            month=month,
            figures=figures,
            compiled_at=timezone.now(),
            **texts,
        )
        audit.record(actor, municipality, report, "create", {"month": ["", f"{month:%Y-%m}"]})
        return Compiled(report, Outcome.CREATED)
    same = all(getattr(report, k) == v for k, v in texts.items()) and report.figures == figures
    if same and not report.edited_by_staff:
        return Compiled(report, Outcome.UNCHANGED)
    before = audit.snapshot(report, ["edited_by_staff"])
    for k, v in texts.items():
        setattr(report, k, v)
    report.figures = figures
    report.compiled_at = timezone.now()
    report.edited_by_staff = False
    report.save()
    audit.record(
        actor,
        municipality,
        report,
        "recompile",
        audit.diff(before, audit.snapshot(report, ["edited_by_staff"]))
        or {"compiled_at": ["", f"{report.compiled_at:%Y-%m-%d %H:%M}"]},
    )
    return Compiled(report, Outcome.UPDATED)


@transaction.atomic
def save_edits(actor, report: MonthlyReport, values: dict) -> bool:
    """Store staff changes to the texts; True when anything changed (the draft is then kept
    from automatic recompiling). A published report gets its PDF made again."""
    before = audit.snapshot(report, TEXT_FIELDS)
    current = MonthlyReport.objects.get(pk=report.pk)
    changed = {k: v for k, v in values.items() if k in TEXT_FIELDS and getattr(current, k) != v}
    if not changed:
        return False
    for k, v in changed.items():
        setattr(report, k, v)
    report.edited_by_staff = True
    report.edited_by = actor if getattr(actor, "is_authenticated", False) else None
    report.edited_at = timezone.now()
    if report.is_published:
        check_publishable(report)
        _store_pdf(report)
    report.save()
    diff = audit.diff(before, audit.snapshot(report, TEXT_FIELDS))
    audit.record(actor, report.municipality, report, "update", {
        k: [f"{len(a or '')} chars", f"{len(b or '')} chars"] for k, (a, b) in diff.items()
    })  # fmt: skip
    return True


def check_publishable(report: MonthlyReport) -> None:
    errors = []
    if not (report.body_ky.strip() or report.body_ru.strip()):
        errors.append(
            ValidationError(
                _("The report is empty: write its text in Kyrgyz or in Russian before publishing."),
                code="empty",
            )
        )
    for lang, name in (("ky", _("Kyrgyz")), ("ru", _("Russian"))):
        if getattr(report, f"body_{lang}").strip() and not getattr(report, f"title_{lang}").strip():
            errors.append(
                ValidationError(
                    _("The %(language)s text has no title.") % {"language": name},
                    code="no_title",
                )
            )
    if errors:
        raise ValidationError(errors)


def _store_pdf(report: MonthlyReport) -> None:
    content = render_report_pdf(report)
    old = report.pdf.name if report.pdf else ""
    report.pdf.save(f"{report.month:%Y-%m}.pdf", ContentFile(content), save=False)
    if old and old != report.pdf.name:
        transaction.on_commit(lambda: report.pdf.storage.delete(old))


def evidence_day(report: MonthlyReport, published_on: date) -> date:
    """The day recorded for the 1.5 occurrence of the month after the report's month."""
    return min(published_on, report.occurrence_month.replace(day=PUBLISH_DAY))


@transaction.atomic
def publish(actor, report: MonthlyReport, today: date | None = None):
    """Publish: status, PDF, and the evidence of the 1.5 occurrence (once per report).

    Returns the Evidence, or None when no plan occurrence covers that month.
    """
    today = today or timezone.localdate()
    check_month(report.month, today)
    check_publishable(report)
    was = report.status
    if not report.is_published:
        report.status = MonthlyReport.Status.PUBLISHED
        report.published_at = timezone.now()
        report.published_by = actor if getattr(actor, "is_authenticated", False) else None
        _store_pdf(report)
    elif not report.pdf:
        _store_pdf(report)
    report.save()
    if was != report.status:
        audit.record(
            actor, report.municipality, report, "publish", {"status": [was, report.status]}
        )
    published_on = timezone.localtime(report.published_at).date()
    text = report.title_ky or report.title_ru
    if published_on > report.publish_due:
        text += " · " + _("published on %(date)s, after the 25th") % {
            "date": f"{published_on:%d.%m.%Y}"
        }
    return record_automatic_evidence(
        report.municipality,
        ACTIVITY_CODE,
        evidence_day(report, published_on),
        text=text,
        source=f"reports.monthly:{report.pk}",
        links=[f"{settings.SITE_URL}{report.get_absolute_url()}"],
    )


# --- the schedule: drafts on the 20th, reminders on the 22nd and 25th ---------------------------


def municipalities_with_plans():
    from jamaat.municipalities.models import Municipality

    return Municipality.objects.filter(
        pk__in=Plan.objects.values("municipality_id").distinct()
    ).order_by("pk")


def compile_due_drafts(today: date | None = None) -> dict[str, int]:
    """On the 20th of M: the draft of M-1 for every municipality that has a plan.

    A failure in one municipality does not stop the others; it is raised at the end so the
    task is retried (compiling is idempotent, so the retry redoes nothing twice).
    """
    today = today or timezone.localdate()
    month = previous_month(today)
    counts: dict[str, int] = {}
    failures = []
    for municipality in municipalities_with_plans():
        try:
            outcome = compile_draft(municipality, month, today=today).outcome
        except Exception as exc:  # reported below, after the others ran
            log.exception("monthly report draft failed for %s", municipality.slug)
            failures.append(f"{municipality.slug}: {exc}")
            continue
        counts[outcome] = counts.get(outcome, 0) + 1
    if failures:
        raise RuntimeError("; ".join(failures))
    return counts


def responsible_for_reports(municipality, on: date):
    plan = Plan.objects.current_for(municipality, on)
    if plan is None:
        return []
    activity = Activity.objects.filter(plan=plan, code=ACTIVITY_CODE).first()
    if activity is None:
        return []
    return list(
        activity.responsible_persons.filter(is_active=True).exclude(email="").order_by("pk")
    )


def reminder_recipients(today: date) -> list[tuple[int, int]]:
    """(municipality id, user id) for every unpublished report of the past month."""
    month = previous_month(today)
    published = set(
        MonthlyReport.objects.published()
        .filter(month=month)
        .values_list("municipality_id", flat=True)
    )
    out = []
    for municipality in municipalities_with_plans():
        if municipality.pk in published:
            continue
        out += [(municipality.pk, u.pk) for u in responsible_for_reports(municipality, today)]
    return out


def send_reminder(municipality_id: int, user_id: int, today: date) -> bool:
    """Email one responsible person, in their language, unless the report is published by now."""
    from jamaat.core.models import User
    from jamaat.municipalities.models import Municipality

    municipality = Municipality.objects.get(pk=municipality_id)
    user = User.objects.get(pk=user_id)
    month = previous_month(today)
    report = MonthlyReport.objects.filter(municipality=municipality, month=month).first()
    if (report and report.is_published) or not user.email or not user.is_active:
        return False
    due = date(today.year, today.month, PUBLISH_DAY)
    language = user.language or settings.LANGUAGE_CODE
    with translation.override(language):
        from jamaat.reports import lang as L

        context = {
            "user": user,
            "municipality": municipality,
            "report": report,
            "month_label": L.month_label(month, language[:2]),
            "due": due,
            "is_due_today": today >= due,
            "SITE_URL": settings.SITE_URL,
        }
        subject = render_to_string("reports/email/reminder_subject.txt", context)
        body = render_to_string("reports/email/reminder.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])
    return True

"""Writes about meetings that have side effects: announcing (site + subscribers), cancelling,
recording attendance and the protocol, and the plan evidence a held meeting provides.

    save_meeting(actor, meeting, agenda_formset, files, remove_ids) -> Meeting
    announce(actor, meeting, reason="") -> int                 # messages queued
    cancel(actor, meeting, reason) -> int
    record_attendance(actor, meeting) -> None                   # marks it held, records evidence
    save_protocol(actor, meeting, scan=None) -> None
    record_plan_evidence(meeting) -> list[Evidence]
"""

import contextlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jamaat.core import audit
from jamaat.core.uploads import CleanFile
from jamaat.meetings.models import AGE_FIELDS, Meeting, MeetingDocument, MeetingSettings
from jamaat.meetings.words import long_date, words
from jamaat.messaging import services as messaging
from jamaat.plans.services import record_automatic_evidence

MEETING_AUDIT_FIELDS = [
    "kind", "title_ky", "title_ru", "starts_at", "place_ky", "place_ru", "contacts",
]  # fmt: skip
ATTENDANCE_AUDIT_FIELDS = [
    "attendance_total", "women", "men", *AGE_FIELDS, "eligible_count", "presentation_shown",
]  # fmt: skip
PROTOCOL_AUDIT_FIELDS = ["protocol_number", "chair", "secretary", "questions_ky", "questions_ru"]
TELEGRAM_POST_LIMIT = 4000


def _local(dt):
    return timezone.localtime(dt).strftime("%d.%m.%Y %H:%M")


def _snapshot(meeting, fields):
    snap = audit.snapshot(meeting, fields)
    if "starts_at" in snap and meeting.starts_at:
        snap["starts_at"] = _local(meeting.starts_at)
    return snap


# --- the meeting and its agenda --------------------------------------------------------------


def save_rows(formset, meeting: Meeting) -> None:
    """Save a validated inline formset, numbering the rows in the order they are shown."""
    position = 0
    deleted = set(map(id, formset.deleted_forms))
    for form in formset.forms:
        if id(form) in deleted:
            if form.instance.pk:
                form.instance.delete()
            continue
        if not form.instance.pk and not form.has_changed():
            continue
        position += 10
        obj = form.save(commit=False)
        obj.meeting = meeting
        obj.order = position
        obj.save()
        form.save_m2m()


def add_documents(meeting: Meeting, files: list[CleanFile]) -> None:
    for f in files:
        doc = MeetingDocument(
            meeting=meeting, original_name=f.name, content_type=f.content_type, size=len(f.content)
        )
        doc.file.save(f.name, ContentFile(f.content), save=False)
        doc.save()


@transaction.atomic
def save_meeting(actor, meeting: Meeting, agenda_formset, files=(), remove_ids=()) -> Meeting:
    """Save the meeting form's instance (its villages from `form.save_m2m`) and agenda."""
    created = meeting.pk is None
    before = {} if created else _snapshot(Meeting.objects.get(pk=meeting.pk), MEETING_AUDIT_FIELDS)
    if created:
        meeting.created_by = actor if getattr(actor, "is_authenticated", False) else None
    meeting.save()
    save_rows(agenda_formset, meeting)
    add_documents(meeting, list(files))
    removed = list(MeetingDocument.objects.filter(meeting=meeting, pk__in=list(remove_ids)))
    for doc in removed:
        doc.file.delete(save=False)
        doc.delete()
    changes = audit.diff(before, _snapshot(meeting, MEETING_AUDIT_FIELDS))
    if files:
        changes["documents added"] = ["", ", ".join(f.name for f in files)]
    if removed:
        changes["documents removed"] = [", ".join(d.original_name for d in removed), ""]
    if created:
        audit.record(actor, meeting.municipality, meeting, "create", changes)
    elif agenda_formset.has_changed():
        changes["agenda"] = ["…", "changed"]
        audit.record(actor, meeting.municipality, meeting, "update", changes)
    else:
        audit.record(actor, meeting.municipality, meeting, "update", changes)
    return meeting


# --- announcing and cancelling -----------------------------------------------------------------


def notice_problem(meeting: Meeting, s: MeetingSettings, now=None) -> str | None:
    """None when the meeting may be announced without a reason; else "past" or "short"."""
    now = now or timezone.now()
    if meeting.starts_at <= now:
        return "past"
    if meeting.days_ahead(timezone.localdate(now)) < s.notice_days:
        return "short"
    return None


def check_announcement(meeting: Meeting, s: MeetingSettings, reason: str) -> None:
    """Raise ValidationError with a message a staff member can act on."""
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("A cancelled meeting cannot be announced."), code="cancelled")
    if meeting.status == Meeting.Status.HELD:
        raise ValidationError(_("This meeting has already been held."), code="held")
    problem = notice_problem(meeting, s)
    if problem == "past":
        raise ValidationError(
            _(
                "The meeting's date, %(when)s, has already passed, so it cannot be announced. "
                "Change the date, or, if the meeting took place, record its attendance instead."
            )
            % {"when": _local(meeting.starts_at)},
            code="past",
        )
    if not meeting.agenda_items.exists():
        raise ValidationError(
            _("Add at least one agenda item before announcing."), code="no_agenda"
        )
    if problem == "short" and not reason.strip():
        days = meeting.days_ahead()
        raise ValidationError(
            ngettext(
                "The meeting is %(days)s day away; residents should be told at least "
                "%(notice)s days ahead. Give the reason for the short notice, or move the date.",
                "The meeting is %(days)s days away; residents should be told at least "
                "%(notice)s days ahead. Give the reason for the short notice, or move the date.",
                days,
            )
            % {"days": days, "notice": s.notice_days},
            code="short_notice",
        )


def _message(meeting: Meeting, lang: str, key: str, reason: str = "") -> tuple[str, str]:
    """(subject, body) of the announcement or cancellation in `lang` (ky or ru)."""
    w = words(lang)
    start = meeting.local_start
    kind = w["kind"][meeting.kind]
    head = w[key].format(Kind=kind[:1].upper() + kind[1:], kind=kind, title=meeting.title_in(lang))
    when = w["msg_when"].format(date=long_date(start, lang), time=f"{start:%H:%M}")
    lines = [head, when, w["msg_place"].format(place=meeting.place_in(lang))]
    if key == "msg_announce":
        agenda = [i.text_in(lang) for i in meeting.agenda_items.all()]
        if agenda:
            lines += ["", w["agenda"] + ":"] + [f"{n}. {t}" for n, t in enumerate(agenda, 1)]
    elif reason:
        lines.append(w["msg_reason"].format(reason=reason))
    lines += ["", f"{settings.SITE_URL}{meeting.get_absolute_url()}"]
    return head, "\n".join(lines)


def _notify(meeting: Meeting, key: str, source: str, reason: str = "") -> int:
    cache = {lang: _message(meeting, lang, key, reason) for lang in ("ky", "ru")}

    def render(sub):
        subject, body = cache.get(sub.language, cache["ky"])
        return subject, body, None

    count = messaging.enqueue_to_subscribers(meeting.municipality, source, render)
    post = "\n\n".join(cache[lang][1] for lang in ("ky", "ru"))
    if len(post) > TELEGRAM_POST_LIMIT:
        post = cache["ky"][1][:TELEGRAM_POST_LIMIT]
    with contextlib.suppress(ValidationError):  # the text is cut to the limit above
        messaging.enqueue_channel_post(meeting.municipality, source, post)
    return count


@transaction.atomic
def announce(actor, meeting: Meeting, reason: str = "") -> int:
    """Publish the meeting on the site and queue it to every active subscriber.

    Idempotent: announcing an announced meeting changes nothing and queues nothing new.
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == Meeting.Status.ANNOUNCED:
        return 0
    s = MeetingSettings.for_municipality(meeting.municipality)
    reason = reason.strip()
    check_announcement(meeting, s, reason)
    short = notice_problem(meeting, s) == "short"
    meeting.status = Meeting.Status.ANNOUNCED
    meeting.announced_at = timezone.now()
    meeting.short_notice_reason = reason if short else ""
    meeting.save(update_fields=["status", "announced_at", "short_notice_reason", "updated_at"])
    changes = {
        "status": [Meeting.Status.DRAFT, Meeting.Status.ANNOUNCED],
        "days ahead": ["", str(meeting.days_ahead())],
    }
    if short:
        changes["short notice reason"] = ["", reason]
    audit.record(actor, meeting.municipality, meeting, "announce", changes)
    return _notify(meeting, "msg_announce", f"meeting:{meeting.pk}:announce")


@transaction.atomic
def cancel(actor, meeting: Meeting, reason: str) -> int:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == Meeting.Status.HELD:
        raise ValidationError(_("A meeting that was held cannot be cancelled."), code="held")
    if meeting.status == Meeting.Status.CANCELLED:
        return 0
    if not reason.strip():
        raise ValidationError(_("Say why the meeting is cancelled."), code="reason_required")
    was_announced = meeting.status == Meeting.Status.ANNOUNCED
    before = meeting.status
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancelled_reason = reason.strip()
    meeting.save(update_fields=["status", "cancelled_reason", "updated_at"])
    audit.record(
        actor,
        meeting.municipality,
        meeting,
        "cancel",
        {"status": [before, meeting.status], "reason": ["", meeting.cancelled_reason]},
    )
    if was_announced and meeting.starts_at > timezone.now():
        return _notify(
            meeting, "msg_cancel", f"meeting:{meeting.pk}:cancel", meeting.cancelled_reason
        )
    return 0


# --- after the meeting -------------------------------------------------------------------------


@transaction.atomic
def record_attendance(actor, meeting: Meeting) -> None:
    """Save the attendance already set on `meeting` by the form; the meeting becomes held."""
    before = _snapshot(Meeting.objects.get(pk=meeting.pk), ATTENDANCE_AUDIT_FIELDS)
    before_status = Meeting.objects.filter(pk=meeting.pk).values_list("status", flat=True).get()
    meeting.status = Meeting.Status.HELD
    meeting.save()
    changes = audit.diff(before, _snapshot(meeting, ATTENDANCE_AUDIT_FIELDS))
    if before_status != meeting.status:
        changes["status"] = [before_status, meeting.status]
    audit.record(actor, meeting.municipality, meeting, "attendance", changes)
    record_plan_evidence(meeting)


@transaction.atomic
def save_protocol(actor, meeting: Meeting, speakers, decisions, scan: CleanFile | None = None):
    """Save the protocol form's instance and its speakers and decisions formsets."""
    before = _snapshot(Meeting.objects.get(pk=meeting.pk), PROTOCOL_AUDIT_FIELDS)
    if scan is not None:
        if meeting.protocol_scan:
            meeting.protocol_scan.delete(save=False)
        meeting.protocol_scan.save(scan.name, ContentFile(scan.content), save=False)
        meeting.protocol_scan_name = scan.name
    meeting.save()
    save_rows(speakers, meeting)
    save_rows(decisions, meeting)
    changes = audit.diff(before, _snapshot(meeting, PROTOCOL_AUDIT_FIELDS))
    if speakers.has_changed():
        changes["speakers"] = ["…", "changed"]
    if decisions.has_changed():
        changes["decisions"] = ["…", "changed"]
    if scan is not None:
        changes["signed scan"] = ["", scan.name]
    audit.record(actor, meeting.municipality, meeting, "protocol", changes)
    if meeting.is_held:
        record_plan_evidence(meeting)


def evidence_sources(meeting: Meeting) -> dict[str, str]:
    """activity code -> evidence source. 2.1 for every held meeting; 1.2 when the presentation
    on local issues was shown. One source per activity: the plan engine is idempotent per source
    across the whole plan, so the two activities cannot share one."""
    sources = {"2.1": f"meetings.meeting:{meeting.pk}"}
    if meeting.presentation_shown:
        sources["1.2"] = f"meetings.meeting:{meeting.pk}:presentation"
    return sources


def record_plan_evidence(meeting: Meeting) -> list:
    """A held meeting is the evidence of its 2.1 occurrence (and of 1.2 with the presentation)."""
    if not meeting.is_held:
        return []
    day = meeting.local_start.date()
    if day > timezone.localdate():
        return []
    links = [f"{settings.SITE_URL}{meeting.get_absolute_url()}"]
    kinds = " / ".join(words(lang)["kind"][meeting.kind] for lang in ("ky", "ru"))
    text = f"{meeting.title_ky or meeting.title_ru} ({kinds})"
    if meeting.attendance_total is not None:
        text += f": {meeting.attendance_total}"
    out = []
    for code, source in evidence_sources(meeting).items():
        evidence = record_automatic_evidence(
            meeting.municipality, code, day, text=text, source=source, links=links
        )
        if evidence is not None:
            out.append(evidence)
    return out

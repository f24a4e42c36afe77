"""Writes on initiatives: submission, edits, the lifecycle, milestones, support (online and paper).

    submit(municipality, data, *, channel, language, consent_text, actor=None) -> Initiative
    update(actor, initiative, before) -> None
    transition(actor, initiative, to, *, note="", **fields) -> StatusChange  (ValidationError)
    add_milestone(actor, initiative, happened_on, text_ky, text_ru, progress, photos) -> Milestone
    add_paper_support(actor, initiative, count, collected_on, note, files) -> PaperSupport
    start_support(initiative, phone, *, language, consent_text, code=None) -> SupportCode
    confirm_support(support_code, code) -> Support  (SupportError with a clear message)
    supported_count(municipality, year) / implemented_count(municipality, year) -> int

Every staff write is in the audit trail; every status change is a `StatusChange` row; an
initiative reaching "implemented" is evidence for the 2.2 occurrence of its year.
"""

from __future__ import annotations

import logging
import uuid
from datetime import date, datetime, time
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jamaat.core import audit
from jamaat.core.uploads import CleanFile, image_variants
from jamaat.initiatives.codes import code_text
from jamaat.initiatives.models import (
    Initiative,
    Milestone,
    MilestonePhoto,
    PaperSheet,
    PaperSupport,
    Status,
    StatusChange,
    Support,
    SupportCode,
    new_tracking_code,
)
from jamaat.messaging import codes
from jamaat.messaging.services import normalise_kg_phone
from jamaat.plans.services import record_automatic_evidence

log = logging.getLogger(__name__)

EDIT_AUDIT_FIELDS = [
    "language", "title", "description", "title_other", "description_other", "village",
    "category", "estimated_cost", "submitter_name", "phone", "group_name", "publish_name",
    "is_public", "decision_kind", "decision_number", "decision_date", "budget_kgs",
    "cofinancing_kgs", "progress", "implemented_on", "rejection_reason",
]  # fmt: skip

# What each target status asks for (besides an optional note).
TRANSITION_FIELDS: dict[str, tuple[str, ...]] = {
    Status.UNDER_REVIEW: (),
    Status.SUPPORTED: ("decision_kind", "decision_number", "decision_date"),
    Status.FUNDED: ("budget_kgs", "cofinancing_kgs"),
    Status.IN_PROGRESS: ("progress",),
    Status.IMPLEMENTED: ("implemented_on",),
    Status.REJECTED: ("rejection_reason",),
}


# --- consent ---------------------------------------------------------------------------------


def submission_consent_text(municipality, lang: str) -> str:
    with translation.override(lang):
        return _(
            "I agree that %(name)s keeps my name and phone number to contact me about this "
            "initiative. My phone number is never shown publicly."
        ) % {"name": municipality.name_in(lang)}


def support_consent_text(municipality, lang: str) -> str:
    with translation.override(lang):
        return _(
            "I agree that %(name)s keeps my phone number to count my support once and sends "
            "me the confirmation code. My number is never shown publicly."
        ) % {"name": municipality.name_in(lang)}


# --- submission and edits --------------------------------------------------------------------


@transaction.atomic
def submit(
    municipality,
    data: dict,
    *,
    channel: str,
    language: str,
    consent_text: str = "",
    actor=None,
    submitted_on: date | None = None,
) -> Initiative:
    """A new initiative: online from a resident (actor None) or entered by staff from paper.

    `data` holds the model fields of the form (title, description, village, category,
    estimated_cost, submitter_name, phone, group_name, publish_name). The phone is normalised.
    """
    fields = dict(data)
    fields["phone"] = normalise_kg_phone(fields.get("phone", ""))
    now = timezone.now()
    code = new_tracking_code()
    while Initiative.objects.filter(tracking_code=code).exists():  # 31^8 codes: rare
        code = new_tracking_code()
    initiative = Initiative.objects.create(
        municipality=municipality,
        channel=channel,
        language=language if language in ("ky", "ru") else "ky",
        consent_text=consent_text,
        consent_at=now if consent_text else None,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        status=Status.SUBMITTED,
        status_changed_at=now,
        tracking_code=code,
        received_on=min(submitted_on or timezone.localdate(), timezone.localdate()),
        **fields,
    )
    at = now
    if submitted_on and submitted_on < timezone.localdate():
        at = timezone.make_aware(datetime.combine(submitted_on, time(12)))
    StatusChange.objects.create(
        municipality=municipality,
        initiative=initiative,
        at=at,
        actor=initiative.created_by,
        from_status="",
        to_status=Status.SUBMITTED,
        note=_("Received on paper.") if channel == Initiative.Channel.PAPER else "",
    )
    audit.record(actor, municipality, initiative, "create", {"channel": ["", channel]})
    return initiative


def update(actor, initiative: Initiative, before: dict) -> None:
    """Save a staff edit; `before` is `audit.snapshot` of the row as it was in the database."""
    initiative.phone = normalise_kg_phone(initiative.phone)
    initiative.save()
    changes = audit.diff(before, audit.snapshot(initiative, EDIT_AUDIT_FIELDS))
    if "phone" in changes:
        changes["phone"] = ["•••", "•••"]  # the audit trail does not spread phone numbers
    audit.record(actor, initiative.municipality, initiative, "update", changes)


def snapshot(initiative: Initiative) -> dict:
    return audit.snapshot(initiative, EDIT_AUDIT_FIELDS)


# --- the lifecycle ---------------------------------------------------------------------------


def invalid_transition_message(initiative: Initiative, to: str) -> str:
    current = initiative.get_status_display()
    target = Status(to).label if to in Status.values else to
    nxt = initiative.next_statuses
    if not nxt:
        return _("The initiative is “%(current)s”: its status cannot change any more.") % {
            "current": current
        }
    return _(
        "An initiative that is “%(current)s” cannot become “%(target)s”. "
        "Possible next steps: %(next)s."
    ) % {
        "current": current,
        "target": target,
        "next": ", ".join(f"“{Status(s).label}”" for s in nxt),
    }


def _check_fields(initiative: Initiative, to: str, fields: dict) -> dict:
    """The values the target status needs, checked; raises ValidationError({field: message})."""
    errors: dict[str, str] = {}
    today = timezone.localdate()
    out: dict = {}
    if to == Status.SUPPORTED:
        kind = fields.get("decision_kind") or ""
        if kind not in Initiative.DecisionKind.values:
            errors["decision_kind"] = _("Say whether the council or the head decided.")
        number = (fields.get("decision_number") or "").strip()
        if not number:
            errors["decision_number"] = _("Give the number of the decision or order.")
        when = fields.get("decision_date")
        if when is None:
            errors["decision_date"] = _("Give the date of the decision or order.")
        elif when > today:
            errors["decision_date"] = _("The date cannot be in the future.")
        out = {"decision_kind": kind, "decision_number": number, "decision_date": when}
    elif to == Status.FUNDED:
        budget = fields.get("budget_kgs")
        cofin = fields.get("cofinancing_kgs")
        if budget is None:
            errors["budget_kgs"] = _("Give the amount from the local budget (0 if none).")
        elif budget < 0:
            errors["budget_kgs"] = _("The amount cannot be negative.")
        if cofin is not None and cofin < 0:
            errors["cofinancing_kgs"] = _("The amount cannot be negative.")
        if not errors and (budget or 0) + (cofin or 0) <= 0:
            errors["budget_kgs"] = _(
                "Funded means money is set aside: give the budget or the co-financing amount."
            )
        out = {"budget_kgs": budget, "cofinancing_kgs": cofin or Decimal(0)}
    elif to == Status.IN_PROGRESS:
        progress = fields.get("progress")
        progress = 0 if progress is None else progress
        if not 0 <= progress <= 99:
            errors["progress"] = _("Progress is 0 to 99% while the work goes on.")
        out = {"progress": progress}
    elif to == Status.IMPLEMENTED:
        when = fields.get("implemented_on") or today
        if when > today:
            errors["implemented_on"] = _("The date cannot be in the future.")
        elif initiative.decision_date and when < initiative.decision_date:
            errors["implemented_on"] = _(
                "The initiative cannot be implemented before it was supported (%(date)s)."
            ) % {"date": initiative.decision_date.strftime("%d.%m.%Y")}
        out = {"implemented_on": when, "progress": 100}
    elif to == Status.REJECTED:
        reason = (fields.get("rejection_reason") or "").strip()
        if not reason:
            errors["rejection_reason"] = _("Give the reason: the resident will read it.")
        out = {"rejection_reason": reason}
    if errors:
        raise ValidationError(errors)
    return out


@transaction.atomic
def transition(actor, initiative: Initiative, to: str, *, note: str = "", **fields) -> StatusChange:
    """Move the initiative to `to` if the lifecycle allows it, with what that status needs."""
    current = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if to not in Status.values or not current.can_become(to):
        raise ValidationError(invalid_transition_message(current, to), code="invalid_transition")
    values = _check_fields(current, to, fields)
    before = current.status
    for field, value in values.items():
        setattr(current, field, value)
    current.status = to
    current.status_changed_at = timezone.now()
    current.save()
    change = StatusChange.objects.create(
        municipality_id=current.municipality_id,
        initiative=current,
        at=current.status_changed_at,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        from_status=before,
        to_status=to,
        note=(note or "").strip(),
    )
    changes = {"status": [before, to]}
    changes.update({k: ["", audit._plain(v)] for k, v in values.items()})
    audit.record(actor, current.municipality, current, "transition", changes)
    if to == Status.IMPLEMENTED:
        record_implementation(current)
    # the caller's object reflects the new state
    for field in ("status", "status_changed_at", *values):
        setattr(initiative, field, getattr(current, field))
    return change


def record_implementation(initiative: Initiative):
    """Evidence for the 2.2 occurrence of the year it was implemented (idempotent)."""
    try:
        return record_automatic_evidence(
            initiative.municipality,
            "2.2",
            initiative.implemented_on,
            text=_("Local initiative implemented: %(title)s") % {"title": initiative.title},
            source=f"initiatives.initiative:{initiative.pk}",
            links=[f"{settings.SITE_URL}{initiative.get_absolute_url()}"],
        )
    except ValidationError:  # e.g. a date outside the plan period: the lifecycle goes on
        log.warning("no 2.2 evidence for initiative %s", initiative.pk, exc_info=True)
        return None


# --- milestones ------------------------------------------------------------------------------


def _save_photos(milestone: Milestone, files: list[CleanFile]) -> None:
    start = milestone.photos.count()
    for i, f in enumerate(files):
        variants = image_variants(f.content)
        stem = uuid.uuid4().hex[:12]
        photo = MilestonePhoto(
            municipality_id=milestone.municipality_id,
            milestone=milestone,
            order=start + i,
            widths=[w for w, _h, _b in variants],
            small_w=variants[0][0],
            small_h=variants[0][1],
        )
        for field, (w, _h, data) in zip(("small", "medium", "large"), variants, strict=False):
            getattr(photo, field).save(f"{stem}-{w}.jpg", ContentFile(data), save=False)
        photo.save()


@transaction.atomic
def add_milestone(
    actor,
    initiative: Initiative,
    happened_on: date,
    text_ky: str = "",
    text_ru: str = "",
    progress: int | None = None,
    photos: list[CleanFile] | None = None,
) -> Milestone:
    current = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if not current.accepts_milestones:
        raise ValidationError(
            _("Milestones are recorded once the initiative is funded (now: “%(status)s”).")
            % {"status": current.get_status_display()},
            code="no_milestones",
        )
    if happened_on > timezone.localdate():
        raise ValidationError({"happened_on": _("The date cannot be in the future.")})
    if not (text_ky.strip() or text_ru.strip()):
        raise ValidationError(_("Write what was done, in Kyrgyz or in Russian."))
    if progress is not None and current.status == Status.IN_PROGRESS and not 0 <= progress <= 99:
        raise ValidationError(
            {"progress": _("Progress is 0 to 99% while the work goes on; 100% is “implemented”.")}
        )
    milestone = Milestone.objects.create(
        municipality_id=current.municipality_id,
        initiative=current,
        happened_on=happened_on,
        text_ky=text_ky.strip(),
        text_ru=text_ru.strip(),
        progress=progress if current.status in (Status.FUNDED, Status.IN_PROGRESS) else None,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _save_photos(milestone, photos or [])
    changes = {"milestone": ["", happened_on.isoformat()]}
    if milestone.progress is not None and milestone.progress != current.progress:
        changes["progress"] = [current.progress, milestone.progress]
        current.progress = milestone.progress
        current.save(update_fields=["progress", "updated_at"])
        initiative.progress = current.progress
    audit.record(actor, current.municipality, current, "milestone", changes)
    return milestone


# --- paper support ---------------------------------------------------------------------------


def recount(initiative: Initiative) -> None:
    online = Support.objects.filter(initiative=initiative).count()
    paper = PaperSupport.objects.filter(initiative=initiative).aggregate(n=Sum("count"))["n"] or 0
    Initiative.objects.filter(pk=initiative.pk).update(support_online=online, support_paper=paper)
    initiative.support_online, initiative.support_paper = online, paper


@transaction.atomic
def add_paper_support(
    actor,
    initiative: Initiative,
    count: int,
    collected_on: date,
    note: str = "",
    files: list[CleanFile] | None = None,
) -> PaperSupport:
    current = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if current.status == Status.REJECTED:
        raise ValidationError(
            _("The initiative was rejected: support is no longer collected."), code="closed"
        )
    if count < 1:
        raise ValidationError({"count": _("Enter the number of signatures (at least 1).")})
    if collected_on > timezone.localdate():
        raise ValidationError({"collected_on": _("The date cannot be in the future.")})
    if not files:
        raise ValidationError({"sheets": _("Attach the scanned sheets (photos or PDF).")})
    paper = PaperSupport.objects.create(
        municipality_id=initiative.municipality_id,
        initiative=initiative,
        count=count,
        collected_on=collected_on,
        note=note.strip(),
        entered_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    for f in files:
        sheet = PaperSheet(
            municipality_id=initiative.municipality_id,
            paper_support=paper,
            original_name=f.name,
            content_type=f.content_type,
            size=len(f.content),
        )
        sheet.file.save(f.name, ContentFile(f.content), save=False)
        sheet.save()
    before = initiative.support_paper
    recount(initiative)
    audit.record(
        actor,
        initiative.municipality,
        initiative,
        "paper_support",
        {"paper support": [before, initiative.support_paper]},
    )
    return paper


# --- online support with a code --------------------------------------------------------------


class SupportError(ValidationError):
    """A refused support step; `code` says which (duplicate, closed, wrong_code, expired,
    too_many, not_sent)."""


PURPOSE = "initiatives.support-code"


def duplicate_message() -> str:
    return _(
        "This phone number has already supported this initiative. Each number can support it once."
    )


@transaction.atomic
def start_support(
    initiative: Initiative,
    phone: str,
    *,
    language: str,
    consent_text: str,
    code: str | None = None,
) -> SupportCode:
    """Send a 6-digit code to the phone; returns the pending `SupportCode` (its token for the URL).

    A code asked for again within PHONE_CODE_RESEND_SECONDS (60) is not sent twice: the
    pending one is returned. `code` is for tests and tools only (default: a random one).
    """
    phone = normalise_kg_phone(phone)
    Initiative.objects.select_for_update().filter(pk=initiative.pk).first()
    if not initiative.open_for_support:
        raise SupportError(
            _("Support is closed: the initiative is “%(status)s”.")
            % {"status": initiative.get_status_display()},
            code="closed",
        )
    if Support.objects.filter(initiative=initiative, phone=phone).exists():
        raise SupportError(duplicate_message(), code="duplicate")
    lang = language if language in ("ky", "ru") else "ky"
    try:
        return codes.issue(
            SupportCode.objects.filter(initiative=initiative, phone=phone),
            create=lambda **fields: SupportCode.objects.create(
                municipality_id=initiative.municipality_id,
                initiative=initiative,
                phone=phone,
                language=lang,
                consent_text=consent_text,
                **fields,
            ),
            purpose=PURPOSE,
            municipality=initiative.municipality,
            phone=phone,
            text=lambda c: code_text(initiative.municipality, initiative, c, lang),
            language=lang,
            source=f"initiatives.support_code:{initiative.pk}",
            code=code,
        )
    except codes.CodeNotSent:
        raise SupportError(codes.not_sent_message(), code="not_sent") from None


def confirm_support(pending: SupportCode, code: str) -> Support:
    """Check the code; on success count the support. Raises SupportError with a clear message.

    A wrong code uses up an attempt (kept even though the error is raised).
    """
    error: SupportError | None = None
    support = None
    with transaction.atomic():
        sc = SupportCode.objects.select_for_update().select_related("initiative").get(pk=pending.pk)
        initiative = sc.initiative
        if (
            sc.used_at is not None
            or Support.objects.filter(initiative=initiative, phone=sc.phone).exists()
        ):
            error = SupportError(duplicate_message(), code="duplicate")
        elif not initiative.open_for_support:
            error = SupportError(
                _("Support is closed: the initiative is “%(status)s”.")
                % {"status": initiative.get_status_display()},
                code="closed",
            )
        elif (refused := codes.check(sc, PURPOSE, code)) is not None:
            error = SupportError(refused[1], code=refused[0])
        else:
            try:
                with transaction.atomic():
                    support = Support.objects.create(
                        municipality_id=sc.municipality_id,
                        initiative=initiative,
                        phone=sc.phone,
                        language=sc.language,
                        consent_text=sc.consent_text,
                        delivery=sc.delivery,
                    )
            except IntegrityError:
                error = SupportError(duplicate_message(), code="duplicate")
            else:
                sc.used_at = timezone.now()
                sc.save(update_fields=["used_at"])
                recount(initiative)
    pending.attempts = sc.attempts
    if error is not None:
        raise error
    return support


# --- figures for indicator 2.2 ---------------------------------------------------------------

INITIATIVES_HOW = gettext_lazy(
    "Local initiatives implemented in the year (status “implemented”, dated in that year). "
    "Each one was supported first by a decision of the local council or an order of the head, "
    "as the lifecycle requires, so “supported and implemented” counts an initiative once, in the "
    "year its implementation ends. Initiatives supported in the year and still being funded or "
    "carried out are listed on the initiatives page and counted when they are implemented."
)


def implemented_count(municipality, year: int) -> int:
    return Initiative.objects.for_municipality(municipality).implemented_in(year).count()


def supported_count(municipality, year: int) -> int:
    return Initiative.objects.for_municipality(municipality).supported_in(year).count()

"""Writes of the acts app: the act lifecycle, linking mandates, mandate statuses, plan evidence.

Every write is audited. Adopting an act records evidence for activity 2.3 (the reporting
occurrence whose window holds the adoption date) and marks the open mandates it answers as
answered by an act.
"""

import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from jamaat.acts.models import Deputy, LegalAct, Mandate, MandateEvent
from jamaat.core import audit
from jamaat.core.uploads import CleanFile
from jamaat.plans.services import record_automatic_evidence

ACT_FIELDS = ["title_ky", "title_ru", "summary_ky", "summary_ru", "category"]
MANDATE_FIELDS = [
    "deputy", "received_via", "received_on", "submitted_by", "text", "village", "category",
]  # fmt: skip
DEPUTY_FIELDS = [
    "full_name", "district_number", "district_name_ky", "district_name_ru", "term_from",
    "term_to", "phone", "email", "reception_ky", "reception_ru", "user", "is_active",
]  # fmt: skip
STEP_FIELDS = {
    LegalAct.Status.INITIATED: ["initiator_kind", "initiator_deputy", "initiator_name", "initiated_on"],
    LegalAct.Status.DISCUSSION: ["discussion_from", "discussion_to", "hearing_url"],
    LegalAct.Status.ADOPTED: ["number", "adopted_on"],
    LegalAct.Status.IN_FORCE: ["in_force_on"],
    LegalAct.Status.REPEALED: ["repealed_on", "repeal_reason_ky", "repeal_reason_ru"],
}  # fmt: skip


class InvalidStep(ValidationError):
    """A lifecycle step that is not allowed from the act's (or mandate's) current status."""


def check_step(act: LegalAct, to_status: str) -> None:
    if to_status in act.next_steps:
        return
    labels = dict(LegalAct.Status.choices)
    allowed = ", ".join(str(labels[s]) for s in act.next_steps)
    raise InvalidStep(
        _(
            "An act with the status “%(current)s” cannot become “%(wanted)s”. "
            "Possible next steps: %(allowed)s."
        )
        % {
            "current": act.get_status_display(),
            "wanted": labels.get(to_status, to_status),
            "allowed": allowed or _("none (a repealed act is final)"),
        },
        code="invalid_step",
    )


def _store_pdf(act: LegalAct, pdf: CleanFile) -> None:
    stem = pdf.name.rsplit(".", 1)[0][:80] or "act"
    act.pdf.save(f"{uuid.uuid4().hex[:8]}-{stem}.pdf", ContentFile(pdf.content), save=False)
    act.pdf_size = len(pdf.content)


@transaction.atomic
def save_act(actor, act: LegalAct, mandates=None) -> LegalAct:
    created = act.pk is None
    before = {} if created else audit.snapshot(LegalAct.objects.get(pk=act.pk), ACT_FIELDS)
    act.save()
    changes = audit.diff(before, audit.snapshot(act, ACT_FIELDS))
    audit.record(actor, act.municipality, act, "create" if created else "update", changes)
    if mandates is not None:
        link_mandates(actor, act, mandates)
    return act


@transaction.atomic
def take_step(
    actor, act: LegalAct, to_status: str, values: dict, pdf: CleanFile | None = None
) -> LegalAct:
    """Move `act` to `to_status`, setting that step's fields from `values` (already validated)."""
    act = LegalAct.objects.select_for_update().get(pk=act.pk)
    check_step(act, to_status)
    if to_status == LegalAct.Status.ADOPTED and pdf is None:
        raise ValidationError(_("Attach the signed text of the act as a PDF."), code="pdf_required")
    before_status = act.status
    for name in STEP_FIELDS[to_status]:
        if name in values:
            setattr(act, name, values[name])
    if to_status == LegalAct.Status.INITIATED:
        if act.initiator_kind != LegalAct.Initiator.DEPUTY:
            act.initiator_deputy = None
        if act.initiator_kind != LegalAct.Initiator.COMMITTEE:
            act.initiator_name = ""
    if pdf is not None:
        _store_pdf(act, pdf)
    act.status = to_status
    act.save()
    changes = {"status": [before_status, to_status]}
    changes.update(
        {n: ["", audit._plain(getattr(act, n))] for n in STEP_FIELDS[to_status] if getattr(act, n)}
    )
    audit.record(actor, act.municipality, act, "status", changes)
    if to_status == LegalAct.Status.ADOPTED:
        answer_mandates(actor, act)
        record_adoption(act.pk)
    return act


def record_adoption(act_id: int):
    """Evidence for activity 2.3 (idempotent per act). None outside the plan's period."""
    act = LegalAct.objects.select_related("municipality").get(pk=act_id)
    if not act.is_public or act.adopted_on is None:
        return None
    number = f"№ {act.number}, {act.adopted_on:%d.%m.%Y}"
    try:
        return record_automatic_evidence(
            act.municipality,
            "2.3",
            act.adopted_on,
            text=f"{number}: {act.title_ky or act.title_ru}",
            source=f"acts.act:{act.pk}",
            links=[f"{settings.SITE_URL}{act.get_absolute_url()}"],
        )
    except ValidationError:
        return None  # adopted before the plan's period began: nothing to report


@transaction.atomic
def link_mandates(actor, act: LegalAct, mandates) -> None:
    old = set(act.mandates.values_list("pk", flat=True))
    new = {m.pk for m in mandates}
    if old == new:
        return
    act.mandates.set(mandates)
    audit.record(
        actor,
        act.municipality,
        act,
        "update",
        {"mandates": [sorted(old), sorted(new)]},
    )
    if act.is_public:
        answer_mandates(actor, act)
    # A mandate unlinked from the only adopted act that answered it is open again.
    note = _("No longer linked to the act “%(title)s”.") % {"title": act.title_ky or act.title_ru}
    for mandate in Mandate.objects.filter(pk__in=old - new, status=Mandate.Status.ANSWERED):
        if not mandate.acts.filter(status__in=LegalAct.PUBLIC_STATUSES).exists():
            _set_mandate_status(actor, act.municipality, mandate, Mandate.Status.IN_WORK, note)


def answer_mandates(actor, act: LegalAct) -> int:
    """Mark the open mandates linked to an adopted act as answered by it."""
    note = _("Answered by the act № %(number)s of %(date)s: %(title)s") % {
        "number": act.number,
        "date": act.adopted_on.strftime("%d.%m.%Y") if act.adopted_on else "",
        "title": act.title_ky or act.title_ru,
    }
    count = 0
    for mandate in act.mandates.filter(status__in=Mandate.OPEN_STATUSES):
        _set_mandate_status(actor, act.municipality, mandate, Mandate.Status.ANSWERED, note)
        count += 1
    return count


@transaction.atomic
def save_mandate(actor, mandate: Mandate) -> Mandate:
    created = mandate.pk is None
    before = {} if created else audit.snapshot(Mandate.objects.get(pk=mandate.pk), MANDATE_FIELDS)
    mandate.save()
    if created:
        MandateEvent.objects.create(mandate=mandate, actor=_user(actor), to_status=mandate.status)
    changes = audit.diff(before, audit.snapshot(mandate, MANDATE_FIELDS))
    audit.record(actor, mandate.municipality, mandate, "create" if created else "update", changes)
    return mandate


def check_mandate_status(mandate: Mandate, to_status: str, note: str) -> None:
    labels = dict(Mandate.Status.choices)
    if to_status not in Mandate.NEXT.get(mandate.status, ()):
        raise InvalidStep(
            _("A mandate with the status “%(current)s” cannot become “%(wanted)s”.")
            % {"current": mandate.get_status_display(), "wanted": labels.get(to_status, to_status)},
            code="invalid_step",
        )
    if to_status in Mandate.NOTE_REQUIRED and not note.strip():
        raise ValidationError(
            _("Say how the mandate was fulfilled.")
            if to_status == Mandate.Status.FULFILLED
            else _("Give the reason for rejecting the mandate."),
            code="note_required",
        )
    if (
        to_status == Mandate.Status.ANSWERED
        and not mandate.acts.filter(status__in=LegalAct.PUBLIC_STATUSES).exists()
    ):
        raise ValidationError(
            _(
                "No adopted act answers this mandate yet. Link the mandate on the act's page; "
                "it is marked answered when the act is adopted."
            ),
            code="no_act",
        )


@transaction.atomic
def change_mandate_status(actor, municipality, mandate: Mandate, to_status: str, note: str = ""):
    mandate = Mandate.objects.select_for_update().get(pk=mandate.pk)
    check_mandate_status(mandate, to_status, note)
    _set_mandate_status(actor, municipality, mandate, to_status, note)
    return mandate


def _set_mandate_status(actor, municipality, mandate: Mandate, to_status: str, note: str) -> None:
    before = mandate.status
    mandate.status = to_status
    mandate.status_note = note.strip()
    mandate.save(update_fields=["status", "status_note"])
    MandateEvent.objects.create(
        mandate=mandate, actor=_user(actor), from_status=before, to_status=to_status, note=note
    )
    audit.record(actor, municipality, mandate, "status", {"status": [before, to_status]})


@transaction.atomic
def save_deputy(actor, deputy: Deputy) -> Deputy:
    created = deputy.pk is None
    before = {} if created else audit.snapshot(Deputy.objects.get(pk=deputy.pk), DEPUTY_FIELDS)
    deputy.save()
    changes = audit.diff(before, audit.snapshot(deputy, DEPUTY_FIELDS))
    audit.record(actor, deputy.municipality, deputy, "create" if created else "update", changes)
    return deputy


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


@dataclass
class YearCounts:
    year: int
    initiated: int
    adopted: int
    mandates: dict = field(default_factory=dict)


def year_counts(municipality, year: int) -> YearCounts:
    acts = LegalAct.objects.for_municipality(municipality)
    mandates = {
        row["status"]: row["n"]
        for row in Mandate.objects.for_municipality(municipality)
        .filter(received_on__year=year)
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
    }
    return YearCounts(
        year=year,
        initiated=acts.initiated_in(year).count(),
        adopted=acts.adopted_in(year).count(),
        mandates=mandates,
    )

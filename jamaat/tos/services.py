"""Writes of the tos app: bodies, projects and their photos, project steps and plan evidence.

Every write is audited. A project marked implemented is evidence for the yearly occurrence of
activity 2.4 in the year it was implemented (idempotent per project).
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from jamaat.core import audit
from jamaat.core.uploads import CleanFile, image_variants
from jamaat.plans.services import record_automatic_evidence
from jamaat.tos.models import TosBody, TosProject, TosProjectPhoto

BODY_FIELDS = [
    "name_ky", "name_ru", "territory_ky", "territory_ru", "leader_name", "leader_phone",
    "leader_phone_public", "members_count", "registered_on", "registration_number", "is_active",
]  # fmt: skip
PROJECT_FIELDS = [
    "tos", "title_ky", "title_ru", "description_ky", "description_ru", "category",
    "local_budget_kgs", "own_contribution_kgs", "own_contribution_in_kind_ky",
    "own_contribution_in_kind_ru", "planned_start",
]  # fmt: skip
STEP_FIELDS = {
    TosProject.Status.IN_PROGRESS: ["started_on"],
    TosProject.Status.IMPLEMENTED: ["started_on", "finished_on"],
    TosProject.Status.CANCELLED: ["cancelled_on", "cancel_reason"],
}
MAX_PHOTOS = 20


class InvalidStep(ValidationError):
    pass


def check_step(project: TosProject, to_status: str) -> None:
    if to_status in project.next_steps:
        return
    labels = dict(TosProject.Status.choices)
    raise InvalidStep(
        _("A project with the status “%(current)s” cannot become “%(wanted)s”.")
        % {"current": project.get_status_display(), "wanted": labels.get(to_status, to_status)},
        code="invalid_step",
    )


@transaction.atomic
def save_body(actor, body: TosBody, villages=None) -> TosBody:
    created = body.pk is None
    before = {} if created else audit.snapshot(TosBody.objects.get(pk=body.pk), BODY_FIELDS)
    body.save()
    changes = audit.diff(before, audit.snapshot(body, BODY_FIELDS))
    if villages is not None:
        old = sorted(str(v) for v in body.villages.all())
        body.villages.set(villages)
        new = sorted(str(v) for v in villages)
        if old != new:
            changes["villages"] = [", ".join(old), ", ".join(new)]
    audit.record(actor, body.municipality, body, "create" if created else "update", changes)
    return body


@transaction.atomic
def save_project(actor, project: TosProject, photos: list[CleanFile] = ()) -> TosProject:
    created = project.pk is None
    before = (
        {} if created else audit.snapshot(TosProject.objects.get(pk=project.pk), PROJECT_FIELDS)
    )
    project.save()
    changes = audit.diff(before, audit.snapshot(project, PROJECT_FIELDS))
    if photos:
        add_photos(project, photos)
        changes["photos"] = ["", f"+{len(photos)}"]
    audit.record(actor, project.municipality, project, "create" if created else "update", changes)
    return project


def add_photos(project: TosProject, files: list[CleanFile]) -> None:
    start = project.photos.count()
    if start + len(files) > MAX_PHOTOS:
        raise ValidationError(
            _("A project keeps at most %(n)s photos.") % {"n": MAX_PHOTOS}, code="too_many"
        )
    for i, f in enumerate(files):
        stem = uuid.uuid4().hex[:12]
        w, h, small = image_variants(f.content, widths=(480,))[0]
        photo = TosProjectPhoto(project=project, order=start + i, thumb_w=w, thumb_h=h)
        photo.image.save(f"{stem}.jpg", ContentFile(f.content), save=False)
        photo.thumb.save(f"{stem}-{w}.jpg", ContentFile(small), save=False)
        photo.save()


@transaction.atomic
def delete_photo(actor, project: TosProject, photo_id: int) -> bool:
    photo = project.photos.filter(pk=photo_id).first()
    if photo is None:
        return False
    name = photo.image.name
    photo.image.delete(save=False)
    photo.thumb.delete(save=False)
    photo.delete()
    audit.record(actor, project.municipality, project, "update", {"photos": [name, ""]})
    return True


@transaction.atomic
def take_step(actor, project: TosProject, to_status: str, values: dict) -> TosProject:
    project = (
        TosProject.objects.select_for_update().select_related("municipality").get(pk=project.pk)
    )
    check_step(project, to_status)
    before = project.status
    for name in STEP_FIELDS[to_status]:
        if values.get(name) is not None:
            setattr(project, name, values[name])
    project.status = to_status
    project.save()
    changes = {"status": [before, to_status]}
    changes.update(
        {n: ["", audit._plain(getattr(project, n))] for n in STEP_FIELDS[to_status]
         if getattr(project, n)}
    )  # fmt: skip
    audit.record(actor, project.municipality, project, "status", changes)
    if to_status == TosProject.Status.IMPLEMENTED:
        record_implementation(project.pk)
    return project


def record_implementation(project_id: int):
    """Evidence for activity 2.4 (idempotent per project); None outside the plan's period."""
    project = TosProject.objects.select_related("municipality", "tos").get(pk=project_id)
    if project.status != TosProject.Status.IMPLEMENTED or project.finished_on is None:
        return None
    try:
        return record_automatic_evidence(
            project.municipality,
            "2.4",
            project.finished_on,
            text=f"{project.tos}: {project.title_ky or project.title_ru}",
            source=f"tos.project:{project.pk}",
            links=[f"{settings.SITE_URL}{project.get_absolute_url()}"],
        )
    except ValidationError:
        return None

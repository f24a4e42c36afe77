"""Activity 2.4: territorial public self-government bodies (ТОС / АКӨБ) and their projects.

A project goes planned → in progress → implemented (or planned → implemented when it is entered
after the fact), and planned / in progress → cancelled with a reason; the allowed steps are in
`TosProject.NEXT` and are taken through `jamaat.tos.services`. Implemented projects feed
indicator 2.4 and are evidence for its yearly occurrence.
"""

from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jamaat.core.models import TenantModel, TenantQuerySet, localized


class TosBodyQuerySet(TenantQuerySet):
    def active(self):
        return self.filter(is_active=True)


class TosBody(TenantModel):
    name_ky = models.CharField(_("name (ky)"), max_length=200, blank=True)
    name_ru = models.CharField(_("name (ru)"), max_length=200, blank=True)
    territory_ky = models.TextField(_("territory (ky)"), blank=True)
    territory_ru = models.TextField(_("territory (ru)"), blank=True)
    villages = models.ManyToManyField(
        "municipalities.Village", verbose_name=_("villages"), blank=True, related_name="+"
    )
    leader_name = models.CharField(_("leader"), max_length=200)
    leader_phone = models.CharField(_("leader's phone"), max_length=32, blank=True)
    leader_phone_public = models.BooleanField(
        _("show the leader's phone on the public page"), default=False
    )
    members_count = models.PositiveIntegerField(_("number of members"), default=0)
    members_list = models.TextField(
        _("members"), blank=True, help_text=_("One name a line; not shown publicly.")
    )
    registered_on = models.DateField(_("registration date"), null=True, blank=True)
    registration_number = models.CharField(_("registration number"), max_length=60, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TosBodyQuerySet.as_manager()

    class Meta:
        ordering = ["-is_active", "name_ky", "name_ru"]
        verbose_name = _("territorial public self-government body")

    def __str__(self) -> str:
        return self.name_ky or self.name_ru or f"#{self.pk}"

    name = property(lambda self: localized(self, "name"))
    territory = property(lambda self: localized(self, "territory"))

    def get_manage_url(self) -> str:
        return reverse("tos:body_edit", args=[self.municipality.slug, self.pk])


class TosProjectQuerySet(TenantQuerySet):
    def public(self):
        return self.filter(tos__is_active=True).exclude(status=TosProject.Status.CANCELLED)

    def implemented_in(self, year: int):
        return self.filter(status=TosProject.Status.IMPLEMENTED, finished_on__year=year)

    def money(self):
        return self.aggregate(
            local=Sum("local_budget_kgs", filter=~Q(status=TosProject.Status.CANCELLED)),
            own=Sum("own_contribution_kgs", filter=~Q(status=TosProject.Status.CANCELLED)),
        )


class TosProject(TenantModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        IMPLEMENTED = "implemented", _("implemented")
        CANCELLED = "cancelled", _("cancelled")

    NEXT = {
        Status.PLANNED: (Status.IN_PROGRESS, Status.IMPLEMENTED, Status.CANCELLED),
        Status.IN_PROGRESS: (Status.IMPLEMENTED, Status.CANCELLED),
        Status.IMPLEMENTED: (),
        Status.CANCELLED: (),
    }

    tos = models.ForeignKey(
        TosBody, verbose_name=_("TPS body"), on_delete=models.CASCADE, related_name="projects"
    )
    title_ky = models.CharField(_("title (ky)"), max_length=200, blank=True)
    title_ru = models.CharField(_("title (ru)"), max_length=200, blank=True)
    description_ky = models.TextField(_("description (ky)"), blank=True)
    description_ru = models.TextField(_("description (ru)"), blank=True)
    category = models.ForeignKey(
        "municipalities.LocalIssue",
        verbose_name=_("local issue"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    local_budget_kgs = models.DecimalField(
        _("from the local budget, KGS"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    own_contribution_kgs = models.DecimalField(
        _("own contribution, KGS"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    own_contribution_in_kind_ky = models.CharField(
        _("own contribution in kind (ky)"), max_length=300, blank=True,
        help_text=_("Labour, materials, machinery…"),
    )  # fmt: skip
    own_contribution_in_kind_ru = models.CharField(
        _("own contribution in kind (ru)"), max_length=300, blank=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    started_on = models.DateField(_("started"), null=True, blank=True)
    finished_on = models.DateField(_("implemented on"), null=True, blank=True, db_index=True)
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TosProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-finished_on", "-id"]
        indexes = [models.Index(fields=["municipality", "status", "finished_on"])]

    def __str__(self) -> str:
        return self.title_ky or self.title_ru or f"#{self.pk}"

    title = property(lambda self: localized(self, "title"))
    description = property(lambda self: localized(self, "description"))
    own_contribution_in_kind = property(lambda self: localized(self, "own_contribution_in_kind"))

    def get_absolute_url(self) -> str:
        return reverse("tos:project", args=[self.municipality.slug, self.pk])

    def get_manage_url(self) -> str:
        return reverse("tos:project_edit", args=[self.municipality.slug, self.pk])

    @property
    def next_steps(self) -> tuple:
        return self.NEXT.get(self.status, ())

    @property
    def badge_class(self) -> str:
        return {
            self.Status.PLANNED: "planned",
            self.Status.IN_PROGRESS: "scheduled",
            self.Status.IMPLEMENTED: "done",
            self.Status.CANCELLED: "not_done",
        }.get(self.status, "")

    def cover(self):
        photos = list(self.photos.all())
        return photos[0] if photos else None


def photo_upload_to(instance, filename: str) -> str:
    return f"tos/{instance.project.municipality_id}/{timezone.now():%Y/%m}/{filename}"


class TosProjectPhoto(models.Model):
    """A project photo: the checked image (at most 1600 px) and a 480 px copy for lists."""

    project = models.ForeignKey(TosProject, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to=photo_upload_to)
    thumb = models.ImageField(upload_to=photo_upload_to)
    thumb_w = models.PositiveIntegerField(default=0)
    thumb_h = models.PositiveIntegerField(default=0)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.image.name

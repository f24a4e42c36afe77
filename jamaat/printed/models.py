"""Printed information materials (activity 1.4) and their placements on information boards."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jamaat.core.models import TenantModel, TenantQuerySet


def pdf_upload_to(instance, filename: str) -> str:
    # A new name on every regeneration: public media is cached for a week.
    return f"printed/{instance.municipality_id}/{instance.kind}-{uuid.uuid4().hex[:12]}.pdf"


def photo_upload_to(instance, filename: str) -> str:
    return f"printed/{instance.municipality_id}/placements/{uuid.uuid4().hex[:12]}.jpg"


class Material(TenantModel):
    """A poster or a tri-fold booklet, in Kyrgyz or Russian, from a news post or free text."""

    class Kind(models.TextChoices):
        POSTER = "poster", _("poster (A4)")
        BOOKLET = "booklet", _("tri-fold booklet (A4 landscape)")

    class Language(models.TextChoices):
        KY = "ky", "Кыргызча"
        RU = "ru", "Русский"

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.POSTER)
    language = models.CharField(
        _("language of the material"), max_length=2, choices=Language.choices, default="ky"
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(
        _("text"),
        help_text=_(
            "Paragraphs separated by an empty line; a line starting with “- ” is a bullet point."
        ),
    )
    source_post = models.ForeignKey(
        "news.Post",
        verbose_name=_("news post"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="printed_materials",
    )
    pdf = models.FileField(upload_to=pdf_upload_to, blank=True)
    qr_url = models.CharField(_("address in the QR code"), max_length=500, blank=True)
    generated_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("information material")
        verbose_name_plural = _("information materials")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("printed:detail", args=[self.municipality.slug, self.pk])

    @property
    def pdf_filename(self) -> str:
        return f"{self.kind}-{self.pk}-{self.language}.pdf"


class PlacementQuerySet(TenantQuerySet):
    def in_year(self, year: int):
        return self.filter(placed_on__year=year)


class Placement(TenantModel):
    """A material put up on an information board (a registered one, or a place in words)."""

    material = models.ForeignKey(
        Material, on_delete=models.CASCADE, related_name="placements", verbose_name=_("material")
    )
    board = models.ForeignKey(
        "channels.Channel",
        verbose_name=_("information board"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="printed_placements",
        limit_choices_to={"kind": "info_board"},
    )
    place = models.CharField(
        _("place"),
        max_length=200,
        blank=True,
        help_text=_("Where it was put up, if the board is not in the list."),
    )
    placed_on = models.DateField(_("placed on"))
    photo = models.FileField(_("photo"), upload_to=photo_upload_to, blank=True)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("placed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["-placed_on", "-id"]
        indexes = [models.Index(fields=["municipality", "placed_on"])]

    def __str__(self) -> str:
        return f"{self.material} — {self.where} ({self.placed_on:%d.%m.%Y})"

    @property
    def where(self) -> str:
        """The board's name (kept in `place` too, in case the board is deleted) and any detail."""
        if self.board_id and self.place and self.place != self.board.name:
            return f"{self.board.name} — {self.place}"
        if self.board_id:
            return self.board.name
        return self.place

    @property
    def quarter(self) -> int:
        return (self.placed_on.month - 1) // 3 + 1

    @property
    def evidence_source(self) -> str:
        return f"printed.placement:{self.pk}"

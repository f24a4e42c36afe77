"""Making materials (PDF generated on every save), recording placements and their evidence."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jamaat.core import audit
from jamaat.core.uploads import CleanFile
from jamaat.plans.services import record_automatic_evidence
from jamaat.printed import pdf
from jamaat.printed.models import Material, Placement
from jamaat.printed.text import markdown_to_text

ACTIVITY = "1.4"
INDICATOR = "1.4.materials_posted"
MATERIAL_FIELDS = ["kind", "language", "title", "text", "source_post"]

MATERIALS_PLACED_HOW = gettext_lazy(
    "Information materials (posters, booklets) with at least one placement on an information "
    "board recorded with a date in the year. A material put up on several boards or in several "
    "quarters counts once."
)


def from_post(post, lang: str) -> tuple[str, str, str]:
    """(title, text, language used) of a news post in `lang`, else in the other language."""
    other = "ru" if lang == "ky" else "ky"
    use = lang if (getattr(post, f"title_{lang}") or getattr(post, f"body_{lang}")) else other
    title = getattr(post, f"title_{use}") or getattr(post, f"title_{other}")
    return title, markdown_to_text(getattr(post, f"body_{use}")), use


def too_long_error(kind: str, pages: int) -> ValidationError:
    if kind == Material.Kind.BOOKLET:
        message = _(
            "The text does not fit in the booklet even in small type. Shorten it, or split it "
            "into two materials."
        )
    else:
        message = _(
            "The text does not fit on the poster even in small type (it needs %(pages)s pages). "
            "Shorten it, or make a booklet, which holds about twice as much."
        ) % {"pages": pages}
    return ValidationError(message, code="too_long")


@transaction.atomic
def save_material(actor, material: Material) -> pdf.Rendered:
    """Render the PDF and save the material with it. Raises ValidationError if the text does
    not fit; nothing is saved then."""
    created = material.pk is None
    before = (
        audit.snapshot(Material.objects.get(pk=material.pk), MATERIAL_FIELDS) if not created else {}
    )
    today = timezone.localdate()
    rendered = pdf.render(material, today)
    if not rendered.fits:
        raise too_long_error(material.kind, rendered.pages)
    old_file = material.pdf.name if material.pdf else ""
    if created:
        material.created_by = actor if getattr(actor, "is_authenticated", False) else None
    material.qr_url = rendered.url
    material.generated_on = today
    material.pdf.save(material.pdf_filename, ContentFile(rendered.pdf), save=False)
    material.save()
    if old_file and not material.placements.exists():
        # The PDF that was put up stays: placements' evidence links to it.
        storage = material.pdf.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    after = audit.snapshot(material, MATERIAL_FIELDS)
    audit.record(
        actor,
        material.municipality,
        material,
        "create" if created else "update",
        after if created else audit.diff(before, after) or {"pdf": ["", "regenerated"]},
    )
    return rendered


def _absolute(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else f"{settings.SITE_URL}{url}"


@transaction.atomic
def record_placement(actor, placement: Placement, photo: CleanFile | None = None) -> Placement:
    placement.recorded_by = actor if getattr(actor, "is_authenticated", False) else None
    if placement.board_id and not placement.place:
        placement.place = placement.board.name[:200]  # still known if the board is deleted
    if photo is not None:
        placement.photo.save(photo.name, ContentFile(photo.content), save=False)
    placement.save()
    audit.record(
        actor,
        placement.municipality,
        placement,
        "create",
        {
            "material": ["", str(placement.material)],
            "where": ["", placement.where],
            "placed_on": ["", placement.placed_on.isoformat()],
        },
    )
    record_evidence(placement)
    return placement


def record_evidence(placement: Placement):
    """Evidence for the quarter's occurrence of 1.4 (idempotent per placement)."""
    material = placement.material
    links = []
    if material.pdf:
        links.append(_absolute(material.pdf.url))
    if placement.photo:
        links.append(_absolute(placement.photo.url))
    text = _("%(kind)s “%(title)s” put up: %(where)s") % {
        "kind": material.get_kind_display(),
        "title": material.title,
        "where": placement.where,
    }
    return record_automatic_evidence(
        placement.municipality,
        ACTIVITY,
        placement.placed_on,
        text,
        source=placement.evidence_source,
        links=links,
    )


def materials_placed(municipality, year: int) -> int:
    """Indicator 1.4: distinct materials with a placement dated in `year`."""
    return (
        Placement.objects.for_municipality(municipality)
        .in_year(year)
        .values("material_id")
        .distinct()
        .count()
    )

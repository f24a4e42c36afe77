"""Checking and normalising uploaded files: type by content (not by name), size, image re-encode."""

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

Image.MAX_IMAGE_PIXELS = 60_000_000  # refuse decompression bombs
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}


@dataclass
class CleanFile:
    name: str
    content: bytes
    content_type: str


def check_upload(upload: UploadedFile, allow_pdf: bool = True) -> CleanFile:
    """Validate an uploaded photo/scan/PDF; images come back re-encoded as JPEG and resized."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; the largest file accepted is %(limit)s.")
            % {
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(limit),
            },
            code="too_large",
        )
    head = upload.read(8)
    upload.seek(0)
    base = get_valid_filename(upload.name.rsplit("/", 1)[-1])[:150] or "file"
    stem = base.rsplit(".", 1)[0]
    if head.startswith(b"%PDF-"):
        if not allow_pdf:
            raise ValidationError(_("Only photos are accepted here."), code="bad_type")
        return CleanFile(f"{stem}.pdf", upload.read(), "application/pdf")
    try:
        image = Image.open(upload)
        image.verify()
        upload.seek(0)
        image = Image.open(upload)
        if image.format not in IMAGE_FORMATS:
            raise UnidentifiedImageError(image.format)
        image = ImageOps.exif_transpose(image)
        image.thumbnail((settings.IMAGE_MAX_SIDE, settings.IMAGE_MAX_SIDE))
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        out = io.BytesIO()
        image.save(out, "JPEG", quality=82, optimize=True, progressive=True)  # drops EXIF
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError) as exc:
        kinds = _("a photo (JPEG, PNG, WebP) or a PDF") if allow_pdf else _("a photo (JPEG, PNG)")
        raise ValidationError(
            _("“%(name)s” is not %(kinds)s.") % {"name": upload.name, "kinds": kinds},
            code="bad_type",
        ) from exc
    return CleanFile(f"{stem}.jpg", out.getvalue(), "image/jpeg")


RESPONSIVE_WIDTHS = (480, 960, 1600)


def image_variants(content: bytes, widths=RESPONSIVE_WIDTHS) -> list[tuple[int, int, bytes]]:
    """JPEG renditions of an already-checked image at each width not larger than the original."""
    image = Image.open(io.BytesIO(content))
    image.load()
    out = []
    for w in sorted(widths):
        if w > image.width and out:
            break
        copy = image.copy()
        copy.thumbnail((w, 10_000))
        buf = io.BytesIO()
        copy.convert("RGB").save(buf, "JPEG", quality=78, optimize=True, progressive=True)
        out.append((copy.width, copy.height, buf.getvalue()))
    return out

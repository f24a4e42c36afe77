"""Shared typst helper: compile a template with JSON data and the vendored fonts.

User text is never spliced into typst markup. The data dict is serialised to
JSON and handed to the document as ``sys.inputs.data``; the template reads it
with ``json(bytes(sys.inputs.data))`` and inserts strings as *values*, so
characters such as ``# * _ $ < @ [ ] \\ "`` are rendered literally.

Template convention (see ``templates/plan.typ``)::

    #let data = json(bytes(sys.inputs.data))
    #set text(font: "DejaVu Sans")
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import typst as _typst

MODULE_DIR = Path(__file__).resolve().parent
FONT_DIR = MODULE_DIR / "fonts"
TEMPLATE_DIR = MODULE_DIR / "templates"

# Deterministic output (no "now" in PDF metadata): 2000-01-01T00:00:00Z.
_FIXED_TIMESTAMP = 946684800

_fonts_lock = threading.Lock()
_fonts: _typst.Fonts | None = None


class DocumentRenderError(RuntimeError):
    """Raised when a document cannot be rendered (e.g. typst compilation failed)."""

    def __init__(self, message: str, *, diagnostic: str = "", hints: list[str] | None = None):
        self.message = message
        self.diagnostic = diagnostic
        self.hints = list(hints or [])
        parts = [message]
        if diagnostic and diagnostic != message:
            parts.append(diagnostic)
        parts.extend(f"hint: {h}" for h in self.hints)
        super().__init__("\n".join(parts))


def _font_book() -> _typst.Fonts:
    """Vendored fonts only (plus typst's embedded fallbacks), loaded once per process."""
    global _fonts
    if _fonts is None:
        with _fonts_lock:
            if _fonts is None:
                _fonts = _typst.Fonts(
                    include_system_fonts=False,
                    include_embedded_fonts=True,
                    font_paths=[str(FONT_DIR)],
                )
    return _fonts


def load_template(name: str) -> str:
    """Return the source of a bundled template from ``templates/`` (e.g. ``"plan.typ"``)."""
    path = (TEMPLATE_DIR / name).resolve()
    if path.parent != TEMPLATE_DIR.resolve() or not path.is_file():
        raise DocumentRenderError(f"Unknown typst template: {name!r}")
    return path.read_text(encoding="utf-8")


def compile_pdf(template: str, data: dict) -> bytes:
    """Compile a typst template to PDF bytes.

    ``template`` is either the file name of a bundled template in ``templates/``
    (``"plan.typ"``) or typst source text. ``data`` must be JSON-serialisable; it
    is available in the template as ``json(bytes(sys.inputs.data))``.

    Only the vendored fonts in ``fonts/`` are used (system fonts are ignored), so
    the output is identical on every machine. Raises :class:`DocumentRenderError`
    with typst's diagnostics if compilation fails.
    """
    pdf = _compile(template, data, "pdf")
    if not isinstance(pdf, bytes):  # pragma: no cover - only multi-page image formats
        raise DocumentRenderError("typst did not return PDF bytes")
    return pdf


def compile_png(template: str, data: dict, ppi: float = 150.0) -> list[bytes]:
    """Compile a typst template to one PNG per page (charts for DOCX, which has no vector
    charts that python-docx can write). Same fonts and errors as :func:`compile_pdf`."""
    out = _compile(template, data, "png", ppi=ppi)
    return [out] if isinstance(out, bytes) else list(out)


def _compile(template: str, data: dict, fmt: str, **extra):
    if "\n" not in template and template.endswith(".typ"):
        template = load_template(template)
    try:
        payload = json.dumps(data, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise DocumentRenderError(f"Document data is not JSON-serialisable: {exc}") from exc
    try:
        return _typst.compile(
            template.encode("utf-8"),
            root=str(TEMPLATE_DIR),
            font_paths=_font_book(),
            ignore_system_fonts=True,
            format=fmt,
            sys_inputs={"data": payload},
            timestamp=_FIXED_TIMESTAMP,
            **extra,
        )
    except _typst.TypstError as exc:
        raise DocumentRenderError(
            f"typst compilation failed: {getattr(exc, 'message', exc)}",
            diagnostic=getattr(exc, "diagnostic", "") or "",
            hints=getattr(exc, "hints", None),
        ) from exc
    except RuntimeError as exc:  # older typst-py versions raise a bare RuntimeError
        raise DocumentRenderError(f"typst compilation failed: {exc}") from exc

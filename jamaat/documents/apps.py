from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """Rendering library (DOCX, PDF via typst, XLSX) with vendored fonts; holds no tenant data."""

    name = "jamaat.documents"
    label = "documents"

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Activity 1.5 (the monthly report) and 1.2 (slides for gatherings)."""

    name = "jamaat.reports"
    label = "reports"

from django.apps import AppConfig


class AppealsConfig(AppConfig):
    """Citizens' appeals (activity 3.2 collects them; 3.3 analyses them), with Open311."""

    name = "jamaat.appeals"
    label = "appeals"

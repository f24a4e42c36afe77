from django.apps import AppConfig


class PrintedConfig(AppConfig):
    """Activity 1.4: printed information materials and their placements on information boards."""

    name = "jamaat.printed"
    label = "printed"

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jamaat.core"
    label = "core"
    verbose_name = "Jamaat core"

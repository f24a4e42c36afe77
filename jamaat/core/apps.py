from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jamaat.core"
    label = "core"
    verbose_name = "Jamaat core"

    def ready(self):
        from jamaat.core import tasks  # noqa: F401  (records every Huey task run)

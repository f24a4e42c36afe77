from django.apps import AppConfig


class MunicipalitiesConfig(AppConfig):
    name = "jamaat.municipalities"
    label = "municipalities"

    def ready(self):
        from jamaat.municipalities import signals  # noqa: F401

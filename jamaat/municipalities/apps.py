from django.apps import AppConfig


class MunicipalitiesConfig(AppConfig):
    name = "jamaat.municipalities"
    label = "municipalities"

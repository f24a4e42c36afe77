from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "jamaat.plans"
    label = "plans"
    verbose_name = "Plans"

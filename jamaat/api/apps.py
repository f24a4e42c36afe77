from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "jamaat.api"
    label = "api"

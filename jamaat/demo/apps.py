from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "jamaat.demo"
    label = "demo"

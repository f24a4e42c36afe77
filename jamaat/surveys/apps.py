from django.apps import AppConfig


class SurveysConfig(AppConfig):
    """Activities 3.1 and 3.2: questionnaires, answered online and on paper."""

    name = "jamaat.surveys"
    label = "surveys"

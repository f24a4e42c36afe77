from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalysisConfig(AppConfig):
    """Activity 3.3: analysis of questionnaires and appeals, and the yearly analytical report."""

    name = "jamaat.analysis"
    label = "analysis"

    def ready(self):
        from jamaat.plans import registry

        registry.register_workplace("3.3", _("Analysis and the yearly report"), "analysis:index")

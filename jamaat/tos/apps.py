from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TosConfig(AppConfig):
    """Activity 2.4: territorial public self-government bodies (ТОС / АКӨБ) and their projects."""

    name = "jamaat.tos"
    label = "tos"

    def ready(self):
        from jamaat.plans import registry
        from jamaat.tos import figures

        registry.register_workplace("2.4", _("TPS bodies and their projects"), "tos:manage")
        registry.register_figure(
            figures.INDICATOR_KEY,
            _("Projects implemented by TPS bodies in the year"),
            figures.projects_implemented,
            figures.PROJECTS_IMPLEMENTED_HOW,
        )

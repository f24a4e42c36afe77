from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Activities 2.1 and 1.2: village gatherings and public hearings, attendance, protocols."""

    name = "jamaat.meetings"
    label = "meetings"

    def ready(self):
        from jamaat.core.public import register_home_block
        from jamaat.meetings import figures
        from jamaat.meetings.views import home_block
        from jamaat.plans import registry

        registry.register_workplace("2.1", _("Gatherings and hearings"), "meetings:manage")
        registry.register_workplace("1.2", _("Gatherings and hearings"), "meetings:manage")
        registry.register_figure(
            figures.PARTICIPANTS_KEY,
            _("Citizens who took part in gatherings and hearings"),
            figures.participants_count,
            figures.PARTICIPANTS_HOW,
        )
        registry.register_figure(
            figures.SHARE_KEY,
            _("Share of the population who took part in gatherings and hearings"),
            figures.population_share,
            figures.SHARE_HOW,
        )
        register_home_block("meetings", 20, "meetings/_home_block.html", home_block)

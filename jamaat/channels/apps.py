from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelsConfig(AppConfig):
    """Activities 1.1 and 1.3: the channels that reach residents and their monthly counts."""

    name = "jamaat.channels"
    label = "channels"

    def ready(self):
        from jamaat.channels import reach
        from jamaat.plans import registry

        registry.register_workplace("1.1", _("Channels and reach"), "channels:list")
        registry.register_workplace("1.3", _("Channels and reach"), "channels:list")
        registry.register_figure(
            "1.1.population_informed",
            _("Share of the population reached by the website and social networks"),
            reach.population_reached_share,
            reach.POPULATION_REACHED_HOW,
        )
        registry.register_figure(
            "1.1.subscriber_growth",
            _("Yearly growth of subscribers"),
            reach.subscriber_growth,
            reach.SUBSCRIBER_GROWTH_HOW,
        )

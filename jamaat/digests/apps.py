from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DigestsConfig(AppConfig):
    """Activity 1.3: the quarterly digest to subscribers and WhatsApp groups."""

    name = "jamaat.digests"
    label = "digests"

    def ready(self):
        from jamaat.digests import reach
        from jamaat.plans import registry

        registry.register_workplace("1.3", _("Quarterly digest"), "digests:list")
        registry.register_figure(
            reach.INDICATOR_KEY,
            _("Share of the population reached through WhatsApp groups"),
            reach.population_informed_whatsapp,
            reach.HOW,
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrintedConfig(AppConfig):
    """Activity 1.4: printed information materials and their placements on information boards."""

    name = "jamaat.printed"
    label = "printed"

    def ready(self):
        from jamaat.plans import registry
        from jamaat.printed import services

        registry.register_workplace("1.4", _("Printed materials"), "printed:list")
        registry.register_figure(
            services.INDICATOR,
            _("Information materials put up on information boards"),
            services.materials_placed,
            services.MATERIALS_PLACED_HOW,
        )

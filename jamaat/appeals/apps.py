from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    """Citizens' appeals (activity 3.2 collects them; 3.3 analyses them), with Open311."""

    name = "jamaat.appeals"
    label = "appeals"

    def ready(self):
        from jamaat.plans import registry

        # Appeals are part of 3.2's information collection; the 3.2 figure is the surveys'.
        registry.register_workplace("3.2", _("Appeals"), "appeals:manage")

        from jamaat.core.public import register_home_block

        def appeals_block(request, municipality):
            from jamaat.appeals import services

            share = services.on_time_share(municipality)
            return {"on_time_percent": round(share * 100) if share is not None else None}

        register_home_block("appeals", 40, "appeals/_home_block.html", appeals_block)

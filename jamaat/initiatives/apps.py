from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    """Activity 2.2: local initiatives, their support and their implementation."""

    name = "jamaat.initiatives"
    label = "initiatives"

    def ready(self):
        from jamaat.core.public import register_home_block
        from jamaat.initiatives import services
        from jamaat.initiatives.models import Initiative
        from jamaat.plans import registry

        registry.register_workplace("2.2", _("Local initiatives"), "initiatives:manage")
        registry.register_figure(
            "2.2.initiatives_implemented",
            _("Local initiatives supported and implemented in the year"),
            services.implemented_count,
            services.INITIATIVES_HOW,
        )

        def home_block(request, municipality):
            latest = list(
                Initiative.objects.for_municipality(municipality).public_list().active()[:4]
            )
            return {"initiatives": latest}

        register_home_block("initiatives", 30, "initiatives/_home_block.html", home_block)

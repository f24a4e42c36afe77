from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActsConfig(AppConfig):
    """Activity 2.3: deputies, voters' mandates and normative legal acts."""

    name = "jamaat.acts"
    label = "acts"

    def ready(self):
        from jamaat.acts import figures
        from jamaat.acts.models import LegalAct
        from jamaat.core.public import register_home_block
        from jamaat.plans import registry

        registry.register_workplace("2.3", _("Acts and mandates"), "acts:manage")
        registry.register_figure(
            figures.INDICATOR_KEY,
            _("Normative legal acts adopted in the year"),
            figures.acts_adopted,
            figures.ACTS_ADOPTED_HOW,
        )

        def latest_acts(request, municipality):
            acts = list(LegalAct.objects.for_municipality(municipality).public_list()[:3])
            return {"acts": acts} if acts else None

        register_home_block("acts", 30, "acts/_home_block.html", latest_acts)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaperConfig(AppConfig):
    """Activity 3.2 on paper: printed questionnaires, ballot-box batches, keyboard data entry."""

    name = "jamaat.paper"
    label = "paper"

    def ready(self):
        from jamaat.plans import registry

        registry.register_workplace("3.2", _("Paper questionnaires"), "paper:list")

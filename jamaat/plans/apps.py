from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "jamaat.plans"
    label = "plans"
    verbose_name = "Plans"

    def ready(self):
        from jamaat.core.public import register_home_block
        from jamaat.plans.views import home_block

        register_home_block("plan", 50, "plans/_home_block.html", home_block)

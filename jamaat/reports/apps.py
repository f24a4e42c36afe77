from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Activity 1.5 (the monthly report) and 1.2 (slides for gatherings)."""

    name = "jamaat.reports"
    label = "reports"

    def ready(self):
        from jamaat.core.public import register_home_block
        from jamaat.plans import registry
        from jamaat.reports.models import MonthlyReport

        registry.register_workplace("1.5", _("Monthly reports"), "reports:manage")
        registry.register_workplace("1.2", _("Gathering slides"), "reports:slides")

        def latest_report(request, municipality):
            report = (
                MonthlyReport.objects.for_municipality(municipality)
                .published()
                .select_related("municipality")
                .first()
            )
            return {"report": report} if report else None

        register_home_block("reports", 40, "reports/_home_block.html", latest_report)

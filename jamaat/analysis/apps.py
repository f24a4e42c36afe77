from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalysisConfig(AppConfig):
    """Activity 3.3: analysis of questionnaires and appeals, and the yearly analytical report."""

    name = "jamaat.analysis"
    label = "analysis"

    def ready(self):
        from jamaat.analysis.models import ReportJob
        from jamaat.core.public import register_home_block
        from jamaat.plans import registry

        registry.register_workplace("3.3", _("Analysis and the yearly report"), "analysis:index")

        def latest_reports(request, municipality):
            """The newest published yearly report, one file per language and format."""
            jobs = list(ReportJob.objects.for_municipality(municipality).published()[:6])
            if not jobs:
                return None
            year = jobs[0].year
            return {"year": year, "jobs": [j for j in jobs if j.year == year]}

        register_home_block("analysis_reports", 45, "analysis/_home_block.html", latest_reports)

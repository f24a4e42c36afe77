from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

RESPONSES_HOW = _(
    "Counted by Jamaat: questionnaires filled in during the year through every channel "
    "(online, paper forms from the ballot box, interviews)."
)


def responses_in_year(municipality, year):
    from jamaat.surveys.models import Response

    return Response.objects.for_municipality(municipality).filter(submitted_at__year=year).count()


class SurveysConfig(AppConfig):
    """Activities 3.1 and 3.2: questionnaires, answered online and on paper."""

    name = "jamaat.surveys"
    label = "surveys"

    def ready(self):
        from jamaat.core.public import register_home_block
        from jamaat.plans import registry

        registry.register_workplace("3.1", _("Questionnaires"), "surveys:manage")
        registry.register_workplace("3.2", _("Questionnaires"), "surveys:manage")
        registry.register_figure(
            "3.2.questionnaires_collected",
            _("Questionnaires filled in during the year"),
            responses_in_year,
            RESPONSES_HOW,
        )

        def open_questionnaires(request, municipality):
            from jamaat.surveys.models import Questionnaire

            items = list(Questionnaire.objects.for_municipality(municipality).open_now()[:5])
            return {"questionnaires": items} if items else None

        register_home_block("surveys", 30, "surveys/_home_block.html", open_questionnaires)

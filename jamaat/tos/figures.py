"""Indicator 2.4 computed from the registry of TPS (ТОС / АКӨБ) projects (shown to staff as “how”)."""

from django.utils.translation import gettext_lazy as _

from jamaat.tos.models import TosBody, TosProject

INDICATOR_KEY = "2.4.tps_projects_implemented"

PROJECTS_IMPLEMENTED_HOW = _(
    "Projects of territorial public self-government (TPS) bodies in the registry marked "
    "implemented, counted by the date they were implemented; planned, ongoing and cancelled "
    "projects are not counted."
)


def projects_implemented(municipality, year: int) -> int | None:
    """None while no ТОС body is registered (nothing recorded, not “zero projects”)."""
    if not TosBody.objects.for_municipality(municipality).exists():
        return None
    return TosProject.objects.for_municipality(municipality).implemented_in(year).count()

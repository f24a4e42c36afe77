"""Indicator 2.3 computed from the registry of normative legal acts (shown to staff as “how”)."""

from django.utils.translation import gettext_lazy as _

from jamaat.acts.models import LegalAct

INDICATOR_KEY = "2.3.normative_acts_adopted"

ACTS_ADOPTED_HOW = _(
    "Normative legal acts in the registry adopted (with number and date) in the year, counted by "
    "the date of adoption; acts repealed later still count. Drafts, initiated acts and acts under "
    "public discussion are not counted until they are adopted."
)


def acts_adopted(municipality, year: int) -> int | None:
    """Acts initiated and adopted: each adopted act went through initiation, counted when adopted.

    None while the registry of this municipality is empty (nothing recorded, not “zero acts”).
    """
    acts = LegalAct.objects.for_municipality(municipality)
    if not acts.exists():
        return None
    return acts.adopted_in(year).count()

"""GET /api/v1/municipalities/{slug}/acts/: adopted normative legal acts (public fields only)."""

from datetime import date

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from jamaat.acts.models import LegalAct
from jamaat.api.common import municipality_or_404, set_cache

router = Router(tags=["acts"])


class ActOut(Schema):
    id: int
    number: str
    adopted_on: date
    title_ky: str
    title_ru: str
    status: str
    in_force_on: date | None
    repealed_on: date | None
    pdf_url: str | None
    mandates_count: int
    url: str


@router.get(
    "/municipalities/{slug}/acts/",
    response=list[ActOut],
    summary="Adopted normative legal acts",
    description="The municipality's normative legal acts (ЧУА / НПА) that have been adopted: "
    "`status` is `adopted`, `in_force` or `repealed` (drafts and acts under discussion are not "
    "public). Newest adoption first, with number, date, both titles (either may be empty), the "
    "PDF of the signed text and how many voters' mandates the act answers. At most `limit` "
    "acts (default 100, up to 500).",
    operation_id="list_acts",
)
def list_acts(request: HttpRequest, response: HttpResponse, slug: str, limit: int = 100):
    municipality = municipality_or_404(slug)
    set_cache(request, response)
    limit = max(1, min(limit, 500))
    acts = LegalAct.objects.for_municipality(municipality).public_list()[:limit]
    return [
        {
            "id": a.pk,
            "number": a.number,
            "adopted_on": a.adopted_on,
            "title_ky": a.title_ky,
            "title_ru": a.title_ru,
            "status": a.status,
            "in_force_on": a.in_force_on,
            "repealed_on": a.repealed_on,
            "pdf_url": f"{settings.SITE_URL}{a.pdf.url}" if a.pdf else None,
            "mandates_count": a.mandates_count,
            "url": f"{settings.SITE_URL}{a.get_absolute_url()}",
        }
        for a in acts
    ]

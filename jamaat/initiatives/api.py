"""GET /api/v1/municipalities/{slug}/initiatives/: local initiatives, public fields only.

Never in the answer: the phone number, the tracking code, the consent record, and the
submitter's name unless they agreed to publish it. Initiatives staff took off the public site
are left out.
"""

from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from jamaat.api.common import municipality_or_404, set_cache
from jamaat.initiatives.models import Initiative, Status, StatusChange

router = Router(tags=["initiatives"])


class HistoryOut(Schema):
    at: datetime
    from_status: str | None
    to_status: str
    note: str


class DecisionOut(Schema):
    kind: str
    number: str
    date: date | None


class InitiativeOut(Schema):
    id: int
    status: str
    status_changed_at: datetime
    received_on: date
    channel: str
    language: str
    title_ky: str
    title_ru: str
    description_ky: str
    description_ru: str
    village_ky: str | None
    village_ru: str | None
    category: str | None
    category_ky: str | None
    category_ru: str | None
    estimated_cost_kgs: Decimal | None
    submitted_by: str | None
    group_name: str
    decision: DecisionOut | None
    budget_kgs: Decimal | None
    cofinancing_kgs: Decimal | None
    progress: int
    implemented_on: date | None
    rejection_reason: str
    support_online: int
    support_paper: int
    support_total: int
    history: list[HistoryOut]
    url: str


@router.get(
    "/municipalities/{slug}/initiatives/",
    response=list[InitiativeOut],
    summary="Local initiatives",
    description=(
        "The municipality's local initiatives (activity 2.2), most recently changed first: the "
        "text in the language it was written in (`language`) and, where staff added it, the "
        "other one (the empty language is an empty string), village, local issue, estimated "
        "cost, status with its history, the decision that supported it, funding (KGS), "
        "progress and the support count (online + paper).\n\n"
        "Public fields only: no phone numbers, and the submitter's name only if they agreed to "
        "publish it (`submitted_by`, else null). `status` filters by one status "
        f"({', '.join(Status.values)}); at most `limit` (default 50, up to 200) from `offset`."
    ),
    operation_id="list_initiatives",
)
def list_initiatives(
    request: HttpRequest,
    response: HttpResponse,
    slug: str,
    status: str | None = Query(None, description="One status, e.g. implemented."),
    limit: int = 50,
    offset: int = 0,
):
    municipality = municipality_or_404(slug)
    set_cache(request, response)
    limit = max(1, min(limit, 200))
    offset = max(0, offset)
    qs = (
        Initiative.objects.for_municipality(municipality)
        .public_list()
        .prefetch_related(Prefetch("history", queryset=StatusChange.objects.order_by("at", "id")))
    )
    if status:
        if status not in Status.values:
            raise HttpError(400, f"Unknown status '{status}'.")
        qs = qs.filter(status=status)
    return [_out(i, municipality) for i in qs[offset : offset + limit]]


def _out(i: Initiative, municipality) -> dict:
    i.municipality = municipality  # for get_absolute_url without a query per row
    return {
        "id": i.pk,
        "status": i.status,
        "status_changed_at": i.status_changed_at,
        "received_on": i.received_on,
        "channel": i.channel,
        "language": i.language,
        "title_ky": i.title_in("ky"),
        "title_ru": i.title_in("ru"),
        "description_ky": i.description_in("ky"),
        "description_ru": i.description_in("ru"),
        "village_ky": i.village.name_ky if i.village else None,
        "village_ru": i.village.name_ru if i.village else None,
        "category": i.category.code if i.category else None,
        "category_ky": i.category.name_ky if i.category else None,
        "category_ru": i.category.name_ru if i.category else None,
        "estimated_cost_kgs": i.estimated_cost,
        "submitted_by": i.submitter_name if i.publish_name else None,
        "group_name": i.group_name,
        "decision": (
            {"kind": i.decision_kind, "number": i.decision_number, "date": i.decision_date}
            if i.decision_date
            else None
        ),
        "budget_kgs": i.budget_kgs,
        "cofinancing_kgs": i.cofinancing_kgs,
        "progress": i.shown_progress,
        "implemented_on": i.implemented_on,
        "rejection_reason": i.rejection_reason,
        "support_online": i.support_online,
        "support_paper": i.support_paper,
        "support_total": i.support_total,
        "history": [
            {
                "at": h.at,
                "from_status": h.from_status or None,
                "to_status": h.to_status,
                "note": h.note,
            }
            for h in i.history.all()
        ],
        "url": f"{settings.SITE_URL}{i.get_absolute_url()}",
    }

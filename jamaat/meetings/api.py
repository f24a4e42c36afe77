"""GET /api/v1/municipalities/{slug}/meetings/: announced, held and cancelled meetings (never
drafts), with public fields only (no names of participants, no internal notes)."""

from datetime import datetime

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from jamaat.api.common import municipality_or_404, set_cache
from jamaat.meetings.models import AgendaItem, Meeting
from jamaat.municipalities.models import LocalIssue

router = Router(tags=["meetings"])


class AgendaItemOut(Schema):
    text_ky: str
    text_ru: str
    issues: list[str]


class MeetingOut(Schema):
    id: int
    kind: str
    title_ky: str
    title_ru: str
    starts_at: datetime
    place_ky: str
    place_ru: str
    status: str
    agenda: list[AgendaItemOut]
    attendance_total: int | None
    protocol_url: str | None
    url: str


@router.get(
    "/municipalities/{slug}/meetings/",
    response=list[MeetingOut],
    summary="Village gatherings and public hearings",
    description=(
        "The municipality's announced, held and cancelled meetings (drafts are never listed), "
        "latest first. `kind` is `gathering` (village gathering) or `hearing` (public hearing); "
        "`status` is `announced`, `held` or `cancelled`. The agenda lists each item in both "
        "languages (either may be empty) with the codes of its local issues. "
        "`attendance_total` is given once the meeting is held; `protocol_url` is the signed "
        "scan when uploaded, else the generated PDF in Kyrgyz (replace `-ky.pdf` by `-ru.pdf` "
        "for Russian), and null before the meeting is held. At most `limit` meetings "
        "(default 100, up to 500)."
    ),
    operation_id="list_meetings",
)
def list_meetings(request: HttpRequest, response: HttpResponse, slug: str, limit: int = 100):
    municipality = municipality_or_404(slug)
    set_cache(request, response)
    limit = max(1, min(limit, 500))
    agenda = AgendaItem.objects.prefetch_related(
        Prefetch("issues", queryset=LocalIssue.objects.order_by("order", "name_ky"))
    )
    meetings = (
        Meeting.objects.for_municipality(municipality)
        .public()
        .select_related("municipality")
        .prefetch_related(Prefetch("agenda_items", queryset=agenda))
        .order_by("-starts_at", "-id")[:limit]
    )
    site = settings.SITE_URL
    out = []
    for m in meetings:
        protocol = m.public_protocol_url("ky")
        out.append(
            {
                "id": m.pk,
                "kind": m.kind,
                "title_ky": m.title_ky,
                "title_ru": m.title_ru,
                "starts_at": m.starts_at,
                "place_ky": m.place_ky,
                "place_ru": m.place_ru,
                "status": m.status,
                "agenda": [
                    {
                        "text_ky": a.text_ky,
                        "text_ru": a.text_ru,
                        "issues": [i.code for i in a.issues.all()],
                    }
                    for a in m.agenda_items.all()
                ],
                "attendance_total": m.attendance_total if m.is_held else None,
                "protocol_url": (protocol if protocol.startswith("http") else f"{site}{protocol}")
                if protocol
                else None,
                "url": f"{site}{m.get_absolute_url()}",
            }
        )
    return out

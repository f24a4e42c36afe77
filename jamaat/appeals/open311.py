"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2), JSON only.

jurisdiction_id = the municipality's slug (required when more than one municipality exists);
service_code = a LocalIssue code; service_request_id = the appeal's registration number.
Applicant data (name, phone, email), the text and the address are never returned.
Status: registered / in progress → open; answered / closed / left unconsidered → closed.
"""

from datetime import timedelta

from django.http import JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from jamaat.appeals import ratelimit, services
from jamaat.appeals.models import Appeal
from jamaat.municipalities.models import LocalIssue, Municipality, Village

MAX_REQUESTS = 1000
DEFAULT_DAYS = 90
KYRGYZ_LETTERS = set("ңөүҢӨҮ")


def error(status: int, field: int | str, description: str) -> JsonResponse:
    """GeoReport v2 errors: a list of {code, description}, `code` the numeric HTTP status as
    the spec's examples give it; the field at fault is named first in the description."""
    text = str(description)
    if isinstance(field, str) and not text.startswith(field):
        text = f"{field}: {text}"
    return JsonResponse([{"code": status, "description": text}], status=status, safe=False)


def w3c(dt) -> str | None:
    return timezone.localtime(dt).isoformat(timespec="seconds") if dt else None


def _format_error(fmt: str) -> JsonResponse | None:
    if fmt != "json":
        return error(400, 400, _("Format not supported: only JSON is available (use .json)."))
    return None


def _jurisdiction(request, params):
    """(municipality, None) or (None, error response)."""
    slug = (params.get("jurisdiction_id") or "").strip()
    if slug:
        municipality = Municipality.objects.filter(slug=slug).first()
        if municipality is None:
            return None, error(404, 404, _("Unknown jurisdiction_id: %(id)s") % {"id": slug})
        return municipality, None
    first_two = list(Municipality.objects.order_by("pk")[:2])
    if len(first_two) == 1:
        return first_two[0], None
    return None, error(400, 400, _("jurisdiction_id is required (the municipality's slug)."))


def _service(issue: LocalIssue) -> dict:
    return {
        "service_code": issue.code,
        "service_name": str(issue),
        "description": f"{issue.name_ky} / {issue.name_ru}",
        "metadata": False,
        "type": "realtime",
        "keywords": issue.code,
        "group": issue.municipality.name,
    }


def _request(appeal: Appeal) -> dict:
    expected = None
    if appeal.is_open:
        expected = timezone.make_aware(
            timezone.datetime.combine(appeal.due_date, timezone.datetime.min.time())
        ).replace(hour=18)
    return {
        "service_request_id": appeal.number,
        "status": appeal.open311_status,
        "status_notes": appeal.get_status_display()
        + (f": {appeal.get_unconsidered_reason_display()}" if appeal.unconsidered_reason else ""),
        "service_name": str(appeal.category),
        "service_code": appeal.category.code,
        "description": None,
        "agency_responsible": appeal.municipality.name,
        "service_notice": _("Answer due by %(date)s") % {"date": appeal.due_date.isoformat()},
        "requested_datetime": w3c(appeal.registered_at),
        "updated_datetime": w3c(appeal.updated_at),
        "expected_datetime": w3c(expected),
        "address": None,
        "address_id": None,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": None,
    }


@require_GET
def discovery(request, fmt):
    if bad := _format_error(fmt):
        return bad
    url = request.build_absolute_uri("/open311/v2/")
    return JsonResponse(
        {
            "changeset": "2026-01-01T00:00:00+06:00",
            "contact": _("The LSG body of the municipality (see jurisdiction_id)."),
            "key_service": _("No API key is needed; submissions are rate-limited per address."),
            "endpoints": [
                {
                    "specification": "http://wiki.open311.org/GeoReport_v2",
                    "url": url,
                    "changeset": "2026-01-01T00:00:00+06:00",
                    "type": "production",
                    "formats": ["application/json"],
                }
            ],
        }
    )


@require_GET
def services_list(request, fmt):
    if bad := _format_error(fmt):
        return bad
    municipality, bad = _jurisdiction(request, request.GET)
    if bad:
        return bad
    issues = (
        LocalIssue.objects.filter(municipality=municipality).active().select_related("municipality")
    )
    return JsonResponse([_service(i) for i in issues], safe=False)


@require_GET
def service_definition(request, code, fmt):
    if bad := _format_error(fmt):
        return bad
    municipality, bad = _jurisdiction(request, request.GET)
    if bad:
        return bad
    if not LocalIssue.objects.filter(municipality=municipality, code=code).active().exists():
        return error(404, 404, _("Unknown service_code: %(code)s") % {"code": code})
    return JsonResponse({"service_code": code, "attributes": []})


def _appeals(municipality):
    return Appeal.objects.for_municipality(municipality).select_related("category", "municipality")


@csrf_exempt
def requests_view(request, fmt):
    if bad := _format_error(fmt):
        return bad
    if request.method == "POST":
        return _create(request)
    if request.method != "GET":
        return error(405, 405, _("Only GET and POST are allowed."))
    municipality, bad = _jurisdiction(request, request.GET)
    if bad:
        return bad
    qs = _appeals(municipality)
    params = request.GET
    if ids := params.get("service_request_id"):
        qs = qs.filter(number__in=[i.strip() for i in ids.split(",") if i.strip()])
    else:
        if codes := params.get("service_code"):
            qs = qs.filter(category__code__in=[c.strip() for c in codes.split(",")])
        if st := params.get("status"):
            wanted = {s.strip() for s in st.split(",")}
            if not wanted <= {"open", "closed"}:
                return error(400, 400, _("status must be open or closed."))
            if wanted == {"open"}:
                qs = qs.filter(status__in=Appeal.OPEN_STATUSES)
            elif wanted == {"closed"}:
                qs = qs.exclude(status__in=Appeal.OPEN_STATUSES)
        dates = {}
        for name in ("start_date", "end_date"):
            raw = params.get(name)
            if raw:
                value = parse_datetime(raw.replace(" ", "+"))
                if value is None or timezone.is_naive(value):
                    return error(
                        400,
                        400,
                        _("%(name)s must be a W3C date-time with a time zone, "
                          "e.g. 2026-01-31T10:00:00+06:00.") % {"name": name},
                    )  # fmt: skip
                dates[name] = value
        end = dates.get("end_date")
        start = dates.get("start_date") or (end or timezone.now()) - timedelta(days=DEFAULT_DAYS)
        qs = qs.filter(registered_at__gte=start)
        if end:
            qs = qs.filter(registered_at__lte=end)
    return JsonResponse([_request(a) for a in qs[:MAX_REQUESTS]], safe=False)


def _create(request):
    data = request.POST
    municipality, bad = _jurisdiction(request, data)
    if bad:
        return bad
    if ratelimit.hit(ratelimit.client_ip(request)):
        return error(429, 429, _("Too many requests from this address; try again in an hour."))
    code = (data.get("service_code") or "").strip()
    if not code:
        return error(400, "service_code", _("service_code is required."))
    issue = LocalIssue.objects.filter(municipality=municipality, code=code).active().first()
    if issue is None:
        return error(404, "service_code", _("Unknown service_code: %(code)s") % {"code": code})
    description = (data.get("description") or "").strip()
    attributes = [v for k, v in data.items() if k.startswith("attribute[") and v.strip()]
    if not description and not attributes:
        return error(400, "description", _("description is required."))
    email = (data.get("email") or "").strip()
    phone = (data.get("phone") or "").strip()
    if not email and not phone:
        return error(
            400,
            "email",
            _("email or phone is required: by the Law on citizens' appeals an appeal without "
              "contacts may be left unconsidered."),
        )  # fmt: skip
    if email:
        from django.core.exceptions import ValidationError
        from django.core.validators import validate_email

        try:
            validate_email(email)
        except ValidationError:
            return error(400, "email", _("email is not a valid address."))
    name = " ".join(
        p
        for p in ((data.get("first_name") or "").strip(), (data.get("last_name") or "").strip())
        if p
    )
    text = description or "\n".join(attributes)
    locale = (data.get("locale") or "")[:2].lower()
    language = locale if locale in ("ky", "ru") else ("ky" if set(text) & KYRGYZ_LETTERS else "ru")
    address = (data.get("address_string") or "").strip()[:300]
    lat, lon = data.get("lat"), data.get("long")
    if lat and lon:
        address = (address + f" ({lat}, {lon})").strip()[:300]
    village = None
    if address:
        village = next(
            (v for v in Village.objects.filter(municipality=municipality)
             if v.name_ky.lower() in address.lower() or v.name_ru.lower() in address.lower()),
            None,
        )  # fmt: skip
    appeal = services.register(
        municipality,
        channel=Appeal.Channel.ONLINE,
        category=issue,
        text=text,
        applicant_name=name,
        phone=phone[:40],
        email=email,
        language=language,
        address=address,
        village=village,
    )
    return JsonResponse(
        [
            {
                "service_request_id": appeal.number,
                "service_notice": _("Registered; the answer is due by %(date)s.")
                % {"date": appeal.due_date.isoformat()},
                "account_id": None,
            }
        ],
        safe=False,
    )


@require_GET
def request_detail(request, request_id, fmt):
    if bad := _format_error(fmt):
        return bad
    municipality, bad = _jurisdiction(request, request.GET)
    if bad:
        return bad
    appeal = _appeals(municipality).filter(number=request_id).first()
    if appeal is None:
        return error(404, 404, _("No request with this id."))
    return JsonResponse([_request(appeal)], safe=False)

"""iCalendar (RFC 5545) feeds that Google Calendar and Outlook can subscribe to.

The municipality feed is public (the schedule of an approved plan is public data); a person's
feed is addressed by a secret token shown on their profile page.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language
from icalendar import Calendar, Event

from jamaat.core.access import municipality_view
from jamaat.core.models import User
from jamaat.plans.models import Occurrence, Plan


def _calendar(name: str, occurrences) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Jamaat//Plan schedule//KY")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    cal.add("refresh-interval;value=duration", "PT6H")
    stamp = timezone.now()
    for o in occurrences:
        event = Event()
        event.add("uid", f"occurrence-{o.pk}@jamaat")
        event.add("dtstamp", stamp)
        event.add("dtstart", o.due)
        event.add("dtend", o.due + timedelta(days=1))
        event.add("summary", f"{o.activity.code} {o.activity.text[:120]}")
        event.add(
            "description", f"{o.activity.deadline_text}\n{settings.SITE_URL}{o.get_absolute_url()}"
        )
        event.add("url", f"{settings.SITE_URL}{o.get_absolute_url()}")
        event.add("status", "CONFIRMED" if o.status == Occurrence.Status.PLANNED else "CANCELLED"
                  if o.status == Occurrence.Status.NOT_DONE else "CONFIRMED")  # fmt: skip
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()


def _response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=900"
    return response


@municipality_view()
def municipality_feed(request, municipality):
    plan = Plan.objects.current_for(municipality)
    if plan is None or not plan.is_approved:
        raise Http404
    occs = (
        Occurrence.objects.filter(activity__plan=plan)
        .select_related("activity__municipality")
        .order_by("due")
    )
    body = _calendar(f"{municipality.name} — Jamaat", occs)
    return _response(body, f"{municipality.slug}.ics")


def person_feed(request, token):
    user = get_object_or_404(User, calendar_token=token, is_active=True)
    lang = user.language or get_language()
    from django.utils import translation

    with translation.override(lang):
        occs = (
            Occurrence.objects.for_person(user)
            .filter(
                due__gte=timezone.localdate() - timedelta(days=366),
                municipality__memberships__user=user,  # former members get nothing
            )
            .distinct()
            .select_related("activity__municipality")
            .order_by("due")
        )
        body = _calendar(f"{user.display_name} — Jamaat", occs)
    return _response(body, f"jamaat-{datetime.now():%Y%m%d}.ics")

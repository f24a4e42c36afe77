from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from jamaat.core.access import Perm, municipality_view
from jamaat.core.models import AuditEntry
from jamaat.meetings import documents, figures, quorum, services
from jamaat.meetings.forms import (
    AgendaFormSet,
    AnnounceForm,
    AttendanceForm,
    CancelForm,
    DecisionFormSet,
    MeetingForm,
    ProtocolForm,
    SettingsForm,
    SpeakerFormSet,
)
from jamaat.meetings.models import AgendaItem, Meeting, MeetingSettings
from jamaat.messaging.models import Subscriber
from jamaat.municipalities.models import LocalIssue
from jamaat.plans.models import Indicator, Plan

PAGE_SIZE = 20
LANGS = ("ky", "ru")


def _agenda_prefetch():
    issues = LocalIssue.objects.order_by("order", "name_ky")
    return Prefetch(
        "agenda_items",
        queryset=AgendaItem.objects.prefetch_related(Prefetch("issues", queryset=issues)),
    )


def _meeting(municipality, pk, queryset=None):
    qs = queryset if queryset is not None else Meeting.objects.all()
    return get_object_or_404(qs.select_related("municipality"), municipality=municipality, pk=pk)


def _lang(lang: str) -> str:
    if lang not in LANGS:
        raise Http404
    return lang


def _file(content: bytes, ctype: str, name: str, inline: bool = True) -> HttpResponse:
    response = HttpResponse(content, content_type=ctype)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response


# --- public pages -----------------------------------------------------------------------------


@municipality_view()
def meeting_list(request, municipality):
    now = timezone.now()
    base = Meeting.objects.for_municipality(municipality).for_list()
    upcoming = list(base.upcoming(now).order_by("starts_at")[:50])
    past = Paginator(base.past(now).order_by("-starts_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "meetings/list.html", {"upcoming": upcoming, "page": past})


@municipality_view()
def meeting_detail(request, municipality, pk):
    meeting = _meeting(
        municipality,
        pk,
        Meeting.objects.prefetch_related("villages", _agenda_prefetch(), "documents", "decisions"),
    )
    if not meeting.is_public and Perm.VIEW_INTERNAL not in request.perms:
        raise Http404
    q = None
    if meeting.is_held:
        q = quorum.check(meeting, MeetingSettings.for_municipality(municipality))
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "quorum": q,
            "quorum_text": quorum.ui_statement(q) if q else "",
            "preview": not meeting.is_public,
            "upcoming": meeting.status == Meeting.Status.ANNOUNCED and not meeting.has_taken_place,
        },
    )


@municipality_view()
def protocol_pdf(request, municipality, pk, lang):
    """The generated protocol PDF: public once the meeting is held, internal before."""
    lang = _lang(lang)
    meeting = _meeting(municipality, pk)
    if not meeting.is_held and Perm.VIEW_INTERNAL not in request.perms:
        raise Http404
    meeting = documents.load_meeting(meeting.pk)
    content, ctype, name = documents.protocol_file(meeting, lang, "pdf")
    return _file(content, ctype, name)


@municipality_view()
def poster_pdf(request, municipality, pk, lang):
    lang = _lang(lang)
    meeting = _meeting(municipality, pk)
    if not meeting.is_public and Perm.VIEW_INTERNAL not in request.perms:
        raise Http404
    meeting = documents.load_meeting(meeting.pk)
    day = meeting.local_start.date().isoformat()
    return _file(
        documents.poster_pdf(meeting, lang), documents.PDF_TYPE, f"meeting-{day}-{lang}.pdf"
    )


# --- internal pages ---------------------------------------------------------------------------


def _targets(municipality, year: int) -> dict:
    plan = Plan.objects.current_for(municipality)
    if plan is None:
        return {}
    return {
        ind.key: ind.target_for(year)
        for ind in Indicator.objects.filter(
            activity__plan=plan, key__in=list(figures.KEYS)
        ).prefetch_related("targets")
    }


@municipality_view(Perm.VIEW_INTERNAL)
def manage(request, municipality):
    year = timezone.localdate().year
    meetings = (
        Meeting.objects.for_municipality(municipality)
        .for_list()
        .annotate(agenda_count=Count("agenda_items", distinct=True))
        .order_by("-starts_at", "-id")
    )
    page = Paginator(meetings, 30).get_page(request.GET.get("page"))
    targets = _targets(municipality, year)
    return render(
        request,
        "meetings/manage.html",
        {
            "page": page,
            "year": year,
            "participants": figures.participants_count(municipality, year),
            "share": figures.population_share(municipality, year),
            "participants_target": targets.get(figures.PARTICIPANTS_KEY),
            "share_target": targets.get(figures.SHARE_KEY),
            "participants_how": figures.PARTICIPANTS_HOW,
            "share_how": figures.SHARE_HOW,
            "settings": MeetingSettings.for_municipality(municipality),
        },
    )


@municipality_view(Perm.VIEW_INTERNAL)
def manage_detail(request, municipality, pk):
    meeting = _meeting(
        municipality,
        pk,
        Meeting.objects.prefetch_related(
            "villages", _agenda_prefetch(), "documents", "speakers", "decisions"
        ),
    )
    s = MeetingSettings.for_municipality(municipality)
    q = quorum.check(meeting, s)
    history = AuditEntry.objects.filter(
        municipality=municipality, object_type="meeting", object_id=str(meeting.pk)
    ).select_related("actor")[:50]
    return render(
        request,
        "meetings/manage_detail.html",
        {
            "meeting": meeting,
            "settings": s,
            "quorum": q,
            "quorum_text": quorum.ui_statement(q),
            "history": history,
            "notice": services.notice_problem(meeting, s),
            "langs": LANGS,
        },
    )


@municipality_view(Perm.MANAGE_CONTENT)
def edit(request, municipality, pk=None):
    meeting = _meeting(municipality, pk) if pk else Meeting(municipality=municipality)
    data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = MeetingForm(data, files, instance=meeting, municipality=municipality)
    agenda = AgendaFormSet(
        data,
        instance=meeting,
        prefix="agenda",
        form_kwargs={"municipality": municipality},
        queryset=AgendaItem.objects.prefetch_related("issues"),
    )
    if request.method == "POST":
        if form.is_valid() and agenda.is_valid():
            meeting = form.save(commit=False)
            meeting = services.save_meeting(
                request.user,
                meeting,
                agenda,
                form.cleaned_data["documents"],
                [d.pk for d in form.cleaned_data.get("remove_documents") or []],
            )
            form.save_m2m()
            messages.success(request, _("Saved."))
            return redirect("meetings:manage_detail", municipality.slug, meeting.pk)
        messages.error(request, _("Please correct the errors below; nothing was saved yet."))
    return render(
        request, "meetings/edit.html", {"form": form, "agenda": agenda, "meeting": meeting}
    )


@municipality_view(Perm.MANAGE_CONTENT)
def announce(request, municipality, pk):
    meeting = _meeting(municipality, pk)
    s = MeetingSettings.for_municipality(municipality)
    form = AnnounceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.announce(request.user, meeting, form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Announced: the meeting is on the public site; %(n)s messages to subscribers "
                  "are queued.") % {"n": count},
            )  # fmt: skip
            return redirect("meetings:manage_detail", municipality.slug, meeting.pk)
    subscribers = Subscriber.objects.filter(
        municipality=municipality, status=Subscriber.Status.ACTIVE
    ).count()
    return render(
        request,
        "meetings/announce.html",
        {
            "meeting": meeting,
            "form": form,
            "settings": s,
            "notice": services.notice_problem(meeting, s),
            "days_ahead": meeting.days_ahead(),
            "subscribers": subscribers,
        },
    )


@municipality_view(Perm.MANAGE_CONTENT)
def cancel(request, municipality, pk):
    meeting = _meeting(municipality, pk)
    form = CancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel(request.user, meeting, form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The meeting is cancelled."))
            return redirect("meetings:manage_detail", municipality.slug, meeting.pk)
    return render(request, "meetings/cancel.html", {"meeting": meeting, "form": form})


@municipality_view(Perm.RECORD_EVIDENCE)
def attendance(request, municipality, pk):
    meeting = _meeting(municipality, pk, Meeting.objects.prefetch_related("villages", "decisions"))
    form = AttendanceForm(request.POST or None, instance=meeting)
    if request.method == "POST":
        if form.is_valid():
            services.record_attendance(request.user, form.save(commit=False))
            messages.success(
                request,
                _("Attendance saved; the meeting is recorded as held and counts as evidence "
                  "for the plan."),
            )  # fmt: skip
            return redirect("meetings:manage_detail", municipality.slug, meeting.pk)
        messages.error(request, _("Please correct the errors below; nothing was saved yet."))
    return render(request, "meetings/attendance.html", {"meeting": meeting, "form": form})


@municipality_view(Perm.RECORD_EVIDENCE)
def protocol(request, municipality, pk):
    meeting = _meeting(municipality, pk)
    if meeting.status == Meeting.Status.CANCELLED:
        messages.error(request, _("This meeting was cancelled; it has no protocol."))
        return redirect("meetings:manage_detail", municipality.slug, meeting.pk)
    s = MeetingSettings.for_municipality(municipality)
    initial = {}
    if not meeting.chair and s.default_chair:
        initial["chair"] = s.default_chair
    if not meeting.secretary and s.default_secretary:
        initial["secretary"] = s.default_secretary
    data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = ProtocolForm(data, files, instance=meeting, initial=initial)
    speakers = SpeakerFormSet(data, instance=meeting, prefix="speakers")
    decisions = DecisionFormSet(
        data,
        instance=meeting,
        prefix="decisions",
        form_kwargs={"attendance": meeting.attendance_total},
    )
    if request.method == "POST":
        if form.is_valid() and speakers.is_valid() and decisions.is_valid():
            services.save_protocol(
                request.user,
                form.save(commit=False),
                speakers,
                decisions,
                form.cleaned_data["scan"],
            )
            messages.success(request, _("The protocol is saved."))
            return redirect("meetings:manage_detail", municipality.slug, meeting.pk)
        messages.error(request, _("Please correct the errors below; nothing was saved yet."))
    return render(
        request,
        "meetings/protocol.html",
        {"meeting": meeting, "form": form, "speakers": speakers, "decisions": decisions},
    )


@municipality_view(Perm.VIEW_INTERNAL)
def protocol_download(request, municipality, pk, lang, fmt):
    lang = _lang(lang)
    if fmt not in ("docx", "pdf"):
        raise Http404
    meeting = documents.load_meeting(_meeting(municipality, pk).pk)
    content, ctype, name = documents.protocol_file(meeting, lang, fmt)
    return _file(content, ctype, name, inline=fmt == "pdf")


@municipality_view(Perm.VIEW_INTERNAL)
def sign_in_sheet(request, municipality, pk, lang):
    lang = _lang(lang)
    meeting = documents.load_meeting(_meeting(municipality, pk).pk)
    day = meeting.local_start.date().isoformat()
    return _file(
        documents.sign_in_pdf(meeting, lang), documents.PDF_TYPE, f"sign-in-{day}-{lang}.pdf"
    )


@municipality_view(Perm.MANAGE_CONTENT)
def settings_view(request, municipality):
    s = MeetingSettings.for_municipality(municipality)
    form = SettingsForm(request.POST or None, instance=s)
    if request.method == "POST":
        if form.is_valid():
            from jamaat.core import audit

            before = audit.snapshot(MeetingSettings.objects.get(pk=s.pk), form.Meta.fields)
            form.save()
            audit.record(
                request.user,
                municipality,
                s,
                "update",
                audit.diff(before, audit.snapshot(s, form.Meta.fields)),
            )
            messages.success(request, _("Saved."))
            return redirect("meetings:manage", municipality.slug)
        messages.error(request, _("Please correct the errors below; nothing was saved yet."))
    return render(request, "meetings/settings.html", {"form": form})


# --- the home page block ----------------------------------------------------------------------


def home_block(request, municipality):
    meetings = list(
        Meeting.objects.for_municipality(municipality)
        .upcoming()
        .for_list()
        .order_by("starts_at")[:3]
    )
    if not meetings:
        return None
    return {"meetings": meetings}

from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from jamaat.appeals import ratelimit, services, working_days
from jamaat.appeals.forms import (
    AnswerForm,
    AssignForm,
    PublicAppealForm,
    StaffAppealForm,
    StatusCheckForm,
    StatusForm,
)
from jamaat.appeals.models import Appeal
from jamaat.core.access import Perm, municipality_view

SESSION_KEY = "appeals_submitted"


def _save_photo(form, appeal_fields: dict) -> None:
    clean = getattr(form, "clean_photo_file", None)
    appeal_fields.pop("photo", None)
    if clean is not None:
        appeal_fields["photo"] = ContentFile(clean.content, name=clean.name)


def _fields(form) -> dict:
    data = {k: form.cleaned_data[k] for k in form.Meta.fields if k in form.cleaned_data}
    _save_photo(form, data)
    return data


@municipality_view()
def new(request, municipality):
    form = PublicAppealForm(request.POST or None, request.FILES or None, municipality=municipality)
    if request.method == "POST":
        if request.POST.get("website"):  # honeypot: pretend success, save nothing
            return redirect("appeals:status", municipality.slug)
        if ratelimit.hit(ratelimit.client_ip(request)):
            form.add_error(
                None,
                _("Too many appeals were sent from your connection. Please try again in an hour."),
            )
        elif form.is_valid():
            data = _fields(form)
            appeal = services.register(municipality, channel=Appeal.Channel.ONLINE, **data)
            request.session[SESSION_KEY] = {"number": appeal.number, "code": appeal.check_code}
            return redirect("appeals:status", municipality.slug)
    return render(
        request,
        "appeals/new.html",
        {"form": form, "answer_days": working_days.answer_days(municipality)},
    )


def _find(municipality, number):
    return (
        Appeal.objects.filter(municipality=municipality, number=number)
        .select_related("category")
        .first()
    )


@municipality_view()
def status(request, municipality):
    """The status check. The number and the check code come by POST (CSRF-protected): the code
    is a secret and must not end up in URLs. A GET only shows the form; `?number=` prefills it."""
    example = services.example_number(municipality)
    appeal, full, not_found, submitted = None, False, False, None
    if request.method == "POST":
        form = StatusCheckForm(request.POST, example=example)
        if form.is_valid():
            appeal = _find(municipality, form.cleaned_data["number"])
            code = form.cleaned_data["code"]
            if appeal is None or (code and code != appeal.check_code):
                appeal, not_found = None, True
            full = bool(code)
    else:
        number = request.GET.get("number", "").strip().upper()[:32]
        if "code" in request.GET:  # an old-style link: drop the secret before it spreads further
            query = urlencode({"number": number}) if number else ""
            return redirect(f"{request.path}?{query}" if query else request.path)
        submitted = request.session.pop(SESSION_KEY, None)
        form = StatusCheckForm(initial={"number": number} if number else None, example=example)
        if submitted:
            appeal, full = _find(municipality, submitted["number"]), True
    response = render(
        request,
        "appeals/status.html",
        {"form": form, "appeal": appeal, "full": full, "submitted": submitted,
         "not_found": not_found, "example": example},
    )  # fmt: skip
    if submitted or request.method == "POST":
        add_never_cache_headers(response)  # the code or the answer: never kept in a cache
    return response


@municipality_view()
def stats(request, municipality):
    return render(request, "appeals/stats.html", {"stats": services.statistics(municipality)})


@municipality_view(Perm.MANAGE_CONTENT)
def manage(request, municipality):
    appeals = Appeal.objects.for_municipality(municipality).select_related(
        "category", "assigned_to", "village"
    )
    current = request.GET.get("status", "")
    if current in Appeal.Status.values:
        appeals = appeals.filter(status=current)
    page = Paginator(appeals, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "appeals/manage.html",
        {"page": page, "statuses": Appeal.Status.choices, "current": current},
    )


@municipality_view(Perm.MANAGE_CONTENT)
def register(request, municipality):
    form = StaffAppealForm(request.POST or None, request.FILES or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        appeal = services.register(municipality, actor=request.user, **_fields(form))
        messages.success(
            request, _("Appeal registered with number %(number)s.") % {"number": appeal.number}
        )
        return redirect("appeals:detail", municipality.slug, appeal.pk)
    return render(request, "appeals/register.html", {"form": form})


@municipality_view(Perm.MANAGE_CONTENT)
def detail(request, municipality, pk):
    appeal = get_object_or_404(
        Appeal.objects.select_related(
            "category", "village", "assigned_to", "answered_by", "registered_by"
        ),
        municipality=municipality,
        pk=pk,
    )
    staff = services.staff_of(municipality)
    action = request.POST.get("action") if request.method == "POST" else None
    assign_form = AssignForm(
        request.POST if action == "assign" else None,
        staff=staff,
        initial={"assigned_to": appeal.assigned_to_id},
    )
    answer_form = AnswerForm(
        request.POST if action == "answer" else None, initial={"answer": appeal.answer}
    )
    status_form = StatusForm(
        request.POST if action == "status" else None,
        initial={"status": appeal.status, "reason": appeal.unconsidered_reason},
    )
    if action == "assign" and assign_form.is_valid():
        services.assign(request.user, appeal, assign_form.cleaned_data["assigned_to"])
        messages.success(request, _("Responsible person assigned."))
        return redirect("appeals:detail", municipality.slug, appeal.pk)
    if action == "answer" and answer_form.is_valid():
        services.answer(request.user, appeal, answer_form.cleaned_data["answer"])
        messages.success(request, _("Answer saved."))
        return redirect("appeals:detail", municipality.slug, appeal.pk)
    if action == "status" and status_form.is_valid():
        services.set_status(
            request.user,
            appeal,
            status_form.cleaned_data["status"],
            status_form.cleaned_data["reason"],
        )
        messages.success(request, _("Status changed."))
        return redirect("appeals:detail", municipality.slug, appeal.pk)
    return render(
        request,
        "appeals/detail.html",
        {
            "appeal": appeal,
            "events": appeal.events.select_related("actor"),
            "assign_form": assign_form,
            "answer_form": answer_form,
            "status_form": status_form,
        },
    )

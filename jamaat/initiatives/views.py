"""Public pages (list, detail, tracking, submission, support) and staff pages (queue, edit)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jamaat.core.access import Perm, municipality_view, require
from jamaat.initiatives import ratelimit, services
from jamaat.initiatives.forms import (
    CodeForm,
    EditForm,
    MilestoneForm,
    PaperForm,
    PaperSupportForm,
    SubmissionForm,
    SupportForm,
    TrackForm,
    TransitionForm,
)
from jamaat.initiatives.models import (
    PATH,
    Initiative,
    Milestone,
    MilestonePhoto,
    PaperSheet,
    PaperSupport,
    Status,
    StatusChange,
    SupportCode,
)
from jamaat.messaging import codes
from jamaat.municipalities.models import LocalIssue, Village

PAGE_SIZE = 20
STAFF_PAGE_SIZE = 30


def _content_language() -> str:
    lang = (get_language() or "ky")[:2]
    return lang if lang in ("ky", "ru") else "ky"


def _detail_queryset():
    return Initiative.objects.select_related(
        "village", "category", "municipality"
    ).prefetch_related(
        Prefetch("history", queryset=StatusChange.objects.select_related("actor")),
        Prefetch(
            "milestones",
            queryset=Milestone.objects.prefetch_related(
                Prefetch("photos", queryset=MilestonePhoto.objects.order_by("order", "id"))
            ),
        ),
    )


def _visible(request, initiative) -> None:
    if not initiative.is_public and Perm.VIEW_INTERNAL not in request.perms:
        raise Http404


# --- public ---------------------------------------------------------------------------------


@municipality_view()
def initiative_list(request, municipality):
    qs = Initiative.objects.for_municipality(municipality).public_list()
    villages = list(Village.objects.filter(municipality=municipality))
    categories = list(LocalIssue.objects.filter(municipality=municipality).active())
    status = request.GET.get("status", "")
    status = status if status in Status.values else ""
    village = next((v for v in villages if str(v.pk) == request.GET.get("village", "")), None)
    category = next((c for c in categories if c.code == request.GET.get("category", "")), None)
    if status:
        qs = qs.filter(status=status)
    if village:
        qs = qs.filter(village=village)
    if category:
        qs = qs.filter(category=category)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "initiatives/list.html",
        {
            "page": page,
            "statuses": Status.choices,
            "villages": villages,
            "categories": categories,
            "status": status,
            "village": village,
            "category": category,
            "filtered": bool(status or village or category),
            "track_form": TrackForm(),
        },
    )


def _render_detail(request, initiative, *, tracking=False):
    municipality = initiative.municipality
    support_form = None
    if initiative.open_for_support and initiative.is_public:
        support_form = SupportForm(municipality=municipality)
    return render(
        request,
        "initiatives/detail.html",
        {
            "initiative": initiative,
            "history": list(initiative.history.all()),
            "milestones": list(initiative.milestones.all()),
            "support_form": support_form,
            "tracking": tracking,
            "path": [(s, Status(s).label) for s in PATH],
        },
    )


@municipality_view()
def initiative_detail(request, municipality, pk):
    initiative = get_object_or_404(_detail_queryset(), municipality=municipality, pk=pk)
    _visible(request, initiative)
    return _render_detail(request, initiative)


@municipality_view()
def track(request, municipality, code):
    initiative = get_object_or_404(
        _detail_queryset(), municipality=municipality, tracking_code=code.upper()
    )
    return _render_detail(request, initiative, tracking=True)


@municipality_view()
def track_lookup(request, municipality):
    form = TrackForm(request.GET if "code" in request.GET else None)
    if form.is_bound and form.is_valid():
        found = Initiative.objects.filter(
            municipality=municipality, tracking_code=form.cleaned_data["code"]
        ).first()
        if found is not None:
            return redirect(found.tracking_url())
        form.add_error(
            "code",
            _("No initiative of %(name)s has this tracking code. Check the letters and digits.")
            % {"name": municipality.name},
        )
    return render(request, "initiatives/track.html", {"form": form})


@municipality_view()
def submit(request, municipality):
    form = SubmissionForm(request.POST or None, municipality=municipality)
    status = 200
    if request.method == "POST":
        if form.is_bot:
            return redirect("initiatives:list", municipality.slug)
        if form.is_valid():
            if ratelimit.hit("submit", ratelimit.client_ip(request)):
                form.add_error(
                    None,
                    _(
                        "Too many initiatives were sent from your connection in a short time. "
                        "Please try again in an hour, or bring it to the LSG body on paper."
                    ),
                )
                status = 429
            else:
                initiative = services.submit(
                    municipality,
                    form.model_data(),
                    channel=Initiative.Channel.ONLINE,
                    language=form.cleaned_data["language"],
                    consent_text=form.consent_text,
                )
                messages.success(
                    request,
                    _(
                        "Your initiative is registered. Keep this page's link or the tracking "
                        "code %(code)s to follow it."
                    )
                    % {"code": initiative.tracking_code},
                )
                return redirect(initiative.tracking_url())
        if status == 200:
            messages.error(request, _("Please correct the errors below; nothing was lost."))
    return render(request, "initiatives/submit.html", {"form": form}, status=status)


@municipality_view()
def support(request, municipality, pk):
    initiative = get_object_or_404(
        Initiative.objects.select_related("municipality"), municipality=municipality, pk=pk
    )
    _visible(request, initiative)
    form = SupportForm(request.POST or None, municipality=municipality)
    status = 200
    if request.method == "POST":
        if form.is_bot:
            return redirect(initiative.get_absolute_url())
        if form.is_valid():
            if not initiative.open_for_support:
                form.add_error(
                    None,
                    _("Support is closed: the initiative is “%(status)s”.")
                    % {"status": initiative.get_status_display()},
                )
            elif ratelimit.hit("code", ratelimit.client_ip(request)):
                form.add_error(
                    None,
                    _(
                        "Too many codes were requested from your connection. Please try again "
                        "in an hour."
                    ),
                )
                status = 429
            else:
                try:
                    pending = services.start_support(
                        initiative,
                        form.cleaned_data["phone"],
                        language=_content_language(),
                        consent_text=form.consent_text,
                    )
                except services.SupportError as exc:
                    form.add_error("phone" if exc.code == "duplicate" else None, exc)
                else:
                    return redirect(
                        "initiatives:support_confirm", municipality.slug, pk, pending.token
                    )
    return render(
        request,
        "initiatives/support.html",
        {"initiative": initiative, "form": form},
        status=status,
    )


@municipality_view()
def support_confirm(request, municipality, pk, token):
    pending = get_object_or_404(
        SupportCode.objects.select_related("initiative__municipality"),
        municipality=municipality,
        initiative_id=pk,
        token=token,
    )
    initiative = pending.initiative
    form = CodeForm(request.POST or None)
    problem = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_support(pending, form.cleaned_data["code"])
        except services.SupportError as exc:
            if exc.code == "wrong_code":
                form.add_error("code", exc)
            else:
                form.add_error(None, exc)
                problem = exc.code
        else:
            messages.success(request, _("Thank you! Your support is counted."))
            return redirect(initiative.get_absolute_url() + "#support")
    elif request.method != "POST":
        if pending.used_at:
            problem = "duplicate"
        elif pending.is_expired():
            problem = "expired"
        elif not pending.attempts_left:
            problem = "too_many"
    resend = SupportForm(
        municipality=municipality, initial={"phone": pending.phone, "consent": True}
    )
    return render(
        request,
        "initiatives/support_confirm.html",
        {
            "initiative": initiative,
            "pending": pending,
            "form": form,
            "problem": problem,
            "resend": resend,
            "masked_phone": codes.masked(pending.phone),
            "minutes": codes.ttl_seconds() // 60,
        },
    )


# --- staff ----------------------------------------------------------------------------------


@municipality_view(Perm.VIEW_INTERNAL)
def manage(request, municipality):
    base = Initiative.objects.for_municipality(municipality)
    counts = dict(base.order_by().values_list("status").annotate(n=Count("id")))
    current = request.GET.get("status", "review")
    qs = base.select_related("village", "category", "municipality")
    if current == "review":
        qs = qs.to_review().order_by("status_changed_at", "id")  # oldest first: a queue
    elif current in Status.values:
        qs = qs.filter(status=current)
    else:
        current = "all"
    page = Paginator(qs, STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    year = timezone.localdate().year
    tabs = [
        (
            "review",
            _("To review"),
            counts.get(Status.SUBMITTED, 0) + counts.get(Status.UNDER_REVIEW, 0),
        )
    ]
    tabs += [(value, label, counts.get(value, 0)) for value, label in Status.choices]
    tabs.append(("all", _("All"), sum(counts.values())))
    return render(
        request,
        "initiatives/manage.html",
        {
            "page": page,
            "tabs": tabs,
            "current": current,
            "year": year,
            "supported_count": services.supported_count(municipality, year),
            "implemented_count": services.implemented_count(municipality, year),
        },
    )


@municipality_view(Perm.RECORD_EVIDENCE)
def paper_new(request, municipality):
    form = PaperForm(request.POST or None, municipality=municipality)
    if request.method == "POST":
        if form.is_valid():
            initiative = services.submit(
                municipality,
                form.model_data(),
                channel=Initiative.Channel.PAPER,
                language=form.cleaned_data["language"],
                consent_text=str(form.fields["paper_consent"].label),
                actor=request.user,
                submitted_on=form.cleaned_data["received_on"],
            )
            messages.success(
                request,
                _("Registered. Tracking code for the resident: %(code)s")
                % {"code": initiative.tracking_code},
            )
            return redirect(initiative.manage_url())
        messages.error(request, _("Please correct the errors below; nothing was saved yet."))
    return render(request, "initiatives/paper_new.html", {"form": form})


def _staff_initiative(municipality, pk):
    return get_object_or_404(_detail_queryset(), municipality=municipality, pk=pk)


def _render_edit(request, municipality, initiative, *, edit_form=None, transition_form=None,
                 milestone_form=None, paper_form=None):  # fmt: skip
    can_record = Perm.RECORD_EVIDENCE in request.perms
    forms = {}
    if can_record:
        forms["edit"] = edit_form or EditForm(instance=initiative, municipality=municipality)
        forms["transitions"] = [
            transition_form
            if transition_form is not None and transition_form.target == to
            else TransitionForm(to=to)
            for to in initiative.next_statuses
        ]
        forms["milestone"] = milestone_form or MilestoneForm()
        forms["paper"] = paper_form or PaperSupportForm()
    papers = list(
        PaperSupport.objects.filter(initiative=initiative)
        .select_related("entered_by")
        .prefetch_related("sheets")
    )
    return render(
        request,
        "initiatives/edit.html",
        {
            "initiative": initiative,
            "history": list(initiative.history.all()),
            "milestones": list(initiative.milestones.all()),
            "papers": papers,
            "forms": forms,
            "can_record": can_record,
            "open_transition": transition_form.target if transition_form is not None else "",
        },
    )


@municipality_view(Perm.VIEW_INTERNAL)
def edit(request, municipality, pk):
    initiative = _staff_initiative(municipality, pk)
    form = None
    if request.method == "POST":
        require(request, municipality, Perm.RECORD_EVIDENCE)
        before = services.snapshot(initiative)
        form = EditForm(request.POST, instance=initiative, municipality=municipality)
        if form.is_valid():
            try:
                services.update(request.user, form.save(commit=False), before)
            except ValidationError as exc:
                form.add_error("phone", exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(initiative.manage_url())
        messages.error(request, _("Please correct the errors below; nothing was saved yet."))
    return _render_edit(request, municipality, initiative, edit_form=form)


def _apply_errors(form, exc: ValidationError) -> None:
    """Put a service's errors on the form, on their fields where the form has them."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@require_POST
@municipality_view(Perm.RECORD_EVIDENCE)
def transition(request, municipality, pk):
    initiative = _staff_initiative(municipality, pk)
    to = request.POST.get("to", "")
    if not initiative.can_become(to):
        messages.error(request, services.invalid_transition_message(initiative, to))
        return redirect(initiative.manage_url())
    form = TransitionForm(request.POST, to=to)
    if form.is_valid():
        try:
            services.transition(
                request.user, initiative, to, note=form.cleaned_data.get("note", ""),
                **form.values(),
            )  # fmt: skip
        except ValidationError as exc:
            if getattr(exc, "code", None) == "invalid_transition":
                messages.error(request, exc.messages[0])
                return redirect(initiative.manage_url())
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Status changed to “%(status)s”.") % {"status": Status(to).label}
                + (
                    " " + _("It is recorded as evidence for activity 2.2.")
                    if to == Status.IMPLEMENTED
                    else ""
                ),
            )
            return redirect(initiative.manage_url())
    messages.error(request, _("Please correct the errors below; nothing was saved yet."))
    return _render_edit(request, municipality, initiative, transition_form=form)


@require_POST
@municipality_view(Perm.RECORD_EVIDENCE)
def milestone(request, municipality, pk):
    initiative = _staff_initiative(municipality, pk)
    if not initiative.accepts_milestones:
        messages.error(
            request,
            _("Milestones are recorded once the initiative is funded (now: “%(status)s”).")
            % {"status": initiative.get_status_display()},
        )
        return redirect(initiative.manage_url())
    form = MilestoneForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_milestone(
                request.user, initiative, data["happened_on"], data["text_ky"], data["text_ru"],
                data["progress"], data["photos"],
            )  # fmt: skip
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Milestone added."))
            return redirect(initiative.manage_url() + "#milestones")
    messages.error(request, _("Please correct the errors below; nothing was saved yet."))
    return _render_edit(request, municipality, initiative, milestone_form=form)


@require_POST
@municipality_view(Perm.RECORD_EVIDENCE)
def paper_support(request, municipality, pk):
    initiative = _staff_initiative(municipality, pk)
    if initiative.status == Status.REJECTED:
        messages.error(request, _("The initiative was rejected: support is no longer collected."))
        return redirect(initiative.manage_url())
    form = PaperSupportForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_paper_support(
                request.user, initiative, data["count"], data["collected_on"], data["note"],
                data["sheets"],
            )  # fmt: skip
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Paper support added: %(n)s signatures in all on paper.")
                % {"n": initiative.support_paper},
            )
            return redirect(initiative.manage_url() + "#paper")
    messages.error(request, _("Please correct the errors below; nothing was saved yet."))
    return _render_edit(request, municipality, initiative, paper_form=form)


@municipality_view(Perm.VIEW_INTERNAL)
def sheet(request, municipality, pk, sheet_pk):
    scan = get_object_or_404(
        PaperSheet,
        municipality=municipality,
        paper_support__initiative_id=pk,
        pk=sheet_pk,
    )
    return FileResponse(
        scan.file.open("rb"),
        content_type=scan.content_type,
        filename=scan.original_name,
        as_attachment=not scan.is_image,
    )

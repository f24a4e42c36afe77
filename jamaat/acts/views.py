from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from jamaat.acts import access, figures, services
from jamaat.acts.forms import (
    STEP_FORMS,
    ActForm,
    DeputyForm,
    MandateForm,
    MandateStatusForm,
    step_form,
)
from jamaat.acts.models import Deputy, LegalAct, Mandate, MandateEvent
from jamaat.core.access import Perm, municipality_view
from jamaat.plans.models import Indicator, Plan

PAGE_SIZE = 20


def _fix_errors(request):
    messages.error(request, _("Please correct the errors below; nothing was saved yet."))


# --- public pages -------------------------------------------------------------------------------


@municipality_view()
def act_list(request, municipality):
    acts = LegalAct.objects.for_municipality(municipality).public_list()
    years = sorted(
        {d.year for d in LegalAct.objects.for_municipality(municipality).public().dates(
            "adopted_on", "year")},
        reverse=True,
    )  # fmt: skip
    year = request.GET.get("year")
    if year:
        if not year.isdigit() or int(year) not in years:
            raise Http404
        year = int(year)
        acts = acts.filter(adopted_on__year=year)
    page = Paginator(acts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "acts/list.html", {"page": page, "years": years, "year": year})


@municipality_view()
def act_detail(request, municipality, pk):
    act = get_object_or_404(
        LegalAct.objects.select_related("category", "initiator_deputy").prefetch_related(
            Prefetch(
                "mandates",
                queryset=Mandate.objects.select_related("deputy", "village", "category"),
            )
        ),
        municipality=municipality,
        pk=pk,
    )
    if not act.is_public and Perm.VIEW_INTERNAL not in request.perms:
        raise Http404
    return render(request, "acts/detail.html", {"act": act, "preview": not act.is_public})


@municipality_view()
def deputy_list(request, municipality):
    deputies = Deputy.objects.for_municipality(municipality).active().with_mandate_counts()
    return render(request, "acts/deputies.html", {"deputies": deputies})


# --- staff: the registry of acts ----------------------------------------------------------------


def _targets(municipality, year: int) -> dict:
    plan = Plan.objects.current_for(municipality)
    if plan is None:
        return {}
    return {
        ind.key: ind.target_for(year)
        for ind in Indicator.objects.filter(
            activity__plan=plan, key="2.3.normative_acts_adopted"
        ).prefetch_related("targets")
    }


@municipality_view(Perm.VIEW_INTERNAL)
def manage(request, municipality):
    year = timezone.localdate().year
    if request.GET.get("year", "").isdigit() and 1991 <= int(request.GET["year"]) <= 2100:
        year = int(request.GET["year"])
    acts = (
        LegalAct.objects.for_municipality(municipality)
        .select_related("municipality", "initiator_deputy")
        .annotate(mandates_count=Count("mandates", distinct=True))
        .order_by("-updated_at", "-id")
    )
    status = request.GET.get("status") or ""
    if status:
        if status not in LegalAct.Status.values:
            raise Http404
        acts = acts.filter(status=status)
    by_status = dict(
        LegalAct.objects.for_municipality(municipality)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    page = Paginator(acts, 30).get_page(request.GET.get("page"))
    counts = services.year_counts(municipality, year)
    return render(
        request,
        "acts/manage.html",
        {
            "page": page,
            "status": status,
            "statuses": [(s, label, by_status.get(s, 0)) for s, label in LegalAct.Status.choices],
            "counts": counts,
            "mandate_rows": [
                (s, label, counts.mandates.get(s, 0)) for s, label in Mandate.Status.choices
            ],
            "target": _targets(municipality, year).get("2.3.normative_acts_adopted"),
            "year": year,
            "how": figures.ACTS_ADOPTED_HOW,
            "can_manage": access.can_manage(request.user, municipality),
            "can_record": access.can_record_mandates(request.user, municipality),
        },
    )


@municipality_view(Perm.VIEW_INTERNAL)
def act_new(request, municipality):
    access.require_manage(request, municipality)
    act = LegalAct(municipality=municipality)
    initial = {}
    if request.GET.get("mandate", "").isdigit():
        initial["mandates"] = Mandate.objects.for_municipality(municipality).filter(
            pk=int(request.GET["mandate"])
        )
    form = ActForm(request.POST or None, instance=act, municipality=municipality, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            act = services.save_act(
                request.user, form.save(commit=False), form.cleaned_data["mandates"]
            )
            messages.success(request, _("The draft act is saved. Record its initiative next."))
            return redirect(act.get_manage_url())
        _fix_errors(request)
    return render(request, "acts/act_edit.html", {"form": form, "act": act, "can_manage": True})


@municipality_view(Perm.VIEW_INTERNAL)
def act_edit(request, municipality, pk):
    act = get_object_or_404(
        LegalAct.objects.select_related("category", "initiator_deputy"),
        municipality=municipality,
        pk=pk,
    )
    act.municipality = municipality
    can_manage = access.can_manage(request.user, municipality)
    form = ActForm(instance=act, municipality=municipality) if can_manage else None
    steps = {s: step_form(act, s, municipality) for s in act.next_steps} if can_manage else {}
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if request.POST.get("action") == "save":
            form = ActForm(request.POST, instance=act, municipality=municipality)
            if form.is_valid():
                services.save_act(
                    request.user, form.save(commit=False), form.cleaned_data["mandates"]
                )
                messages.success(request, _("Saved."))
                return redirect(act.get_manage_url())
            _fix_errors(request)
        else:
            to_status = request.POST.get("step", "")
            try:
                services.check_step(act, to_status)
            except ValidationError as exc:
                messages.error(request, exc.messages[0])
            else:
                step = step_form(act, to_status, municipality, request.POST, request.FILES)
                steps[to_status] = step
                if step.is_valid():
                    values = dict(step.cleaned_data)
                    pdf = values.pop("pdf", None)
                    try:
                        services.take_step(request.user, act, to_status, values, pdf)
                    except ValidationError as exc:
                        messages.error(request, exc.messages[0])
                    else:
                        messages.success(request, _step_done_message(to_status))
                        return redirect(act.get_manage_url())
                else:
                    _fix_errors(request)
    mandates = act.mandates.select_related("municipality", "deputy", "village")
    return render(
        request,
        "acts/act_edit.html",
        {
            "act": act,
            "form": form,
            "steps": [(s, f, STEP_FORMS[s][2]) for s, f in steps.items()],
            "mandates": mandates,
            "can_manage": can_manage,
        },
    )


def _step_done_message(to_status: str) -> str:
    return {
        LegalAct.Status.INITIATED: _("The initiative is recorded."),
        LegalAct.Status.DISCUSSION: _("The draft is put to public discussion."),
        LegalAct.Status.ADOPTED: _(
            "The adoption is recorded and the act is published. It is recorded as evidence "
            "for activity 2.3."
        ),
        LegalAct.Status.IN_FORCE: _("The act is marked as in force."),
        LegalAct.Status.REPEALED: _("The repeal is recorded."),
    }[to_status]


# --- staff: mandates ----------------------------------------------------------------------------


@municipality_view(Perm.VIEW_INTERNAL)
def mandates(request, municipality):
    qs = Mandate.objects.for_municipality(municipality).listing()
    deputies = list(Deputy.objects.for_municipality(municipality))
    status = request.GET.get("status") or ""
    if status:
        if status not in Mandate.Status.values:
            raise Http404
        qs = qs.filter(status=status)
    deputy = request.GET.get("deputy") or ""
    if deputy:
        if not deputy.isdigit() or int(deputy) not in {d.pk for d in deputies}:
            raise Http404
        qs = qs.filter(deputy_id=int(deputy))
    by_status = dict(
        Mandate.objects.for_municipality(municipality)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "acts/mandates.html",
        {
            "page": page,
            "deputies": deputies,
            "deputy": int(deputy) if deputy else None,
            "status": status,
            "statuses": [(s, label, by_status.get(s, 0)) for s, label in Mandate.Status.choices],
            "can_record": access.can_record_mandates(request.user, municipality),
        },
    )


@municipality_view(Perm.VIEW_INTERNAL)
def mandate_new(request, municipality):
    if not access.can_record_mandates(request.user, municipality):
        raise PermissionDenied
    deputies = access.mandate_deputies(request.user, municipality)
    mandate = Mandate(municipality=municipality)
    form = MandateForm(
        request.POST or None, instance=mandate, municipality=municipality, deputies=deputies
    )
    if request.method == "POST":
        if form.is_valid():
            mandate = services.save_mandate(request.user, form.save(commit=False))
            messages.success(request, _("The mandate is recorded."))
            return redirect(mandate.get_absolute_url())
        _fix_errors(request)
    return render(
        request, "acts/mandate_edit.html", {"form": form, "mandate": mandate, "can_edit": True}
    )


@municipality_view(Perm.VIEW_INTERNAL)
def mandate_edit(request, municipality, pk):
    mandate = get_object_or_404(
        Mandate.objects.select_related("deputy", "village", "category"),
        municipality=municipality,
        pk=pk,
    )
    mandate.municipality = municipality
    can_edit = access.can_edit_mandate(request.user, municipality, mandate)
    deputies = access.mandate_deputies(request.user, municipality)
    form = status_form = None
    if can_edit:
        form = MandateForm(instance=mandate, municipality=municipality, deputies=deputies)
        status_form = MandateStatusForm(mandate=mandate, prefix="s")
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if request.POST.get("action") == "status":
            status_form = MandateStatusForm(request.POST, mandate=mandate, prefix="s")
            if status_form.is_valid():
                try:
                    services.change_mandate_status(
                        request.user,
                        municipality,
                        mandate,
                        status_form.cleaned_data["status"],
                        status_form.cleaned_data["note"],
                    )
                except ValidationError as exc:
                    status_form.add_error(None, exc)
                    _fix_errors(request)
                else:
                    messages.success(request, _("The status is changed."))
                    return redirect(mandate.get_absolute_url())
            else:
                _fix_errors(request)
        else:
            form = MandateForm(
                request.POST, instance=mandate, municipality=municipality, deputies=deputies
            )
            if form.is_valid():
                services.save_mandate(request.user, form.save(commit=False))
                messages.success(request, _("Saved."))
                return redirect(mandate.get_absolute_url())
            _fix_errors(request)
    events = MandateEvent.objects.filter(mandate=mandate).select_related("actor")
    acts = mandate.acts.select_related("municipality").order_by("-adopted_on", "-id")
    return render(
        request,
        "acts/mandate_edit.html",
        {
            "mandate": mandate,
            "form": form,
            "status_form": status_form,
            "events": events,
            "acts": acts,
            "can_edit": can_edit,
            "can_manage": access.can_manage(request.user, municipality),
        },
    )


# --- staff: deputies ----------------------------------------------------------------------------


@municipality_view(Perm.VIEW_INTERNAL)
def deputies_manage(request, municipality):
    deputies = (
        Deputy.objects.for_municipality(municipality).select_related("user").with_mandate_counts()
    )
    return render(
        request,
        "acts/deputies_manage.html",
        {"deputies": deputies, "can_manage": access.can_manage(request.user, municipality)},
    )


@municipality_view(Perm.VIEW_INTERNAL)
def deputy_edit(request, municipality, pk=None):
    access.require_manage(request, municipality)
    deputy = (
        get_object_or_404(Deputy, municipality=municipality, pk=pk)
        if pk
        else Deputy(municipality=municipality, term_from=timezone.localdate().year)
    )
    form = DeputyForm(request.POST or None, instance=deputy, municipality=municipality)
    if request.method == "POST":
        if form.is_valid():
            services.save_deputy(request.user, form.save(commit=False))
            messages.success(request, _("Saved."))
            return redirect("acts:deputies_manage", municipality.slug)
        _fix_errors(request)
    return render(request, "acts/deputy_edit.html", {"form": form, "deputy": deputy})

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from jamaat.core.access import Perm, municipality_view
from jamaat.municipalities.models import Village
from jamaat.plans.models import Indicator, Plan
from jamaat.tos import figures, services
from jamaat.tos.forms import STEP_FORMS, TosBodyForm, TosProjectForm, step_form
from jamaat.tos.models import TosBody, TosProject


def _fix_errors(request):
    messages.error(request, _("Please correct the errors below; nothing was saved yet."))


def _public_projects():
    return (
        TosProject.objects.exclude(status=TosProject.Status.CANCELLED)
        .select_related("category")
        .prefetch_related("photos")
        .order_by("status", "-finished_on", "-id")
    )


# --- public pages -------------------------------------------------------------------------------


@municipality_view()
def public_list(request, municipality):
    bodies = (
        TosBody.objects.for_municipality(municipality)
        .active()
        .prefetch_related(
            Prefetch("villages", queryset=Village.objects.order_by("name_ky")),
            Prefetch("projects", queryset=_public_projects()),
        )
    )
    year = timezone.localdate().year
    projects = TosProject.objects.for_municipality(municipality).public()
    return render(
        request,
        "tos/list.html",
        {
            "bodies": bodies,
            "year": year,
            "implemented": projects.implemented_in(year).count(),
            "money": projects.money(),
        },
    )


@municipality_view()
def project_detail(request, municipality, pk):
    project = get_object_or_404(
        TosProject.objects.select_related("tos", "category").prefetch_related("photos"),
        municipality=municipality,
        pk=pk,
    )
    public = project.tos.is_active and project.status != TosProject.Status.CANCELLED
    if not public and Perm.VIEW_INTERNAL not in request.perms:
        raise Http404
    return render(request, "tos/project.html", {"project": project, "preview": not public})


# --- staff pages --------------------------------------------------------------------------------


def _target(municipality, year):
    plan = Plan.objects.current_for(municipality)
    if plan is None:
        return None
    ind = (
        Indicator.objects.filter(activity__plan=plan, key=figures.INDICATOR_KEY)
        .prefetch_related("targets")
        .first()
    )
    return ind.target_for(year) if ind else None


@municipality_view(Perm.VIEW_INTERNAL)
def manage(request, municipality):
    year = timezone.localdate().year
    bodies = (
        TosBody.objects.for_municipality(municipality)
        .annotate(
            projects_total=Count("projects", distinct=True),
            projects_done=Count(
                "projects",
                filter=Q(projects__status=TosProject.Status.IMPLEMENTED),
                distinct=True,
            ),
        )
        .prefetch_related("villages")
    )
    projects = (
        TosProject.objects.for_municipality(municipality)
        .select_related("tos")
        .order_by("-updated_at", "-id")[:50]
    )
    all_projects = TosProject.objects.for_municipality(municipality)
    return render(
        request,
        "tos/manage.html",
        {
            "bodies": bodies,
            "projects": projects,
            "year": year,
            "implemented": all_projects.implemented_in(year).count(),
            "target": _target(municipality, year),
            "money": all_projects.money(),
            "how": figures.PROJECTS_IMPLEMENTED_HOW,
        },
    )


@municipality_view(Perm.MANAGE_CONTENT)
def body_edit(request, municipality, pk=None):
    body = (
        get_object_or_404(TosBody, municipality=municipality, pk=pk)
        if pk
        else TosBody(municipality=municipality)
    )
    form = TosBodyForm(request.POST or None, instance=body, municipality=municipality)
    if request.method == "POST":
        if form.is_valid():
            body = services.save_body(
                request.user, form.save(commit=False), form.cleaned_data["villages"]
            )
            messages.success(request, _("Saved."))
            return redirect("tos:manage", municipality.slug)
        _fix_errors(request)
    projects = body.projects.order_by("-id") if body.pk else []
    return render(request, "tos/body_edit.html", {"form": form, "body": body, "projects": projects})


@municipality_view(Perm.MANAGE_CONTENT)
def project_new(request, municipality, pk):
    body = get_object_or_404(TosBody, municipality=municipality, pk=pk)
    project = TosProject(municipality=municipality, tos=body)
    form = TosProjectForm(
        request.POST or None, request.FILES or None, instance=project, municipality=municipality
    )
    if request.method == "POST":
        if form.is_valid():
            project = services.save_project(
                request.user, form.save(commit=False), form.cleaned_data["photos"]
            )
            messages.success(request, _("The project is saved."))
            return redirect(project.get_manage_url())
        _fix_errors(request)
    return render(request, "tos/project_edit.html", {"form": form, "project": project})


@municipality_view(Perm.MANAGE_CONTENT)
def project_edit(request, municipality, pk):
    project = get_object_or_404(
        TosProject.objects.select_related("tos").prefetch_related("photos"),
        municipality=municipality,
        pk=pk,
    )
    project.municipality = municipality
    form = TosProjectForm(instance=project, municipality=municipality)
    steps = {s: step_form(project, s) for s in project.next_steps}
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "save":
            form = TosProjectForm(
                request.POST, request.FILES, instance=project, municipality=municipality
            )
            if form.is_valid():
                try:
                    services.save_project(
                        request.user, form.save(commit=False), form.cleaned_data["photos"]
                    )
                except ValidationError as exc:
                    form.add_error("photos", exc)
                    _fix_errors(request)
                else:
                    messages.success(request, _("Saved."))
                    return redirect(project.get_manage_url())
            else:
                _fix_errors(request)
        elif action == "delete_photo":
            photo_id = request.POST.get("photo", "")
            if photo_id.isdigit() and services.delete_photo(request.user, project, int(photo_id)):
                messages.success(request, _("The photo is removed."))
                return redirect(project.get_manage_url())
            raise Http404
        else:
            to_status = request.POST.get("step", "")
            try:
                services.check_step(project, to_status)
            except ValidationError as exc:
                messages.error(request, exc.messages[0])
            else:
                step = step_form(project, to_status, request.POST)
                steps[to_status] = step
                if step.is_valid():
                    services.take_step(request.user, project, to_status, step.cleaned_data)
                    messages.success(
                        request,
                        _(
                            "The project is implemented. It is recorded as evidence for activity 2.4."
                        )
                        if to_status == TosProject.Status.IMPLEMENTED
                        else _("The status is changed."),
                    )
                    return redirect(project.get_manage_url())
                _fix_errors(request)
    return render(
        request,
        "tos/project_edit.html",
        {
            "form": form,
            "project": project,
            "steps": [(s, f, STEP_FORMS[s][2]) for s, f in steps.items()],
            "photos": list(project.photos.all()),
        },
    )

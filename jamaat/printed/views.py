import logging
from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from jamaat.core.access import Perm, municipality_view
from jamaat.documents.typst import DocumentRenderError
from jamaat.news.models import Post
from jamaat.plans.models import Evidence, Indicator, Plan
from jamaat.printed import services
from jamaat.printed.forms import MaterialForm, PlacementForm
from jamaat.printed.models import Material, Placement

logger = logging.getLogger(__name__)


def quarter_label(year: int, quarter: int) -> str:
    return _("Q%(quarter)s %(year)s") % {"quarter": quarter, "year": year}


def _quarter(day) -> int:
    return (day.month - 1) // 3 + 1


@municipality_view(Perm.VIEW_INTERNAL)
def material_list(request, municipality):
    today = timezone.localdate()
    year, quarter = today.year, _quarter(today)
    materials = (
        Material.objects.for_municipality(municipality)
        .select_related("created_by")
        .annotate(placement_count=Count("placements"))
        .order_by("-created_at", "-id")
    )
    page = Paginator(materials, 30).get_page(request.GET.get("page"))
    quarters = defaultdict(set)
    for material_id, day in Placement.objects.filter(
        material_id__in=[m.pk for m in page]
    ).values_list("material_id", "placed_on"):
        quarters[material_id].add((day.year, _quarter(day)))
    this_quarter = (
        Placement.objects.for_municipality(municipality)
        .filter(placed_on__year=year, placed_on__month__gte=3 * quarter - 2)
        .filter(placed_on__month__lte=3 * quarter)
        .count()
    )
    rows = [
        (m, [quarter_label(y, q) for y, q in sorted(quarters[m.pk], reverse=True)]) for m in page
    ]
    target = None
    plan = Plan.objects.current_for(municipality)
    if plan:
        indicator = (
            Indicator.objects.filter(activity__plan=plan, key=services.INDICATOR)
            .prefetch_related("targets")
            .first()
        )
        target = indicator.target_for(year) if indicator else None
    return render(
        request,
        "printed/list.html",
        {
            "page": page,
            "rows": rows,
            "year": year,
            "quarter": quarter_label(year, quarter),
            "placed": services.materials_placed(municipality, year),
            "target": target,
            "how": services.MATERIALS_PLACED_HOW,
            "this_quarter": this_quarter,
        },
    )


@municipality_view(Perm.VIEW_INTERNAL)
def material_detail(request, municipality, pk):
    material = get_object_or_404(
        Material.objects.select_related("source_post", "created_by"),
        municipality=municipality,
        pk=pk,
    )
    placements = list(material.placements.select_related("board", "placed_by"))
    evidence = {
        e.source: e
        for e in Evidence.objects.filter(
            municipality=municipality, source__in=[p.evidence_source for p in placements]
        )
    }
    rows = [
        (p, quarter_label(p.placed_on.year, p.quarter), evidence.get(p.evidence_source))
        for p in placements
    ]
    return render(request, "printed/detail.html", {"material": material, "rows": rows})


def _prefilled(request, municipality, material, values: dict) -> MaterialForm:
    """An unbound form showing `values` with title and text taken from the chosen post."""
    lang = values.get("language") if values.get("language") in ("ky", "ru") else "ky"
    post_id = str(values.get("source_post") or "")
    post = (
        Post.objects.for_municipality(municipality).published().filter(pk=post_id).first()
        if post_id.isdigit()
        else None
    )
    if post is None:
        messages.error(request, _("Choose a published news post first."))
    else:
        title, text, used = services.from_post(post, lang)
        values.update(title=title[:200], text=text, source_post=post.pk, language=lang)
        if used != lang:
            messages.warning(
                request,
                _(
                    "The post has no text in this language, so the other language was used. "
                    "Translate it before printing."
                ),
            )
        else:
            messages.info(
                request, _("Title and text filled in from the post. Check them, then save.")
            )
    return MaterialForm(instance=material, initial=values, municipality=municipality)


@municipality_view(Perm.MANAGE_CONTENT)
def material_edit(request, municipality, pk=None):
    material = (
        get_object_or_404(Material, municipality=municipality, pk=pk)
        if pk
        else Material(municipality=municipality)
    )
    if request.method == "POST":
        if request.POST.get("action") == "prefill":
            values = {k: request.POST.get(k, "") for k in MaterialForm.Meta.fields}
            form = _prefilled(request, municipality, material, values)
            return render(request, "printed/edit.html", {"form": form, "material": material})
        form = MaterialForm(request.POST, instance=material, municipality=municipality)
        if form.is_valid():
            material = form.save(commit=False)
            try:
                services.save_material(request.user, material)
            except ValidationError as exc:
                form.add_error("text", exc)
            except DocumentRenderError:
                logger.exception("printed material %s: PDF failed", material.pk)
                form.add_error(
                    None,
                    _(
                        "The PDF could not be made. Nothing was saved; please try again, and "
                        "tell the platform administrator if it keeps failing."
                    ),
                )
            else:
                messages.success(request, _("Saved. The PDF is ready to print."))
                return redirect("printed:detail", municipality.slug, material.pk)
        messages.error(request, _("Please correct the errors below; nothing was saved yet."))
    elif not pk and request.GET.get("post"):
        values = {
            "kind": request.GET.get("kind", Material.Kind.POSTER),
            "language": request.GET.get("language", "ky"),
            "source_post": request.GET.get("post"),
        }
        form = _prefilled(request, municipality, material, values)
    else:
        form = MaterialForm(instance=material, municipality=municipality)
    return render(request, "printed/edit.html", {"form": form, "material": material})


@municipality_view(Perm.MANAGE_CONTENT)
def placement_new(request, municipality, pk):
    material = get_object_or_404(Material, municipality=municipality, pk=pk)
    placement = Placement(municipality=municipality, material=material)
    form = PlacementForm(
        request.POST or None,
        request.FILES or None,
        instance=placement,
        municipality=municipality,
        initial={"placed_on": timezone.localdate(), "placed_by": request.user.pk},
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                placement = services.record_placement(
                    request.user, form.save(commit=False), form.cleaned_data["photo"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                evidence = Evidence.objects.filter(source=placement.evidence_source).first()
                if evidence:
                    messages.success(
                        request,
                        _("Placement recorded. It is evidence for activity 1.4, %(quarter)s.")
                        % {"quarter": quarter_label(placement.placed_on.year, placement.quarter)},
                    )
                else:
                    messages.success(
                        request,
                        _(
                            "Placement recorded. No adopted plan covers this date, so it is not "
                            "recorded as evidence."
                        ),
                    )
                return redirect("printed:detail", municipality.slug, material.pk)
        messages.error(request, _("Please correct the errors below; nothing was saved yet."))
        if request.FILES:
            messages.warning(request, _("Choose the photo again: files are not kept on errors."))
    return render(request, "printed/placement.html", {"form": form, "material": material})

"""Printed-materials rows of the access matrix (collected by jamaat/core/tests/test_access_matrix.py)."""

from django.utils import timezone

from jamaat.printed.models import Material, Placement


def _material(t):
    """A material of the tenant, made without a PDF (the rows that need one render it)."""
    material, _ = Material.objects.get_or_create(
        municipality=t.municipality,
        title="MATRIX-MATERIAL",
        defaults={"kind": "poster", "language": "ky", "text": "Маалымат: жаңы түтүк."},
    )
    return material


def fingerprint():
    return (
        tuple(Material.objects.order_by("pk").values_list("pk", "title", "text", "kind", "pdf")),
        tuple(Placement.objects.order_by("pk").values_list("pk", "material_id", "place")),
    )


def rows(m):
    Row, needs, u, C, V, DONE = m.Row, m.needs, m.u, m.C, m.V, m.DONE

    def detail_url(w, t):
        return f"/{t.slug}/manage/printed/{_material(t).pk}/"

    def edit_url(w, t):
        return f"/{t.slug}/manage/printed/{_material(t).pk}/edit/"

    def placement_url(w, t):
        return f"/{t.slug}/manage/printed/{_material(t).pk}/placements/new/"

    def material_data(w, t):
        return {
            "kind": "poster",
            "language": "ky",
            "source_post": "",
            "title": "MATRIX-POSTER",
            "text": "Жаңы маалымат.",
            "action": "save",
        }

    def material_done(w, t):
        made = Material.objects.get(municipality=t.municipality, title="MATRIX-POSTER")
        assert made.pdf.name.startswith(f"printed/{t.municipality.pk}/")

    def placement_data(w, t):
        return {"place": "MATRIX-BOARD", "placed_on": timezone.localdate().isoformat()}

    def placement_done(w, t):
        assert Placement.objects.filter(material=_material(t), place="MATRIX-BOARD").exists()

    return [
        Row("printed", "<slug>/manage/printed/", "GET", needs(V), u("manage/printed/")),
        Row("printed_new", "<slug>/manage/printed/new/", "GET", needs(C), u("manage/printed/new/")),
        Row("printed_new", "<slug>/manage/printed/new/", "POST", needs(C, DONE),
            u("manage/printed/new/"), data=material_data, done=material_done),
        Row("printed_detail", "<slug>/manage/printed/<pk>/", "GET", needs(V), detail_url),
        Row("printed_edit", "<slug>/manage/printed/<pk>/edit/", "GET", needs(C), edit_url),
        Row("printed_edit", "<slug>/manage/printed/<pk>/edit/", "POST", needs(C, DONE),
            edit_url, data=material_data, done=material_done),
        Row("placement_new", "<slug>/manage/printed/<pk>/placements/new/", "GET", needs(C),
            placement_url),
        Row("placement_new", "<slug>/manage/printed/<pk>/placements/new/", "POST",
            needs(C, DONE), placement_url, data=placement_data, done=placement_done),
    ]  # fmt: skip

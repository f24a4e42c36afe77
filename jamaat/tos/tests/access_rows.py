"""TOS rows of the access matrix (collected by jamaat/core/tests/test_access_matrix.py).

Policy: the public page and public projects for everyone; a cancelled project only for insiders
(VIEW_INTERNAL); the staff overview needs VIEW_INTERNAL; every change needs MANAGE_CONTENT.
"""

from jamaat.tos.models import TosBody, TosProject, TosProjectPhoto


def _body(t):
    body, _ = TosBody.objects.get_or_create(
        municipality=t.municipality, name_ky="MATRIX-TOS", defaults={"leader_name": "Лидер"}
    )
    return body


def _project(t, status="planned"):
    project, _ = TosProject.objects.get_or_create(
        municipality=t.municipality,
        tos=_body(t),
        title_ky=f"MATRIX-PROJECT-{status}",
        defaults={"status": status},
    )
    return project


def fingerprint():
    return (
        tuple(TosBody.objects.order_by("pk").values_list("pk", "name_ky", "leader_name")),
        tuple(TosProject.objects.order_by("pk").values_list("pk", "title_ky", "status")),
        TosProjectPhoto.objects.count(),
        TosBody.villages.through.objects.count(),
    )


def rows(m):
    Row, public, needs, u, V, C, OK, DONE, HIDDEN = (
        m.Row, m.public, m.needs, m.u, m.V, m.C, m.OK, m.DONE, m.HIDDEN,
    )  # fmt: skip

    def cancelled_rule(w):
        return OK if V in w.perms else HIDDEN

    def list_url(w, t):
        _project(t, "planned")
        _project(t, "cancelled")
        return f"/{t.slug}/tos/"

    def no_cancelled(response, who, t):
        body = response.content.decode()
        assert "MATRIX-PROJECT-planned" in body and "MATRIX-PROJECT-cancelled" not in body

    def project_url(w, t):
        return f"/{t.slug}/tos/projects/{_project(t).pk}/"

    def cancelled_url(w, t):
        return f"/{t.slug}/tos/projects/{_project(t, 'cancelled').pk}/"

    def body_edit_url(w, t):
        return f"/{t.slug}/manage/tos/{_body(t).pk}/"

    def project_new_url(w, t):
        return f"/{t.slug}/manage/tos/{_body(t).pk}/projects/new/"

    def project_edit_url(w, t):
        return f"/{t.slug}/manage/tos/projects/{_project(t).pk}/"

    def body_data(w, t):
        return {"name_ky": "MATRIX-NEW-TOS", "leader_name": "Лидер", "members_count": "12",
                "is_active": "on"}  # fmt: skip

    def body_done(w, t):
        assert TosBody.objects.filter(municipality=t.municipality, name_ky="MATRIX-NEW-TOS")

    def project_data(w, t):
        return {"action": "save", "tos": str(_body(t).pk), "title_ky": "MATRIX-NEW-PROJECT",
                "local_budget_kgs": "1000"}  # fmt: skip

    def project_done(w, t):
        assert TosProject.objects.filter(municipality=t.municipality, title_ky="MATRIX-NEW-PROJECT")

    return [
        Row("tos_list", "<slug>/tos/", "GET", public, list_url, check=no_cancelled),
        Row("tos_project", "<slug>/tos/projects/<pk>/", "GET", public, project_url),
        Row("tos_cancelled", "<slug>/tos/projects/<pk>/", "GET", cancelled_rule, cancelled_url),
        Row("tos_manage", "<slug>/manage/tos/", "GET", needs(V), u("manage/tos/")),
        Row("tos_body_new", "<slug>/manage/tos/new/", "GET", needs(C), u("manage/tos/new/")),
        Row("tos_body_new", "<slug>/manage/tos/new/", "POST", needs(C, DONE),
            u("manage/tos/new/"), data=body_data, done=body_done),
        Row("tos_body_edit", "<slug>/manage/tos/<pk>/", "GET", needs(C), body_edit_url),
        Row("tos_body_edit", "<slug>/manage/tos/<pk>/", "POST", needs(C, DONE), body_edit_url,
            data=body_data, done=body_done),
        Row("tos_project_new", "<slug>/manage/tos/<pk>/projects/new/", "GET", needs(C),
            project_new_url),
        Row("tos_project_new", "<slug>/manage/tos/<pk>/projects/new/", "POST", needs(C, DONE),
            project_new_url, data=project_data, done=project_done),
        Row("tos_project_edit", "<slug>/manage/tos/projects/<pk>/", "GET", needs(C),
            project_edit_url),
        Row("tos_project_edit", "<slug>/manage/tos/projects/<pk>/", "POST", needs(C, DONE),
            project_edit_url, data=project_data, done=project_done),
    ]  # fmt: skip

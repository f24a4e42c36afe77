"""Acts rows of the access matrix (collected by jamaat/core/tests/test_access_matrix.py).

Policy (jamaat/acts/access.py): public pages for everyone; staff pages need VIEW_INTERNAL;
deputies and acts are changed with MANAGE_CONTENT or by the council chair; mandates also by a
deputy, for the deputy record linked to their own account only.
"""

from django.utils import timezone

from jamaat.acts.models import Deputy, LegalAct, Mandate, MandateEvent


def _deputy(t, name="MATRIX-DEPUTY"):
    deputy, _ = Deputy.objects.get_or_create(
        municipality=t.municipality, full_name=name, defaults={"term_from": 2021, "term_to": 2026}
    )
    return deputy


def _own_deputy(w, t):
    """The record linked to deputy_a's account (in A; deputy_a is a member of A only)."""
    deputy = _deputy(t, "MATRIX-OWN-DEPUTY")
    if t.tag == "A" and deputy.user_id is None:
        deputy.user = w.users["deputy_a"]
        deputy.save()
    return deputy


def _mandate(t, deputy, text):
    mandate, _ = Mandate.objects.get_or_create(
        municipality=t.municipality,
        deputy=deputy,
        text=text,
        defaults={"received_on": timezone.localdate()},
    )
    return mandate


def _act(t, status):
    defaults = {"status": status}
    if status in LegalAct.PUBLIC_STATUSES:
        defaults.update(number="1", adopted_on=timezone.localdate())
    act, _ = LegalAct.objects.get_or_create(
        municipality=t.municipality, title_ky=f"MATRIX-ACT-{status}", defaults=defaults
    )
    return act


def fingerprint():
    return (
        tuple(Deputy.objects.order_by("pk").values_list("pk", "full_name", "user_id")),
        tuple(Mandate.objects.order_by("pk").values_list("pk", "text", "status")),
        tuple(LegalAct.objects.order_by("pk").values_list("pk", "title_ky", "status")),
        MandateEvent.objects.count(),
        LegalAct.mandates.through.objects.count(),
    )


def rows(m):
    Row, public, needs, u, V, OK, DONE, HIDDEN, LOGIN, DENIED = (
        m.Row, m.public, m.needs, m.u, m.V, m.OK, m.DONE, m.HIDDEN, m.LOGIN, m.DENIED,
    )  # fmt: skip
    C = m.C
    API = m.API

    def manager(w):
        return C in w.perms or (w.role == "council_chair_a" and m.V in w.perms)

    def manage_rule(ok):
        def rule(w):
            if manager(w):
                return ok
            return LOGIN if w.anon else DENIED

        return rule

    def record_rule(ok):
        """Mandates: managers, and deputy_a for the record linked to their account."""

        def rule(w):
            if manager(w) or (w.role == "deputy_a" and V in w.perms):
                return ok
            return LOGIN if w.anon else DENIED

        return rule

    def draft_rule(w):
        return OK if V in w.perms else HIDDEN

    # --- urls (they create what the request needs, before the fingerprint is taken)
    def adopted_url(w, t):
        return f"/{t.slug}/acts/{_act(t, 'adopted').pk}/"

    def draft_url(w, t):
        return f"/{t.slug}/acts/{_act(t, 'draft').pk}/"

    def list_url(w, t):
        _act(t, "draft")
        _act(t, "adopted")
        return f"/{t.slug}/acts/"

    def api_url(w, t):
        _act(t, "draft")
        _act(t, "adopted")
        return f"{API}/municipalities/{t.slug}/acts/"

    def act_edit_url(w, t):
        return f"/{t.slug}/manage/acts/{_act(t, 'draft').pk}/"

    def mandate_new_url(w, t):
        _own_deputy(w, t)
        return f"/{t.slug}/manage/mandates/new/"

    def own_mandate_url(w, t):
        return f"/{t.slug}/manage/mandates/{_mandate(t, _own_deputy(w, t), 'MATRIX-OWN').pk}/"

    def other_mandate_url(w, t):
        return f"/{t.slug}/manage/mandates/{_mandate(t, _deputy(t), 'MATRIX-OTHER').pk}/"

    def deputy_edit_url(w, t):
        return f"/{t.slug}/manage/deputies/{_deputy(t).pk}/"

    # --- checks on successful reads
    def no_drafts(response, who, t):
        body = response.content.decode()
        assert "MATRIX-ACT-adopted" in body
        assert "MATRIX-ACT-draft" not in body

    # --- request bodies and what a successful write must have done
    def act_data(w, t):
        return {"action": "save", "title_ky": "MATRIX-NEW-ACT"}

    def act_new_done(w, t):
        assert LegalAct.objects.filter(municipality=t.municipality, title_ky="MATRIX-NEW-ACT")

    def act_edit_done(w, t):
        act = LegalAct.objects.get(municipality=t.municipality, status="draft")
        assert act.title_ky == "MATRIX-NEW-ACT"

    def mandate_data(w, t):
        return {
            "action": "save", "deputy": str(_own_deputy(w, t).pk), "received_via": "meeting",
            "received_on": timezone.localdate().isoformat(), "text": "MATRIX-NEW-MANDATE",
        }  # fmt: skip

    def mandate_done(w, t):
        assert Mandate.objects.filter(municipality=t.municipality, text="MATRIX-NEW-MANDATE")

    def status_data(w, t):
        return {"action": "status", "s-status": "in_work", "s-note": ""}

    def own_status_done(w, t):
        assert Mandate.objects.get(municipality=t.municipality, text="MATRIX-OWN").status == (
            "in_work"
        )

    def other_status_done(w, t):
        assert Mandate.objects.get(municipality=t.municipality, text="MATRIX-OTHER").status == (
            "in_work"
        )

    def deputy_data(w, t):
        return {"full_name": "MATRIX-NEW-DEPUTY", "term_from": "2021", "term_to": "2026",
                "is_active": "on"}  # fmt: skip

    def deputy_done(w, t):
        assert Deputy.objects.filter(municipality=t.municipality, full_name="MATRIX-NEW-DEPUTY")

    return [
        # public
        Row("acts_list", "<slug>/acts/", "GET", public, list_url, check=no_drafts),
        Row("acts_detail", "<slug>/acts/<pk>/", "GET", public, adopted_url),
        Row("acts_draft", "<slug>/acts/<pk>/", "GET", draft_rule, draft_url),
        Row("deputies", "<slug>/deputies/", "GET", public, u("deputies/")),
        Row("api_acts", "api/v1/municipalities/<slug>/acts/", "GET", public, api_url,
            check=no_drafts),
        # the registry of acts
        Row("acts_manage", "<slug>/manage/acts/", "GET", needs(V), u("manage/acts/")),
        Row("act_new", "<slug>/manage/acts/new/", "GET", manage_rule(OK), u("manage/acts/new/")),
        Row("act_new", "<slug>/manage/acts/new/", "POST", manage_rule(DONE),
            u("manage/acts/new/"), data=act_data, done=act_new_done),
        Row("act_edit", "<slug>/manage/acts/<pk>/", "GET", needs(V), act_edit_url),
        Row("act_edit", "<slug>/manage/acts/<pk>/", "POST", manage_rule(DONE), act_edit_url,
            data=act_data, done=act_edit_done),
        # mandates
        Row("mandates", "<slug>/manage/mandates/", "GET", needs(V), u("manage/mandates/")),
        Row("mandate_new", "<slug>/manage/mandates/new/", "GET", record_rule(OK),
            mandate_new_url),
        Row("mandate_new", "<slug>/manage/mandates/new/", "POST", record_rule(DONE),
            mandate_new_url, data=mandate_data, done=mandate_done),
        Row("mandate_edit", "<slug>/manage/mandates/<pk>/", "GET", needs(V), own_mandate_url),
        Row("mandate_own", "<slug>/manage/mandates/<pk>/", "POST", record_rule(DONE),
            own_mandate_url, data=status_data, done=own_status_done),
        Row("mandate_other", "<slug>/manage/mandates/<pk>/", "POST", manage_rule(DONE),
            other_mandate_url, data=status_data, done=other_status_done),
        # deputies
        Row("deputies_manage", "<slug>/manage/deputies/", "GET", needs(V),
            u("manage/deputies/")),
        Row("deputy_new", "<slug>/manage/deputies/new/", "GET", manage_rule(OK),
            u("manage/deputies/new/")),
        Row("deputy_new", "<slug>/manage/deputies/new/", "POST", manage_rule(DONE),
            u("manage/deputies/new/"), data=deputy_data, done=deputy_done),
        Row("deputy_edit", "<slug>/manage/deputies/<pk>/", "GET", manage_rule(OK),
            deputy_edit_url),
        Row("deputy_edit", "<slug>/manage/deputies/<pk>/", "POST", manage_rule(DONE),
            deputy_edit_url, data=deputy_data, done=deputy_done),
    ]  # fmt: skip

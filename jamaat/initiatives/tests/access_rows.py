"""Initiatives rows of the access matrix (collected by jamaat/core/tests/test_access_matrix.py).

Submitting an initiative and supporting one are public writes: every role, anonymous included,
may do them (each cell resets the per-IP limits first, since all cells come from 127.0.0.1).
"""

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jamaat.initiatives import ratelimit, services
from jamaat.initiatives.models import (
    Initiative,
    Milestone,
    PaperSheet,
    PaperSupport,
    Status,
    StatusChange,
    Support,
    SupportCode,
)

PDF = b"%PDF-1.4 matrix sheet"


def _initiative(t, title="MATRIX-INITIATIVE", status=Status.SUBMITTED, is_public=True):
    initiative, _ = Initiative.objects.get_or_create(
        municipality=t.municipality,
        title=title,
        defaults={
            "description": "Суу түтүгүн оңдоо",
            "submitter_name": "Айгүл",
            "phone": "+996555000111",
            "status": status,
            "is_public": is_public,
        },
    )
    return initiative


def fingerprint():
    return (
        tuple(Initiative.objects.order_by("pk").values_list("pk", "status", "title", "is_public")),
        StatusChange.objects.count(),
        Milestone.objects.count(),
        PaperSupport.objects.count(),
        PaperSheet.objects.count(),
        Support.objects.count(),
        SupportCode.objects.count(),
    )


def _village(t):
    return t.municipality.villages.order_by("pk").first()


def rows(m):
    Row, needs, public, u = m.Row, m.needs, m.public, m.u
    V, R, OK, DONE, HIDDEN = m.V, m.R, m.OK, m.DONE, m.HIDDEN
    today = timezone.localdate().isoformat()

    def hidden_rule(w):
        return OK if V in w.perms else HIDDEN

    def detail_url(w, t):
        return f"/{t.slug}/initiatives/{_initiative(t).pk}/"

    def hidden_url(w, t):
        return f"/{t.slug}/initiatives/{_initiative(t, 'MATRIX-HIDDEN', is_public=False).pk}/"

    def track_url(w, t):
        hidden = _initiative(t, "MATRIX-HIDDEN", is_public=False)
        return f"/{t.slug}/initiatives/track/{hidden.tracking_code}/"

    def submit_data(w, t):
        ratelimit.reset("127.0.0.1")
        return {
            "language": "ky",
            "title": "MATRIX-SUBMITTED",
            "description": "Көчөгө жарык орнотуу",
            "village": str(_village(t).pk),
            "submitter_name": "Нурлан",
            "phone": "0555 12 34 56",
            "consent": "on",
        }

    def submit_done(w, t):
        assert Initiative.objects.filter(
            municipality=t.municipality, title="MATRIX-SUBMITTED", channel="online"
        ).exists()

    def support_url(w, t):
        return f"/{t.slug}/initiatives/{_initiative(t).pk}/support/"

    def support_data(w, t):
        ratelimit.reset("127.0.0.1")
        return {"phone": "0700 123 456", "consent": "on"}

    def support_done(w, t):
        assert SupportCode.objects.filter(initiative=_initiative(t), phone="+996700123456").exists()

    def confirm_url(w, t):
        initiative = _initiative(t)
        pending = services.start_support(
            initiative, "0700 123 456", language="ky", consent_text="matrix", code="424242"
        )
        return f"/{t.slug}/initiatives/{initiative.pk}/support/{pending.token}/"

    def confirm_done(w, t):
        assert Support.objects.filter(initiative=_initiative(t), phone="+996700123456").exists()
        assert Initiative.objects.get(pk=_initiative(t).pk).support_online == 1

    def edit_url(w, t):
        return f"/{t.slug}/manage/initiatives/{_initiative(t).pk}/"

    def edit_data(w, t):
        return {
            "language": "ky",
            "title": "MATRIX-EDITED",
            "description": "Суу түтүгүн оңдоо",
            "title_other": "Ремонт водопровода",
            "description_other": "",
            "village": str(_village(t).pk),
            "category": "",
            "estimated_cost": "150 000",
            "submitter_name": "Айгүл",
            "phone": "+996555000111",
            "group_name": "",
            "is_public": "on",
        }

    def edit_done(w, t):
        assert Initiative.objects.filter(
            municipality=t.municipality, title="MATRIX-EDITED"
        ).exists()

    def paper_data(w, t):
        return {
            "language": "ru",
            "title": "MATRIX-PAPER",
            "description": "Ремонт дороги",
            "village": str(_village(t).pk),
            "submitter_name": "Эрмек",
            "phone": "0777 11 22 33",
            "received_on": today,
            "paper_consent": "on",
        }

    def paper_done(w, t):
        assert Initiative.objects.filter(
            municipality=t.municipality, title="MATRIX-PAPER", channel="paper"
        ).exists()

    def transition_url(w, t):
        return f"/{t.slug}/manage/initiatives/{_initiative(t).pk}/transition/"

    def transition_data(w, t):
        return {"to": "under_review", "t-under_review-note": "MATRIX"}

    def transition_done(w, t):
        assert _initiative(t).status == Status.UNDER_REVIEW

    def milestone_url(w, t):
        funded = _initiative(t, "MATRIX-FUNDED", status=Status.FUNDED)
        return f"/{t.slug}/manage/initiatives/{funded.pk}/milestones/"

    def milestone_data(w, t):
        return {"m-happened_on": today, "m-text_ky": "MATRIX-MILESTONE"}

    def milestone_done(w, t):
        assert Milestone.objects.filter(
            initiative__municipality=t.municipality, text_ky="MATRIX-MILESTONE"
        ).exists()

    def paper_support_url(w, t):
        return f"/{t.slug}/manage/initiatives/{_initiative(t).pk}/paper-support/"

    def paper_support_data(w, t):
        return {
            "p-count": "12",
            "p-collected_on": today,
            "p-sheets": SimpleUploadedFile("sheet.pdf", PDF, content_type="application/pdf"),
        }

    def paper_support_done(w, t):
        assert PaperSupport.objects.filter(initiative=_initiative(t), count=12).exists()
        assert _initiative(t).support_paper == 12

    def sheet_url(w, t):
        initiative = _initiative(t)
        paper = PaperSupport.objects.create(
            municipality=t.municipality,
            initiative=initiative,
            count=3,
            collected_on=timezone.localdate(),
        )
        scan = PaperSheet(
            municipality=t.municipality,
            paper_support=paper,
            original_name=f"sheet-{t.tag}.pdf",
            content_type="application/pdf",
            size=len(PDF),
        )
        scan.file.save(f"sheet-{t.tag}.pdf", ContentFile(PDF + t.tag.encode()), save=False)
        scan.save()
        return f"/{t.slug}/manage/initiatives/{initiative.pk}/sheets/{scan.pk}/"

    def sheet_check(response, who, t):
        assert b"".join(response.streaming_content) == PDF + t.tag.encode()

    def api_url(w, t):
        _initiative(t)
        _initiative(t, "MATRIX-HIDDEN", is_public=False)
        return f"/api/v1/municipalities/{t.slug}/initiatives/"

    def api_check(response, who, t):
        data = response.json()
        titles = {i["title_ky"] for i in data}
        assert "MATRIX-INITIATIVE" in titles
        assert "MATRIX-HIDDEN" not in titles
        assert "555000111" not in response.content.decode()

    return [
        Row("initiatives", "<slug>/initiatives/", "GET", public, u("initiatives/"),
            check=m.no_internal_links),
        Row("initiative_new", "<slug>/initiatives/new/", "GET", public, u("initiatives/new/")),
        Row("initiative_new", "<slug>/initiatives/new/", "POST", lambda w: DONE,
            u("initiatives/new/"), data=submit_data, done=submit_done),
        Row("initiative_track_lookup", "<slug>/initiatives/track/", "GET", public,
            u("initiatives/track/?code=ZZZZ-ZZZZ")),
        Row("initiative_track", "<slug>/initiatives/track/<code>/", "GET", public, track_url),
        Row("initiative", "<slug>/initiatives/<pk>/", "GET", public, detail_url),
        Row("initiative_hidden", "<slug>/initiatives/<pk>/", "GET", hidden_rule, hidden_url),
        Row("initiative_support", "<slug>/initiatives/<pk>/support/", "GET", public,
            support_url),
        Row("initiative_support", "<slug>/initiatives/<pk>/support/", "POST", lambda w: DONE,
            support_url, data=support_data, done=support_done),
        Row("initiative_support_confirm", "<slug>/initiatives/<pk>/support/<token>/", "GET",
            public, confirm_url),
        Row("initiative_support_confirm", "<slug>/initiatives/<pk>/support/<token>/", "POST",
            lambda w: DONE, confirm_url, data=lambda w, t: {"code": "424 242"},
            done=confirm_done),
        Row("initiatives_manage", "<slug>/manage/initiatives/", "GET", needs(V),
            u("manage/initiatives/")),
        Row("initiative_paper", "<slug>/manage/initiatives/new/", "GET", needs(R),
            u("manage/initiatives/new/")),
        Row("initiative_paper", "<slug>/manage/initiatives/new/", "POST", needs(R, DONE),
            u("manage/initiatives/new/"), data=paper_data, done=paper_done),
        Row("initiative_edit", "<slug>/manage/initiatives/<pk>/", "GET", needs(V), edit_url),
        Row("initiative_edit", "<slug>/manage/initiatives/<pk>/", "POST", m.evidence_post_rule,
            edit_url, data=edit_data, done=edit_done),
        Row("initiative_transition", "<slug>/manage/initiatives/<pk>/transition/", "GET",
            m.post_only, transition_url),
        Row("initiative_transition", "<slug>/manage/initiatives/<pk>/transition/", "POST",
            needs(R, DONE), transition_url, data=transition_data, done=transition_done),
        Row("initiative_milestone", "<slug>/manage/initiatives/<pk>/milestones/", "GET",
            m.post_only, milestone_url),
        Row("initiative_milestone", "<slug>/manage/initiatives/<pk>/milestones/", "POST",
            needs(R, DONE), milestone_url, data=milestone_data, done=milestone_done),
        Row("initiative_paper_support", "<slug>/manage/initiatives/<pk>/paper-support/", "GET",
            m.post_only, paper_support_url),
        Row("initiative_paper_support", "<slug>/manage/initiatives/<pk>/paper-support/",
            "POST", needs(R, DONE), paper_support_url, data=paper_support_data,
            done=paper_support_done),
        Row("initiative_sheet", "<slug>/manage/initiatives/<pk>/sheets/<sheet_pk>/", "GET",
            needs(V), sheet_url, check=sheet_check),
        Row("api_initiatives", "api/v1/municipalities/<slug>/initiatives/", "GET", public,
            api_url, check=api_check),
    ]  # fmt: skip

"""Paper rows of the access matrix (collected by jamaat/core/tests/test_access_matrix.py)."""

import json
from datetime import timedelta

from django.utils import timezone

from jamaat.paper.models import Batch, Discrepancy, PaperEntry
from jamaat.surveys import services
from jamaat.surveys.models import Questionnaire, Response, Round

FORM = {
    "title_ky": "MATRIX-PAPER",
    "sections": [{"title_ky": "S", "questions": [
        {"code": "p1", "type": "yes_no", "label_ky": "Суроо ң ө ү"},
        {"code": "p2", "type": "rating", "label_ky": "Баа", "show_if": "p1 == 'yes'"},
    ]}],
}  # fmt: skip


def _q(t) -> Questionnaire:
    q = Questionnaire.objects.filter(municipality=t.municipality, title_ky="MATRIX-PAPER").first()
    if q is None:
        q = services.create_questionnaire(None, t.municipality, FORM)
        Questionnaire.objects.filter(pk=q.pk).update(status=Questionnaire.Status.PUBLISHED)
        now = timezone.now()
        Round.objects.create(
            municipality=t.municipality, questionnaire=q, name="R",
            opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=10),
        )  # fmt: skip
        q.refresh_from_db()
    return q


def _batch(t, double=False) -> Batch:
    note = "MATRIX-DOUBLE" if double else "MATRIX-SINGLE"
    b = Batch.objects.filter(municipality=t.municipality, note=note).first()
    if b is None:
        q = _q(t)
        b = Batch.objects.create(
            municipality=t.municipality, questionnaire=q, round=q.rounds.first(),
            opened_on=timezone.localdate(), forms_found=10, note=note, double_entry=double,
        )  # fmt: skip
        if double:
            PaperEntry.objects.create(batch=b, serial=900, pass_no=1, answers={"p1": "no"})
            PaperEntry.objects.create(batch=b, serial=900, pass_no=2, answers={"p1": "yes"})
            Discrepancy.objects.create(
                batch=b, serial=900, question_code="p1",
                first_value=json.dumps("no"), second_value=json.dumps("yes"),
            )  # fmt: skip
    return b


def fingerprint():
    return (
        tuple(Batch.objects.order_by("pk").values_list("pk", "status", "forms_found")),
        tuple(PaperEntry.objects.order_by("pk").values_list("pk", "serial", "pass_no")),
        tuple(Discrepancy.objects.order_by("pk").values_list("pk", "resolved_value")),
        Response.objects.filter(channel="paper").count(),
    )


def rows(m):
    Row, needs, u, V, R, DONE = m.Row, m.needs, m.u, m.V, m.R, m.DONE

    def batch_url(suffix="", double=False):
        return lambda w, t: f"/{t.slug}/manage/paper/{_batch(t, double).pk}/{suffix}"

    def new_url(w, t):
        _q(t)
        return f"/{t.slug}/manage/paper/new/"

    def new_data(w, t):
        return {"questionnaire": _q(t).pk, "opened_on": timezone.localdate().isoformat(),
                "forms_found": "77", "opened_by_name": "MATRIX"}  # fmt: skip

    def new_done(w, t):
        assert Batch.objects.filter(municipality=t.municipality, forms_found=77).exists()

    def entry_data(w, t):
        return {"serial": "5", "p1": "1", "p2": "4"}

    def entry_done(w, t):
        assert Response.objects.filter(
            questionnaire=_q(t), channel="paper", serial="5", batch_ref=str(_batch(t).pk)
        ).exists()

    def status_done(w, t):
        assert _batch(t).status == Batch.Status.ENTERED

    def resolve_data(w, t):
        d = Discrepancy.objects.get(batch=_batch(t, True))
        return {f"d{d.pk}": "second"}

    def resolve_done(w, t):
        assert Response.objects.filter(
            batch_ref=str(_batch(t, True).pk), serial="900", channel="paper"
        ).exists()

    def pdf_url(w, t):
        return f"/{t.slug}/manage/paper/print/?questionnaire={_q(t).pk}&language=ky&first=1&last=2"

    def pdf_check(response, who, t):
        assert response["Content-Type"] == "application/pdf"

    return [
        Row("paper", "<slug>/manage/paper/", "GET", needs(V), u("manage/paper/")),
        Row("paper_new", "<slug>/manage/paper/new/", "GET", needs(R), new_url),
        Row("paper_new", "<slug>/manage/paper/new/", "POST", needs(R, DONE), new_url,
            data=new_data, done=new_done),
        Row("paper_print", "<slug>/manage/paper/print/", "GET", needs(V), u("manage/paper/print/")),
        Row("paper_print", "<slug>/manage/paper/print/", "GET", needs(V), pdf_url, check=pdf_check),
        Row("paper_batch", "<slug>/manage/paper/<pk>/", "GET", needs(V), batch_url()),
        Row("paper_batch", "<slug>/manage/paper/<pk>/", "POST", m.evidence_post_rule, batch_url(),
            data=lambda w, t: {"status": "entered"}, done=status_done),
        Row("paper_entry", "<slug>/manage/paper/<pk>/entry/", "GET", needs(R), batch_url("entry/")),
        Row("paper_entry", "<slug>/manage/paper/<pk>/entry/", "POST", needs(R, DONE),
            batch_url("entry/"), data=entry_data, done=entry_done),
        Row("paper_discrepancies", "<slug>/manage/paper/<pk>/discrepancies/", "GET", needs(R),
            batch_url("discrepancies/", True)),
        Row("paper_discrepancies", "<slug>/manage/paper/<pk>/discrepancies/", "POST",
            needs(R, DONE), batch_url("discrepancies/", True), data=resolve_data,
            done=resolve_done),
    ]  # fmt: skip

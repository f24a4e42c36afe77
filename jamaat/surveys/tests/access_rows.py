"""Surveys rows of the access matrix (jamaat/core/tests/test_access_matrix.py collects them)."""

from datetime import timedelta

from django.utils import timezone

from jamaat.surveys import services
from jamaat.surveys.models import Question, Questionnaire, Response, Round, Section

MATRIX_FORM = {
    "title_ky": "MATRIX-Q",
    "sections": [{"title_ky": "S", "questions": [
        {"code": "m1", "type": "yes_no", "label_ky": "Суроо"},
        {"code": "m2", "type": "text", "label_ky": "Текст", "show_if": "m1 == 'yes'"},
    ]}],
}  # fmt: skip


def _q(t) -> Questionnaire:
    q = Questionnaire.objects.filter(municipality=t.municipality, title_ky="MATRIX-Q").first()
    if q is None:
        q = services.create_questionnaire(None, t.municipality, MATRIX_FORM)
        Questionnaire.objects.filter(pk=q.pk).update(status=Questionnaire.Status.PUBLISHED)
        now = timezone.now()
        Round.objects.create(
            municipality=t.municipality, questionnaire=q, name="R",
            opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=10),
        )  # fmt: skip
        q.refresh_from_db()
    return q


def fingerprint():
    return (
        tuple(Questionnaire.objects.order_by("pk").values_list("pk", "title_ky", "status")),
        tuple(Section.objects.order_by("pk").values_list("pk", "title_ky", "order")),
        tuple(Question.objects.order_by("pk").values_list("pk", "label_ky", "order")),
        tuple(Round.objects.order_by("pk").values_list("pk", "closes_at")),
        Response.objects.count(),
    )


def rows(m):
    Row, needs, public, u, C, V, DONE, NOT_ALLOWED = (
        m.Row, m.needs, m.public, m.u, m.C, m.V, m.DONE, m.NOT_ALLOWED,
    )  # fmt: skip

    def q_url(suffix=""):
        return lambda w, t: f"/{t.slug}/questionnaires/{_q(t).pk}/{suffix}"

    def b_url(suffix=""):
        return lambda w, t: f"/{t.slug}/manage/questionnaires/{_q(t).pk}/{suffix}"

    def section_url(w, t):
        s = _q(t).current_version().sections.first()
        return f"/{t.slug}/manage/questionnaires/{_q(t).pk}/sections/{s.pk}/"

    def question_url(w, t):
        qu = _q(t).current_version().questions.get(code="m1")
        return f"/{t.slug}/manage/questionnaires/{_q(t).pk}/questions/{qu.pk}/"

    def submit_data(w, t):
        return {"page": "review", "nav": "submit"}

    def submit_done(w, t):
        assert Response.objects.filter(questionnaire=_q(t)).exists()

    def create_data(w, t):
        return {"action": "template"}

    def create_done(w, t):
        assert Questionnaire.objects.filter(
            municipality=t.municipality, template_key="lsg_assessment"
        ).exists()

    def settings_data(w, t):
        return {"action": "settings", "s-title_ky": "MATRIX-RENAMED", "s-title_ru": ""}

    def settings_done(w, t):
        assert Questionnaire.objects.filter(
            municipality=t.municipality, title_ky="MATRIX-RENAMED"
        ).exists()

    def section_data(w, t):
        return {"title_ky": "MATRIX-SECTION", "title_ru": "", "text_ky": "", "text_ru": ""}

    def section_done(w, t):
        assert Section.objects.filter(
            version__questionnaire__municipality=t.municipality, title_ky="MATRIX-SECTION"
        ).exists()

    def question_data(w, t):
        return {"label_ky": "MATRIX-QUESTION", "label_ru": "", "hint_ky": "", "hint_ru": "",
                "code": "m1", "type": "yes_no", "show_if": ""}  # fmt: skip

    def question_done(w, t):
        assert Question.objects.filter(
            version__questionnaire__municipality=t.municipality, label_ky="MATRIX-QUESTION"
        ).exists()

    def import_data(w, t):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from jamaat.surveys import xlsform

        content = xlsform.export_xlsform(_q(t))
        return {"file": SimpleUploadedFile("form.xlsx", content)}

    def import_done(w, t):
        assert (
            Questionnaire.objects.filter(municipality=t.municipality, title_ky="MATRIX-Q").count()
            == 2
        )

    def import_url(w, t):
        _q(t)  # built before the matrix takes its fingerprint
        return f"/{t.slug}/manage/questionnaires/import/"

    def api_results(w, t):
        return f"/api/v1/questionnaires/{_q(t).pk}/results/"

    def api_responses(w, t):
        return f"/api/v1/questionnaires/{_q(t).pk}/responses/"

    def results_rule(who):
        # results of MATRIX-Q are not public: internal readers only, 404 for everyone else
        return m.OK if V in who.perms else m.HIDDEN

    return [
        Row("surveys_list", "<slug>/questionnaires/", "GET", public, u("questionnaires/")),
        Row("surveys_answer", "<slug>/questionnaires/<pk>/", "GET", public, q_url()),
        Row("surveys_answer", "<slug>/questionnaires/<pk>/", "POST", lambda w: DONE, q_url(),
            data=submit_data, done=submit_done),
        Row("surveys_thanks", "<slug>/questionnaires/<pk>/thanks/", "GET", public, q_url("thanks/")),
        Row("surveys_manage", "<slug>/manage/questionnaires/", "GET", needs(V),
            u("manage/questionnaires/")),
        Row("surveys_manage", "<slug>/manage/questionnaires/", "POST", needs(C, DONE),
            u("manage/questionnaires/"), data=create_data, done=create_done),
        Row("surveys_import", "<slug>/manage/questionnaires/import/", "GET", needs(V),
            u("manage/questionnaires/import/")),
        Row("surveys_import", "<slug>/manage/questionnaires/import/", "POST", needs(C, DONE),
            import_url, data=import_data, done=import_done),
        Row("surveys_builder", "<slug>/manage/questionnaires/<pk>/", "GET", needs(V), b_url()),
        Row("surveys_builder", "<slug>/manage/questionnaires/<pk>/", "POST", needs(C, DONE),
            b_url(), data=settings_data, done=settings_done),
        Row("surveys_export", "<slug>/manage/questionnaires/<pk>/export.xlsx", "GET", needs(V),
            b_url("export.xlsx")),
        Row("surveys_section", "<slug>/manage/questionnaires/<pk>/sections/<spk>/", "GET",
            needs(V), section_url),
        Row("surveys_section", "<slug>/manage/questionnaires/<pk>/sections/<spk>/", "POST",
            needs(C, DONE), section_url, data=section_data, done=section_done),
        Row("surveys_question", "<slug>/manage/questionnaires/<pk>/questions/<qpk>/", "GET",
            needs(V), question_url),
        Row("surveys_question", "<slug>/manage/questionnaires/<pk>/questions/<qpk>/", "POST",
            needs(C, DONE), question_url, data=question_data, done=question_done),
        Row("api_questionnaires", "api/v1/municipalities/<slug>/questionnaires/", "GET", public,
            lambda w, t: f"/api/v1/municipalities/{t.slug}/questionnaires/"),
        Row("api_results", "api/v1/questionnaires/<qid>/results/", "GET", results_rule,
            api_results),
        # POST is covered in test_api.py (201 is not an outcome of the matrix); GET is refused.
        Row("api_responses", "api/v1/questionnaires/<qid>/responses/", "GET",
            lambda w: NOT_ALLOWED, api_responses),
    ]  # fmt: skip

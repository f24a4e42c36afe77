"""submit_response, versions, the template, evidence and the 3.2 figure."""

from datetime import timedelta

import pytest
from django.db.models import Count
from django.utils import timezone

from jamaat.plans import registry
from jamaat.plans.models import Evidence
from jamaat.surveys import services
from jamaat.surveys.models import Answer, Question, Questionnaire, Response, Round
from jamaat.surveys.template import LSG_ASSESSMENT
from jamaat.surveys.tests.factories import published


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def q(mun_a, people):
    return published(people["staff_a"], mun_a)


def submit(q, answers, **kw):
    kw.setdefault("round", q.rounds.first())
    return services.submit_response(q.current_version(), answers, language="ky", **kw)


def test_valid_answers_are_stored_one_row_per_choice(q):
    r = submit(q, {"has_water": "yes", "people": "4", "needs": ["water", "other"],
                   "needs__other": "мектеп"})  # fmt: skip
    rows = {(a.question_code, a.option_code, a.value, a.number) for a in r.answers.all()}
    assert rows == {("has_water", "yes", "yes", None), ("people", "", "4", 4.0),
                    ("needs", "water", "water", None), ("needs", "other", "мектеп", None)}  # fmt: skip
    assert r.channel == "online" and r.version == q.current_version()


def test_frequencies_are_one_aggregate(q, django_assert_num_queries):
    for ans in ("yes", "yes", "no"):
        submit(q, {"has_water": ans, "why": "pipe"})
    with django_assert_num_queries(1):
        counts = dict(
            Answer.objects.filter(question_code="has_water", response__questionnaire=q)
            .values_list("option_code")
            .annotate(n=Count("id"))
        )
    assert counts == {"yes": 2, "no": 1}


def test_missing_required_and_text_in_number_name_each_field(q):
    with pytest.raises(services.InvalidResponse) as exc:
        submit(q, {"people": "four"})
    assert set(exc.value.errors) == {"has_water", "people"}
    assert "number" in exc.value.errors["people"]
    assert Response.objects.count() == 0


def test_number_limits(q):
    with pytest.raises(services.InvalidResponse) as exc:
        submit(q, {"has_water": "yes", "people": "31"})
    assert "30" in exc.value.errors["people"]


def test_condition_makes_question_required_only_when_shown_and_drops_hidden_answers(q):
    with pytest.raises(services.InvalidResponse) as exc:
        submit(q, {"has_water": "no"})
    assert set(exc.value.errors) == {"why"}
    r = submit(q, {"has_water": "yes", "why": "pipe"})  # "why" is hidden: dropped
    assert not r.answers.filter(question_code="why").exists()


def test_other_needs_its_text(q):
    with pytest.raises(services.InvalidResponse) as exc:
        submit(q, {"has_water": "no", "why": "other"})
    assert "Other" in exc.value.errors["why"] or "“" in exc.value.errors["why"]


def test_closed_questionnaire_and_round_refuse_online_answers(q):
    rnd = q.rounds.first()
    Round.objects.filter(pk=rnd.pk).update(closes_at=timezone.now() - timedelta(hours=1))
    rnd.refresh_from_db()
    with pytest.raises(services.RoundClosed):
        submit(q, {"has_water": "yes"}, round=rnd)
    # paper forms collected during the round are still entered afterwards
    r = submit(q, {"has_water": "yes"}, round=rnd, channel="paper", batch_ref="box-1", serial="7")
    assert (r.channel, r.batch_ref, r.serial) == ("paper", "box-1", "7")
    services.close(None, q)
    with pytest.raises(services.RoundClosed, match="closed"):
        submit(q, {"has_water": "yes"}, round=rnd)


def test_editing_after_answers_makes_a_new_version_and_old_answers_keep_theirs(q):
    v1 = q.current_version()
    assert services.editable_version(q) == v1  # no answers yet: edited in place
    r = submit(q, {"has_water": "yes"})
    v2 = services.editable_version(q)
    assert v2 != v1 and v2.number == 2
    assert [x.code for x in v2.ordered_questions()] == [x.code for x in v1.ordered_questions()]
    Question.objects.filter(version=v2, code="people").update(label_ky="Жаңы")
    r.refresh_from_db()
    assert r.version == v1
    assert v1.questions.get(code="people").label_ky != "Жаңы"
    assert v2.questions.get(code="why").options.count() == 2


def test_template_creates_a_full_bilingual_questionnaire(mun_a, people):
    q = services.create_from_template(people["staff_a"], mun_a)
    questions = q.current_version().ordered_questions()
    assert 15 <= len(questions) <= 20
    assert all(x.label_ky and x.label_ru for x in questions)
    types = {x.type for x in questions}
    assert {"village", "gender", "age_group", "matrix", "multiple", "rating", "long_text"} <= types
    sources = next(x for x in questions if x.code == "info_sources")
    codes = {o.code for o in sources.options.all()}
    assert {"website", "facebook", "instagram", "telegram", "whatsapp", "board",
            "gatherings"} <= codes  # fmt: skip
    assert q.title_ky == LSG_ASSESSMENT["title_ky"]


def test_template_answers_fill_demographic_copies(mun_a, people):
    q = published(people["staff_a"], mun_a, LSG_ASSESSMENT)
    village = mun_a.villages.first()
    answers = {"village": str(village.pk), "gender": "female", "age": "30_44",
               "satisfaction": "4", "issues": ["water"], "took_part": "no",
               "services__water": "2", "services__roads": "5"}  # fmt: skip
    r = submit(q, answers)
    assert (r.village, r.gender, r.age_group) == (village, "female", "30_44")
    assert set(r.answers.filter(question_code="services").values_list("row_code", "number")) == {
        ("water", 2.0),
        ("roads", 5.0),
    }


def test_publish_and_closed_round_are_evidence_and_the_figure_counts(
    mun_a, people, approved_plan_a
):
    q = published(people["staff_a"], mun_a)
    assert Evidence.objects.filter(source=f"surveys.questionnaire:{q.pk}").exists()
    rnd = q.rounds.first()
    submit(q, {"has_water": "yes"})
    submit(q, {"has_water": "no", "why": "pump"}, channel="paper")
    services.close_round(people["staff_a"], rnd)
    assert Evidence.objects.filter(source=f"surveys.round:{rnd.pk}").exists()
    services.close_round(people["staff_a"], rnd)  # idempotent
    assert Evidence.objects.filter(source=f"surveys.round:{rnd.pk}").count() == 1
    figure = registry.figure_for("3.2.questionnaires_collected")
    assert figure.compute(mun_a, timezone.localdate().year) == 2
    assert figure.compute(mun_a, timezone.localdate().year - 1) == 0


def test_draft_refuses_even_paper(mun_a, people):
    q = services.create_questionnaire(people["staff_a"], mun_a, LSG_ASSESSMENT)
    assert q.status == Questionnaire.Status.DRAFT
    with pytest.raises(services.RoundClosed):
        services.submit_response(q.current_version(), {}, channel="paper", language="ru")


def test_village_question_is_skipped_where_no_villages_are_listed(db):
    from jamaat.conftest import make_municipality
    from jamaat.municipalities.models import Village
    from jamaat.surveys import services as survey_services

    city = make_municipality("tokmok-x", name_ky="Токмок", name_ru="Токмок", kind="city")
    Village.objects.filter(municipality=city).delete()
    questionnaire = survey_services.create_from_template(None, city)
    version = questionnaire.versions.order_by("-number").first()
    _cleaned, errors, visible = survey_services.validate(version, {})
    village_codes = [q.code for q in version.ordered_questions() if q.type == "village"]
    assert village_codes and not set(village_codes) & set(visible)
    assert not set(village_codes) & set(errors)

"""The public form page by page, the staff builder, and the API."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from jamaat.conftest import PASSWORD
from jamaat.surveys import services
from jamaat.surveys.models import Question, Questionnaire, Response, Round
from jamaat.surveys.tests.factories import published


@pytest.fixture(autouse=True)
def _english_and_fresh_cache(client, settings):
    from django.core.cache import cache

    cache.clear()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def q(mun_a, people):
    return published(people["staff_a"], mun_a)


def url(q, page=None):
    base = f"/{q.municipality.slug}/questionnaires/{q.pk}/"
    return base if page is None else f"{base}?page={page}"


def test_resident_answers_page_by_page_with_a_condition(client, q):
    page = client.get(url(q)).content.decode()
    assert "Үйүңүздө суу барбы?" in page and "Эмне үчүн?" not in page
    # "no" makes "why" appear on the same page: shown again, nothing lost
    r = client.post(url(q), {"page": "0", "nav": "next", "has_water": "no"})
    body = r.content.decode()
    assert r.status_code == 200 and "Эмне үчүн?" in body
    assert 'value="no" checked' in body or "checked" in body
    r = client.post(url(q), {"page": "0", "nav": "next", "has_water": "no", "why": "pump"})
    assert r.status_code == 302 and r["Location"].endswith("?page=1")
    # text in a number field: a clear message, the other answers on the page are kept
    r = client.post(url(q), {"page": "1", "nav": "next", "people": "four", "note": "Көп сөз"})
    body = r.content.decode()
    assert "Enter a number" in body or "сан" in body.lower()
    assert "Көп сөз" in body and 'value="four"' in body
    r = client.post(url(q), {"page": "1", "nav": "next", "people": "4", "note": "Көп сөз"})
    assert r["Location"].endswith("?page=review")
    review = client.get(url(q, "review")).content.decode()
    assert "Насос" in review or "Насос" in review and "Көп сөз" in review
    r = client.post(url(q), {"page": "review", "nav": "submit"})
    assert r.status_code == 302 and "thanks" in r["Location"]
    resp = Response.objects.get()
    assert set(resp.answers.values_list("question_code", "value")) == {
        ("has_water", "no"),
        ("why", "pump"),
        ("people", "4"),
        ("note", "Көп сөз"),
    }
    # the signed cookie: a second visit is told it already answered
    assert "already answered" in client.get(url(q)).content.decode()


def test_missing_required_answer_is_named_on_its_page(client, q):
    r = client.post(url(q), {"page": "0", "nav": "next"})
    assert r.status_code == 200
    assert "This question is required." in r.content.decode()


def test_going_back_keeps_answers(client, q):
    client.post(url(q), {"page": "0", "nav": "next", "has_water": "yes"})
    client.post(url(q), {"page": "1", "nav": "back", "people": "7"})
    assert 'value="7"' in client.get(url(q, 1)).content.decode()


def test_closed_round_and_closed_questionnaire_are_refused(client, q):
    client.post(url(q), {"page": "0", "nav": "next", "has_water": "yes"})
    Round.objects.filter(questionnaire=q).update(closes_at=timezone.now() - timedelta(minutes=1))
    body = client.get(url(q)).content.decode()
    assert "not open for answers" in body
    r = client.post(url(q), {"page": "review", "nav": "submit"})
    assert "not open for answers" in r.content.decode()
    assert not Response.objects.exists()


def test_draft_is_hidden_from_residents_but_previewed_by_staff(client, mun_a, people):
    from jamaat.surveys.tests.factories import SMALL

    d = services.create_questionnaire(people["staff_a"], mun_a, SMALL)
    assert client.get(url(d)).status_code == 404
    client.login(username="staff_a", password=PASSWORD)
    assert "Preview" in client.get(url(d) + "?preview=1").content.decode()


def test_rate_limit_per_address(client, q, settings):
    settings.SURVEYS_RESPONSES_PER_IP_PER_DAY = 1
    for _i in range(2):
        client.cookies.clear()
        client.post(url(q), {"page": "0", "nav": "next", "has_water": "yes"})
        r = client.post(url(q), {"page": "review", "nav": "submit"})
    assert r.status_code == 429
    assert Response.objects.count() == 1


def test_list_and_home_block_show_open_questionnaires(client, q, mun_a):
    assert q.title_ky in client.get(f"/{mun_a.slug}/questionnaires/").content.decode()
    assert q.title_ky in client.get(f"/{mun_a.slug}/").content.decode()


def test_list_queries_do_not_grow(client, mun_a, people, django_assert_max_num_queries):
    published(people["staff_a"], mun_a)
    with django_assert_max_num_queries(12):
        client.get(f"/{mun_a.slug}/questionnaires/")
    for _ in range(8):
        published(people["staff_a"], mun_a)
    with django_assert_max_num_queries(12):
        client.get(f"/{mun_a.slug}/questionnaires/")


def test_staff_build_from_template_publish_and_edit_after_answers(client, mun_a, people):
    client.login(username="staff_a", password=PASSWORD)
    r = client.post(f"/{mun_a.slug}/manage/questionnaires/", {"action": "template"})
    q = Questionnaire.objects.get()
    assert r["Location"].endswith(f"/manage/questionnaires/{q.pk}/")
    builder = f"/{mun_a.slug}/manage/questionnaires/{q.pk}/"
    assert "satisfaction" in client.get(builder).content.decode()
    client.post(builder, {"action": "publish"})
    now = timezone.now()
    client.post(builder, {"action": "add_round", "r-name": "Жаз",
                          "r-opens_at": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
                          "r-closes_at": (now + timedelta(days=9)).strftime("%Y-%m-%dT%H:%M")})  # fmt: skip
    q.refresh_from_db()
    assert q.status == "published" and q.rounds.count() == 1
    v1 = q.current_version()
    services.submit_response(v1, {"village": str(mun_a.villages.first().pk), "satisfaction": 3,
                                  "issues": ["water"], "took_part": "yes"}, round=q.open_round())  # fmt: skip
    first = v1.questions.get(code="gender")
    r = client.post(f"{builder}questions/{first.pk}/", {
        "label_ky": "Жынысыңыз (жаңы)", "label_ru": "Пол", "hint_ky": "", "hint_ru": "",
        "code": "gender", "type": "gender", "show_if": "bad ==",
    })  # fmt: skip
    assert "cannot be used" in r.content.decode() and "Жынысыңыз (жаңы)" in r.content.decode()
    client.post(f"{builder}questions/{first.pk}/", {
        "label_ky": "Жынысыңыз (жаңы)", "label_ru": "Пол", "hint_ky": "", "hint_ru": "",
        "code": "gender", "type": "gender", "show_if": "village != ''",
    })  # fmt: skip
    assert q.current_version().number == 2
    assert q.current_version().questions.get(code="gender").label_ky == "Жынысыңыз (жаңы)"
    assert v1.questions.get(code="gender").label_ky == "Жынысыңыз"
    # reorder: move "age" up above "gender"
    age = q.current_version().questions.get(code="age")
    client.post(builder, {"action": "question_up", "question": age.pk})
    codes = [x.code for x in q.current_version().ordered_questions()[:3]]
    assert codes == ["village", "age", "gender"]
    html = client.get(builder).content.decode()
    # per-question counts, under the answers' labels rather than their codes
    assert re.search(r"(Ичүүчү суу|Питьевая вода): 1", html) and "water: 1" not in html
    village = mun_a.villages.first()
    assert f"{village.name_ky}: 1" in html


def test_deputy_reads_builder_but_cannot_change(client, q, people):
    client.login(username="deputy_a", password=PASSWORD)
    builder = f"/{q.municipality.slug}/manage/questionnaires/{q.pk}/"
    assert client.get(builder).status_code == 200
    assert client.post(builder, {"action": "add_section"}).status_code == 403


def test_import_refusal_is_shown(client, mun_a, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.login(username="staff_a", password=PASSWORD)
    r = client.post(f"/{mun_a.slug}/manage/questionnaires/import/",
                    {"file": SimpleUploadedFile("x.xlsx", b"garbage")})  # fmt: skip
    assert r.status_code == 200 and "not an .xlsx" in r.content.decode()
    assert not Questionnaire.objects.exists()


# --- API --------------------------------------------------------------------------------------


def post_json(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def test_api_list_and_anonymous_response(client, q):
    data = client.get(f"/api/v1/municipalities/{q.municipality.slug}/questionnaires/").json()
    assert [x["id"] for x in data] == [q.pk]
    assert [x["code"] for x in data[0]["questions"]][:2] == ["has_water", "why"]
    r = post_json(client, f"/api/v1/questionnaires/{q.pk}/responses/",
                  {"answers": {"has_water": "no", "why": "other", "why__other": "эски",
                               "needs": ["water"], "people": 3}, "language": "ru"})  # fmt: skip
    assert r.status_code == 201
    resp = Response.objects.get(pk=r.json()["id"])
    assert resp.language == "ru" and resp.channel == "online"


def test_api_invalid_names_each_field(client, q):
    r = post_json(client, f"/api/v1/questionnaires/{q.pk}/responses/",
                  {"answers": {"people": "many", "needs": ["nope"]}})  # fmt: skip
    assert r.status_code == 400
    assert set(r.json()["errors"]) == {"has_water", "people", "needs"}
    assert not Response.objects.exists()


def test_api_closed_and_draft(client, q, mun_a, people):
    services.close(None, q)
    r = post_json(
        client, f"/api/v1/questionnaires/{q.pk}/responses/", {"answers": {"has_water": "yes"}}
    )
    assert r.status_code == 409
    from jamaat.surveys.tests.factories import SMALL

    d = services.create_questionnaire(None, mun_a, SMALL)
    r = post_json(client, f"/api/v1/questionnaires/{d.pk}/responses/", {"answers": {}})
    assert r.status_code == 404


def test_api_results_public_only_when_made_public(client, q, people):
    services.submit_response(q.current_version(), {"has_water": "yes"}, round=q.open_round())
    path = f"/api/v1/questionnaires/{q.pk}/results/"
    assert client.get(path).status_code == 404
    Questionnaire.objects.filter(pk=q.pk).update(results_public=True)
    data = client.get(path).json()
    assert data["responses"] == 1 and data["questions"]["has_water"] == {"yes": 1}
    Questionnaire.objects.filter(pk=q.pk).update(results_public=False)
    client.login(username="deputy_a", password=PASSWORD)
    assert client.get(path).status_code == 200
    client.login(username="deputy_b", password=PASSWORD)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("role", ["anonymous", "deputy_b", "staff_a", "admin"])
def test_api_post_is_open_to_anyone_while_a_round_is_open(client, q, people, role):
    if role != "anonymous":
        client.force_login(people[role])
    r = post_json(
        client, f"/api/v1/questionnaires/{q.pk}/responses/", {"answers": {"has_water": "yes"}}
    )
    assert r.status_code == 201
    Round.objects.filter(questionnaire=q).update(closes_at=timezone.now())
    r = post_json(
        client, f"/api/v1/questionnaires/{q.pk}/responses/", {"answers": {"has_water": "yes"}}
    )
    assert r.status_code == 409
    assert Response.objects.count() == 1
    assert Question  # the model is importable from the tests' namespace


def test_api_names_unknown_questions_lists_villages_and_limits_per_address(
    client, q, mun_a, settings
):
    settings.SURVEYS_RESPONSES_PER_IP_PER_DAY = 2
    path = f"/api/v1/questionnaires/{q.pk}/responses/"
    r = post_json(client, path, {"answers": {"has_water": "yes", "colour": "red"}})
    assert r.status_code == 400 and r.json()["errors"] == {
        "colour": "No such question in this questionnaire."
    }
    assert not Response.objects.exists()
    for _ in range(2):
        assert post_json(client, path, {"answers": {"has_water": "yes"}}).status_code == 201
    r = post_json(client, path, {"answers": {"has_water": "yes"}})
    assert r.status_code == 429 and Response.objects.count() == 2
    # the web form shares the same daily count
    client.post(url(q), {"page": "0", "nav": "next", "has_water": "yes"})
    assert client.post(url(q), {"page": "review", "nav": "submit"}).status_code == 429


def test_api_lists_the_villages_as_options_of_a_village_question(client, mun_a, people):
    from jamaat.surveys.tests.factories import published as make

    q = make(people["staff_a"], mun_a)
    version = q.current_version()
    version.questions.create(
        section=version.sections.first(), code="vil", type="village", label_ky="Айыл", order=9
    )
    listed = client.get(f"/api/v1/municipalities/{mun_a.slug}/questionnaires/").json()
    vil = next(x for x in listed[0]["questions"] if x["code"] == "vil")
    assert {o["code"] for o in vil["options"]} == {str(v.pk) for v in mun_a.villages.all()}
    assert vil["options"]  # the fixture municipality has villages


def test_builder_refuses_changes_that_break_a_condition(client, q, people):
    """`why` is shown if has_water == 'no': moving it above has_water, deleting has_water or
    renaming has_water would leave the condition pointing at nothing asked before it."""
    client.login(username="staff_a", password=PASSWORD)
    builder = f"/{q.municipality.slug}/manage/questionnaires/{q.pk}/"
    why = q.current_version().questions.get(code="why")
    r = client.post(builder, {"action": "question_up", "question": why.pk}, follow=True)
    assert "a condition would break" in r.content.decode()
    codes = [x.code for x in q.current_version().ordered_questions()]
    assert codes.index("has_water") < codes.index("why")
    has_water = q.current_version().questions.get(code="has_water")
    client.post(builder, {"action": "question_delete", "question": has_water.pk})
    assert q.current_version().questions.filter(code="has_water").exists()
    r = client.post(f"{builder}questions/{has_water.pk}/", {
        "label_ky": "Суу барбы?", "label_ru": "", "hint_ky": "", "hint_ru": "",
        "code": "water_at_home", "type": "yes_no", "required": "on", "show_if": "",
    })  # fmt: skip
    assert r.status_code == 200 and "a condition would break" in r.content.decode()
    assert q.current_version().questions.filter(code="has_water").exists()
    # a code with a space is refused before anything is saved
    r = client.post(f"{builder}questions/{why.pk}/", {
        "label_ky": "Эмне үчүн?", "label_ru": "", "hint_ky": "", "hint_ru": "",
        "code": "why", "type": "single", "show_if": "has_water == 'no'",
        "options_text": "pipe | Түтүк | Труба\nno pump | Насос | Насос",
    })  # fmt: skip
    assert "Line 2: a code may hold only Latin letters" in r.content.decode()
    assert set(q.current_version().questions.get(code="why").options.values_list(
        "code", flat=True)) == {"pipe", "pump"}  # fmt: skip


def test_a_new_version_mid_round_keeps_what_a_resident_typed(client, q, people):
    from django.test import Client

    services.submit_response(q.current_version(), {"has_water": "yes"}, round=q.open_round())
    client.post(url(q), {"page": "0", "nav": "next", "has_water": "no", "why": "pump"})
    staff = Client()
    staff.force_login(people["staff_a"])
    people_q = q.current_version().questions.get(code="people")
    staff.post(f"/{q.municipality.slug}/manage/questionnaires/{q.pk}/questions/{people_q.pk}/", {
        "label_ky": "Үйдө канча киши жашайт?", "label_ru": "", "hint_ky": "", "hint_ru": "",
        "code": "people", "type": "number", "min_value": "1", "max_value": "30",
    })  # fmt: skip
    assert q.current_version().number == 2  # the answered version stays as it was
    page = client.get(url(q, 0)).content.decode()
    assert 'value="no" checked' in page or ('value="no"' in page and "checked" in page)
    r = client.post(url(q), {"page": "1", "nav": "next", "people": "3"})
    assert r["Location"].endswith("?page=review")
    assert client.post(url(q), {"page": "review", "nav": "submit"}).status_code == 302
    latest = Response.objects.order_by("-pk").first()
    assert latest.version.number == 2
    assert dict(latest.answers.values_list("question_code", "value"))["why"] == "pump"

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from jamaat.conftest import PASSWORD
from jamaat.paper.models import Batch, Discrepancy, PaperEntry
from jamaat.paper.tests.factories import batch as make_batch
from jamaat.surveys.models import Answer, Response

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, people):
    client.login(username="staff_a", password=PASSWORD)
    return client


def url(b, suffix="entry/"):
    return f"/{b.municipality.slug}/manage/paper/{b.pk}/{suffix}"


FORM_YES = {"has_water": "1", "rate": "4", "people": "5", "needs": "1 3", "note": "Рахмат"}


def test_entry_by_number_keys_stores_a_paper_response(staff, mun_a):
    b = make_batch(mun_a)
    page = staff.get(url(b))
    assert page.status_code == 200
    assert page.context["serial"] == 1
    assert b"Entered 0 of 20" in page.content
    r = staff.post(url(b), {"serial": "1", **FORM_YES})
    assert r.status_code == 302
    resp = Response.objects.get()
    assert (resp.channel, resp.batch_ref, resp.serial) == ("paper", str(b.pk), "1")
    got = {
        (a.question_code, a.option_code or a.value) for a in Answer.objects.filter(response=resp)
    }
    assert got == {
        ("has_water", "yes"), ("rate", "4"), ("people", "5"), ("needs", "water"),
        ("needs", "light"), ("note", "Рахмат"),
    }  # fmt: skip
    # the next form opens with the serial number pre-filled as last + 1, counter updated
    page = staff.get(r["Location"])
    assert page.context["serial"] == 2
    assert "Entered 1 of 20" in page.content.decode()


def test_condition_respected_hidden_answer_dropped_and_shown_one_required(staff, mun_a):
    b = make_batch(mun_a)
    # "why" is only asked when has_water is "no" (2): typed while hidden, it is dropped
    staff.post(url(b), {"serial": "1", "has_water": "1", "why": "2"})
    assert not Answer.objects.filter(question_code="why").exists()
    # shown and left empty: required
    r = staff.post(url(b), {"serial": "2", "has_water": "2", "people": "3"})
    assert r.status_code == 200
    assert "why" in r.context["fields"][1]["code"] and r.context["fields"][1]["error"]
    staff.post(url(b), {"serial": "2", "has_water": "2", "why": "2"})
    assert Answer.objects.get(question_code="why").option_code == "pump"


def test_wrong_option_number_message_and_values_kept(staff, mun_a):
    b = make_batch(mun_a)
    r = staff.post(url(b), {"serial": "7", "has_water": "3", "rate": "9", "people": "abc",
                            "needs": "1 5", "note": "Жол керек"})  # fmt: skip
    assert r.status_code == 200
    assert Response.objects.count() == 0 and PaperEntry.objects.count() == 0
    errors = {f["code"]: f["error"] for f in r.context["fields"]}
    assert errors["has_water"] == "Type a number from 1 to 2."
    assert errors["rate"] and errors["people"]
    assert errors["needs"] == "Type a number from 1 to 4."  # 3 options + "other"
    assert r.context["focus"] == "has_water"  # the cursor goes to the first wrong field
    tag = re.search(r'<input[^>]*id="id_has_water"[^>]*>', r.content.decode())[0]
    assert "autofocus" in tag and 'aria-invalid="true"' in tag and 'value="3"' in tag
    html = r.content.decode()
    for kept in ('value="7"', 'value="3"', 'value="9"', 'value="abc"', 'value="1 5"', "Жол керек"):
        assert kept in html


def test_duplicate_serial_refused_with_message(staff, mun_a):
    b = make_batch(mun_a)
    staff.post(url(b), {"serial": "5", **FORM_YES})
    other = make_batch(mun_a, b.questionnaire)
    r = staff.post(url(other), {"serial": "5", **FORM_YES})
    assert r.status_code == 200
    assert "Form number 5 has already been entered in this round." in r.content.decode()
    assert Response.objects.count() == 1


def test_serials_start_again_in_the_next_round(staff, mun_a):
    """Each round's forms are printed from No. 1 again: No. 5 of the autumn round is new."""
    spring = make_batch(mun_a)
    assert staff.post(url(spring), {"serial": "5", **FORM_YES}).status_code == 302
    q = spring.questionnaire
    now = timezone.now()
    autumn_round = q.rounds.create(
        municipality=mun_a, name="2026-2",
        opens_at=now + timedelta(days=40), closes_at=now + timedelta(days=70),
    )  # fmt: skip
    autumn = make_batch(mun_a, q)
    Batch.objects.filter(pk=autumn.pk).update(round=autumn_round)
    assert staff.post(url(autumn), {"serial": "5", **FORM_YES}).status_code == 302
    assert sorted(Response.objects.values_list("round__name", "serial")) == [
        ("2026-1", "5"), ("2026-2", "5"),
    ]  # fmt: skip
    # …and inside the autumn round No. 5 is taken now
    again = make_batch(mun_a, q)
    Batch.objects.filter(pk=again.pk).update(round=autumn_round)
    r = staff.post(url(again), {"serial": "5", **FORM_YES})
    assert "Form number 5 has already been entered in this round." in r.content.decode()
    assert Response.objects.count() == 2


def test_database_refuses_a_second_serial_in_a_round(mun_a):
    from django.db import IntegrityError, transaction

    from jamaat.paper.tests.factories import questionnaire
    from jamaat.surveys import services as surveys

    q = questionnaire(mun_a)
    rnd = q.rounds.get()
    answers = {"has_water": "yes"}
    surveys.submit_response(q.current_version(), answers, channel="paper", round=rnd, serial="7")
    with pytest.raises(IntegrityError), transaction.atomic():
        surveys.submit_response(
            q.current_version(), answers, channel="paper", round=rnd, serial="7"
        )
    # outside any round, one numbering per questionnaire
    surveys.submit_response(q.current_version(), answers, channel="paper", serial="7")
    with pytest.raises(IntegrityError), transaction.atomic():
        surveys.submit_response(q.current_version(), answers, channel="paper", serial="7")


def test_multiple_other_and_date_and_counter_on_batch_page(staff, mun_a):
    b = make_batch(mun_a, forms_found=3)
    staff.post(url(b), {"serial": "1", "has_water": "1", "needs": "2 4", "needs__other": "Мектеп"})
    staff.post(url(b), {"serial": "2", "has_water": "1"})
    assert set(Answer.objects.filter(question_code="needs").values_list("option_code", "value")) == {
        ("roads", "roads"), ("other", "Мектеп"),
    }  # fmt: skip
    page = staff.get(url(b, ""))
    assert page.context["counts"]["first"] == 2 and page.context["counts"]["final"] == 2
    assert "2 / 3" in page.content.decode()


def test_closed_batch_refuses_entry(staff, mun_a):
    b = make_batch(mun_a)
    staff.post(url(b, ""), {"status": "entered"})
    b.refresh_from_db()
    assert b.status == Batch.Status.ENTERED
    r = staff.post(url(b), {"serial": "1", **FORM_YES})
    assert r.status_code == 200 and Response.objects.count() == 0


def test_entry_page_carries_the_conditions_for_live_updates(staff, mun_a):
    b = make_batch(mun_a)
    rules = staff.get(url(b)).context["rules"]
    why = next(r for r in rules if r["code"] == "why")
    assert why["show_if"] == {"cmp": "==", "l": {"var": "has_water"}, "r": {"lit": "no"}}
    assert next(r for r in rules if r["code"] == "has_water")["codes"] == ["yes", "no"]
    assert next(r for r in rules if r["code"] == "needs")["codes"][-1] == "other"


def test_new_batch_date_not_in_future(staff, mun_a):
    b = make_batch(mun_a)
    data = {"questionnaire": b.questionnaire.pk, "opened_on": "2999-01-01", "forms_found": "40",
            "opened_by_name": "Комиссия"}  # fmt: skip
    r = staff.post(f"/{mun_a.slug}/manage/paper/new/", data)
    assert r.status_code == 200 and Batch.objects.count() == 1
    assert "future" in r.content.decode()
    data["opened_on"] = timezone.localdate().isoformat()
    r = staff.post(f"/{mun_a.slug}/manage/paper/new/", data)
    assert r.status_code == 302
    new = Batch.objects.exclude(pk=b.pk).get()
    assert new.round == b.questionnaire.rounds.first() and new.forms_found == 40


def test_double_entry_discrepancies_and_resolution(client, people, mun_a):
    b = make_batch(mun_a, double_entry=True)
    client.login(username="staff_a", password=PASSWORD)
    client.post(url(b), {"serial": "1", **FORM_YES})
    client.post(url(b), {"serial": "2", **FORM_YES})
    assert Response.objects.count() == 0  # drafts only until the second entry
    # the same person may not make the second entry
    r = client.post(url(b) + "?pass=2", {"serial": "1", **FORM_YES})
    assert "another person" in r.content.decode()
    client.logout()  # also drops the language cookie
    client.cookies["django_language"] = "en"
    client.login(username="head_a", password=PASSWORD)
    assert client.get(url(b) + "?pass=2").context["serial"] == 1
    client.post(url(b) + "?pass=2", {"serial": "1", **FORM_YES})  # agrees → final
    assert Response.objects.filter(serial="1", channel="paper").count() == 1
    client.post(url(b) + "?pass=2", {"serial": "2", **FORM_YES, "rate": "2", "needs": "1"})
    assert Response.objects.count() == 1
    ds = {d.question_code: d for d in Discrepancy.objects.all()}
    assert set(ds) == {"rate", "needs"}
    page = client.get(url(b, "discrepancies/"))
    assert "Form No." in page.content.decode()
    assert [(f["serial"], len(f["items"])) for f in page.context["forms"]] == [(2, 2)]
    # picking only one leaves the form open and saves nothing: the page says which is missing
    # and keeps the pick
    r = client.post(url(b, "discrepancies/"), {f"d{ds['rate'].pk}": "second"})
    assert r.status_code == 200 and Response.objects.count() == 1
    assert not Discrepancy.objects.filter(resolved_value__isnull=False).exists()
    summary = r.content.decode().split('id="form-2-errors"')[1].split("</div>")[0]
    assert "Choose the first or the second entry." in summary and "5. " in summary
    assert re.search(rf'name="d{ds["rate"].pk}" value="second" checked', r.content.decode())
    r = client.post(
        url(b, "discrepancies/"), {f"d{ds['rate'].pk}": "second", f"d{ds['needs'].pk}": "first"}
    )
    assert r.status_code == 302
    final = Response.objects.get(serial="2")
    assert Answer.objects.get(response=final, question_code="rate").number == 2
    assert set(
        Answer.objects.filter(response=final, question_code="needs").values_list(
            "option_code", flat=True
        )
    ) == {"water", "light"}
    assert "no-discrepancies" in client.get(url(b, "discrepancies/")).content.decode()
    # the list counts forms, not entries
    listed = client.get(f"/{mun_a.slug}/manage/paper/").context["batches"]
    assert [x.n_entries for x in listed] == [2]


def test_batch_list_queries_do_not_grow(staff, mun_a, django_assert_max_num_queries):
    b = make_batch(mun_a)
    with django_assert_max_num_queries(12) as small:
        staff.get(f"/{mun_a.slug}/manage/paper/")
    for _i in range(15):
        make_batch(mun_a, b.questionnaire)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = staff.get(f"/{mun_a.slug}/manage/paper/")
    assert len(page.context["batches"]) == 16


def test_other_text_without_other_is_refused_not_kept(staff, mun_a):
    """A key typed into the "Other" box while "Other" (4) is not among the numbers (typically
    meant for the next question) stops the form instead of being kept or dropped silently."""
    b = make_batch(mun_a)
    r = staff.post(url(b), {"serial": "1", **FORM_YES, "needs__other": "1"})
    assert r.status_code == 200
    assert PaperEntry.objects.count() == 0 and Response.objects.count() == 0
    needs = next(f for f in r.context["fields"] if f["code"] == "needs")
    assert not needs["error"]
    assert needs["other_error"] == (
        "Text after “Other” counts only with answer 4: type 4 or clear this text."
    )
    assert r.context["focus"] == "needs__other"
    tag = re.search(r'<input[^>]*id="id_needs__other"[^>]*>', r.content.decode())[0]
    assert 'aria-invalid="true"' in tag and "autofocus" in tag and 'value="1"' in tag
    assert 'aria-describedby="id_needs__other_error"' in tag
    # with "Other" typed the text is kept
    r = staff.post(url(b), {"serial": "1", **FORM_YES, "needs": "1 4", "needs__other": "Мектеп"})
    assert r.status_code == 302
    assert PaperEntry.objects.get(serial=1).answers["needs__other"] == "Мектеп"
    # a blank "Other" box is no error, and nothing is stored for it
    r = staff.post(url(b), {"serial": "2", **FORM_YES, "needs__other": "  "})
    assert r.status_code == 302
    assert "needs__other" not in PaperEntry.objects.get(serial=2).answers
    # a wrong number is reported on the question, not twice
    r = staff.post(url(b), {"serial": "3", **FORM_YES, "needs": "7", "needs__other": "x"})
    needs = next(f for f in r.context["fields"] if f["code"] == "needs")
    assert needs["error"] == "Type a number from 1 to 4." and not needs["other_error"]


def test_parse_typed_keeps_other_text_only_with_other(mun_a):
    from jamaat.paper import services
    from jamaat.paper.tests.factories import questionnaire

    questions = questionnaire(mun_a).current_version().ordered_questions()
    answers, errors = services.parse_typed(questions, [], {"needs": "2", "needs__other": "Жол"})
    assert answers == {"needs": ["roads"]} and set(errors) == {"needs__other"}
    answers, errors = services.parse_typed(questions, [], {"needs__other": "Жол"})
    assert answers == {} and set(errors) == {"needs__other"}
    answers, errors = services.parse_typed(questions, [], {"needs": "4", "needs__other": "Жол"})
    assert answers == {"needs": ["other"], "needs__other": "Жол"} and errors == {}


def test_entry_page_carries_limits_and_messages_for_live_checks(staff, mun_a):
    b = make_batch(mun_a)
    rules = {r["code"]: r for r in staff.get(url(b)).context["rules"]}
    assert rules["has_water"]["max"] == 2 and rules["has_water"]["other"] is None
    assert rules["has_water"]["messages"] == {
        "range": "Type a number from 1 to 2.",
        "one": "Type only one number.",
    }
    assert rules["needs"]["max"] == 4 and rules["needs"]["other"] == 4
    assert rules["needs"]["messages"]["other"].startswith("Text after “Other”")
    assert rules["rate"]["max"] == 5
    assert rules["rate"]["messages"] == {"range": "Choose a rating from 1 to 5."}
    assert rules["people"]["max"] is None and rules["note"]["messages"] == {}


def test_notice_when_all_forms_found_are_entered_and_more_still_allowed(staff, mun_a):
    b = make_batch(mun_a, forms_found=2)
    staff.post(url(b), {"serial": "1", **FORM_YES})
    page = staff.get(url(b)).content.decode()
    assert 'id="all-entered"' not in page
    staff.post(url(b), {"serial": "2", **FORM_YES})
    page = staff.get(url(b))
    html = page.content.decode()
    assert 'id="all-entered"' in html and "All forms found in this batch are entered (2)." in html
    assert f'href="/{mun_a.slug}/manage/paper/{b.pk}/"' in html.split('id="all-entered"')[1]
    assert page.context["serial"] == 3  # the next form is still open for entry
    assert staff.post(url(b), {"serial": "3", **FORM_YES}).status_code == 302
    assert 'id="all-entered"' in staff.get(url(b)).content.decode()


def test_second_entry_notice_counts_second_entries(client, people, mun_a):
    b = make_batch(mun_a, double_entry=True, forms_found=1)
    client.login(username="staff_a", password=PASSWORD)
    client.post(url(b), {"serial": "1", **FORM_YES})
    assert 'id="all-entered"' in client.get(url(b)).content.decode()
    assert 'id="all-entered"' not in client.get(url(b) + "?pass=2").content.decode()


def test_batch_page_button_and_empty_states(staff, mun_a):
    page = staff.get(f"/{mun_a.slug}/manage/paper/").content.decode()
    assert 'id="no-batches"' in page and "<table" not in page
    b = make_batch(mun_a)
    page = staff.get(url(b, "")).content.decode()
    assert '<button type="submit" class="btn secondary">Change</button>' in page
    assert '<p id="no-entries">No forms entered yet.</p>' in page and "<table" not in page
    staff.post(url(b), {"serial": "1", **FORM_YES})
    page = staff.get(url(b, "")).content.decode()
    assert 'class="stack-sm" id="entries"' in page and 'data-label="Entered by"' in page
    page = staff.get(f"/{mun_a.slug}/manage/paper/").content.decode()
    assert '<div class="table-scroll"><table class="stack-sm" id="batches">' in page


@pytest.mark.parametrize(
    ("lang", "labels"),
    [("ky", ["Анкета:", "Этап:"]), ("ru", ["Анкета:", "Этап:"]), ("en", ["Questionnaire:"])],
)
def test_new_batch_form_labels_translated_and_empty_choices_named(staff, mun_a, lang, labels):
    make_batch(mun_a)
    staff.cookies["django_language"] = lang
    html = staff.get(f"/{mun_a.slug}/manage/paper/new/").content.decode()
    for label in labels:
        assert re.search(rf"<label[^>]*>{label}</label>", html), label
    assert "---------" not in html
    if lang == "en":
        assert "— choose a questionnaire —" in html
        assert "— the latest round —" in html.replace("&#x27;", "'")
    print_page = staff.get(f"/{mun_a.slug}/manage/paper/print/").content.decode()
    assert "---------" not in print_page


def test_interview_batch_stores_answers_with_the_interview_channel(staff, mun_a):
    q = make_batch(mun_a).questionnaire
    data = {"questionnaire": q.pk, "channel": "interview", "forms_found": "5",
            "opened_on": timezone.localdate().isoformat(), "opened_by_name": "Айгүл"}  # fmt: skip
    assert staff.post(f"/{mun_a.slug}/manage/paper/new/", data).status_code == 302
    b = Batch.objects.get(channel="interview")
    assert staff.post(url(b), {"serial": "1", **FORM_YES}).status_code == 302
    assert Response.objects.get(batch_ref=str(b.pk)).channel == "interview"

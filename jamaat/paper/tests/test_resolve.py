"""Resolving double-entry discrepancies is all-or-nothing (the audit's "stranded serial" bug)."""

import json
import re

import pytest
from django.test import Client

from jamaat.conftest import PASSWORD
from jamaat.paper import services
from jamaat.paper.models import Discrepancy, PaperEntry
from jamaat.paper.tests.factories import batch as make_batch
from jamaat.paper.tests.factories import questionnaire
from jamaat.surveys.models import Answer, Response

pytestmark = pytest.mark.django_db

# "why_not" as in the model questionnaire: a single choice with "Other" (number 5), asked only
# when the answer to "took_part" is "no" (2)
WHY_NOT_FORM = {
    "title_ky": "Катышуу",
    "title_ru": "Участие",
    "sections": [{"title_ky": "Негизги", "title_ru": "Основное", "questions": [
        {"code": "took_part", "type": "yes_no", "required": True,
         "label_ky": "Жыйынга катыштыңызбы?", "label_ru": "Участвовали ли вы в сходе?"},
        {"code": "why_not", "type": "single", "allow_other": True,
         "show_if": "took_part == 'no'",
         "label_ky": "Эмне үчүн катышкан жоксуз?", "label_ru": "Почему вы не участвовали?",
         "options": [
             {"code": "not_known", "label_ky": "Билген эмесмин", "label_ru": "Не знал(а)"},
             {"code": "no_time", "label_ky": "Убактым болгон жок", "label_ru": "Не было времени"},
             {"code": "no_use", "label_ky": "Пайдасы жок", "label_ru": "Бесполезно"},
             {"code": "not_interested", "label_ky": "Кызыкпайм", "label_ru": "Не интересно"},
         ]},
        {"code": "rate", "type": "rating", "label_ky": "Баа", "label_ru": "Оценка"},
    ]}],
}  # fmt: skip

FIRST = {"serial": "1", "took_part": "2", "why_not": "5", "why_not__other": "Алыс жашайм"}
SECOND = {"serial": "1", "took_part": "2", "why_not": "1"}


def url(b, suffix="entry/"):
    return f"/{b.municipality.slug}/manage/paper/{b.pk}/{suffix}"


def login(username, lang="en") -> Client:
    c = Client()
    c.cookies["django_language"] = lang
    assert c.login(username=username, password=PASSWORD)
    return c


@pytest.fixture
def typed_twice(people, mun_a):
    """Form No. 1 typed by two people: "Other" with a text, then option 1."""
    b = make_batch(mun_a, questionnaire(mun_a, WHY_NOT_FORM), double_entry=True)
    assert login("staff_a").post(url(b), FIRST).status_code == 302
    assert login("head_a").post(url(b) + "?pass=2", SECOND).status_code == 302
    ds = {d.question_code: d for d in Discrepancy.objects.filter(batch=b)}
    assert set(ds) == {"why_not", "why_not__other"}
    assert json.loads(ds["why_not"].first_value) == "other"
    assert json.loads(ds["why_not"].second_value) == "not_known"
    assert json.loads(ds["why_not__other"].second_value) is None
    return b, ds


def nothing_changed(b):
    assert Response.objects.count() == 0
    assert not PaperEntry.objects.filter(batch=b, response__isnull=False).exists()
    assert not Discrepancy.objects.filter(resolved_value__isnull=False).exists()
    assert not Discrepancy.objects.filter(resolved_by__isnull=False).exists()


def test_invalid_combination_stores_nothing_and_shows_why(typed_twice):
    """First entry's "Other" with the second entry's (empty) "Other" text: the old code saved
    both picks, stored no response and hid the form for good while reporting success."""
    b, ds = typed_twice
    c = login("head_a")
    picks = {f"d{ds['why_not'].pk}": "first", f"d{ds['why_not__other'].pk}": "second"}
    r = c.post(url(b, "discrepancies/"), picks)
    assert r.status_code == 200  # no redirect: the page shows what is wrong
    nothing_changed(b)
    html = r.content.decode()
    assert "forms are final now" not in html
    assert "Some forms were not stored" in html
    # which form, which question (number and label) and why
    summary = html.split('id="form-1-errors"')[1].split("</div>")[0]
    assert "Form No. 1 was not stored" in summary
    assert "2. Эмне үчүн катышкан жоксуз?" in summary  # labels fall back to Kyrgyz in English
    assert "Write your answer after “Other”." in summary
    # the picks stay chosen, so one can be changed and the form saved again
    assert re.search(rf'name="d{ds["why_not"].pk}" value="first"[^>]*checked', html)
    assert re.search(rf'name="d{ds["why_not__other"].pk}" value="second"[^>]*checked', html)
    # the form is still open: listed, counted, its serial not lost
    assert [f["serial"] for f in r.context["forms"]] == [1]
    assert services.counts(b)["open_discrepancies"] == 2
    assert "no-discrepancies" not in c.get(url(b, "discrepancies/")).content.decode()
    # changing the one wrong pick stores the form
    picks[f"d{ds['why_not__other'].pk}"] = "first"
    r = c.post(url(b, "discrepancies/"), picks)
    assert r.status_code == 302
    final = Response.objects.get(serial="1", batch_ref=str(b.pk))
    assert Answer.objects.get(response=final, question_code="why_not").value == "Алыс жашайм"
    assert set(PaperEntry.objects.filter(batch=b).values_list("response", flat=True)) == {final.pk}
    assert not Discrepancy.objects.filter(resolved_value__isnull=True).exists()
    assert services.counts(b)["open_discrepancies"] == 0
    assert "no-discrepancies" in c.get(url(b, "discrepancies/")).content.decode()


@pytest.mark.parametrize(
    ("lang", "message", "question"),
    [
        ("ky", "«Башка» дегенден кийин жообуңузду жазыңыз.", "2. Эмне үчүн катышкан жоксуз?"),
        ("ru", "Напишите свой ответ после «Другое».", "2. Почему вы не участвовали?"),
    ],
    ids=["ky", "ru"],
)
def test_errors_are_shown_in_the_staff_language(typed_twice, lang, message, question):
    b, ds = typed_twice
    picks = {f"d{ds['why_not'].pk}": "first", f"d{ds['why_not__other'].pk}": "second"}
    html = login("head_a", lang).post(url(b, "discrepancies/"), picks).content.decode()
    summary = html.split('id="form-1-errors"')[1].split("</div>")[0]
    assert message in summary and question in summary
    nothing_changed(b)


def test_resolve_service_raises_with_the_reasons_and_changes_nothing(typed_twice, people):
    b, ds = typed_twice
    picks = {ds["why_not"].pk: "first", ds["why_not__other"].pk: "second"}
    with pytest.raises(services.ResolveError) as exc:
        services.resolve(people["head_a"], b, 1, picks)
    assert exc.value.errors == {"why_not": "Write your answer after “Other”."}
    nothing_changed(b)
    # a difference left without a pick: nothing is stored, not even the other pick
    with pytest.raises(services.ResolveError) as exc:
        services.resolve(people["head_a"], b, 1, {ds["why_not"].pk: "second"})
    assert exc.value.errors == {"why_not__other": "Choose the first or the second entry."}
    nothing_changed(b)


def test_other_text_with_an_answer_that_is_not_other_is_refused(typed_twice, people):
    """The reverse mix (option 1 from the second entry, the "Other" text from the first) would
    be stored with the text silently dropped while the pick said to keep it."""
    b, ds = typed_twice
    picks = {ds["why_not"].pk: "second", ds["why_not__other"].pk: "first"}
    with pytest.raises(services.ResolveError) as exc:
        services.resolve(people["head_a"], b, 1, picks)
    assert set(exc.value.errors) == {"why_not__other"}
    assert "counts only with the answer “Other”" in exc.value.errors["why_not__other"]
    nothing_changed(b)
    picks[ds["why_not__other"].pk] = "second"
    response = services.resolve(people["head_a"], b, 1, picks)
    assert Answer.objects.get(response=response, question_code="why_not").option_code == (
        "not_known"
    )
    assert set(Discrepancy.objects.values_list("resolved_by", flat=True)) == {people["head_a"].pk}


def test_a_database_error_while_storing_rolls_the_picks_back(typed_twice, people):
    """The serial was taken by another response meanwhile (e.g. two people resolving the same
    form): the IntegrityError undoes everything and is reported as a message."""
    from jamaat.surveys import services as surveys

    b, ds = typed_twice
    version = b.questionnaire.current_version()
    surveys.submit_response(
        version, {"took_part": "yes"}, channel="paper", round=b.round, serial="1"
    )
    picks = {ds["why_not"].pk: "first", ds["why_not__other"].pk: "first"}
    with pytest.raises(services.ResolveError) as exc:
        services.resolve(people["head_a"], b, 1, picks)
    assert exc.value.errors == {"serial": "Form No. 1 has already been stored."}
    assert Response.objects.count() == 1
    assert not PaperEntry.objects.filter(response__isnull=False).exists()
    assert not Discrepancy.objects.filter(resolved_value__isnull=False).exists()


def test_one_wrong_form_does_not_stop_the_others(typed_twice):
    b, ds = typed_twice
    login("staff_a").post(url(b), {**FIRST, "serial": "2", "rate": "3"})
    login("head_a").post(url(b) + "?pass=2", {**FIRST, "serial": "2", "rate": "4"})
    rate = Discrepancy.objects.get(serial=2)
    r = login("head_a").post(
        url(b, "discrepancies/"),
        {f"d{ds['why_not'].pk}": "first", f"d{ds['why_not__other'].pk}": "second",
         f"d{rate.pk}": "second"},
    )  # fmt: skip
    assert r.status_code == 200
    assert list(Response.objects.values_list("serial", flat=True)) == ["2"]
    html = r.content.decode()
    assert "1 forms are final now." in html and "Some forms were not stored" in html
    assert [f["serial"] for f in r.context["forms"]] == [1]
    assert not Discrepancy.objects.filter(serial=1, resolved_value__isnull=False).exists()


def test_nothing_chosen_is_no_success(typed_twice):
    b, _ds = typed_twice
    r = login("head_a").post(url(b, "discrepancies/"), {}, follow=True)
    html = r.content.decode()
    assert "Nothing was chosen, so nothing was stored." in html
    assert "forms are final now" not in html
    nothing_changed(b)


def strand(b, ds, user):
    """What the old code left: both picks saved, no response, the form hidden."""
    Discrepancy.objects.filter(pk=ds["why_not"].pk).update(
        resolved_value=ds["why_not"].first_value, resolved_by=user
    )
    Discrepancy.objects.filter(pk=ds["why_not__other"].pk).update(
        resolved_value=ds["why_not__other"].second_value, resolved_by=user
    )


def test_stranded_form_is_listed_with_its_picks_and_can_be_finished(typed_twice, people):
    b, ds = typed_twice
    strand(b, ds, people["head_a"])
    c = login("head_a")
    # counted on the batch page and listed on the discrepancy page with the earlier picks
    assert c.get(url(b, "")).context["counts"]["open_discrepancies"] == 2
    page = c.get(url(b, "discrepancies/"))
    html = page.content.decode()
    assert "no-discrepancies" not in html and 'id="form-1-earlier"' in html
    assert [f["serial"] for f in page.context["forms"]] == [1]
    assert re.search(rf'name="d{ds["why_not"].pk}" value="first" checked', html)
    assert re.search(rf'name="d{ds["why_not__other"].pk}" value="second" checked', html)
    # saving the same picks again explains why, and changes nothing
    r = c.post(
        url(b, "discrepancies/"),
        {f"d{ds['why_not'].pk}": "first", f"d{ds['why_not__other'].pk}": "second"},
    )
    assert r.status_code == 200 and "Write your answer after “Other”." in r.content.decode()
    assert Response.objects.count() == 0
    assert Discrepancy.objects.get(pk=ds["why_not__other"].pk).resolved_value == "null"
    # changing only the wrong pick is enough: the other one was saved earlier
    r = c.post(url(b, "discrepancies/"), {f"d{ds['why_not__other'].pk}": "first"})
    assert r.status_code == 302
    final = Response.objects.get(serial="1", batch_ref=str(b.pk))
    assert Answer.objects.get(response=final, question_code="why_not").value == "Алыс жашайм"
    assert PaperEntry.objects.filter(batch=b, response=final).count() == 2
    assert services.counts(b)["open_discrepancies"] == 0
    assert services.open_forms(b) == {}


def test_form_typed_twice_without_response_or_discrepancy_can_be_stored(people, mun_a):
    """Both entries agree yet no response exists (not made by the app, e.g. restored data): the
    serial is not left taken with nothing to do."""
    b = make_batch(mun_a, questionnaire(mun_a, WHY_NOT_FORM), double_entry=True)
    answers = {"took_part": "yes", "rate": "4"}
    PaperEntry.objects.create(batch=b, serial=3, pass_no=1, answers=answers)
    PaperEntry.objects.create(batch=b, serial=3, pass_no=2, answers=answers)
    c = login("head_a")
    html = c.get(url(b, "discrepancies/")).content.decode()
    assert 'name="store" value="3"' in html and "no-discrepancies" not in html
    assert c.post(url(b, "discrepancies/"), {"store": "3"}).status_code == 302
    final = Response.objects.get(serial="3")
    assert Answer.objects.get(response=final, question_code="rate").number == 4
    assert "no-discrepancies" in c.get(url(b, "discrepancies/")).content.decode()

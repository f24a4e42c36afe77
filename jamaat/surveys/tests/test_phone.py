"""Optional phone confirmation of online answers (`Questionnaire.requires_phone`): one answer per
phone number per round, the number never stored with (or beside) the answers, and nothing the
resident typed lost on a wrong, expired or unsent code."""

import json
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from jamaat.messaging import codes
from jamaat.messaging.codes import MemoryCodeSender
from jamaat.surveys import services
from jamaat.surveys.models import PhoneCheck, Questionnaire, Response
from jamaat.surveys.tests.factories import published

PHONE = "0555 12 34 56"
E164 = "+996555123456"


@pytest.fixture(autouse=True)
def _setup(client, settings, monkeypatch):
    from django.core.cache import cache

    for name in ("WHATSAPP_TOKEN", "WHATSAPP_PHONE_NUMBER_ID", "WHATSAPP_API_BASE"):
        monkeypatch.delenv(name, raising=False)
    settings.PHONE_SMS_CODE_SENDER = "jamaat.messaging.codes.MemoryCodeSender"
    settings.MESSAGING_KICK_AFTER_ENQUEUE = False
    MemoryCodeSender.sent.clear()
    cache.clear()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    yield
    MemoryCodeSender.sent.clear()


@pytest.fixture
def q(mun_a, people):
    q = published(people["staff_a"], mun_a)
    Questionnaire.objects.filter(pk=q.pk).update(requires_phone=True)
    q.refresh_from_db()
    return q


def url(q, page=None):
    base = f"/{q.municipality.slug}/questionnaires/{q.pk}/"
    return base if page is None else f"{base}?page={page}"


def answer_all(client, q):
    client.post(url(q), {"page": "0", "nav": "next", "has_water": "yes"})
    r = client.post(url(q), {"page": "1", "nav": "next", "people": "4", "note": "Жол керек"})
    assert r["Location"].endswith("?page=review")


def ask_code(client, q, phone=PHONE):
    return client.post(url(q), {"page": "review", "nav": "submit", "phone": phone})


def test_answers_are_stored_only_after_the_code_and_the_number_is_not_kept(client, q):
    page = client.get(url(q)).content.decode()
    assert "confirm your answers with a code sent to your phone" in page
    answer_all(client, q)
    review = client.get(url(q, "review")).content.decode()
    assert 'name="phone"' in review and 'type="tel"' in review
    r = ask_code(client, q)
    assert r.status_code == 302 and r["Location"].endswith("?page=confirm")
    assert not Response.objects.exists()
    sent = MemoryCodeSender.sent[-1]
    assert sent.phone == E164 and sent.language == "ky"  # an English page: the code in Kyrgyz
    assert sent.code in sent.text and "Суу боюнча сурамжылоо" in sent.text
    confirm = client.get(url(q, "confirm")).content.decode()
    assert "+996 ••• •• 34 56" in confirm and 'autocomplete="one-time-code"' in confirm
    r = client.post(url(q), {"page": "confirm", "nav": "confirm", "code": sent.code})
    assert r.status_code == 302 and "thanks" in r["Location"]
    resp = Response.objects.get()
    assert set(resp.answers.values_list("question_code", "value")) == {
        ("has_water", "yes"), ("people", "4"), ("note", "Жол керек"),
    }  # fmt: skip
    check = PhoneCheck.objects.get()
    assert check.used_at is not None
    # the number is nowhere in the check, only a keyed hash
    stored = json.dumps(list(PhoneCheck.objects.values()), default=str)
    assert "555123456" not in stored and "12 34 56" not in stored


def test_wrong_code_keeps_the_answers_and_counts_attempts(client, q):
    answer_all(client, q)
    ask_code(client, q)
    good = MemoryCodeSender.sent[-1].code
    wrong = "000000" if good != "000000" else "111111"
    r = client.post(url(q), {"page": "confirm", "nav": "confirm", "code": wrong})
    assert r.status_code == 400
    assert "Wrong code. You have 4 more attempts." in r.content.decode()
    r = client.post(url(q), {"page": "confirm", "nav": "confirm", "code": ""})
    assert r.status_code == 400 and "This field is required." in r.content.decode()
    assert PhoneCheck.objects.get().attempts == 1  # an empty field uses up no attempt
    r = client.post(url(q), {"page": "confirm", "nav": "confirm", "code": good})
    assert r.status_code == 302 and Response.objects.count() == 1


def test_one_answer_per_number_per_round_even_from_another_browser(client, q, django_user_model):
    from django.test import Client

    answer_all(client, q)
    ask_code(client, q)
    client.post(
        url(q), {"page": "confirm", "nav": "confirm", "code": MemoryCodeSender.sent[-1].code}
    )
    other = Client()
    other.cookies["django_language"] = "en"
    answer_all(other, q)
    r = ask_code(other, q, phone="+996 555 123 456")
    assert r["Location"].endswith("?page=review")
    page = other.get(r["Location"]).content.decode()
    assert "This phone number has already been used to answer in this round." in page
    assert "Жол керек" in page  # the second browser's answers are still there
    assert Response.objects.count() == 1
    # another number answers
    r = ask_code(other, q, phone="0700 11 22 33")
    assert r["Location"].endswith("?page=confirm")


def test_invalid_number_and_unsent_code_lose_nothing(client, q, monkeypatch):
    answer_all(client, q)
    r = ask_code(client, q, phone="12345")
    page = client.get(r["Location"]).content.decode()
    assert "Enter a Kyrgyz mobile number" in page
    assert 'value="12345"' in page and "Жол керек" in page

    def fail(self, **kw):
        raise codes.CodeNotSent("gateway down")

    monkeypatch.setattr(MemoryCodeSender, "send_code", fail)
    r = ask_code(client, q)
    page = client.get(r["Location"]).content.decode()
    assert "We could not send the code just now." in page
    assert not PhoneCheck.objects.exists() and not Response.objects.exists()
    monkeypatch.undo()
    r = ask_code(client, q)
    assert r["Location"].endswith("?page=confirm")


def test_expired_code_sends_the_resident_back_for_a_new_one(client, q):
    answer_all(client, q)
    ask_code(client, q)
    code = MemoryCodeSender.sent[-1].code
    PhoneCheck.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    r = client.post(url(q), {"page": "confirm", "nav": "confirm", "code": code})
    assert r["Location"].endswith("?page=review")
    page = client.get(r["Location"]).content.decode()
    assert "The code has expired" in page and 'value="0555 12 34 56"' in page
    PhoneCheck.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    ask_code(client, q)
    assert len(MemoryCodeSender.sent) == 2  # a new code, a new check
    r = client.post(
        url(q), {"page": "confirm", "nav": "confirm", "code": MemoryCodeSender.sent[-1].code}
    )
    assert "thanks" in r["Location"] and Response.objects.count() == 1


def test_asking_again_within_a_minute_sends_no_second_code(client, q):
    answer_all(client, q)
    ask_code(client, q)
    client.post(url(q), {"page": "confirm", "nav": "back"})
    ask_code(client, q)
    assert len(MemoryCodeSender.sent) == 1 and PhoneCheck.objects.count() == 1


def test_codes_per_address_are_limited(client, q, settings):
    settings.SURVEYS_CODE_LIMIT = (2, 3600)
    answer_all(client, q)
    for phone in ("0555 00 00 01", "0555 00 00 02"):
        assert ask_code(client, q, phone=phone)["Location"].endswith("?page=confirm")
    r = ask_code(client, q, phone="0555 00 00 03")
    page = client.get(r["Location"]).content.decode()
    assert "Too many codes were asked from your connection." in page
    assert len(MemoryCodeSender.sent) == 2


def test_confirm_page_without_a_code_goes_back_to_review(client, q):
    answer_all(client, q)
    r = client.get(url(q, "confirm"))
    assert r.status_code == 302 and r["Location"].endswith("?page=review")


def test_questionnaires_without_phone_confirmation_send_at_once(client, mun_a, people):
    q = published(people["staff_a"], mun_a)
    answer_all(client, q)
    assert 'name="phone"' not in client.get(url(q, "review")).content.decode()
    r = client.post(url(q), {"page": "review", "nav": "submit"})
    assert "thanks" in r["Location"] and not MemoryCodeSender.sent


def test_api_refuses_answers_that_need_a_phone_code(client, q):
    listed = client.get(f"/api/v1/municipalities/{q.municipality.slug}/questionnaires/").json()
    assert listed[0]["requires_phone"] is True
    r = client.post(
        f"/api/v1/questionnaires/{q.pk}/responses/",
        json.dumps({"answers": {"has_water": "yes"}}),
        content_type="application/json",
    )
    assert r.status_code == 403 and "answer it on the website" in r.json()["detail"]
    assert not Response.objects.exists()


def test_service_rules_and_the_database_guard(q):
    rnd = q.rounds.get()
    version = q.current_version()
    check = services.start_phone_check(rnd, PHONE, code="123456")
    with pytest.raises(services.InvalidResponse):  # answers checked before the code is spent
        services.confirm_and_submit(check, "123456", version, {}, language="ky")
    check.refresh_from_db()
    assert check.used_at is None
    services.confirm_and_submit(check, "123456", version, {"has_water": "yes"}, language="ky")
    with pytest.raises(services.PhoneCheckError) as exc:
        services.start_phone_check(rnd, E164)
    assert exc.value.code == "duplicate"
    # even a check created behind the service's back cannot be used twice for the number
    twin = PhoneCheck.objects.create(
        municipality=q.municipality, round=rnd, phone_key=check.phone_key, token="t2",
        code_hash="x", expires_at=timezone.now() + timedelta(minutes=5),
    )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        PhoneCheck.objects.filter(pk=twin.pk).update(used_at=timezone.now())
    # the key differs between questionnaires: numbers cannot be linked across them
    assert services.phone_key(q.pk, E164) != services.phone_key(q.pk + 1, E164)

"""Subscribing with consent, double opt-in for email, one-click unsubscribe, bad input."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from jamaat.messaging import services
from jamaat.messaging.models import ConsentEvent, OutboxMessage, Subscriber

CONSENT = "I agree (test consent text)."


def url(name, mun, *args):
    return reverse(f"messaging:{name}", args=[mun.slug, *args])


def form_data(**kw):
    data = {
        "channel": "email",
        "address": "Aibek@Example.kg",
        "language": "ky",
        "consent": "on",
        "consent_lang": "en",
        "website": "",
    }
    data.update(kw)
    return data


# --- phone numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "+996 555 123 456",
        "+996555123456",
        "996555123456",
        "00996 555 123456",
        "0555 12 34 56",
        "0555-12-34-56",
        "(0555) 12 34 56",
        "555123456",
        "+996 (0555) 12-34-56",
    ],
)
def test_kyrgyz_numbers_are_normalised(raw):
    assert services.normalise_kg_phone(raw) == "+996555123456"


@pytest.mark.parametrize(
    "raw",
    ["", "12345", "+7 701 123 45 67", "+996 555 123 45", "0555 12 34 567", "+996 055512345", "abc"],
)
def test_invalid_numbers_are_refused(raw):
    with pytest.raises(ValidationError) as exc:
        services.normalise_kg_phone(raw)
    assert exc.value.code == "invalid_phone"


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("en", "Enter a Kyrgyz mobile number: +996 and 9 digits"),
        ("ky", "Кыргызстандын мобилдик номерин жазыңыз: +996 жана 9 цифра"),
        ("ru", "Введите мобильный номер Кыргызстана: +996 и 9 цифр"),
    ],
)
def test_invalid_number_message_in_each_language(lang, expected):
    with translation.override(lang), pytest.raises(ValidationError) as exc:
        services.normalise_kg_phone("+7 701 123")
    assert expected in exc.value.messages[0]


@pytest.mark.parametrize("lang, expected", [("ky", "+996 жана 9 цифра"), ("ru", "+996 и 9 цифр")])
def test_invalid_number_on_the_public_form(client, mun_a, wa_account, lang, expected):
    client.cookies["django_language"] = lang
    resp = client.post(
        url("subscribe", mun_a),
        form_data(channel="whatsapp", address="8 700 12", consent_lang=lang),
    )
    assert resp.status_code == 200
    text = resp.content.decode()
    assert expected in text
    assert 'aria-invalid="true"' in text
    assert "8 700 12" in text  # what was typed is kept, not lost
    assert not Subscriber.objects.exists()


# --- email: double opt-in ------------------------------------------------------------------


def test_email_subscription_is_pending_until_confirmed(
    en_client, mun_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        resp = en_client.post(url("subscribe", mun_a), form_data(), REMOTE_ADDR="10.1.2.3")
    assert resp.status_code == 302
    assert resp["Location"] == url("check_email", mun_a)
    sub = Subscriber.objects.get()
    assert (sub.channel, sub.address, sub.status) == ("email", "aibek@example.kg", "pending")
    assert sub.language == "ky"
    assert sub.consent_ip == "10.1.2.3"
    # The consent text is stored verbatim, in the language it was shown in.
    assert sub.consent_text == services.consent_text(mun_a, "en")
    assert "Karool" in sub.consent_text and "unsubscribe" in sub.consent_text
    assert sub.consent_language == "en"
    assert list(sub.consents.values_list("kind", flat=True)) == ["given"]

    # The confirmation email went out through the outbox, in the subscriber's language.
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["aibek@example.kg"]
    assert "Кароол" in email.subject
    confirm_url = f"https://jamaat.test{sub.confirm_path()}"
    assert confirm_url in email.body
    assert (
        email.extra_headers["List-Unsubscribe"] == f"<https://jamaat.test{sub.unsubscribe_path()}>"
    )
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    msg = OutboxMessage.objects.get(source="subscription:confirm")
    assert msg.status == "sent" and msg.subscriber == sub

    # GET shows a button only (link scanners must not confirm); POST confirms.
    page = en_client.get(sub.confirm_path())
    assert page.status_code == 200 and b"Yes, confirm" in page.content
    sub.refresh_from_db()
    assert sub.status == "pending"
    done = en_client.post(sub.confirm_path())
    assert b"Your subscription is confirmed" in done.content
    sub.refresh_from_db()
    assert sub.status == "active" and sub.confirmed_at
    assert list(sub.consents.values_list("kind", flat=True)) == ["given", "confirmed"]


def test_confirm_service_is_idempotent_and_rejects_unknown_tokens(mun_a):
    sub = services.subscribe(mun_a, "email", "a@example.kg", "ru", CONSENT, "127.0.0.1")
    assert services.confirm("nope") is None
    assert services.confirm(sub.confirm_token).status == "active"
    assert services.confirm(sub.confirm_token).status == "active"
    assert sub.consents.filter(kind="confirmed").count() == 1


def test_confirm_page_for_an_unknown_token_is_404(en_client, mun_a):
    resp = en_client.get(url("confirm", mun_a, "x" * 32))
    assert resp.status_code == 404
    assert b"This link is not valid" in resp.content


# --- telegram and whatsapp: active at once -------------------------------------------------


def test_whatsapp_subscription_is_active_at_once(en_client, mun_a, wa_account):
    resp = en_client.post(
        url("subscribe", mun_a),
        form_data(channel="whatsapp", address="0555 12 34 56", language="ru"),
    )
    assert resp.status_code == 302 and resp["Location"] == url("subscribed", mun_a)
    sub = Subscriber.objects.get()
    assert (sub.channel, sub.address, sub.status, sub.language) == (
        "whatsapp",
        "+996555123456",
        "active",
        "ru",
    )
    assert not mail.outbox


def test_telegram_needs_a_numeric_chat_id(mun_a, tg_account):
    with pytest.raises(ValidationError):
        services.subscribe(mun_a, "telegram", "@someone", "ky", CONSENT, None)
    sub = services.subscribe(mun_a, "telegram", " 123456789 ", "ky", CONSENT, None)
    assert sub.status == "active" and sub.address == "123456789"


def test_channels_without_an_account_are_not_offered(en_client, mun_a):
    resp = en_client.get(url("subscribe", mun_a))
    assert resp.status_code == 200
    assert b'value="email"' in resp.content
    assert b'value="whatsapp"' not in resp.content and b'value="telegram"' not in resp.content
    resp = en_client.post(
        url("subscribe", mun_a), form_data(channel="whatsapp", address="0555123456")
    )
    assert resp.status_code == 200 and not Subscriber.objects.exists()


def test_the_form_shows_the_consent_checkbox_and_requires_it(en_client, mun_a):
    page = en_client.get(url("subscribe", mun_a)).content.decode()
    assert services.consent_text(mun_a, "en") in page
    assert 'type="checkbox"' in page
    resp = en_client.post(url("subscribe", mun_a), form_data(consent=""))
    assert resp.status_code == 200
    assert b"Tick the box to give your consent" in resp.content
    assert not Subscriber.objects.exists()


def test_consent_is_stored_in_the_language_it_was_shown(client, mun_a):
    client.cookies["django_language"] = "ru"
    page = client.get(url("subscribe", mun_a)).content.decode()
    shown = services.consent_text(mun_a, "ru")
    assert shown in page and "отписаться" in shown
    client.post(url("subscribe", mun_a), form_data(consent_lang="ru", language="ky"))
    sub = Subscriber.objects.get()
    assert sub.consent_text == shown and sub.consent_language == "ru"
    assert ConsentEvent.objects.get(subscriber=sub).text == shown


# --- duplicates and re-subscribing ---------------------------------------------------------


def test_duplicate_subscription_keeps_one_subscriber(mun_a, wa_account):
    a = services.subscribe(mun_a, "whatsapp", "+996 555 123 456", "ky", CONSENT, "10.0.0.1")
    b = services.subscribe(mun_a, "whatsapp", "0555123456", "ru", CONSENT + "!", "10.0.0.2")
    assert a.pk == b.pk
    assert Subscriber.objects.count() == 1
    b.refresh_from_db()
    assert b.status == "active" and b.language == "ru" and b.consent_ip == "10.0.0.2"
    assert b.consents.filter(kind="given").count() == 2


def test_duplicate_email_does_not_spam_or_leak(
    mun_a, en_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sub = services.subscribe(mun_a, "email", "a@example.kg", "ky", CONSENT, None)
        services.subscribe(mun_a, "email", "A@example.kg", "ky", CONSENT, None)  # within 10 min
    assert Subscriber.objects.count() == 1
    assert len(mail.outbox) == 1  # the link is not sent again at once
    services.confirm(sub.confirm_token)
    with django_capture_on_commit_callbacks(execute=True):
        resp = en_client.post(url("subscribe", mun_a), form_data(address="a@example.kg"))
    # Same page as for a new address: the form does not tell who is subscribed.
    assert resp["Location"] == url("check_email", mun_a)
    assert len(mail.outbox) == 1
    sub.refresh_from_db()
    assert sub.status == "active"


def test_same_address_in_another_municipality_is_separate(mun_a, mun_b):
    a = services.subscribe(mun_a, "email", "a@example.kg", "ky", CONSENT, None)
    b = services.subscribe(mun_b, "email", "a@example.kg", "ky", CONSENT, None)
    assert a.pk != b.pk


def test_resubscribing_after_unsubscribe_takes_fresh_consent(
    mun_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sub = services.subscribe(mun_a, "email", "a@example.kg", "ky", "first", "10.0.0.1")
    services.confirm(sub.confirm_token)
    old_confirm = sub.confirm_token
    services.unsubscribe(sub.unsubscribe_token)
    assert services.confirm(old_confirm) is None  # an old link does not re-subscribe
    with django_capture_on_commit_callbacks(execute=True):
        again = services.subscribe(mun_a, "email", "a@example.kg", "ru", "second", "10.0.0.2")
    assert again.pk == sub.pk
    assert again.status == "pending" and again.consent_text == "second"
    assert again.consent_ip == "10.0.0.2" and again.confirm_token != old_confirm
    assert again.unsubscribe_token == sub.unsubscribe_token  # old emails' links still work
    assert len(mail.outbox) == 2
    assert services.confirm(again.confirm_token).status == "active"
    kinds = list(again.consents.values_list("kind", "text"))
    assert kinds == [
        ("given", "first"),
        ("confirmed", ""),
        ("withdrawn", ""),
        ("given", "second"),
        ("confirmed", ""),
    ]


# --- unsubscribing -------------------------------------------------------------------------


def test_unsubscribe_page_then_one_button(en_client, mun_a, wa_account):
    sub = services.subscribe(mun_a, "whatsapp", "0555123456", "ky", CONSENT, None)
    queued = services.enqueue(
        mun_a, "whatsapp", sub.address, "hi", key="t:1", source="t", subscriber=sub
    )
    page = en_client.get(sub.unsubscribe_path())
    assert page.status_code == 200
    html = page.content.decode()
    assert "•••456" in html and "0555123456" not in html and "+996555123456" not in html
    assert html.count('type="submit"') >= 1 and '<form method="post">' in html
    sub.refresh_from_db()
    assert sub.status == "active"  # GET changes nothing
    done = en_client.post(sub.unsubscribe_path())
    assert b"You are unsubscribed" in done.content
    sub.refresh_from_db()
    assert sub.status == "unsubscribed" and sub.unsubscribed_at
    queued.refresh_from_db()
    assert queued.status == "cancelled"  # nothing more goes out


def test_rfc8058_one_click_post_without_csrf_token(mun_a, django_capture_on_commit_callbacks):
    from django.test import Client

    sub = services.subscribe(mun_a, "email", "a@example.kg", "ky", CONSENT, None)
    services.confirm(sub.confirm_token)
    mailer = Client(enforce_csrf_checks=True)
    resp = mailer.post(
        sub.unsubscribe_path(),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert resp.status_code == 200
    sub.refresh_from_db()
    assert sub.status == "unsubscribed"
    assert mailer.post(sub.unsubscribe_path()).status_code == 200  # twice is fine


def test_unsubscribe_with_a_wrong_token_or_municipality(en_client, mun_a, mun_b):
    sub = services.subscribe(mun_a, "email", "a@example.kg", "ky", CONSENT, None)
    assert en_client.post(url("unsubscribe", mun_a, "wrong")).status_code == 404
    assert en_client.post(url("unsubscribe", mun_b, sub.unsubscribe_token)).status_code == 404
    sub.refresh_from_db()
    assert sub.status == "pending"


# --- anti-abuse ----------------------------------------------------------------------------


def test_honeypot_pretends_success_but_saves_nothing(en_client, mun_a):
    resp = en_client.post(url("subscribe", mun_a), form_data(website="http://spam.example"))
    assert resp.status_code == 302
    assert not Subscriber.objects.exists() and not mail.outbox


def test_subscribe_posts_are_rate_limited_per_ip(en_client, mun_a, settings):
    settings.MESSAGING_SUBSCRIBE_LIMIT = 3
    for i in range(3):
        resp = en_client.post(
            url("subscribe", mun_a), form_data(address=f"p{i}@example.kg"), REMOTE_ADDR="10.9.9.9"
        )
        assert resp.status_code == 302
    resp = en_client.post(
        url("subscribe", mun_a), form_data(address="p9@example.kg"), REMOTE_ADDR="10.9.9.9"
    )
    assert resp.status_code == 429
    assert b"Too many attempts" in resp.content
    assert b"p9@example.kg" in resp.content  # the input is kept
    other = en_client.post(
        url("subscribe", mun_a), form_data(address="q@example.kg"), REMOTE_ADDR="10.9.9.10"
    )
    assert other.status_code == 302
    assert Subscriber.objects.count() == 4


def test_public_pages_work_without_javascript(en_client, mun_a):
    html = en_client.get(url("subscribe", mun_a)).content.decode()
    assert "<script" not in html
    assert re.search(r'<form method="post"', html)
    assert 'name="viewport"' in html


def test_client_ip_from_a_proxy_header_is_validated(en_client, mun_a, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    en_client.post(
        url("subscribe", mun_a), form_data(address="a@example.kg"), HTTP_X_REAL_IP="10.0.0.9"
    )
    en_client.post(
        url("subscribe", mun_a), form_data(address="b@example.kg"), HTTP_X_REAL_IP="not-an-ip"
    )
    ips = dict(Subscriber.objects.values_list("address", "consent_ip"))
    assert ips == {"a@example.kg": "10.0.0.9", "b@example.kg": "127.0.0.1"}

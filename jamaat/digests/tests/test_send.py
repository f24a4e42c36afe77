"""Sending a digest through the messaging outbox to the fake Telegram and WhatsApp servers."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from jamaat.digests import services
from jamaat.digests.models import Digest
from jamaat.digests.tests.conftest import make_post, subscriber
from jamaat.messaging import tasks
from jamaat.messaging.models import OutboxMessage, ProviderAccount
from jamaat.messaging.tests.fakes import FakeWhatsApp
from jamaat.plans.models import Evidence

S = OutboxMessage.Status


@pytest.fixture
def digest(mun_a):
    make_post(
        mun_a, "Суу түтүгү оңдолду", timezone.now() - timedelta(minutes=5),
        body_ky="Кара-Булакта суу бар.", title_ru="Водопровод", body_ru="В Кара-Булаке есть вода.",
    )  # fmt: skip
    year, quarter = timezone.localdate().year, (timezone.localdate().month - 1) // 3 + 1
    digest, _ = services.create(None, mun_a, year, quarter)
    return digest


@pytest.fixture
def audience(mun_a, mun_b):
    return {
        "tg_ky": subscriber(mun_a, "telegram", "1000001", "ky"),
        "tg_ru": subscriber(mun_a, "telegram", "1000002", "ru"),
        "email_ru": subscriber(mun_a, "email", "aigul@example.kg", "ru"),
        "pending": subscriber(mun_a, "email", "later@example.kg", status="pending"),
        "gone": subscriber(mun_a, "telegram", "1000009", status="unsubscribed"),
        "other_town": subscriber(mun_b, "telegram", "2000001"),
    }


def make_due():
    OutboxMessage.objects.filter(status=S.QUEUED).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    tasks.reset_rate_limits()


def press_send(client, digest):
    """The "Save and send" button of the draft, or "Send to subscribers who joined since"."""
    return client.post(
        f"/karool/manage/digests/{digest.pk}/",
        {
            "posts": [str(p.pk) for p in digest.posts.all()],
            "title_ky": digest.title_ky,
            "text_ky": digest.text_ky,
            "title_ru": digest.title_ru,
            "text_ru": digest.text_ru,
            "channel_language": "both",
            "action": "send",
        },
    )


def test_send_twice_delivers_each_message_exactly_once(
    staff, digest, audience, tg_account, fake_telegram, approved_plan_a
):
    r = press_send(staff, digest)
    assert r.status_code == 302
    digest.refresh_from_db()
    assert digest.status == Digest.Status.SENDING
    assert OutboxMessage.objects.filter(source=digest.source).count() == 4  # channel + 3

    r = staff.get(r["Location"])
    assert "4 messages queued for delivery" in r.content.decode()
    assert tasks.deliver_due() == {"sent": 4}

    # Send pressed again (a double click, or later): nothing is sent twice
    r = press_send(staff, digest)
    assert r.status_code == 302
    r = staff.get(r["Location"])
    assert "Nothing new to send" in r.content.decode()
    assert tasks.deliver_due() == {}
    assert sorted(fake_telegram.recipients("sendMessage")) == ["1000001", "1000002", "@karool_news"]

    texts = {r.recipient: r.body["text"] for r in fake_telegram.requests}
    assert texts["@karool_news"] == digest.channel_text()
    assert (
        texts["@karool_news"].startswith(digest.text_ky) and digest.text_ru in texts["@karool_news"]
    )
    assert texts["1000001"].startswith(digest.text_ky)
    assert texts["1000002"].startswith(digest.text_ru)
    tg_ky = audience["tg_ky"]
    assert f"https://jamaat.test/karool/unsubscribe/{tg_ky.unsubscribe_token}/" in texts["1000001"]
    assert "Unsubscribe" not in texts["@karool_news"]

    # the email subscriber got the Russian text with a one-click unsubscribe link
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    sub = audience["email_ru"]
    assert email.to == ["aigul@example.kg"]
    assert email.subject == digest.title_ru
    assert email.body.startswith(digest.text_ru)
    unsubscribe = f"https://jamaat.test/karool/unsubscribe/{sub.unsubscribe_token}/"
    assert unsubscribe in email.body
    assert email.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"

    # a subscriber who joins later gets it when Send is pressed again; nobody else does
    subscriber(digest.municipality, "telegram", "1000003")
    press_send(staff, digest)
    assert tasks.deliver_due() == {"sent": 1}
    assert sorted(fake_telegram.recipients("sendMessage")) == [
        "1000001", "1000002", "1000003", "@karool_news"
    ]  # fmt: skip

    # the page settles the digest as sent and records the evidence of 1.3
    r = staff.get(f"/karool/manage/digests/{digest.pk}/")
    digest.refresh_from_db()
    assert digest.status == Digest.Status.SENT and digest.sent_at
    body = r.content.decode()
    sent = re.search(r'data-total="sent"><span class="badge done">sent</span> <strong>(\d+)<', body)
    assert sent and sent[1] == "5"
    assert f'href="/karool/outbox/?source=digest%3A{digest.pk}&amp;status=sent"' in body
    assert "Telegram channel: <strong>1</strong>" in body
    assert "Telegram subscribers: <strong>3</strong>" in body
    evidence = Evidence.objects.get(source=f"digests.digest:{digest.pk}")
    assert evidence.occurrence.activity.code == "1.3"
    assert evidence.happened_on == timezone.localdate()
    assert (
        evidence.occurrence.window_start <= timezone.localdate() <= evidence.occurrence.window_end
    )
    assert evidence.links == [f"https://jamaat.test/karool/manage/digests/{digest.pk}/"]


def test_the_text_cannot_be_changed_after_sending(staff, digest, audience, tg_account):
    press_send(staff, digest)
    r = staff.post(
        f"/karool/manage/digests/{digest.pk}/",
        {"action": "save", "text_ky": "Башка текст", "title_ky": "x"},
    )
    assert r.status_code == 302
    digest.refresh_from_db()
    assert digest.text_ky != "Башка текст"
    r = staff.get(r["Location"])
    assert "text can no longer be changed" in r.content.decode()
    assert 'id="digest-form"' not in r.content.decode()


def test_rate_limit_is_retried_later(staff, digest, audience, tg_account, fake_telegram):
    fake_telegram.push(("rate_limit", 1))
    press_send(staff, digest)
    stats = tasks.deliver_due()
    assert stats["retry"] == 1
    # On a slow machine the one-second pause can run out within the same run; the
    # rate-limited message is then sent in that run, once.
    assert stats["sent"] in (3, 4)
    if stats["sent"] == 3:
        waiting = OutboxMessage.objects.get(status=S.QUEUED)
        assert waiting.error_kind == "rate_limited"
        r = staff.get(f"/karool/manage/digests/{digest.pk}/")
        assert "The provider asked to slow down." in r.content.decode()
        assert Digest.objects.get(pk=digest.pk).status == Digest.Status.SENDING
        make_due()
        assert tasks.deliver_due() == {"sent": 1}
    recipients = fake_telegram.recipients("sendMessage")
    assert sorted(recipients) == ["1000001", "1000002", "@karool_news"]
    staff.get(f"/karool/manage/digests/{digest.pk}/")
    assert Digest.objects.get(pk=digest.pk).status == Digest.Status.SENT


@pytest.mark.parametrize(
    ("action", "kind"),
    [(("error", 502, "Bad Gateway"), "server_error"), (("hang", 2), "timeout")],
)
def test_server_errors_and_timeouts_are_retried(
    staff, digest, audience, tg_account, fake_telegram, action, kind
):
    fake_telegram.rules["1000001"] = action
    press_send(staff, digest)
    assert tasks.deliver_due() == {"retry": 1, "sent": 3}
    msg = OutboxMessage.objects.get(recipient="1000001")
    assert (msg.status, msg.error_kind, msg.attempts) == (S.QUEUED, kind, 1)
    del fake_telegram.rules["1000001"]
    make_due()
    assert tasks.deliver_due() == {"sent": 1}
    assert fake_telegram.recipients("sendMessage").count("1000001") == 1


def test_unreachable_provider_is_shown_and_nothing_is_lost(
    staff, digest, audience, tg_account, fake_telegram
):
    text_before = digest.text_ky
    fake_telegram.stop()  # nothing listens on that port any more
    press_send(staff, digest)
    stats = tasks.deliver_due()
    assert stats == {"retry": 3, "sent": 1}  # the email still goes out
    r = staff.get(f"/karool/manage/digests/{digest.pk}/")
    body = r.content.decode()
    assert "Telegram: The provider could not be reached. 3 messages are waiting" in body
    assert "Nothing is lost." in body
    digest.refresh_from_db()
    assert digest.text_ky == text_before and digest.status == Digest.Status.SENDING
    assert text_before.splitlines()[0] in body  # the composed text is still shown
    assert OutboxMessage.objects.filter(status=S.QUEUED, error_kind="connection").count() == 3


def test_whatsapp_subscribers_get_the_template_in_their_language(staff, mun_a, digest):
    fake = FakeWhatsApp().start()
    try:
        ProviderAccount.objects.create(
            municipality=mun_a, provider="whatsapp", token=fake.token,
            phone_number_id=fake.phone_number_id, whatsapp_template="jamaat_news",
            base_url=fake.base_url,
        )  # fmt: skip
        subscriber(mun_a, "whatsapp", "+996555123456", "ru")
        press_send(staff, digest)
        assert tasks.deliver_due() == {"sent": 1}
        (req,) = fake.requests
        template = req.body["template"]
        assert template["name"] == "jamaat_news" and template["language"]["code"] == "ru"
        (param,) = template["components"][0]["parameters"]
        assert param["text"].startswith(digest.title_ru)
        assert "Водопровод https://jamaat.test/karool/news/" in param["text"]
        assert "\n" not in param["text"] and len(param["text"]) <= 1000
    finally:
        fake.stop()


def test_whatsapp_subscribers_wait_while_whatsapp_is_not_set_up(staff, mun_a, digest, tg_account):
    subscriber(mun_a, "whatsapp", "+996555123456", "ky")
    r = staff.get(f"/karool/manage/digests/{digest.pk}/")
    body = r.content.decode()
    assert "Not set up, so they will not get it yet:" in body and "WhatsApp (1)" in body
    press_send(staff, digest)
    assert not OutboxMessage.objects.filter(provider="whatsapp").exists()
    assert OutboxMessage.objects.filter(recipient="@karool_news").exists()


def test_nobody_to_send_to(staff, digest):
    r = press_send(staff, digest)
    r = staff.get(r["Location"])
    assert "Nobody to send it to yet" in r.content.decode()
    digest.refresh_from_db()
    assert digest.status == Digest.Status.DRAFT and not OutboxMessage.objects.exists()


def test_periodic_task_settles_sent_digests(digest, audience, tg_account, approved_plan_a):
    from jamaat.digests.tasks import settle_sending_digests

    services.send(None, digest)
    assert services.refresh_sending() == 0  # still queued
    tasks.deliver_due()
    assert settle_sending_digests.call_local() == 1
    digest.refresh_from_db()
    assert digest.status == Digest.Status.SENT
    assert Evidence.objects.filter(source=f"digests.digest:{digest.pk}").count() == 1
    assert services.refresh_sending() == 0

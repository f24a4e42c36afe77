"""Adapters against the local fake Telegram and WhatsApp servers (never the internet)."""

import smtplib
import time
from types import SimpleNamespace

import pytest

from jamaat.messaging import services
from jamaat.messaging.adapters import (
    EmailAdapter,
    NotConfigured,
    PermanentError,
    RetryableError,
    TelegramAdapter,
    WhatsAppCloudAdapter,
    template_param,
)


def tg(fake, timeout=2.0):
    return TelegramAdapter(fake.token, fake.url, timeout=timeout)


def wa(fake, timeout=2.0):
    return WhatsAppCloudAdapter(fake.token, fake.phone_number_id, fake.base_url, timeout=timeout)


# --- Telegram ------------------------------------------------------------------------------


def test_telegram_send_message(fake_telegram):
    message_id = tg(fake_telegram).send_message("123456789", "Салам, Кароол! ң ө ү")
    assert message_id == "1"
    [req] = fake_telegram.requests
    assert req.path == f"/bot{fake_telegram.token}/sendMessage"
    assert req.body == {"chat_id": "123456789", "text": "Салам, Кароол! ң ө ү"}


def test_telegram_channel_post_and_member_count(fake_telegram):
    adapter = tg(fake_telegram)
    assert adapter.send_message("@karool_news", "News") == "1"
    fake_telegram.member_counts["@karool_news"] = 2841
    assert adapter.member_count("@karool_news") == 2841
    assert [r.api for r in fake_telegram.requests] == ["sendMessage", "getChatMemberCount"]


def test_telegram_429_is_retryable_with_retry_after(fake_telegram):
    fake_telegram.push(("rate_limit", 7))
    with pytest.raises(RetryableError) as exc:
        tg(fake_telegram).send_message("1234567", "x")
    assert exc.value.retry_after == 7
    assert exc.value.http_status == 429 and exc.value.kind == "rate_limited"


@pytest.mark.parametrize("status", [500, 502])
def test_telegram_5xx_is_retryable(fake_telegram, status):
    fake_telegram.push(("error", status, "Internal Server Error"))
    with pytest.raises(RetryableError) as exc:
        tg(fake_telegram).send_message("1234567", "x")
    assert exc.value.http_status == status and exc.value.kind == "server_error"


def test_telegram_timeout_is_retryable_and_short(fake_telegram):
    fake_telegram.push(("hang", 3))
    started = time.monotonic()
    with pytest.raises(RetryableError) as exc:
        tg(fake_telegram, timeout=0.5).send_message("1234567", "x")
    assert time.monotonic() - started < 2
    assert exc.value.kind == "timeout"
    assert fake_telegram.token not in str(exc.value)


def test_telegram_unreachable_is_retryable(fake_telegram):
    url = fake_telegram.url
    fake_telegram.stop()
    with pytest.raises(RetryableError) as exc:
        TelegramAdapter("1:x", url, timeout=1).send_message("1234567", "x")
    assert exc.value.kind == "connection"


def test_telegram_dropped_connection_is_retryable(fake_telegram):
    fake_telegram.push(("drop",))
    with pytest.raises(RetryableError) as exc:
        tg(fake_telegram).send_message("1234567", "x")
    assert exc.value.kind == "connection"


def test_telegram_403_blocked_is_permanent_and_recipient_gone(fake_telegram):
    fake_telegram.rules["1234567"] = ("error", 403, "Forbidden: bot was blocked by the user")
    with pytest.raises(PermanentError) as exc:
        tg(fake_telegram).send_message("1234567", "x")
    assert exc.value.recipient_gone and exc.value.http_status == 403
    assert "blocked" in exc.value.detail


def test_telegram_other_400_is_permanent_not_gone(fake_telegram):
    fake_telegram.push(("error", 400, "Bad Request: can't parse entities"))
    with pytest.raises(PermanentError) as exc:
        tg(fake_telegram).send_message("1234567", "x")
    assert not exc.value.recipient_gone


def test_telegram_wrong_token_is_permanent(fake_telegram):
    with pytest.raises(PermanentError) as exc:
        TelegramAdapter("999:wrong", fake_telegram.url).send_message("1234567", "x")
    assert exc.value.http_status == 401
    assert "999:wrong" not in str(exc.value)


def test_adapters_need_credentials():
    with pytest.raises(NotConfigured):
        TelegramAdapter("")
    with pytest.raises(NotConfigured):
        WhatsAppCloudAdapter("token", "")


# --- WhatsApp ------------------------------------------------------------------------------


def test_whatsapp_template_message(fake_whatsapp):
    wamid = wa(fake_whatsapp).send_template("+996555123456", "jamaat_news", "ru", ["Новости"])
    assert wamid.startswith("wamid.")
    [req] = fake_whatsapp.requests
    assert req.path == f"/v21.0/{fake_whatsapp.phone_number_id}/messages"
    assert req.headers["Authorization"] == f"Bearer {fake_whatsapp.token}"
    assert req.body == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "+996555123456",
        "type": "template",
        "template": {
            "name": "jamaat_news",
            "language": {"code": "ru"},
            "components": [{"type": "body", "parameters": [{"type": "text", "text": "Новости"}]}],
        },
    }


def test_whatsapp_deliver_uses_payload_and_language_map(fake_whatsapp, settings):
    settings.WHATSAPP_TEMPLATE_LANGUAGES = {"ky": "ky_KG", "ru": "ru"}
    adapter = WhatsAppCloudAdapter(
        fake_whatsapp.token,
        fake_whatsapp.phone_number_id,
        fake_whatsapp.base_url,
        default_template="news",
    )
    msg = SimpleNamespace(
        recipient="+996700000001", body="Line 1\n\nLine    2", payload={"language": "ky"}
    )
    adapter.deliver(msg)
    template = fake_whatsapp.requests[0].body["template"]
    assert template["name"] == "news" and template["language"] == {"code": "ky_KG"}
    assert template["components"][0]["parameters"][0]["text"] == "Line 1 · Line 2"


def test_template_param_has_no_newlines_and_is_bounded():
    text = template_param("a\n\tb" + "x" * 2000)
    assert "\n" not in text and "\t" not in text and len(text) == 1000


def test_whatsapp_429_retryable(fake_whatsapp):
    fake_whatsapp.push(("rate_limit", 3))
    with pytest.raises(RetryableError) as exc:
        wa(fake_whatsapp).send_template("+996555123456", "t", "ru")
    assert exc.value.retry_after == 3 and exc.value.kind == "rate_limited"


def test_whatsapp_throttle_code_in_a_400_is_retryable(fake_whatsapp):
    fake_whatsapp.push(("wa_error", 400, 131056, "(#131056) Pair rate limit hit"))
    with pytest.raises(RetryableError):
        wa(fake_whatsapp).send_template("+996555123456", "t", "ru")


@pytest.mark.parametrize("status", [500, 502, 503])
def test_whatsapp_5xx_retryable(fake_whatsapp, status):
    fake_whatsapp.push(("error", status, "Service temporarily unavailable"))
    with pytest.raises(RetryableError):
        wa(fake_whatsapp).send_template("+996555123456", "t", "ru")


def test_whatsapp_timeout_retryable(fake_whatsapp):
    fake_whatsapp.push(("hang", 3))
    with pytest.raises(RetryableError) as exc:
        wa(fake_whatsapp, timeout=0.5).send_template("+996555123456", "t", "ru")
    assert exc.value.kind == "timeout"


def test_whatsapp_invalid_number_is_permanent_and_gone(fake_whatsapp):
    fake_whatsapp.rules["+996555000000"] = ("wa_error", 400, 131026, "Message undeliverable")
    with pytest.raises(PermanentError) as exc:
        wa(fake_whatsapp).send_template("+996555000000", "t", "ru")
    assert exc.value.recipient_gone and "131026" in exc.value.detail


def test_whatsapp_403_is_permanent(fake_whatsapp):
    fake_whatsapp.push(("error", 403, "Permission denied"))
    with pytest.raises(PermanentError) as exc:
        wa(fake_whatsapp).send_template("+996555123456", "t", "ru")
    assert not exc.value.recipient_gone


def test_whatsapp_bad_token(fake_whatsapp):
    with pytest.raises(PermanentError) as exc:
        WhatsAppCloudAdapter(
            "bad", fake_whatsapp.phone_number_id, fake_whatsapp.base_url
        ).send_template("+996555123456", "t", "ru")
    assert exc.value.http_status == 401


# --- email ---------------------------------------------------------------------------------


def test_email_adapter_sets_one_click_headers(mailoutbox):
    msg = SimpleNamespace(
        recipient="a@example.kg",
        subject="Жаңылыктар",
        body="Текст",
        payload={"unsubscribe_url": "https://jamaat.test/u/x/", "from_name": "Кароол"},
    )
    msgid = EmailAdapter().deliver(msg)
    [email] = mailoutbox
    assert email.extra_headers["Message-ID"] == msgid
    assert email.extra_headers["List-Unsubscribe"] == "<https://jamaat.test/u/x/>"
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert email.from_email == "Кароол <noreply@jamaat.kg>"


def test_email_errors_are_classified(monkeypatch):
    msg = SimpleNamespace(recipient="a@example.kg", subject="s", body="b", payload={})

    def failing(exc):
        def send(self, *a, **k):
            raise exc

        return send

    from django.core.mail import EmailMessage

    monkeypatch.setattr(
        EmailMessage, "send", failing(smtplib.SMTPRecipientsRefused({"a@example.kg": (550, b"no")}))
    )
    with pytest.raises(PermanentError) as exc:
        EmailAdapter().deliver(msg)
    assert exc.value.recipient_gone
    monkeypatch.setattr(EmailMessage, "send", failing(smtplib.SMTPServerDisconnected("gone")))
    with pytest.raises(RetryableError):
        EmailAdapter().deliver(msg)
    monkeypatch.setattr(EmailMessage, "send", failing(TimeoutError()))
    with pytest.raises(RetryableError) as exc:
        EmailAdapter().deliver(msg)
    assert exc.value.kind == "timeout"
    monkeypatch.setattr(EmailMessage, "send", failing(smtplib.SMTPDataError(451, b"later")))
    with pytest.raises(RetryableError):
        EmailAdapter().deliver(msg)


# --- accounts ------------------------------------------------------------------------------


def test_adapter_for_prefers_the_municipality_account(mun_a, tg_account, fake_telegram, settings):
    settings.TELEGRAM_BOT_TOKEN = "env-token"
    adapter = services.adapter_for(mun_a, "telegram")
    assert adapter.token == fake_telegram.token
    tg_account.is_active = False
    tg_account.save()
    assert services.adapter_for(mun_a, "telegram").token == "env-token"


def test_adapter_for_falls_back_to_the_environment(mun_a, monkeypatch):
    assert not services.provider_ready(mun_a, "telegram")
    assert services.available_channels(mun_a) == ["email"]
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "from-env")
    monkeypatch.setenv("WHATSAPP_TOKEN", "wa-env")
    monkeypatch.setenv("WHATSAPP_PHONE_NUMBER_ID", "555")
    assert services.adapter_for(mun_a, "telegram").token == "from-env"
    assert services.available_channels(mun_a) == ["email", "telegram", "whatsapp"]


def test_telegram_member_count_service(mun_a, tg_account, fake_telegram):
    fake_telegram.member_counts["@karool_news"] = 512
    assert services.telegram_member_count(mun_a) == 512

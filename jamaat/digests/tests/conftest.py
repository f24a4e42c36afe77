"""Digest fixtures: news posts in a quarter, subscribers, the fake Telegram server and its account."""

from datetime import datetime

import pytest
from django.utils import timezone

from jamaat.conftest import PASSWORD
from jamaat.messaging import tasks
from jamaat.messaging.models import Channel as Provider
from jamaat.messaging.models import ProviderAccount, Subscriber
from jamaat.messaging.tests.fakes import FakeTelegram
from jamaat.news.models import Post

ENV_SETTINGS = (
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_CHANNEL_CHAT_ID",
    "TELEGRAM_API_BASE",
    "WHATSAPP_TOKEN",
    "WHATSAPP_PHONE_NUMBER_ID",
    "WHATSAPP_API_BASE",
    "WHATSAPP_TEMPLATE",
)


@pytest.fixture(autouse=True)
def _messaging_settings(settings, monkeypatch):
    """No platform credentials from the environment; generous rates, short timeouts, no kick."""
    for name in ENV_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    settings.MESSAGING_RATE_LIMITS = {"telegram": 1000, "whatsapp": 1000, "email": 1000}
    settings.MESSAGING_HTTP_TIMEOUT = 1
    settings.MESSAGING_KICK_AFTER_ENQUEUE = False  # tests drive the worker with deliver_due()
    settings.SITE_URL = "https://jamaat.test"
    tasks.reset_rate_limits()
    yield
    tasks.reset_rate_limits()


def local(*args) -> datetime:
    return timezone.make_aware(datetime(*args), timezone.get_current_timezone())


def make_post(municipality, title_ky="", when=None, body_ky="", title_ru="", body_ru="", **kw):
    return Post.objects.create(
        municipality=municipality,
        title_ky=title_ky,
        body_ky=body_ky,
        title_ru=title_ru,
        body_ru=body_ru,
        status=kw.pop("status", Post.Status.PUBLISHED),
        publish_at=when or timezone.now(),
        **kw,
    )


def subscriber(municipality, channel, address, lang="ky", status=Subscriber.Status.ACTIVE):
    return Subscriber.objects.create(
        municipality=municipality,
        channel=channel,
        address=address,
        language=lang,
        status=status,
        consent_text="consent",
        consent_at=timezone.now(),
    )


@pytest.fixture
def fake_telegram():
    fake = FakeTelegram().start()
    yield fake
    fake.stop()


@pytest.fixture
def tg_account(mun_a, fake_telegram):
    return ProviderAccount.objects.create(
        municipality=mun_a,
        provider=Provider.TELEGRAM,
        token=fake_telegram.token,
        channel_chat_id="@karool_news",
        base_url=fake_telegram.url,
    )


@pytest.fixture
def staff(client, people):
    client.login(username="staff_a", password=PASSWORD)
    client.cookies["django_language"] = "en"
    return client

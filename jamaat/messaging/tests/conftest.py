"""Fixtures: fake Telegram and WhatsApp servers, provider accounts pointing at them, fast limits."""

import pytest
from django.utils import translation

from jamaat.conftest import make_user
from jamaat.core.access import Role
from jamaat.messaging import tasks
from jamaat.messaging.models import Channel, ProviderAccount
from jamaat.messaging.tests.fakes import FakeTelegram, FakeWhatsApp

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
    """No platform credentials from the environment; generous rates and a short timeout."""
    for name in ENV_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    settings.MESSAGING_RATE_LIMITS = {"telegram": 1000, "whatsapp": 1000, "email": 1000}
    settings.MESSAGING_HTTP_TIMEOUT = 2
    settings.MESSAGING_KICK_AFTER_ENQUEUE = True
    settings.SITE_URL = "https://jamaat.test"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast users
    tasks.reset_rate_limits()
    yield
    tasks.reset_rate_limits()


@pytest.fixture(autouse=True)
def _english():
    """Messages outside a request in English, so assertions can read them (ky is the default)."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def fake_telegram():
    fake = FakeTelegram().start()
    yield fake
    fake.stop()


@pytest.fixture
def fake_whatsapp():
    fake = FakeWhatsApp().start()
    yield fake
    fake.stop()


@pytest.fixture
def tg_account(mun_a, fake_telegram):
    return ProviderAccount.objects.create(
        municipality=mun_a,
        provider=Channel.TELEGRAM,
        token=fake_telegram.token,
        channel_chat_id="@karool_news",
        base_url=fake_telegram.url,
    )


@pytest.fixture
def wa_account(mun_a, fake_whatsapp):
    return ProviderAccount.objects.create(
        municipality=mun_a,
        provider=Channel.WHATSAPP,
        token=fake_whatsapp.token,
        phone_number_id=fake_whatsapp.phone_number_id,
        whatsapp_template="jamaat_news",
        base_url=fake_whatsapp.base_url,
    )


@pytest.fixture
def people(mun_a, mun_b):
    """Only the users these tests need (the project-wide fixture makes seventeen)."""
    return {
        "staff_a": make_user("staff_a", mun_a, Role.STAFF),
        "deputy_a": make_user("deputy_a", mun_a, Role.DEPUTY),
        "staff_b": make_user("staff_b", mun_b, Role.STAFF),
        "admin": make_user("admin", is_superuser=True, is_staff=True),
    }


@pytest.fixture
def en_client(client):
    """The test client with the English UI, so messages can be read in assertions."""
    client.cookies["django_language"] = "en"
    return client


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: takes seconds (real time, subprocesses)")

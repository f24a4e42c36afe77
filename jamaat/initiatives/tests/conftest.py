"""Fixtures: codes go to memory, the per-IP limits start empty, English UI for reading messages."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from PIL import Image

from jamaat.conftest import make_user
from jamaat.core.access import Role
from jamaat.initiatives import services
from jamaat.initiatives.models import Initiative
from jamaat.messaging.codes import MemoryCodeSender

PHONE_RAW = "0555 12 34 56"
PHONE = "+996555123456"

ENV_SETTINGS = ("WHATSAPP_TOKEN", "WHATSAPP_PHONE_NUMBER_ID", "WHATSAPP_API_BASE")


@pytest.fixture(autouse=True)
def _initiative_settings(settings, monkeypatch):
    for name in ENV_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    settings.PHONE_SMS_CODE_SENDER = "jamaat.messaging.codes.MemoryCodeSender"
    settings.MESSAGING_KICK_AFTER_ENQUEUE = False
    MemoryCodeSender.sent.clear()
    from django.core.cache import cache

    cache.clear()
    yield
    MemoryCodeSender.sent.clear()
    cache.clear()


@pytest.fixture(autouse=True)
def _english():
    """Messages outside a request in English, so assertions can read them (ky is the default)."""
    with translation.override("en"):
        yield


@pytest.fixture
def people(mun_a, mun_b):
    """The users these tests need (the project-wide fixture makes seventeen)."""
    return {
        "head_a": make_user("head_a", mun_a, Role.HEAD),
        "staff_a": make_user("staff_a", mun_a, Role.STAFF),
        "council_chair_a": make_user("council_chair_a", mun_a, Role.COUNCIL_CHAIR),
        "deputy_a": make_user("deputy_a", mun_a, Role.DEPUTY),
        "head_b": make_user("head_b", mun_b, Role.HEAD),
        "staff_b": make_user("staff_b", mun_b, Role.STAFF),
    }


@pytest.fixture
def en(db):
    """An anonymous resident's browser in English (its own client, apart from `client`)."""
    resident = Client()
    resident.cookies["django_language"] = "en"
    return resident


@pytest.fixture
def staff(client, people):
    client.force_login(people["staff_a"])
    client.cookies["django_language"] = "en"
    return client


def make_initiative(municipality, title="Суу түтүгүн оңдоо", **kw) -> Initiative:
    data = {
        "title": title,
        "description": kw.pop("description", "Тоголок Молдо көчөсүндөгү суу түтүгү эскирди."),
        "village": kw.pop("village", municipality.villages.order_by("pk").first()),
        "category": kw.pop("category", None),
        "estimated_cost": kw.pop("estimated_cost", None),
        "submitter_name": kw.pop("submitter_name", "Асанова Гүлнара"),
        "phone": kw.pop("phone", PHONE_RAW),
        "group_name": kw.pop("group_name", ""),
        "publish_name": kw.pop("publish_name", False),
    }
    initiative = services.submit(
        municipality,
        data,
        channel=kw.pop("channel", Initiative.Channel.ONLINE),
        language=kw.pop("language", "ky"),
        consent_text="test consent",
    )
    if kw:
        Initiative.objects.filter(pk=initiative.pk).update(**kw)
        initiative.refresh_from_db()
    return initiative


def jpeg(name="photo.jpg", w=1200, h=800):
    buf = io.BytesIO()
    Image.new("RGB", (w, h), (30, 120, 200)).save(buf, "JPEG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def pdf(name="sheets.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n% signed sheets\n", content_type="application/pdf")

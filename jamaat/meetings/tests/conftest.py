"""Helpers for the meetings tests: meetings at a given distance from now, a logged-in staff client."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from jamaat.conftest import PASSWORD
from jamaat.meetings.models import AgendaItem, Decision, Meeting, Speaker
from jamaat.municipalities.models import LocalIssue


def make_meeting(municipality, *, days=20, status=Meeting.Status.DRAFT, agenda=True, **kw):
    """A meeting `days` from now (negative: in the past) with one agenda item on water."""
    defaults = {
        "kind": Meeting.Kind.HEARING,
        "title_ky": "Жергиликтүү бюджет боюнча коомдук угуу",
        "title_ru": "Общественные слушания по местному бюджету",
        "place_ky": "Айыл өкмөтүнүн жыйындар залы",
        "place_ru": "Актовый зал айыл окмоту",
        "starts_at": (timezone.now() + timedelta(days=days)).replace(microsecond=0),
    }  # fmt: skip
    defaults.update(kw)
    meeting = Meeting.objects.create(municipality=municipality, status=status, **defaults)
    if agenda:
        item = AgendaItem.objects.create(
            meeting=meeting,
            order=10,
            text_ky="2027-жылдын бюджетинин долбоору",
            text_ru="Проект бюджета на 2027 год",
        )
        water = LocalIssue.objects.filter(municipality=municipality, code="water").first()
        if water:
            item.issues.add(water)
    return meeting


def make_held(municipality, *, days=-2, total=120, **kw):
    """A held meeting with attendance, a speaker and a decision with votes."""
    kw.setdefault("status", Meeting.Status.HELD)
    meeting = make_meeting(municipality, days=days, attendance_total=total, **kw)
    Speaker.objects.create(
        meeting=meeting,
        order=10,
        name="Асанова Гүлнара",
        summary_ky="Суу түтүгүн оңдоого акча бөлүүнү сунуштады.",
        summary_ru="Предложила выделить средства на ремонт водопровода.",
    )
    Decision.objects.create(
        meeting=meeting,
        order=10,
        text_ky="Бюджеттин долбоорун колдоого.",
        text_ru="Одобрить проект бюджета.",
        votes_for=97,
        votes_against=12,
        votes_abstained=5,
    )
    return meeting


@pytest.fixture
def staff(client, people):
    client.login(username="staff_a", password=PASSWORD)
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture(autouse=True)
def _english():
    """Messages outside a request in English, so assertions can read them (ky is the default)."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://jamaat.test"
    settings.MESSAGING_KICK_AFTER_ENQUEUE = False

"""The demo data: idempotent, complete, bilingual, and every printed login works."""

import re

import pytest
from django.db import transaction
from django.test import override_settings

from jamaat.core.models import User
from jamaat.demo.seed import DEMO_PASSWORD, MUNICIPALITIES, USERS, login_rows, seed
from jamaat.municipalities.models import Membership, Municipality, Village
from jamaat.plans.models import (
    ActivityBudget,
    Evidence,
    EvidenceFile,
    IndicatorTarget,
    IndicatorValue,
    Occurrence,
    Plan,
)

KYRGYZ_LETTERS = re.compile("[ңөүҢӨҮ]")
RUSSIAN_ONLY = re.compile("[щъёЩЪЁ]|(?:ый|ой)\\b")
PLAN_SLUGS = {"karool", "karakol", "uzgen"}


FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def counts() -> dict[str, int]:
    models = [
        Municipality, Village, User, Membership, Plan, Occurrence, IndicatorTarget,
        ActivityBudget, Evidence, EvidenceFile, IndicatorValue,
    ]  # fmt: skip
    return {m.__name__: m.objects.count() for m in models}


@pytest.fixture(scope="module")
def _seeded_module(django_db_setup, django_db_blocker, tmp_path_factory):
    """Seed once for the whole module inside a transaction that is rolled back at the end.

    Each test's own `db` transaction nests inside it as a savepoint, so tests stay isolated
    from each other while sharing the (slow to build) demo data.
    """
    media = tmp_path_factory.mktemp("demo-media")
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHER, MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        logins = seed()
        yield logins
        transaction.set_rollback(True)


@pytest.fixture
def seeded(_seeded_module, db, settings):
    settings.PASSWORD_HASHERS = FAST_HASHER
    return _seeded_module


def test_seed_twice_changes_nothing(seeded):
    before = counts()
    statuses = dict(Occurrence.objects.values_list("pk", "status"))
    assert seed() == seeded
    assert counts() == before
    assert dict(Occurrence.objects.values_list("pk", "status")) == statuses
    assert before["Municipality"] >= 6
    assert before["Plan"] == 3


def test_real_municipalities(seeded):
    karool = Municipality.objects.get(slug="karool")
    assert (karool.name_ky, karool.kind, karool.population, karool.population_year) == (
        "Кароол", "aiyl_aimak", 17000, 2021,
    )  # fmt: skip
    assert (karool.district_ky, karool.district_ru) == ("Өзгөн", "Узген")
    assert sorted(karool.villages.values_list("name_ru", flat=True)) == [
        "Ак-Терек", "Жаны-Жол", "Кара-Булак", "Кароол",
    ]  # fmt: skip
    uzgen = Municipality.objects.get(slug="uzgen")
    assert (uzgen.name_ky, uzgen.name_ru, uzgen.kind) == ("Өзгөн", "Узген", "city")
    engilchek = Municipality.objects.get(slug="engilchek")
    assert (engilchek.name_ru, engilchek.population, engilchek.oblast_ru) == (
        "Энгильчек", 173, "Иссык-Куль",
    )  # fmt: skip
    assert {m["slug"] for m in MUNICIPALITIES} <= set(
        Municipality.objects.values_list("slug", flat=True)
    )
    assert all(m.email.endswith("@example.kg") for m in Municipality.objects.all())


def test_plans_are_approved_and_complete(seeded):
    plans = Plan.objects.select_related("municipality")
    assert {p.municipality.slug for p in plans} == PLAN_SLUGS
    for plan in plans:
        assert plan.is_approved and plan.approved_by.username == f"{plan.municipality.slug}.head"
        assert (plan.start_year, plan.end_year) == (2025, 2028)
        assert plan.missing_blanks() == []
        for activity in plan.activities.prefetch_related("responsible_persons", "budgets"):
            assert activity.responsible_persons.exists(), activity.code
            if activity.budget_source == "local":
                assert {b.year for b in activity.budgets.all()} == set(plan.years), activity.code
        # Targets rise (or hold) year by year.
        for ind in plan.activities.get(code="1.1").indicators.filter(has_blank=True):
            values = [t.value for t in ind.targets.order_by("year")]
            assert values == sorted(values) and values[0] < values[-1]
    # Nobody else has a plan, so the "adopt" flow can be shown.
    assert not Plan.objects.filter(municipality__slug__in=["tokmok", "shark", "engilchek"])


def test_evidence_is_bilingual_with_overdue_and_not_done(seeded):
    texts = list(Evidence.objects.exclude(text="").values_list("text", flat=True))
    assert any(KYRGYZ_LETTERS.search(t) for t in texts)
    assert any(not KYRGYZ_LETTERS.search(t) and RUSSIAN_ONLY.search(t) for t in texts)
    assert Evidence.objects.filter(outcome="not_done").exclude(reason="").exists()
    assert EvidenceFile.objects.filter(content_type="image/jpeg").exists()
    assert IndicatorValue.objects.exists()
    assert all(
        e.links and e.links[0].startswith("https://") for e in Evidence.objects.exclude(links=[])
    )
    for slug in PLAN_SLUGS:
        plan = Plan.objects.get(municipality__slug=slug)
        occs = Occurrence.objects.filter(activity__plan=plan)
        assert 0 < occs.overdue().count() <= 10, slug
        assert occs.filter(status="done").count() > 40, slug
    karakol = Evidence.objects.filter(municipality__slug="karakol").count()
    assert karakol < Evidence.objects.filter(municipality__slug="karool").count()
    # Never dated in the future, never after the occurrence's due date.
    for e in Evidence.objects.select_related("occurrence"):
        assert e.happened_on <= e.occurrence.due


def test_every_login_works(seeded, client):
    assert {u for u, _p, _d in seeded} == {u.username for u in USERS}
    for username, password, _description in seeded:
        assert password == DEMO_PASSWORD
        assert client.login(username=username, password=password), username
        client.logout()
    client.login(username="karool.head", password=DEMO_PASSWORD)
    response = client.get("/karool/dashboard/")
    assert response.status_code == 200
    assert "Кароол" in response.content.decode()
    rows = login_rows("http://127.0.0.1:8000")
    assert rows[0][:2] == ("karool.head", DEMO_PASSWORD)
    assert rows[0][-1] == "http://127.0.0.1:8000/karool/dashboard/"


def test_a_changed_password_is_restored(seeded, client):
    user = User.objects.get(username="karool.staff")
    user.set_password("something-else")
    user.save()
    seed()
    assert client.login(username="karool.staff", password=DEMO_PASSWORD)

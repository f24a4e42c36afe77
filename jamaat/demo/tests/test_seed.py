"""The demo data: idempotent, complete, bilingual, and every printed login works."""

import contextlib
import re
from datetime import timedelta
from itertools import pairwise

import pytest
from django.apps import apps
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


FEATURE_MODELS = [
    "news.Post", "news.PostPhoto", "channels.Channel", "channels.ChannelSnapshot",
    "messaging.Subscriber", "messaging.ConsentEvent", "messaging.OutboxMessage",
    "digests.Digest", "digests.DigestShare", "printed.Material", "printed.Placement",
    "reports.MonthlyReport", "meetings.Meeting", "meetings.AgendaItem", "meetings.Speaker",
    "meetings.Decision", "appeals.Appeal", "appeals.AppealEvent", "core.AuditEntry",
]  # fmt: skip


def counts() -> dict[str, int]:
    models = [
        Municipality, Village, User, Membership, Plan, Occurrence, IndicatorTarget,
        ActivityBudget, Evidence, EvidenceFile, IndicatorValue,
    ]  # fmt: skip
    out = {m.__name__: m.objects.count() for m in models}
    for label in FEATURE_MODELS:
        with contextlib.suppress(LookupError):
            out[label] = apps.get_model(label).objects.count()
    return out


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
    typed_in = Evidence.objects.filter(source="demo").exclude(links=[])
    assert all(e.links and e.links[0].startswith("https://") for e in typed_in)
    # Evidence the feature apps recorded links to the pages of this site (SITE_URL).
    assert all(
        e.links[0].startswith(("http://", "https://"))
        for e in Evidence.objects.exclude(source="demo").exclude(links=[])
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


def test_feature_apps_have_demo_data(seeded):
    from django.utils import timezone

    from jamaat.appeals.models import Appeal
    from jamaat.channels.models import Channel, ChannelSnapshot
    from jamaat.demo.features import FEATURE_SLUGS, last_complete_quarter
    from jamaat.digests.models import Digest
    from jamaat.meetings.models import Meeting
    from jamaat.messaging.models import ProviderAccount, Subscriber
    from jamaat.news.models import Post
    from jamaat.printed.models import Placement
    from jamaat.reports.models import MonthlyReport

    today = timezone.localdate()
    now = timezone.now()
    year, quarter = last_complete_quarter(today)
    assert set(FEATURE_SLUGS) == PLAN_SLUGS
    assert not ProviderAccount.objects.exists()  # nothing is really sent
    for slug in FEATURE_SLUGS:
        m = Municipality.objects.get(slug=slug)
        posts = Post.objects.filter(municipality=m)
        published = posts.filter(status="published")
        assert published.count() == 8, slug
        assert all(now - timedelta(days=186) <= p.publish_at <= now for p in published)
        assert published.values("category").distinct().count() >= 7, slug
        assert published.filter(title_ru="").exists() and published.filter(title_ky="").exists()
        assert 2 <= published.filter(photos__isnull=False).distinct().count() <= 3, slug
        assert posts.filter(status="draft").count() == 1, slug
        assert posts.filter(status="scheduled", publish_at__gt=now).count() == 1, slug
        # News recorded evidence of 1.1 through the news service.
        assert Evidence.objects.filter(municipality=m, source__startswith="news.post:").exists()

        kinds = sorted(Channel.objects.filter(municipality=m).values_list("kind", flat=True))
        assert kinds == sorted(
            ["website", "facebook", "telegram", "info_board", "info_board", *["whatsapp_group"] * 3]
        )
        site = Channel.objects.get(municipality=m, kind="website")
        months = list(ChannelSnapshot.objects.filter(channel=site).order_by("month"))
        assert len(months) == 13 and months[-1].month == today.replace(day=1)
        assert all(1.005 < b.followers / a.followers < 1.025 for a, b in pairwise(months))
        assert not ChannelSnapshot.objects.filter(
            channel__municipality=m, channel__kind="info_board"
        )

        subs = Subscriber.objects.filter(municipality=m)
        assert subs.count() == 8 and not subs.exclude(status="active").exists(), slug
        assert {s.channel for s in subs} == {"email", "telegram", "whatsapp"}
        assert all(s.consent_text for s in subs)
        assert all(s.address.isdigit() for s in subs.filter(channel="telegram"))
        assert all(s.address.startswith("+996") for s in subs.filter(channel="whatsapp"))

        digest = Digest.objects.get(municipality=m, year=year, quarter=quarter)
        assert digest.posts.count() >= 2 and digest.shares.count() == 2
        assert digest.status == "draft"  # shared by hand, not sent through a provider

        placements = Placement.objects.filter(municipality=m)
        assert {p.material.kind for p in placements} == {"poster", "booklet"}
        assert placements.exclude(photo="").count() == 1
        assert all(p.placed_on.year == today.year and p.board_id for p in placements)
        assert all(p.material.pdf for p in placements)

        reports = MonthlyReport.objects.filter(municipality=m)
        assert reports.filter(status="published").count() == 3, slug
        last = reports.order_by("-month").first()
        assert last.status == "draft" and last.month == (
            today.replace(day=1) - timedelta(days=1)
        ).replace(day=1)

        hearing = Meeting.objects.get(municipality=m, kind="hearing")
        assert hearing.status == "held" and hearing.attendance_total and hearing.chair
        assert hearing.secretary and hearing.speakers.count() == 2
        assert hearing.decisions.filter(votes_for__isnull=False).count() == 2
        assert now - timedelta(days=92) < hearing.starts_at < now
        gathering = Meeting.objects.get(municipality=m, kind="gathering")
        assert gathering.status == "announced"
        assert 18 <= (timezone.localtime(gathering.starts_at).date() - today).days <= 24

        appeals = Appeal.objects.filter(municipality=m)
        assert appeals.count() == 12, slug
        assert len(set(appeals.values_list("channel", flat=True))) == 4
        assert len(set(appeals.values_list("kind", flat=True))) == 3
        answered = appeals.filter(status="answered")
        assert answered.count() >= 6
        assert all(timezone.localtime(a.answered_at).date() <= a.due_date for a in answered)
        overdue = appeals.filter(status__in=Appeal.OPEN_STATUSES, due_date__lt=today)
        assert overdue.count() == 1, slug
        assert appeals.filter(status="unconsidered").exclude(unconsidered_reason="").count() == 1


def test_optional_apps_have_demo_data(seeded):
    acts = pytest.importorskip("jamaat.acts.models")
    tos = pytest.importorskip("jamaat.tos.models")
    from jamaat.demo.features import FEATURE_SLUGS

    for slug in FEATURE_SLUGS:
        assert acts.Deputy.objects.filter(municipality__slug=slug).count() == 2, slug
        assert acts.Mandate.objects.filter(municipality__slug=slug).count() == 4, slug
        adopted = acts.LegalAct.objects.filter(municipality__slug=slug, status="adopted")
        assert adopted.count() == 2 and all(a.pdf and a.number for a in adopted), slug
        assert acts.Mandate.objects.filter(
            municipality__slug=slug, status="answered_by_act"
        ).exists()
        assert Evidence.objects.filter(municipality__slug=slug, source__startswith="acts.act:")
        body = tos.TosBody.objects.get(municipality__slug=slug)
        assert body.projects.filter(status="in_progress").count() == 1, slug


def test_initiatives_and_survey(seeded):
    initiatives = pytest.importorskip("jamaat.initiatives.models")
    surveys = pytest.importorskip("jamaat.surveys.models")
    from jamaat.demo.features import FEATURE_SLUGS, SURVEY_RESPONSES

    for slug in FEATURE_SLUGS:
        states = initiatives.Initiative.objects.filter(municipality__slug=slug).values_list(
            "status", flat=True
        )
        assert sorted(states) == ["implemented", "in_progress", "under_review"], slug
    questionnaire = surveys.Questionnaire.objects.get(municipality__slug="karool")
    assert questionnaire.status == "published"
    round_ = questionnaire.rounds.get()
    assert round_.is_open()
    assert round_.responses.filter(channel="online").count() == SURVEY_RESPONSES

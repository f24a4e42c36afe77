"""Shared test fixtures: two municipalities, a user for every role in each, adopted plans."""

from decimal import Decimal

import pytest

from jamaat.core.access import Role
from jamaat.core.models import User
from jamaat.municipalities.models import Membership, Municipality, Village
from jamaat.plans import services
from jamaat.plans.models import Indicator, Plan

PASSWORD = "Jamaat-test-2025"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # The `people` fixture makes 11 users; the production hasher takes ~0.5 s each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_municipality(slug="karool", **kw) -> Municipality:
    defaults = dict(
        name_ky="Кароол", name_ru="Кароол", name_en="Karool", kind="aiyl_aimak",
        oblast_ky="Ош", oblast_ru="Ош", district_ky="Өзгөн", district_ru="Узген",
        population=17000, population_year=2021,
    )  # fmt: skip
    defaults.update(kw)
    m = Municipality.objects.create(slug=slug, **defaults)
    Village.objects.create(municipality=m, name_ky=f"{m.name_ky}-1", name_ru=f"{m.name_ru}-1")
    return m


def make_user(username, municipality=None, role=None, **kw) -> User:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        email=f"{username}@example.kg",
        full_name=kw.pop("full_name", username.title()),
        **kw,
    )
    if municipality and role:
        Membership.objects.create(user=user, municipality=municipality, role=role)
    return user


def fill_all_targets(plan: Plan, value=Decimal("30")) -> None:
    for ind in Indicator.objects.filter(activity__plan=plan, has_blank=True):
        services.set_targets(None, ind, dict.fromkeys(plan.years, value))


@pytest.fixture
def mun_a(db):
    return make_municipality("karool")


@pytest.fixture
def mun_b(db):
    return make_municipality(
        "tokmok", name_ky="Токмок", name_ru="Токмок", name_en="Tokmok", kind="city",
        oblast_ky="Чүй", oblast_ru="Чуй", district_ky="", district_ru="", population=71600,
        population_year=2022,
    )  # fmt: skip


@pytest.fixture
def people(mun_a, mun_b):
    """A user for every role in A and in B, an Agency officer and a platform admin."""
    users = {}
    for m, tag in ((mun_a, "a"), (mun_b, "b")):
        for role in Role.values:
            users[f"{role}_{tag}"] = make_user(f"{role}_{tag}", m, role)
    users["agency"] = make_user("agency", is_agency_officer=True)
    users["admin"] = make_user("admin", is_superuser=True, is_staff=True)
    users["outsider"] = make_user("outsider")
    return users


@pytest.fixture
def plan_a(mun_a, people):
    plan = services.adopt_plan(mun_a, people["staff_a"])
    for activity in plan.activities.all():
        activity.responsible_persons.add(people["staff_a"])
    return plan


@pytest.fixture
def approved_plan_a(plan_a, people):
    fill_all_targets(plan_a)
    services.approve_plan(people["head_a"], plan_a)
    return plan_a


@pytest.fixture
def plan_b(mun_b, people):
    plan = services.adopt_plan(mun_b, people["staff_b"])
    fill_all_targets(plan)
    services.approve_plan(people["head_b"], plan)
    return plan


# --- real Chromium for the browser tests -------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright, one per test module. Without /usr/bin/chromium the
    test is skipped, unless JAMAAT_REQUIRE_BROWSER=1 (CI), where that is a failure."""
    import os
    from pathlib import Path

    if not Path(CHROMIUM).exists():
        reason = f"{CHROMIUM} is missing (install Debian's chromium: apt-get install chromium)"
        if os.environ.get("JAMAAT_REQUIRE_BROWSER") == "1":
            pytest.fail(reason + "; JAMAAT_REQUIRE_BROWSER=1 requires it")
        pytest.skip(reason)
    # Playwright's sync API keeps an event loop in this thread; the ORM calls made by the test
    # around the browser are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()

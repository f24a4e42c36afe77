"""Indicator figures (1.2 and 2.1) on the plan dashboard, workplaces, and the public API."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from jamaat.conftest import PASSWORD
from jamaat.meetings import figures
from jamaat.meetings.models import Meeting
from jamaat.meetings.tests.conftest import make_held, make_meeting
from jamaat.plans import registry
from jamaat.plans.models import Indicator
from jamaat.plans.services import set_targets


def this_year_days_ago(days: int) -> int:
    """`days` ago, but never before 1 January of this year (the figures are per year)."""
    today = timezone.localdate()
    return -min(days, (today - today.replace(month=1, day=1)).days) or 0


@pytest.fixture
def year():
    return timezone.localdate().year


def test_figures_count_attendance_of_meetings_held_in_the_year(mun_a, year):
    make_held(mun_a, days=this_year_days_ago(2), total=120)
    make_held(mun_a, days=this_year_days_ago(3), total=80, kind="gathering")
    make_meeting(mun_a, days=this_year_days_ago(1), attendance_total=500)  # a draft: not held
    make_meeting(mun_a, days=5, status=Meeting.Status.ANNOUNCED)
    make_held(mun_a, days=-400, total=300)  # last year
    make_held(mun_a, days=this_year_days_ago(4), total=None)  # held, attendance not entered
    assert figures.participants_count(mun_a, year) == 200
    assert figures.population_share(mun_a, year) == Decimal("1.2")  # 200 / 17000 = 1.18%
    assert figures.participants_count(mun_a, year + 1) is None
    assert figures.population_share(mun_a, year + 1) is None


def test_share_is_capped_at_100_percent(mun_a, year):
    mun_a.population = 173  # Эңилчек
    mun_a.save()
    make_held(mun_a, days=this_year_days_ago(2), total=150)
    make_held(mun_a, days=this_year_days_ago(3), total=150)
    assert figures.participants_count(mun_a, year) == 300
    assert figures.population_share(mun_a, year) == Decimal("100")


def test_figures_and_workplaces_are_registered():
    assert registry.figure_for("2.1.participants_count").compute is figures.participants_count
    assert registry.figure_for("1.2.population_participated").compute is figures.population_share
    assert "counted once per meeting" in str(registry.figure_for("1.2.population_participated").how)
    for code in ("2.1", "1.2"):
        assert "meetings:manage" in [w.url_name for w in registry.workplaces_for(code)]


def _activity_block(html: str, code: str) -> str:
    match = re.search(
        rf'<tbody class="act" data-activity="{re.escape(code)}">(.*?)</tbody>', html, re.S
    )
    assert match, code
    return match.group(1)


def test_dashboard_shows_the_figures_against_the_targets(client, approved_plan_a, mun_a, year):
    share = Indicator.objects.get(activity__plan=approved_plan_a, key=figures.SHARE_KEY)
    set_targets(None, share, {year: Decimal("5")})
    count = Indicator.objects.get(activity__plan=approved_plan_a, key=figures.PARTICIPANTS_KEY)
    set_targets(None, count, {year: Decimal("150")})  # no blank in the model plan: entered anyway
    make_held(mun_a, days=this_year_days_ago(2), total=170)
    client.login(username="staff_a", password=PASSWORD)
    client.cookies["django_language"] = "en"
    html = client.get(f"/karool/dashboard/?year={year}").content.decode()
    block_12 = _activity_block(html, "1.2")
    assert "<strong>1%</strong>" in block_12  # 170 / 17000
    assert "5%" in block_12  # the target beside it
    assert "counted once per meeting" in block_12
    block_21 = _activity_block(html, "2.1")
    assert "<strong>170</strong>" in block_21
    assert "150" in block_21
    assert '<span class="badge done">✓</span>' in block_21  # 170 ≥ 150


def test_manage_page_shows_figures_with_targets(client, approved_plan_a, mun_a, year):
    make_held(mun_a, days=this_year_days_ago(2), total=340)
    client.login(username="deputy_a", password=PASSWORD)
    client.cookies["django_language"] = "en"
    html = client.get("/karool/manage/meetings/").content.decode()
    assert re.search(r'id="participants">\s*340<', html)
    assert re.search(r'id="share">\s*2.0%<', html)
    assert "Target: 30%" in html  # fill_all_targets puts 30 in every blank


# --- API -------------------------------------------------------------------------------------


def test_api_lists_public_meetings_with_public_fields(mun_a, mun_b):
    held = make_held(mun_a, total=120, attendee_names="Асанов Т.", names_consent=True)
    upcoming = make_meeting(mun_a, days=15, status=Meeting.Status.ANNOUNCED)
    cancelled = make_meeting(mun_a, days=-20, status=Meeting.Status.CANCELLED, attendance_total=5)
    draft = make_meeting(mun_a, days=30)
    make_held(mun_b)
    response = Client().get("/api/v1/municipalities/karool/meetings/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"
    data = {m["id"]: m for m in response.json()}
    assert set(data) == {held.pk, upcoming.pk, cancelled.pk}
    assert draft.pk not in data
    h = data[held.pk]
    assert h["status"] == "held" and h["kind"] == "hearing"
    assert h["attendance_total"] == 120
    assert h["title_ru"] == held.title_ru and h["place_ky"] == held.place_ky
    assert h["agenda"] == [
        {"text_ky": "2027-жылдын бюджетинин долбоору", "text_ru": "Проект бюджета на 2027 год",
         "issues": ["water"]}
    ]  # fmt: skip
    assert h["protocol_url"] == f"https://jamaat.test/karool/meetings/{held.pk}/protocol-ky.pdf"
    assert h["url"] == f"https://jamaat.test/karool/meetings/{held.pk}/"
    assert data[upcoming.pk]["attendance_total"] is None
    assert data[upcoming.pk]["protocol_url"] is None
    assert data[cancelled.pk]["attendance_total"] is None
    assert "Асанов" not in response.content.decode()
    assert "attendee_names" not in h and "short_notice_reason" not in h


def test_api_protocol_url_is_the_scan_once_uploaded(mun_a):
    from django.core.files.base import ContentFile

    held = make_held(mun_a)
    held.protocol_scan.save("signed.pdf", ContentFile(b"%PDF-1.4 signed"))
    [m] = Client().get("/api/v1/municipalities/karool/meetings/").json()
    assert m["protocol_url"].startswith(f"https://jamaat.test/media/meetings/{mun_a.pk}/protocols/")


def test_api_unknown_slug_is_404(db):
    response = Client().get("/api/v1/municipalities/nowhere/meetings/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No municipality with slug 'nowhere'."}


def test_api_query_count_is_constant(mun_a, django_assert_max_num_queries):
    for i in range(2):
        make_held(mun_a, days=-(i + 1))
    with django_assert_max_num_queries(20) as small:
        Client().get("/api/v1/municipalities/karool/meetings/")
    for i in range(20):
        make_held(mun_a, days=-(i + 10))
        make_meeting(mun_a, days=i + 10, status=Meeting.Status.ANNOUNCED)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = Client().get("/api/v1/municipalities/karool/meetings/")
    assert len(response.json()) == 42

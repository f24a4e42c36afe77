from datetime import date
from decimal import Decimal

import pytest

from jamaat.channels import reach, services
from jamaat.channels.models import Channel, ChannelSnapshot
from jamaat.channels.tasks import read_telegram_counts
from jamaat.conftest import PASSWORD
from jamaat.messaging.models import ProviderAccount
from jamaat.messaging.tests.fakes import FakeTelegram


@pytest.fixture
def channels(mun_a):
    return {
        "fb": Channel.objects.create(municipality=mun_a, kind="facebook", name="Кароол АӨ"),
        "tg": Channel.objects.create(
            municipality=mun_a, kind="telegram", name="Кароол", telegram_chat_id="@karool"
        ),
        "wa": Channel.objects.create(municipality=mun_a, kind="whatsapp_group", name="Кара-Булак"),
    }


def counts(mun, month, **values):
    services.save_counts(None, mun, month, values)


def test_reach_share_and_growth(mun_a, channels):
    fb, tg, wa = channels["fb"], channels["tg"], channels["wa"]
    services.save_counts(None, mun_a, date(2025, 12, 1), {fb: 1000, tg: 600, wa: 300})
    services.save_counts(None, mun_a, date(2026, 6, 1), {fb: 1200, tg: 700, wa: 350})
    # 2026: online followers 1900 of a population of 17,000
    assert reach.population_reached_share(mun_a, 2026) == Decimal("11.2")
    # growth against the end of 2025: (1900 - 1600) / 1600
    assert reach.subscriber_growth(mun_a, 2026) == Decimal("18.8")
    assert reach.whatsapp_members(mun_a, 2026) == 350
    # a channel without a count this year keeps its last count
    months = reach.monthly_totals(mun_a, 2026)
    assert months == [(date(2026, 6, 1), 1900, 350)]


def test_growth_needs_two_points(mun_a, channels):
    services.save_counts(None, mun_a, date(2026, 3, 1), {channels["fb"]: 1000})
    assert reach.subscriber_growth(mun_a, 2026) is None
    services.save_counts(None, mun_a, date(2026, 9, 1), {channels["fb"]: 1050})
    assert reach.subscriber_growth(mun_a, 2026) == Decimal("5.0")


def test_share_is_capped_at_the_population(mun_a, channels):
    services.save_counts(None, mun_a, date(2026, 1, 1), {channels["fb"]: 50_000})
    assert reach.population_reached_share(mun_a, 2026) == Decimal("100")


def test_dashboard_shows_reach_beside_the_target(client, people, approved_plan_a, channels):
    services.save_counts(
        None, approved_plan_a.municipality, date(2026, 1, 1), {channels["fb"]: 3400}
    )
    client.login(username="staff_a", password=PASSWORD)
    html = client.get("/karool/dashboard/?year=2026").content.decode()
    assert "20%" in html  # 3400 / 17,000
    page = client.get("/karool/manage/channels/").content.decode()
    assert 'id="reach-share">20' in page.replace(".0%", "%")


def test_monthly_counts_form(client, people, mun_a, channels):
    client.login(username="staff_a", password=PASSWORD)
    r = client.post(
        "/karool/manage/channels/counts/",
        {"month": "2026-02", f"c{channels['fb'].pk}": "1500", f"c{channels['tg'].pk}": ""},
    )
    assert r.status_code == 302
    assert ChannelSnapshot.objects.get(channel=channels["fb"]).followers == 1500
    assert not ChannelSnapshot.objects.filter(channel=channels["tg"]).exists()
    bad = client.post(
        "/karool/manage/channels/counts/", {"month": "2026-02", f"c{channels['fb'].pk}": "-5"}
    )
    assert bad.status_code == 200
    assert ChannelSnapshot.objects.get(channel=channels["fb"]).followers == 1500


def test_telegram_count_read_through_the_bot_api(mun_a, channels):
    fake = FakeTelegram().start()
    try:
        fake.member_counts["@karool"] = 4321
        ProviderAccount.objects.create(
            municipality=mun_a, provider="telegram", token=fake.token, base_url=fake.url
        )
        assert read_telegram_counts(date(2026, 11, 21)) == 1
    finally:
        fake.stop()
    snap = ChannelSnapshot.objects.get(channel=channels["tg"])
    assert (snap.followers, snap.month, snap.source) == (4321, date(2026, 11, 1), "telegram_api")


def test_no_bot_no_request(mun_a, channels):
    assert read_telegram_counts(date(2026, 11, 21)) == 0
    assert not ChannelSnapshot.objects.exists()

"""WhatsApp groups: the copy text and share link, recording the groups, indicator 1.3 and evidence."""

from datetime import date
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.utils import timezone

from jamaat.channels.models import Channel, ChannelSnapshot
from jamaat.digests import reach, services
from jamaat.digests.models import Digest, DigestShare
from jamaat.digests.tests.conftest import local, make_post
from jamaat.plans import progress, registry
from jamaat.plans.models import Evidence


def group(mun, name, counts=(), **kw):
    channel = Channel.objects.create(municipality=mun, kind="whatsapp_group", name=name, **kw)
    for month, n in counts:
        ChannelSnapshot.objects.create(channel=channel, month=month, followers=n)
    return channel


@pytest.fixture
def digest(mun_a):
    make_post(mun_a, "Суу түтүгү оңдолду", local(2026, 1, 15, 10), title_ru="Водопровод")
    digest, _ = services.create(None, mun_a, 2026, 1)
    Digest.objects.filter(pk=digest.pk).update(created_at=local(2026, 3, 30, 9))
    digest.refresh_from_db()
    return digest


def test_copy_text_and_share_link(staff, digest):
    r = staff.get(f"/karool/manage/digests/{digest.pk}/")
    body = r.content.decode()
    assert '<textarea id="wa-ky" readonly rows="8">' + digest.text_ky.split("\n")[0] in body
    assert 'id="wa-ru"' in body
    assert f'href="https://wa.me/?text={quote(digest.text_ky, safe="")}"' in body
    assert 'data-copy="wa-ky"' in body and "hidden>" in body  # the copy button needs JS
    assert "No WhatsApp groups are registered yet." in body  # …with a link to add them
    assert "/karool/manage/channels/new/" in body


def test_record_groups_evidence_and_figure(staff, mun_a, mun_b, digest, approved_plan_a):
    a = group(mun_a, "Кароол-1 айылы", [(date(2026, 3, 1), 180)])
    b = group(mun_a, "Ата-энелер", [(date(2026, 2, 1), 70)])
    group(mun_a, "Эски топ", is_active=False)
    foreign = group(mun_b, "Токмок")
    url = f"/karool/manage/digests/{digest.pk}/share/"
    page = staff.get(f"/karool/manage/digests/{digest.pk}/").content.decode()
    assert "Эски топ" not in page and "Токмок" not in page and 'id="share-form"' in page

    # refused: another municipality's group, a future date, a date before it was composed
    for data, error in (
        ({"groups": [foreign.pk], "shared_on": "2026-04-02"}, "is no longer in use"),
        ({"groups": [a.pk], "shared_on": "2099-01-01"}, "cannot be in the future"),
        ({"groups": [a.pk], "shared_on": "2026-03-01"}, "it cannot have been shared earlier"),
        ({"shared_on": "2026-04-02"}, "Tick at least one WhatsApp group."),
    ):
        r = staff.post(url, data)
        assert r.status_code == 200 and error in r.content.decode(), error
    assert not DigestShare.objects.exists()
    assert not Evidence.objects.filter(source=f"digests.digest:{digest.pk}").exists()

    r = staff.post(url, {"groups": [a.pk, b.pk], "shared_on": "2026-04-02"})
    assert r.status_code == 302 and r["Location"].endswith("#whatsapp")
    assert set(DigestShare.objects.values_list("channel__name", "shared_on")) == {
        ("Кароол-1 айылы", date(2026, 4, 2)), ("Ата-энелер", date(2026, 4, 2)),
    }  # fmt: skip
    share = DigestShare.objects.get(channel=a)
    assert share.shared_by.username == "staff_a" and share.municipality == mun_a

    # evidence for the 1.3 occurrence whose quarter holds the day it was shared
    ev = Evidence.objects.get(source=f"digests.digest:{digest.pk}")
    assert ev.happened_on == date(2026, 4, 2)
    assert ev.occurrence.activity.code == "1.3"
    assert ev.occurrence.window_start == date(2026, 4, 1)
    assert "Кароол-1 айылы" in ev.text and "Ата-энелер" in ev.text

    # groups that have it are no longer offered; posting one again (a second click) adds nothing
    page = staff.get(f"/karool/manage/digests/{digest.pk}/").content.decode()
    assert f'name="groups" value="{a.pk}"' not in page
    assert "Every registered WhatsApp group has it." in page
    r = staff.post(url, {"groups": [a.pk], "shared_on": "2026-04-03"})
    assert r.status_code == 200 and "already has this digest recorded" in r.content.decode()
    assert DigestShare.objects.count() == 2
    assert services.record_shares(None, digest, [a], date(2026, 4, 3)) == ([], [share])

    # the figure: (180 + 70) / 17 000 = 1.47…%
    assert reach.population_informed_whatsapp(mun_a, 2026) == Decimal("1.5")
    rows = {r.indicator.key: r for r in progress.indicator_rows(approved_plan_a, 2026)}
    assert rows[reach.INDICATOR_KEY].recorded == Decimal("1.5")
    assert rows[reach.INDICATOR_KEY].how == reach.HOW
    page = staff.get(f"/karool/manage/digests/{digest.pk}/").content.decode()
    assert '<td data-label="Members then">180</td>' in page

    # a share recorded by mistake can be removed
    r = staff.post(f"/karool/manage/digests/{digest.pk}/share/{share.pk}/delete/")
    assert r.status_code == 302
    assert list(DigestShare.objects.values_list("channel", flat=True)) == [b.pk]
    assert reach.population_informed_whatsapp(mun_a, 2026) == Decimal("0.4")


def test_figure_counts_each_group_once_a_year_with_its_largest_count(mun_a):
    a = group(
        mun_a, "A", [(date(2026, 1, 1), 100), (date(2026, 5, 1), 300), (date(2026, 9, 1), 50)]
    )
    b = group(mun_a, "B", [(date(2026, 8, 1), 40)])
    c = group(mun_a, "C", [(date(2025, 11, 1), 25)])
    late = group(mun_a, "Late", [(date(2026, 12, 1), 999)])
    digests = [Digest.objects.create(municipality=mun_a, year=2026, quarter=q) for q in (1, 2, 3)]
    old = Digest.objects.create(municipality=mun_a, year=2025, quarter=4)

    def shared(d, ch, day):
        DigestShare.objects.create(municipality=mun_a, digest=d, channel=ch, shared_on=day)

    shared(digests[0], a, date(2026, 3, 20))  # 100
    shared(digests[1], a, date(2026, 6, 20))  # 300: the largest, counted once
    shared(digests[2], a, date(2026, 9, 20))  # 50
    shared(digests[1], b, date(2026, 7, 2))  # no count yet at that day; counted as 0
    shared(digests[0], c, date(2026, 1, 10))  # the latest count before: November 2025
    shared(digests[2], late, date(2026, 10, 1))  # its count is from December: not yet
    shared(old, b, date(2025, 12, 20))  # the previous year: not counted in 2026
    groups = {g.channel.name: g for g in reach.groups_reached(mun_a, 2026)}
    assert {n: (g.members, g.shares) for n, g in groups.items()} == {
        "A": (300, 3), "B": (None, 1), "C": (25, 1), "Late": (None, 1),
    }  # fmt: skip
    assert reach.population_informed_whatsapp(mun_a, 2026) == Decimal("1.9")  # 325 / 17 000
    assert reach.population_informed_whatsapp(mun_a, 2025) == Decimal("0.0")
    assert reach.population_informed_whatsapp(mun_a, 2024) is None
    mun_a.population = 200
    assert reach.population_informed_whatsapp(mun_a, 2026) == Decimal("100")  # capped


def test_registered_figure_and_workplace():
    figure = registry.figure_for("1.3.population_informed_whatsapp")
    assert figure.compute is reach.population_informed_whatsapp
    assert figure.how == reach.HOW
    assert any(w.url_name == "digests:list" for w in registry.workplaces_for("1.3"))


def test_list_shows_the_years_figure(staff, mun_a, digest, approved_plan_a):
    a = group(mun_a, "Кароол-1", [(date(2026, 1, 1), 340)])
    services.record_shares(None, digest, [a], timezone.localdate())
    year = timezone.localdate().year
    r = staff.get("/karool/manage/digests/")
    body = r.content.decode()
    expected = reach.population_informed_whatsapp(mun_a, year)
    assert f'<p class="big" id="wa-share">{expected}%</p>' in body
    assert "Target: 30%" in body
    assert digest.get_absolute_url() in body


def test_deputy_reads_the_digest_without_forms(client, people, digest):
    client.force_login(people["deputy_a"])
    client.cookies["django_language"] = "en"
    body = client.get(f"/karool/manage/digests/{digest.pk}/").content.decode()
    assert digest.text_ky.splitlines()[0] in body
    assert 'id="digest-form"' not in body and 'id="share-form"' not in body
    assert (
        client.post(f"/karool/manage/digests/{digest.pk}/", {"action": "send"}).status_code == 403
    )


def test_date_of_sharing_defaults_to_today(staff, mun_a, digest):
    group(mun_a, "Кароол-1")
    body = staff.get(f"/karool/manage/digests/{digest.pk}/").content.decode()
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in body

"""Queries per page do not grow with the data; the pages render in Kyrgyz and Russian."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jamaat.channels.models import Channel, ChannelSnapshot
from jamaat.digests import services
from jamaat.digests.models import Digest, DigestShare
from jamaat.digests.tests.conftest import make_post, subscriber
from jamaat.messaging.models import OutboxMessage


def fill(mun, n):
    """n posts in the current quarter, n WhatsApp groups shared, n delivered messages, n digests."""
    now = timezone.now()
    first = now.replace(day=1, month=(timezone.localdate().month - 1) // 3 * 3 + 1)
    for i in range(n):
        make_post(mun, f"Жаңылык {i}", max(first, now - timedelta(minutes=i + 1)), body_ky="текст")
    year, quarter = timezone.localdate().year, (timezone.localdate().month - 1) // 3 + 1
    digest, _ = services.create(None, mun, year, quarter)
    for i in range(n):
        ch = Channel.objects.create(municipality=mun, kind="whatsapp_group", name=f"Топ {i}")
        ChannelSnapshot.objects.create(channel=ch, month=date(year, 1, 1), followers=10 + i)
        DigestShare.objects.create(
            municipality=mun, digest=digest, channel=ch, shared_on=timezone.localdate()
        )
        sub = subscriber(
            mun,
            "email" if i % 2 else "telegram",
            f"{1000000 + i}@x.kg" if i % 2 else str(1000000 + i),
        )
        OutboxMessage.objects.create(
            municipality=mun, idempotency_key=f"{digest.source}:subscriber:{sub.pk}",
            provider=sub.channel, recipient=sub.address, subscriber=sub, source=digest.source,
            body="x", status=["sent", "queued", "failed"][i % 3], attempts=i % 3,
            next_attempt_at=timezone.now(), error_kind=["", "connection", "rejected"][i % 3],
        )  # fmt: skip
    Digest.objects.filter(pk=digest.pk).update(status="sending")
    for y in range(2000, 2000 + n):
        Digest.objects.create(municipality=mun, year=y, quarter=1)
    return digest


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["list", "detail", "draft"])
def test_queries_do_not_grow_with_the_data(staff, mun_a, mun_b, people, page):
    small = fill(mun_a, 2)
    large = fill(mun_b, 30)
    if page == "draft":
        Digest.objects.filter(pk__in=[small.pk, large.pk]).update(status="draft")
    urls = {
        "list": ("/karool/manage/digests/", "/tokmok/manage/digests/"),
        "detail": (small.get_absolute_url(), large.get_absolute_url()),
        "draft": (small.get_absolute_url(), large.get_absolute_url()),
    }[page]
    n_small = count(staff, urls[0])
    staff.force_login(people["admin"])
    staff.cookies["django_language"] = "en"
    n_small_admin = count(staff, urls[0])
    n_large = count(staff, urls[1])
    assert n_large <= n_small_admin, (n_small, n_small_admin, n_large)
    assert n_large <= 30


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_pages_render_in_kyrgyz_and_russian(staff, mun_a, lang):
    fill(mun_a, 3)
    staff.cookies["django_language"] = lang
    digest = Digest.objects.filter(municipality=mun_a, title_ky__startswith="Кароол").get()
    for url in (
        "/karool/manage/digests/",
        digest.get_absolute_url(),
        "/karool/manage/digests/new/",
    ):
        r = staff.get(url)
        assert r.status_code == 200
        assert f'<html lang="{lang}">' in r.content.decode()

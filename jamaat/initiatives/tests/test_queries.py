"""Query counts of the main pages do not grow with the number of initiatives (10 vs 1,000)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jamaat.initiatives.models import PATH, Initiative, Status, StatusChange
from jamaat.municipalities.models import LocalIssue, Village


def bulk(municipality, n: int) -> None:
    villages = list(Village.objects.filter(municipality=municipality))
    villages += [
        Village.objects.create(municipality=municipality, name_ky=f"Айыл {k}", name_ru=f"Село {k}")
        for k in range(3)
    ]
    issues = list(LocalIssue.objects.filter(municipality=municipality))
    statuses = [*PATH, Status.REJECTED]
    now = timezone.now()
    Initiative.objects.bulk_create(
        Initiative(
            municipality=municipality,
            title=f"Демилге № {k}",
            description="Көчөнү оңдоо. " * 20,
            village=villages[k % len(villages)],
            category=issues[k % len(issues)],
            submitter_name="Асанов Нурлан",
            phone="+996555123456",
            group_name="Жаштар" if k % 3 == 0 else "",
            publish_name=k % 2 == 0,
            status=statuses[k % len(statuses)],
            progress=(k * 7) % 100,
            support_online=k % 40,
            support_paper=k % 5,
            tracking_code=f"M{municipality.pk:03d}-{k:04d}",
            status_changed_at=now,
        )
        for k in range(n)
    )
    StatusChange.objects.bulk_create(
        StatusChange(municipality=municipality, initiative=i, to_status=Status.SUBMITTED, at=now)
        for i in Initiative.objects.filter(municipality=municipality)
    )


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


PAGES = [
    "/{slug}/initiatives/",
    "/{slug}/initiatives/?status=submitted&page=2",
    "/{slug}/",
    "/api/v1/municipalities/{slug}/initiatives/",
    "/api/v1/municipalities/{slug}/initiatives/?limit=200",
]


@pytest.mark.parametrize("path", PAGES)
def test_public_query_counts_constant_between_10_and_1000(mun_a, mun_b, path):
    bulk(mun_a, 10)
    bulk(mun_b, 1000)
    small = count(Client(), path.format(slug=mun_a.slug))
    large = count(Client(), path.format(slug=mun_b.slug))
    assert small == large, (path, small, large)


def test_public_list_within_budget(mun_b, django_assert_max_num_queries):
    bulk(mun_b, 1000)
    client = Client()
    with django_assert_max_num_queries(6):
        html = client.get("/tokmok/initiatives/").content.decode()
    assert html.count('class="initiative"') == 20
    assert "1000" in html.replace("\u00a0", "").replace(",", "")


def test_staff_and_detail_pages_constant(mun_a, mun_b, people):
    bulk(mun_a, 10)
    bulk(mun_b, 1000)
    for path in ("/{slug}/manage/initiatives/?status=all", "/{slug}/initiatives/{pk}/"):
        counts = []
        for m, user in ((mun_a, people["staff_a"]), (mun_b, people["staff_b"])):
            client = Client()
            client.force_login(user)
            pk = Initiative.objects.filter(municipality=m).first().pk
            counts.append(count(client, path.format(slug=m.slug, pk=pk)))
        assert counts[0] == counts[1], (path, counts)

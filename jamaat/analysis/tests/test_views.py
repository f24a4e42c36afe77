import csv
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from jamaat.conftest import PASSWORD  # noqa: F401  (fixtures log in with force_login)


@pytest.fixture
def staff_client(people):
    c = Client()
    c.force_login(people["staff_a"])
    return c


def test_questionnaire_page_shows_bars_crosstab_and_change(dataset, staff_client, mun_a):
    q, r1, r2 = dataset["q"], dataset["r1"], dataset["r2"]
    url = f"/{mun_a.slug}/manage/analysis/q/{q.pk}/"
    html = staff_client.get(url, {"lang": "ru", "round": r1.pk}).content.decode()
    assert 'id="n-responses">4<' in html
    assert "Хорошо" in html and "75.0%" in html
    html = staff_client.get(url, {"xq": "water", "xdim": "village"}).content.decode()
    assert 'id="crosstab"' in html and "Көк-Жар" in html
    html = staff_client.get(url, {"cq": "water", "ra": r1.pk, "rb": r2.pk}).content.decode()
    assert 'id="change"' in html and "+50.0" in html


def test_filters_keep_the_cross_tab_and_headings_lead_with_the_question(
    dataset, staff_client, mun_a
):
    q = dataset["q"]
    url = f"/{mun_a.slug}/manage/analysis/q/{q.pk}/"
    html = staff_client.get(url, {"xq": "water", "xdim": "village", "lang": "ru"}).content.decode()
    filters = html.split('class="an-filters"', 1)[1].split("</form>", 1)[0]  # the first form
    # applying a filter keeps the cross-tab that is being looked at
    assert 'name="xq" value="water"' in filters and 'name="xdim" value="village"' in filters
    # the cross-tab's corner and the headings show the question, not its code first
    assert "<th>water</th>" not in html and '<h3 class="h3">water.' not in html
    assert "Суу кандай?" in html.split('id="crosstab"', 1)[1].split("</th>", 1)[0]  # the page is ky


def test_csv_and_xlsx_exports_open_with_labels(dataset, staff_client, mun_a):
    q = dataset["q"]
    base = f"/{mun_a.slug}/manage/analysis/q/{q.pk}/export"
    resp = staff_client.get(f"{base}.csv", {"lang": "ru", "channel": "paper"})
    rows = list(csv.reader(io.StringIO(resp.content.decode("utf-8-sig"))))
    assert rows[0] == ["Code", "Question", "Answer", "Count", "Percent"] or rows[0][0]
    assert ["water", "Как вода?", "Плохо", "1", "100.0"] in rows
    resp = staff_client.get(f"{base}.xlsx", {"lang": "ky"})
    ws = load_workbook(io.BytesIO(resp.content)).active
    values = [tuple(r) for r in ws.iter_rows(values_only=True)]
    assert ("water", "Суу кандай?", "Жакшы", 4, 50.0) in values
    assert staff_client.get(f"{base}.pdf").status_code == 404


def test_topics_page_groups_open_answers(dataset, staff_client, mun_a):
    from jamaat.municipalities.models import LocalIssue

    LocalIssue.ensure_defaults(mun_a)
    html = staff_client.get(
        f"/{mun_a.slug}/manage/analysis/topics/", {"lang": "ru"}
    ).content.decode()
    assert "Уличное освещение — 6" in html
    assert "Местные дороги и улицы — 2" in html


def test_query_count_does_not_grow(dataset, staff_client, mun_a, django_assert_max_num_queries):
    from jamaat.analysis.tests.conftest import answer_set
    from jamaat.surveys import services as surveys

    q = dataset["q"]
    url = f"/{mun_a.slug}/manage/analysis/q/{q.pk}/?xq=water&xdim=gender"
    with django_assert_max_num_queries(60) as small:
        staff_client.get(url)
    for a in answer_set(30, dataset["v1"], dataset["v2"]):
        surveys.submit_response(
            q.current_version(), a, channel="paper", round=dataset["r1"], language="ky"
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        staff_client.get(url)


def test_topics_page_measures_agreement_with_appeal_categories(staff_client, mun_a):
    from django.utils import timezone

    from jamaat.appeals.models import Appeal
    from jamaat.municipalities.models import LocalIssue

    LocalIssue.ensure_defaults(mun_a)
    water = LocalIssue.objects.get(municipality=mun_a, code="water")
    for i, text in enumerate(["Нет воды третий день", "Фонари не горят"]):
        Appeal.objects.create(municipality=mun_a, number=f"T-{i}", channel="paper", category=water,
                              text=text, applicant_name="A", registered_at=timezone.now(),
                              due_date=timezone.localdate())  # fmt: skip
    html = staff_client.get(f"/{mun_a.slug}/manage/analysis/topics/").content.decode()
    agreement = html.split('id="agreement">')[1].split("</p>")[0]
    assert "2" in agreement and "50%" in agreement

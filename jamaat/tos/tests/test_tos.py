import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from jamaat.conftest import PASSWORD
from jamaat.core.models import AuditEntry
from jamaat.municipalities.models import Village
from jamaat.plans import registry
from jamaat.plans.models import Evidence, Indicator
from jamaat.plans.services import set_targets
from jamaat.tos import figures, services
from jamaat.tos.models import TosBody, TosProject


def login(client, username):
    client.login(username=username, password=PASSWORD)
    client.cookies["django_language"] = "en"
    return client


def jpeg(w=2000, h=1500, name="photo.jpg"):
    buf = io.BytesIO()
    Image.new("RGB", (w, h), (20, 140, 60)).save(buf, "JPEG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


@pytest.fixture
def staff(client, people):
    return login(client, "staff_a")


@pytest.fixture
def body(mun_a):
    return make_body(mun_a)


def make_body(mun, name="Ынтымак көчөсү", **kw):
    body = TosBody.objects.create(
        municipality=mun,
        name_ky=name,
        leader_name=kw.pop("leader_name", "Токтосунов Мирлан"),
        leader_phone=kw.pop("leader_phone", "+996 700 11 22 33"),
        members_count=kw.pop("members_count", 25),
        **kw,
    )
    body.villages.set(Village.objects.filter(municipality=mun))
    return body


def make_project(body, status="planned", title="Арык тазалоо", finished_on=None, **kw):
    project = services.save_project(
        None,
        TosProject(
            municipality=body.municipality,
            tos=body,
            title_ky=title,
            local_budget_kgs=kw.pop("local_budget_kgs", Decimal("50000")),
            own_contribution_kgs=kw.pop("own_contribution_kgs", Decimal("12000")),
            **kw,
        ),
    )
    if status == "in_progress":
        services.take_step(None, project, status, {"started_on": date(2025, 4, 1)})
    elif status == "implemented":
        services.take_step(None, project, status, {"finished_on": finished_on or date(2025, 6, 15)})
    elif status == "cancelled":
        services.take_step(
            None, project, status, {"cancelled_on": date(2025, 3, 1), "cancel_reason": "Жок"}
        )
    project.refresh_from_db()
    return project


def project_data(body, **kw):
    data = {"action": "save", "tos": body.pk, "title_ky": "Көчө жарыгы", "title_ru": "",
            "description_ky": "Ынтымак көчөсүнө 12 чырак", "description_ru": "", "category": "",
            "local_budget_kgs": "80000", "own_contribution_kgs": "20000",
            "own_contribution_in_kind_ky": "Эмгек", "own_contribution_in_kind_ru": "",
            "planned_start": ""}  # fmt: skip
    data.update(kw)
    return data


def step(client, project, to_status, **data):
    prefix = {"in_progress": "s", "implemented": "i", "cancelled": "c"}[to_status]
    payload = {"step": to_status, **{f"{prefix}-{k}": v for k, v in data.items()}}
    return client.post(f"/karool/manage/tos/projects/{project.pk}/", payload)


# --- bodies -------------------------------------------------------------------------------------


def body_data(mun, **kw):
    data = {"name_ky": "Жаңы-Жол АКӨБ", "name_ru": "ТОС Жаны-Жол", "territory_ky": "",
            "territory_ru": "", "villages": [v.pk for v in Village.objects.filter(municipality=mun)],
            "leader_name": "Алиева Айгүл", "leader_phone": "+996 555 00 11 22",
            "members_count": "3", "members_list": "Алиева Айгүл\nМамытов Бакыт",
            "registered_on": "2024-05-12", "registration_number": "17", "is_active": "on"}  # fmt: skip
    data.update(kw)
    return data


def test_register_a_body(staff, mun_a):
    r = staff.post("/karool/manage/tos/new/", body_data(mun_a))
    assert r.status_code == 302
    body = TosBody.objects.get()
    assert body.name_ru == "ТОС Жаны-Жол" and body.villages.count() == 1
    assert AuditEntry.objects.filter(object_type="tosbody", action="create").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name_ky": "", "name_ru": ""}, "Give the name in Kyrgyz or in Russian."),
        ({"members_count": "1"}, "The list has 2 names but the number of members is 1."),
        ({"members_count": "-3"}, "Ensure this value is greater than or equal to 0."),
        ({"registered_on": "FUTURE"}, "The date cannot be in the future."),
        ({"leader_name": ""}, "This field is required."),
    ],
)
def test_body_bad_input(staff, mun_a, mun_b, data, message):
    data = dict(data)
    if data.get("registered_on") == "FUTURE":
        data["registered_on"] = (timezone.localdate() + timedelta(days=2)).isoformat()
    r = staff.post("/karool/manage/tos/new/", body_data(mun_a, **data))
    assert r.status_code == 200
    html = r.content.decode().replace("&#x27;", "'")
    assert message in html
    assert "Мамытов Бакыт" in html  # nothing typed is lost
    assert not TosBody.objects.exists()


def test_village_of_another_municipality_is_refused(staff, mun_a, mun_b):
    foreign = Village.objects.get(municipality=mun_b)
    r = staff.post("/karool/manage/tos/new/", body_data(mun_a, villages=[foreign.pk]))
    assert r.status_code == 200
    assert not TosBody.objects.exists()


# --- projects: lifecycle, evidence, bad input ---------------------------------------------------


def test_project_lifecycle_records_evidence_once(staff, client, mun_a, approved_plan_a, body):
    r = staff.post(f"/karool/manage/tos/{body.pk}/projects/new/",
                   project_data(body, photos=jpeg()))  # fmt: skip
    assert r.status_code == 302
    project = TosProject.objects.get()
    assert project.status == "planned" and project.photos.count() == 1
    photo = project.photos.get()
    assert photo.image.name.startswith(f"tos/{mun_a.pk}/") and photo.thumb_w == 480
    with Image.open(photo.image) as im:
        assert max(im.size) == 1600  # resized by check_upload

    assert step(staff, project, "in_progress", started_on="2025-05-02").status_code == 302
    assert step(staff, project, "implemented", finished_on="2025-08-20").status_code == 302
    project.refresh_from_db()
    assert project.status == "implemented" and project.finished_on == date(2025, 8, 20)
    ev = Evidence.objects.get(source=f"tos.project:{project.pk}")
    assert ev.occurrence.activity.code == "2.4" and ev.occurrence.key == "2025"
    assert ev.occurrence.status == "done"
    assert services.record_implementation(project.pk).pk == ev.pk  # idempotent

    # public page and the project's own page show it with the money and the photo
    client.logout()
    html = client.get("/karool/tos/").content.decode()
    assert "Ынтымак көчөсү" in html and "Көчө жарыгы" in html
    assert photo.thumb.url in html
    assert "+996 700 11 22 33" not in html  # the leader's phone is private unless allowed
    detail = client.get(f"/karool/tos/projects/{project.pk}/").content.decode()
    assert "20.08.2025" in detail and "Ынтымак көчөсүнө 12 чырак" in detail
    assert client.get(photo.image.url).status_code == 200  # public media under tos/


@pytest.mark.parametrize(
    ("status", "wanted"),
    [
        ("implemented", "in_progress"),
        ("implemented", "cancelled"),
        ("cancelled", "implemented"),
        ("in_progress", "in_progress"),
        ("planned", "planned"),
        ("planned", "bogus"),
    ],
)
def test_invalid_project_steps_are_refused(staff, mun_a, plan_a, body, status, wanted):
    project = make_project(body, status)
    before = (AuditEntry.objects.count(), Evidence.objects.count())
    r = staff.post(
        f"/karool/manage/tos/projects/{project.pk}/",
        {"step": wanted, "s-started_on": "2025-05-01", "i-finished_on": "2025-06-01",
         "c-cancelled_on": "2025-06-01", "c-cancel_reason": "x"},
    )  # fmt: skip
    assert r.status_code == 200
    assert "cannot become" in " ".join(str(m) for m in r.context["messages"])
    project.refresh_from_db()
    assert project.status == status
    assert (AuditEntry.objects.count(), Evidence.objects.count()) == before


def test_project_bad_input(staff, mun_a, plan_a, body):
    url = f"/karool/manage/tos/{body.pk}/projects/new/"
    r = staff.post(url, project_data(body, local_budget_kgs="-5"))
    assert "An amount cannot be negative." in r.content.decode()
    assert "Ынтымак көчөсүнө 12 чырак" in r.content.decode()
    r = staff.post(url, project_data(body, title_ky=""))
    assert "Give the project a title" in r.content.decode()
    r = staff.post(url, project_data(body, local_budget_kgs="сто"))
    assert "Enter a number." in r.content.decode()
    pdf = SimpleUploadedFile("scan.pdf", b"%PDF-1.4 x", "application/pdf")
    r = staff.post(url, project_data(body, photos=pdf))
    assert "Only photos are accepted here." in r.content.decode()
    assert not TosProject.objects.exists()

    project = make_project(body, "in_progress")
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    r = step(staff, project, "implemented", finished_on=future)
    assert "The date cannot be in the future." in r.content.decode()
    r = step(staff, project, "implemented", finished_on="2025-03-01")
    assert "cannot be implemented before it started (01.04.2025)" in r.content.decode()
    r = step(staff, project, "cancelled", cancelled_on="2025-05-01", cancel_reason="")
    assert "This field is required." in r.content.decode()
    project.refresh_from_db()
    assert project.status == "in_progress"


def test_photos_can_be_removed(staff, mun_a, plan_a, body):
    project = make_project(body)
    staff.post(f"/karool/manage/tos/projects/{project.pk}/", project_data(body, photos=jpeg()))
    photo = project.photos.get()
    r = staff.post(f"/karool/manage/tos/projects/{project.pk}/",
                   {"action": "delete_photo", "photo": photo.pk})  # fmt: skip
    assert r.status_code == 302
    assert not project.photos.exists()


def test_project_of_another_municipality_is_404(staff, mun_a, mun_b, plan_a):
    foreign = make_project(make_body(mun_b, "Токмок ТОС"))
    assert staff.get(f"/karool/manage/tos/projects/{foreign.pk}/").status_code == 404
    assert staff.get(f"/karool/tos/projects/{foreign.pk}/").status_code == 404
    body = make_body(mun_a)
    r = staff.post(f"/karool/manage/tos/{body.pk}/projects/new/",
                   project_data(body, tos=foreign.tos_id))  # fmt: skip
    assert r.status_code == 200
    assert not TosProject.objects.filter(municipality=mun_a).exists()


def test_public_page_hides_cancelled_projects_and_inactive_bodies(client, mun_a, plan_a, body):
    make_project(body, "planned", title="Пландалган")
    make_project(body, "in_progress", title="Жүрүүдө")
    make_project(body, "implemented", title="Бүткөн")
    cancelled = make_project(body, "cancelled", title="Жокко чыгарылган")
    hidden_body = make_body(mun_a, "Жабылган АКӨБ", is_active=False)
    hidden = make_project(hidden_body, "implemented", title="Жабылгандын долбоору")
    body.leader_phone_public = True
    body.save()
    html = client.get("/karool/tos/").content.decode()
    for title in ("Пландалган", "Жүрүүдө", "Бүткөн"):
        assert title in html
    for title in ("Жокко чыгарылган", "Жабылган АКӨБ", "Жабылгандын долбоору"):
        assert title not in html
    assert 'href="tel:+996 700 11 22 33"' in html
    assert client.get(f"/karool/tos/projects/{cancelled.pk}/").status_code == 404
    assert client.get(f"/karool/tos/projects/{hidden.pk}/").status_code == 404
    login(client, "deputy_a")
    r = client.get(f"/karool/tos/projects/{cancelled.pk}/")
    assert r.status_code == 200 and "not shown publicly" in r.content.decode()


# --- figure and dashboard -----------------------------------------------------------------------


def test_figure_counts_projects_implemented_in_the_year(mun_a, mun_b, plan_a):
    assert figures.projects_implemented(mun_a, 2025) is None  # nothing registered
    body = make_body(mun_a)
    assert figures.projects_implemented(mun_a, 2025) == 0
    make_project(body, "implemented", finished_on=date(2025, 3, 1))
    make_project(body, "implemented", finished_on=date(2025, 11, 30))
    make_project(body, "implemented", finished_on=date(2026, 1, 5))
    make_project(body, "in_progress")
    make_project(body, "cancelled")
    make_project(make_body(mun_b, "Б"), "implemented", finished_on=date(2025, 5, 5))
    assert figures.projects_implemented(mun_a, 2025) == 2
    assert figures.projects_implemented(mun_a, 2026) == 1
    assert registry.figure_for("2.4.tps_projects_implemented").compute(mun_a, 2025) == 2


def test_dashboard_shows_projects_against_the_target(client, mun_a, approved_plan_a, body):
    indicator = Indicator.objects.get(activity__plan=approved_plan_a, key=figures.INDICATOR_KEY)
    set_targets(None, indicator, {2025: 3})
    make_project(body, "implemented", finished_on=date(2025, 3, 1))
    make_project(body, "in_progress")
    login(client, "head_a")
    html = client.get("/karool/dashboard/?year=2025").content.decode()
    row = html.split('data-activity="2.4"')[1].split("</tbody>")[0]
    target = re.search(r'data-label="Target">([^<]*)<', row).group(1).strip()
    recorded = re.search(r"<strong>([^<]*)</strong>", row).group(1)
    assert (target, recorded) == ("3", "1")
    assert "counted by the date they were implemented" in row
    # the workplace is linked from the activity page
    html = client.get("/karool/plan/activities/2.4/").content.decode()
    assert 'href="/karool/manage/tos/"' in html


def test_staff_overview_shows_this_years_count_and_money(staff, mun_a, approved_plan_a, body):
    year = timezone.localdate().year
    make_project(body, "implemented", finished_on=timezone.localdate())
    make_project(body, "cancelled", local_budget_kgs=Decimal("999999"))
    html = staff.get("/karool/manage/tos/").content.decode()
    assert 'id="implemented">1<' in html
    assert 'id="target">30<' in html  # fill_all_targets
    money = html.split('id="money-h"')[1].split("</section>")[0]
    assert "50,000 KGS" in money and "12,000 KGS" in money  # the cancelled one is left out
    assert str(year) in html


# --- query counts do not grow with the data -----------------------------------------------------


def _fill(mun, n):
    for i in range(n):
        body = make_body(mun, f"АКӨБ {n}-{i}")
        for status in ("planned", "implemented", "cancelled"):
            project = make_project(body, status, title=f"Долбоор {i} {status}")
            services.add_photos(project, [_clean_jpeg()])


def _clean_jpeg():
    from jamaat.core.uploads import check_upload

    return check_upload(jpeg(640, 480), allow_pdf=False)


@pytest.mark.parametrize("url", ["/karool/tos/", "/karool/manage/tos/"])
def test_query_counts_do_not_grow_with_the_data(
    client, mun_a, plan_a, django_assert_max_num_queries, url
):
    login(client, "staff_a")
    _fill(mun_a, 2)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _fill(mun_a, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200

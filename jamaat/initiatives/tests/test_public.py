"""The public side: submission without an account, the list and its filters, tracking, the API."""

from decimal import Decimal

import pytest
from django.test import Client

from jamaat.core.models import AuditEntry
from jamaat.initiatives.models import Initiative, Status, StatusChange
from jamaat.initiatives.tests.conftest import PHONE, PHONE_RAW, make_initiative
from jamaat.municipalities.models import LocalIssue, Village


def submission(mun, **kw):
    data = {
        "language": "ky",
        "title": "Көчө жарыгын орнотуу",
        "description": "Ленин көчөсүндө түнкүсүн караңгы, балдар мектептен кеч келишет.",
        "village": str(mun.villages.first().pk),
        "category": "",
        "estimated_cost": "120 000",
        "submitter_name": "Токтогулова Айгүл",
        "phone": PHONE_RAW,
        "group_name": "Жаштар тобу",
        "consent": "on",
        "consent_lang": "en",
    }
    data.update(kw)
    return data


def test_resident_submits_without_account_and_follows_it(en, mun_a):
    lighting = LocalIssue.objects.get(municipality=mun_a, code="lighting")
    r = en.post("/karool/initiatives/new/", submission(mun_a, category=str(lighting.pk)))
    assert r.status_code == 302
    initiative = Initiative.objects.get()
    assert r["Location"] == f"/karool/initiatives/track/{initiative.tracking_code}/"
    assert initiative.channel == "online"
    assert initiative.phone == PHONE
    assert initiative.estimated_cost == Decimal("120000")
    assert initiative.status == Status.SUBMITTED
    assert initiative.language == "ky"
    assert "keeps my name and phone number" in initiative.consent_text
    assert initiative.consent_at is not None
    assert StatusChange.objects.get(initiative=initiative).to_status == "submitted"

    tracking = en.get(r["Location"]).content.decode()
    assert initiative.tracking_code in tracking
    assert "Your initiative is registered" in tracking
    # visible on the public list and page, without the phone or the (unpublished) name
    listing = en.get("/karool/initiatives/").content.decode()
    assert "Көчө жарыгын орнотуу" in listing
    page = en.get(f"/karool/initiatives/{initiative.pk}/").content.decode()
    assert "Ленин көчөсүндө" in page
    assert "Жаштар тобу" in page  # the group is public
    assert "Токтогулова" not in page
    assert "555" not in page.replace(initiative.tracking_code, "")
    assert initiative.tracking_code not in page  # the tracking code is the submitter's
    # the home page has the block
    home = en.get("/karool/").content.decode()
    assert "Көчө жарыгын орнотуу" in home
    assert 'href="/karool/initiatives/new/"' in home


def test_name_shown_only_with_consent(en, mun_a):
    en.post("/karool/initiatives/new/", submission(mun_a, publish_name="on", group_name=""))
    initiative = Initiative.objects.get()
    assert initiative.publish_name
    assert "Токтогулова Айгүл" in en.get(initiative.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"phone": "12345"}, "Enter a Kyrgyz mobile number"),
        ({"consent": ""}, "Tick the box to give your consent"),
        ({"title": ""}, "This field is required"),
        ({"village": ""}, "This field is required"),
        ({"estimated_cost": "көп"}, "Enter an amount in som"),
    ],
)
def test_bad_submission_says_why_and_keeps_everything(en, mun_a, changes, message):
    data = submission(mun_a, **changes)
    r = en.post("/karool/initiatives/new/", data)
    html = r.content.decode()
    assert r.status_code == 200
    assert message in html
    assert not Initiative.objects.exists()
    for field in ("title", "submitter_name", "group_name"):
        if data[field]:
            assert f'value="{data[field]}"' in html, field
    if data["description"]:
        assert data["description"] in html
    if changes.get("phone"):
        assert 'value="12345"' in html


def test_honeypot_creates_nothing(en, mun_a):
    r = en.post("/karool/initiatives/new/", submission(mun_a, website="http://spam.example"))
    assert r.status_code == 302
    assert not Initiative.objects.exists()


def test_rate_limit_per_ip(en, mun_a, settings):
    settings.INITIATIVES_SUBMIT_LIMIT = (2, 3600)
    for n in range(2):
        r = en.post("/karool/initiatives/new/", submission(mun_a, title=f"Демилге {n}"))
        assert r.status_code == 302
    r = en.post("/karool/initiatives/new/", submission(mun_a, title="Үчүнчү"))
    assert r.status_code == 429
    assert "Too many initiatives" in r.content.decode()
    assert 'value="Үчүнчү"' in r.content.decode()
    assert Initiative.objects.count() == 2
    # another connection is not affected
    other = Client(REMOTE_ADDR="10.0.0.9")
    other.cookies["django_language"] = "en"
    assert other.post("/karool/initiatives/new/", submission(mun_a)).status_code == 302


def test_filters_and_pagination(en, mun_a):
    second = Village.objects.create(municipality=mun_a, name_ky="Жаңы-Жол", name_ru="Жаны-Жол")
    water = LocalIssue.objects.get(municipality=mun_a, code="water")
    make_initiative(mun_a, title="Суу А", category=water, status=Status.IMPLEMENTED)
    make_initiative(mun_a, title="Жол Б", village=second, status=Status.SUPPORTED)
    make_initiative(mun_a, title="Жашыруун", is_public=False)
    for n in range(25):
        make_initiative(mun_a, title=f"Башка {n}")

    def titles(query):
        html = en.get(f"/karool/initiatives/{query}").content.decode()
        return html

    assert "Суу А" in titles("?status=implemented")
    assert "Жол Б" not in titles("?status=implemented")
    assert "Жол Б" in titles(f"?village={second.pk}")
    assert "Суу А" not in titles(f"?village={second.pk}")
    assert "Суу А" in titles("?category=water")
    assert "Жол Б" not in titles("?category=water")
    html = titles("")
    assert "Жашыруун" not in html
    assert "27 initiatives" in html
    assert 'href="?page=2"' in html
    page2 = titles("?page=2&status=submitted")
    assert "25 initiatives" in page2
    assert "status=submitted&amp;page=1" in page2 or "page=1&amp;status=submitted" in page2
    # unknown filter values are ignored, not errors
    assert en.get("/karool/initiatives/?status=nonsense&village=x").status_code == 200


def test_list_shows_badge_and_progress(en, mun_a):
    make_initiative(mun_a, title="Жүрүп жатат", status=Status.IN_PROGRESS, progress=40)
    html = en.get("/karool/initiatives/").content.decode()
    assert 'class="badge planned"' in html
    assert 'style="width:40%"' in html


def test_hidden_initiative_reachable_only_by_tracking_or_staff(en, client, mun_a, people):
    hidden = make_initiative(mun_a, title="Спам", is_public=False)
    assert en.get(hidden.get_absolute_url()).status_code == 404
    assert en.get(hidden.tracking_url()).status_code == 200
    client.force_login(people["deputy_a"])
    assert client.get(hidden.get_absolute_url()).status_code == 200


def test_track_lookup_by_code(en, mun_a, mun_b):
    initiative = make_initiative(mun_a)
    code = initiative.tracking_code.replace("-", " ").lower()
    r = en.get("/karool/initiatives/track/", {"code": code})
    assert r.status_code == 302 and r["Location"] == initiative.tracking_url()
    r = en.get("/karool/initiatives/track/", {"code": "ZZZZ-ZZZZ"})
    assert "No initiative of" in r.content.decode()
    assert 'value="ZZZZ-ZZZZ"' in r.content.decode()
    # a code of another municipality does not open here
    other = make_initiative(mun_b)
    assert en.get(f"/karool/initiatives/track/{other.tracking_code}/").status_code == 404


def test_other_language_added_by_staff(staff, en, mun_a, people):
    initiative = make_initiative(mun_a, title="Суу түтүгү")
    data = {
        "language": "ky", "title": "Суу түтүгү", "description": initiative.description,
        "title_other": "Водопровод", "description_other": "Заменить старые трубы.",
        "village": str(initiative.village_id), "category": "", "estimated_cost": "",
        "submitter_name": initiative.submitter_name, "phone": "0555123456", "group_name": "",
        "is_public": "on",
    }  # fmt: skip
    r = staff.post(f"/karool/manage/initiatives/{initiative.pk}/", data)
    assert r.status_code == 302
    initiative.refresh_from_db()
    assert initiative.title == "Суу түтүгү"  # the text as written is kept
    assert initiative.title_other == "Водопровод"
    entry = AuditEntry.objects.filter(object_type="initiative", action="update").get()
    assert entry.changes["title_other"] == ["", "Водопровод"]
    ru = Client()
    ru.cookies["django_language"] = "ru"
    assert "Водопровод" in ru.get(initiative.get_absolute_url()).content.decode()
    ky = Client()
    ky.cookies["django_language"] = "ky"
    assert "Водопровод" not in ky.get(initiative.get_absolute_url()).content.decode()


def test_staff_enter_a_paper_initiative(staff, mun_a, people):
    data = {
        "language": "ru", "title": "Ремонт моста", "description": "Мост через арык разрушен.",
        "village": str(mun_a.villages.first().pk), "category": "", "estimated_cost": "80000",
        "submitter_name": "Бакиров Эрмек", "phone": "+996 (0777) 11-22-33", "group_name": "",
        "received_on": "2026-01-15", "paper_consent": "on",
    }  # fmt: skip
    r = staff.post("/karool/manage/initiatives/new/", data)
    assert r.status_code == 302
    initiative = Initiative.objects.get()
    assert initiative.channel == "paper"
    assert initiative.phone == "+996777112233"
    assert initiative.created_by == people["staff_a"]
    assert initiative.received_on.isoformat() == "2026-01-15"
    first = StatusChange.objects.get(initiative=initiative)
    assert first.at.date().isoformat() == "2026-01-15"
    assert "15.01.2026" in staff.get(initiative.get_absolute_url()).content.decode()
    assert AuditEntry.objects.filter(object_type="initiative", action="create").exists()
    # without the signed consent nothing is stored, the typing is kept
    data.update(paper_consent="", title="Второй")
    r = staff.post("/karool/manage/initiatives/new/", data)
    assert r.status_code == 200
    assert "Without the signed consent" in r.content.decode()
    assert 'value="Второй"' in r.content.decode()
    assert Initiative.objects.count() == 1


# --- API -------------------------------------------------------------------------------------


def test_api_lists_public_fields_only(client, mun_a, mun_b):
    shown = make_initiative(
        mun_a, title="Парк", submitter_name="Сыдыкова Гүлнара", group_name="Аялдар кеңеши",
        estimated_cost=Decimal("90000"), status=Status.SUPPORTED, decision_kind="head",
        decision_number="15", decision_date="2026-03-01", support_paper=7,
    )  # fmt: skip
    named = make_initiative(
        mun_a, title="Мектеп", submitter_name="Асанов Нурлан", publish_name=True
    )
    make_initiative(mun_a, title="Жашыруун", is_public=False)
    make_initiative(mun_b, title="Токмоктун демилгеси")
    r = client.get("/api/v1/municipalities/karool/initiatives/")
    assert r.status_code == 200
    body = r.content.decode()
    data = r.json()
    assert {i["title_ky"] for i in data} == {"Парк", "Мектеп"}
    assert "+996" not in body and "555" not in body
    assert shown.tracking_code not in body and named.tracking_code not in body
    assert "Сыдыкова" not in body
    assert "consent" not in body
    park = next(i for i in data if i["title_ky"] == "Парк")
    assert park["submitted_by"] is None
    assert park["group_name"] == "Аялдар кеңеши"
    assert park["decision"] == {"kind": "head", "number": "15", "date": "2026-03-01"}
    assert park["support_paper"] == 7 and park["support_total"] == 7
    assert park["title_ru"] == ""
    assert park["received_on"] == shown.received_on.isoformat()
    assert park["history"][0]["to_status"] == "submitted"
    assert next(i for i in data if i["title_ky"] == "Мектеп")["submitted_by"] == "Асанов Нурлан"
    assert r["Cache-Control"] == "public, max-age=300"

    only = client.get("/api/v1/municipalities/karool/initiatives/?status=supported").json()
    assert [i["title_ky"] for i in only] == ["Парк"]
    bad = client.get("/api/v1/municipalities/karool/initiatives/?status=nope")
    assert bad.status_code == 400
    assert client.get("/api/v1/municipalities/nowhere/initiatives/").status_code == 404

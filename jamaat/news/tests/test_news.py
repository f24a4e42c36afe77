import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from jamaat.conftest import PASSWORD
from jamaat.municipalities.models import LocalIssue
from jamaat.news import services
from jamaat.news.models import Post
from jamaat.plans.models import Evidence


def jpeg(w=2400, h=1600, name="photo.jpg"):
    buf = io.BytesIO()
    Image.new("RGB", (w, h), (30, 120, 200)).save(buf, "JPEG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


@pytest.fixture
def staff(client, people):
    client.login(username="staff_a", password=PASSWORD)
    return client


def post_data(**kw):
    data = {
        "title_ky": "Суу түтүгү оңдолду",
        "body_ky": "Кара-Булак айылында **суу түтүгү** оңдолду.",
        "title_ru": "",
        "body_ru": "",
        "category": "",
        "publish_at": "",
        "action": "publish",
    }
    data.update(kw)
    return data


def test_default_local_issues_created_with_municipality(mun_a):
    codes = set(LocalIssue.objects.filter(municipality=mun_a).values_list("code", flat=True))
    assert {"water", "roads", "waste", "other"} <= codes
    assert LocalIssue.objects.get(municipality=mun_a, code="water").name_ru == (
        "Питьевая вода и канализация"
    )


def test_publish_in_kyrgyz_records_evidence_and_shows_publicly(
    staff, client, approved_plan_a, mun_a
):
    water = LocalIssue.objects.get(municipality=mun_a, code="water")
    r = staff.post(
        "/karool/manage/news/new/",
        post_data(category=water.pk, photos=jpeg()),
    )
    assert r.status_code == 302
    post = Post.objects.get()
    assert post.status == Post.Status.PUBLISHED
    ev = Evidence.objects.get(source=f"news.post:{post.pk}")
    assert ev.occurrence.activity.code == "1.1"
    assert ev.occurrence.status == "done"
    # Publishing again (an edit) does not record a second piece of evidence.
    staff.post(f"/karool/manage/news/{post.pk}/", post_data(category=water.pk))
    assert Evidence.objects.filter(source=f"news.post:{post.pk}").count() == 1

    client.logout()
    page = client.get(post.get_absolute_url(), HTTP_COOKIE="django_language=ky")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<strong>суу түтүгү</strong>" in html
    assert 'property="og:title" content="Суу түтүгү оңдолду"' in html
    assert 'loading="lazy"' not in html.split("<figure>")[1].split("</figure>")[0]  # first photo
    assert "srcset=" in html
    listing = client.get("/karool/news/?category=water").content.decode()
    assert "Суу түтүгү оңдолду" in listing
    assert "Суу түтүгү" not in client.get("/karool/news/?category=roads").content.decode()


def test_russian_reader_sees_kyrgyz_post_with_note(staff, client, plan_a):
    staff.post("/karool/manage/news/new/", post_data())
    post = Post.objects.get()
    client.logout()
    client.cookies["django_language"] = "ru"
    html = client.get(post.get_absolute_url()).content.decode()
    assert "Суу түтүгү оңдолду" in html
    assert 'lang="ky"' in html


def test_markdown_is_sanitized(staff, plan_a):
    body = (
        "Салам <script>alert(1)</script> [link](javascript:alert(1)) <img src=x onerror=alert(1)>"
    )
    staff.post("/karool/manage/news/new/", post_data(body_ky=body))
    html = Post.objects.get().body_html
    assert "<script" not in html and "javascript:" not in html and "onerror" not in html


def test_draft_is_not_public(staff, client, plan_a):
    staff.post("/karool/manage/news/new/", post_data(action="draft"))
    post = Post.objects.get()
    assert staff.get(post.get_absolute_url()).status_code == 200  # preview for staff
    client.logout()
    assert client.get(post.get_absolute_url()).status_code == 404
    assert "Суу түтүгү" not in client.get("/karool/news/").content.decode()


def test_scheduled_in_the_past_is_refused_and_nothing_is_lost(staff, plan_a):
    past = (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    r = staff.post("/karool/manage/news/new/", post_data(action="schedule", publish_at=past))
    assert r.status_code == 200
    html = r.content.decode()
    assert "already passed" in html or "өтүп кетти" in html or "прошло" in html
    assert "Кара-Булак айылында" in html  # the typed text is still there
    assert not Post.objects.exists()


def test_scheduled_post_appears_when_its_time_comes(staff, client, approved_plan_a):
    soon = (timezone.localtime() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    staff.post("/karool/manage/news/new/", post_data(action="schedule", publish_at=soon))
    post = Post.objects.get()
    assert post.status == Post.Status.SCHEDULED
    client.logout()
    assert client.get(post.get_absolute_url()).status_code == 404
    assert services.publish_due(timezone.now() + timedelta(hours=2)) == 1
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED
    assert Evidence.objects.filter(source=f"news.post:{post.pk}").exists()


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("virus.jpg", b"MZ\x90\x00not an image", "image/jpeg"), "virus.jpg"),
        (SimpleUploadedFile("scan.pdf", b"%PDF-1.4 ...", "application/pdf"), "scan.pdf"),
    ],
)
def test_bad_photo_gets_a_clear_message(staff, plan_a, upload, message):
    r = staff.post("/karool/manage/news/new/", post_data(photos=upload))
    assert r.status_code == 200
    assert message in r.content.decode() or "photo" in r.content.decode().lower()
    assert not Post.objects.exists()


def test_oversized_photo_refused(staff, plan_a, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    r = staff.post("/karool/manage/news/new/", post_data(photos=jpeg()))
    assert r.status_code == 200
    assert not Post.objects.exists()
    assert "photo.jpg" in r.content.decode()


def test_photos_are_resized_to_responsive_sizes(staff, plan_a):
    staff.post("/karool/manage/news/new/", post_data(photos=jpeg(3000, 2000)))
    photo = Post.objects.get().photos.get()
    assert photo.widths == [480, 960, 1600]
    with Image.open(photo.large) as im:
        assert im.size == (1600, 1067)


def test_atom_feed(staff, client, plan_a):
    staff.post("/karool/manage/news/new/", post_data())
    client.logout()
    r = client.get("/karool/news/feed/")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/atom+xml")
    assert "Суу түтүгү оңдолду" in r.content.decode()


def test_a_post_needs_a_title(staff, plan_a):
    r = staff.post("/karool/manage/news/new/", post_data(title_ky="", body_ky="текст"))
    assert r.status_code == 200
    assert not Post.objects.exists()


def test_other_municipality_staff_cannot_edit(client, people, plan_a):
    client.login(username="staff_b", password=PASSWORD)
    assert client.get("/karool/manage/news/new/").status_code == 403
    assert client.post("/karool/manage/news/new/", post_data()).status_code == 403
    assert not Post.objects.exists()


def test_categories_are_editable(staff, mun_a):
    qs = LocalIssue.objects.filter(municipality=mun_a)
    n = qs.count()
    data = {"form-TOTAL_FORMS": n + 1, "form-INITIAL_FORMS": n}
    for i, li in enumerate(qs):
        data.update({f"form-{i}-id": li.pk, f"form-{i}-name_ky": li.name_ky,
                     f"form-{i}-name_ru": li.name_ru, f"form-{i}-order": li.order,
                     f"form-{i}-is_active": "on" if li.code != "pastures" else ""})  # fmt: skip
    data.update({f"form-{n}-name_ky": "Ирригация", f"form-{n}-name_ru": "Ирригация",
                 f"form-{n}-order": 99, f"form-{n}-is_active": "on"})  # fmt: skip
    r = staff.post("/karool/manage/categories/", data)
    assert r.status_code == 302
    assert qs.filter(name_ru="Ирригация").exists()
    assert not qs.get(code="pastures").is_active


def test_posts_api_lists_published_posts_in_both_languages(staff, client, plan_a, mun_a):
    staff.post("/karool/manage/news/new/", post_data(title_ru="Водопровод отремонтирован"))
    staff.post("/karool/manage/news/new/", post_data(title_ky="Долбоор", action="draft"))
    client.logout()
    r = client.get("/api/v1/municipalities/karool/posts/")
    assert r.status_code == 200
    data = r.json()
    assert [p["title_ky"] for p in data] == ["Суу түтүгү оңдолду"]
    assert data[0]["title_ru"] == "Водопровод отремонтирован"
    assert data[0]["url"].endswith(f"/karool/news/{data[0]['id']}/")
    assert client.get("/api/v1/municipalities/nowhere/posts/").status_code == 404

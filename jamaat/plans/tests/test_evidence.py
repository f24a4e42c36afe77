"""Recording evidence through the occurrence page: files checked and cleaned, bad input refused."""

import io
import re
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from jamaat.plans.models import Evidence, EvidenceFile, IndicatorValue, Occurrence
from jamaat.plans.tests.conftest import occurrence

TEXT = "Сайтка 5 жаңылык жарыяланды, Facebook баракчасы жаңыланды"
MAKE = "JamaatTestCam"


def jpeg(size=(3000, 2000), orientation=None, name="photo.jpg") -> SimpleUploadedFile:
    image = Image.new("RGB", size, (200, 120, 40))
    for x in range(0, size[0], 50):  # some detail so it is not a trivial image
        image.putpixel((x, x % size[1]), (0, 0, 0))
    exif = Image.Exif()
    exif[0x010F] = MAKE  # Make
    exif[0x0131] = "Firmware 1.0"  # Software
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), quality=90)
    content = out.getvalue()
    assert MAKE.encode() in content
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def occ(plan_a, today):
    """1.1, February 2026: due 28.02.2026, overdue on the pinned today (10.03.2026)."""
    return occurrence(plan_a, "1.1", "2026-02")


def url(o: Occurrence) -> str:
    return f"/karool/schedule/{o.pk}/"


def post(client, o, files=None, **fields):
    data = {"e-outcome": "done", "e-happened_on": "2026-02-20", "e-text": "", "e-links": ""}
    data.update({f"e-{k}": v for k, v in fields.items()})
    if files is not None:
        data["e-files"] = files
    return client.post(url(o), data)


def nothing_saved(o: Occurrence, media_root) -> bool:
    o.refresh_from_db()
    stored = [p for p in Path(media_root).rglob("*") if p.is_file()]
    return (
        o.status == Occurrence.Status.PLANNED
        and o.closed_on is None
        and not Evidence.objects.exists()
        and not EvidenceFile.objects.exists()
        and not stored
    )


def page_text(response) -> str:
    return response.content.decode()


def dashboard_figures(client) -> tuple[str, str]:
    page = client.get("/karool/dashboard/").content.decode()
    goal = re.search(r'data-goal="1"[^>]*>(.*?)</p>', page, re.S).group(1)
    share = re.search(
        r'data-activity="1\.1".*?class="done-share"[^>]*>.*?(\d+/\d+)</td>', page, re.S
    )
    return " ".join(re.sub(r"<[^>]+>", "", goal).split()), share.group(1)


# ----------------------------------------------------------------------------- done, with files


def test_done_with_a_photo(occ, people, login, settings):
    client = login(people["staff_a"])
    assert dashboard_figures(client) == ("0% — 0 of 5 done", "0/2")

    response = post(client, occ, text=TEXT, files=[jpeg()])
    assert response.status_code == 302
    assert response["Location"] == url(occ)

    occ.refresh_from_db()
    assert occ.status == Occurrence.Status.DONE
    assert occ.closed_on == date(2026, 2, 20)
    evidence = Evidence.objects.get(occurrence=occ)
    assert evidence.text == TEXT
    assert evidence.recorded_by == people["staff_a"]
    ef = evidence.files.get()
    assert ef.municipality == occ.municipality
    assert ef.original_name == "photo.jpg"
    assert ef.content_type == "image/jpeg"
    stored = ef.file.open("rb").read()
    assert ef.size == len(stored)
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG"
    assert image.size == (1600, 1067)
    assert not image.getexif()
    assert MAKE.encode() not in stored
    assert str(Path(settings.MEDIA_ROOT)) in ef.file.path

    page = page_text(client.get(url(occ)))
    assert TEXT in page
    assert f"?file={ef.pk}" in page
    assert dashboard_figures(client) == ("20% — 1 of 5 done", "1/2")


def test_a_portrait_photo_is_turned_upright(occ, people, login):
    client = login(people["staff_a"])
    post(client, occ, text=TEXT, files=[jpeg(orientation=6)])  # camera held sideways
    stored = EvidenceFile.objects.get().file.open("rb").read()
    assert Image.open(io.BytesIO(stored)).size == (1067, 1600)


def test_a_small_png_is_kept_small_and_stored_as_jpeg(occ, people, login):
    image = Image.new("RGBA", (640, 480), (10, 200, 30, 128))
    out = io.BytesIO()
    image.save(out, "PNG")
    client = login(people["staff_a"])
    post(client, occ, text=TEXT, files=[SimpleUploadedFile("скан.png", out.getvalue())])
    ef = EvidenceFile.objects.get()
    assert ef.content_type == "image/jpeg"
    assert ef.original_name.endswith(".jpg")
    stored = Image.open(ef.file.open("rb"))
    assert (stored.format, stored.size) == ("JPEG", (640, 480))


def test_a_pdf_scan_is_accepted(occ, people, login):
    client = login(people["staff_a"])
    response = post(client, occ, files=[SimpleUploadedFile("protokol.pdf", PDF, "application/pdf")])
    assert response.status_code == 302
    ef = EvidenceFile.objects.get()
    assert ef.content_type == "application/pdf"
    assert ef.original_name == "protokol.pdf"
    assert ef.file.open("rb").read() == PDF
    occ.refresh_from_db()
    assert occ.status == Occurrence.Status.DONE


def test_links_are_saved_and_a_bad_link_is_named(occ, people, login, settings):
    client = login(people["staff_a"])
    response = post(client, occ, text=TEXT, links="https://karool.kg/news/12\nkarool news")
    assert response.status_code == 200
    assert "“karool news” is not a web address" in page_text(response)
    assert nothing_saved(occ, settings.MEDIA_ROOT)
    response = post(client, occ, links="https://karool.kg/news/12\n\nhttps://fb.com/karool")
    assert response.status_code == 302
    assert Evidence.objects.get().links == ["https://karool.kg/news/12", "https://fb.com/karool"]


def test_done_needs_some_description(occ, people, login, settings):
    response = post(login(people["staff_a"]), occ)
    assert response.status_code == 200
    assert "Describe what was done" in page_text(response)
    assert nothing_saved(occ, settings.MEDIA_ROOT)


def test_an_indicator_figure_is_recorded_with_the_evidence(occ, people, login):
    ind = occ.activity.indicators.get(key="1.1.population_informed")
    client = login(people["staff_a"])
    response = post(client, occ, text=TEXT, **{f"value_{ind.pk}": "42.5"})
    assert response.status_code == 302
    value = IndicatorValue.objects.get()
    assert (value.indicator, value.year, str(value.value)) == (ind, 2026, "42.50")
    assert value.evidence == Evidence.objects.get()


# ------------------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 2000),
        SimpleUploadedFile("notes.jpg", "Бул сүрөт эмес, жөн эле текст.".encode() * 20),
        SimpleUploadedFile("fake.pdf.jpg", b"\xff\xd8\xff\xe0 truncated jpeg"),
    ],
    ids=["exe", "text-renamed-jpg", "broken-jpeg"],
)
def test_a_wrong_file_type_is_refused_by_name(occ, people, login, settings, upload):
    client = login(people["staff_a"])
    response = post(client, occ, text=TEXT, files=[upload])
    assert response.status_code == 200
    page = page_text(response)
    assert f"“{upload.name}” is not a photo (JPEG, PNG, WebP) or a PDF." in page
    assert "nothing was saved" in page
    assert TEXT in page  # what was typed is still there
    assert nothing_saved(occ, settings.MEDIA_ROOT)


def test_one_bad_file_among_good_ones_saves_nothing(occ, people, login, settings):
    client = login(people["staff_a"])
    bad = SimpleUploadedFile("virus.jpg", b"#!/bin/sh\nrm -rf /\n")
    response = post(client, occ, text=TEXT, files=[jpeg(size=(800, 600)), bad])
    assert response.status_code == 200
    assert "“virus.jpg”" in page_text(response)
    assert nothing_saved(occ, settings.MEDIA_ROOT)


def test_a_50_mb_upload_is_refused_with_the_limit(occ, people, login, settings):
    big = SimpleUploadedFile("video.jpg", b"\xff\xd8\xff" + b"\x00" * (50 * 1024 * 1024))
    client = login(people["staff_a"])
    response = post(client, occ, text=TEXT, files=[big])
    assert response.status_code == 200
    page = page_text(response)
    assert re.search(r"“video\.jpg” is 50\.0\sMB; the largest file accepted is 10\.0\sMB\.", page)
    assert TEXT in page
    assert nothing_saved(occ, settings.MEDIA_ROOT)


@pytest.mark.parametrize("day", ["2024-12-31", "2029-04-01"])
def test_a_date_outside_the_plan_period_is_refused(occ, people, login, settings, day):
    response = post(login(people["staff_a"]), occ, text=TEXT, happened_on=day)
    assert response.status_code == 200
    page = page_text(response)
    assert "The date must fall within the plan period (01.01.2025 – 31.03.2029)." in page
    assert nothing_saved(occ, settings.MEDIA_ROOT)


def test_a_future_date_is_refused(occ, people, login, settings, today):
    response = post(login(people["staff_a"]), occ, text=TEXT, happened_on="2026-03-11")
    assert "The date cannot be in the future." in page_text(response)
    assert nothing_saved(occ, settings.MEDIA_ROOT)


def test_not_done_without_a_reason_is_refused(occ, people, login, settings):
    response = post(login(people["staff_a"]), occ, outcome="not_done", reason="  ")
    assert response.status_code == 200
    assert "Say why it was not done." in page_text(response)
    assert nothing_saved(occ, settings.MEDIA_ROOT)


def test_not_done_with_a_reason(occ, people, login):
    client = login(people["staff_a"])
    reason = "Интернет февраль бою иштеген жок"
    response = post(client, occ, outcome="not_done", reason=reason)
    assert response.status_code == 302
    occ.refresh_from_db()
    assert occ.status == Occurrence.Status.NOT_DONE
    assert occ.closed_on == date(2026, 2, 20)
    evidence = Evidence.objects.get()
    assert (evidence.outcome, evidence.reason) == ("not_done", reason)
    page = page_text(client.get(url(occ)))
    assert reason in page
    # it no longer counts as overdue
    assert not Occurrence.objects.filter(pk=occ.pk).overdue().exists()


# ------------------------------------------------------------------------------ who may record


def test_a_deputy_can_view_but_not_record(occ, people, login, settings):
    client = login(people["deputy_a"])
    response = client.get(url(occ))
    assert response.status_code == 200
    assert 'name="e-outcome"' not in page_text(response)
    assert post(client, occ, text=TEXT).status_code == 403
    assert nothing_saved(occ, settings.MEDIA_ROOT)


@pytest.mark.parametrize("who", ["agency", "staff_b", "outsider"])
def test_others_cannot_record(occ, people, login, settings, who):
    assert post(login(people[who]), occ, text=TEXT).status_code == 403
    assert nothing_saved(occ, settings.MEDIA_ROOT)


def test_the_council_chair_can_record(occ, people, login):
    client = login(people["council_chair_a"])
    assert 'name="e-outcome"' in page_text(client.get(url(occ)))
    assert post(client, occ, text=TEXT).status_code == 302


def test_anonymous_is_sent_to_login(occ, login):
    response = login().get(url(occ))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# ------------------------------------------------------------------------------- the files


@pytest.fixture
def stored_photo(occ, people, login):
    post(login(people["staff_a"]), occ, text=TEXT, files=[jpeg(size=(1200, 900))])
    return EvidenceFile.objects.get()


@pytest.mark.parametrize("who", ["staff_a", "deputy_a", "head_a", "agency"])
def test_the_file_downloads_for_internal_users(occ, stored_photo, people, login, who):
    response = login(people[who]).get(f"{url(occ)}?file={stored_photo.pk}")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == stored_photo.file.open("rb").read()


def test_the_file_is_not_for_anonymous_visitors(occ, stored_photo, login):
    response = login().get(f"{url(occ)}?file={stored_photo.pk}")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["staff_b", "head_b", "outsider"])
def test_the_file_is_not_for_other_municipalities(occ, stored_photo, people, login, who):
    response = login(people[who]).get(f"{url(occ)}?file={stored_photo.pk}")
    assert response.status_code == 403


def test_the_file_cannot_be_reached_through_another_municipalitys_address(
    occ, stored_photo, people, login, plan_b
):
    client = login(people["staff_b"])
    assert client.get(f"/tokmok/schedule/{occ.pk}/?file={stored_photo.pk}").status_code == 404
    other = Occurrence.objects.filter(activity__plan=plan_b).first()
    assert client.get(f"/tokmok/schedule/{other.pk}/?file={stored_photo.pk}").status_code == 404


def test_a_malformed_file_id_is_not_found(occ, stored_photo, people, login):
    client = login(people["staff_a"])
    client.raise_request_exception = False
    assert client.get(f"{url(occ)}?file=abc").status_code == 404


def test_a_file_of_another_occurrence_is_not_found(occ, stored_photo, people, login, plan_a):
    other = occurrence(plan_a, "1.1", "2026-01")
    response = login(people["staff_a"]).get(f"{url(other)}?file={stored_photo.pk}")
    assert response.status_code == 404


@pytest.mark.parametrize("who", [None, "staff_a", "admin"])
def test_evidence_files_are_not_served_as_media(stored_photo, people, login, who):
    assert Path(stored_photo.file.path).is_file()
    assert stored_photo.file.name.startswith("evidence/")
    client = login(people[who] if who else None)
    assert client.get(f"/media/{stored_photo.file.name}").status_code == 404


@pytest.mark.parametrize(
    "prefix", ["/media//", "/media/./", "/media/%2e/", "/media/x/../", "/media/EVIDENCE/../"]
)
def test_evidence_files_are_not_served_by_a_disguised_path(stored_photo, login, prefix):
    assert login().get(f"{prefix}{stored_photo.file.name}").status_code == 404

"""Real Chromium, driven by Playwright, against the live server: staff announce a public
hearing, record its attendance after it took place, write the protocol and download the DOCX.

Uses Debian's Chromium (/usr/bin/chromium); skipped without it unless JAMAAT_REQUIRE_BROWSER=1.
Selectors avoid UI text, so the test holds in every language (the browser is Kyrgyz).
"""


# Playwright's sync API runs an event loop in this thread; Django would refuse DB access in it.

from datetime import timedelta

import pytest
from django.utils import timezone
from docx import Document

from jamaat.conftest import PASSWORD
from jamaat.meetings.models import Meeting
from jamaat.messaging import services as messaging
from jamaat.messaging.models import OutboxMessage

PHONE = {"width": 360, "height": 740}
TIMEOUT_MS = 15_000

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=PHONE, locale="ky-KG", accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def submit(page):
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def no_page_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_staff_announce_record_attendance_write_protocol_and_download_docx(
    page, live_server, people, approved_plan_a, tmp_path
):
    mun = approved_plan_a.municipality
    slug, base = mun.slug, live_server.url
    messaging.subscribe(mun, "telegram", "1234567", "ky", "Макулмун", None)

    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", people["staff_a"].username)
    page.fill("#id_password", PASSWORD)
    submit(page)

    # A new public hearing, 14 days ahead.
    page.goto(f"{base}/{slug}/manage/meetings/new/")
    day = (timezone.localdate() + timedelta(days=14)).isoformat()
    page.check("input[name=kind][value=hearing]")
    page.fill("#id_title_ky", "Бюджет боюнча коомдук угуу")
    page.fill("#id_title_ru", "Слушания по бюджету")
    page.fill("#id_date", day)
    page.fill("#id_time", "10:00")
    page.fill("#id_place_ky", "Маданият үйү")
    page.fill("#id_agenda-0-text_ky", "2027-жылдын бюджети")
    assert no_page_scroll(page)
    submit(page)
    meeting = Meeting.objects.get(municipality=mun)
    assert page.url.endswith(f"/{slug}/manage/meetings/{meeting.pk}/")
    assert "draft" in page.locator("#status").get_attribute("class").split()

    # Announce: published and queued to the subscriber.
    with page.expect_navigation():
        page.locator(f'a[href="/{slug}/manage/meetings/{meeting.pk}/announce/"]').click()
    submit(page)
    assert page.locator(".msg.success").is_visible()
    assert "planned" in page.locator("#status").get_attribute("class").split()
    assert OutboxMessage.objects.filter(source=f"meeting:{meeting.pk}:announce").count() == 1

    # Two weeks later: the hearing took place.
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(hours=3))
    page.reload()
    with page.expect_navigation():
        page.locator(f'a[href="/{slug}/manage/meetings/{meeting.pk}/attendance/"]').click()
    page.fill("#id_attendance_total", "17001")  # above the population: refused, kept
    page.fill("#id_women", "70")
    submit(page)
    assert page.locator("#id_attendance_total").get_attribute("aria-invalid") == "true"
    assert page.locator("#id_women").input_value() == "70"
    page.fill("#id_attendance_total", "120")
    page.fill("#id_men", "50")
    submit(page)
    assert "done" in page.locator("#status").get_attribute("class").split()
    assert page.locator("#attendance").inner_text().strip() == "120"

    # The protocol.
    with page.expect_navigation():
        page.locator(f'a[href="/{slug}/manage/meetings/{meeting.pk}/protocol/"]').click()
    page.fill("#id_chair", "Токтогулов Бакыт")
    page.fill("#id_secretary", "Осмонова Айгүл")
    page.fill("#id_speakers-0-name", "Асанова Гүлнара")
    page.fill("#id_decisions-0-text_ky", "Бюджеттин долбоорун колдоого")
    page.fill("#id_decisions-0-votes_for", "100")
    page.fill("#id_decisions-0-votes_against", "15")
    page.fill("#id_decisions-0-votes_abstained", "5")
    assert no_page_scroll(page)
    submit(page)
    assert page.locator(".msg.success").is_visible()

    with page.expect_download() as info:
        page.locator("#protocol-ky-docx").click()
    path = tmp_path / "protocol.docx"
    info.value.save_as(path)
    text = "\n".join(p.text for p in Document(path).paragraphs)
    assert "Бардыгы: 120 адам" in text
    assert "Бюджеттин долбоорун колдоого" in text
    assert "Добуш берүү: «макул» — 100, «каршы» — 15, «калыс» — 5." in text

    # Residents see the held hearing with its protocol.
    page.goto(f"{base}/{slug}/meetings/{meeting.pk}/")
    assert page.locator("#attendance").inner_text().strip().startswith("120")
    assert page.locator(f'a[href="/{slug}/meetings/{meeting.pk}/protocol-ky.pdf"]').count() == 1
    assert no_page_scroll(page)

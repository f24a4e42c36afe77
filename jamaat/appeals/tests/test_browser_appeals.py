"""Real Chromium at phone width, JavaScript off: a resident files an appeal (first without
contacts, refused with nothing lost), gets the number and code, and checks the status; staff
answer it and the resident reads the answer.

Uses Debian's Chromium (/usr/bin/chromium); skipped without it unless JAMAAT_REQUIRE_BROWSER=1.
"""

import os

import pytest

from jamaat.appeals import ratelimit, services
from jamaat.appeals.models import Appeal

PHONE = {"width": 360, "height": 740}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "Биздин көчөдө үч айдан бери жарык жок. Түнкүсүн балдар коркушат."


def no_page_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_resident_files_an_appeal_and_checks_its_status(browser, live_server, people):
    ratelimit.reset("127.0.0.1")
    base = live_server.url
    context = browser.new_context(viewport=PHONE, locale="ky-KG", java_script_enabled=False)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        assert page.goto(f"{base}/karool/").status == 200
        with page.expect_navigation():
            page.locator("a[href='/karool/appeals/new/']").first.click()
        assert no_page_scroll(page)
        page.check("input[name=kind][value=complaint]")
        page.select_option("#id_category", label="Көчө жарыгы")
        page.fill("#id_text", TEXT)
        page.fill("#id_applicant_name", "Гүлнара")
        page.check("#id_consent")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        # refused: no contacts; the message explains the law; nothing typed is lost
        assert Appeal.objects.count() == 0
        assert page.locator("#id_phone_error, .has-error").count() >= 1
        assert page.locator("[role=alert]").count() >= 1
        assert page.input_value("#id_text") == TEXT
        assert page.input_value("#id_applicant_name") == "Гүлнара"
        assert no_page_scroll(page)
        page.fill("#id_phone", "0555 12 34 56")
        if not page.is_checked("#id_consent"):
            page.check("#id_consent")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        appeal = Appeal.objects.get()
        assert page.url == f"{base}/karool/appeals/status/"
        assert page.locator(".appeal-number").inner_text() == appeal.number
        assert page.locator(".appeal-code").inner_text() == appeal.check_code
        assert appeal.text == TEXT and appeal.phone == "0555 12 34 56"

        services.answer(people["staff_a"], appeal, "Жарык ушул жумада орнотулат.")

        # later: checks with the number and code typed by hand
        page.goto(f"{base}/karool/appeals/status/")
        page.fill("#id_number", appeal.number)
        page.fill("#id_code", appeal.check_code.lower())
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        assert page.locator("#appeal-status.answered").count() == 1
        assert "Жарык ушул жумада орнотулат." in page.locator("main").inner_text()
        assert "0555" not in page.locator("main").inner_text()
        assert no_page_scroll(page)
        if os.environ.get("APPEALS_SHOT_DIR"):
            page.screenshot(path=f"{os.environ['APPEALS_SHOT_DIR']}/status.png", full_page=True)
    finally:
        context.close()

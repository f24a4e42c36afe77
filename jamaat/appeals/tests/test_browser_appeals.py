"""Real Chromium at phone width, JavaScript off: a resident files an appeal (first without
contacts, refused with nothing lost), gets the number and code, and checks the status; staff
answer it and the resident reads the answer. At 360 px in Russian the statistics tables and the
staff list's status chips fit their boxes.

Uses Debian's Chromium (/usr/bin/chromium); skipped without it unless JAMAAT_REQUIRE_BROWSER=1.
"""

import os

import pytest

from jamaat.appeals import ratelimit, services
from jamaat.appeals.models import Appeal
from jamaat.municipalities.models import LocalIssue

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
        # sent by POST: the secret code is in no URL (history, logs, Referer)
        assert page.url == f"{base}/karool/appeals/status/"
        assert page.locator("#appeal-status.answered").count() == 1
        assert "Жарык ушул жумада орнотулат." in page.locator("main").inner_text()
        assert "0555" not in page.locator("main").inner_text()
        assert no_page_scroll(page)
        if os.environ.get("APPEALS_SHOT_DIR"):
            page.screenshot(path=f"{os.environ['APPEALS_SHOT_DIR']}/status.png", full_page=True)
    finally:
        context.close()


def overflowing(page, selector) -> list:
    """Texts of the elements matching `selector` whose content is wider than their box."""
    return page.evaluate(
        "s => Array.from(document.querySelectorAll(s))"
        ".filter(e => e.scrollWidth > e.clientWidth).map(e => e.innerText)",
        selector,
    )


def test_statistics_and_status_chips_fit_a_phone_in_russian(browser, live_server, people):
    from django.conf import settings
    from django.test import Client

    municipality = people["staff_a"].memberships.get().municipality
    appeal = None
    for issue in LocalIssue.objects.filter(municipality=municipality):  # “градостроительство”
        appeal = services.register(
            municipality, channel=Appeal.Channel.PAPER, category=issue, text="Суу жок",
            applicant_name="Айгүл", phone="0555123456",
        )  # fmt: skip
    services.set_status(people["staff_a"], appeal, "unconsidered", "obscene")
    staff = Client()
    staff.force_login(people["staff_a"])
    base = live_server.url
    context = browser.new_context(viewport=PHONE, locale="ru-RU", java_script_enabled=False)
    context.set_default_timeout(15_000)
    context.add_cookies([
        {"name": "django_language", "value": "ru", "url": base},
        {"name": settings.SESSION_COOKIE_NAME, "url": base,
         "value": staff.cookies[settings.SESSION_COOKIE_NAME].value},
    ])  # fmt: skip
    page = context.new_page()
    try:
        assert page.goto(f"{base}/karool/appeals/stats/").status == 200
        assert page.locator("html[lang=ru]").count() == 1
        assert page.locator("table").count() == page.locator(".table-scroll > table").count() == 3
        assert no_page_scroll(page)
        assert overflowing(page, ".table-scroll") == []  # no header cut off behind a scroll
        assert page.goto(f"{base}/karool/manage/appeals/").status == 200
        assert "зарегистрировано" in page.locator("main ul.chips").inner_text()
        assert no_page_scroll(page)
        assert overflowing(page, "main ul.chips a") == []
        if os.environ.get("APPEALS_SHOT_DIR"):
            page.screenshot(path=f"{os.environ['APPEALS_SHOT_DIR']}/manage.png", full_page=True)
    finally:
        context.close()

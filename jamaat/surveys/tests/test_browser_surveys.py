"""Real Chromium at phone width with JavaScript disabled: a resident answers a questionnaire page
by page; a question appears only after the answer that its condition asks for; a missing
required answer is refused with the other answers kept; the review page; the answers are stored.

Uses Debian's Chromium (/usr/bin/chromium); skipped without it unless JAMAAT_REQUIRE_BROWSER=1.
Selectors use field names, not UI text (the browser is Kyrgyz).
"""

import pytest

from jamaat.surveys.models import Response
from jamaat.surveys.tests.factories import published

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_resident_answers_on_a_phone_without_javascript(
    browser, live_server, mun_a, people, tmp_path
):
    q = published(people["staff_a"], mun_a)
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 360, "height": 740}, locale="ky-KG"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/{mun_a.slug}/questionnaires/")
    page.click(f"a[href='/{mun_a.slug}/questionnaires/{q.pk}/']")
    assert page.locator("input[name=why]").count() == 0  # hidden until has_water = no
    # nothing chosen: the required answer is refused, in Kyrgyz, on the same page
    page.click("button[name=nav][value=next]")
    assert page.locator(".errorlist").count() == 1
    page.check("input[name=has_water][value=no]")
    page.click("button[name=nav][value=next]")
    # the condition now shows "why" on the same page, and "no" is still chosen
    assert page.locator("input[name=why]").count() >= 2
    assert page.is_checked("input[name=has_water][value=no]")
    page.check("input[name=why][value=other]")
    page.fill("input[name=why__other]", "Түтүк эски")
    page.click("button[name=nav][value=next]")
    # page 2: text in the number field is refused, the long text is kept
    page.fill("input[name=people]", "төрт")
    page.fill("textarea[name=note]", "Суу керек")
    page.click("button[name=nav][value=next]")
    assert page.locator(".errorlist").count() == 1
    assert page.input_value("textarea[name=note]") == "Суу керек"
    page.fill("input[name=people]", "4")
    page.check("input[name=needs][value=water]")
    page.click("button[name=nav][value=next]")
    assert "page=review" in page.url
    assert "Түтүк эски" in page.content()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the review page scrolls sideways at phone width ({width}px)"
    page.screenshot(path=str(tmp_path / "review-360.png"), full_page=True)
    page.click("button[name=nav][value=submit]")
    assert "/thanks/" in page.url
    r = Response.objects.get()
    assert dict(r.answers.filter(question_code__in=["has_water", "people"]).values_list(
        "question_code", "value")) == {"has_water": "no", "people": "4"}  # fmt: skip
    assert r.answers.get(question_code="why").value == "Түтүк эски"
    context.close()


def test_resident_confirms_by_phone_code_without_javascript(
    browser, live_server, mun_a, people, settings, tmp_path
):
    """A questionnaire that confirms by phone: the number on the review page, the code from the
    message, a wrong code first (answers kept), then the right one; the Enter key submits
    forwards on every page."""
    from django.core.cache import cache

    from jamaat.messaging.codes import MemoryCodeSender
    from jamaat.surveys.models import Questionnaire

    settings.PHONE_SMS_CODE_SENDER = "jamaat.messaging.codes.MemoryCodeSender"
    MemoryCodeSender.sent.clear()
    cache.clear()
    q = published(people["staff_a"], mun_a)
    Questionnaire.objects.filter(pk=q.pk).update(requires_phone=True)
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 360, "height": 740}, locale="ru-RU"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/{mun_a.slug}/questionnaires/{q.pk}/")
    page.check("input[name=has_water][value=yes]")
    page.click("button[name=nav][value=next]")
    page.fill("input[name=people]", "3")
    page.press("input[name=people]", "Enter")  # Enter goes forwards, not back
    assert "page=review" in page.url
    page.fill("input[name=phone]", "0555 12 34 56")
    page.press("input[name=phone]", "Enter")
    assert "page=confirm" in page.url
    assert "34 56" in page.content()
    code = MemoryCodeSender.sent[-1].code
    page.fill("input[name=code]", "000000" if code != "000000" else "111111")
    page.press("input[name=code]", "Enter")
    assert page.locator(".errorlist").count() == 1
    assert not Response.objects.exists()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the code page scrolls sideways at phone width ({width}px)"
    page.screenshot(path=str(tmp_path / "confirm-360.png"), full_page=True)
    page.fill("input[name=code]", code)
    page.click("button[name=nav][value=confirm]")
    assert "/thanks/" in page.url
    r = Response.objects.get()
    assert r.answers.get(question_code="people").value == "3"
    context.close()

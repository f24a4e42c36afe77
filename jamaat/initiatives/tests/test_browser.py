"""Real Chromium (Playwright): a resident submits an initiative at phone width and sees it on the
public site; then supports another one with a code. No account, no JavaScript needed.

Uses Debian's Chromium (/usr/bin/chromium); skipped without it unless JAMAAT_REQUIRE_BROWSER=1.
Selectors avoid UI text, so the test holds in every language.
"""

import pytest

from jamaat.initiatives.models import Initiative, Support
from jamaat.initiatives.tests.conftest import make_initiative
from jamaat.messaging.codes import MemoryCodeSender

PHONE = {"width": 360, "height": 740}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(viewport=PHONE, locale="ky-KG", is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def no_page_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def unlabelled_inputs(page) -> list[str]:
    return page.evaluate(
        """() => [...document.querySelectorAll('main input, main select, main textarea')]
        .filter(el => el.type !== 'hidden' && !el.closest('[aria-hidden=true]'))
        .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
        .map(el => el.name)"""
    )


def test_resident_submits_at_phone_width_and_sees_it_public(phone_page, live_server, mun_a):
    page, base = phone_page, live_server.url
    page.goto(f"{base}/karool/")
    with page.expect_navigation():
        page.locator('main a[href="/karool/initiatives/new/"]').first.click()
    assert no_page_scroll(page)
    assert unlabelled_inputs(page) == []

    form = page.locator("main form[method=post]")
    # first try without consent and with a bad phone: told why, nothing lost
    form.locator("input[name=language][value=ky]").check()
    form.locator("input[name=title]").fill("Мектепке чейинки жолго жарык")
    form.locator("textarea[name=description]").fill(
        "Балдар мектепке караңгыда барышат; 12 чырак керек. Жашоочулар жумуш менен жардам берет."
    )
    form.locator("select[name=village]").select_option(index=1)
    form.locator("input[name=estimated_cost]").fill("95 000")
    form.locator("input[name=submitter_name]").fill("Жээнбекова Гүлзат")
    form.locator("input[name=phone]").fill("555 12")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.locator("#id_phone[aria-invalid=true]").count() == 1
    assert page.locator("input[name=title]").input_value() == "Мектепке чейинки жолго жарык"
    assert page.locator("input[name=estimated_cost]").input_value() == "95 000"
    assert no_page_scroll(page)

    page.locator("input[name=phone]").fill("0555 12 34 56")
    page.locator("input[name=consent]").check()
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").click()

    initiative = Initiative.objects.get()
    assert page.url.endswith(initiative.tracking_url())
    assert initiative.tracking_code in page.locator("main").inner_text()
    assert no_page_scroll(page)

    # everyone sees it in the public list
    page.goto(f"{base}/karool/initiatives/")
    card = page.locator("li.initiative", has_text="Мектепке чейинки жолго жарык")
    assert card.count() == 1
    assert card.locator(".badge").count() == 1
    assert card.locator(".bar").count() == 1
    assert no_page_scroll(page)
    with page.expect_navigation():
        card.locator("h3 a").click()
    assert "Балдар мектепке" in page.locator("main").inner_text()
    assert "555" not in page.content()
    assert no_page_scroll(page)


def test_resident_supports_with_a_code_at_phone_width(phone_page, live_server, mun_a, settings):
    settings.PHONE_SMS_CODE_SENDER = "jamaat.messaging.codes.MemoryCodeSender"
    MemoryCodeSender.sent.clear()
    initiative = make_initiative(mun_a, title="Спорт аянтчасы")
    page = phone_page
    page.goto(f"{live_server.url}{initiative.get_absolute_url()}")
    assert unlabelled_inputs(page) == []
    support = page.locator("#support form")
    support.locator("input[name=phone]").fill("0700 12 34 56")
    support.locator("input[name=consent]").check()
    with page.expect_navigation():
        support.locator("button[type=submit]").click()
    code = MemoryCodeSender.sent[-1].code
    wrong = "000000" if code != "000000" else "111111"
    page.locator("input[name=code]").fill(wrong)
    with page.expect_navigation():
        page.locator("main form[method=post] button.primary").first.click()
    assert page.locator("#id_code[aria-invalid=true]").count() == 1
    page.locator("input[name=code]").fill(code)
    with page.expect_navigation():
        page.locator("main form[method=post] button.primary").first.click()
    assert page.url.endswith("#support")
    assert page.locator("#support .big").inner_text().strip() == "1"
    assert Support.objects.count() == 1
    assert no_page_scroll(page)

"""Real Chromium: a staff member enters 20 paper forms with the keyboard alone.

After logging in, only page.keyboard is used (type / Tab / Enter): the first question has the
focus, option numbers are typed, a "show if" question appears live when "No" (2) is typed, the
"Other" text box is in the Tab order only when the number of "Other" is typed, and Enter on the
last field saves the form and opens the next one with its number pre-filled. Further tests: wrong
numbers are flagged while typing, a notice once all the forms found are entered, and the staff
pages at 360 px.

Uses Debian's Chromium (/usr/bin/chromium); skipped without it unless JAMAAT_REQUIRE_BROWSER=1.
"""

import pytest

from jamaat.conftest import PASSWORD
from jamaat.paper.tests.factories import batch as make_batch
from jamaat.surveys.models import Answer, Response

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_enter_20_paper_forms_by_keyboard_alone(browser, live_server, people, mun_a):
    b = make_batch(mun_a, forms_found=20)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ky-KG")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", people["staff_a"].username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/{mun_a.slug}/manage/paper/{b.pk}/entry/")
    kb = page.keyboard

    for i in range(1, 21):
        # the new form is on screen with the cursor in its first question
        page.wait_for_function(
            "document.activeElement && document.activeElement.id === 'id_has_water'"
        )
        assert page.input_value("#id_serial") == str(i)
        no_water = i % 4 == 0
        kb.type("2" if no_water else "1")
        kb.press("Tab")  # typed at once: the page holds Tab until "why" is shown or hidden
        if no_water:  # the "why" question appeared live and is next in the Tab order
            assert page.evaluate("document.activeElement.id") == "id_why"
            kb.type("1")
            kb.press("Tab")
        assert page.evaluate("document.activeElement.id") == "id_rate"
        kb.type(str(i % 5 + 1))
        kb.press("Tab")
        kb.type(str(i % 7 + 1))  # people
        kb.press("Tab")
        if i % 5 == 0:  # needs: "Other" (4) typed, so Tab stops on its text box
            kb.type("2 4")
            kb.press("Tab")
            assert page.evaluate("document.activeElement.id") == "id_needs__other"
            kb.type(f"Мектеп {i}")
        else:  # "Other" not typed: its box is skipped
            kb.type("1 3" if i % 2 else "2")
        kb.press("Tab")
        assert page.evaluate("document.activeElement.id") == "id_note"
        kb.type(f"Сунуш {i}")
        with page.expect_navigation():
            kb.press("Enter")
    assert "20" in page.inner_text("#counter")
    context.close()

    responses = Response.objects.filter(channel="paper", batch_ref=str(b.pk))
    assert responses.count() == 20
    assert sorted(int(s) for s in responses.values_list("serial", flat=True)) == list(range(1, 21))
    assert Answer.objects.filter(question_code="why").count() == 5
    assert Answer.objects.filter(question_code="needs", option_code="light").count() == 8
    assert set(
        Answer.objects.filter(question_code="needs", option_code="other").values_list(
            "value", flat=True
        )
    ) == {f"Мектеп {i}" for i in (5, 10, 15, 20)}
    assert set(Answer.objects.filter(question_code="note").values_list("value", flat=True)) == {
        f"Сунуш {i}" for i in range(1, 21)
    }


def _login(browser, live_server, user, *, lang=None, **context):
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **context})
    context.set_default_timeout(15_000)
    if lang:  # the interface language, as the language switch keeps it
        context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_load_state()
    return context, page


def _active(page):
    return page.evaluate("document.activeElement.id")


def _error_of(page, field):
    """(aria-invalid, the text of the message tied to the field by aria-describedby)."""
    return page.evaluate(
        """id => { const el = document.getElementById(id);
        const ids = (el.getAttribute("aria-describedby") || "").split(/\\s+/).filter(Boolean);
        const errs = ids.map(i => document.getElementById(i)).filter(e => e && e.matches(".err"));
        return [el.getAttribute("aria-invalid"), errs.map(e => e.textContent).join(" ")]; }""",
        field,
    )


def test_wrong_numbers_flagged_while_typing_and_other_box_follows_the_answer(
    browser, live_server, people, mun_a
):
    b = make_batch(mun_a, forms_found=5)
    context, page = _login(browser, live_server, people["staff_a"], lang="en")
    page.goto(f"{live_server.url}/{mun_a.slug}/manage/paper/{b.pk}/entry/")
    page.wait_for_function("document.activeElement.id === 'id_has_water'")
    kb = page.keyboard

    kb.type("3")  # yes/no has 2 options: flagged at once, before saving
    assert _error_of(page, "id_has_water") == ["true", "Type a number from 1 to 2."]
    assert "id_has_water_helptext" in page.get_attribute("#id_has_water", "aria-describedby")
    kb.press("Backspace")
    kb.type("1")
    assert _error_of(page, "id_has_water") == [None, ""]
    assert page.locator("#id_has_water_error").count() == 0
    kb.press("Tab")
    assert _active(page) == "id_rate"
    kb.type("9")
    assert _error_of(page, "id_rate") == ["true", "Choose a rating from 1 to 5."]
    kb.press("Backspace")
    kb.type("4")
    assert _error_of(page, "id_rate")[0] is None
    kb.press("Tab")
    kb.type("5")  # people
    kb.press("Tab")
    assert _active(page) == "id_needs"
    kb.type("1 3")
    assert page.is_disabled("#id_needs__other")  # not in the Tab order, dimmed
    kb.press("Tab")
    assert _active(page) == "id_note"  # the next key goes to the next question
    kb.press("Shift+Tab")
    assert _active(page) == "id_needs"
    kb.press("End")  # Tab selects the whole value; type after it
    kb.type(" 5")  # 3 options and "Other" (4)
    assert _error_of(page, "id_needs") == ["true", "Type a number from 1 to 4."]
    assert page.is_disabled("#id_needs__other")
    kb.press("Backspace")
    kb.type("4")  # "Other" typed: its box opens and is next
    assert _error_of(page, "id_needs")[0] is None
    assert page.is_enabled("#id_needs__other")
    kb.press("Tab")
    assert _active(page) == "id_needs__other"
    kb.type("Мектеп")
    kb.press("Shift+Tab")
    kb.press("End")
    for _i in range(2):  # "1 3 4" → "1 3": the text stays visible and is flagged
        kb.press("Backspace")
    assert page.is_enabled("#id_needs__other")
    invalid, message = _error_of(page, "id_needs__other")
    assert invalid == "true" and message.startswith("Text after “Other” counts only with answer 4")
    kb.type(" 4")
    assert _error_of(page, "id_needs__other") == [None, ""]
    kb.press("Tab")
    kb.press("Tab")
    assert _active(page) == "id_note"
    with page.expect_navigation():
        kb.press("Enter")
    page.wait_for_function("document.activeElement.id === 'id_has_water'")
    assert page.input_value("#id_serial") == "2"
    assert set(
        Answer.objects.filter(question_code="needs").values_list("option_code", "value")
    ) == {("water", "water"), ("light", "light"), ("other", "Мектеп")}
    context.close()


def test_notice_once_all_forms_found_are_entered(browser, live_server, people, mun_a):
    b = make_batch(mun_a, forms_found=2)
    context, page = _login(browser, live_server, people["staff_a"], lang="en")
    page.goto(f"{live_server.url}/{mun_a.slug}/manage/paper/{b.pk}/entry/")
    kb = page.keyboard
    for i in (1, 2, 3):
        page.wait_for_function("document.activeElement.id === 'id_has_water'")
        assert page.input_value("#id_serial") == str(i)
        # the notice appears once the forms found are entered, and more may still be entered
        assert page.locator("#all-entered").count() == (1 if i > 2 else 0)
        kb.type("1")
        with page.expect_navigation():
            page.click("#entry button.primary")
        if i == 2:
            notice = page.locator("#all-entered")
            assert "All forms found in this batch are entered (2)." in notice.inner_text()
            link = notice.get_by_role("link")
            assert link.get_attribute("href") == f"/{mun_a.slug}/manage/paper/{b.pk}/"
    assert Response.objects.filter(batch_ref=str(b.pk)).count() == 3
    context.close()


def test_staff_pages_fit_a_360_px_phone(browser, live_server, people, mun_a):
    context, page = _login(
        browser, live_server, people["staff_a"], viewport={"width": 360, "height": 780}
    )
    fits = """() => [document.documentElement.scrollWidth <= innerWidth,
        [...document.querySelectorAll("main table, main p")].every(
            el => el.getBoundingClientRect().right <= innerWidth
                && el.scrollWidth <= el.clientWidth + 1)]"""
    page.goto(f"{live_server.url}/{mun_a.slug}/manage/paper/")  # no batches yet
    assert page.evaluate(fits) == [True, True]
    b = make_batch(mun_a)
    page.goto(f"{live_server.url}/{mun_a.slug}/manage/paper/{b.pk}/")  # no forms entered yet
    assert page.locator("#no-entries").is_visible()
    assert page.evaluate(fits) == [True, True]
    # the status button is styled like the other buttons, with a 44 px tap target
    change = page.locator("form.actions button")
    box = change.bounding_box()
    assert box["height"] >= 44 and "btn" in change.get_attribute("class")
    assert change.evaluate("el => getComputedStyle(el).borderRadius") != "0px"
    page.goto(f"{live_server.url}/{mun_a.slug}/manage/paper/")
    assert page.locator("#batches").is_visible()
    assert page.evaluate(fits) == [True, True]
    context.close()

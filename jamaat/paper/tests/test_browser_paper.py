"""Real Chromium: a staff member enters 20 paper forms with the keyboard alone.

After logging in, only page.keyboard is used (type / Tab / Enter): the first question has the
focus, option numbers are typed, a "show if" question appears live when "No" (2) is typed, and
Enter on the last field saves the form and opens the next one with its number pre-filled.

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
        kb.type("1 3" if i % 2 else "2")  # needs
        kb.press("Tab")  # "other" text of needs
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
    assert Answer.objects.filter(question_code="needs", option_code="light").count() == 10
    assert set(Answer.objects.filter(question_code="note").values_list("value", flat=True)) == {
        f"Сунуш {i}" for i in range(1, 21)
    }

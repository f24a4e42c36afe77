"""Real Chromium: staff compose the quarter's digest, edit it and send it; the outbox worker, run
here in the test process, delivers it to a fake Telegram server (channel post and subscriber).

Uses Debian's Chromium (/usr/bin/chromium); skipped without it unless JAMAAT_REQUIRE_BROWSER=1.
Selectors avoid UI text (the browser is Kyrgyz). The live server and this test share the database
(a transactional test database), so `deliver_due()` here sees what the server queued.
"""


# Playwright's sync API runs an event loop in this thread; Django would refuse DB access in it.

from datetime import timedelta

import pytest
from django.utils import timezone

from jamaat.conftest import PASSWORD
from jamaat.digests.models import Digest, quarter_of
from jamaat.digests.tests.conftest import make_post, subscriber
from jamaat.messaging import tasks
from jamaat.messaging.models import OutboxMessage

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page_at(browser):
    contexts = []

    def make(viewport=DESKTOP, **kw):
        context = browser.new_context(viewport=viewport, locale="ky-KG", **kw)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def log_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "/accounts/login/" not in page.url


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_staff_compose_and_send_a_digest_to_telegram(
    page_at, live_server, people, mun_a, tg_account, fake_telegram, viewport
):
    when = timezone.now() - timedelta(minutes=2)
    post = make_post(
        mun_a, "Суу түтүгү оңдолду", when, body_ky="Кара-Булакта суу түтүгү оңдолду.",
        title_ru="Водопровод отремонтирован", body_ru="В Кара-Булаке починили водопровод.",
    )  # fmt: skip
    subscriber(mun_a, "telegram", "1000001", "ky")
    year, quarter = quarter_of(timezone.localtime(when).date())
    base = live_server.url

    page = page_at(viewport)
    log_in(page, base, "staff_a")
    page.goto(f"{base}/karool/manage/digests/")
    page.select_option("form.new-digest select", f"{year}-{quarter}")
    with page.expect_navigation():
        page.locator("form.new-digest button[type=submit]").click()
    digest = Digest.objects.get(municipality=mun_a)
    assert page.url == f"{base}/karool/manage/digests/{digest.pk}/"

    # composed from the quarter's post, ticked; edit the Kyrgyz text; the count follows typing
    assert page.locator(f"input[name=posts][value='{post.pk}']").is_checked()
    text = page.input_value("#id_text_ky")
    assert "Суу түтүгү оңдолду" in text and f"/karool/news/{post.pk}/" in text
    page.locator("#id_text_ky").press("Control+End")
    page.keyboard.type("\n\nЖыйын 5-апрелде болот.")
    edited = page.input_value("#id_text_ky")
    assert page.locator("#count-ky .n").inner_text() == str(len(edited.strip()))
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )

    with page.expect_navigation():
        page.locator("#send").click()
    assert page.locator("#digest-status").get_attribute("data-status") == "sending"
    digest.refresh_from_db()
    assert digest.text_ky.endswith("Жыйын 5-апрелде болот.")
    assert fake_telegram.requests == []  # queued, not yet sent: the worker does that

    # the outbox worker, run here, delivers to the fake Telegram server
    assert tasks.deliver_due() == {"sent": 2}
    assert sorted(fake_telegram.recipients("sendMessage")) == ["1000001", "@karool_news"]
    by_chat = {r.recipient: r.body["text"] for r in fake_telegram.requests}
    assert by_chat["@karool_news"].startswith(digest.text_ky)
    assert "Водопровод отремонтирован" in by_chat["@karool_news"]  # both languages in the post
    assert by_chat["1000001"].startswith(digest.text_ky)
    assert "/karool/unsubscribe/" in by_chat["1000001"]

    # pressing Send again sends nothing twice
    page.reload()
    with page.expect_navigation():
        page.locator("#delivery button[name=action][value=send]").click()
    assert tasks.deliver_due() == {}
    assert len(fake_telegram.requests) == 2
    assert OutboxMessage.objects.filter(source=digest.source).count() == 2

    page.reload()
    assert page.locator("#digest-status").get_attribute("data-status") == "sent"
    assert page.locator("#delivery-totals [data-total=sent] strong").inner_text() == "2"
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )

"""Real Chromium: staff publish a post in Kyrgyz; an anonymous visitor at phone width, with
JavaScript disabled, finds it in the news list and reads it.

Uses Debian's Chromium (/usr/bin/chromium); skipped without it unless JAMAAT_REQUIRE_BROWSER=1.
Selectors avoid UI text (the browser is Kyrgyz).
"""


# Playwright's sync API runs an event loop in this thread; Django would refuse DB access in it.

import pytest

from jamaat.conftest import PASSWORD
from jamaat.news.models import Post
from jamaat.plans.models import Evidence

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Кара-Булак айылында суу түтүгү оңдолду"
BODY = (
    "Айыл өкмөтү **жаңы суу түтүгүн** орнотту. Эми суу күнү бою бар.\n\n"
    "- Узундугу: 2 км\n- Баасы: 1,2 млн сом"
)


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


def no_page_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_staff_publish_in_kyrgyz_and_a_phone_reads_it_without_javascript(
    page_at, live_server, people, approved_plan_a
):
    base = live_server.url
    staff = page_at(DESKTOP)
    staff.goto(f"{base}/accounts/login/")
    staff.fill("#id_username", people["staff_a"].username)
    staff.fill("#id_password", PASSWORD)
    with staff.expect_navigation():
        staff.locator("main form button[type=submit]").click()

    staff.goto(f"{base}/karool/manage/news/new/")
    staff.fill("#id_title_ky", TITLE)
    staff.fill("#id_body_ky", BODY)
    with staff.expect_navigation():
        staff.locator("button[name=action][value=publish]").click()
    post = Post.objects.get()
    assert staff.url == f"{base}/karool/manage/news/{post.pk}/"
    assert post.status == Post.Status.PUBLISHED and post.title_ky == TITLE and not post.title_ru
    assert Evidence.objects.filter(source=f"news.post:{post.pk}").exists()

    # an anonymous resident on a phone, JavaScript off
    phone = page_at(PHONE, java_script_enabled=False)
    response = phone.goto(f"{base}/karool/news/")
    assert response.status == 200
    assert phone.locator("html").get_attribute("lang") == "ky"
    assert no_page_scroll(phone)
    link = phone.locator(f".post-card h3 a[href='/karool/news/{post.pk}/']")
    assert link.inner_text() == TITLE
    with phone.expect_navigation():
        link.click()
    assert phone.url == f"{base}/karool/news/{post.pk}/"
    assert phone.locator("article.post h1").inner_text() == TITLE
    prose = phone.locator("article.post .prose")
    assert prose.locator("strong").inner_text() == "жаңы суу түтүгүн"
    assert prose.locator("li").all_inner_texts() == ["Узундугу: 2 км", "Баасы: 1,2 млн сом"]
    assert "**" not in prose.inner_text()
    assert no_page_scroll(phone)
    # readable at phone width: the text fits the screen and is not tiny
    box = prose.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    size = phone.evaluate("parseFloat(getComputedStyle(document.querySelector('.prose')).fontSize)")
    assert size >= 16
    # the article is marked as Kyrgyz (screen readers pronounce it so)
    assert phone.locator("article.post[lang=ky]").count() == 1

"""Composing the quarter's digest, editing it, recomposing, and the Telegram length limit."""

import re

import pytest

from jamaat.digests import compose, services
from jamaat.digests.models import Digest
from jamaat.digests.tests.conftest import local, make_post
from jamaat.messaging.models import ProviderAccount
from jamaat.news.models import Post


@pytest.fixture
def quarter_posts(mun_a, mun_b):
    mun_a.phone = "+996 3233 5 12 34"
    mun_a.email = "karool@example.kg"
    mun_a.address_ky = "Кароол айылы, Ленин көчөсү 1"
    mun_a.address_ru = "село Кароол, ул. Ленина 1"
    mun_a.save()
    return {
        "water": make_post(
            mun_a, "Суу түтүгү оңдолду", local(2026, 1, 15, 10),
            body_ky="Кара-Булак айылында **суу түтүгү** оңдолду. Эми суу күнү бою бар.",
            title_ru="Водопровод отремонтирован", body_ru="В селе Кара-Булак починили водопровод.",
        ),
        "roads": make_post(mun_a, "Жол салынды", local(2026, 3, 31, 23, 30), body_ky="Жаңы жол."),
        "ru_only": make_post(
            mun_a, "", local(2026, 2, 2, 9), title_ru="Сход граждан", body_ru="Сход в марте."
        ),
        "before": make_post(mun_a, "Мурунку чейрек", local(2025, 12, 31, 23, 59)),
        "after": make_post(mun_a, "Кийинки чейрек", local(2026, 4, 1, 0, 0)),
        "draft": make_post(mun_a, "Долбоор", local(2026, 2, 1), status=Post.Status.DRAFT),
        "other_town": make_post(mun_b, "Токмоктогу жаңылык", local(2026, 2, 1)),
    }  # fmt: skip


def test_compose_takes_the_quarters_published_posts_only(mun_a, quarter_posts, settings):
    digest, left_out = services.create(None, mun_a, 2026, 1)
    p = quarter_posts
    assert left_out == 0
    assert set(digest.posts.all()) == {p["water"], p["roads"], p["ru_only"]}
    ky, ru = digest.text_ky, digest.text_ru
    assert ky.startswith("Кароол — 2026-жылдын 1-кварталындагы жаңылыктар\n")
    assert ru.startswith("Кароол — новости за 1-й квартал 2026 года\n")
    assert digest.title_ky == "Кароол — 2026-жылдын 1-кварталындагы жаңылыктар"
    for key in ("water", "roads", "ru_only"):
        assert f"https://jamaat.test/karool/news/{p[key].pk}/" in ky
        assert f"https://jamaat.test/karool/news/{p[key].pk}/" in ru
    for key in ("before", "after", "draft", "other_town"):
        assert p[key].title_ky not in ky
        assert f"/news/{p[key].pk}/" not in ky + ru
    # oldest first; a one-line excerpt without Markdown; each language's own title
    assert ky.index("Суу түтүгү оңдолду") < ky.index("Сход граждан") < ky.index("Жол салынды")
    assert "Кара-Булак айылында суу түтүгү оңдолду." in ky
    assert "**" not in ky
    assert "Водопровод отремонтирован" in ru and "В селе Кара-Булак починили водопровод." in ru
    # a post in the other language only is shown with a note
    assert "• Сход граждан (орус тилинде)" in ky
    assert "• Жол салынды (на кыргызском языке)" in ru
    # the contacts close the text
    assert ky.rstrip().endswith("Эл. почта: karool@example.kg")
    assert "Байланыш:\nДареги: Кароол айылы, Ленин көчөсү 1\nТелефон: +996 3233 5 12 34" in ky
    assert "Контакты:\nАдрес: село Кароол, ул. Ленина 1" in ru
    assert "Бардык жаңылыктар: https://jamaat.test/karool/news/" in ky
    assert digest.composed["text_ky"] == ky and not digest.is_edited()


def test_a_quarter_without_news_says_so(mun_a):
    digest, _ = services.create(None, mun_a, 2025, 3)
    assert "Бул кварталда жаңылыктар жарыяланган жок." in digest.text_ky
    assert "В этом квартале новостей не публиковалось." in digest.text_ru


def test_too_many_posts_are_shortened_to_fit_telegram(mun_a):
    for i in range(60):
        make_post(mun_a, f"Жаңылык {i} " + "ж" * 80, local(2026, 2, 1, 8, i), body_ky="сөз " * 60)
    digest, left_out = services.create(None, mun_a, 2026, 1)
    limit = compose.subscriber_text_limit(mun_a)
    assert 4096 - 150 < limit < 4096
    assert len(digest.text_ky) <= limit and len(digest.text_ru) <= limit
    more = re.search(
        r"Дагы (\d+) жаңылык жана бардык жаңылыктар: https://jamaat.test/karool/news/$",
        digest.text_ky,
    )
    assert more and 0 < int(more[1]) <= left_out
    shown = digest.text_ky.count("• ")
    assert shown + int(more[1]) == 60
    assert "сөз сөз" not in digest.text_ky  # excerpts dropped before posts are


# --- through the page --------------------------------------------------------------------------


def form_data(digest, **kw):
    data = {
        "posts": [str(p.pk) for p in digest.posts.all()],
        "title_ky": digest.title_ky,
        "text_ky": digest.text_ky,
        "title_ru": digest.title_ru,
        "text_ru": digest.text_ru,
        "channel_language": digest.channel_language,
        "action": "save",
    }
    data.update(kw)
    return data


def test_staff_compose_edit_and_recompose_keeps_edits_until_confirmed(staff, mun_a, quarter_posts):
    digest, _ = services.create(None, mun_a, 2026, 1)
    url = f"/karool/manage/digests/{digest.pk}/"
    edited = digest.text_ky + "\n\nЖыйынга келгиле!"
    r = staff.post(url, form_data(digest, text_ky=edited))
    assert r.status_code == 302
    digest.refresh_from_db()
    assert digest.text_ky == edited and digest.is_edited()

    # untick one post and compose again: the edit is not clobbered without confirmation
    roads = quarter_posts["roads"]
    kept = [str(p.pk) for p in digest.posts.all() if p != roads]
    r = staff.post(url, form_data(digest, posts=kept, text_ky=edited + " Typed", action="compose"))
    assert r.status_code == 200
    body = r.content.decode()
    assert 'id="confirm-recompose"' in body
    assert "Жыйынга келгиле! Typed" in body  # what was typed is still in the form
    digest.refresh_from_db()
    assert digest.text_ky == edited
    assert roads in digest.posts.all()

    # confirmed: composed again from the ticked posts only
    r = staff.post(url, form_data(digest, posts=kept, action="compose_confirmed"))
    assert r.status_code == 302
    digest.refresh_from_db()
    assert "Жыйынга келгиле!" not in digest.text_ky
    assert roads.title_ky not in digest.text_ky
    assert roads not in digest.posts.all() and digest.posts.count() == 2
    assert not digest.is_edited()

    # not edited: compose again goes through at once
    r = staff.post(url, form_data(digest, posts=kept + [str(roads.pk)], action="compose"))
    assert r.status_code == 302
    digest.refresh_from_db()
    assert roads.title_ky in digest.text_ky


def test_over_long_text_is_refused_and_kept_in_the_form(staff, mun_a, quarter_posts):
    digest, _ = services.create(None, mun_a, 2026, 1)
    before = digest.text_ky
    limit = compose.subscriber_text_limit(mun_a)
    long_text = "Суу " * 1100  # 4400 characters
    for action in ("save", "send"):
        r = staff.post(
            f"/karool/manage/digests/{digest.pk}/",
            form_data(digest, text_ky=long_text, action=action),
        )
        assert r.status_code == 200
        body = r.content.decode()
        assert (
            f"Too long for Telegram: {len(long_text.strip())} characters, at most {limit}" in body
        )
        assert long_text.strip()[:200] in body  # nothing typed is lost
        assert f'<span class="n">{len(before)}</span>' in body  # the saved text's count
        digest.refresh_from_db()
        assert digest.text_ky == before and digest.status == Digest.Status.DRAFT


def test_both_languages_in_one_channel_post_must_fit(staff, mun_a):
    digest, _ = services.create(None, mun_a, 2026, 1)
    text = "а" * 2500
    data = form_data(digest, text_ky=text, text_ru=text)
    r = staff.post(f"/karool/manage/digests/{digest.pk}/", data)
    assert r.status_code == 302  # no Telegram channel: nothing to check
    ProviderAccount.objects.create(
        municipality=mun_a, provider="telegram", token="1:x", channel_chat_id="@karool_news"
    )
    r = staff.post(f"/karool/manage/digests/{digest.pk}/", data)
    assert r.status_code == 200
    assert "Both texts together are too long for one Telegram channel post" in r.content.decode()
    r = staff.post(f"/karool/manage/digests/{digest.pk}/", {**data, "channel_language": "ky"})
    assert r.status_code == 302
    digest.refresh_from_db()
    assert digest.channel_text() == text


def test_line_breaks_are_counted_once(staff, mun_a):
    digest, _ = services.create(None, mun_a, 2026, 1)
    r = staff.post(
        f"/karool/manage/digests/{digest.pk}/", form_data(digest, text_ky="Бир\r\nЭки\r\n")
    )
    assert r.status_code == 302
    digest.refresh_from_db()
    assert digest.text_ky == "Бир\nЭки"
    r = staff.get(f"/karool/manage/digests/{digest.pk}/")
    assert '<span class="n">7</span>' in r.content.decode()


def test_new_digest_for_an_existing_quarter_opens_it(staff, mun_a):
    from jamaat.digests.forms import recent_quarters

    year, quarter = recent_quarters()[1]
    r = staff.post("/karool/manage/digests/new/", {"period": f"{year}-{quarter}"})
    digest = Digest.objects.get(municipality=mun_a)
    assert r.status_code == 302 and r["Location"] == f"/karool/manage/digests/{digest.pk}/"
    r = staff.post("/karool/manage/digests/new/", {"period": f"{year}-{quarter}"})
    assert r["Location"] == f"/karool/manage/digests/{digest.pk}/"
    assert Digest.objects.count() == 1
    r = staff.post("/karool/manage/digests/new/", {"period": "1999-1"})
    assert r.status_code == 200 and Digest.objects.count() == 1

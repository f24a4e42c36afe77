"""The outbox and its worker, in this process, against the fake servers; the staff pages."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from jamaat.messaging import services, tasks
from jamaat.messaging.models import (
    Channel,
    ConsentEvent,
    DeliveryAttempt,
    OutboxMessage,
    ProviderAccount,
    Subscriber,
)

S = OutboxMessage.Status


def active(mun, channel, address, lang="ky"):
    return Subscriber.objects.create(
        municipality=mun,
        channel=channel,
        address=address,
        language=lang,
        status=Subscriber.Status.ACTIVE,
        consent_text="consent",
        consent_at=timezone.now(),
    )


def tg_messages(mun, n, source="digest:1"):
    return [
        services.enqueue(
            mun,
            "telegram",
            str(1000000 + i),
            f"Digest №{i}",
            key=f"{source}:chat:{i}",
            source=source,
        )
        for i in range(n)
    ]


def make_due(*msgs):
    OutboxMessage.objects.filter(pk__in=[m.pk for m in msgs]).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    tasks.reset_rate_limits()


# --- enqueueing ----------------------------------------------------------------------------


def test_enqueue_is_idempotent_on_the_key(mun_a):
    a = services.enqueue(
        mun_a, "telegram", "123456", "one", key="digest:12:chat:1", source="digest:12"
    )
    b = services.enqueue(
        mun_a, "telegram", "123456", "changed", key="digest:12:chat:1", source="digest:12"
    )
    assert a.pk == b.pk and b.body == "one"
    assert OutboxMessage.objects.count() == 1
    assert a.status == S.QUEUED and a.attempts == 0 and a.next_attempt_at


def test_enqueue_refuses_text_too_long_for_telegram(mun_a):
    with pytest.raises(ValidationError) as exc:
        services.enqueue(mun_a, "telegram", "123456", "x" * 5000, key="k", source="s")
    assert "too long" in exc.value.messages[0]
    assert not OutboxMessage.objects.exists()


def test_enqueue_to_subscribers(mun_a, mun_b):
    e = active(mun_a, "email", "a@example.kg", "ru")
    t = active(mun_a, "telegram", "1234567")
    w = active(mun_a, "whatsapp", "+996555123456")
    skipped = active(mun_a, "email", "skip@example.kg")
    pending = active(mun_a, "email", "p@example.kg")
    pending.status = Subscriber.Status.PENDING
    pending.save()
    gone = active(mun_a, "email", "gone@example.kg")
    gone.status = Subscriber.Status.UNSUBSCRIBED
    gone.save()
    active(mun_b, "email", "b@example.kg")  # another municipality's subscriber

    from django.utils.translation import get_language

    def render(sub):
        if sub.address == "skip@example.kg":
            return None
        return (f"Digest {get_language()}", f"Body in {get_language()}", {"template": "digest"})

    assert services.enqueue_to_subscribers(mun_a, "digest:12", render) == 3
    msgs = {m.subscriber_id: m for m in OutboxMessage.objects.all()}
    assert set(msgs) == {e.pk, t.pk, w.pk}
    assert skipped.pk not in msgs
    assert msgs[e.pk].idempotency_key == f"digest:12:subscriber:{e.pk}"
    assert msgs[e.pk].subject == "Digest ru" and msgs[e.pk].body.startswith("Body in ru")
    assert f"https://jamaat.test{e.unsubscribe_path()}" in msgs[e.pk].body
    assert f"https://jamaat.test{t.unsubscribe_path()}" in msgs[t.pk].body
    assert msgs[w.pk].body == "Body in ky"  # WhatsApp: the template carries the text
    assert msgs[w.pk].payload["unsubscribe_url"].endswith(w.unsubscribe_path())
    assert msgs[w.pk].payload["language"] == "ky" and msgs[w.pk].payload["template"] == "digest"
    assert (msgs[t.pk].provider, msgs[t.pk].recipient) == ("telegram", "1234567")
    # Enqueueing the same digest again adds nothing; a new subscriber gets theirs.
    assert services.enqueue_to_subscribers(mun_a, "digest:12", render) == 0
    late = active(mun_a, "telegram", "7654321")
    assert services.enqueue_to_subscribers(mun_a, "digest:12", render) == 1
    assert OutboxMessage.objects.filter(subscriber=late).count() == 1


def test_enqueue_starts_the_worker_after_commit(
    mun_a, tg_account, fake_telegram, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        msg = services.enqueue(mun_a, "telegram", "1234567", "Now", key="k:1", source="news:1")
    msg.refresh_from_db()
    assert msg.status == S.SENT and msg.provider_message_id == "1"
    assert fake_telegram.recipients() == ["1234567"]


def test_channel_post(mun_a, tg_account, fake_telegram):
    msg = services.enqueue_channel_post(mun_a, "digest:3", "Quarterly digest")
    assert services.enqueue_channel_post(mun_a, "digest:3", "again").pk == msg.pk
    tasks.deliver_due()
    msg.refresh_from_db()
    assert msg.status == S.SENT
    assert fake_telegram.recipients() == ["@karool_news"]


# --- the worker ----------------------------------------------------------------------------


def test_fifty_messages_are_delivered_exactly_once(mun_a, tg_account, fake_telegram):
    msgs = tg_messages(mun_a, 50)
    stats = tasks.deliver_due(batch_size=20)
    assert stats == {"sent": 50}
    assert sorted(fake_telegram.recipients("sendMessage")) == sorted(m.recipient for m in msgs)
    assert len(fake_telegram.requests) == 50
    assert OutboxMessage.objects.filter(status=S.SENT).count() == 50
    assert DeliveryAttempt.objects.filter(outcome="sent").count() == 50
    assert not DeliveryAttempt.objects.filter(finished_at__isnull=True).exists()
    assert tasks.deliver_due() == {}  # nothing is sent twice
    assert len(fake_telegram.requests) == 50
    m = OutboxMessage.objects.get(pk=msgs[0].pk)
    assert m.sent_at and m.provider_message_id and m.attempts == 1 and m.lease_until is None


def test_429_honours_retry_after_and_pauses_the_provider(mun_a, tg_account, fake_telegram):
    a, b, c = tg_messages(mun_a, 3)
    fake_telegram.push(("rate_limit", 5))
    before = timezone.now()
    stats = tasks.deliver_due()
    assert stats == {"retry": 1, "deferred": 2}
    assert len(fake_telegram.requests) == 1  # b and c were not sent into the rate limit
    a.refresh_from_db()
    assert a.status == S.QUEUED and a.attempts == 1 and a.error_kind == "rate_limited"
    wait = (a.next_attempt_at - before).total_seconds()
    assert 5 <= wait < 6.5
    attempt = a.log.get()
    assert (attempt.outcome, attempt.http_status) == ("retry", 429)
    b.refresh_from_db()
    assert b.status == S.QUEUED and b.attempts == 0 and b.next_attempt_at > before
    make_due(a, b, c)
    assert tasks.deliver_due() == {"sent": 3}
    assert sorted(fake_telegram.recipients()) == sorted([a.recipient, b.recipient, c.recipient])


def test_5xx_retries_with_backoff_then_fails(mun_a, tg_account, fake_telegram):
    [msg] = tg_messages(mun_a, 1)
    expected = [30, 120, 480, 1920, 7680]
    for n, delay in enumerate(expected, start=1):
        fake_telegram.push(("error", 502 if n % 2 else 500, "Bad Gateway"))
        before = timezone.now()
        assert tasks.deliver_due() == {"retry": 1}
        msg.refresh_from_db()
        assert msg.status == S.QUEUED and msg.attempts == n
        waited = (msg.next_attempt_at - before).total_seconds()
        assert delay * 0.9 - 1 <= waited <= delay * 1.1 + 1, (n, waited)
        make_due(msg)
    fake_telegram.push(("error", 500, "Internal Server Error"))
    assert tasks.deliver_due() == {"failed": 1}
    msg.refresh_from_db()
    assert msg.status == S.FAILED and msg.attempts == 6 and msg.next_attempt_at is None
    assert list(msg.log.values_list("outcome", flat=True)) == ["retry"] * 5 + ["failed"]
    assert msg.error_label == "The provider had an internal error."


def test_timeout_is_retried(mun_a, tg_account, fake_telegram, settings):
    settings.MESSAGING_HTTP_TIMEOUT = 0.5
    [msg] = tg_messages(mun_a, 1)
    fake_telegram.push(("hang", 2))
    assert tasks.deliver_due() == {"retry": 1}
    msg.refresh_from_db()
    assert msg.error_kind == "timeout"
    assert not fake_telegram.requests  # the fake never finished answering
    make_due(msg)
    assert tasks.deliver_due() == {"sent": 1}


def test_unreachable_provider_is_retried_with_a_clear_error(mun_a, tg_account, fake_telegram):
    [msg] = tg_messages(mun_a, 1)
    fake_telegram.stop()
    assert tasks.deliver_due() == {"retry": 1}
    msg.refresh_from_db()
    assert msg.status == S.QUEUED and msg.error_kind == "connection"
    assert msg.error_label == "The provider could not be reached."
    assert "127.0.0.1" in msg.last_error and tg_account.token not in msg.last_error


def test_blocked_telegram_user_fails_at_once_and_is_unsubscribed(mun_a, tg_account, fake_telegram):
    sub = active(mun_a, "telegram", "5550001")
    services.enqueue_to_subscribers(mun_a, "digest:1", lambda s: ("", "Digest", None))
    later = services.enqueue(
        mun_a, "telegram", sub.address, "later", key="news:2:x", source="news:2", subscriber=sub
    )
    OutboxMessage.objects.filter(pk=later.pk).update(
        next_attempt_at=timezone.now() + timedelta(hours=1)
    )
    fake_telegram.rules["5550001"] = ("error", 403, "Forbidden: bot was blocked by the user")
    assert tasks.deliver_due() == {"failed": 1}
    msg = OutboxMessage.objects.get(source="digest:1")
    assert msg.status == S.FAILED and msg.attempts == 1 and msg.error_kind == "blocked"
    sub.refresh_from_db()
    assert sub.status == "unsubscribed" and "blocked" in sub.note
    assert sub.consents.filter(kind=ConsentEvent.Kind.PROVIDER).exists()
    later.refresh_from_db()
    assert later.status == S.CANCELLED


def test_invalid_whatsapp_number_unsubscribes(mun_a, wa_account, fake_whatsapp):
    ok = active(mun_a, "whatsapp", "+996555123456", "ru")
    bad = active(mun_a, "whatsapp", "+996555000000")
    fake_whatsapp.rules[bad.address] = ("wa_error", 400, 131026, "Message undeliverable")
    services.enqueue_to_subscribers(mun_a, "digest:7", lambda s: ("", "Жаңылыктар", None))
    assert tasks.deliver_due() == {"sent": 1, "failed": 1}
    bad.refresh_from_db()
    ok.refresh_from_db()
    assert bad.status == "unsubscribed" and "131026" in bad.note
    assert ok.status == "active"
    [req] = [r for r in fake_whatsapp.requests if r.status == 200]
    assert req.body["to"] == "+996555123456"
    assert req.body["template"]["name"] == "jamaat_news"
    assert req.body["template"]["language"]["code"] == "ru"


def test_missing_account_fails_with_a_clear_reason(mun_a):
    msg = services.enqueue(mun_a, "whatsapp", "+996555123456", "x", key="k", source="s")
    assert tasks.deliver_due() == {"failed": 1}
    msg.refresh_from_db()
    assert msg.status == S.FAILED and msg.error_kind == "not_configured"
    assert msg.error_label == "No account is set up for this provider."


def test_unsubscribed_before_sending_is_cancelled(mun_a, tg_account, fake_telegram):
    sub = active(mun_a, "telegram", "1234567")
    services.enqueue_to_subscribers(mun_a, "digest:1", lambda s: ("", "Digest", None))
    msg = OutboxMessage.objects.get()
    tasks.claim(10, 60, "w1")  # claimed, then the resident unsubscribes
    services.unsubscribe(sub.unsubscribe_token)
    OutboxMessage.objects.filter(pk=msg.pk).update(
        lease_until=timezone.now() - timedelta(seconds=1)
    )
    assert tasks.deliver_due() == {"reclaimed": 1, "cancelled": 1}
    assert not fake_telegram.requests


def test_email_delivery_through_the_outbox(mun_a, mailoutbox):
    sub = active(mun_a, "email", "a@example.kg", "ru")
    services.enqueue_to_subscribers(mun_a, "digest:2", lambda s: ("Дайджест", "Текст", None))
    assert tasks.deliver_due() == {"sent": 1}
    [email] = mailoutbox
    assert email.subject == "Дайджест" and email.to == ["a@example.kg"]
    assert (
        email.extra_headers["List-Unsubscribe"] == f"<https://jamaat.test{sub.unsubscribe_path()}>"
    )
    assert email.from_email == "Кароол <noreply@jamaat.kg>"
    msg = OutboxMessage.objects.get()
    assert msg.provider_message_id == email.extra_headers["Message-ID"]


# --- claiming, leases and crashes ----------------------------------------------------------


def test_two_workers_never_claim_the_same_message(mun_a):
    tg_messages(mun_a, 5)
    a = tasks.claim(3, 60, "worker-a")
    b = tasks.claim(10, 60, "worker-b")
    assert len(a) == 3 and len(b) == 2
    assert not {m.pk for m in a} & {m.pk for m in b}
    assert tasks.claim(10, 60, "worker-c") == []
    assert set(OutboxMessage.objects.values_list("claimed_by", flat=True)) == {
        "worker-a",
        "worker-b",
    }


def test_a_run_whose_lease_was_taken_over_does_not_send(mun_a, tg_account, fake_telegram):
    tg_messages(mun_a, 1)
    old = tasks.Run(lease_seconds=60)
    [msg] = tasks.claim(1, 60, old.worker)
    # The lease runs out (the old run was stuck) and another run takes the message over.
    OutboxMessage.objects.filter(pk=msg.pk).update(
        lease_until=timezone.now() - timedelta(seconds=1)
    )
    assert tasks.reclaim_expired() == 1
    assert tasks.deliver_due() == {"sent": 1}
    assert old.deliver(msg) == "lost"  # the stuck run wakes up: nothing is sent again
    assert len(fake_telegram.requests) == 1


def test_an_interrupted_attempt_is_reclaimed_and_logged(mun_a, tg_account, fake_telegram):
    [msg] = tg_messages(mun_a, 1)
    # A worker claimed the message, opened its attempt, sent the request… and was killed.
    tasks.claim(1, 60, "dead-worker")
    OutboxMessage.objects.filter(pk=msg.pk).update(
        attempts=1, lease_until=timezone.now() - timedelta(seconds=1)
    )
    DeliveryAttempt.objects.create(
        message=msg, number=1, worker="dead-worker", started_at=timezone.now()
    )
    assert tasks.deliver_due() == {"reclaimed": 1, "sent": 1}
    msg.refresh_from_db()
    assert msg.status == S.SENT and msg.attempts == 2
    log = list(msg.log.order_by("number"))
    assert [(a.number, a.outcome) for a in log] == [(1, "interrupted"), (2, "sent")]
    assert log[0].finished_at and log[0].error_kind == "interrupted"


def test_a_live_lease_is_left_alone(mun_a, tg_account, fake_telegram):
    tg_messages(mun_a, 1)
    tasks.claim(1, 60, "busy-worker")
    assert tasks.deliver_due() == {}
    assert not fake_telegram.requests
    assert 55 < tasks.next_wakeup() <= 60


# --- rate limiting -------------------------------------------------------------------------


@pytest.mark.slow
def test_rate_limit_per_provider(mun_a, tg_account, fake_telegram, settings):
    settings.MESSAGING_RATE_LIMITS = {"telegram": 10, "whatsapp": 1000, "email": 1000}
    tg_messages(mun_a, 16)
    assert tasks.deliver_due() == {"sent": 16}
    times = sorted(r.at for r in fake_telegram.requests)
    assert times[-1] - times[0] >= 1.4  # 16 sends at 10/s: 15 gaps of 0.1 s
    most_in_a_second = max(sum(1 for t in times if s <= t < s + 1.0) for s in times)
    assert most_in_a_second <= 11


def test_token_bucket_spacing():
    bucket = tasks.TokenBucket(rate=20)
    waits = [bucket.reserve() for _ in range(5)]
    assert waits[0] == 0
    assert waits[1] == pytest.approx(0.05, abs=0.01)
    assert waits[4] == pytest.approx(0.20, abs=0.01)


# --- staff pages ---------------------------------------------------------------------------


def page(name, mun, *args):
    return reverse(f"messaging:{name}", args=[mun.slug, *args])


STAFF_PAGES = ["subscribers", "subscribers_export", "outbox", "providers"]


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_staff_pages_need_manage_content(client, mun_a, people, name):
    resp = client.get(page(name, mun_a))
    assert resp.status_code == 302 and "/accounts/login/" in resp["Location"]
    client.force_login(people["deputy_a"])
    assert client.get(page(name, mun_a)).status_code == 403
    client.force_login(people["staff_b"])
    assert client.get(page(name, mun_a)).status_code == 403
    client.force_login(people["staff_a"])
    assert client.get(page(name, mun_a)).status_code == 200


def test_subscribers_page_counts_and_csv(en_client, mun_a, mun_b, people):
    active(mun_a, "email", "a@example.kg")
    active(mun_a, "whatsapp", "+996555123456")
    s = active(mun_a, "whatsapp", "+996555123457")
    s.status = "unsubscribed"
    s.save()
    formula = active(mun_a, "email", "=cmd@example.kg")
    formula.consent_text = "=HYPERLINK(1)"
    formula.save()
    active(mun_b, "email", "b@example.kg")
    en_client.force_login(people["staff_a"])
    html = en_client.get(page("subscribers", mun_a)).content.decode()
    assert "a@example.kg" in html and "b@example.kg" not in html
    counts = html[html.index('id="counts"') : html.index("</table>")]
    assert '<th scope="row">WhatsApp</th><td>0</td><td>1</td><td>1</td><td>2</td>' in counts
    csv = en_client.get(page("subscribers_export", mun_a))
    assert csv["Content-Type"].startswith("text/csv")
    body = csv.content.decode("utf-8-sig")
    assert "+996555123456" in body and "'+996" not in body
    assert "'=HYPERLINK(1)" in body and "'=cmd@example.kg" in body
    assert "b@example.kg" not in body
    assert body.splitlines()[0].startswith("channel,address,language,status,consent_at")


def test_outbox_log_filter_and_retry(en_client, mun_a, mun_b, people, tg_account, fake_telegram):
    msgs = tg_messages(mun_a, 3, source="digest:5")
    tg_messages(mun_a, 1, source="news:9")
    services.enqueue(mun_b, "telegram", "999999", "B", key="b:1", source="digest:5")
    fake_telegram.rules[msgs[0].recipient] = ("error", 400, "Bad Request: chat not found")
    tasks.deliver_due()
    en_client.force_login(people["staff_a"])
    html = en_client.get(
        page("outbox", mun_a), {"source": "digest:5", "status": "failed"}
    ).content.decode()
    assert msgs[0].recipient in html and msgs[1].recipient not in html and "999999" not in html
    assert "Retry 1 failed message now" in html
    detail = en_client.get(page("message", mun_a, msgs[0].pk)).content.decode()
    assert "chat not found" in detail and "Retry now" in detail
    assert 'id="attempts"' in detail and ">400<" in detail
    # Another municipality's message is not visible here.
    other = OutboxMessage.objects.get(municipality=mun_b)
    assert en_client.get(page("message", mun_a, other.pk)).status_code == 404
    # Retry now: queued again with fresh attempts, the old attempt stays in the log.
    fake_telegram.rules.clear()
    resp = en_client.post(page("retry", mun_a), {"message": msgs[0].pk})
    assert resp.status_code == 302
    m = OutboxMessage.objects.get(pk=msgs[0].pk)
    assert m.status == S.QUEUED and m.attempts == 0
    tasks.deliver_due()
    m.refresh_from_db()
    assert m.status == S.SENT
    assert list(m.log.values_list("outcome", flat=True)) == ["failed", "sent"]


def test_retry_is_post_only_and_scoped(client, mun_a, mun_b, people):
    client.force_login(people["staff_a"])
    assert client.get(page("retry", mun_a)).status_code == 405
    msg = services.enqueue(mun_b, "telegram", "123456", "x", key="k", source="s")
    OutboxMessage.objects.filter(pk=msg.pk).update(status=S.FAILED)
    client.post(page("retry", mun_a), {"message": msg.pk})
    msg.refresh_from_db()
    assert msg.status == S.FAILED


def test_provider_accounts_form_never_shows_the_token(en_client, mun_a, people, fake_telegram):
    en_client.force_login(people["staff_a"])
    resp = en_client.post(
        page("providers", mun_a),
        {
            "provider": "telegram",
            "action": "save",
            "telegram-token": "123456:SECRET-token-abcd",
            "telegram-channel_chat_id": "@karool_news",
            "telegram-is_active": "on",
            "telegram-base_url": "http://evil.example",  # only platform admins may set it
        },
    )
    assert resp.status_code == 302
    acc = ProviderAccount.objects.get(municipality=mun_a, provider="telegram")
    assert acc.token == "123456:SECRET-token-abcd" and acc.base_url == ""
    html = en_client.get(page("providers", mun_a)).content.decode()
    assert "SECRET" not in html and "…abcd" in html
    # Saving again with an empty token keeps the saved one.
    en_client.post(
        page("providers", mun_a),
        {"provider": "telegram", "action": "save", "telegram-token": "",
         "telegram-channel_chat_id": "@karool2", "telegram-is_active": "on"},
    )  # fmt: skip
    acc.refresh_from_db()
    assert acc.token == "123456:SECRET-token-abcd" and acc.channel_chat_id == "@karool2"
    assert Channel.TELEGRAM in services.available_channels(mun_a)


def test_provider_check_reports_in_plain_words(en_client, mun_a, people, tg_account, fake_telegram):
    en_client.force_login(people["staff_a"])
    fake_telegram.member_counts["@karool_news"] = 77
    resp = en_client.post(
        page("providers", mun_a), {"provider": "telegram", "action": "check"}, follow=True
    )
    text = resp.content.decode()
    assert "@jamaat_test_bot" in text and "77" in text
    fake_telegram.stop()
    resp = en_client.post(
        page("providers", mun_a), {"provider": "telegram", "action": "check"}, follow=True
    )
    assert "The provider could not be reached." in resp.content.decode()

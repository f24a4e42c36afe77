"""Messaging rows of the access matrix (collected by jamaat/core/tests/test_access_matrix.py)."""

from django.core.cache import cache
from django.utils import timezone

from jamaat.messaging.models import OutboxMessage, ProviderAccount, Subscriber


def _subscriber(t, status="pending"):
    sub, _ = Subscriber.objects.get_or_create(
        municipality=t.municipality,
        channel="email",
        address=f"matrix-{t.slug}@example.kg",
        defaults={
            "status": status,
            "language": "ky",
            "consent_text": "ok",
            "consent_at": timezone.now(),
        },
    )
    return sub


def _failed_message(t):
    msg, _ = OutboxMessage.objects.get_or_create(
        municipality=t.municipality,
        idempotency_key=f"matrix:{t.slug}",
        defaults={
            "provider": "email",
            "recipient": "x@example.kg",
            "source": "matrix",
            "body": "x",
            "status": OutboxMessage.Status.FAILED,
        },
    )
    OutboxMessage.objects.filter(pk=msg.pk).update(status=OutboxMessage.Status.FAILED)
    return msg


def fingerprint():
    return (
        Subscriber.objects.count(),
        tuple(OutboxMessage.objects.order_by("pk").values_list("pk", "status")),
        tuple(ProviderAccount.objects.order_by("pk").values_list("pk", "channel_chat_id")),
    )


def rows(m):
    Row, needs, public, u, C, DONE = m.Row, m.needs, m.public, m.u, m.C, m.DONE

    def subscribe_data(w, t):
        cache.clear()  # the per-address rate limit would otherwise trip across the cells
        return {
            "channel": "email",
            "address": f"new-{t.slug}@example.kg",
            "language": "ky",
            "consent": "on",
        }

    def subscribe_done(w, t):
        assert Subscriber.objects.filter(address=f"new-{t.slug}@example.kg").exists()

    def confirm_url(w, t):
        return f"/{t.slug}/subscribe/confirm/{_subscriber(t).confirm_token}/"

    def unsubscribe_url(w, t):
        return f"/{t.slug}/unsubscribe/{_subscriber(t).unsubscribe_token}/"

    def message_url(w, t):
        return f"/{t.slug}/outbox/{_failed_message(t).pk}/"

    def retry_url(w, t):
        _failed_message(t)
        return f"/{t.slug}/outbox/retry/"

    def retry_done(w, t):
        msg = OutboxMessage.objects.get(idempotency_key=f"matrix:{t.slug}")
        assert msg.status == OutboxMessage.Status.QUEUED

    def providers_data(w, t):
        return {
            "provider": "telegram",
            "telegram-channel_chat_id": "@matrix",
            "telegram-token": "1:matrix",
        }

    def providers_done(w, t):
        assert ProviderAccount.objects.filter(
            municipality=t.municipality, channel_chat_id="@matrix"
        ).exists()

    def ok_no_count_change(w):
        return m.OK

    return [
        Row("subscribe", "<slug>/subscribe/", "GET", public, u("subscribe/")),
        Row("subscribe", "<slug>/subscribe/", "POST", lambda w: DONE, u("subscribe/"),
            data=subscribe_data, done=subscribe_done),
        Row("check_email", "<slug>/subscribe/check-email/", "GET", public, u("subscribe/check-email/")),
        Row("subscribed", "<slug>/subscribe/done/", "GET", public, u("subscribe/done/")),
        Row("confirm", "<slug>/subscribe/confirm/<token>/", "GET", public, confirm_url),
        Row("confirm", "<slug>/subscribe/confirm/<token>/", "POST", ok_no_count_change,
            confirm_url, data=lambda w, t: {}),
        Row("unsubscribe", "<slug>/unsubscribe/<token>/", "GET", public, unsubscribe_url),
        Row("unsubscribe", "<slug>/unsubscribe/<token>/", "POST", ok_no_count_change,
            unsubscribe_url, data=lambda w, t: {}),
        Row("subscribers", "<slug>/subscribers/", "GET", needs(C), u("subscribers/")),
        Row("subscribers_csv", "<slug>/subscribers/export.csv", "GET", needs(C),
            u("subscribers/export.csv")),
        Row("outbox", "<slug>/outbox/", "GET", needs(C), u("outbox/")),
        Row("outbox_message", "<slug>/outbox/<pk>/", "GET", needs(C), message_url),
        Row("outbox_retry", "<slug>/outbox/retry/", "GET", m.post_only, u("outbox/retry/")),
        Row("outbox_retry", "<slug>/outbox/retry/", "POST", needs(C, DONE), retry_url,
            data=lambda w, t: {}, done=retry_done),
        Row("providers", "<slug>/messaging/providers/", "GET", needs(C), u("messaging/providers/")),
        Row("providers", "<slug>/messaging/providers/", "POST", needs(C, DONE),
            u("messaging/providers/"), data=providers_data, done=providers_done),
    ]  # fmt: skip

"""Monthly: read Telegram channels' member counts through the Bot API, where a token is set."""

import logging

from django.conf import settings
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from jamaat.channels.models import Channel, ChannelSnapshot
from jamaat.channels.services import save_counts

log = logging.getLogger(__name__)


def _adapter_for(municipality):
    token = getattr(settings, "TELEGRAM_BOT_TOKEN", "")
    base_url = "https://api.telegram.org"
    try:
        from jamaat.messaging.models import ProviderAccount

        account = ProviderAccount.objects.filter(
            municipality=municipality, provider="telegram", is_active=True
        ).first()
        if account and account.token:
            token, base_url = account.token, account.base_url or base_url
    except (ImportError, LookupError):
        pass
    if not token:
        return None
    from jamaat.messaging.adapters import TelegramAdapter

    return TelegramAdapter(token, base_url=base_url)


def read_telegram_counts(today=None) -> int:
    month = (today or timezone.localdate()).replace(day=1)
    done = 0
    channels = (
        Channel.objects.active().filter(kind=Channel.Kind.TELEGRAM).exclude(telegram_chat_id="")
    )
    for channel in channels.select_related("municipality"):
        adapter = _adapter_for(channel.municipality)
        if adapter is None:
            continue
        count = adapter.member_count(channel.telegram_chat_id)
        save_counts(
            None, channel.municipality, month, {channel: count}, ChannelSnapshot.Source.TELEGRAM
        )
        done += 1
    return done


@db_periodic_task(crontab(day="1", hour="6", minute="0"), retries=3, retry_delay=900)
def monthly_telegram_counts() -> int:
    return read_telegram_counts()

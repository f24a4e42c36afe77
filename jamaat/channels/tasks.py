"""Monthly: read Telegram channels' member counts through the Bot API, where a token is set."""

import logging

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from jamaat.channels.models import Channel, ChannelSnapshot
from jamaat.channels.services import save_counts
from jamaat.messaging import services as messaging

log = logging.getLogger(__name__)


def read_telegram_counts(today=None) -> int:
    """Save this month's count of every active Telegram channel whose municipality has a bot."""
    month = (today or timezone.localdate()).replace(day=1)
    done = 0
    channels = (
        Channel.objects.active()
        .filter(kind=Channel.Kind.TELEGRAM)
        .exclude(telegram_chat_id="")
        .select_related("municipality")
    )
    for channel in channels:
        if not messaging.provider_ready(channel.municipality, "telegram"):
            continue
        count = messaging.telegram_member_count(channel.municipality, channel.telegram_chat_id)
        save_counts(
            None, channel.municipality, month, {channel: count}, ChannelSnapshot.Source.TELEGRAM
        )
        done += 1
    return done


@db_periodic_task(crontab(day="1", hour="6", minute="0"), retries=3, retry_delay=900)
def monthly_telegram_counts() -> int:
    return read_telegram_counts()

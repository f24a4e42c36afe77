"""Periodic-task schedules in the municipality's local time (settings.TIME_ZONE, Asia/Bishkek).

Huey's clock is UTC; `crontab(hour=8)` would fire at 14:00 in Bishkek. Use these validators.
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from huey.contrib.djhuey import HUEY


def local_schedule(days: tuple[int, ...] | None, hour: int, minute: int = 0):
    """True at `hour:minute` local time, on `days` of the month (None: every day)."""

    def validate(timestamp: datetime) -> bool:
        if timestamp.tzinfo is None:
            timestamp = (
                timestamp.replace(tzinfo=UTC)
                if getattr(HUEY, "utc", True)
                else timestamp.astimezone()
            )
        local = timestamp.astimezone(ZoneInfo(settings.TIME_ZONE))
        return (days is None or local.day in days) and local.hour == hour and local.minute == minute

    return validate

"""Settle digests whose delivery has finished (the outbox worker knows nothing of digests)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from jamaat.digests import services


@db_periodic_task(crontab(minute="*/5"), retries=2, retry_delay=60)
def settle_sending_digests() -> int:
    """`sending` → `sent` and the 1.3 evidence, once every message of a digest is settled."""
    return services.refresh_sending()

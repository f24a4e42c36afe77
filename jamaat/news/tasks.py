from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from jamaat.news import services


@db_periodic_task(crontab(minute="*"), retries=3, retry_delay=30)
def publish_scheduled_posts() -> int:
    return services.publish_due()

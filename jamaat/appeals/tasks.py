from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from jamaat.appeals import services


@db_periodic_task(crontab(hour="8", minute="0"), retries=3, retry_delay=300)
def appeal_reminders() -> dict:
    """Daily at 08:00 (Asia/Bishkek): reminders 3 and 1 working days ahead, escalation after."""
    return services.send_reminders()

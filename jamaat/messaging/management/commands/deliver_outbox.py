"""`jamaat deliver_outbox`: run the outbox worker in the foreground (ops and tests).

Without options it delivers what is due now and stops, like one run of the Huey task.
`--until-idle` keeps going until no message is queued or in `sending` (it waits for due
retries and for expired leases of a dead worker), up to `--max-seconds`.
"""

import json
import time

from django.core.management.base import BaseCommand

from jamaat.messaging.tasks import deliver_due, next_wakeup


class Command(BaseCommand):
    help = "Deliver due outbox messages (Telegram, WhatsApp, email)."
    requires_system_checks = []  # start fast: importing every URLconf and view takes seconds

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=None)
        parser.add_argument("--lease", type=float, default=None, help="lease in seconds")
        parser.add_argument("--timeout", type=float, default=None, help="HTTP timeout, seconds")
        parser.add_argument("--until-idle", action="store_true")
        parser.add_argument("--max-seconds", type=float, default=600)

    def handle(self, *args, **opts):
        deadline = time.monotonic() + opts["max_seconds"]
        totals: dict[str, int] = {}
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            stats = deliver_due(
                opts["batch_size"],
                lease_seconds=opts["lease"],
                max_seconds=left,
                timeout=opts["timeout"],
            )
            for k, v in stats.items():
                totals[k] = totals.get(k, 0) + v
            if not opts["until_idle"]:
                break
            wait = next_wakeup()
            if wait is None:
                break
            # Poll: a lease held by a live worker ends when it finishes, not when it expires.
            time.sleep(min(max(wait, 0.05), 0.5, max(0.0, deadline - time.monotonic())))
        self.stdout.write(json.dumps(totals, sort_keys=True))

"""`jamaat demo`: migrate, collect static files, seed demo data, then serve it for real.

The web server (gunicorn) and the Huey task consumer run as two child processes with the same
environment plus JAMAAT_DEMO=1 (so no SECRET_KEY is needed). Ctrl-C or SIGTERM stops both; if
either one dies, the other is stopped and the command exits non-zero.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from jamaat.demo.seed import login_rows, seed

HOST = "127.0.0.1"
STARTUP_TIMEOUT = 60  # seconds to wait for /healthz before saying so
STOP_TIMEOUT = 15  # seconds to wait for a child to stop before killing it


class _Stop(Exception):
    """Raised from the SIGTERM/SIGHUP handler to leave the wait loop."""


class Command(BaseCommand):
    help = (
        "Prepare a demo database (migrate, static files, demo data), print the logins and serve "
        "Jamaat with gunicorn and a Huey task consumer on http://127.0.0.1:PORT."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (8000)")
        parser.add_argument(
            "--no-serve", action="store_true", help="prepare the data and print logins only"
        )
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (2)")

    def handle(self, *args, port, no_serve, workers, **options):
        verbose = options["verbosity"] > 1
        if not no_serve:
            _check_port_free(port)
        started = time.monotonic()
        self._say(f"Preparing the demo in {settings.DATA_DIR} …")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        seed(stdout=self.stdout if verbose else None)
        self._say(
            f"Database, static files and demo data ready in {time.monotonic() - started:.1f} s."
        )
        base = f"http://{HOST}:{port}"
        self._print_logins(base)
        if no_serve:
            return
        self._serve(base, port, workers)

    # --- Output ---------------------------------------------------------------------------------
    def _say(self, message: str, style=None) -> None:
        self.stdout.write(style(message) if style else message)
        self.stdout.flush()

    def _print_logins(self, base: str) -> None:
        header = ("username", "password", "role", "municipality", "start at")
        rows = [header, *login_rows(base)]
        widths = [max(len(str(r[i])) for r in rows) for i in range(len(header))]

        def line(row):
            return "  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()

        self._say("")
        self._say("Demo logins (the password of every demo user is the same):", self.style.SUCCESS)
        self._say(line(header))
        self._say(line(["-" * w for w in widths]))
        for row in rows[1:]:
            self._say(line(row))
        self._say("")

    # --- Serving --------------------------------------------------------------------------------
    def _serve(self, base: str, port: int, workers: int) -> None:
        env = {
            **os.environ,
            "JAMAAT_DEMO": "1",
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "jamaat.settings"),
            "JAMAAT_DATA_DIR": str(settings.DATA_DIR),
            "PYTHONUNBUFFERED": "1",
        }
        env.setdefault("SITE_URL", base)
        commands = {
            "web server": [
                sys.executable, "-m", "gunicorn", "jamaat.wsgi:application",
                "--bind", f"{HOST}:{port}", "--workers", str(workers), "--threads", "4",
                "--access-logfile", "-", "--no-control-socket",
            ],
            "task consumer": [sys.executable, "-m", "jamaat", "run_huey"],
        }  # fmt: skip
        children: dict[str, subprocess.Popen] = {}
        previous = {}

        def on_signal(signum, frame):
            raise _Stop(signum)

        for sig in (signal.SIGTERM, signal.SIGHUP):
            previous[sig] = signal.signal(sig, on_signal)
        failure = None
        try:
            for name, cmd in commands.items():
                children[name] = subprocess.Popen(
                    cmd,
                    env=env,
                    # Own process group: Ctrl-C reaches only this command, which then stops each
                    # child in the way it stops best; and the children die with this process.
                    start_new_session=True,
                    preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
                )
            failure = self._wait(base, children)
        except (KeyboardInterrupt, _Stop):
            self._say("\nStopping …")
        finally:
            _stop_all(children)
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if failure:
            raise CommandError(failure, returncode=1)
        self._say("Stopped.")

    def _wait(self, base: str, children: dict) -> str | None:
        """Poll the children; announce once /healthz answers. Returns why it stopped, if a child died."""
        announced = False
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            for name, proc in children.items():
                code = proc.poll()
                if code is not None:
                    return f"The {name} exited with code {code}; stopped the rest."
            if not announced:
                if _healthy(base):
                    announced = True
                    self._say(f"Jamaat is running on {base}", self.style.SUCCESS)
                    self._say("Press Ctrl-C to stop.")
                elif time.monotonic() > deadline:
                    deadline = float("inf")
                    self._say(f"Still waiting for {base}/healthz …", self.style.WARNING)
            time.sleep(0.3 if not announced else 1)


def _check_port_free(port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((HOST, port))
        except OSError as exc:
            raise CommandError(
                f"Port {port} on {HOST} is in use ({exc.strerror}); choose another with --port."
            ) from None


def _healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:  # noqa: S310
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _die_with_parent() -> None:
    """In the child, before exec: ask Linux to send SIGTERM when this command dies."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _stop_all(children: dict) -> None:
    # gunicorn: SIGTERM is its graceful stop; huey: SIGINT is its graceful stop (SIGTERM is
    # immediate). Kill whatever has not stopped in time.
    graceful = {"web server": signal.SIGTERM, "task consumer": signal.SIGINT}
    for name, proc in children.items():
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(graceful.get(name, signal.SIGTERM))
    deadline = time.monotonic() + STOP_TIMEOUT
    for proc in children.values():
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

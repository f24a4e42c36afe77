"""The `jamaat` console command: Django's management commands under one name."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else list(argv)
    if args[:1] == ["demo"]:
        # Before settings load: the demo runs without a SECRET_KEY (see settings.DEMO).
        os.environ["JAMAAT_DEMO"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jamaat.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["jamaat", *args])


if __name__ == "__main__":
    main()

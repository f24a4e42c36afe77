from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jamaat.meetings.documents import load_meeting, protocol_file
from jamaat.meetings.models import Meeting


class Command(BaseCommand):
    help = (
        "Export the protocol of a meeting: "
        "jamaat export_protocol MEETING_ID --lang ky|ru --format docx|pdf -o FILE"
    )

    def add_arguments(self, parser):
        parser.add_argument("meeting_id", type=int)
        parser.add_argument("--lang", choices=["ky", "ru"], default="ky")
        parser.add_argument("--format", dest="fmt", choices=["docx", "pdf"], default="pdf")
        parser.add_argument("-o", "--output", required=True)

    def handle(self, meeting_id, lang, fmt, output, **options):
        try:
            meeting = load_meeting(meeting_id)
        except Meeting.DoesNotExist:
            raise CommandError(f"No meeting with id {meeting_id}.") from None
        content, _ctype, _name = protocol_file(meeting, lang, fmt)
        Path(output).write_bytes(content)
        state = "" if meeting.is_held else f", status {meeting.status}: not held yet"
        self.stdout.write(f"{output}: {len(content)} bytes ({fmt}, {lang}{state})")

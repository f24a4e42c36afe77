from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jamaat.analysis import report
from jamaat.municipalities.models import Municipality


class Command(BaseCommand):
    help = "Write the yearly analytical report (3.3) of a municipality as DOCX, PDF or PPTX slides."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--lang", choices=["ky", "ru"], default="ky")
        parser.add_argument("--format", choices=["docx", "pdf", "pptx"], default="pdf")
        parser.add_argument("-o", "--output", required=True)

    def handle(self, slug, year, lang, format, output, **opts):
        municipality = Municipality.objects.filter(slug=slug).first()
        if municipality is None:
            raise CommandError(f"No municipality {slug!r}.")
        content = report.build(municipality, year, lang, format)
        Path(output).write_bytes(content)
        self.stdout.write(f"{output} ({len(content)} bytes)")

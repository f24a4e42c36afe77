"""jamaat export_xlsform ID -o FILE: the questionnaire's current version as an XLSForm."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jamaat.surveys import xlsform
from jamaat.surveys.models import Questionnaire


class Command(BaseCommand):
    help = "Export a questionnaire as an XLSForm (.xlsx) for KoboToolbox / ODK."

    def add_arguments(self, parser):
        parser.add_argument("id", type=int)
        parser.add_argument("-o", "--output", required=True)

    def handle(self, *args, id, output, **options):
        q = Questionnaire.objects.filter(pk=id).first()
        if q is None:
            raise CommandError(f"No questionnaire {id}.")
        Path(output).write_bytes(xlsform.export_xlsform(q))
        self.stdout.write(output)

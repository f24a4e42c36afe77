"""jamaat import_xlsform FILE --municipality SLUG: prints the new questionnaire's id."""

from django.core.management.base import BaseCommand, CommandError

from jamaat.municipalities.models import Municipality
from jamaat.surveys import xlsform


class Command(BaseCommand):
    help = "Import an XLSForm (.xlsx) as a draft questionnaire; prints its id."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--municipality", required=True)

    def handle(self, *args, file, municipality, **options):
        m = Municipality.objects.filter(slug=municipality).first()
        if m is None:
            raise CommandError(f"No municipality with slug '{municipality}'.")
        try:
            q = xlsform.import_xlsform(file, m)
        except FileNotFoundError:
            raise CommandError(f"No such file: {file}") from None
        except xlsform.XLSFormError as exc:
            raise CommandError(f"{file}: {exc}") from None
        self.stdout.write(str(q.pk))

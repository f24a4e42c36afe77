from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jamaat.municipalities.models import Municipality
from jamaat.plans.exports import FORMATS, export_plan
from jamaat.plans.models import Plan


class Command(BaseCommand):
    help = "Export a municipality's adopted plan: jamaat export_plan SLUG --lang ky --format pdf -o FILE"

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--lang", choices=["ky", "ru", "en"], default="ky")
        parser.add_argument("--format", dest="fmt", choices=sorted(FORMATS), default="pdf")
        parser.add_argument("-o", "--output", required=True)

    def handle(self, slug, lang, fmt, output, **options):
        municipality = Municipality.objects.filter(slug=slug).first()
        if municipality is None:
            raise CommandError(f"No municipality with slug {slug!r}.")
        plan = Plan.objects.current_for(municipality)
        if plan is None:
            raise CommandError(f"{municipality.name_ru} has not adopted a plan yet.")
        content, _ctype, _name = export_plan(plan, lang, fmt)
        Path(output).write_bytes(content)
        self.stdout.write(f"{output}: {len(content)} bytes ({fmt}, {lang})")

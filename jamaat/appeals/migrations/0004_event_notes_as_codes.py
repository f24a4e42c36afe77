"""History notes hold codes, not labels.

Until now the note of a "registered" event was the channel's label and the note of a
"status:unconsidered" event the legal reason's label, both translated into the language of
whoever made the change (mostly Kyrgyz) and shown so on Russian pages. They become the codes
(`paper`, `obscene`, …); `AppealEvent.detail` translates them when the history is shown.
"""

from django.db import migrations
from django.db.models import OuterRef, Subquery
from django.utils import translation

# The legal reasons' codes and English labels as of this migration (Appeal.UnconsideredReason).
REASONS = {
    "no_contacts": "no name or contacts of the applicant",
    "obscene": "obscene or offensive language",
    "repeated": "repeats an appeal already answered, with no new arguments",
}


def notes_to_codes(apps, schema_editor):
    from django.conf import settings

    Appeal = apps.get_model("appeals", "Appeal")
    AppealEvent = apps.get_model("appeals", "AppealEvent")
    # An appeal's channel never changes after registration: the registration note is its code.
    AppealEvent.objects.filter(action="registered").update(
        note=Subquery(Appeal.objects.filter(pk=OuterRef("appeal_id")).values("channel")[:1])
    )
    by_label = {}
    for lang, _name in settings.LANGUAGES:
        with translation.override(lang):
            for code, english in REASONS.items():
                by_label[translation.gettext(english)] = code
    events = AppealEvent.objects.filter(action="status:unconsidered").exclude(note="")
    for event in events.exclude(note__in=list(REASONS)):
        code = by_label.get(event.note)
        if code:
            AppealEvent.objects.filter(pk=event.pk).update(note=code)


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0003_number_unique_per_municipality"),
    ]

    operations = [
        migrations.RunPython(notes_to_codes, migrations.RunPython.noop),
    ]

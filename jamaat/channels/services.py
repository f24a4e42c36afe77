from django.db import transaction

from jamaat.channels.models import ChannelSnapshot
from jamaat.core import audit


@transaction.atomic
def save_counts(actor, municipality, month, counts: dict, source=ChannelSnapshot.Source.MANUAL):
    """counts: Channel -> int | None (None leaves a month's existing count alone)."""
    for channel, followers in counts.items():
        if followers is None or channel.municipality_id != municipality.pk:
            continue
        snap, created = ChannelSnapshot.objects.get_or_create(
            channel=channel,
            month=month,
            defaults={"followers": followers, "source": source, "recorded_by": actor},
        )
        if not created and snap.followers != followers:
            audit.record(actor, municipality, channel, "update", {
                f"followers {month:%Y-%m}": [snap.followers, followers]
            })  # fmt: skip
            snap.followers, snap.source = followers, source
            snap.recorded_by = actor if getattr(actor, "is_authenticated", False) else None
            snap.save()

"""Indicator 1.3: the share of the population reached through WhatsApp groups by the digests."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from jamaat.channels.models import ChannelSnapshot
from jamaat.digests.models import DigestShare

INDICATOR_KEY = "1.3.population_informed_whatsapp"

HOW = _(
    "Members of the WhatsApp groups that received the year's digests, divided by the "
    "population (capped at 100%). Each group's count is its latest monthly count at or before "
    "the day the digest was shared there; a group that received several digests is counted "
    "once a year, with its largest count. People in several groups are counted once per group, "
    "so this is an upper bound."
)


@dataclass
class GroupReach:
    channel: object
    members: int | None  # None: no count entered at or before any of its share dates
    shares: int


def groups_reached(municipality, year: int) -> list[GroupReach]:
    """Each WhatsApp group that received a digest in `year` with the members it counts for."""
    shares = list(
        DigestShare.objects.filter(municipality=municipality, shared_on__year=year)
        .select_related("channel")
        .order_by("channel__name", "channel_id", "shared_on")
    )
    if not shares:
        return []
    channel_ids = {s.channel_id for s in shares}
    counts = defaultdict(list)  # channel -> [(month, followers)] ascending
    for channel_id, month, followers in (
        ChannelSnapshot.objects.filter(channel_id__in=channel_ids, month__lte=date(year, 12, 31))
        .order_by("channel_id", "month")
        .values_list("channel_id", "month", "followers")
    ):
        counts[channel_id].append((month, followers))
    out: dict[int, GroupReach] = {}
    for share in shares:
        before = [f for month, f in counts[share.channel_id] if month <= share.shared_on]
        members = before[-1] if before else None
        row = out.setdefault(share.channel_id, GroupReach(share.channel, None, 0))
        row.shares += 1
        if members is not None and (row.members is None or members > row.members):
            row.members = members
    return list(out.values())


def population_informed_whatsapp(municipality, year: int) -> Decimal | None:
    groups = groups_reached(municipality, year)
    if not groups or not municipality.population:
        return None
    total = sum(g.members or 0 for g in groups)
    share = min(Decimal(100), Decimal(total) * 100 / municipality.population)
    return share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

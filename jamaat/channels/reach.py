"""How the reach indicators are computed from channel counts (shown to staff as “how”)."""

from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from jamaat.channels.models import Channel, ChannelSnapshot

POPULATION_REACHED_HOW = _(
    "Followers of the website and social-network channels in the last month with counts, "
    "divided by the population (people following several channels are counted once per "
    "channel, so this is an upper bound; capped at 100%)."
)
SUBSCRIBER_GROWTH_HOW = _(
    "Followers of the website and social networks at the end of the year (last month with "
    "counts) against the end of the previous year, or the first month with counts this year."
)
WHATSAPP_MEMBERS_HOW = _("Members of the WhatsApp groups in the last month with counts.")


def _q(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _latest_totals(municipality, kinds, until: date) -> tuple[int, dict]:
    """Sum over channels of each one's latest count at or before `until`; also per-channel."""
    rows = (
        ChannelSnapshot.objects.filter(
            channel__municipality=municipality, channel__kind__in=kinds, month__lte=until
        )
        .order_by("channel_id", "-month")
        .values_list("channel_id", "month", "followers")
    )
    latest = {}
    for channel_id, month, followers in rows:
        latest.setdefault(channel_id, (month, followers))
    return sum(f for _m, f in latest.values()), latest


def population_reached_share(municipality, year: int) -> Decimal | None:
    total, latest = _latest_totals(municipality, Channel.ONLINE_KINDS, date(year, 12, 31))
    if not latest or not municipality.population:
        return None
    return _q(min(Decimal(100), Decimal(total) * 100 / municipality.population))


def whatsapp_members(municipality, year: int) -> int | None:
    total, latest = _latest_totals(municipality, [Channel.Kind.WHATSAPP_GROUP], date(year, 12, 31))
    return total if latest else None


def subscriber_growth(municipality, year: int) -> Decimal | None:
    end_total, end_latest = _latest_totals(municipality, Channel.ONLINE_KINDS, date(year, 12, 31))
    if not end_latest:
        return None
    start_total, start_latest = _latest_totals(
        municipality, Channel.ONLINE_KINDS, date(year - 1, 12, 31)
    )
    if not start_latest:
        # No counts before the year: compare with the first month that has counts this year.
        first = (
            ChannelSnapshot.objects.filter(
                channel__municipality=municipality,
                channel__kind__in=Channel.ONLINE_KINDS,
                month__year=year,
            )
            .order_by("month")
            .values_list("month", flat=True)
            .first()
        )
        if first is None:
            return None
        start_total, _ = _latest_totals(municipality, Channel.ONLINE_KINDS, first)
        if first == max(m for m, _f in end_latest.values()):
            return None  # a single month: no growth to speak of yet
    if not start_total:
        return None
    return _q(Decimal(end_total - start_total) * 100 / start_total)


def monthly_totals(municipality, year: int) -> list[tuple[date, int, int]]:
    """(month, online followers, WhatsApp members) for each month of the year with any counts."""
    rows = ChannelSnapshot.objects.filter(
        channel__municipality=municipality, month__year__lte=year
    ).values_list("channel_id", "channel__kind", "month", "followers")
    by_channel = defaultdict(dict)
    kinds = {}
    for channel_id, kind, month, followers in rows:
        by_channel[channel_id][month] = followers
        kinds[channel_id] = kind
    out = []
    for m in range(1, 13):
        month = date(year, m, 1)
        online = wa = 0
        seen = False
        for channel_id, counts in by_channel.items():
            past = [mo for mo in counts if mo <= month]
            if not past:
                continue
            seen = seen or month in counts
            value = counts[max(past)]
            if kinds[channel_id] == Channel.Kind.WHATSAPP_GROUP:
                wa += value
            elif kinds[channel_id] in Channel.ONLINE_KINDS:
                online += value
        if seen:
            out.append((month, online, wa))
    return out

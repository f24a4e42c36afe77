"""What the dashboard shows: done shares and each indicator's target beside what was recorded.

The number of queries does not grow with the data: everything is fetched in a fixed number of
aggregate or prefetch queries (plus one per registered figure, which is per indicator, not per row).
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from jamaat.plans import registry
from jamaat.plans.models import Indicator, IndicatorTarget, IndicatorValue, Occurrence, Plan


@dataclass
class IndicatorRow:
    indicator: Indicator
    target: Decimal | None
    recorded: Decimal | None
    how: str

    @property
    def met(self) -> bool | None:
        if self.target is None or self.recorded is None:
            return None
        return self.recorded >= self.target

    @property
    def percent_of_target(self) -> int | None:
        if not self.target or self.recorded is None:
            return None
        return min(100, int(self.recorded * 100 / self.target))


def share(done: int, total: int) -> int | None:
    return round(done * 100 / total) if total else None


def done_shares(plan: Plan, year: int):
    """(per goal, per activity) rows of {total, done, share} for occurrences due so far in `year`."""
    occs = Occurrence.objects.filter(activity__plan=plan)
    per_activity = {r["activity"]: r for r in occs.done_share(year, "activity")}
    per_goal = {r["activity__goal"]: r for r in occs.done_share(year, "activity__goal")}
    for rows in (per_activity, per_goal):
        for r in rows.values():
            r["share"] = share(r["done"], r["total"])
    return per_goal, per_activity


def indicator_rows(plan: Plan, year: int) -> list[IndicatorRow]:
    indicators = (
        Indicator.objects.filter(activity__plan=plan)
        .select_related("activity")
        .prefetch_related(
            Prefetch("targets", queryset=IndicatorTarget.objects.filter(year=year)),
            Prefetch("values", queryset=IndicatorValue.objects.filter(year=year)),
        )
        .order_by("activity__order", "order")
    )
    rows = []
    for ind in indicators:
        target = ind.target_for(year)
        figure = registry.figure_for(ind.key)
        if figure is not None:
            value = figure.compute(plan.municipality, year)
            recorded = Decimal(str(value)) if value is not None else None
            how = figure.how or figure.label
        else:
            values = list(ind.values.all())
            if not values:
                recorded, how = None, _("nothing recorded yet")
            elif ind.unit == Indicator.Unit.COUNT:
                recorded = sum((v.value for v in values), Decimal(0))
                how = _("sum of %(n)s figures recorded with evidence") % {"n": len(values)}
            else:
                recorded = max(v.value for v in values)
                how = _("highest of %(n)s figures recorded with evidence") % {"n": len(values)}
        rows.append(IndicatorRow(ind, target, recorded, how))
    return rows


def by_activity(rows: list[IndicatorRow]) -> dict[int, list[IndicatorRow]]:
    out = defaultdict(list)
    for r in rows:
        out[r.indicator.activity_id].append(r)
    return out

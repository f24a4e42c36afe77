"""Where feature apps plug into the plan engine without the engine knowing them.

A feature app (news, meetings, surveys, …) registers, in its AppConfig.ready():
- `register_figure(indicator_key, label, compute, how)`: a function computing an indicator's
  recorded value for a municipality and year from the app's own data (e.g. attendance share);
- `register_workplace(activity_code, label, url_name)`: the page where the activity's work is done,
  linked from the plan and the occurrence pages.
Feature apps record evidence through `jamaat.plans.services.record_automatic_evidence`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Figure:
    indicator_key: str
    label: str
    compute: Callable[..., Decimal | int | float | None]
    how: str


@dataclass(frozen=True)
class Workplace:
    activity_code: str
    label: str
    url_name: str


_figures: dict[str, Figure] = {}
_workplaces: dict[str, list[Workplace]] = {}


def register_figure(indicator_key: str, label: str, compute, how: str = "") -> None:
    _figures[indicator_key] = Figure(indicator_key, label, compute, how)


def figure_for(indicator_key: str) -> Figure | None:
    return _figures.get(indicator_key)


def register_workplace(activity_code: str, label: str, url_name: str) -> None:
    places = _workplaces.setdefault(activity_code, [])
    if all(p.url_name != url_name for p in places):
        places.append(Workplace(activity_code, label, url_name))


def workplaces_for(activity_code: str) -> list[Workplace]:
    return list(_workplaces.get(activity_code, []))


def unregister_all_for_tests() -> tuple[dict, dict]:
    saved = (dict(_figures), {k: list(v) for k, v in _workplaces.items()})
    _figures.clear()
    _workplaces.clear()
    return saved


def restore(saved: tuple[dict, dict]) -> None:
    _figures.clear()
    _figures.update(saved[0])
    _workplaces.clear()
    _workplaces.update(saved[1])

"""Small-number suppression for everything councillors and the public see: the public
report and the dashboard for roles without child-level data (docs/report.md states the
policy).

One set of hidden cells per snapshot, worked out over every figure it publishes together
(every indicator, every month the dashboard can show, the authority, its services and
their teams), so no page, paper or month gives back what another hides:

- **Primary**: a count of 1 to 4; a rate whose count (numerator) is 1 to 4, since the rate
  and the published population give the count back; a percentage or average from a
  denominator under 5.
- **One quantity, one decision**: indicators counting the same units (contacts, the share
  of contacts with no further action, both over the contacts of a month) share their cells,
  so a count hidden under one name is not shown as another's denominator.
- **Complementary, across levels**: the authority is its services added up and a service
  its teams, so where one cell of such a sum would be alone hidden, another is hidden too
  (`disclosure.protect`, which then proves no hidden cell can be solved for).
- **Sums over months**: a year to date or rolling 12-month figure adds up its months, so it
  is hidden wherever one of its months is (any other choice gives the month back from the
  figure beside it: R12(M) - R12(M-1) = c(M) - c(M-12), and YTD(M+1) - c(M+1) = YTD(M)).
  Shown, it is a sum of shown months and tells nothing more.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from scrutineer.assess.assessment import SERIES_MONTHS
from scrutineer.calendar import Period
from scrutineer.catalogue.model import Catalogue, Kpi, Level
from scrutineer.engine.batch import compute_everything
from scrutineer.engine.compute import Engine, Value
from scrutineer.outputs.disclosure import protect

SMALL = range(1, 5)
PUBLISHED_LEVELS: tuple[Level, ...] = (
    "authority",
    "service",
    "team",
)  # the levels aggregate roles see
PICKABLE_MONTHS = 12  # the months a dashboard user can pick, each with its 24-month series
Cell = tuple[str, str, str, str]  # (kpi, level, group id, month); the authority's group is ""
Base = tuple[object, ...]  # a quantity counted: indicators with the same base share cells
BaseCell = tuple[Base, str, str, str]  # (base, level, group id, month)


def is_small(value: Value, unit: str) -> bool:
    if value.value is None:
        return False
    if unit == "count":
        return round(value.value) in SMALL
    if unit == "rate_per_10k":
        return value.numerator is not None and round(value.numerator) in SMALL
    return value.denominator is not None and 0 < value.denominator < 5


def first_published(latest: Period) -> Period:
    """The first month a snapshot publishes: the dashboard's earliest pickable month's
    series starts there."""
    return latest.shift(2 - PICKABLE_MONTHS - SERIES_MONTHS)


@dataclass(frozen=True)
class Suppressed:
    """The cells hidden from councillors and the public."""

    cells: frozenset[Cell]

    def hides(self, value: Value, level: Level = "authority") -> bool:
        return cell_of(value, level) in self.cells

    def authority(self) -> set[tuple[str, str]]:
        """(kpi, month) hidden at the authority's level, as `disclosure.disclosed` takes."""
        return {(kpi, month) for kpi, level, _, month in self.cells if level == "authority"}


def cell_of(value: Value, level: Level) -> Cell:
    group = "" if level == "authority" else str(dict(value.group).get(f"{level}_id"))
    return (value.kpi, level, group, value.period)


def quantity(kpi: Kpi) -> Base:
    """What an indicator's cells count (its denominator, or its count): the same for
    indicators over the same units."""
    own = kpi.id if kpi.unit == "average" or kpi.weight else None
    return (kpi.cohort, kpi.where, kpi.columns if kpi.where else (), own)


def monthly_twin(kpi: Kpi, catalogue: Catalogue) -> Kpi | None:
    """The monthly count a year-to-date or rolling 12-month figure adds up, if it is
    published: a flow over the same units, of a cohort whose events fall in one month."""
    cohort = catalogue.cohorts.get(kpi.cohort)
    if kpi.kind not in ("ytd", "rolling12") or cohort is None or not cohort.additive:
        return None
    return next((k for k in catalogue if k.kind == "flow" and quantity(k) == quantity(kpi)), None)


def suppress(levels: Mapping[Level, Iterable[Value]], catalogue: Catalogue) -> Suppressed:
    """The hidden cells of the figures published together: `levels` holds each level's
    values (authority, service, team), every month shown."""
    twins = {k.id: twin for k in catalogue if (twin := monthly_twin(k, catalogue))}
    kpis = {k.id: k for k in catalogue}
    cells = [
        (cell_of(value, level), value)
        for level in PUBLISHED_LEVELS
        for value in levels.get(level, ())
        if value.kpi in kpis
    ]
    hidden = _complementary(*_bases(cells, kpis, twins))
    found: set[Cell] = set()
    for cell, value in cells:
        kpi = kpis[cell[0]]
        twin = twins.get(kpi.id)
        if twin is None:
            if (_base(kpi), *cell[1:]) in hidden:
                found.add(cell)
        elif is_small(value, kpi.unit) or any(
            (_base(twin), cell[1], cell[2], month) in hidden for month in _months(kpi, cell[3])
        ):
            found.add(cell)
    return Suppressed(frozenset(found))


def _bases(
    cells: list[tuple[Cell, Value]], kpis: Mapping[str, Kpi], twins: Mapping[str, Kpi]
) -> tuple[dict[BaseCell, float], set[BaseCell], dict[str, str]]:
    """The cells of what is counted (sums over months left out: their months decide), how
    many units each holds, those small, and each team's service."""
    sizes: dict[BaseCell, float] = {}
    primary: set[BaseCell] = set()
    parents: dict[str, str] = {}  # team id -> service id
    for cell, value in cells:
        kpi = kpis[cell[0]]
        if cell[1] == "team":
            parents[cell[2]] = str(dict(value.group).get("service_id"))
        if kpi.id in twins:
            continue
        base = (_base(kpi), cell[1], cell[2], cell[3])
        sizes[base] = max(sizes.get(base, 0.0), _size(value, kpi.unit))
        if is_small(value, kpi.unit):
            primary.add(base)
    return sizes, primary, parents


def published_values(engine: Engine, latest: Period) -> dict[Level, list[Value]]:
    """Every value a snapshot whose newest month is `latest` publishes to councillors and
    the public: each indicator at each published level, over the months the dashboard shows
    (the public report shows a part of the same)."""
    return compute_everything(
        engine.con,
        engine.catalogue,
        engine.populations,
        first_published(latest),
        latest,
        levels=PUBLISHED_LEVELS,
        qa=engine.qa,
    ).values


def suppress_snapshot(engine: Engine, latest: Period) -> Suppressed:
    """The hidden cells of what the snapshot publishes (`published_values`)."""
    return suppress(published_values(engine, latest), engine.catalogue)


def _base(kpi: Kpi) -> Base:
    grain = "month" if kpi.kind in ("flow", "snapshot") else kpi.kind
    return (*quantity(kpi), grain)


def _size(value: Value, unit: str) -> float:
    """How many units a cell holds (a complementary cell is chosen the smallest)."""
    if unit == "count":
        return value.value or 0.0
    if unit == "rate_per_10k":
        return value.numerator or 0.0
    return value.denominator or 0.0


def _months(kpi: Kpi, month: str) -> list[str]:
    """The months a year-to-date or rolling 12-month figure for `month` adds up."""
    end = Period.parse(month)
    count = 12 if kpi.kind == "rolling12" else (end.month - 4) % 12 + 1
    return [str(end.shift(-i)) for i in range(count)]


def _complementary(
    sizes: dict[BaseCell, float], primary: set[BaseCell], parents: dict[str, str]
) -> set[BaseCell]:
    """Each quantity's month is a table: the authority the sum of its services, each
    service of its teams (the total last)."""
    tables: dict[tuple[Base, str], dict[BaseCell, float]] = defaultdict(dict)
    for cell, size in sizes.items():
        tables[(cell[0], cell[3])][cell] = size
    hidden: set[BaseCell] = set()
    for (base, month), table in tables.items():
        if not primary.intersection(table):
            continue
        services = [c for c in table if c[1] == "service"]
        sums = [(*services, (base, "authority", "", month))]
        for service in services:
            teams = [c for c in table if c[1] == "team" and parents.get(c[2]) == service[2]]
            sums.append((*teams, service))
        hidden |= protect(table, primary.intersection(table), sums)
    return hidden

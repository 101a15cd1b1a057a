"""Figures revised since the previous snapshot: late recording, shown with old and new values.

Every snapshot is kept, so a report can say which of the figures it shows have changed
since the one before (a visit recorded late raises last month's visit rate).
"""

from __future__ import annotations

from dataclasses import dataclass

from scrutineer.calendar import Period
from scrutineer.catalogue.model import Catalogue, Kpi
from scrutineer.engine.batch import compute_everything
from scrutineer.engine.compute import Value
from scrutineer.engine.population import Populations
from scrutineer.extract.snapshots import Manifest, SnapshotStore


@dataclass(frozen=True)
class Revision:
    kpi: str
    title: str
    unit: str
    period: str
    before: float | None
    now: float | None


@dataclass(frozen=True)
class Revisions:
    previous: Manifest | None  # None: this is the first snapshot
    changes: tuple[Revision, ...]


def revisions(
    store: SnapshotStore,
    current: Manifest,
    kpis: list[Kpi],
    catalogue: Catalogue,
    populations: Populations,
    now: list[Value],
    first: Period,
    last: Period,
) -> Revisions:
    manifests = store.manifests()
    earlier = [m for m in manifests if m.id < current.id]
    if not earlier:
        return Revisions(None, ())
    previous = earlier[-1]
    con = store.connect(previous.id)
    try:
        shown = Catalogue(tuple(kpis), catalogue.cohorts)
        before = compute_everything(
            con, shown, populations, first, last, levels=("authority",)
        ).values["authority"]
    finally:
        con.close()
    old = {(v.kpi, v.period): v.value for v in before}
    titles = {k.id: k for k in kpis}
    changes = tuple(
        Revision(
            v.kpi,
            titles[v.kpi].title,
            titles[v.kpi].unit,
            v.period,
            old.get((v.kpi, v.period)),
            v.value,
        )
        for v in now
        if v.kpi in titles
        and (v.kpi, v.period) in old
        and _differs(old[(v.kpi, v.period)], v.value)
    )
    return Revisions(previous, changes)


def _differs(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is not b
    return abs(a - b) > 1e-9

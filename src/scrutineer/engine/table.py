"""The `kpi` command's result: values as rows, with what they were computed from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scrutineer.calendar import Period
from scrutineer.engine.compute import By
from scrutineer.engine.session import Session


@dataclass(frozen=True)
class KpiTable:
    rows: list[dict[str, object]]
    envelope: dict[str, object]


def kpi_table(
    session: Session, first: Period, last: Period, kpi_ids: Sequence[str], by: By | None
) -> KpiTable:
    engine = session.engine
    kpis = [engine.catalogue.get(k) for k in kpi_ids] if kpi_ids else list(engine.catalogue)
    values = engine.values(first, last, kpis, by)
    population = engine.populations.for_period(last)
    envelope: dict[str, object] = {
        "snapshot": session.manifest.id,
        "as_at": session.manifest.as_at.isoformat(),
        "population": {"count": population.count, "source": population.source},
    }
    return KpiTable([v.as_dict() for v in values], envelope)

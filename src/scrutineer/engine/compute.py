"""Compute indicators from a snapshot: values for every month, overall or by group.

Each KPI's units (one row per child or event in its denominator, per month) are computed
once per range of months by the SQL `catalogue.query.units_sql` writes, attributed to the
worker and team holding the child's case on the unit's `ref_date`, and kept in a
temporary table; totals, breakdowns and exception lists are all read from that one table,
so they always agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import duckdb

from scrutineer.calendar import Period, periods
from scrutineer.catalogue import language
from scrutineer.catalogue.model import Catalogue, Kpi
from scrutineer.catalogue.query import aggregate_sql, units_sql
from scrutineer.engine.population import Populations

By = Literal["service", "team", "worker"]
GROUP_KEYS: dict[str, tuple[str, ...]] = {
    "service": ("service_id", "service"),
    "team": ("service_id", "service", "team_id", "team"),
    "worker": ("service_id", "service", "team_id", "team", "worker_id", "worker"),
}


@dataclass(frozen=True)
class Value:
    kpi: str
    period: str
    value: float | None
    numerator: float | None
    denominator: float | None
    status: str = "ok"  # "ok", "no data" (not recorded yet), "no denominator"
    group: tuple[tuple[str, str | None], ...] = ()

    def as_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "kpi": self.kpi,
            "period": self.period,
            "value": self.value,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "status": self.status,
        }
        data.update(dict(self.group))
        return data


class Engine:
    """Computes from one snapshot connection (opened read-only by the caller)."""

    def __init__(
        self, con: duckdb.DuckDBPyConnection, catalogue: Catalogue, populations: Populations
    ) -> None:
        self.con = con
        self.catalogue = catalogue
        self.populations = populations
        self._units: dict[tuple[str], str] = {}
        language.install(con)

    def values(
        self, first: Period, last: Period, kpis: Iterable[Kpi] | None = None, by: By | None = None
    ) -> list[Value]:
        found: list[Value] = []
        for kpi in kpis if kpis is not None else self.catalogue:
            found += self.kpi_values(kpi, first, last, by)
        return found

    def kpi_values(
        self, kpi: Kpi, first: Period, last: Period, by: By | None = None
    ) -> list[Value]:
        months = [str(p) for p in periods(first, last)]
        if kpi.from_records:
            return [Value(kpi.id, m, None, None, None, "no data") for m in months]
        table = self.units(kpi, first, last)
        keys = GROUP_KEYS[by] if by else ()
        sql = aggregate_sql(kpi, self.catalogue, table, keys, first, last)
        rows = self.con.execute(sql).fetchall()
        found = [
            self._value(kpi, row[0], row[-2], row[-1], tuple(zip(keys, row[1:-2], strict=True)))
            for row in rows
        ]
        if not by:
            have = {v.period for v in found}
            found += [self._value(kpi, m, 0, 0, ()) for m in months if m not in have]
        return sorted(found, key=lambda v: (v.period, [str(x) for _, x in v.group]))

    def _value(
        self,
        kpi: Kpi,
        period: str,
        numerator: float | None,
        denominator: float | None,
        group: tuple[tuple[str, str | None], ...],
    ) -> Value:
        numerator = float(numerator or 0)
        if kpi.unit == "count":
            return Value(kpi.id, period, numerator, numerator, None, "ok", group)
        if kpi.unit == "rate_per_10k":
            population = self.populations.for_period(Period.parse(period)).count
            return Value(
                kpi.id,
                period,
                round(10_000 * numerator / population, 6),
                numerator,
                float(population),
                "ok",
                group,
            )
        denominator = float(denominator or 0)
        if not denominator:
            return Value(kpi.id, period, None, numerator, denominator, "no denominator", group)
        scale = 100.0 if kpi.unit == "percent" else 1.0
        return Value(
            kpi.id,
            period,
            round(scale * numerator / denominator, 6),
            numerator,
            denominator,
            "ok",
            group,
        )

    def units(self, kpi: Kpi, first: Period, last: Period) -> str:
        """The temporary table of the KPI's attributed units (shared by KPIs whose units
        are the same, such as contacts in the month, year to date and rolling 12 months)."""
        key = (units_sql(kpi, self.catalogue, first, last),)
        if key not in self._units:
            table = f"units_{len(self._units)}"
            units = units_sql(kpi, self.catalogue, first, last)
            columns = {str(r[0]) for r in self.con.execute(f"DESCRIBE {units}").fetchall()}
            own = {"team_id", "worker_id"} <= columns
            self.con.execute(
                f"CREATE OR REPLACE TEMP TABLE {table} AS {attributed_sql(units, own)}"
            )
            self._units[key] = table
        return self._units[key]


def attributed_sql(units: str, own: bool = False) -> str:
    """Units with the worker and team holding the child's case on the unit's ref_date.

    A cohort that names its own `team_id` and `worker_id` (referrals name the team that
    took them) is attributed to those where they are given.
    """
    worker = "coalesce(n.worker_id, a.worker_id)" if own else "a.worker_id"
    team = "coalesce(n.team_id, a.team_id)" if own else "a.team_id"
    return (
        f"WITH scored AS (\n{units}\n),\n"
        "numbered AS (SELECT row_number() OVER () AS unit_id, * FROM scored)\n"
        f"SELECT n.*, {worker} AS _worker_id, {team} AS _team_id\n"
        "FROM numbered AS n LEFT JOIN allocations AS a ON a.person_id = n.person_id\n"
        "  AND a.a_start <= n.ref_date AND (a.a_end IS NULL OR a.a_end > n.ref_date)\n"
        "QUALIFY row_number() OVER (PARTITION BY n.unit_id "
        "ORDER BY a.a_start DESC NULLS LAST, a.worker_id) = 1"
    )

"""Compute indicators from a snapshot: values for every month, overall or by group.

Each cohort is computed once per range of months (`catalogue.query.cohort_sql`), its rows
attributed to the worker and team holding the child's case on their `ref_date`, and kept
in a temporary table shared by every KPI over it. Each KPI's units (its denominator, with
`counted` for the numerator) are read from it into a table of their own; totals,
breakdowns and exception lists are all read from that one table, so they always agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal

import duckdb

from scrutineer.calendar import Period, periods
from scrutineer.catalogue import language
from scrutineer.catalogue.model import Catalogue, Kpi, Level
from scrutineer.catalogue.query import (
    NOT_ALLOCATED,
    aggregate_sql,
    cohort_months,
    cohort_sql,
    units_sql,
)
from scrutineer.engine.population import Populations
from scrutineer.engine.unmapped import Counts, Unmapped, read_unmapped
from scrutineer.extract.contract import load_contract

By = Literal["service", "team", "worker"]
# "ok"; "no data" (not recorded yet); "no denominator"; "unmapped": `unmapped` records it
# reads in its window hold values the load could not map to codes (engine/unmapped.py)
Status = Literal["ok", "no data", "no denominator", "unmapped"]


@dataclass(frozen=True)
class Value:
    kpi: str
    period: str
    value: float | None
    numerator: float | None
    denominator: float | None
    status: Status = "ok"
    group: tuple[tuple[str, str | None], ...] = ()
    unmapped: int = 0

    def as_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "kpi": self.kpi,
            "period": self.period,
            "value": self.value,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "status": self.status,
            "unmapped": self.unmapped,
        }
        data.update(dict(self.group))
        return data


class Engine:
    """Computes from one snapshot connection (opened read-only by the caller)."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        catalogue: Catalogue,
        populations: Populations,
        qa: language.QaRows | None = None,
    ) -> None:
        self.con = con
        self.catalogue = catalogue
        self.populations = populations
        self._cohorts: dict[tuple[str, str, Period, Period], str] = {}
        self._units: dict[str, str] = {}  # units SQL -> table
        self._ranges: dict[str, list[tuple[Period, Period, str]]] = {}  # KPI -> ranges done
        self._name_cache: dict[str | None, str] | None = None
        self._population_cache: dict[str, int] = {}
        self._group_cache: dict[
            tuple[str, str | None, str | None, str | None], tuple[tuple[str, str | None], ...]
        ] = {}
        language.install(con)
        language.install_qa(con, qa)
        self.qa = qa  # None: indicators over QA records say "no data"
        self.qa_loaded = qa is not None
        self.supported = _supported(con)  # a return's indicators; None: an extract's, all
        self.unmapped = Unmapped(con, load_contract(), read_unmapped(con))

    def has_data(self, kpi: Kpi) -> bool:
        """False for an indicator the snapshot cannot compute: one over QA records not
        handed over, or one a return-only snapshot does not hold. It says "no data"."""
        if kpi.from_records and not self.qa_loaded:
            return False
        return self.supported is None or kpi.id in self.supported

    def values(
        self, first: Period, last: Period, kpis: Iterable[Kpi] | None = None, by: By | None = None
    ) -> list[Value]:
        level = by or "authority"
        return self.levels(first, last, kpis, (level,))[level]

    def levels(
        self, first: Period, last: Period, kpis: Iterable[Kpi] | None, levels: tuple[Level, ...]
    ) -> dict[Level, list[Value]]:
        """Values at several levels (authority, service, team, worker) in one pass each KPI."""
        found: dict[Level, list[Value]] = {level: [] for level in levels}
        for kpi in kpis if kpis is not None else self.catalogue:
            for level, values in self.kpi_levels(kpi, first, last, levels).items():
                found[level] += values
        return found

    def kpi_values(
        self, kpi: Kpi, first: Period, last: Period, by: By | None = None
    ) -> list[Value]:
        level = by or "authority"
        return self.kpi_levels(kpi, first, last, (level,))[level]

    def kpi_levels(
        self, kpi: Kpi, first: Period, last: Period, levels: tuple[Level, ...]
    ) -> dict[Level, list[Value]]:
        months = [str(p) for p in periods(first, last)]
        found: dict[Level, list[Value]] = {level: [] for level in levels}
        if not self.has_data(kpi):
            if "authority" in found:
                found["authority"] = [Value(kpi.id, m, None, None, None, "no data") for m in months]
            return found
        table = self.units(kpi, first, last)
        sql = aggregate_sql(kpi, self.catalogue, table, levels, first, last)
        counts = {
            level: self.unmapped_counts(kpi, first, last, level != "authority") for level in levels
        }
        for period, level, service, team, worker, num, den in self.con.execute(sql).fetchall():
            value = self._value(kpi, period, num, den, self._group(level, service, team, worker))
            found[level].append(_marked(value, counts[level].get(period, 0)))
        if "authority" in found:
            have = {v.period for v in found["authority"]}
            found["authority"] += [
                _marked(self._value(kpi, m, 0, 0, ()), counts["authority"].get(m, 0))
                for m in months
                if m not in have
            ]
            found["authority"].sort(key=lambda v: v.period)
        return found

    def unmapped_counts(self, kpi: Kpi, first: Period, last: Period, grouped: bool) -> Counts:
        """Records with unmapped values the KPI's figure reads, by month (engine/unmapped.py);
        `grouped` for a team's or worker's figure, attributed through worker roles too."""
        read = self.unmapped.read_by(kpi, self.catalogue.cohorts[kpi.cohort])
        if grouped:
            read |= self.unmapped.attribution_reads()
        return self.unmapped.counts(read, kpi.kind, first, last)

    def _group(
        self, level: Level, service: str | None, team: str | None, worker: str | None
    ) -> tuple[tuple[str, str | None], ...]:
        names = self._names()
        group: tuple[tuple[str, str | None], ...] = ()
        if level != "authority":
            group = (("service_id", service), ("service", names.get(service, NOT_ALLOCATED)))
        if level in ("team", "worker"):
            group += (("team_id", team), ("team", names.get(team, NOT_ALLOCATED)))
        if level == "worker":
            group += (("worker_id", worker), ("worker", names.get(worker, NOT_ALLOCATED)))
        return group

    def _names(self) -> dict[str | None, str]:
        """Names of services, teams and workers by id (ids never collide across them)."""
        if self._name_cache is None:
            rows = self.con.execute(
                "SELECT service_id, service FROM teams UNION ALL SELECT team_id, team FROM teams "
                "UNION ALL SELECT worker_id, coalesce(worker, worker_id) FROM workers"
            ).fetchall()
            self._name_cache = {key: str(name) for key, name in rows if key is not None}
        return self._name_cache

    def _value(
        self,
        kpi: Kpi,
        period: str,
        numerator: float | None,
        denominator: float | None,
        group: tuple[tuple[str, str | None], ...],
    ) -> Value:
        # sums of decimals (full-time equivalence) differ in their last bits with the order
        # rows are summed in: rounded, every run and every grouping gives the same figure
        numerator = round(float(numerator or 0), 6)
        if kpi.unit == "count":
            return Value(kpi.id, period, numerator, numerator, None, "ok", group)
        if kpi.unit == "rate_per_10k":
            population = self._population(period)
            return Value(
                kpi.id,
                period,
                round(10_000 * numerator / population, 6),
                numerator,
                float(population),
                "ok",
                group,
            )
        denominator = round(float(denominator or 0), 6)
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

    def _population(self, period: str) -> int:
        if period not in self._population_cache:
            self._population_cache[period] = self.populations.for_period(Period.parse(period)).count
        return self._population_cache[period]

    def units(self, kpi: Kpi, first: Period, last: Period) -> str:
        """The temporary table of the KPI's units for `first` to `last` (shared by KPIs whose
        units are the same, such as contacts in the month, year to date and 12 months)."""
        cohort = self.cohort(kpi, first, last)
        sql = units_sql(kpi, cohort)
        if sql not in self._units:
            table = f"units_{len(self._units)}"
            self.con.execute(f"CREATE TEMP TABLE {table} AS {sql}")
            self._units[sql] = table
            self._ranges.setdefault(kpi.id, []).append((first, last, table))
        return self._units[sql]

    def units_for(self, kpi: Kpi, period: Period) -> str:
        """Units covering `period`: from a range already computed, or computed for it alone."""
        for first, last, table in self._ranges.get(kpi.id, []):
            if first <= period <= last:
                return table
        return self.units(kpi, period, period)

    def cohort(self, kpi: Kpi, first: Period, last: Period) -> str:
        """The temporary table of the KPI's cohort, attributed: computed once, shared."""
        kind, start, end = cohort_months(kpi, self.catalogue, first, last)
        key = (kpi.cohort, kind, start, end)
        if key not in self._cohorts:
            table = f"cohort_{len(self._cohorts)}"
            sql = cohort_sql(self.catalogue.cohorts[kpi.cohort], kind, start, end)
            self.con.execute(f"CREATE TEMP TABLE {table} AS {sql}")
            self._cohorts[key] = table
        return self._cohorts[key]


def _marked(value: Value, affected: int) -> Value:
    """The value marked `unmapped` when records with unmapped values fall in its window."""
    return replace(value, status="unmapped", unmapped=affected) if affected else value


def _supported(con: duckdb.DuckDBPyConnection) -> frozenset[str] | None:
    """The indicators a return-only snapshot holds (its scrutineer_supported table), or None
    for a snapshot of a whole extract."""
    found = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'scrutineer_supported'"
    ).fetchone()
    if not found or not found[0]:
        return None
    return frozenset(
        str(r[0]) for r in con.execute("SELECT kpi FROM scrutineer_supported").fetchall()
    )

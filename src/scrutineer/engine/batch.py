"""Everything at once: every indicator at every level, and every exception list, in parallel.

KPIs sharing a cohort go to the same worker thread (so each cohort is computed once); each
thread has its own DuckDB connection to the one snapshot (DuckDB runs queries without
Python's lock, so the threads use both cores). The report and the dashboard read this.
"""

from __future__ import annotations

from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import duckdb

from scrutineer.calendar import Period
from scrutineer.catalogue.language import QaRows
from scrutineer.catalogue.model import LEVELS, Catalogue, Kpi, Level
from scrutineer.engine.compute import Engine, Value
from scrutineer.engine.exceptions import ExceptionRow, exception_list
from scrutineer.engine.population import Populations


@dataclass
class Batch:
    values: dict[Level, list[Value]] = field(default_factory=lambda: {lv: [] for lv in LEVELS})
    exceptions: dict[str, list[ExceptionRow]] = field(default_factory=dict)


def compute_everything(
    con: duckdb.DuckDBPyConnection,
    catalogue: Catalogue,
    populations: Populations,
    first: Period,
    last: Period,
    exceptions_for: Period | None = None,
    threads: int = 2,
    levels: tuple[Level, ...] = LEVELS,
    qa: QaRows | None = None,
) -> Batch:
    """Every KPI from `first` to `last` at every level, and (for `exceptions_for`) every
    exception list."""
    buckets = _buckets(catalogue, threads)

    def run(kpis: list[Kpi]) -> Batch:
        engine = Engine(con.cursor(), catalogue, populations, qa)
        part = Batch({**{lv: [] for lv in LEVELS}, **engine.levels(first, last, kpis, levels)})
        if exceptions_for is not None:
            part.exceptions = {
                k.id: exception_list(engine, k, exceptions_for)
                for k in kpis
                if k.exceptions and engine.has_data(k)
            }
        return part

    with ThreadPoolExecutor(max_workers=len(buckets)) as pool:
        parts = list(pool.map(run, buckets))
    return _merge(catalogue, parts)


def authority_values(engine: Engine, first: Period, last: Period) -> list[Value]:
    """Every indicator for the authority as a whole from `first` to `last`, with the QA
    records the engine holds: what an assessment and the inspection summary read."""
    return compute_everything(
        engine.con,
        engine.catalogue,
        engine.populations,
        first,
        last,
        levels=("authority",),
        qa=engine.qa,
    ).values["authority"]


def _buckets(catalogue: Catalogue, threads: int) -> list[list[Kpi]]:
    by_cohort: dict[str, list[Kpi]] = defaultdict(list)
    for kpi in catalogue:
        by_cohort[kpi.cohort].append(kpi)
    buckets: list[list[Kpi]] = [[] for _ in range(max(threads, 1))]
    for kpis in sorted(by_cohort.values(), key=len, reverse=True):
        min(buckets, key=len).extend(kpis)
    return [b for b in buckets if b]


def _merge(catalogue: Catalogue, parts: list[Batch]) -> Batch:
    order = {kpi.id: index for index, kpi in enumerate(catalogue)}
    merged = Batch()
    for part in parts:
        for level, values in part.values.items():
            merged.values[level] += values
        merged.exceptions.update(part.exceptions)
    for values in merged.values.values():
        values.sort(key=lambda v: order[v.kpi])  # stable: months and groups stay in order
    merged.exceptions = dict(sorted(merged.exceptions.items(), key=lambda kv: order[kv[0]]))
    return merged

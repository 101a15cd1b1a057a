"""A KPI compiled to SQL, in two steps that every output shares.

1. **Cohort** (`cohort_sql`): who or what is counted, one row per unit per month, each
   attributed to the worker holding the child's case then. Computed once per cohort and
   shared by every KPI over it; events of an additive cohort month by month, once,
   however long a KPI's window.
   **Units** (`units_sql`): the cohort's rows in the KPI's denominator, with the KPI's
   columns and `counted` for the numerator.
2. **Aggregate** (`aggregate_sql`): for each month's window (the month; 1 April to the month;
   the 12 months to the month) and each group (service, team, worker), the numerator and
   the denominator, read from the units attributed to workers by the engine.

The same text is what the engine runs, what `scrutineer explain` prints and what the
catalogue checks bind: one compilation for every use.
"""

from __future__ import annotations

import re

import sqlglot
from sqlglot import exp

from scrutineer.calendar import Period
from scrutineer.catalogue import language
from scrutineer.catalogue.model import Catalogue, Cohort, Kind, Kpi, Level

# The first day of each month's window, by kind.
WINDOW_START: dict[Kind, str] = {
    "snapshot": "m",
    "flow": "m",
    "ytd": "make_date(year(m) - CASE WHEN month(m) < 4 THEN 1 ELSE 0 END, 4, 1)",
    "rolling12": "m - INTERVAL 11 MONTH",
}
RESERVED = ("counted", "unit_id", "_team_id", "_worker_id")
NOT_ALLOCATED = "Not allocated"
GROUP_COLUMNS = {
    "service_id": "t.service_id",
    "service": f"coalesce(t.service, '{NOT_ALLOCATED}')",
    "team_id": "u._team_id",
    "team": f"coalesce(t.team, '{NOT_ALLOCATED}')",
    "worker_id": "u._worker_id",
    "worker": f"coalesce(w.worker, '{NOT_ALLOCATED}')",
}


def periods_sql(kind: Kind, first: Period, last: Period) -> str:
    return (
        "  SELECT strftime(m, '%Y-%m') AS period, CAST(m AS DATE) AS p_start,\n"
        "         CAST(m + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE) AS p_end,\n"
        f"         CAST({WINDOW_START[kind]} AS DATE) AS w_start\n"
        f"  FROM range(DATE '{first.start}', DATE '{last.start}' + INTERVAL 1 DAY, "
        "INTERVAL 1 MONTH) AS months(m)"
    )


def by_month(kpi: Kpi, catalogue: Catalogue) -> bool:
    """Whether the KPI's units are computed month by month and its windows added up."""
    return kpi.kind in ("ytd", "rolling12") and catalogue.cohorts[kpi.cohort].additive


def cohort_months(
    kpi: Kpi, catalogue: Catalogue, first: Period, last: Period
) -> tuple[Kind, Period, Period]:
    """The kind and months the cohort is computed for, to report `first` to `last`."""
    if not by_month(kpi, catalogue):
        return kpi.kind, first, last
    if kpi.kind == "rolling12":
        return "flow", first.shift(-11), last
    return "flow", Period(first.financial_year, 4), last


def cohort_sql(cohort: Cohort, kind: Kind, first: Period, last: Period) -> str:
    """The cohort's rows, each attributed to the worker and team holding the child's case on
    its ref_date (or to the team and worker the cohort names itself, where it does)."""
    parsed = sqlglot.parse_one(cohort.sql, read="duckdb")
    own = isinstance(parsed, exp.Query) and {"team_id", "worker_id"} <= set(parsed.named_selects)
    worker = "coalesce(n.worker_id, a.worker_id)" if own else "a.worker_id"
    team = "coalesce(n.team_id, a.team_id)" if own else "a.team_id"
    body = "\n".join("  " + line for line in cohort.sql.strip().splitlines())
    return (
        f"WITH periods AS (\n{periods_sql(kind, first, last)}\n),\n"
        f"cohort AS (\n{body}\n),\n"
        "numbered AS (SELECT row_number() OVER () AS unit_id, * FROM cohort)\n"
        f"SELECT n.*, {worker} AS _worker_id, {team} AS _team_id\n"
        "FROM numbered AS n LEFT JOIN allocations AS a ON a.person_id = n.person_id\n"
        f"  AND {language.holds_case_on('n.ref_date')}\n"
        f"QUALIFY row_number() OVER (PARTITION BY n.unit_id ORDER BY {language.HOLDER_FIRST}) = 1"
    )


def units_sql(kpi: Kpi, source: str) -> str:
    """One row per unit in the denominator, with `counted` for the numerator, read from the
    KPI's cohort (`source`: the cohort's table, or its SQL in brackets). A column that uses
    another of the KPI's columns is computed in a layer after it (SQL cannot use a column's
    name in the select that makes it when a subquery is involved)."""
    layers = _layers(kpi.columns)
    steps = [source, *(f"layer{n}" for n in range(1, len(layers)))]
    ctes = []
    for n, (layer, read) in enumerate(zip(layers, steps, strict=True)):
        columns = "".join(f",\n    {expr} AS {name}" for name, expr in layer)
        name = "units" if n == len(layers) - 1 else f"layer{n + 1}"
        ctes.append(f"{name} AS (\n  SELECT c.*{columns}\n  FROM {read} AS c\n)")
    where = f"\nWHERE {kpi.where}" if kpi.where else ""
    counted = kpi.counted or "TRUE"
    return (
        f"WITH {', '.join(ctes)}\n"
        f"SELECT u.*, coalesce(({counted}), false) AS counted\nFROM units AS u{where}"
    )


def _layers(columns: tuple[tuple[str, str], ...]) -> list[list[tuple[str, str]]]:
    """The KPI's columns in layers: each after every column of the KPI it names."""
    depth: dict[str, int] = {}
    for name, expr in columns:
        used = [depth[other] for other in depth if re.search(rf"\b{other}\b", expr)]
        depth[name] = 1 + max(used) if used else 0
    layers: list[list[tuple[str, str]]] = [[] for _ in range(max(depth.values(), default=0) + 1)]
    for name, expr in columns:
        layers[depth[name]].append((name, expr))
    return layers


def standalone_units_sql(kpi: Kpi, catalogue: Catalogue, first: Period, last: Period) -> str:
    """The units as one statement, the cohort inline: for checking a definition."""
    kind, start, end = cohort_months(kpi, catalogue, first, last)
    return units_sql(kpi, f"(\n{cohort_sql(catalogue.cohorts[kpi.cohort], kind, start, end)}\n)")


def measures(kpi: Kpi) -> tuple[str, str]:
    """The numerator and denominator as aggregates over a group of units."""
    if kpi.unit == "percent" and kpi.weight:  # each unit counts its weight (an FTE)
        return f"sum({kpi.weight}) FILTER (WHERE counted)", f"sum({kpi.weight})"
    if kpi.unit == "percent":
        return "count(*) FILTER (WHERE counted)", "count(*)"
    if kpi.unit == "average":
        return kpi.numerator or "NULL", kpi.denominator or "NULL"
    return "count(*)", "NULL"  # counts and rates (whose denominator is the population)


# The levels figures are given at, each the columns of its group, coarsest first.
LEVEL_COLUMNS: dict[Level, tuple[str, ...]] = {
    "authority": (),
    "service": ("_service_id",),
    "team": ("_service_id", "_team_id"),
    "worker": ("_service_id", "_team_id", "_worker_id"),
}


def aggregate_sql(
    kpi: Kpi,
    catalogue: Catalogue,
    units_table: str,
    levels: tuple[Level, ...],
    first: Period,
    last: Period,
) -> str:
    """Numerator and denominator for each month's window, at each level asked for (the
    authority, service, team, worker), in one pass over the units. Each row says its level
    by the ids it names: a level's rows have its group's ids and NULL for the finer ones."""
    numerator, denominator = measures(kpi)
    columns = max((LEVEL_COLUMNS[level] for level in levels), key=len)  # the finest level's
    sets = ", ".join("(" + ", ".join(("w.period", *LEVEL_COLUMNS[level])) + ")" for level in levels)
    in_window = (
        "u.period BETWEEN strftime(w.w_start, '%Y-%m') AND w.period"
        if by_month(kpi, catalogue)
        else "u.period = w.period"
    )
    ids = ", ".join(
        c if c in columns else f"NULL AS {c}" for c in ("_service_id", "_team_id", "_worker_id")
    )
    return (
        f"WITH windows AS (\n{periods_sql(kpi.kind, first, last)}\n),\n"
        f"grouped AS (\n  SELECT u.*, t.service_id AS _service_id\n  FROM {units_table} AS u\n"
        "  LEFT JOIN teams AS t ON t.team_id = u._team_id\n)\n"
        f"SELECT w.period, {_level_sql(levels, columns)} AS level, {ids},\n"
        f"       {numerator} AS numerator,\n       {denominator} AS denominator\n"
        f"FROM windows AS w JOIN grouped AS u ON {in_window}\n"
        f"GROUP BY GROUPING SETS ({sets})\n"
        "ORDER BY w.period, level, _service_id NULLS LAST, _team_id NULLS LAST, "
        "_worker_id NULLS LAST"
    )


def _level_sql(levels: tuple[Level, ...], columns: tuple[str, ...]) -> str:
    """Which level a row is at, from the grouping columns its set leaves out."""
    if not columns:
        return f"'{levels[0]}'"

    def mask(level: Level) -> int:  # grouping() sets a bit, leftmost first, per column left out
        return sum(
            1 << (len(columns) - 1 - n)
            for n, c in enumerate(columns)
            if c not in LEVEL_COLUMNS[level]
        )

    cases = "".join(f" WHEN {mask(level)} THEN '{level}'" for level in levels)
    return f"CASE grouping({', '.join(columns)}){cases} END"

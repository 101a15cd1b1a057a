"""A KPI compiled to SQL, in two steps that every output shares.

1. **Units** (`units_sql`): one row per unit in the denominator (a child at a month end, an
   event in a month), with `counted` for the numerator. Events of an additive cohort are
   computed month by month, once, however long the KPI's window.
2. **Aggregate** (`aggregate_sql`): for each month's window (the month; 1 April to the month;
   the 12 months to the month) and each group (service, team, worker), the numerator and
   the denominator, read from the units attributed to workers by the engine.

The same text is what the engine runs, what `scrutineer explain` prints and what the
catalogue checks bind: one compilation for every use.
"""

from __future__ import annotations

from scrutineer.calendar import Period
from scrutineer.catalogue.model import Catalogue, Kind, Kpi

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
    return kpi.kind in ("ytd", "rolling12") and catalogue.cohorts[kpi.source].additive


def unit_months(
    kpi: Kpi, catalogue: Catalogue, first: Period, last: Period
) -> tuple[Kind, Period, Period]:
    """The kind and months the units are computed for, to report `first` to `last`."""
    if not by_month(kpi, catalogue):
        return kpi.kind, first, last
    if kpi.kind == "rolling12":
        return "flow", first.shift(-11), last
    return "flow", Period(first.financial_year, 4), last


def units_sql(kpi: Kpi, catalogue: Catalogue, first: Period, last: Period) -> str:
    """One row per unit in the denominator, per month, with `counted` for the numerator."""
    kind, start, end = unit_months(kpi, catalogue, first, last)
    cohort = catalogue.cohorts[kpi.source]
    columns = "".join(f",\n    {expr} AS {name}" for name, expr in kpi.columns)
    where = f"\nWHERE {kpi.where}" if kpi.where else ""
    counted = kpi.counted or "TRUE"
    body = "\n".join("  " + line for line in cohort.sql.strip().splitlines())
    return (
        f"WITH periods AS (\n{periods_sql(kind, start, end)}\n),\n"
        f"cohort AS (\n{body}\n),\n"
        f"units AS (\n  SELECT c.*{columns}\n  FROM cohort AS c\n)\n"
        f"SELECT u.*, coalesce(({counted}), false) AS counted\nFROM units AS u{where}"
    )


def measures(kpi: Kpi) -> tuple[str, str]:
    """The numerator and denominator as aggregates over a group of units."""
    if kpi.unit == "percent":
        return "count(*) FILTER (WHERE counted)", "count(*)"
    if kpi.unit == "average":
        return kpi.numerator or "NULL", kpi.denominator or "NULL"
    return "count(*)", "NULL"  # counts and rates (whose denominator is the population)


def aggregate_sql(
    kpi: Kpi,
    catalogue: Catalogue,
    units_table: str,
    keys: tuple[str, ...],
    first: Period,
    last: Period,
) -> str:
    """Numerator and denominator per month's window and group, from attributed units."""
    numerator, denominator = measures(kpi)
    groups = "".join(f",\n         {GROUP_COLUMNS[k]} AS _g_{k}" for k in keys)
    selected = "".join(f", u._g_{k} AS {k}" for k in keys)
    in_window = (
        "u.period BETWEEN strftime(w.w_start, '%Y-%m') AND w.period"
        if by_month(kpi, catalogue)
        else "u.period = w.period"
    )
    return (
        f"WITH windows AS (\n{periods_sql(kpi.kind, first, last)}\n),\n"
        f"grouped AS (\n  SELECT u.*{groups}\n  FROM {units_table} AS u\n"
        "  LEFT JOIN teams AS t ON t.team_id = u._team_id\n"
        "  LEFT JOIN workers AS w ON w.worker_id = u._worker_id\n)\n"
        f"SELECT w.period{selected},\n       {numerator} AS numerator,\n"
        f"       {denominator} AS denominator\n"
        f"FROM windows AS w JOIN grouped AS u ON {in_window}\n"
        "GROUP BY ALL ORDER BY ALL"
    )

"""Every number can explain itself: a KPI's definition and the SQL the engine runs for it."""

from __future__ import annotations

from scrutineer.calendar import Period
from scrutineer.catalogue.docs import golden_file, sql_file
from scrutineer.catalogue.model import Catalogue, Kpi
from scrutineer.catalogue.query import aggregate_sql, cohort_months, cohort_sql, units_sql

SQL_PERIOD = Period(2026, 3)  # the month tests/sql/ (sql_file) holds each indicator's SQL for


def explain(kpi: Kpi, catalogue: Catalogue, period: Period, where: bool = True) -> str:
    """The definition, where it is written and tested (`where`), then the three statements
    run to compute `period`'s figure."""
    header = [
        f"-- {kpi.id}: {kpi.title}",
        f"-- {kpi.definition}",
        f"-- unit {kpi.unit}, kind {kpi.kind}, polarity {kpi.polarity}, "
        f"area {kpi.area}, theme {kpi.theme}"
        + (f", DfE benchmark {kpi.benchmark}" if kpi.benchmark else ""),
        f"-- source: {kpi.source or 'not stated'}",
    ]
    if kpi.note:
        header.append(f"-- counting: {kpi.note}")
    if kpi.differs:
        header.append(f"-- differs from DfE's figure: {kpi.differs}")
    if where:  # left out of the reviewed snapshot: a line moved is not a change
        header.append(
            f"-- defined in src/scrutineer/catalogue/{kpi.location}; worked by hand in "
            f"{golden_file(kpi)}; compiled SQL reviewed in {sql_file(kpi)}"
        )
    cohort = catalogue.cohorts[kpi.cohort]
    header.append(f"-- cohort {cohort.name}: {cohort.description}")
    if kpi.from_records:
        header.append(
            "-- (from the quality-assurance records: the qa_* tables of the records store)"
        )
    kind, first, last = cohort_months(kpi, catalogue, period, period)
    return "\n".join(
        [
            *header,
            "",
            "-- 1. the cohort, one row per unit per month, attributed to the worker holding the",
            "--    child's case on ref_date (computed once, shared by every KPI over it)",
            "CREATE TEMP TABLE cohort AS",
            cohort_sql(cohort, kind, first, last) + ";",
            "",
            "-- 2. the units: the denominator, `counted` if in the numerator",
            "CREATE TEMP TABLE units AS",
            units_sql(kpi, "cohort") + ";",
            "",
            "-- 3. numerator and denominator for each month's window",
            aggregate_sql(kpi, catalogue, "units", ("authority",), period, period) + ";",
            "",
        ]
    )

"""The inspection summary beside Annex A: each list's records month by month, with the
board's own indicators for the same months and how many children each one's exception list
holds, for the senior team's preparation. The figures are the engine's, computed as every
output computes them: nothing here counts a second way."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from scrutineer.calendar import Period, periods
from scrutineer.catalogue.model import Kpi
from scrutineer.engine.batch import authority_values
from scrutineer.engine.compute import Engine, Value
from scrutineer.engine.exceptions import ExceptionRow, exception_list
from scrutineer.inspection.annex_a import AnnexTable, Window
from scrutineer.inspection.definitions import AnnexList


@dataclass(frozen=True)
class IndicatorLine:
    kpi: Kpi
    values: tuple[Value | None, ...]  # one a month, as the board sees it
    exceptions: tuple[int, ...] | None  # children its exception list holds each month
    latest: tuple[ExceptionRow, ...] = ()  # the children in it in the as-at month


@dataclass(frozen=True)
class ListSummary:
    annex: AnnexList
    rows: int
    by_month: tuple[int, ...] | None  # records counted in each month, by `month_of`
    indicators: tuple[IndicatorLine, ...]


@dataclass(frozen=True)
class InspectionSummary:
    period: Window
    months: tuple[Period, ...]  # every month the period touches, the first perhaps in part
    lists: tuple[ListSummary, ...]

    @property
    def first_in_part(self) -> bool:
        return self.period.start.day != 1


def summarise(engine: Engine, period: Window, tables: list[AnnexTable]) -> InspectionSummary:
    first, last = Period.of(period.start), Period.of(period.end)
    months = tuple(periods(first, last))
    found = {(v.kpi, v.period): v for v in authority_values(engine, first, last)}
    lists = []
    for table in tables:
        annex = table.annex
        lines = tuple(
            _line(engine, engine.catalogue.get(kpi_id), months, found)
            for kpi_id in annex.indicators
        )
        lists.append(ListSummary(annex, len(table.rows), _by_month(table, months), lines))
    return InspectionSummary(period, months, tuple(lists))


def _line(
    engine: Engine, kpi: Kpi, months: tuple[Period, ...], found: dict[tuple[str, str], Value]
) -> IndicatorLine:
    if kpi.exceptions is None:
        return IndicatorLine(kpi, tuple(found.get((kpi.id, str(m))) for m in months), None)
    listed = [exception_list(engine, kpi, month) for month in months]
    return IndicatorLine(
        kpi,
        tuple(found.get((kpi.id, str(m))) for m in months),
        tuple(len(rows) for rows in listed),
        tuple(listed[-1]),
    )


def _by_month(table: AnnexTable, months: tuple[Period, ...]) -> tuple[int, ...] | None:
    if table.annex.month_of is None:
        return None
    at = table.annex.columns.index(table.annex.month_of)
    counted = dict.fromkeys((str(m) for m in months), 0)
    for row in table.rows:
        day = row[at]
        if isinstance(day, date) and f"{day:%Y-%m}" in counted:
            counted[f"{day:%Y-%m}"] += 1
    return tuple(counted.values())

"""Annex A drawn from a snapshot: each list's rows for a period ending on the as-at date."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

import duckdb

from scrutineer.errors import ScrutineerError
from scrutineer.inspection import vocabulary
from scrutineer.inspection.definitions import AnnexList, load_lists

Cell = str | int | float | date | None


@dataclass(frozen=True)
class Window:
    """The period the lists cover: from the same day `months` months before the as-at date
    (the month's last day where that month is shorter) to the as-at date, both included."""

    start: date
    end: date
    months: int

    def __str__(self) -> str:
        return f"{self.start:%d %B %Y} to {self.end:%d %B %Y}"


def window(as_at: date, months: int) -> Window:
    if not 1 <= months <= 36:
        raise MonthsInvalid(months)
    back = as_at.year * 12 + as_at.month - 1 - months
    year, month = divmod(back, 12)
    day = min(as_at.day, calendar.monthrange(year, month + 1)[1])
    return Window(date(year, month + 1, day), as_at, months)


@dataclass(frozen=True)
class AnnexTable:
    annex: AnnexList
    rows: tuple[tuple[Cell, ...], ...]


def annex_a(con: duckdb.DuckDBPyConnection, period: Window) -> list[AnnexTable]:
    """Every list's rows, on a connection to a snapshot with the catalogue's language."""
    vocabulary.install(con, period.end)
    return [
        AnnexTable(
            annex,
            tuple(
                tuple(row)
                for row in con.execute(
                    annex.sql, annex.parameters(period.start, period.end)
                ).fetchall()
            ),
        )
        for annex in load_lists()
    ]


class MonthsInvalid(ScrutineerError):
    def __init__(self, months: int) -> None:
        super().__init__(
            f"--months {months}: give a number of months from 1 to 36 (Ofsted asks for 6)."
        )

"""The data-quality report of a load: per table and column, what a performance team fixes
in its case management system before the figures go to the board.

For every column of the contract in each file: its rows, how many are filled (and the
share), placeholders written for an item not yet mapped (SSD_PH), values not mapped to a
code, references to rows that do not exist, and dates out of range (an implausible year, or
an event after the as-at date). Written beside the snapshot as `quality.csv`, shown on the
snapshot's page, and downloadable from it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import astuple, dataclass, fields

from scrutineer.extract.coding import Unmapped
from scrutineer.extract.contract import Column, Table
from scrutineer.extract.snapshots import QUALITY_NAME
from scrutineer.extract.sql import EARLIEST_YEAR, LATEST_YEAR, quote
from scrutineer.extract.validate import Extract, known_ids

__all__ = ["QUALITY_NAME", "ColumnQuality", "column_quality", "quality_csv", "read_quality"]
PLACEHOLDER = "SSD_PH"


@dataclass(frozen=True)
class ColumnQuality:
    table: str
    column: str
    in_file: bool  # False: the file has no such column (every row counts as empty)
    rows: int
    filled: int
    placeholders: int
    unmapped: int
    references_failing: int
    dates_out_of_range: int

    @property
    def share_filled(self) -> float | None:
        return round(100 * self.filled / self.rows, 1) if self.rows else None


def column_quality(extract: Extract, unmapped: list[Unmapped]) -> list[ColumnQuality]:
    """Every contract column of every file the extract has, in contract order."""
    unmapped_rows: dict[tuple[str, str], int] = {}
    for u in unmapped:
        unmapped_rows[(u.table, u.column)] = unmapped_rows.get((u.table, u.column), 0) + u.rows
    found: list[ColumnQuality] = []
    for table, _ in extract.present():
        counts = _counts(extract, table)
        for column in table.columns:
            rows, filled, placeholders, out_of_range = counts.get(
                column.name, (counts[""][0], 0, 0, 0)
            )
            found.append(
                ColumnQuality(
                    table.name,
                    column.name,
                    extract.has(table.name, column.name),
                    rows,
                    filled,
                    placeholders,
                    unmapped_rows.get((table.name, column.name), 0),
                    _failing(extract, table, column),
                    out_of_range,
                )
            )
    return found


def _counts(extract: Extract, table: Table) -> dict[str, tuple[int, int, int, int]]:
    """column -> (rows, filled, placeholders, dates out of range), in one pass of the table;
    "" -> the table's rows."""
    present = [c for c in table.columns if extract.has(table.name, c.name)]
    parts = ["count(*)"]
    for column in present:
        ref = quote(column.name)
        parts += [
            f"count(scr_text({ref}))",
            f"count(*) FILTER (WHERE trim({ref}) = '{PLACEHOLDER}')",
            _out_of_range(extract, column) if column.type == "date" else "0",
        ]
    row = extract.con.execute(f"SELECT {', '.join(parts)} FROM raw.{table.name}").fetchone()
    assert row is not None
    rows = int(row[0])
    counts = {"": (rows, 0, 0, 0)}
    for n, column in enumerate(present):
        filled, placeholders, out_of_range = (int(x) for x in row[1 + 3 * n : 4 + 3 * n])
        counts[column.name] = (rows, filled, placeholders, out_of_range)
    return counts


def _out_of_range(extract: Extract, column: Column) -> str:
    day = f"scr_date({quote(column.name)})"
    late = (
        f" OR {day} > DATE '{extract.as_at.isoformat()}'"
        if extract.as_at is not None and not column.future
        else ""
    )
    return (
        f"count(*) FILTER (WHERE year({day}) NOT BETWEEN {EARLIEST_YEAR} AND {LATEST_YEAR}{late})"
    )


def _failing(extract: Extract, table: Table, column: Column) -> int:
    ref = column.references
    if ref is None or not extract.has(table.name, column.name):
        return 0
    value = f"scr_text(t.{quote(column.name)})"
    found = extract.con.execute(
        f"SELECT count(*) FROM raw.{table.name} AS t ANTI JOIN ({known_ids(extract, ref)}) AS k "
        f"ON k.v = {value} WHERE {value} IS NOT NULL"
    ).fetchone()
    return int(found[0]) if found else 0


HEADER = (*(f.name for f in fields(ColumnQuality)), "share_filled")


def quality_csv(found: list[ColumnQuality]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows((*astuple(q), "" if q.share_filled is None else q.share_filled) for q in found)
    return out.getvalue()


def read_quality(text: str) -> Iterator[ColumnQuality]:
    for row in csv.DictReader(io.StringIO(text)):
        yield ColumnQuality(
            row["table"],
            row["column"],
            row["in_file"] == "True",
            *(int(row[f.name]) for f in fields(ColumnQuality)[3:]),
        )

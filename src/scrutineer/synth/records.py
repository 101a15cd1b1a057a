"""Where the generator's rows go: one list per contract table, clipped to what an extract
taken on the as-at date would hold, then written as CSV or Parquet.

Rows are stored as tuples in contract column order; columns the generator does not fill
are written empty, as an authority's extract would leave them.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Collection
from datetime import date
from pathlib import Path

import duckdb

from scrutineer.extract.contract import Contract

Value = str | int | float | date | None


# tables that describe a person rather than record something that happened to them: they
# neither keep a person in the extract nor stay without them
ABOUT_THE_PERSON = {
    "ssd_disability": "disa_person_id",
    "ssd_address": "addr_person_id",
    "ssd_linked_identifiers": "link_person_id",
}


def flags_json(contract: Contract, codes: str, chosen: Collection[str], unset: str = "N") -> str:
    """An SSD object of flags holding every key of the code list, as the SSD's SQL writes it
    ("all keys in structure regardless of data presence"): Y for those chosen."""
    return json.dumps(
        {key: "Y" if key in chosen else unset for key in contract.codes[codes].values}
    )


class Records:
    def __init__(self, contract: Contract, history_start: date, as_at: date) -> None:
        self.contract = contract
        self.history_start = history_start
        self.as_at = as_at
        self._columns = {t.name: t.column_names for t in contract}
        self._column_sets = {t.name: frozenset(t.column_names) for t in contract}
        self._rows: dict[str, list[tuple[Value, ...]]] = defaultdict(list)
        self._counters: dict[str, int] = defaultdict(int)
        self._latest: dict[str, dict[Value, int]] = defaultdict(dict)  # table -> key -> row

    def next_id(self, prefix: str) -> str:
        self._counters[prefix] += 1
        return f"{prefix}{self._counters[prefix]:06d}"

    def ended(self, day: date | None) -> date | None:
        """An end date as the extract shows it: none yet if it falls after the as-at date."""
        return day if day is not None and day <= self.as_at else None

    def add(self, table: str, **row: Value) -> None:
        if not row.keys() <= self._column_sets[table]:
            unknown = sorted(row.keys() - self._column_sets[table])
            raise KeyError(f"{table} has no column(s) {unknown}")
        self._rows[table].append(tuple(map(row.get, self._columns[table])))

    def event(self, table: str, day: date, **row: Value) -> bool:
        """Add a dated event if the extract would hold it; say whether it was added."""
        if self.history_start <= day <= self.as_at:
            self.add(table, **row)
            return True
        return False

    def latest(self, table: str, day: date, **row: Value) -> None:
        """A dated row of a table keyed by something other than the event (the SSD's
        immunisations: one row per child), replacing the one it supersedes."""
        if not self.history_start <= day <= self.as_at:
            return
        self.add(table, **row)
        last = len(self._rows[table]) - 1
        index = self._latest[table].setdefault(row[self.contract.table(table).key], last)
        if index != last:  # a child's checks come in date order: the newer one stays
            self._rows[table][index] = self._rows[table].pop()

    def span(self, table: str, start: date, end: date | None, **row: Value) -> bool:
        """Add a record with a start and an end if any of it falls in the extract's window."""
        if start <= self.as_at and (end is None or end >= self.history_start):
            self.add(table, **row)
            return True
        return False

    def keep_people_with_records(self, person_columns: set[str]) -> None:
        """Drop people no other table names (children whose records all predate the extract)."""
        named: set[Value] = set()
        for table, columns in self._columns.items():
            if table == "ssd_person" or table in ABOUT_THE_PERSON:
                continue
            positions = [i for i, c in enumerate(columns) if c in person_columns]
            for row in self._rows[table]:
                named.update(row[i] for i in positions)
        self._rows["ssd_person"] = [r for r in self._rows["ssd_person"] if r[0] in named]
        for table, column in ABOUT_THE_PERSON.items():  # go with the person
            person = self._columns[table].index(column)
            self._rows[table] = [r for r in self._rows[table] if r[person] in named]

    def count(self, table: str) -> int:
        return len(self._rows[table])

    def write(self, folder: Path, fmt: str = "csv") -> list[Path]:
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for table, columns in self._columns.items():
            path = folder / f"{table}.csv"
            with path.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle, lineterminator="\n")
                writer.writerow(columns)
                writer.writerows(self._rows[table])  # csv writes None as empty, dates as ISO
            written.append(_to_parquet(path) if fmt == "parquet" else path)
        return written


def _to_parquet(path: Path) -> Path:
    target = path.with_suffix(".parquet")
    con = duckdb.connect()
    try:
        con.execute(
            "COPY (SELECT * FROM read_csv(?, all_varchar=true, header=true)) TO ? (FORMAT parquet)",
            [str(path), str(target)],
        )
    finally:
        con.close()
    path.unlink()
    return target

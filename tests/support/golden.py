"""Golden cases: small hand-made extracts (YAML) and the figures worked out by hand.

Each file `tests/golden/<kpi_id>.yaml` is a list of cases:

    - case: what the case shows (the edge case, and how the answer was worked out)
      as_at: 2024-06-30            # optional: the snapshot's as-at date
      rows:                        # rows of extract tables; columns left out are empty
        ssd_person: [{pers_person_id: A, pers_dob: 2015-01-01}]
      expect:                      # by month: value, numerator, denominator (any of them)
        2024-05: {value: 50.0, numerator: 1, denominator: 2}
      exceptions:                  # optional: the children listed, by month
        2024-05: [B]
      overdue:                     # optional: each listed child's due date and days overdue
        2024-05: {B: [2024-05-14, 13]}
      qa:                          # optional: quality-assurance records (the qa_* tables)
        qa_audits: [{audit_ref: A1, person_id: A, completed_date: 2024-05-03, ...}]

The rows go into a real DuckDB database shaped exactly like a snapshot (every contract
table, typed, and the working-day calendar), so the engine runs as it does on a load.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import yaml

from scrutineer.calendar import CalendarDay, calendar_rows
from scrutineer.extract.contract import load_contract
from scrutineer.extract.snapshot_tables import write_calendar, write_snapshot

GOLDEN = Path(__file__).parents[1] / "golden"


@cache
def _calendar() -> list[CalendarDay]:
    return calendar_rows(date(2018, 1, 1), date(2028, 12, 31))


def snapshot_from_rows(
    rows: Mapping[str, Sequence[Mapping[str, Any]]], as_at: date
) -> duckdb.DuckDBPyConnection:
    contract = load_contract()
    con = duckdb.connect()
    for table in contract:
        columns = ", ".join(f'"{c.name}" {c.sql_type}' for c in table.columns)
        con.execute(f"CREATE TABLE {table.name} ({columns})")
    for name, records in rows.items():
        table = contract.table(name)  # a misspelt table fails here, loudly
        for record in records:
            unknown = set(record) - set(table.column_names)
            assert not unknown, f"{name} has no column(s) {unknown}"
            names = ", ".join(f'"{c}"' for c in record)
            marks = ", ".join("?" for _ in record)
            values = [
                str(v) if isinstance(v, int) and table.column(c).type in ("id", "text") else v
                for c, v in record.items()
            ]
            con.execute(f"INSERT INTO {name} ({names}) VALUES ({marks})", values)
    write_calendar(con, _calendar())
    write_snapshot(con, ("golden", as_at))
    return con


def golden_cases() -> list[tuple[str, dict[str, Any]]]:
    cases = []
    for path in sorted(GOLDEN.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            cases.append((path.stem, case))
    return cases

"""Coded columns on load: local values mapped to codes, and the values left unmapped.

The code map is applied to the raw text tables before any check, so checks, snapshot and
figures all see codes. A value that is still not a code of its list (and a JSON column's
code or key the SSD does not list) is *unmapped*: the load keeps it as it came, lists it
(table, column, value, rows) in its report, manifest and the snapshot's
`scrutineer_unmapped` table, and every figure that reads it says so (engine/unmapped.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import duckdb

from scrutineer.extract.codemap import CodeMap
from scrutineer.extract.contract import Column, Table
from scrutineer.extract.sql import quote, strings
from scrutineer.extract.validate import Extract
from scrutineer.findings import Issue, Level


@dataclass(frozen=True)
class Mapped:
    """Rows whose local value a map turned into a code."""

    table: str
    column: str
    local: str
    standard: str
    source: str
    rows: int


@dataclass(frozen=True)
class Unmapped:
    """A value the load could not read as a code of its column's list."""

    table: str
    column: str
    value: str
    rows: int
    first_row: int

    def issue(self, file: str, codes: str) -> Issue:
        return Issue(
            Level.WARNING,
            "unmapped-code",
            f"not a code of the list {codes}, and no code map line maps it: "
            f"{self.rows:,} row(s); the figures that read it are marked",
            "Add a line table,column,local,standard to the code map (code_map.csv in the "
            "extract folder, or --codes FILE; docs/code-maps.md)",
            file=file,
            row=self.first_row,
            column=self.column,
            value=self.value,
        )


def apply_code_map(extract: Extract, code_map: CodeMap) -> list[Mapped]:
    """Replace each mapped local value in the raw tables by its code; what was replaced."""
    con = extract.con
    entries = code_map.entries
    con.execute(
        "CREATE OR REPLACE TEMP TABLE scr_map AS SELECT unnest(?::VARCHAR[]) AS tbl, "
        "unnest(?::VARCHAR[]) AS col, unnest(?::VARCHAR[]) AS local, "
        "unnest(?::VARCHAR[]) AS standard, unnest(?::VARCHAR[]) AS source",
        [
            [getattr(e, f) for e in entries]
            for f in ("table", "column", "local", "standard", "source")
        ],
    )
    mapped: list[Mapped] = []
    for table, column in sorted(code_map.columns()):
        if not extract.has(table, column):
            continue
        ref = quote(column)
        joined = (
            f"FROM scr_map AS m WHERE m.tbl = '{table}' AND m.col = '{column}' "
            f"AND scr_local(t.{ref}) = m.local"
        )
        counted = con.execute(
            f"SELECT m.local, m.standard, m.source, count(*) FROM raw.{table} AS t, scr_map AS m "
            f"WHERE m.tbl = '{table}' AND m.col = '{column}' AND scr_local(t.{ref}) = m.local "
            f"AND upper(scr_text(t.{ref})) IS DISTINCT FROM m.standard GROUP BY ALL ORDER BY 1"
        ).fetchall()
        if counted:
            con.execute(f"UPDATE raw.{table} AS t SET {ref} = m.standard {joined}")
            mapped += [
                Mapped(table, column, str(a), str(b), str(c), int(n)) for a, b, c, n in counted
            ]
    return mapped


def unmapped_values(extract: Extract) -> list[Unmapped]:
    """Every value of a coded column that is not a code of its list, with its row count."""
    found: list[Unmapped] = []
    for table, _ in extract.present():
        for column in table.columns:
            if column.codes is None or not extract.has(table.name, column.name):
                continue
            rows = extract.con.execute(_unmapped_sql(extract, table, column)).fetchall()
            found += [Unmapped(table.name, column.name, str(v), int(n), int(r)) for v, n, r in rows]
    return found


def _unmapped_sql(extract: Extract, table: Table, column: Column) -> str:
    listed = strings(extract.contract.codes[str(column.codes)].values)
    ref = quote(column.name)
    if column.type == "json":
        items = "scr_json_items" if column.shape == "list" else "scr_json_keys"
        values = f"SELECT _row, unnest({items}({ref})) AS v FROM raw.{table.name}"
    else:
        values = f"SELECT _row, upper(scr_text({ref})) AS v FROM raw.{table.name}"
    return (
        f"SELECT v, count(*), min(_row) FROM ({values}) "
        f"WHERE v IS NOT NULL AND v NOT IN ({listed}) GROUP BY v ORDER BY v"
    )


def unmapped_issues(extract: Extract, unmapped: list[Unmapped]) -> Iterator[Issue]:
    for value in unmapped:
        column = extract.contract.table(value.table).column(value.column)
        yield value.issue(extract.files[value.table], str(column.codes))


def write_unmapped(con: duckdb.DuckDBPyConnection, schema: str, unmapped: list[Unmapped]) -> None:
    """The snapshot's table of unmapped values, read by the engine to mark figures."""
    con.execute(
        f"CREATE TABLE {schema}.scrutineer_unmapped (table_name VARCHAR, column_name VARCHAR, "
        "value VARCHAR, rows BIGINT, first_row BIGINT)"
    )
    if unmapped:
        con.executemany(
            f"INSERT INTO {schema}.scrutineer_unmapped VALUES (?, ?, ?, ?, ?)",
            [(u.table, u.column, u.value, u.rows, u.first_row) for u in unmapped],
        )

"""The tables a snapshot holds besides the contract's, declared once: its working-day
calendar (as known when it was loaded, so a figure recomputes exactly later) and its id and
as-at date. The load writes them, the catalogue resolves SQL against them and the golden
cases build them, all from here."""

from __future__ import annotations

from datetime import date

import duckdb

from scrutineer.calendar import CalendarDay

CALENDAR: dict[str, str] = {  # column -> type, as CalendarDay names them
    "day": "DATE",
    "is_working_day": "BOOLEAN",
    "working_day_number": "INTEGER",
    "bank_holiday": "VARCHAR",
}
SNAPSHOT: dict[str, str] = {"snapshot_id": "VARCHAR", "as_at": "DATE"}
TABLES = {"calendar": CALENDAR, "scrutineer_snapshot": SNAPSHOT}


def write_calendar(
    con: duckdb.DuckDBPyConnection, days: list[CalendarDay], schema: str = ""
) -> None:
    """The `calendar` table (in `schema`, if given) holding `days`."""
    table = _create(con, "calendar", schema)
    if days:
        picked = ", ".join(f"unnest(?::{kind}[])" for kind in CALENDAR.values())
        con.execute(
            f"INSERT INTO {table} SELECT {picked}",
            [[getattr(day, column) for day in days] for column in CALENDAR],
        )


def write_snapshot(
    con: duckdb.DuckDBPyConnection, identity: tuple[str, date] | None, schema: str = ""
) -> None:
    """The `scrutineer_snapshot` table: the snapshot's id and as-at date (no row for a
    database with no snapshot, as the catalogue's checks use)."""
    table = _create(con, "scrutineer_snapshot", schema)
    if identity:
        con.execute(f"INSERT INTO {table} VALUES (?, ?::DATE)", list(identity))


def _create(con: duckdb.DuckDBPyConnection, name: str, schema: str) -> str:
    table = f"{schema}.{name}" if schema else name
    columns = ", ".join(f"{column} {kind}" for column, kind in TABLES[name].items())
    con.execute(f"CREATE TABLE {table} ({columns})")
    return table

"""Read the SSD straight from its database: every contract table the schema holds, as text.

A council's SSD lives in a database its extract SQL fills (SQL Server for most, through
`mssql+pyodbc`). Each table the contract names is read in one transaction, in key order, and
written as a UTF-8 CSV in the load's working folder, so it goes through exactly the checks
and typing a folder of files does: the same records give the same snapshot either way.
Values become text as an export would write them: dates ISO, times dropped from midnight,
booleans Y/N, JSON as JSON.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, make_url

from scrutineer.errors import ScrutineerError
from scrutineer.extract.contract import Contract, Table
from scrutineer.extract.read import SourceFile, file_hash
from scrutineer.findings import Issue, Level

BATCH_ROWS = 10_000


class DatabaseUnreadable(ScrutineerError):
    def __init__(self, where: str, error: Exception) -> None:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        super().__init__(
            f"Could not read the SSD database {where}: {first}. Check the URL, the schema and "
            "that the driver is installed (docs/architecture.md: loading from a database)."
        )


def shown_url(url: str) -> str:
    """The URL without its password, for the manifest and messages."""
    return make_url(url).render_as_string(hide_password=True)


def dump_database(
    url: str, schema: str | None, contract: Contract, workdir: Path
) -> tuple[list[SourceFile], list[Issue]]:
    """Each contract table found in `schema`, written as CSV into `workdir`."""
    where = shown_url(url) + (f" (schema {schema})" if schema else "")
    try:
        engine = sa.create_engine(url)
    except (sa.exc.ArgumentError, ImportError, sa.exc.NoSuchModuleError) as error:
        raise DatabaseUnreadable(where, error) from error
    try:
        with engine.connect() as connection, connection.begin():
            present = _tables(connection, schema)
            files = [
                _dump(connection, schema, table, present[table.name], workdir)
                for table in contract
                if table.name in present
            ]
    except sa.exc.SQLAlchemyError as error:
        raise DatabaseUnreadable(where, error) from error
    finally:
        engine.dispose()
    issues = [] if files else [_no_tables(where)]
    return files, issues


def _tables(connection: Connection, schema: str | None) -> dict[str, str]:
    """Contract-style (lower-case) table names -> the database's own spelling."""
    names = sa.inspect(connection).get_table_names(schema=schema)
    return {name.lower(): name for name in names}


def _dump(
    connection: Connection, schema: str | None, table: Table, name: str, workdir: Path
) -> SourceFile:
    source = sa.Table(name, sa.MetaData(), schema=schema, autoload_with=connection)
    key = next((c for c in source.columns if c.name.lower() == table.key), None)
    query = sa.select(source)
    if key is not None:  # the same records, the same file: a fingerprint that means something
        query = query.order_by(key)
    path = workdir / f"{table.name}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        result = connection.execution_options(stream_results=True).execute(query)
        writer.writerow([c.lower() for c in result.keys()])
        for rows in _batches(result):
            writer.writerows([_text(v) for v in row] for row in rows)
    shown = f"{schema}.{name}" if schema else name
    return SourceFile(table.name, path, *file_hash(path), shown)


def _batches(result: sa.CursorResult) -> Iterator[list[sa.Row]]:  # type: ignore[type-arg]
    while rows := result.fetchmany(BATCH_ROWS):
        yield list(rows)


def _text(value: object) -> str:
    """A database value as an export writes it; None as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, datetime):  # every contract date is a day: its time is dropped
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dict | list):
        return json.dumps(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return str(value)


def _no_tables(where: str) -> Issue:
    return Issue(
        Level.WARNING,
        "absent-table",
        f"no table of the extract contract found in {where}",
        "Check the schema (--schema) holds the SSD's ssd_* tables",
    )

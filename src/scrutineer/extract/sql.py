"""SQL fragments shared by validation and loading: how text becomes each contract type."""

from __future__ import annotations

import duckdb

from scrutineer.extract.contract import Column

DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
)
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """`scr_text` trims and empties blanks; `scr_date` reads every accepted date format."""
    formats = ", ".join(f"'{f}'" for f in DATE_FORMATS)
    con.execute("CREATE OR REPLACE MACRO scr_text(s) AS NULLIF(trim(s), '')")
    parse = f"try_strptime(scr_text(s), [{formats}])"
    con.execute(f"CREATE OR REPLACE MACRO scr_date(s) AS CAST({parse} AS DATE)")


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def typed(column: Column) -> str:
    """The expression turning a raw text column into its contract type."""
    ref = quote(column.name)
    if column.type == "date":
        return f"scr_date({ref})"
    if column.type in ("integer", "number"):
        return f"CAST(scr_text({ref}) AS {column.sql_type})"
    if column.type in ("flag", "code"):
        return f"upper(scr_text({ref}))"
    return f"scr_text({ref})"

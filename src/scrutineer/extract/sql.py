"""SQL fragments shared by validation and loading: how text becomes each contract type."""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

from scrutineer.extract.contract import Column

# ISO dates, with any time after them (2021-04-22 00:00:00.000, as SQL Server writes them,
# or 2021-04-22T09:30), are read by DuckDB's own cast: thirty times faster than trying
# formats. Dates as a spreadsheet in England writes them are tried after it.
DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M")
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100


# Read as empty wherever they stand: SQL Server Management Studio writes NULL in every empty
# cell of a CSV it saves, and the SSD's SQL writes SSD_PH where an item is not yet mapped.
EMPTY_WORDS = ("NULL", "null", "SSD_PH")
TRUE_WORDS = ("Y", "YES", "1", "TRUE", "T")
FALSE_WORDS = ("N", "NO", "0", "FALSE", "F")


def strings(values: Iterable[str]) -> str:
    """SQL string literals, comma-separated: for `x IN (...)`."""
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """The macros that read text as each contract type.

    `scr_text` trims and empties blanks (and the EMPTY_WORDS); `scr_local` is a local value
    as a code map compares it (trimmed, spaces collapsed, upper-cased); `scr_date` reads
    every accepted date format;
    `scr_flag` reads Y/N, Yes/No, 1/0, True/False as Y or N (anything else stays, upper-cased,
    for the checks to report). The `scr_json_*` macros store a JSON column as the SSD shapes
    it, canonical: codes and keys trimmed and upper-cased, flags Y or N, empty values null;
    a list's planned object form ({"1A": "Yes", "2B": "No"}) becomes the list of its Yes keys.
    """
    formats = ", ".join(f"'{f}'" for f in DATE_FORMATS)
    # s appears twice, not more: macros inline each other, so every use multiplies
    con.execute(
        "CREATE OR REPLACE MACRO scr_text(s) AS CASE WHEN trim(s) IN "
        f"({strings(('', *EMPTY_WORDS))}) THEN NULL ELSE trim(s) END"
    )
    con.execute(
        "CREATE OR REPLACE MACRO scr_local(s) AS "
        "upper(regexp_replace(scr_text(s), '\\s+', ' ', 'g'))"
    )
    parse = f"coalesce(try_cast(scr_text(s) AS TIMESTAMP), try_strptime(scr_text(s), [{formats}]))"
    con.execute(f"CREATE OR REPLACE MACRO scr_date(s) AS CAST({parse} AS DATE)")
    con.execute(
        "CREATE OR REPLACE MACRO scr_flag(s) AS CASE "
        f"WHEN upper(scr_text(s)) IN ({strings(TRUE_WORDS)}) THEN 'Y' "
        f"WHEN upper(scr_text(s)) IN ({strings(FALSE_WORDS)}) THEN 'N' "
        "ELSE upper(scr_text(s)) END"
    )
    con.execute(
        "CREATE OR REPLACE MACRO scr_json_ok(s) AS "
        "CASE WHEN scr_text(s) IS NULL THEN NULL ELSE coalesce(json_valid(scr_text(s)), false) END"
    )
    con.execute(
        "CREATE OR REPLACE MACRO scr_json_kind(s) AS "
        "CASE WHEN scr_json_ok(s) THEN json_type(scr_text(s)) END"
    )
    # an object's parts, parsed once: [{key, value}], keys trimmed and upper-cased, values as
    # text (a nested value stays JSON); null for anything but an object
    con.execute(
        "CREATE OR REPLACE MACRO scr_json_parts(s) AS CASE WHEN scr_json_ok(s) THEN "
        """list_transform(map_entries(from_json(scr_text(s), '"MAP(VARCHAR, VARCHAR)"')), """
        "lambda e: struct_pack(key := upper(trim(e.key)), value := e.value)) END"
    )
    con.execute(
        "CREATE OR REPLACE MACRO scr_json_items(s) AS CASE scr_json_kind(s) "
        """WHEN 'ARRAY' THEN list_transform(from_json(scr_text(s), '["VARCHAR"]'), """
        "lambda x: upper(trim(x))) "
        "WHEN 'OBJECT' THEN list_transform(list_filter(scr_json_parts(s), "
        "lambda e: scr_flag(e.value) = 'Y'), lambda e: e.key) END"
    )
    con.execute(
        "CREATE OR REPLACE MACRO scr_json_keys(s) AS "
        "list_transform(scr_json_parts(s), lambda e: e.key)"
    )
    con.execute("CREATE OR REPLACE MACRO scr_json_list(s) AS to_json(scr_json_items(s))::VARCHAR")
    for name, is_flag in (("flags", "true"), ("object", "ends_with(e.key, '_FLAG')")):
        con.execute(
            f"CREATE OR REPLACE MACRO scr_json_{name}(s) AS to_json(map_from_entries("
            "list_transform(scr_json_parts(s), lambda e: struct_pack(k := e.key, v := CASE "
            f"WHEN {is_flag} THEN scr_flag(e.value) ELSE scr_text(e.value) END))))::VARCHAR"
        )


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def typed(column: Column) -> str:
    """The expression turning a raw text column into its contract type."""
    ref = quote(column.name)
    if column.type == "date":
        return f"scr_date({ref})"
    if column.type in ("integer", "number"):
        return f"CAST(scr_text({ref}) AS {column.sql_type})"
    if column.type == "flag":
        return f"scr_flag({ref})"
    if column.type == "code":
        return f"upper(scr_text({ref}))"
    if column.type == "json":
        return f"scr_json_{column.shape}({ref})"
    return f"scr_text({ref})"

"""Checks on an extract's raw tables, each a small rule that yields issues.

Every rule runs on every file, so one load reports every problem at once. A rule sees the
raw (all-text) tables read by `read.py`; it never changes them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date

import duckdb

from scrutineer.extract.contract import Column, Contract, Reference, Table
from scrutineer.extract.sql import EARLIEST_YEAR, LATEST_YEAR, quote
from scrutineer.findings import Issue, Level

EXAMPLES_PER_PROBLEM = 200  # rows listed per (file, column, rule); the rest are counted


@dataclass(frozen=True)
class Extract:
    """What the rules look at: raw tables in `con`, with the file each came from."""

    con: duckdb.DuckDBPyConnection
    contract: Contract
    files: dict[str, str]  # table -> file name
    columns: dict[str, frozenset[str]]  # table -> columns present in the file
    as_at: date | None = None

    def present(self) -> Iterator[tuple[Table, str]]:
        for table in self.contract:
            if table.name in self.files:
                yield table, self.files[table.name]

    def has(self, table: str, column: str) -> bool:
        return column in self.columns.get(table, frozenset())


Rule = Callable[[Extract], Iterable[Issue]]


def columns_present(extract: Extract) -> Iterator[Issue]:
    for table, file in extract.present():
        for column in table.columns:
            if column.required and not extract.has(table.name, column.name):
                yield Issue(
                    Level.ERROR,
                    "missing-column",
                    "required column is missing",
                    f"Add the column {column.name} ({column.description.lower()})",
                    file=file,
                    column=column.name,
                )
        unknown = sorted(extract.columns[table.name] - set(table.column_names) - {"_row"})
        if unknown:
            yield Issue(
                Level.WARNING,
                "unknown-column",
                f"columns not in the contract were ignored: {', '.join(unknown)}",
                "Check their spelling against docs/extract-contract.md",
                file=file,
            )


def tables_absent(extract: Extract) -> Iterator[Issue]:
    absent = [t.name for t in extract.contract if t.name not in extract.files]
    if absent:
        yield Issue(
            Level.WARNING,
            "absent-table",
            f"no file for {len(absent)} table(s), treated as empty: {', '.join(absent)}",
            "Add a file for each table your system records (docs/extract-contract.md)",
        )


def values_valid(extract: Extract) -> Iterator[Issue]:
    for table, file in extract.present():
        for column in table.columns:
            if extract.has(table.name, column.name):
                for check in _value_checks(extract, column):
                    yield from _rows(extract, table, file, column.name, *check)


def _value_checks(extract: Extract, column: Column) -> Iterator[tuple[Level, str, str, str, str]]:
    """(level, rule, SQL condition on the raw text `v`, message, hint) for one column."""
    if column.not_null:
        yield (
            Level.ERROR,
            "empty-value",
            "v IS NULL",
            "empty value",
            (f"Every row needs a {column.name}"),
        )
    if column.type == "date":
        yield (
            Level.ERROR,
            "bad-date",
            "v IS NOT NULL AND scr_date(v) IS NULL",
            "not a date",
            ("Write dates as YYYY-MM-DD or DD/MM/YYYY"),
        )
        yield (
            Level.ERROR,
            "implausible-date",
            (f"year(scr_date(v)) NOT BETWEEN {EARLIEST_YEAR} AND {LATEST_YEAR}"),
            f"date outside {EARLIEST_YEAR}-{LATEST_YEAR}",
            "Correct the year",
        )
    elif column.type == "integer":
        yield (
            Level.ERROR,
            "bad-integer",
            "v IS NOT NULL AND TRY_CAST(v AS BIGINT) IS NULL",
            ("not a whole number"),
            "Write whole numbers without decimals or separators",
        )
    elif column.type == "number":
        yield (
            Level.ERROR,
            "bad-number",
            "v IS NOT NULL AND TRY_CAST(v AS DOUBLE) IS NULL",
            ("not a number"),
            "Write numbers with a decimal point and no separators, e.g. 12.5",
        )
    elif column.type == "flag":
        allowed = "('Y', 'N', 'NA')" if column.na else "('Y', 'N')"
        yield (
            Level.ERROR,
            "bad-flag",
            f"v IS NOT NULL AND scr_flag(v) NOT IN {allowed}",
            "not Y, N or NA" if column.na else "not Y or N",
            "Write flags as Y or N (Yes/No, 1/0 and True/False are read too)"
            + ("; NA where it does not apply" if column.na else ""),
        )
    elif column.type == "id":
        yield (
            Level.ERROR,
            "decimal-id",
            "regexp_full_match(v, '[0-9]+\\.0+')",
            ("an id that looks like a number saved with decimals"),
            "Export ids as text, exactly as the case management system holds them",
        )
    elif column.type == "json":
        yield from _json_checks(extract, column)


JSON_EXAMPLES = {
    "list": 'a JSON list of codes, e.g. ["1A", "2B"] (or {"1A": "Yes", "2B": "No"})',
    "flags": 'a JSON object of flags, e.g. {"ADOPTION": "Y", "RETURN1M": ""}',
    "object": 'a JSON object, e.g. {"NFA_FLAG": "Y", "ADVICE_FLAG": ""}',
}


def _json_checks(extract: Extract, column: Column) -> Iterator[tuple[Level, str, str, str, str]]:
    """Well-formed JSON of the column's shape, its flags flags (its codes or keys are
    checked with every coded column's, in coding.py)."""
    shape = str(column.shape)
    hint = f"Write {JSON_EXAMPLES[shape]}, as the SSD specifies"
    yield (Level.ERROR, "bad-json", "NOT scr_json_ok(v)", "not JSON", hint)
    kinds = "('ARRAY', 'OBJECT')" if shape == "list" else "('OBJECT')"
    yield (
        Level.ERROR,
        "bad-json",
        f"scr_json_kind(v) NOT IN {kinds}",
        f"not {'a JSON list' if shape == 'list' else 'a JSON object'}",
        hint,
    )
    if shape != "list":  # {"NFA_FLAG": "Y", "nfa_flag": "N"}: which one holds?
        yield (
            Level.ERROR,
            "bad-json",
            "CASE WHEN scr_json_kind(v) = 'OBJECT' THEN len(json_keys(v)) <> "
            "len(list_distinct(list_transform(json_keys(v), lambda k: upper(trim(k))))) END",
            "a key given twice",
            f"Give each key once (keys are read whatever their case). {hint}",
        )
    if shape != "list":
        flag = "true" if shape == "flags" else "ends_with(e.key, '_FLAG')"
        yield (
            Level.ERROR,
            "bad-flag",
            f"len(list_filter(scr_json_parts(v), lambda e: {flag} "
            "AND scr_flag(e.value) NOT IN ('Y', 'N'))) > 0",
            "a flag in the object is not Y or N",
            "Write each flag as Y or N (or leave it empty), as the SSD specifies",
        )


def _rows(
    extract: Extract,
    table: Table,
    file: str,
    column: str,
    level: Level,
    rule: str,
    condition: str,
    message: str,
    hint: str,
) -> Iterator[Issue]:
    query = (
        f"SELECT _row, v, NULL FROM (SELECT _row, scr_text({quote(column)}) AS v "
        f"FROM raw.{table.name}) WHERE {condition}"
    )
    found, total = _examples(extract, query)
    for row, value, _ in found:
        yield Issue(level, rule, message, hint, file=file, row=row, column=column, value=value)
    yield from _remainder(total - len(found), level, rule, message, hint, file, column)


def _examples(extract: Extract, query: str) -> tuple[list[tuple[int, str, object]], int]:
    """The first rows a query finds (row, value, detail), and how many it finds in all."""
    rows = extract.con.execute(
        f"SELECT *, count(*) OVER () FROM ({query}) ORDER BY 1 LIMIT {EXAMPLES_PER_PROBLEM}"
    ).fetchall()
    return [(int(r[0]), r[1], r[2]) for r in rows], (int(rows[0][3]) if rows else 0)


def _remainder(
    more: int, level: Level, rule: str, message: str, hint: str, file: str, column: str
) -> Iterator[Issue]:
    if more > 0:
        message = f"{message}: {more:,} more rows like this"
        yield Issue(level, rule, message, hint, file=file, column=column)


def keys_unique(extract: Extract) -> Iterator[Issue]:
    for table, file in extract.present():
        if not extract.has(table.name, table.key):
            continue
        key = quote(table.key)
        found, total = _examples(
            extract,
            f"SELECT _row, v, first_row FROM (SELECT _row, scr_text({key}) AS v, "
            f"min(_row) OVER (PARTITION BY scr_text({key})) AS first_row FROM raw.{table.name}) "
            "WHERE v IS NOT NULL AND _row > first_row",
        )
        hint = f"Each {table.key} must be unique: remove or renumber the repeated row"
        for row, value, first_row in found:
            message = f"duplicate {table.key} (first at row {first_row})"
            yield Issue(Level.ERROR, "duplicate-id", message, hint, file, row, table.key, value)
        more = total - len(found)
        yield from _remainder(more, Level.ERROR, "duplicate-id", "duplicate", hint, file, table.key)


def known_ids(extract: Extract, ref: Reference) -> str:
    """SQL of the ids a reference may name (column `v`): none if the file lacks them."""
    if not extract.has(ref.table, ref.column):
        return "SELECT NULL::VARCHAR AS v WHERE false"
    target = f"scr_text({quote(ref.column)})"
    return f"SELECT DISTINCT {target} AS v FROM raw.{ref.table} WHERE {target} IS NOT NULL"


def references_resolve(extract: Extract) -> Iterator[Issue]:
    for table, file in extract.present():
        for column in table.columns:
            ref = column.references
            if ref is None or not extract.has(table.name, column.name):
                continue
            condition = f"v IS NOT NULL AND v NOT IN ({known_ids(extract, ref)})"
            message = f"not found in {ref.table}.{ref.column}"
            hint = f"Add the missing row to {ref.table}, or correct the id"
            yield from _rows(
                extract,
                table,
                file,
                column.name,
                Level.ERROR,
                "dangling-reference",
                condition,
                message,
                hint,
            )


def sequences_ordered(extract: Extract) -> Iterator[Issue]:
    for table, file in extract.present():
        for start, end in table.sequences:
            if not (extract.has(table.name, start) and extract.has(table.name, end)):
                continue
            found, total = _examples(
                extract,
                f"SELECT _row, scr_text({quote(end)}), scr_text({quote(start)}) "
                f"FROM raw.{table.name} WHERE scr_date({quote(end)}) < scr_date({quote(start)})",
            )
            hint = f"Correct the dates: {end} cannot come before {start}"
            message = f"{end} is before {start}"
            for row, value, start_value in found:
                shown = f"{value} (start {start_value})"
                yield Issue(Level.ERROR, "end-before-start", message, hint, file, row, end, shown)
            more = total - len(found)
            yield from _remainder(more, Level.ERROR, "end-before-start", message, hint, file, end)


def dates_after_as_at(extract: Extract) -> Iterator[Issue]:
    """Events dated after the extract was taken are usually typing errors (due dates aside)."""
    if extract.as_at is None:
        return
    for table, file in extract.present():
        for column in table.columns:
            if column.type != "date" or column.future or not extract.has(table.name, column.name):
                continue
            condition = f"scr_date(v) > DATE '{extract.as_at.isoformat()}'"
            message = f"date after the as-at date {extract.as_at.isoformat()}"
            yield from _rows(
                extract,
                table,
                file,
                column.name,
                Level.WARNING,
                "future-date",
                condition,
                message,
                "Check the date, or give the right --as-at date",
            )


RULES: tuple[Rule, ...] = (
    tables_absent,
    columns_present,
    values_valid,
    keys_unique,
    references_resolve,
    sequences_ordered,
    dates_after_as_at,
)


def validate(extract: Extract, rules: tuple[Rule, ...] = RULES) -> list[Issue]:
    """Every issue every rule finds."""
    return [issue for rule in rules for issue in rule(extract)]

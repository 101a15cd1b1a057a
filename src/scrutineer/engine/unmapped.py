"""Figures that read unmapped values, and how many such records fall in each month's window.

A load keeps a value it could not read as a code and lists it in the snapshot's
`scrutineer_unmapped` (extract/coding.py). A figure *reads* such a column when the SQL its
value depends on names it: the cohort's joins and conditions, the cohort columns the KPI's
own expressions use, and the views these read (column names are unique across the
contract, so a name is the column). A contacts count does not read the contact's outcome;
the share of contacts ending in no further action does.

A figure that reads one is marked `unmapped` in each month whose window holds records with
those values (a record's window is its span, start to end, or its event date), with their
number: a figure is `ok` only when every record it counts was understood. Figures by team
and worker are attributed through the workers' roles too, so unmapped roles mark them all.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import duckdb
import sqlglot
from sqlglot import exp

from scrutineer.calendar import Period
from scrutineer.catalogue.language import MACROS, VIEWS
from scrutineer.catalogue.model import Cohort, Kind, Kpi
from scrutineer.catalogue.query import periods_sql
from scrutineer.extract.contract import Column, Contract, Table
from scrutineer.extract.sql import quote, strings

ATTRIBUTION_VIEW = "allocations"  # the view the engine attributes every unit through
ALWAYS_USED = ("period", "ref_date", "person_id", "team_id", "worker_id")
_VIEW_NAME = re.compile(r"\b(?:VIEW|MACRO)\s+(\w+)\s*(?:AS\b|\()", re.IGNORECASE)
Counts = dict[str, int]  # period -> records with unmapped values in its window


def read_unmapped(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], tuple[str, ...]]:
    """(table, column) -> the values left unmapped; empty for a snapshot without any (or
    made before unmapped values were recorded)."""
    found = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'scrutineer_unmapped'"
    ).fetchone()
    if not found or not found[0]:
        return {}
    values: dict[tuple[str, str], list[str]] = {}
    for table, column, value in con.execute(
        "SELECT table_name, column_name, value FROM scrutineer_unmapped ORDER BY ALL"
    ).fetchall():
        values.setdefault((str(table), str(column)), []).append(str(value))
    return {key: tuple(v) for key, v in values.items()}


class Unmapped:
    """The snapshot's unmapped values, and the figures they fall in."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        contract: Contract,
        values: Mapping[tuple[str, str], tuple[str, ...]],
    ) -> None:
        self.con = con
        self.contract = contract
        self.values = values
        self.views = {_view_name(sql): sql for sql in VIEWS}
        self.macros = {_view_name(sql): sql for sql in MACROS}  # they read tables too
        self._counts: dict[tuple[frozenset[tuple[str, str]], Kind, Period, Period], Counts] = {}

    def __bool__(self) -> bool:
        return bool(self.values)

    def read_by(self, kpi: Kpi, cohort: Cohort) -> frozenset[tuple[str, str]]:
        """The (table, column)s with unmapped values that the KPI's figure reads."""
        if not self.values:
            return frozenset()
        return self._named_in(figure_sql(kpi, cohort))

    def attribution_reads(self) -> frozenset[tuple[str, str]]:
        """Those the attribution of units to teams and workers reads (worker roles)."""
        return self._named_in(self.views[ATTRIBUTION_VIEW]) if self.values else frozenset()

    def counts(
        self, read: frozenset[tuple[str, str]], kind: Kind, first: Period, last: Period
    ) -> Counts:
        """For each month, the records holding those values that fall in its window."""
        if not read:
            return {}
        key = (read, kind, first, last)
        if key not in self._counts:
            self._counts[key] = self._count(read, kind, first, last)
        return self._counts[key]

    def _named_in(self, sql: str) -> frozenset[tuple[str, str]]:
        named = {**self.views, **self.macros}
        text = sql + "".join(v for name, v in named.items() if _names(sql, name))
        return frozenset(key for key in self.values if _names(text, key[1]))

    def _count(
        self, read: frozenset[tuple[str, str]], kind: Kind, first: Period, last: Period
    ) -> Counts:
        by_table: dict[str, list[str]] = {}
        for table_name, column in sorted(read):
            by_table.setdefault(table_name, []).append(column)
        selects = []
        for name, columns in by_table.items():
            spec = self.contract.table(name)
            holds = " OR ".join(self._holds(spec, c) for c in columns)
            selects.append(
                f"SELECT w.period FROM windows AS w JOIN {name} AS t ON {_in_window(spec)} "
                f"WHERE {holds}"
            )
        rows = self.con.execute(
            f"WITH windows AS (\n{periods_sql(kind, first, last)}\n)\n"
            f"SELECT period, count(*) FROM ({' UNION ALL '.join(selects)}) GROUP BY period"
        ).fetchall()
        return {str(period): int(n) for period, n in rows}

    def _holds(self, table: Table, column_name: str) -> str:
        """SQL true for a row of `t` holding one of the column's unmapped values."""
        column: Column = table.column(column_name)
        values = strings(self.values[(table.name, column_name)])
        ref = f"t.{quote(column_name)}"
        if column.type != "json":
            return f"{ref} IN ({values})"
        items = f"""from_json({ref}, '["VARCHAR"]')""" if column.shape == "list" else ""
        return f"list_has_any({items or f'json_keys({ref})'}, [{values}])"


def figure_sql(kpi: Kpi, cohort: Cohort) -> str:
    """The SQL a KPI's figure depends on: its cohort without the columns it does not use."""
    parsed = sqlglot.parse_one(cohort.sql, read="duckdb")
    own = " ".join(
        [expr for _, expr in kpi.columns]
        + [x or "" for x in (kpi.where, kpi.counted, kpi.numerator, kpi.denominator)]
    )
    if not isinstance(parsed, exp.Select):
        return f"{cohort.sql}\n{own}"
    used = [
        e.sql(dialect="duckdb")
        for e in parsed.expressions
        if e.alias_or_name in ALWAYS_USED or _names(own, e.alias_or_name)
    ]
    rest = parsed.copy()
    rest.set("expressions", [exp.Star()])
    return "\n".join([rest.sql(dialect="duckdb"), *used, own])


def _in_window(table: Table) -> str:
    """SQL true when a record of `t` falls in window `w`: its span or event date overlaps."""
    if table.sequences:
        start, end = (f"t.{quote(c)}" for c in table.sequences[0])
        return f"{start} <= w.p_end AND ({end} IS NULL OR {end} >= w.w_start)"
    dates = [c for c in table.columns if c.type == "date" and c.not_null]
    if dates:
        return f"t.{quote(dates[0].name)} BETWEEN w.w_start AND w.p_end"
    return "true"  # a record without dates (a child's sex) is in every window


def _names(sql: str, name: str) -> bool:
    return re.search(rf"\b{re.escape(name)}\b", sql) is not None


def _view_name(sql: str) -> str:
    found = _VIEW_NAME.search(sql)
    assert found, sql
    return found.group(1)

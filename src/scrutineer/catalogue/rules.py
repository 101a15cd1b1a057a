"""Checks on the catalogue, each a small rule yielding issues; all are run, all reported.

Rules without a database look at the YAML's fields and against the specification
(spec.csv, a copy of shared/KPIS.csv); `resolves` compiles every KPI and asks DuckDB to bind
it against an empty database shaped by the extract contract, so a misspelt column is found
when the catalogue loads, with the file and line of the KPI that names it.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from importlib import resources

import duckdb
import sqlglot
import yaml
from sqlglot.errors import OptimizeError, ParseError
from sqlglot.optimizer.qualify import qualify

from scrutineer.calendar import Period
from scrutineer.catalogue.language import SCHEMA, empty_database
from scrutineer.catalogue.model import (
    KINDS,
    POLARITIES,
    SPEC_FIELDS,
    UNITS,
    Catalogue,
    Cohort,
    Kpi,
    Location,
)
from scrutineer.catalogue.query import RESERVED, standalone_units_sql
from scrutineer.extract.contract import load_contract
from scrutineer.findings import Issue, Level

Rule = Callable[[Catalogue], Iterable[Issue]]
PROBE = (Period(2024, 1), Period(2024, 2))


def issue(where: Location, subject: str, message: str, hint: str = "") -> Issue:
    return Issue(Level.ERROR, "catalogue", f"{subject}: {message}", hint, file=str(where))


@cache
def spec() -> dict[str, dict[str, str]]:
    text = resources.files(__package__).joinpath("spec.csv").read_text("utf-8")
    return {row["id"]: row for row in csv.DictReader(text.splitlines())}


@cache
def revisions() -> dict[str, tuple[str, ...]]:
    """The fields KPIS.csv has revised whose computation is still to follow (revisions.yaml)."""
    text = resources.files(__package__).joinpath("revisions.yaml").read_text("utf-8")
    return {str(k): tuple(str(f) for f in v) for k, v in (yaml.safe_load(text) or {}).items()}


def unique_ids(catalogue: Catalogue) -> Iterator[Issue]:
    first: dict[str, Location] = {}
    for kpi in catalogue:
        if kpi.id in first:
            yield issue(kpi.location, kpi.id, f"duplicate id, first defined at {first[kpi.id]}")
        first.setdefault(kpi.id, kpi.location)


def matches_spec(catalogue: Catalogue) -> Iterator[Issue]:
    wanted, revised = spec(), revisions()
    ids = {k.id for k in catalogue}
    for stale in sorted(revised.keys() - ids):
        yield issue(Location("revisions.yaml", 0), stale, "not an indicator of the catalogue")
    for missing in sorted(wanted.keys() - ids):
        yield issue(Location("kpis/", 0), missing, "in KPIS.csv but not in the catalogue")
    for kpi in catalogue:
        row = wanted.get(kpi.id)
        if row is None:
            yield issue(
                kpi.location, kpi.id, "not in KPIS.csv", "Add it to the specification first"
            )
            continue
        pending = revised.get(kpi.id, ())
        for name in SPEC_FIELDS:
            have = getattr(kpi, name) or ""
            same = " ".join(str(have).split()) == " ".join(row[name].split()) or (
                name == "benchmark" and _from_ees(str(have), row)
            )
            if name in pending and same:
                yield issue(
                    kpi.location,
                    kpi.id,
                    f"{name} now matches KPIS.csv: the revision is made",
                    "Remove it from revisions.yaml",
                )
            elif name in pending:
                yield Issue(
                    Level.WARNING,
                    "catalogue",
                    f"{kpi.id}: KPIS.csv revises its {name}; computed as before until the "
                    "revision is made",
                    file=str(kpi.location),
                    column=name,
                )
            elif not same:
                yield issue(kpi.location, kpi.id, f"{name} differs from KPIS.csv: {have!r}")
        if (row["exceptions"] == "yes") != (kpi.exceptions is not None):
            yield issue(kpi.location, kpi.id, f"KPIS.csv says exceptions: {row['exceptions']}")


def _from_ees(code: str, row: dict[str, str]) -> bool:
    """A benchmark KPIS.csv leaves empty may be Scrutineer's cut of the EES file its source
    names (DfE publishes some measures there, not in LAIT): codes EES_*."""
    return code.startswith("EES_") and not row["benchmark"] and "ees_" in row["source"]


def known_values(catalogue: Catalogue) -> Iterator[Issue]:
    for kpi in catalogue:
        for name, allowed in (("unit", UNITS), ("kind", KINDS), ("polarity", POLARITIES)):
            if getattr(kpi, name) not in allowed:
                yield issue(
                    kpi.location,
                    kpi.id,
                    f"{name} {getattr(kpi, name)!r} is not one of {list(allowed)}",
                )
        if kpi.cohort not in catalogue.cohorts:
            yield issue(
                kpi.location,
                kpi.id,
                f"cohort {kpi.cohort!r} is not a cohort",
                "Name a cohort of cohorts.yaml",
            )


def unit_needs(catalogue: Catalogue) -> Iterator[Issue]:
    for kpi in catalogue:
        if kpi.unit == "percent" and not kpi.counted:
            yield issue(kpi.location, kpi.id, "a percentage needs `counted` (its numerator)")
        if kpi.unit != "percent" and kpi.counted:
            yield issue(kpi.location, kpi.id, "only a percentage has `counted`")
        if kpi.unit != "percent" and kpi.weight:
            yield issue(kpi.location, kpi.id, "only a percentage has a `weight`")
        if (kpi.unit == "average") != bool(kpi.numerator and kpi.denominator):
            yield issue(
                kpi.location,
                kpi.id,
                "an average (and only an average) needs `numerator` and `denominator`",
            )
        for name, _ in kpi.columns:
            if name in RESERVED:
                yield issue(kpi.location, kpi.id, f"column name {name!r} is reserved")


def documented(catalogue: Catalogue) -> Iterator[Issue]:
    for kpi in catalogue:
        if not kpi.title or not kpi.definition:
            yield issue(kpi.location, kpi.id, "needs a title and a definition")
    for cohort in catalogue.cohorts.values():
        if not cohort.description:
            yield issue(cohort.location, cohort.name, "a cohort needs a description")


def sql_parses(catalogue: Catalogue) -> Iterator[Issue]:
    for cohort in catalogue.cohorts.values():
        yield from _parses(cohort.location, cohort.name, "sql", cohort.sql, statement=True)
    for kpi in catalogue:
        pieces = [
            *kpi.columns,
            ("where", kpi.where),
            ("counted", kpi.counted),
            ("weight", kpi.weight),
            ("numerator", kpi.numerator),
            ("denominator", kpi.denominator),
            ("exceptions.due", kpi.exceptions.due if kpi.exceptions else None),
            ("exceptions.until", kpi.exceptions.until if kpi.exceptions else None),
        ]
        for name, text in pieces:
            if text:
                yield from _parses(kpi.location, kpi.id, name, text)


def _parses(
    where: Location, subject: str, name: str, text: str, statement: bool = False
) -> Iterator[Issue]:
    try:
        sqlglot.parse_one(text if statement else f"SELECT {text}", read="duckdb")
    except ParseError as error:
        detail = error.errors[0] if error.errors else {}
        yield issue(
            where,
            subject,
            f"{name}: {detail.get('description', error)} "
            f"(line {detail.get('line', '?')}, column {detail.get('col', '?')})",
        )


def resolves(catalogue: Catalogue) -> Iterator[Issue]:
    con = empty_database(load_contract())
    try:
        for cohort in catalogue.cohorts.values():
            yield from _cohort_binds(con, cohort)
        for kpi in catalogue:
            if kpi.cohort in catalogue.cohorts:
                yield from _kpi_binds(con, catalogue, kpi)
    finally:
        con.close()


def _cohort_binds(con: duckdb.DuckDBPyConnection, cohort: Cohort) -> Iterator[Issue]:
    from scrutineer.catalogue.query import periods_sql

    sql = f"WITH periods AS ({periods_sql('flow', *PROBE)}) SELECT * FROM ({cohort.sql})"
    try:
        columns = {str(r[0]) for r in con.execute(f"DESCRIBE {sql}").fetchall()}
    except duckdb.Error as error:
        yield issue(cohort.location, cohort.name, _first_line(error))
        return
    for needed in ("period", "ref_date", "person_id"):
        if needed not in columns:
            yield issue(cohort.location, cohort.name, f"must return a column {needed!r}")


def _kpi_binds(con: duckdb.DuckDBPyConnection, catalogue: Catalogue, kpi: Kpi) -> Iterator[Issue]:
    sql = standalone_units_sql(kpi, catalogue, *PROBE)
    unresolved = _unresolved(sql)
    if unresolved:
        yield issue(kpi.location, kpi.id, unresolved)
        return
    try:
        columns = {str(r[0]) for r in con.execute(f"DESCRIBE {sql}").fetchall()}
        if kpi.numerator and kpi.denominator:
            con.execute(f"DESCRIBE SELECT {kpi.numerator}, {kpi.denominator} FROM ({sql})")
        if kpi.weight:
            con.execute(f"DESCRIBE SELECT sum({kpi.weight}) FROM ({sql})")
        if kpi.exceptions and kpi.exceptions.due:
            con.execute(f"DESCRIBE SELECT {kpi.exceptions.due} FROM ({sql})")
        if kpi.exceptions and kpi.exceptions.until:
            con.execute(f"DESCRIBE SELECT {kpi.exceptions.until} FROM ({sql})")
    except duckdb.Error as error:
        yield issue(kpi.location, kpi.id, _first_line(error))
        return
    for name in kpi.exceptions.show if kpi.exceptions else ():
        if name not in columns:
            yield issue(
                kpi.location, kpi.id, f"exceptions show {name!r}, not a column of its units"
            )


def _unresolved(sql: str) -> str | None:
    """sqlglot's name for a column or table the contract does not have, if any."""
    schema: dict[str, object] = {**load_contract().schema(), **SCHEMA}
    try:
        qualify(sqlglot.parse_one(sql, read="duckdb"), schema=schema, dialect="duckdb")
    except (OptimizeError, ParseError) as error:
        return f"{_first_line(error)} (not in the extract contract)"
    return None


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0]


QUICK_RULES: tuple[Rule, ...] = (
    unique_ids,
    matches_spec,
    known_values,
    unit_needs,
    documented,
    sql_parses,
)
RULES: tuple[Rule, ...] = (*QUICK_RULES, resolves)


def validate(catalogue: Catalogue, rules: tuple[Rule, ...] = RULES) -> list[Issue]:
    return [found for rule in rules for found in rule(catalogue)]

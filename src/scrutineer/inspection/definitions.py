"""The Annex A lists as data: one YAML file per list in `lists/`, checked when loaded.

Each file holds `number` (1 to 11), `title`, `covers` (`period`: what happened or stood in
the period; `open`: what stands on the as-at date), `description`, `choices` (what Ofsted's
guidance leaves to the authority, as decided), `columns` (Ofsted's column names in order),
`month_of` (the column whose month a row is counted in, in the summary; none for a list of
what stands on the as-at date), `indicators` (the catalogue's indicators the summary sets
beside the list, month by month: the same figures as the board) and `sql`: one query over
the extract's tables, the catalogue's language and this package's vocabulary, with `$start`
and `$end` the period's first and last days, returning one column per name in `columns`,
in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any, Literal, cast

import duckdb
import yaml

from scrutineer.catalogue.language import empty_database
from scrutineer.catalogue.load import load_catalogue
from scrutineer.errors import ScrutineerError
from scrutineer.extract.contract import load_contract
from scrutineer.findings import Issue, Level
from scrutineer.inspection import vocabulary

FIELDS = {"number", "title", "covers", "description", "choices", "columns", "sql", "indicators"}
OPTIONAL = {"month_of"}
LISTS = 11

Covers = Literal["period", "open"]


@dataclass(frozen=True)
class AnnexList:
    number: int
    title: str
    covers: Covers
    description: str
    choices: tuple[str, ...]
    columns: tuple[str, ...]
    sql: str
    file: str
    month_of: str | None = None
    indicators: tuple[str, ...] = ()

    def parameters(self, start: date, end: date) -> dict[str, date]:
        """The query's parameters: those of `$start` and `$end` it uses (DuckDB refuses
        any other)."""
        given = {"start": start, "end": end}
        return {name: day for name, day in given.items() if f"${name}" in self.sql}

    @property
    def sheet(self) -> str:
        """The sheet's name in the workbook, as Ofsted's template names it."""
        return f"List {self.number}"


class AnnexInvalid(ScrutineerError):
    def __init__(self, issues: list[Issue]) -> None:
        lines = [f"{i.file}: {i.message}" for i in issues]
        super().__init__("The Annex A definitions have problems:\n  " + "\n  ".join(lines))
        self.issues = issues


@cache
def load_lists() -> tuple[AnnexList, ...]:
    """The eleven lists, checked (raises AnnexInvalid naming the file and the problem)."""
    lists, issues = read_lists()
    issues += check_lists(lists)
    if issues:
        raise AnnexInvalid(issues)
    return lists


def read_lists() -> tuple[tuple[AnnexList, ...], list[Issue]]:
    folder = resources.files(__package__).joinpath("lists")
    found, issues = [], []
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if not path.name.endswith(".yaml"):
            continue
        raw = yaml.safe_load(path.read_text("utf-8")) or {}
        unknown = set(raw) - FIELDS - OPTIONAL
        missing = FIELDS - set(raw)
        if unknown or missing:
            issues.append(
                _issue(path.name, f"fields {sorted(unknown)} unknown, {sorted(missing)} missing")
            )
            continue
        found.append(_to_list(raw, path.name))
    return tuple(sorted(found, key=lambda a: a.number)), issues


def _to_list(raw: dict[str, Any], file: str) -> AnnexList:
    return AnnexList(
        number=int(raw["number"]),
        title=str(raw["title"]),
        covers=cast(Covers, raw["covers"]),
        description=" ".join(str(raw["description"]).split()),
        choices=tuple(" ".join(str(c).split()) for c in raw["choices"] or ()),
        columns=tuple(str(c) for c in raw["columns"]),
        sql=str(raw["sql"]),
        file=file,
        month_of=str(raw["month_of"]) if raw.get("month_of") else None,
        indicators=tuple(str(k) for k in raw["indicators"] or ()),
    )


def check_lists(lists: tuple[AnnexList, ...]) -> list[Issue]:
    """Each list numbered once, 1 to 11; its columns named once; its query binding against
    an empty snapshot and returning one column per name."""
    issues = []
    if sorted(a.number for a in lists) != list(range(1, LISTS + 1)):
        issues.append(
            _issue(
                "lists/", f"the lists are numbered {[a.number for a in lists]}, not 1 to {LISTS}"
            )
        )
    known = {kpi.id for kpi in load_catalogue()}
    con = empty_database(load_contract())
    try:
        vocabulary.install(con, date(2000, 1, 1))
        for annex in lists:
            if annex.covers not in ("period", "open"):
                issues.append(_issue(annex.file, f"covers is {annex.covers!r}: period or open"))
            if len(set(annex.columns)) != len(annex.columns):
                issues.append(_issue(annex.file, "a column is named twice"))
            if annex.month_of is not None and annex.month_of not in annex.columns:
                issues.append(_issue(annex.file, f"month_of {annex.month_of!r} is no column"))
            unknown = [k for k in annex.indicators if k not in known]
            if unknown:
                issues.append(_issue(annex.file, f"no indicator {unknown} in the catalogue"))
            issues += _query_issues(con, annex)
    finally:
        con.close()
    return issues


def _query_issues(con: duckdb.DuckDBPyConnection, annex: AnnexList) -> list[Issue]:
    try:
        described = con.execute(annex.sql, annex.parameters(CHECKED, CHECKED)).description or []
    except duckdb.Error as error:
        return [_issue(annex.file, f"the query does not run: {error}")]
    if len(described) != len(annex.columns):
        return [
            _issue(
                annex.file,
                f"the query returns {len(described)} columns for {len(annex.columns)} names",
            )
        ]
    return []


CHECKED = date(2000, 1, 1)  # the period a query is checked with


def _issue(file: str, message: str) -> Issue:
    return Issue(
        Level.ERROR,
        "annex-a",
        message,
        file=f"inspection/lists/{file}" if not file.endswith("/") else f"inspection/{file}",
    )

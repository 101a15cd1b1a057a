"""Issues as text for a terminal, and as CSV for a spreadsheet."""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from itertools import groupby
from pathlib import Path
from typing import Any

from scrutineer.cells import safe_cell
from scrutineer.findings import Issue, errors_first

SHOWN_PER_GROUP = 20


def format_issues(issues: Sequence[Issue], shown_per_group: int = SHOWN_PER_GROUP) -> str:
    """Issues grouped by file, column and rule, a few rows each, with counts."""
    lines: list[str] = []
    ordered = sorted(errors_first(list(issues)), key=_group)
    for (_, file, column, rule), group in groupby(ordered, key=_group):
        items = list(group)
        first = items[0]
        where = f"{file}, column {column}" if column else file
        lines.append(f"{first.level.name} {where}: {_strip_more(first.message)} [{rule}]")
        if first.hint:
            lines.append(f"    how to fix: {first.hint}")
        rows = [i for i in items if i.row is not None]
        for issue in rows[:shown_per_group]:
            shown = "" if issue.value is None else f" value {issue.value!r}"
            lines.append(f"    row {issue.row}:{shown} {_detail(issue, first)}".rstrip())
        hidden = len(rows) - min(len(rows), shown_per_group) + _counted(items)
        if hidden:
            lines.append(f"    ... and {hidden:,} more rows (use --issues FILE.csv to list all)")
    return "\n".join(lines)


def _group(issue: Issue) -> tuple[int, str, str, str]:
    return (-issue.level, issue.file, issue.column, issue.rule)


def _strip_more(message: str) -> str:
    return message.split(": ", 1)[0] if "more rows like this" in message else message


def _detail(issue: Issue, first: Issue) -> str:
    return "" if issue.message == first.message else f"({issue.message})"


def _counted(items: list[Issue]) -> int:
    """Rows beyond those listed, from the 'N more rows like this' summary issues."""
    total = 0
    for issue in items:
        if issue.row is None and "more rows like this" in issue.message:
            total += int(issue.message.rsplit(": ", 1)[1].split()[0].replace(",", ""))
    return total


def write_issues_csv(issues: Sequence[Issue], path: Path) -> None:
    """Every issue as a CSV row; a value from the file that would start a spreadsheet
    formula is written as text (`cells.safe_cell`)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["level", "file", "row", "column", "rule", "message", "value", "hint"])
        for i in errors_first(list(issues)):
            writer.writerow(
                [
                    i.level.name,
                    *map(safe_cell, (i.file, str(i.row or ""), i.column, i.rule, i.message)),
                    safe_cell(i.value or ""),
                    safe_cell(i.hint),
                ]
            )


def format_unmapped(unmapped: Sequence[Mapping[str, Any]]) -> str:
    """The values a load could not read as codes, as a table a performance team can act on."""
    lines = [
        f"{len(unmapped)} value(s) not mapped to a code: the figures that read them are "
        "marked 'unmapped' until a code map line maps them",
        f"    {'table':<28} {'column':<34} {'rows':>7}  value",
    ]
    for u in unmapped:
        lines.append(f"    {u['table']:<28} {u['column']:<34} {u['rows']:>7,}  {u['value']!r}")
    return "\n".join(lines)

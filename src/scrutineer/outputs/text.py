"""Rows as a terminal table, CSV or JSON: the `scrutineer` commands' three formats."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from datetime import date

from scrutineer.cells import safe_cell

Row = Mapping[str, object]


def render(
    rows: Sequence[Row], fmt: str, envelope: Mapping[str, object] | None = None, key: str = "values"
) -> str:
    if fmt == "json":
        return json.dumps({**(envelope or {}), key: list(rows)}, default=_json, indent=2)
    if fmt == "csv":
        return to_csv(rows)
    return to_table(rows)


def to_csv(rows: Sequence[Row]) -> str:
    if not rows:
        return ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: _plain(v) for k, v in row.items()} for row in rows)
    return out.getvalue()


def to_table(rows: Sequence[Row]) -> str:
    if not rows:
        return "(nothing to show)\n"
    columns = list(rows[0])
    cells = [[_text(row.get(c)) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    numeric = [all(_is_number(r[i]) for r in cells) for i in range(len(columns))]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.rjust(w) if n else v.ljust(w) for v, w, n in zip(values, widths, numeric, strict=True)
        ).rstrip()

    return (
        "\n".join([line(columns), line(["-" * w for w in widths]), *(line(r) for r in cells)])
        + "\n"
    )


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.1f}" if not value.is_integer() else f"{value:,.0f}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _plain(value: object) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else safe_cell(str(value))


def _is_number(text: str) -> bool:
    return text.replace(",", "").replace(".", "", 1).lstrip("-").isdigit() or text == ""


def _json(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")

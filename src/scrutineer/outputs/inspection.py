"""The inspection summary as people read it: the same cells for the web page and the PDF
(formatted once here), and the PDF itself (WeasyPrint, as the report)."""

from __future__ import annotations

from pathlib import Path
from typing import TypedDict

from jinja2 import Environment, PackageLoader, select_autoescape

from scrutineer.errors import ScrutineerError
from scrutineer.inspection.summary import IndicatorLine, InspectionSummary
from scrutineer.outputs.figures import flagged, short

SHOWN = 25  # children of each exception list in the PDF (the dashboard has every one)


class Child(TypedDict):
    person_id: str
    name: str
    team: str
    worker: str
    due: str
    days_overdue: str


class Line(TypedDict):
    kpi: str
    title: str
    cells: list[str]  # a month each
    exceptions: list[str] | None  # children in its exception list, a month each
    latest: list[Child]  # the children in it in the as-at month


class ListPart(TypedDict):
    sheet: str
    title: str
    description: str
    rows: int
    counted_by: str | None  # the column whose month a record is counted in
    by_month: list[str] | None
    indicators: list[Line]


class Summary(TypedDict):
    period: str
    start: str
    end: str
    months: list[str]
    first_in_part: bool
    from_day: str  # "30 September 2025"
    lists: list[ListPart]


def summary_cells(summary: InspectionSummary) -> Summary:
    return {
        "period": str(summary.period),
        "start": summary.period.start.isoformat(),
        "end": summary.period.end.isoformat(),
        "months": [f"{m.start:%b %Y}" for m in summary.months],
        "first_in_part": summary.first_in_part,
        "from_day": f"{summary.period.start:%d %B %Y}",
        "lists": [
            {
                "sheet": part.annex.sheet,
                "title": part.annex.title,
                "description": part.annex.description,
                "rows": part.rows,
                "counted_by": part.annex.month_of,
                "by_month": [f"{n:,}" for n in part.by_month] if part.by_month else None,
                "indicators": [_line(line) for line in part.indicators],
            }
            for part in summary.lists
        ],
    }


def _line(line: IndicatorLine) -> Line:
    unit = line.kpi.unit
    return {
        "kpi": line.kpi.id,
        "title": line.kpi.title,
        "cells": [
            "no data"
            if v is None or v.status == "no data"
            else "–"
            if v.value is None
            else flagged(short(v.value, unit), v)
            for v in line.values
        ],
        "exceptions": [f"{n:,}" for n in line.exceptions] if line.exceptions is not None else None,
        "latest": [
            {
                "person_id": row.person_id or "",
                "name": row.name or "",
                "team": row.team,
                "worker": row.worker,
                "due": f"{row.due:%d/%m/%Y}" if row.due else "",
                "days_overdue": str(row.days_overdue) if row.days_overdue is not None else "",
            }
            for row in line.latest
        ],
    }


def summary_html(cells: Summary, authority: str, snapshot: str) -> str:
    environment = Environment(
        loader=PackageLoader("scrutineer.outputs.report", "templates"),
        autoescape=select_autoescape(["html"]),
    )
    return environment.get_template("inspection.html").render(
        s=cells, authority=authority, snapshot=snapshot, shown=SHOWN
    )


def summary_pdf(cells: Summary, authority: str, snapshot: str) -> bytes:
    from weasyprint import HTML  # imported here: it takes a second to load

    return bytes(HTML(string=summary_html(cells, authority, snapshot)).write_pdf())


def write_summary(cells: Summary, authority: str, snapshot: str, out: Path) -> Path:
    """The summary as PDF or HTML (`out`'s suffix)."""
    suffix = out.suffix.lower()
    if suffix not in (".pdf", ".html"):
        raise SummaryOutInvalid(out)
    if suffix == ".html":
        out.write_text(summary_html(cells, authority, snapshot), "utf-8")
    else:
        out.write_bytes(summary_pdf(cells, authority, snapshot))
    return out


class SummaryOutInvalid(ScrutineerError):
    def __init__(self, out: Path) -> None:
        super().__init__(f"{out}: the inspection summary is written as .pdf or .html.")

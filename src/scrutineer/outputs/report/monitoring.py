"""The "monitoring scrutiny recommendations" report for a meeting: every recommendation
still on the list (records/governance.py), grouped by the meeting or review it came from,
with the action proposed, the actions taken and the status. HTML and PDF share one
template (WeasyPrint, as the performance report); Word gets a .docx of the same content.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import groupby
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy import Engine

from scrutineer.errors import ScrutineerError
from scrutineer.records import governance_views as views
from scrutineer.records.governance import Item, monitoring_list
from scrutineer.records.panels import Quorum, quorum

FORMATS = (".html", ".pdf", ".docx")
STATUS_WORDS = {
    "outstanding": "Outstanding",
    "partially_complete": "Partially complete",
    "complete": "Complete",
    "rejected": "Rejected",
}


class MonitoringFormatInvalid(ScrutineerError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"Cannot write {path.name}: give --out a name ending in .html, .pdf or .docx."
        )


@dataclass(frozen=True)
class MonitoringContext:
    panel: str
    held_on: date
    place: str
    status: str
    quorum: Quorum
    groups: tuple[tuple[str, tuple[Item, ...]], ...]  # origin, its items

    @property
    def overdue(self) -> int:
        return sum(i.overdue for _, items in self.groups for i in items)

    @property
    def count(self) -> int:
        return sum(len(items) for _, items in self.groups)


def monitoring_context(records: Engine, meeting_id: int) -> MonitoringContext:
    items = monitoring_list(records, meeting_id)
    meeting = views.meeting(records, meeting_id)
    assert meeting is not None  # monitoring_list has checked it
    panel = views.panel(records, meeting.panel_id)
    assert panel is not None
    name, held_on, place, status = panel.name, meeting.held_on, meeting.place, meeting.status
    groups = tuple(
        (origin, tuple(found)) for origin, found in groupby(items, key=lambda i: i.origin)
    )
    return MonitoringContext(name, held_on, place, status, quorum(records, meeting_id), groups)


def write_monitoring(context: MonitoringContext, out: Path) -> Path:
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise MonitoringFormatInvalid(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".docx":
        return _docx(context, out)
    environment = Environment(
        loader=PackageLoader("scrutineer.outputs.report", "templates"),
        autoescape=select_autoescape(["html"]),
    )
    page = environment.get_template("monitoring.html").render(m=context, words=STATUS_WORDS)
    if suffix == ".html":
        out.write_text(page, "utf-8")
    else:
        from weasyprint import HTML  # imported here: it takes a second to load

        HTML(string=page).write_pdf(out)
    return out


def _docx(context: MonitoringContext, out: Path) -> Path:
    from docx import Document  # imported here: only Word needs it

    document = Document()
    document.add_heading(f"Monitoring scrutiny recommendations: {context.panel}", 0)
    document.add_paragraph(
        f"Meeting of {context.held_on:%d %B %Y}, {context.place} ({context.status}). "
        f"{context.count} recommendations on the list, {context.overdue} overdue."
    )
    for origin, items in context.groups:
        document.add_heading(origin, level=1)
        table = document.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        for cell, text in zip(
            table.rows[0].cells,
            (
                "No.",
                "Recommendation and action proposed",
                "Owner and due date",
                "Action taken",
                "Status",
            ),
            strict=True,
        ):
            cell.text = text
        for item in items:
            cells = table.add_row().cells
            cells[0].text = item.number or item.ref
            cells[1].text = f"{item.title}\n{item.action_proposed}"
            cells[2].text = item.owner + (f"\nDue {item.due_on:%d %B %Y}" if item.due_on else "")
            cells[3].text = "\n".join(f"{on:%d %B %Y}: {text}" for on, text in item.actions_taken)
            cells[4].text = _status(item)
    document.save(str(out))
    return out


def _status(item: Item) -> str:
    text = STATUS_WORDS[item.status]
    if item.overdue:
        text += " (overdue)"
    if item.accepted_here:
        text += " - accepted as complete at this meeting"
    return text

"""The report's tables as an Excel workbook: the lists, one sheet per section, the notes.

Cells hold numbers where the report shows a number (percentages as fractions formatted
as percentages), and the report's own text where it shows text (suppressed cells "*").
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from scrutineer.outputs.report.context import ReportContext

NUMBER = re.compile(r"^-?[\d,]+(\.\d+)?%?$")


def write_workbook(context: ReportContext, out: Path) -> Path:
    book = Workbook()
    summary = book.active
    assert isinstance(summary, Worksheet)
    summary.title = "Summary"
    summary.append([context.title])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append([f"{context.period}, {context.edition} edition, snapshot {context.snapshot}"])
    summary.append([])
    summary.append([name.capitalize() for name in context.lists])
    for cell in summary[4]:
        cell.font = Font(bold=True)
    longest = max((len(t) for t in context.lists.values()), default=0)
    for i in range(longest):
        summary.append(
            [titles[i] if i < len(titles) else None for titles in context.lists.values()]
        )
    for number, section in enumerate(context.sections, start=1):
        sheet = book.create_sheet(f"{number} {section.title}"[:31])
        header = [
            "Indicator",
            *context.columns,
            "Target",
            "RAG",
            "Trend",
            "Neighbours",
            "England",
            "Category",
        ]
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in section.rows:
            texts = [*row.cells, row.target, row.rag, row.trend, row.neighbours, row.england]
            sheet.append([row.title, *(_value(t) for t in texts), row.category])
            for cell, text in zip(sheet[sheet.max_row][1:], texts, strict=False):
                if text.endswith("%"):
                    cell.number_format = "0.0%"
        sheet.append([])
        sheet.append([section.summary])
        sheet.column_dimensions["A"].width = 48
    notes = book.create_sheet("Notes")
    for note in context.notes:
        notes.append([note])
    _no_formulas(book)
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)
    return out


def list_workbook(title: str, rows: Sequence[Mapping[str, object]]) -> bytes:
    """A list (children overdue, an exception list) as a workbook of one sheet: a header of
    its columns in bold, a row each, nothing that runs when it is opened."""
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.title = title[:31]
    header = list(rows[0]) if rows else ["(none)"]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(
            [v if isinstance(v, int | float) or v is None else str(v) for v in row.values()]
        )
    _no_formulas(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _no_formulas(book: Workbook) -> None:
    """Text that openpyxl took for a formula (it starts with =) kept as text: nothing in
    the workbook runs when it is opened."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


def _value(text: str) -> float | str | None:
    if not text:
        return None
    if not NUMBER.match(text):
        return text
    number = float(text.rstrip("%").replace(",", ""))
    return number / 100 if text.endswith("%") else number

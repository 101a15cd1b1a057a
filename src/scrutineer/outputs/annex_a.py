"""Annex A as Ofsted asks for it: a workbook with a sheet per list (`List 1` to `List 11`),
each a header row of Ofsted's column names and a row per record; dates as dates shown
dd/mm/yyyy, counts as numbers, nothing that runs when it is opened."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from scrutineer.engine.session import open_session
from scrutineer.errors import ScrutineerError
from scrutineer.inspection.annex_a import AnnexTable, Cell, Window, annex_a, window
from scrutineer.inspection.summary import summarise
from scrutineer.outputs.inspection import Summary, SummaryOutInvalid, summary_cells, write_summary
from scrutineer.settings import Settings

DAY = "dd/mm/yyyy"


def write_annex_a(
    tables: list[AnnexTable], period: Window, authority: str, out: Path | BinaryIO
) -> Path | BinaryIO:
    book = Workbook(write_only=True)
    book.properties.title = f"Annex A, {authority}: {period}"
    book.properties.creator = "Scrutineer"
    for table in tables:
        sheet = book.create_sheet(table.annex.sheet)
        for number, name in enumerate(table.annex.columns, start=1):
            # wide enough for a date or a code, and for the name over two or three lines
            sheet.column_dimensions[get_column_letter(number)].width = min(
                max(len(name) / 2.5, 13), 30
            )
        sheet.append([_header(sheet, name) for name in table.annex.columns])
        for row in table.rows:
            sheet.append([_cell(sheet, value) for value in row])
    if not isinstance(out, Path):  # a download's body
        book.save(out)
        return out
    partial = out.with_name(out.name + ".partial")
    book.save(partial)
    partial.replace(out)  # a workbook is there whole or not at all
    return out


def _header(sheet: WriteOnlyWorksheet, name: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, name)
    cell.font = Font(bold=True)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def _cell(sheet: WriteOnlyWorksheet, value: Cell) -> object:
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = DAY
        return cell
    if isinstance(value, str) and value.startswith("="):
        text = WriteOnlyCell(sheet, value)
        text.data_type = "s"  # text, never a formula
        return text
    return value


@dataclass(frozen=True)
class Drawn:
    """Annex A drawn from a snapshot: the period, every list's rows and (if asked) the
    summary's cells, for the command line and the web alike."""

    period: Window
    tables: list[AnnexTable]
    summary: Summary | None
    snapshot: str

    @property
    def rows(self) -> int:
        return sum(len(t.rows) for t in self.tables)


def draw_annex_a(
    settings: Settings, snapshot: str, as_at: date | None, months: int, summarised: bool
) -> Drawn:
    """Annex A from a snapshot (the latest by default) as at a day on or before its own
    (default: the snapshot's as-at date), over `months` months."""
    session = open_session(settings, snapshot, None)  # the lists read no QA records
    try:
        day = as_at or session.manifest.as_at
        if day > session.manifest.as_at:
            raise AsAtAfterSnapshot(day, session.manifest.id, session.manifest.as_at)
        period = window(day, months)
        tables = annex_a(session.engine.con, period)
        cells = summary_cells(summarise(session.engine, period, tables)) if summarised else None
        return Drawn(period, tables, cells, session.manifest.id)
    finally:
        session.close()


def make_annex_a(
    settings: Settings,
    snapshot: str,
    as_at: date | None,
    months: int,
    out: Path,
    summary: Path | None = None,
) -> Drawn:
    """Annex A written to `out`; with `summary`, the inspection summary beside it (PDF or
    HTML)."""
    if out.suffix.lower() != ".xlsx":
        raise AnnexOutInvalid(out)
    if summary is not None and summary.suffix.lower() not in (".pdf", ".html"):
        raise SummaryOutInvalid(summary)
    drawn = draw_annex_a(settings, snapshot, as_at, months, summary is not None)
    write_annex_a(drawn.tables, drawn.period, settings.la_code, out)
    if summary is not None and drawn.summary is not None:
        write_summary(drawn.summary, settings.la_code, drawn.snapshot, summary)
    return drawn


class AnnexOutInvalid(ScrutineerError):
    def __init__(self, out: Path) -> None:
        super().__init__(f"{out}: Annex A is a workbook; give a file name ending .xlsx.")


class AsAtAfterSnapshot(ScrutineerError):
    def __init__(self, day: date, snapshot: str, as_at: date) -> None:
        super().__init__(
            f"--as-at {day}: snapshot {snapshot} holds records as at {as_at}, so the lists "
            "cannot be drawn up for a later day. Give a day on or before it, or load a newer "
            "extract."
        )

"""Spreadsheet formulas in what Scrutineer exports (OWASP's CSV injection): every value a
spreadsheet would run is written as text, numbers stay numbers, and what is imported back
is exactly what was stored. Cases written out by hand."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import create_engine

from scrutineer.cells import read_cell, safe_cell
from scrutineer.extract.report import write_issues_csv
from scrutineer.findings import Issue, Level
from scrutineer.outputs.report.excel import _no_formulas
from scrutineer.outputs.text import to_csv
from scrutineer.records.qa import import_files
from scrutineer.records.store import upgrade
from tests.support.qa_files import FILES, exported, write

WRITTEN = {  # value: the cell written
    '=HYPERLINK("http://x","click")': '\'=HYPERLINK("http://x","click")',
    "+1+1": "'+1+1",
    "-2+3+cmd|' /C calc'!A0": "'-2+3+cmd|' /C calc'!A0",
    "@SUM(A1)": "'@SUM(A1)",
    "\t=1": "'\t=1",
    "\r=1": "'\r=1",
    "'=already quoted": "''=already quoted",  # so reading it back keeps its apostrophe
    "''=twice": "'''=twice",
    "'a plain apostrophe": "'a plain apostrophe",  # nothing to undo: left alone
    "-2.5": "-2.5",  # numbers stay numbers
    "+3": "+3",
    "-1e-3": "-1e-3",
    "Ann Auditor": "Ann Auditor",
    "": "",
    "a=b": "a=b",
}


@pytest.mark.parametrize("value", sorted(WRITTEN))
def test_a_formula_is_written_as_text_and_read_back_as_it_was(value: str) -> None:
    assert safe_cell(value) == WRITTEN[value]
    assert read_cell(safe_cell(value)) == value


def test_indicator_and_exception_csv_cells_cannot_run() -> None:
    text = to_csv([{"team": "=cmd|' /C calc'!A0", "value": -2.5, "change": "-1.5"}])
    assert list(csv.reader(io.StringIO(text)))[1] == ["'=cmd|' /C calc'!A0", "-2.5", "-1.5"]


def test_a_load_s_issues_csv_holds_a_hostile_value_as_text(tmp_path: Path) -> None:
    issue = Issue(Level.ERROR, "bad-date", "not a date", "Fix it", "ssd_person.csv", 2, "pers_dob")
    hostile = replace(issue, value='=WEBSERVICE("http://x")')
    write_issues_csv([hostile], tmp_path / "issues.csv")
    row = list(csv.reader(io.StringIO((tmp_path / "issues.csv").read_text("utf-8"))))[1]
    assert row[6] == '\'=WEBSERVICE("http://x")'


def test_qa_records_round_trip_with_formulas_in_their_text(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'records.db'}"
    upgrade(url)
    engine = create_engine(url)
    files = {**FILES, "audits": FILES["audits"].replace("Voice of the child", "=1+1")}
    files["audits"] = files["audits"].replace("Ann Auditor,2026-02-03", "@Ann,2026-02-03")
    import_files(engine, write(tmp_path / "in", files))
    first = exported(engine)
    assert ",'=1+1," in first["audits"] and ",'@Ann," in first["audits"]
    import_files(engine, write(tmp_path / "again", first))
    assert exported(engine) == first  # the apostrophe is not stored, nor doubled
    engine.dispose()


def test_the_workbook_holds_text_that_looks_like_a_formula_as_text(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["=1+1", "plain"])
    _no_formulas(book)
    book.save(tmp_path / "report.xlsx")
    cell = load_workbook(tmp_path / "report.xlsx").active["A1"]
    assert (cell.value, cell.data_type) == ("=1+1", "s")

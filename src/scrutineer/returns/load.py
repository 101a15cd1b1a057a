"""`scrutineer returns import`: a return read into extract tables and loaded as a snapshot,
all or nothing, with the extract's own checks. A CIN census is its XML file; an SSDA903 is
the folder of its CSV tables or its XML file (told apart from a census by its root)."""

from __future__ import annotations

import csv
import tempfile
from dataclasses import replace
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from scrutineer.errors import AlreadyLoaded, ExtractRejected
from scrutineer.extract.load import LoadResult, Origin, load_extract
from scrutineer.extract.snapshots import SnapshotStore
from scrutineer.findings import Issue
from scrutineer.returns.cin_import import Tables, parse_safely, read_cin
from scrutineer.returns.findings import Findings, ReturnRejected
from scrutineer.returns.ssda903_import import read_903_extract
from scrutineer.returns.supports import SUPPORTED

RETURN_NAMES = {"cin": "a CIN census", "ssda903": "an SSDA903 return"}


def import_return(path: Path, store: SnapshotStore, year: int | None = None) -> LoadResult:
    """A return as a new snapshot: a census as at its reference date, a 903 as at the 31
    March its collection (`year`, else the one its names or dates show) ends. The result's
    issues are the return's warnings (its own tables and columns) and the load's."""
    if not path.exists():
        raise ReturnRejected(f"{path}: no such file or folder.")
    if path.is_file() and path.stat().st_size == 0:
        raise ReturnRejected(
            f"{path.name} is empty. Give a CIN census's XML file, or an SSDA903 return's "
            "folder of CSV tables or its XML file."
        )
    findings = Findings()
    if path.is_dir() or not _is_census(path):
        tables, as_at = read_903_extract(path, year, findings)
        kind = "ssda903"
    else:
        tables, as_at = read_cin(path)
        kind = "cin"
    origin = Origin(f"{path.resolve()} ({RETURN_NAMES[kind]})", SUPPORTED[kind])
    with tempfile.TemporaryDirectory(prefix="scrutineer-return-") as staging:
        _write(tables, Path(staging))
        try:
            loaded = load_extract(Path(staging), store, as_at, origin=origin)
        except AlreadyLoaded as loaded_before:
            raise AlreadyLoaded(
                loaded_before.snapshot_id, f"The records of {path.name}", " It is there to use."
            ) from None
        except ExtractRejected as rejected:  # said of the return, not of a staging folder
            raise ReturnRejected(
                f"{path.name}: read, but its records fail the checks every snapshot must pass "
                f"({sum(i.is_error for i in rejected.issues):,} error(s)); nothing was loaded. "
                "They name the tables the return was read into (docs/extract-contract.md).",
                _as_read(rejected.issues) + findings.issues,
            ) from None
    return LoadResult(loaded.manifest, findings.issues + _as_read(loaded.issues))


def _as_read(issues: list[Issue]) -> list[Issue]:
    """The load's findings as a return's: not that the tables a return never holds are
    absent, and no hint that points at `scrutineer load` or its options."""
    return [
        replace(i, hint="" if "scrutineer load" in i.hint or "--as-at" in i.hint else i.hint)
        for i in issues
        if i.rule != "absent-table"
    ]


def _is_census(path: Path) -> bool:
    if path.suffix.lower() != ".xml":
        raise ReturnRejected(
            f"{path.name}: give a CIN census as its XML file, and an SSDA903 as the folder of "
            "its CSV tables or its XML file."
        )
    try:
        for _, element in iterparse(path, events=("start",), forbid_dtd=True):
            return str(element.tag).rsplit("}", 1)[-1] == "Message"
    except (DefusedXmlException, SyntaxError):
        parse_safely(path)  # says what is wrong, and where
    return False


def _write(tables: Tables, folder: Path) -> None:
    for table, rows in tables.items():
        if not rows:
            continue
        with (folder / f"{table}.csv").open("w", newline="", encoding="utf-8") as file:
            writer = csv.DictWriter(file, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)

"""`scrutineer returns import`: a return read into extract tables and loaded as a snapshot,
all or nothing, with the extract's own checks. A CIN census is its XML file; an SSDA903 is
the folder of its CSV tables or its XML file (told apart from a census by its root)."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from scrutineer.extract.load import LoadResult, load_extract
from scrutineer.extract.snapshots import SnapshotStore
from scrutineer.returns.cin_import import ReturnRejected, Tables, parse_safely, read_cin
from scrutineer.returns.ssda903_import import read_903_extract


def import_return(path: Path, store: SnapshotStore, year: int | None = None) -> LoadResult:
    """A return as a new snapshot: a census as at its reference date, a 903 as at the 31
    March its collection (`year`, else the one its names or dates show) ends."""
    if not path.exists():
        raise ReturnRejected(f"{path}: no such file or folder.")
    if path.is_dir() or not _is_census(path):
        tables, as_at = read_903_extract(path, year)
    else:
        tables, as_at = read_cin(path)
    with tempfile.TemporaryDirectory(prefix="scrutineer-return-") as staging:
        _write(tables, Path(staging))
        return load_extract(Path(staging), store, as_at)


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

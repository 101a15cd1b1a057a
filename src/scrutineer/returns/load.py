"""`scrutineer returns import`: a return read into extract tables and loaded as a snapshot,
all or nothing, with the extract's own checks."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

from scrutineer.extract.load import LoadResult, load_extract
from scrutineer.extract.snapshots import SnapshotStore
from scrutineer.returns.cin_import import ReturnRejected, read_cin


def import_return(path: Path, store: SnapshotStore) -> LoadResult:
    """A CIN census XML file as a new snapshot, as at its reference date."""
    if path.suffix.lower() != ".xml":
        raise ReturnRejected(
            f"{path.name}: give the CIN census as its XML file (the SSDA903 is read from its "
            "CSV folder, not yet supported)."
        )
    tables, reference = read_cin(path)
    with tempfile.TemporaryDirectory(prefix="scrutineer-return-") as staging:
        folder = Path(staging)
        for table, rows in tables.items():
            with (folder / f"{table}.csv").open("w", newline="", encoding="utf-8") as file:
                writer = csv.DictWriter(file, fieldnames=list(rows[0]), lineterminator="\n")
                writer.writeheader()
                writer.writerows(rows)
        return load_extract(folder, store, reference)

"""`scrutineer returns export`: a snapshot's statutory returns for a collection year."""

from __future__ import annotations

from pathlib import Path

from scrutineer.errors import ScrutineerError
from scrutineer.extract.snapshots import SnapshotStore
from scrutineer.returns.cin_census import Source, export_cin
from scrutineer.returns.collection import Collection
from scrutineer.returns.ssda903 import export_903
from scrutineer.returns.ssda903_xml import ssda903_xml
from scrutineer.settings import Settings


class ReturnIncomplete(ScrutineerError):
    pass


def export_returns(
    settings: Settings,
    collection: Collection,
    out: Path,
    snapshot: str = "latest",
    xml_903: bool = False,
) -> list[Path]:
    """Write the CIN census (cin_YYYY.xml) and the SSDA903 (903_YYYY/*.csv, and with
    `xml_903` also as the single file 903_YYYY.xml) to `out`; returns the files written."""
    store = SnapshotStore(settings.snapshots_dir)
    manifest = store.get(snapshot)
    if manifest.as_at < collection.end:
        raise ReturnIncomplete(
            f"Snapshot {manifest.id} is as at {manifest.as_at}: the {collection} return needs "
            f"records to {collection.end}. Load a later extract or choose an earlier year."
        )
    con = store.connect(manifest.id)
    try:
        census = export_cin(con, collection, Source(settings.la_number, manifest.as_at))
        looked_after = export_903(con, collection)
    finally:
        con.close()
    folder = out / f"903_{collection.year}"
    folder.mkdir(parents=True, exist_ok=True)
    written = out / f"cin_{collection.year}.xml"
    written.write_bytes(census)
    files = [written]
    for name, text in looked_after.items():
        (folder / name).write_text(text, encoding="utf-8")
        files.append(folder / name)
    if xml_903:
        files.append(out / f"903_{collection.year}.xml")
        files[-1].write_bytes(ssda903_xml(looked_after))
    return files

"""`scrutineer demo`: the synthetic reference authority, generated, loaded and computed.

Later stages (the report, the dashboard) join here as they are built.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from scrutineer.engine.session import open_session
from scrutineer.errors import AlreadyLoaded
from scrutineer.extract.load import load_extract
from scrutineer.extract.snapshots import Manifest, SnapshotStore
from scrutineer.outputs.text import to_table
from scrutineer.settings import Settings
from scrutineer.synth.generate import generate
from scrutineer.synth.params import AuthorityParams


@dataclass(frozen=True)
class Demo:
    extract: Path
    snapshot: Manifest
    new: bool


def run_demo(settings: Settings, say: Callable[[str], None]) -> Demo:
    """Generate the reference authority (once), load it (once) and show its latest month."""
    folder = settings.data_dir / "demo-extract"
    if not (folder / "ssd_person.csv").is_file():
        say(f"Generating the synthetic reference authority in {folder} ...")
        generate(folder, AuthorityParams())
    store = SnapshotStore(settings.snapshots_dir)
    try:
        manifest = load_extract(folder, store).manifest
        new = True
    except AlreadyLoaded as already:
        manifest, new = store.get(already.snapshot_id), False
    say(
        f"Snapshot {manifest.id} (as at {manifest.as_at}): {sum(manifest.rows.values()):,} rows "
        f"{'loaded' if new else 'already loaded'} into {settings.snapshots_dir}."
    )
    say(latest_month(settings, manifest.id))
    return Demo(folder, manifest, new)


def latest_month(settings: Settings, snapshot: str) -> str:
    """Every indicator for the snapshot's latest month, as a table."""
    session = open_session(settings, snapshot)
    try:
        period = session.latest_period
        rows = [
            {
                "indicator": v.kpi,
                "value": v.value if v.status != "no data" else "no data",
                "numerator": v.numerator,
                "denominator": v.denominator,
                "title": session.engine.catalogue.get(v.kpi).title,
            }
            for v in session.engine.values(period, period)
        ]
    finally:
        session.close()
    return f"\nIndicators for {period}:\n" + to_table(rows)

"""`scrutineer demo`: the synthetic reference authority, generated and loaded.

Later stages (indicators, the report, the dashboard) join here as they are built.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from scrutineer.errors import AlreadyLoaded
from scrutineer.extract.load import load_extract
from scrutineer.extract.snapshots import Manifest, SnapshotStore
from scrutineer.settings import Settings
from scrutineer.synth.generate import generate
from scrutineer.synth.params import AuthorityParams


@dataclass(frozen=True)
class Demo:
    extract: Path
    snapshot: Manifest
    new: bool


def run_demo(settings: Settings, say: Callable[[str], None]) -> Demo:
    """Generate the reference authority (once) and load it (once); say what happens."""
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
    return Demo(folder, manifest, new)

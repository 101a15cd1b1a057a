"""Open a snapshot for computing: read-only, with the catalogue and the population."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import duckdb

from scrutineer.calendar import Period
from scrutineer.catalogue.language import QaRows
from scrutineer.catalogue.load import load_catalogue
from scrutineer.engine.compute import Engine
from scrutineer.engine.population import Populations
from scrutineer.extract.snapshots import Manifest, SnapshotStore
from scrutineer.settings import Settings


@dataclass
class Session:
    manifest: Manifest
    engine: Engine

    @property
    def latest_period(self) -> Period:
        """The last whole month of the snapshot (the as-at month if it ends on its last day)."""
        as_at = self.manifest.as_at
        return Period.of(
            as_at
            if (as_at + timedelta(days=1)).day == 1
            else as_at.replace(day=1) - timedelta(days=1)
        )

    def close(self) -> None:
        self.engine.con.close()


def open_session(settings: Settings, snapshot: str = "latest", qa: QaRows | None = None) -> Session:
    """The snapshot, read-only, ready to compute; `qa` (the quality-assurance records, read
    from the records store by the caller) for the indicators over them."""
    store = SnapshotStore(settings.snapshots_dir)
    manifest = store.get(snapshot)
    con = duckdb.connect(str(store.db_path(manifest.id)), read_only=True)
    populations = Populations(settings.la_code, settings.population)
    return Session(manifest, Engine(con, load_catalogue(), populations, qa))

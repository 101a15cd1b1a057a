"""The snapshot registry in the records store, kept in step with the snapshot folders.

The folders stay the record of truth (a load commits by renaming one into place); the
registry is there to join snapshots with other records in SQL. `sync` adds what is missing;
`scrutineer load` runs it after every load. Nothing reads the registry yet: the dashboard
and the commands list the folders themselves (`SnapshotStore.manifests`).
"""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from scrutineer.extract.snapshots import SnapshotStore
from scrutineer.records import models


def sync(records: Engine, store: SnapshotStore) -> int:
    """Register every snapshot folder not yet registered; returns how many were added."""
    with Session(records) as session, session.begin():
        known = set(session.scalars(select(models.Snapshot.id)).all())
        added = [m for m in store.manifests() if m.id not in known]
        session.add_all(
            models.Snapshot(
                id=m.id,
                as_at=m.as_at,
                loaded_at=m.loaded_at.replace(tzinfo=None),
                fingerprint=m.fingerprint,
                rows=sum(m.rows.values()),
                warnings=len(m.warnings),
                source_dir=m.source_dir,
            )
            for m in added
        )
    return len(added)


def registered(records: Engine) -> list[str]:
    with Session(records) as session:
        return list(session.scalars(select(models.Snapshot.id).order_by(models.Snapshot.id)))

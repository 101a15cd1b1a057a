"""Retention: snapshots and the access log kept only as long as the council's policy says
(`retain_snapshot_months`, `retain_access_log_months`; 0 keeps every one), removed by
`scrutineer purge`, and the purge itself kept in the access log (who, when, what went).
The newest snapshot is never removed, and neither are the records store's own records
(audits, alerts, governance), which have their own lives."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine

from scrutineer.calendar import Period
from scrutineer.extract.snapshots import SnapshotStore
from scrutineer.records.access_log import command_user, log_access, purge_access
from scrutineer.settings import Settings


@dataclass(frozen=True)
class Purged:
    snapshots: tuple[str, ...]  # removed (or, on a dry run, to remove)
    snapshots_before: date | None  # the cut: as at before it (None: kept without limit)
    access_entries: int
    access_before: date | None

    def said(self) -> str:
        parts = []
        if self.snapshots_before:
            ids = ", ".join(self.snapshots) or "none"
            parts.append(f"snapshots as at before {self.snapshots_before}: {ids}")
        if self.access_before:
            entries = "entry" if self.access_entries == 1 else "entries"
            parts.append(
                f"{self.access_entries:,} access-log {entries} before {self.access_before}"
            )
        return "; ".join(parts) or "nothing: no retention period is set"


def purge(settings: Settings, records: Engine, today: date, dry_run: bool = False) -> Purged:
    """Remove what is past its retention period (with `dry_run`, only say what would go);
    a purge that removes anything is logged."""
    store = SnapshotStore(settings.snapshots_dir)
    snapshots_before = _months_before(today, settings.retain_snapshot_months)
    old: tuple[str, ...] = ()
    if snapshots_before is not None:
        old = tuple(m.id for m in store.manifests()[:-1] if m.as_at < snapshots_before)
    access_before = _months_before(today, settings.retain_access_log_months)
    entries = 0
    if access_before is not None:
        cut = datetime.combine(access_before, datetime.min.time())
        entries = purge_access(records, cut, dry_run)
    if not dry_run:
        for snapshot_id in old:
            store.remove(snapshot_id)
    done = Purged(old, snapshots_before, entries, access_before)
    if not dry_run and (old or entries):
        log_access(records, command_user(), "purge", done.said())
    return done


def _months_before(today: date, months: int) -> date | None:
    """The first day of the month `months` before today's (None for 0: no limit)."""
    return Period.of(today).shift(-months).start if months > 0 else None

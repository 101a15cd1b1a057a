"""Open a snapshot for computing: read-only, with the catalogue and the population."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from scrutineer.calendar import Period
from scrutineer.catalogue.language import QaRows
from scrutineer.catalogue.load import load_catalogue
from scrutineer.engine.compute import Engine
from scrutineer.engine.population import Populations
from scrutineer.errors import MonthWithoutData, NoSnapshot, SnapshotDamaged
from scrutineer.extract.snapshots import Damaged, Manifest, SnapshotStore, sequence
from scrutineer.settings import Settings


@dataclass
class Session:
    manifest: Manifest
    engine: Engine
    # snapshots passed over for this one: damaged ones newer than it, for "latest"
    passed_over: tuple[Damaged, ...] = ()

    @property
    def latest_period(self) -> Period:
        """The last whole month of the snapshot (the as-at month if it ends on its last day)."""
        as_at = self.manifest.as_at
        return Period.of(
            as_at
            if (as_at + timedelta(days=1)).day == 1
            else as_at.replace(day=1) - timedelta(days=1)
        )

    @property
    def first_period(self) -> Period:
        """The first month the snapshot's records cover: that of its earliest contact (an
        extract's window is its contacts'; older records come only with open cases), or of
        its earliest referral without contacts; the latest month with neither."""
        found = self.engine.con.execute(
            "SELECT coalesce((SELECT min(cont_contact_date) FROM ssd_contacts), "
            "(SELECT min(cine_referral_date) FROM ssd_cin_episodes))"
        ).fetchone()
        return Period.of(found[0]) if found and found[0] else self.latest_period

    def month(self, month: Period) -> Period:
        """`month`, if the snapshot has figures for it; else MonthWithoutData saying why."""
        first, last = self.first_period, self.latest_period
        as_at = self.manifest.as_at
        why = ""
        if month > last:
            why = (
                f"it is after the as-at date {as_at}"
                if month.start > as_at
                else f"it is not over by the as-at date {as_at}"
            )
        elif month < first:
            why = f"the records begin in {first}"
        if why:
            raise MonthWithoutData(month, first, last, self.manifest.id, why)
        return month

    def close(self) -> None:
        self.engine.con.close()


def open_session(settings: Settings, snapshot: str = "latest", qa: QaRows | None = None) -> Session:
    """The snapshot, read-only, ready to compute; `qa` (the quality-assurance records, read
    from the records store by the caller) for the indicators over them. "latest" is the
    newest snapshot that can be read: each damaged one passed over is named in
    `passed_over`; a snapshot asked for by id raises SnapshotDamaged."""
    store = SnapshotStore(settings.snapshots_dir)
    populations = Populations(settings.la_code, settings.population)
    if snapshot != "latest":
        manifest = store.get(snapshot)
        return Session(
            manifest, Engine(store.connect(manifest.id), load_catalogue(), populations, qa)
        )
    listing = store.listing()
    manifests = [m for m in listing if isinstance(m, Manifest)]
    if not manifests:
        raise NoSnapshot(settings.snapshots_dir)
    newest = sequence(manifests[-1].id)
    passed_over = [d for d in listing if isinstance(d, Damaged) and sequence(d.id) > newest]
    for manifest in reversed(manifests):
        try:
            con = store.connect(manifest.id)
        except SnapshotDamaged as damaged:
            passed_over.append(Damaged(damaged.snapshot_id, damaged.reason))
            continue
        engine = Engine(con, load_catalogue(), populations, qa)
        newest_first = sorted(passed_over, key=lambda d: sequence(d.id), reverse=True)
        return Session(manifest, engine, tuple(newest_first))
    raise NoSnapshot(settings.snapshots_dir)

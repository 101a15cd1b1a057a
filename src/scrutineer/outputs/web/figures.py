"""The dashboard's figures, computed once per snapshot and kept in memory.

A snapshot never changes, so its values (every indicator, every month shown, every level)
are computed once with `engine.batch` - the same computation as `kpi` and the report - and
every page reads them. Exception lists for the latest month come with them; other months'
lists are computed when first asked for. Assessments depend on targets, which people edit,
so they are cached per set of targets.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import NamedTuple, TypeVar, cast

import duckdb
from sqlalchemy import Engine as Records

from scrutineer.assess.assessment import Assessment, assess_values, standards_of
from scrutineer.assess.benchmarks import benchmarks_for
from scrutineer.assess.targets import Target, TargetStore
from scrutineer.assess.text import place_in_words
from scrutineer.calendar import Period
from scrutineer.catalogue.language import QaRows
from scrutineer.catalogue.load import load_catalogue
from scrutineer.catalogue.model import Catalogue, Kpi, Level
from scrutineer.engine.batch import compute_everything
from scrutineer.engine.compute import Engine, Value
from scrutineer.engine.exceptions import ExceptionRow, exception_list
from scrutineer.engine.explain import explain
from scrutineer.engine.holders import ChildNow, Holding, child_now, teams_holding
from scrutineer.engine.population import Populations
from scrutineer.engine.session import Session
from scrutineer.errors import NoSnapshot, SnapshotDamaged, SnapshotNotFound
from scrutineer.extract.snapshots import Damaged, Manifest, SnapshotStore, first_line, sequence
from scrutineer.outputs.suppression import (
    PICKABLE_MONTHS,
    PUBLISHED_LEVELS,
    Suppressed,
    first_published,
    suppress,
)
from scrutineer.records.qa import engine_rows
from scrutineer.settings import Settings

T = TypeVar("T")
KEPT_SNAPSHOTS = 3
RECORDS_SECONDS = 5.0  # a target or QA record imported shows on the dashboard within this


class Team(NamedTuple):
    """A team of the snapshot, in its service."""

    id: str
    name: str
    service_id: str
    service: str


@dataclass
class SnapshotFigures:
    manifest: Manifest
    latest: Period
    values: dict[tuple[str, Level], list[Value]]  # (kpi, level) -> values, oldest first
    exceptions: dict[tuple[str, str], list[ExceptionRow]]  # (kpi, period) -> rows
    con: duckdb.DuckDBPyConnection
    teams: list[Team]  # by name
    lock: threading.Lock = field(default_factory=threading.Lock)
    by_month: dict[tuple[str, Level, str], list[Value]] = field(default_factory=dict)
    qa_version: int = -1  # of the QA records its QA indicators were computed from

    def __post_init__(self) -> None:
        self.index(self.values)

    def index(self, values: dict[tuple[str, Level], list[Value]]) -> None:
        """Take (or replace) the values of some indicators, indexed by month too."""
        for (kpi, level), series in values.items():
            series.sort(key=lambda v: v.period)
            self.values[(kpi, level)] = series
            months: dict[str, list[Value]] = {}
            for value in series:
                months.setdefault(value.period, []).append(value)
            for period, found in months.items():
                self.by_month[(kpi, level, period)] = found

    @property
    def months(self) -> list[Period]:
        """The months a user may pick, newest first."""
        return [self.latest.shift(-i) for i in range(PICKABLE_MONTHS)]

    def services(self) -> list[tuple[str, str]]:
        """(service id, service) of every service, by name."""
        return sorted({(t.service_id, t.service) for t in self.teams}, key=lambda s: s[1])

    def series(self, kpi: str, level: Level = "authority") -> list[Value]:
        return self.values.get((kpi, level), [])

    def child_now(self, person_id: str) -> ChildNow | None:
        """The child as the extract has them on its as-at date (`engine.holders`)."""
        return child_now(self.con, person_id, self.manifest.as_at)

    def has_child(self, person_id: str) -> bool:
        """Whether the extract holds this child."""
        cursor = self.con.cursor()
        try:
            found = cursor.execute(
                "SELECT count(*) FROM ssd_person WHERE pers_person_id = ?", [person_id]
            ).fetchone()
        finally:
            cursor.close()
        return bool(found and found[0])

    def teams_on(self, pairs: list[tuple[str, date]]) -> Holding:
        """The team and service id holding each (child, day)'s case (`engine.holders`)."""
        return teams_holding(self.con, pairs)

    def levels(self, levels: tuple[Level, ...]) -> dict[Level, list[Value]]:
        """Every value held at each of `levels`."""
        found: dict[Level, list[Value]] = {level: [] for level in levels}
        for (_, level), series in self.values.items():
            if level in found:
                found[level] += series
        return found

    def at(self, kpi: str, level: Level, period: Period) -> list[Value]:
        """The values of one month at one level (one per group)."""
        return self.by_month.get((kpi, level, str(period)), [])


class Figures:
    def __init__(self, settings: Settings, records: Records) -> None:
        self.settings = settings
        self.records = records
        self.catalogue: Catalogue = load_catalogue()
        self.store = SnapshotStore(settings.snapshots_dir)
        self._snapshots: OrderedDict[str, SnapshotFigures] = OrderedDict()
        self._assessments: dict[tuple[object, ...], list[Assessment]] = {}
        self._lock = threading.Lock()  # one computation of a snapshot at a time
        self._targets: tuple[float, list[Target]] = (0.0, [])
        self._targets_version = 0  # goes up when the targets read differ from the last
        self._qa: tuple[float, QaRows | None] = (0.0, None)
        self._qa_version = 0  # likewise, for the quality-assurance records
        self._explained: dict[tuple[str, str], str] = {}
        self._memo: dict[tuple[object, ...], object] = {}
        self._manifests: tuple[int, list[Manifest]] = (-1, [])
        self._unreadable: dict[str, str] = {}  # snapshots whose database failed: why
        self._damaged: list[tuple[str, str]] = []  # the store's damaged snapshots: why
        self.benchmarks = benchmarks_for(settings.data_dir)
        # the authority's place in DfE's data (or the one it takes): once, for every page
        self.place = standards_of(settings, (), self.benchmarks)
        self.compared_with = place_in_words(self.place)

    def manifests(self) -> list[Manifest]:
        """Every snapshot, oldest first: read again when the folder changes (a load adds a
        snapshot by renaming it into the folder, which changes the folder's time)."""
        root = self.settings.snapshots_dir
        stamp = root.stat().st_mtime_ns if root.is_dir() else 0
        if stamp != self._manifests[0]:
            listing = self.store.listing()
            self._manifests = (stamp, [m for m in listing if isinstance(m, Manifest)])
            self._damaged = [(d.id, d.reason) for d in listing if isinstance(d, Damaged)]
        return self._manifests[1]

    def _manifest(self, snapshot: str) -> Manifest:
        """A snapshot by id, unique prefix or "latest" (as `SnapshotStore.get`): the newest
        whose database could be read."""
        manifests = self.manifests()
        if snapshot == "latest":
            readable = [m for m in manifests if m.id not in self._unreadable]
            if not readable:
                raise NoSnapshot(self.settings.snapshots_dir)
            return readable[-1]
        matches = [m for m in manifests if m.id.startswith(snapshot)]
        if len(matches) != 1:
            raise SnapshotNotFound(snapshot)
        return matches[0]

    def computed(self) -> bool:
        """Whether the latest snapshot's figures are ready (no waiting for them)."""
        try:
            return self._manifest("latest").id in self._snapshots
        except NoSnapshot:
            return False

    def damaged_note(self) -> str:
        """What the pages say when the newest snapshots are damaged, and which is shown."""
        try:
            shown = self._manifest("latest").id
        except NoSnapshot:
            shown = ""
        damaged = self._damaged + list(self._unreadable.items())
        newer = sorted(
            (d for d in damaged if sequence(d[0]) > sequence(shown)),
            key=lambda d: sequence(d[0]),
            reverse=True,
        )
        if not newer:
            return ""
        said = "; ".join(f"{snapshot_id} ({reason})" for snapshot_id, reason in newer)
        return (
            f"Damaged, so left out: snapshot {said}. "
            + (f"These figures are from {shown}, the newest that can be read. " if shown else "")
            + "An administrator can restore it from a backup, or load the extract again."
        )

    def snapshot(self, snapshot: str = "latest") -> SnapshotFigures:
        while True:
            manifest = self._manifest(snapshot)
            try:
                return self._figures(manifest)
            except SnapshotDamaged as damaged:
                self._unreadable[manifest.id] = damaged.reason
                if snapshot != "latest":
                    raise

    def _figures(self, manifest: Manifest) -> SnapshotFigures:
        rows = self.qa_rows()
        with self._lock:
            if manifest.id not in self._snapshots:
                self._snapshots[manifest.id] = self._compute(manifest)
                while len(self._snapshots) > KEPT_SNAPSHOTS:
                    _, dropped = self._snapshots.popitem(last=False)
                    dropped.con.close()
            self._snapshots.move_to_end(manifest.id)
            figures = self._snapshots[manifest.id]
            if figures.qa_version != self._qa_version:
                self._compute_qa(figures, rows, self._qa_version)
            return figures

    def refresh(self) -> None:
        """Read the targets and QA records again at the next request (after an import)."""
        self._targets = (0.0, self._targets[1])
        self._qa = (0.0, self._qa[1])

    def qa_rows(self) -> QaRows | None:
        """The quality-assurance records, read again from the records store every few
        seconds; when they differ, the indicators over them are computed again."""
        read_at, rows = self._qa
        if time.monotonic() - read_at > RECORDS_SECONDS:
            fresh = engine_rows(self.records)
            if fresh != rows or read_at == 0.0:
                self._qa_version += 1
            rows = fresh
            self._qa = (time.monotonic(), rows)
        return rows

    def version(self) -> tuple[int, int]:
        """Names the targets and QA records in force: part of the key of anything that
        depends on them."""
        self.targets()
        self.qa_rows()
        return self._targets_version, self._qa_version

    def targets(self) -> list[Target]:
        """The targets, read again from the records store every few seconds."""
        read_at, targets = self._targets
        if time.monotonic() - read_at > RECORDS_SECONDS:
            fresh = TargetStore(self.records, self.catalogue).all()
            if fresh != targets:
                self._targets_version += 1
            targets = fresh
            self._targets = (time.monotonic(), targets)
        return targets

    def memo(self, key: tuple[object, ...], make: Callable[[], T]) -> T:
        """A part of a page that depends only on `key` (snapshot, month, what is shown and
        to which kind of viewer), made once. Keys naming figures that depend on targets
        include `version()`."""
        if key not in self._memo:
            if len(self._memo) > 5_000:
                self._memo.clear()
            self._memo[key] = make()
        return cast(T, self._memo[key])

    def explain(self, kpi: Kpi, period: Period) -> str:
        key = (kpi.id, str(period))
        if key not in self._explained:
            self._explained[key] = explain(kpi, self.catalogue, period)
        return self._explained[key]

    def assessments(self, figures: SnapshotFigures, period: Period) -> list[Assessment]:
        targets = self.targets()
        key = (figures.manifest.id, str(period), tuple(targets), figures.qa_version)
        if key not in self._assessments:
            values = [v for kpi in self.catalogue for v in figures.series(kpi.id)]
            against = replace(self.place, targets=tuple(targets))
            found = assess_values(self.catalogue, period, values, against)
            if len(self._assessments) > 64:
                self._assessments.clear()
            self._assessments[key] = found
        return self._assessments[key]

    def suppressed(self, figures: SnapshotFigures) -> Suppressed:
        """What councillors may not see of a snapshot: one set for every page and month
        (and the public report), so no page gives back what another hides."""
        key = ("suppressed", figures.manifest.id, figures.qa_version)
        return self.memo(key, lambda: suppress(figures.levels(PUBLISHED_LEVELS), self.catalogue))

    def exceptions(self, figures: SnapshotFigures, kpi: Kpi, period: Period) -> list[ExceptionRow]:
        key = (kpi.id, str(period))
        with figures.lock:
            if key not in figures.exceptions:
                engine = Engine(
                    figures.con.cursor(), self.catalogue, self._populations(), self.qa_rows()
                )
                figures.exceptions[key] = exception_list(engine, kpi, period)
            return figures.exceptions[key]

    def _populations(self) -> Populations:
        return Populations(self.settings.la_code, self.settings.population)

    def _compute_qa(self, figures: SnapshotFigures, rows: QaRows | None, version: int) -> None:
        """The indicators over the QA records, computed again from `rows`."""
        kpis = [k.id for k in self.catalogue if k.from_records]
        latest = figures.latest
        first = first_published(latest)
        batch = compute_everything(
            figures.con,
            self.catalogue.only(*kpis),
            self._populations(),
            first,
            latest,
            exceptions_for=latest,
            qa=rows,
        )
        with figures.lock:
            for key in [k for k in figures.exceptions if k[0] in kpis]:
                del figures.exceptions[key]
            figures.exceptions.update(
                {(kpi, str(latest)): found for kpi, found in batch.exceptions.items()}
            )
            figures.index(_by_kpi(batch.values))
            figures.qa_version = version

    def _compute(self, manifest: Manifest) -> SnapshotFigures:
        con = self.store.connect(manifest.id)
        try:
            return self._compute_from(con, manifest)
        except duckdb.Error as error:  # a database that opens but cannot be read through
            con.close()
            raise SnapshotDamaged(manifest.id, first_line(error)) from None

    def _compute_from(self, con: duckdb.DuckDBPyConnection, manifest: Manifest) -> SnapshotFigures:
        latest = Session(manifest, Engine(con, self.catalogue, self._populations())).latest_period
        first = first_published(latest)
        batch = compute_everything(
            con, self.catalogue, self._populations(), first, latest, exceptions_for=latest
        )
        exceptions = {(kpi, str(latest)): rows for kpi, rows in batch.exceptions.items()}
        teams = con.execute(
            "SELECT team_id, team, service_id, service FROM teams "
            "WHERE service_id IS NOT NULL AND team_id <> service_id ORDER BY team"
        ).fetchall()
        return SnapshotFigures(
            manifest,
            latest,
            _by_kpi(batch.values),
            exceptions,
            con,
            [Team(str(a), str(b), str(c), str(d)) for a, b, c, d in teams],
        )


def _by_kpi(levels: dict[Level, list[Value]]) -> dict[tuple[str, Level], list[Value]]:
    values: dict[tuple[str, Level], list[Value]] = {}
    for level, found in levels.items():
        for value in found:
            values.setdefault((value.kpi, level), []).append(value)
    return values

"""Immutable extract snapshots: one folder per load, made whole or not at all.

    <root>/s0007-20260331/extract.duckdb   the typed tables, read-only once made
    <root>/s0007-20260331/manifest.json    as-at date, files and hashes, rows, warnings
    <root>/s0007-20260331/quality.csv      the load's data-quality report (extract/quality.py)
    <root>/.staging-*/                     a load in progress (or one that was killed)
    <root>/.lock                           held while a load runs

A load builds its snapshot in a staging folder and makes it visible with one rename, the
single commit point: a load killed at any moment leaves either no snapshot or a whole one.
Staging folders left by killed loads are removed by the next load. The latest snapshot is
the one with the highest sequence number.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb

from scrutineer.errors import NoSnapshot, ScrutineerError, SnapshotDamaged, SnapshotNotFound

DB_NAME = "extract.duckdb"
QUALITY_NAME = "quality.csv"  # written by extract/quality.py beside the snapshot
MANIFEST_NAME = "manifest.json"
_SNAPSHOT_DIR = re.compile(r"^s(\d{4,})-(\d{8})$")


@dataclass(frozen=True)
class FileEntry:
    table: str
    file: str
    sha256: str
    bytes: int
    rows: int


@dataclass(frozen=True)
class Manifest:
    id: str
    as_at: date
    as_at_source: str  # "given" (--as-at) or "latest date in the extract"
    loaded_at: datetime
    source_dir: str
    fingerprint: str  # hash of every table file's hash: the same files give the same one
    files: tuple[FileEntry, ...]
    rows: dict[str, int]  # every contract table, 0 where absent
    warnings: tuple[str, ...] = ()
    scrutineer_version: str = ""
    contract_tables: tuple[str, ...] = field(default_factory=tuple)
    code_maps: tuple[str, ...] = ()  # the maps applied, in order
    mapped: tuple[dict[str, Any], ...] = ()  # local values the maps turned into codes
    unmapped: tuple[dict[str, Any], ...] = ()  # values left unmapped: table, column, value, rows
    tables_fingerprint: str = ""  # hash of the typed tables' contents, whatever the source

    def to_json(self) -> str:
        data = asdict(self)
        data["as_at"] = self.as_at.isoformat()
        data["loaded_at"] = self.loaded_at.isoformat(timespec="seconds")
        return json.dumps(data, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data: dict[str, Any] = json.loads(text)
        data["as_at"] = date.fromisoformat(data["as_at"])
        data["loaded_at"] = datetime.fromisoformat(data["loaded_at"])
        data["files"] = tuple(FileEntry(**f) for f in data["files"])
        data["warnings"] = tuple(data.get("warnings", ()))
        data["contract_tables"] = tuple(data.get("contract_tables", ()))
        for name in ("code_maps", "mapped", "unmapped"):
            data[name] = tuple(data.get(name, ()))
        return cls(**data)


class LoadInProgress(ScrutineerError):
    def __init__(self, root: Path) -> None:
        super().__init__(
            f"Another load is running in {root}. Wait for it to finish, then run this again."
        )


@dataclass(frozen=True)
class Staging:
    """A snapshot being built: write `db_path`, then `SnapshotStore.commit`."""

    folder: Path
    sequence: int

    @property
    def db_path(self) -> Path:
        return self.folder / DB_NAME

    def snapshot_id(self, as_at: date) -> str:
        return f"s{self.sequence:04d}-{as_at:%Y%m%d}"


class SnapshotStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def manifests(self) -> list[Manifest]:
        """Every whole snapshot, oldest first; a damaged one is left out (`damaged`)."""
        return [m for m in self.listing() if isinstance(m, Manifest)]

    def damaged(self) -> list[Damaged]:
        """Snapshots that cannot be used, and why: every command leaves them out."""
        return [m for m in self.listing() if isinstance(m, Damaged)]

    def listing(self) -> list[Manifest | Damaged]:
        """Every snapshot folder, oldest first: its manifest, or what is wrong with it (one
        reading of the folder, for a caller that needs both)."""
        if not self.root.is_dir():
            return []
        found = [p for p in self.root.iterdir() if _SNAPSHOT_DIR.match(p.name)]
        return [_manifest_of(p) for p in sorted(found, key=lambda p: sequence(p.name))]

    def latest(self) -> Manifest:
        manifests = self.manifests()
        if not manifests:
            raise NoSnapshot(self.root)
        return manifests[-1]

    def get(self, snapshot_id: str) -> Manifest:
        """A snapshot by its id, by a unique prefix of it, or "latest"."""
        if snapshot_id == "latest":
            return self.latest()
        matches = [m for m in self.manifests() if m.id.startswith(snapshot_id)]
        if len(matches) != 1:
            raise SnapshotNotFound(snapshot_id)
        return matches[0]

    def db_path(self, snapshot_id: str) -> Path:
        return self.root / self.get(snapshot_id).id / DB_NAME

    def connect(self, snapshot_id: str) -> duckdb.DuckDBPyConnection:
        """The snapshot's database, read-only; SnapshotDamaged if it cannot be read."""
        manifest = self.get(snapshot_id)
        try:
            con = duckdb.connect(str(self.root / manifest.id / DB_NAME), read_only=True)
            con.execute("SELECT count(*) FROM duckdb_tables()").fetchall()
        except duckdb.Error as error:
            raise SnapshotDamaged(manifest.id, first_line(error)) from None
        return con

    def quality_text(self, snapshot_id: str) -> str | None:
        """The snapshot's data-quality report (CSV), or None for one made before them."""
        path = self.root / self.get(snapshot_id).id / QUALITY_NAME
        return path.read_text("utf-8") if path.is_file() else None

    def remove(self, snapshot_id: str) -> None:
        """Delete a snapshot (retention: `records.retention.purge`), holding the load lock so
        no load is renaming one into place meanwhile."""
        folder = self.root / self.get(snapshot_id).id
        with self._lock():
            folder.chmod(0o755)
            for path in folder.iterdir():
                path.chmod(0o644)
            shutil.rmtree(folder)
        _fsync(self.root)

    def with_fingerprint(self, fingerprint: str) -> Manifest | None:
        return next((m for m in self.manifests() if m.fingerprint == fingerprint), None)

    @contextmanager
    def staging(self) -> Iterator[Staging]:
        """Hold the load lock and a fresh staging folder; remove the folder unless committed."""
        self.root.mkdir(parents=True, exist_ok=True)
        with self._lock():
            self._remove_abandoned_staging()
            folder = Path(tempfile.mkdtemp(prefix=".staging-", dir=self.root))
            try:
                yield Staging(folder, self._next_sequence())
            finally:
                shutil.rmtree(folder, ignore_errors=True)

    def commit(self, staging: Staging, manifest: Manifest) -> Path:
        """Write the manifest and make the snapshot visible with one atomic rename."""
        (staging.folder / MANIFEST_NAME).write_text(manifest.to_json(), "utf-8")
        for path in staging.folder.iterdir():
            _fsync(path)
            path.chmod(0o444)  # snapshots are never written again
        staging.folder.chmod(0o755)  # mkdtemp makes it private; readers may be other users
        final = self.root / manifest.id
        os.rename(staging.folder, final)
        _fsync(self.root)
        return final

    @contextmanager
    def _lock(self) -> Iterator[None]:
        with (self.root / ".lock").open("a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise LoadInProgress(self.root) from None
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _remove_abandoned_staging(self) -> None:
        # We hold the lock, so no other load is running: any staging folder is abandoned.
        for path in self.root.glob(".staging-*"):
            shutil.rmtree(path, ignore_errors=True)

    def _next_sequence(self) -> int:
        numbers = [sequence(p.name) for p in self.root.iterdir() if _SNAPSHOT_DIR.match(p.name)]
        return max(numbers, default=0) + 1


@dataclass(frozen=True)
class Damaged:
    """A snapshot folder that cannot be used: its name, and what is wrong with it."""

    id: str
    reason: str


def _manifest_of(folder: Path) -> Manifest | Damaged:
    """The folder's manifest, or what stops it being read."""
    path = folder / MANIFEST_NAME
    try:
        manifest = Manifest.from_json(path.read_text("utf-8"))
    except FileNotFoundError:
        return Damaged(folder.name, f"it has no {MANIFEST_NAME}")
    except (OSError, UnicodeDecodeError) as error:
        return Damaged(folder.name, f"its {MANIFEST_NAME} cannot be read ({error})")
    except (ValueError, KeyError, TypeError) as error:
        return Damaged(folder.name, f"its {MANIFEST_NAME} is damaged ({type(error).__name__})")
    if manifest.id != folder.name:
        return Damaged(folder.name, f"its {MANIFEST_NAME} names another snapshot, {manifest.id}")
    if not (folder / DB_NAME).is_file():
        return Damaged(folder.name, f"it has no {DB_NAME}")
    return manifest


def first_line(error: Exception) -> str:
    """What a database error says, in its first line: the reason a snapshot is damaged."""
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def sequence(name: str) -> int:
    """A snapshot's number, from its id or folder name (s0007-20260331 is 7): ids in order."""
    match = _SNAPSHOT_DIR.match(name)
    return int(match.group(1)) if match else 0


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

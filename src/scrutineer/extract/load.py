"""Load an extract folder: read, validate, and make a new snapshot, all or nothing."""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import asdict, dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from scrutineer import __version__
from scrutineer.calendar import calendar_rows
from scrutineer.errors import AlreadyLoaded, ExtractNotFound, ExtractRejected
from scrutineer.extract.codemap import DESCRIPTIONS, CodeMap, read_code_map
from scrutineer.extract.coding import (
    Mapped,
    Unmapped,
    apply_code_map,
    unmapped_issues,
    unmapped_values,
    write_unmapped,
)
from scrutineer.extract.contract import Contract, Table, load_contract
from scrutineer.extract.database import dump_database, shown_url
from scrutineer.extract.quality import QUALITY_NAME, column_quality, quality_csv
from scrutineer.extract.read import SourceFile, find_files, read_raw
from scrutineer.extract.snapshot_tables import write_calendar, write_snapshot
from scrutineer.extract.snapshots import FileEntry, Manifest, SnapshotStore, Staging
from scrutineer.extract.sql import install_macros, quote, typed
from scrutineer.extract.validate import Extract, validate
from scrutineer.findings import Issue, errors_first

CALENDAR_FIRST = date(1990, 1, 1)
CALENDAR_YEARS_AHEAD = 3


@dataclass(frozen=True)
class LoadResult:
    manifest: Manifest
    issues: list[Issue]  # warnings only: a load with errors raises ExtractRejected


@dataclass(frozen=True)
class Coding:
    """What the code map did on a load, and what it left unmapped."""

    code_map: CodeMap
    mapped: list[Mapped]
    unmapped: list[Unmapped]


@dataclass(frozen=True)
class Origin:
    """What a snapshot was read from when its folder only stages it (a statutory return):
    the name shown for it, and the indicators it holds enough for (every other one says
    "no data" in every output, never 0)."""

    shown: str
    supported: tuple[str, ...]


def load_extract(
    folder: Path,
    store: SnapshotStore,
    as_at: date | None = None,
    force: bool = False,
    codes: tuple[str, ...] = (),
    origin: Origin | None = None,
) -> LoadResult:
    """Validate every file in `folder` and, if there is no error, make a new snapshot.

    `codes` are code maps (files, or the names of maps Scrutineer ships) applied after the
    folder's own code_map.csv. Raises ExtractRejected (listing every issue) when any error
    is found, and AlreadyLoaded when the same files were loaded before with the same map
    (unless `force`). Either way nothing changes.
    """
    if not folder.is_dir():
        raise ExtractNotFound(folder)
    contract = load_contract()
    files, issues = find_files(folder, contract)
    shown = origin.shown if origin else str(folder.resolve())
    source = Source(shown, folder, files, issues, origin.supported if origin else ())
    with tempfile.TemporaryDirectory(prefix="scrutineer-load-") as workdir:
        return _load(contract, source, store, as_at, force, codes, Path(workdir))


def load_database(
    url: str,
    store: SnapshotStore,
    schema: str | None = None,
    as_at: date | None = None,
    force: bool = False,
    codes: tuple[str, ...] = (),
) -> LoadResult:
    """As load_extract, from the SSD's tables in a database (a SQLAlchemy URL): every
    contract table `schema` holds, read in one transaction and checked the same way."""
    contract = load_contract()
    with tempfile.TemporaryDirectory(prefix="scrutineer-load-") as workdir:
        files, issues = dump_database(url, schema, contract, Path(workdir))
        where = shown_url(url) + (f" schema {schema}" if schema else "")
        source = Source(where, None, files, issues)
        return _load(contract, source, store, as_at, force, codes, Path(workdir))


@dataclass(frozen=True)
class Source:
    """Where a load reads from: its files (a folder's, or a database's tables dumped)."""

    shown: str  # the folder, or the database URL without its password
    folder: Path | None  # a folder's own code_map.csv is read; a database has none
    files: list[SourceFile]
    issues: list[Issue]
    supported: tuple[str, ...] = ()  # a return's indicators (Origin); () for an extract


def _load(
    contract: Contract,
    source: Source,
    store: SnapshotStore,
    as_at: date | None,
    force: bool,
    codes: tuple[str, ...],
    workdir: Path,
) -> LoadResult:
    code_map, map_issues = read_code_map(contract, source.folder, codes)
    issues = source.issues + map_issues
    fingerprint = _fingerprint(source.files, code_map)
    previous = None if force else store.with_fingerprint(fingerprint)
    if previous is not None:
        raise AlreadyLoaded(previous.id)
    con = duckdb.connect()  # raw tables and checks stay in memory; only typed tables persist
    try:
        install_macros(con)
        extract = _read_all(con, contract, source.files, issues, workdir)
        mapped = apply_code_map(extract, code_map)
        chosen_as_at = as_at or _latest_date(extract) or datetime.now(UTC).date()
        extract = Extract(con, contract, extract.files, extract.columns, chosen_as_at)
        unmapped = unmapped_values(extract)
        issues = errors_first(issues + validate(extract) + list(unmapped_issues(extract, unmapped)))
        quality = column_quality(extract, unmapped)
        if any(i.is_error for i in issues):
            raise ExtractRejected(source.shown, issues, quality_csv(quality))
        coding = Coding(code_map, mapped, unmapped)
        with store.staging() as staging:
            (staging.folder / QUALITY_NAME).write_text(quality_csv(quality), "utf-8")
            manifest = _build(con, contract, source, staging, chosen_as_at, as_at, issues, coding)
            manifest = replace(manifest, fingerprint=fingerprint)
            store.commit(staging, manifest)
    finally:
        con.close()
    return LoadResult(manifest, issues)


def _read_all(
    con: duckdb.DuckDBPyConnection,
    contract: Contract,
    files: list[SourceFile],
    issues: list[Issue],
    workdir: Path,
) -> Extract:
    names: dict[str, str] = {}
    columns: dict[str, frozenset[str]] = {}
    for source in files:
        table = contract.table(source.table)
        issues += read_raw(con, source, table, workdir)
        if _exists(con, source.table):
            names[source.table] = source.name
            columns[source.table] = frozenset(_raw_columns(con, source.table))
    return Extract(con, contract, names, columns)


def _exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    found = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'raw' AND table_name = ?",
        [table],
    ).fetchone()
    return bool(found and found[0])


def _latest_date(extract: Extract) -> date | None:
    """The as-at date when none is given: the latest event date, never after today."""
    selects = [
        f"SELECT max(scr_date({quote(c.name)})) AS d FROM raw.{t.name}"
        for t, _ in extract.present()
        for c in t.columns
        if c.type == "date" and not c.future and extract.has(t.name, c.name)
    ]
    if not selects:
        return None
    found = extract.con.execute(f"SELECT max(d) FROM ({' UNION ALL '.join(selects)})").fetchone()
    latest = found[0] if found else None
    today = datetime.now(UTC).date()
    return min(latest, today) if isinstance(latest, date) else None


def _build(
    con: duckdb.DuckDBPyConnection,
    contract: Contract,
    source: Source,
    staging: Staging,
    as_at: date,
    given: date | None,
    issues: list[Issue],
    coding: Coding,
) -> Manifest:
    con.execute(f"ATTACH '{staging.db_path}' AS snap")
    rows = {table.name: _write_table(con, table) for table in contract}
    tables_fingerprint = _tables_fingerprint(con, contract)
    _write_calendar(con, as_at)
    write_unmapped(con, "snap", coding.unmapped)
    write_snapshot(con, (staging.snapshot_id(as_at), as_at), "snap")
    if source.supported:  # a return: the engine says "no data" for every other indicator
        con.execute("CREATE TABLE snap.scrutineer_supported (kpi VARCHAR)")
        con.executemany(
            "INSERT INTO snap.scrutineer_supported VALUES (?)", [[k] for k in source.supported]
        )
    con.execute("DETACH snap")
    return Manifest(
        id=staging.snapshot_id(as_at),
        as_at=as_at,
        as_at_source="given" if given else "latest date in the extract",
        loaded_at=datetime.now(UTC).replace(microsecond=0),
        source_dir=source.shown,
        fingerprint="",
        files=tuple(
            FileEntry(f.table, f.name, f.sha256, f.bytes, rows[f.table]) for f in source.files
        ),
        rows=rows,
        warnings=tuple(str(i) for i in issues),
        scrutineer_version=__version__,
        contract_tables=contract.table_names,
        code_maps=coding.code_map.sources,
        mapped=tuple(asdict(m) for m in coding.mapped),
        unmapped=tuple(asdict(u) for u in coding.unmapped),
        tables_fingerprint=tables_fingerprint,
    )


def _write_table(con: duckdb.DuckDBPyConnection, table: Table) -> int:
    """Create snap.<table> with every contract column typed; absent columns are NULL."""
    present = _exists(con, table.name)
    have = _raw_columns(con, table.name) if present else set()
    selects = ", ".join(
        f"{typed(c) if c.name in have else f'CAST(NULL AS {c.sql_type})'} AS {quote(c.name)}"
        for c in table.columns
    )
    source = f"FROM raw.{table.name}" if present else "WHERE false"
    con.execute(f"CREATE TABLE snap.{table.name} AS SELECT {selects} {source}")
    counted = con.execute(f"SELECT count(*) FROM snap.{table.name}").fetchone()
    return int(counted[0]) if counted else 0


def _tables_fingerprint(con: duckdb.DuckDBPyConnection, contract: Contract) -> str:
    """A hash of what the typed tables hold, whatever their rows' order or their source's
    format: a folder of files and a database holding the same records give the same one."""
    digest = hashlib.sha256()
    for table in contract:
        found = con.execute(
            "SELECT count(*), coalesce(md5(string_agg(h, '' ORDER BY h)), '') FROM "
            f"(SELECT md5(CAST(t AS VARCHAR)) AS h FROM snap.{table.name} AS t)"
        ).fetchone()
        digest.update(f"{table.name}:{found}\n".encode())
    return digest.hexdigest()


def _write_calendar(con: duckdb.DuckDBPyConnection, as_at: date) -> None:
    """The working-day calendar as known at load time, so the snapshot recomputes exactly."""
    last = date(as_at.year + CALENDAR_YEARS_AHEAD, 12, 31)
    write_calendar(con, calendar_rows(CALENDAR_FIRST, last), "snap")


def _fingerprint(files: list[SourceFile], code_map: CodeMap) -> str:
    """The files' hashes and what the code map says: the same files loaded with a changed
    map make a different snapshot."""
    lines = "".join(f"{f.table}:{f.sha256}\n" for f in sorted(files, key=lambda f: f.table))
    if any(e.source != DESCRIPTIONS for e in code_map.entries):
        lines += f"codes:{code_map.sha256}\n"
    return hashlib.sha256(lines.encode()).hexdigest()


def _raw_columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    return {str(row[0]) for row in con.execute(f"DESCRIBE raw.{table}").fetchall()}

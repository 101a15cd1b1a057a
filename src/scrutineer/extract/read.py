"""Find an extract's files and read each into a raw all-text table, row numbers kept.

Every value is read as text so nothing is lost before validation ("0123" stays "0123", a
bad date stays visible). Raw tables live in the `raw` schema of an in-memory database;
their `_row` column is the row as a spreadsheet shows it (the header is row 1).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from scrutineer.extract.codemap import FOLDER_MAP
from scrutineer.extract.contract import Contract, Table
from scrutineer.findings import Issue, Level

SUFFIXES = (".csv", ".parquet")
MAX_LINE_BYTES = 8 * 10**6  # a record's line at most: over it DuckDB may drop it unreported
BLOCK_BYTES = 1 << 20
DELIMITERS = (",", ";", "\t", "|")


@dataclass(frozen=True)
class SourceFile:
    table: str
    path: Path
    sha256: str
    bytes: int
    shown: str = ""  # what issues and the manifest call it: the file's name, or schema.table

    @property
    def name(self) -> str:
        return self.shown or self.path.name


def find_files(folder: Path, contract: Contract) -> tuple[list[SourceFile], list[Issue]]:
    """The extract's table files, and issues for unknown or doubled ones, and for a table
    (or the folder's code map) that is not a plain file: a link, a pipe, a device or a
    folder is refused, never followed or read as an absent table."""
    by_table: dict[str, list[Path]] = {}
    issues: list[Issue] = []
    for path in sorted(folder.iterdir()):
        name, suffix = path.stem.lower().strip(), path.suffix.lower()
        is_table = suffix in SUFFIXES and name in contract.table_names
        kind = _not_a_plain_file(path)
        if kind and (is_table or path.name.lower() == FOLDER_MAP):
            issues.append(_not_a_file(path, kind))
        elif kind:
            continue  # a subfolder or a link the load never reads
        elif is_table:
            by_table.setdefault(name, []).append(path)
        elif not path.name.startswith(".") and path.name.lower() != FOLDER_MAP:
            issues.append(_unknown_file(path))
    files: list[SourceFile] = []
    for table, paths in sorted(by_table.items()):
        if len(paths) > 1:
            issues.append(_doubled_table(table, paths))
        else:
            files.append(SourceFile(table, paths[0], *file_hash(paths[0])))
    return files, issues


def _not_a_plain_file(path: Path) -> str:
    """What the entry is if not a plain file ("" if it is), looked at without following it."""
    mode = path.lstat().st_mode
    if stat.S_ISLNK(mode):
        return "a link"
    if stat.S_ISREG(mode):
        return ""
    return "a folder" if stat.S_ISDIR(mode) else "a pipe, socket or device"


def _not_a_file(path: Path, kind: str) -> Issue:
    return Issue(
        Level.ERROR,
        "not-a-file",
        f"{path.name} is {kind}, not a file: it is not read (links, pipes, devices and "
        "folders never are), and its records are not taken for absent",
        "Copy the file itself into the extract folder in its place",
        file=path.name,
    )


def _unknown_file(path: Path) -> Issue:
    return Issue(
        Level.WARNING,
        "unknown-file",
        "file ignored: its name is not a table of the extract contract",
        "Name files after the tables in docs/extract-contract.md, e.g. ssd_person.csv",
        file=path.name,
    )


def _doubled_table(table: str, paths: list[Path]) -> Issue:
    names = ", ".join(p.name for p in paths)
    return Issue(
        Level.ERROR,
        "doubled-table",
        f"table {table} is given by more than one file ({names})",
        "Keep one file per table",
        file=paths[0].name,
    )


def file_hash(path: Path) -> tuple[str, int]:
    """The file's SHA-256 and size."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest(), path.stat().st_size


def read_raw(
    con: duckdb.DuckDBPyConnection, source: SourceFile, table: Table, workdir: Path
) -> list[Issue]:
    """Read one file into raw.<table> (all text, trimmed names, a `_row` column).

    `workdir` holds a UTF-8 copy of a file written in another encoding while it is read.
    """
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    if source.path.suffix.lower() == ".parquet":
        return _read_parquet(con, source, table)
    return _read_csv(con, source, workdir)


def _read_csv(con: duckdb.DuckDBPyConnection, source: SourceFile, workdir: Path) -> list[Issue]:
    path, issues = _as_utf8(source, workdir)
    unsafe = _not_text(source, path)
    if unsafe:
        return [*issues, *unsafe]
    header = _csv_header(path)
    if header is None:
        return [*issues, _issue(source, "empty-file", "the file has no header")]
    duplicates = sorted({h for h in header if header.count(h) > 1})
    if duplicates:
        return [*issues, _issue(source, "duplicate-column", f"columns named twice: {duplicates}")]
    columns = {name: "VARCHAR" for name in header}
    try:
        con.execute(
            f"CREATE OR REPLACE TABLE raw.{source.table} AS "
            "SELECT * FROM read_csv(?, header=true, auto_detect=false, columns=?, delim=?, "
            "quote='\"', escape='\"', strict_mode=true, store_rejects=true, encoding='utf-8', "
            "null_padding=false, max_line_size=?)",
            [str(path), columns, _delimiter(path), MAX_LINE_BYTES],
        )
    except duckdb.Error as error:  # what store_rejects cannot take: the file is not CSV
        reason = str(error).splitlines()[0].removeprefix("Invalid Input Error: ")
        return [*issues, _issue(source, "unreadable", f"not readable as CSV text ({reason})")]
    issues += _rejects(con, source)
    _number_rows(con, source.table)
    return issues


def _not_text(source: SourceFile, path: Path) -> list[Issue]:
    """Errors for what would make the CSV reader lose a row without saying so, or read
    binary as text: a line longer than MAX_LINE_BYTES (DuckDB drops one over its buffer
    silently) or a NUL byte. Lines are counted as a text editor does; a block is far
    shorter than the limit, so only a line running across blocks can be too long."""
    issues: list[Issue] = []
    line, carried = 1, 0  # the line at the block's start, and its bytes before the block
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(BLOCK_BYTES), b""):
            nul = block.find(b"\x00")
            if nul != -1 and not any(i.rule == "nul-byte" for i in issues):
                at = line + block.count(b"\n", 0, nul)
                issues.append(_at_line(source, "nul-byte", at, "a NUL byte: binary, not text"))
            first = block.find(b"\n")
            if first == -1:
                carried += len(block)
                continue
            if carried + first > MAX_LINE_BYTES:
                issues.append(_long_line(source, line, carried + first))
            line += block.count(b"\n")
            carried = len(block) - block.rfind(b"\n") - 1
    if carried > MAX_LINE_BYTES:
        issues.append(_long_line(source, line, carried))
    return issues


def _long_line(source: SourceFile, line: int, size: int) -> Issue:
    return _at_line(
        source,
        "line-too-long",
        line,
        f"a line of {size / 1e6:,.1f} MB: over the {MAX_LINE_BYTES // 10**6} MB a record can be "
        "(a document pasted into a cell?)",
    )


def _at_line(source: SourceFile, rule: str, line: int, message: str) -> Issue:
    return Issue(
        Level.ERROR,
        rule,
        message,
        "Remove it from the record, or export the table again",
        file=source.name,
        row=line,
    )


def _csv_header(path: Path) -> list[str] | None:
    with path.open(encoding="utf-8-sig") as handle:
        line = handle.readline()
    first = next(csv.reader([line], delimiter=_sniff(line)), None)
    if not first or not any(h.strip() for h in first):
        return None
    return [h.strip().lower() for h in first]


def _as_utf8(source: SourceFile, workdir: Path) -> tuple[Path, list[Issue]]:
    """The file itself when it is UTF-8 (with or without a BOM), else a UTF-8 copy of it
    read as Windows-1252 (what Excel and SQL Server Management Studio save on Windows), or
    as Latin-1 when it has bytes Windows-1252 leaves undefined."""
    if _is_utf8(source.path):
        return source.path, []
    encoding = "cp1252" if _decodes(source.path, "cp1252") else "latin-1"
    copy = workdir / f"{source.table}.utf8.csv"
    with (
        source.path.open(encoding=encoding, newline="") as read,
        copy.open("w", encoding="utf-8", newline="") as write,
    ):
        for block in iter(lambda: read.read(1 << 20), ""):
            write.write(block)
    return copy, [_not_utf8(source, encoding)]


def _is_utf8(path: Path) -> bool:
    return _decodes(path, "utf-8")


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


ENCODING_NAMES = {"cp1252": "Windows-1252", "latin-1": "Latin-1"}


def _not_utf8(source: SourceFile, encoding: str) -> Issue:
    return Issue(
        Level.WARNING,
        "not-utf8",
        f"the file is not UTF-8; it was read as {ENCODING_NAMES[encoding]}",
        "Save it as UTF-8 so names with accents are read exactly",
        file=source.name,
    )


def _sniff(line: str) -> str:
    return max(DELIMITERS, key=line.count)


def _delimiter(path: Path) -> str:
    with path.open(encoding="utf-8-sig") as handle:
        return _sniff(handle.readline())


def _rejects(con: duckdb.DuckDBPyConnection, source: SourceFile) -> list[Issue]:
    rows = con.execute(
        "SELECT line, column_name, error_type, error_message FROM reject_errors ORDER BY line"
    ).fetchall()
    con.execute("DELETE FROM reject_errors")
    con.execute("DELETE FROM reject_scans")
    return [
        Issue(
            Level.ERROR,
            "malformed-row",
            f"{str(kind).lower()}: {message}",
            "Check the delimiter, quotes and the number of values on this line",
            file=source.name,
            row=int(line),
            column=str(column or ""),
        )
        for line, column, kind, message in rows
    ]


def _read_parquet(con: duckdb.DuckDBPyConnection, source: SourceFile, table: Table) -> list[Issue]:
    try:
        described = con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(source.path)])
        types = {str(name).strip().lower(): str(kind) for name, kind, *_ in described.fetchall()}
    except duckdb.Error as error:
        return [_issue(source, "unreadable", f"not a readable Parquet file ({error})")]
    issues = list(_float_ids(source, table, types))
    selects = ", ".join(_as_text(name, kind) for name, kind in types.items())
    con.execute(
        f"CREATE OR REPLACE TABLE raw.{source.table} AS SELECT {selects} FROM read_parquet(?)",
        [str(source.path)],
    )
    _number_rows(con, source.table)
    return issues


def _as_text(name: str, kind: str) -> str:
    quoted = '"' + name.replace('"', '""') + '"'
    if kind == "BOOLEAN":  # flags stored as booleans read as Y/N
        return f"CASE WHEN {quoted} THEN 'Y' WHEN NOT {quoted} THEN 'N' END AS {quoted}"
    return f"CAST({quoted} AS VARCHAR) AS {quoted}"


def _float_ids(source: SourceFile, table: Table, types: dict[str, str]) -> Iterator[Issue]:
    for column in table.columns:
        if column.type == "id" and types.get(column.name) in ("FLOAT", "DOUBLE"):
            yield Issue(
                Level.ERROR,
                "id-stored-as-number",
                f"id column stored as {types[column.name]}: ids must be text",
                "Write ids as text (e.g. VARCHAR) so leading zeros and exact values survive",
                file=source.name,
                column=column.name,
            )


def _number_rows(con: duckdb.DuckDBPyConnection, table: str) -> None:
    # rowid follows insertion order, which follows the file; +2 makes the header row 1.
    con.execute(
        f"CREATE OR REPLACE TABLE raw.{table} AS SELECT rowid + 2 AS _row, * FROM raw.{table}"
    )


def _issue(source: SourceFile, rule: str, message: str) -> Issue:
    return Issue(Level.ERROR, rule, message, "Fix the file and load again", file=source.name)

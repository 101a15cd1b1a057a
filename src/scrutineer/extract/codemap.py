"""A council's code map: its local values for the contract's coded columns, and their codes.

Real extracts carry local values in coded columns: the CMS's descriptions ("Adopted -
application unopposed"), its own codes (CW for an allocated case worker), `Male`, `1` and
`M` for the same sex. A code map says what each is, one line per value:

    table,column,local,standard
    ssd_involvements,invo_professional_role_id,CW,ALLOCATED_CASE_WORKER

Maps are read in order and a later line for the same value overrides an earlier one: the
maps Scrutineer ships (named, e.g. `ssd-liquidlogic`), then the data folder's own
`code_map.csv`, then each `--codes` file. Every code's own description in codes.yaml (and
"CODE - description") is read as the code before any map. Local values are compared
trimmed and upper-cased, as codes are. A map with a mistake refuses the load: a map that
silently maps nothing would leave figures wrong.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from scrutineer.extract.contract import CodeList, Column, Contract
from scrutineer.findings import Issue, Level

HEADER = ("table", "column", "local", "standard")
FOLDER_MAP = "code_map.csv"  # a map kept in the data folder, used by every load of it
DESCRIPTIONS = "codes.yaml descriptions"


@dataclass(frozen=True)
class MapEntry:
    table: str
    column: str
    local: str  # trimmed and upper-cased
    standard: str
    source: str  # the map it came from, for the report


@dataclass(frozen=True)
class CodeMap:
    entries: tuple[MapEntry, ...]  # one per (table, column, local): the one that holds
    sources: tuple[str, ...]  # the maps read, in order (descriptions aside)

    @property
    def sha256(self) -> str:
        """A hash of what the map says, for the snapshot's fingerprint."""
        lines = sorted(f"{e.table}\t{e.column}\t{e.local}\t{e.standard}" for e in self.entries)
        return hashlib.sha256("\n".join(lines).encode()).hexdigest()

    def columns(self) -> dict[tuple[str, str], list[MapEntry]]:
        found: dict[tuple[str, str], list[MapEntry]] = {}
        for entry in self.entries:
            found.setdefault((entry.table, entry.column), []).append(entry)
        return found


def shipped_maps() -> dict[str, str]:
    """The maps shipped with Scrutineer: name -> their first comment line."""
    found: dict[str, str] = {}
    for item in sorted(resources.files(__package__).joinpath("maps").iterdir(), key=str):
        if item.name.endswith(".csv"):
            first = item.read_text("utf-8").splitlines()[0]
            found[item.name.removesuffix(".csv")] = first.lstrip("# ").strip()
    return found


def read_code_map(
    contract: Contract, folder: Path | None, given: tuple[str, ...] = ()
) -> tuple[CodeMap, list[Issue]]:
    """The map a load applies: descriptions, then the folder's map, then each given one
    (a shipped map's name or a file), later lines overriding earlier ones."""
    chosen: dict[tuple[str, str, str], MapEntry] = {
        (e.table, e.column, e.local): e for e in _descriptions(contract)
    }
    issues: list[Issue] = []
    sources: list[str] = []
    shipped = shipped_maps()
    texts: list[tuple[str, str]] = []
    kept = None if folder is None else folder / FOLDER_MAP
    if kept is not None and kept.is_file() and not kept.is_symlink():  # a link: refused
        texts.append((FOLDER_MAP, _read_text(kept)))
    for name in given:
        if name in shipped:
            shipped_map = resources.files(__package__).joinpath(f"maps/{name}.csv")
            texts.append((name, shipped_map.read_text("utf-8")))
        elif Path(name).is_file():
            texts.append((Path(name).name, _read_text(Path(name))))
        else:
            issues.append(_missing_map(name, shipped))
    for source, text in texts:
        sources.append(source)
        entries, found = _parse(contract, source, text)
        issues += found
        chosen.update({(e.table, e.column, e.local): e for e in entries})
    return CodeMap(tuple(chosen.values()), tuple(sources)), issues


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _descriptions(contract: Contract) -> Iterator[MapEntry]:
    """Each code's description, alone or after its code, for every column using its list."""
    for table in contract:
        for column in table.columns:
            if column.type != "code" or column.codes is None:
                continue
            values = contract.codes[column.codes].values
            for code, text in values.items():
                for local in _spellings(code, text):
                    if local not in values:  # a description that is another code stays it
                        yield MapEntry(table.name, column.name, local, code, DESCRIPTIONS)


def _spellings(code: str, description: str) -> tuple[str, ...]:
    text = " ".join(description.upper().split())
    return (text, f"{code} - {text}", f"{code}: {text}", f"{code} {text}")


def _parse(contract: Contract, source: str, text: str) -> tuple[list[MapEntry], list[Issue]]:
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    rows = list(csv.reader(io.StringIO("\n".join(lines))))
    if not rows or tuple(h.strip().lower() for h in rows[0]) != HEADER:
        return [], [_map_issue(source, 1, "", "the header must be table,column,local,standard")]
    entries: list[MapEntry] = []
    issues: list[Issue] = []
    seen: dict[tuple[str, str, str], tuple[str, int]] = {}
    row = 1 + (len(text.splitlines()) - len(lines))  # comment lines still count as rows
    for cells in rows[1:]:
        row += 1
        if not any(c.strip() for c in cells):
            continue
        entry, problem = _entry(contract, source, row, cells)
        if problem is not None:
            issues.append(problem)
            continue
        assert entry is not None
        key = (entry.table, entry.column, entry.local)
        if key in seen and seen[key][0] != entry.standard:
            first = seen[key][1]
            message = f"{entry.local!r} is mapped twice, to {seen[key][0]} (row {first}) and "
            issues.append(_map_issue(source, row, "local", message + entry.standard))
            continue
        seen[key] = (entry.standard, row)
        entries.append(entry)
    return entries, issues


def _entry(
    contract: Contract, source: str, row: int, cells: list[str]
) -> tuple[MapEntry | None, Issue | None]:
    if len(cells) != len(HEADER):
        return None, _map_issue(source, row, "", f"{len(cells)} values, not 4")
    table, column, local, standard = (c.strip() for c in cells)
    if table not in contract.table_names:
        return None, _map_issue(source, row, "table", f"{table!r} is not a table of the contract")
    try:
        coded: Column = contract.table(table).column(column.lower())
    except KeyError:
        return None, _map_issue(source, row, "column", f"{table} has no column {column!r}")
    if coded.type != "code" or coded.codes is None:
        message = f"{table}.{coded.name} is not a coded column (only code columns are mapped)"
        return None, _map_issue(source, row, "column", message)
    codes = contract.codes[coded.codes]
    if not local:
        return None, _map_issue(source, row, "local", "the local value is empty")
    if standard.upper() not in codes.values:
        return None, _map_issue(source, row, "standard", _not_a_code(standard, codes))
    entry = MapEntry(table, coded.name, " ".join(local.upper().split()), standard.upper(), source)
    return entry, None


def _not_a_code(standard: str, codes: CodeList) -> str:
    shown = ", ".join(list(codes.values)[:12]) + (", ..." if len(codes.values) > 12 else "")
    return f"{standard!r} is not a code of the list {codes.name} ({shown})"


def _map_issue(source: str, row: int, column: str, message: str) -> Issue:
    return Issue(
        Level.ERROR,
        "bad-code-map",
        message,
        "Correct the code map: table,column,local,standard with a code of docs/extract-contract.md",
        file=source,
        row=row,
        column=column,
    )


def _missing_map(name: str, shipped: dict[str, str]) -> Issue:
    return Issue(
        Level.ERROR,
        "bad-code-map",
        f"no code map {name!r}: neither a file nor a map shipped with Scrutineer",
        f"Give a CSV file, or one of: {', '.join(shipped) or 'none'}",
        file=name,
    )

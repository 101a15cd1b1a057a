"""Records in and out as CSV files, checked as extract loads are.

A set of record types (quality assurance, governance) is defined once in a YAML file: each
type's columns, their types and code lists, its key, and how it refers to other types.
Reading, checking, storing and writing all follow that definition. An import checks every
row of every file first and reports every problem (file, row, column, how to fix it); only
if there is none does it store them, in one transaction. A row whose key is stored already
replaces that record, so a file exported, edited and imported again updates what it holds.

Files name records by what people call them (a panel's name, a meeting's date), never by the
database's ids. Two ways of referring to another type:

- `refers: TYPE.COLUMN` on a column: the value itself is stored, and must be the key of a
  record of TYPE (an audit's programme is the programme's name);
- `links: {ID_COLUMN: {to: TYPE, by: [COLUMNS], match: [ITS COLUMNS]}}`: the stored id of
  the one record of TYPE whose `match` columns (its key, unless named) equal the row's `by`
  columns (an attendance row's panel and date find its meeting). Empty `by` values leave
  the id empty.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine, func, inspect, select
from sqlalchemy.orm import Session

from scrutineer.calendar import parse_day
from scrutineer.cells import read_cell, safe_cell
from scrutineer.errors import ScrutineerError
from scrutineer.findings import Issue, Level, errors_first
from scrutineer.records import models

IMPORTED = "import"  # who made a change read from a file on the command line
Row = dict[str, Any]
Key = tuple[Any, ...]


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # text, integer, date, code, codes
    required: bool = False
    codes: tuple[str, ...] = ()
    refers: tuple[str, str] | None = None  # (record type, its key column)
    max_length: int | None = None  # the characters its database column holds (None: any)


@dataclass(frozen=True)
class Link:
    """The stored id `column` of the record of type `to` whose `on` equal the row's `by`."""

    column: str
    to: str
    by: tuple[str, ...]
    on: tuple[str, ...]

    def values(self, row: Row) -> Key | None:
        found = tuple(row.get(b) for b in self.by)
        return None if None in found else found


@dataclass(frozen=True)
class RecordType:
    name: str
    description: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    links: tuple[Link, ...]
    model: type[models.Base]

    def key_of(self, row: Row) -> Key:
        return tuple(row[k] for k in self.key)

    @property
    def stored_columns(self) -> tuple[str, ...]:
        """The file's columns that are also the model's (the rest are found through links)."""
        return tuple(c.name for c in self.columns if c.name in self.model.__table__.columns)


class FilesRejected(ScrutineerError):
    def __init__(self, issues: list[Issue]) -> None:
        self.issues = errors_first(issues)
        shown = "\n".join(f"  {i}" for i in self.issues[:50])
        more = f"\n  ... and {len(self.issues) - 50} more" if len(self.issues) > 50 else ""
        super().__init__(
            f"Nothing was imported: {len(self.issues)} problem(s) to fix first.\n{shown}{more}"
        )


@dataclass(frozen=True)
class FileSet:
    """A set of record types defined in one YAML file of this package."""

    title: str  # "quality-assurance"
    command: str  # the CLI's group: "qa"
    definition: str  # the YAML file's name
    models: Mapping[str, type[models.Base]]

    @cached_property
    def _definition(self) -> dict[str, Any]:
        text = resources.files(__package__).joinpath(self.definition).read_text("utf-8")
        return dict(yaml.safe_load(text))

    @cached_property
    def codes(self) -> dict[str, tuple[str, ...]]:
        return {name: tuple(values) for name, values in self._definition["codes"].items()}

    @cached_property
    def types(self) -> dict[str, RecordType]:
        """Every record type, in the order an import stores them (referred-to types first)."""
        raw, codes = self._definition, self.codes
        found: dict[str, RecordType] = {}
        for name, spec in raw["files"].items():
            columns = tuple(
                Column(
                    column,
                    detail["type"],
                    bool(detail.get("required")),
                    codes[detail["codes"]] if "codes" in detail else (),
                    tuple(detail["refers"].split(".")) if "refers" in detail else None,
                    _max_length(self.models[name], column),
                )
                for column, detail in spec["columns"].items()
            )
            links = tuple(
                Link(
                    column,
                    link["to"],
                    tuple(link["by"]),
                    tuple(link.get("match", found[link["to"]].key)),
                )
                for column, link in spec.get("links", {}).items()
            )
            found[name] = RecordType(
                name,
                " ".join(spec["description"].split()),
                tuple(spec["key"]),
                columns,
                links,
                self.models[name],
            )
        return found


def _max_length(model: type[models.Base], column: str) -> int | None:
    found = model.__table__.columns.get(column)
    length = getattr(found.type, "length", None) if found is not None else None
    return length if isinstance(length, int) else None


def read_rows(
    kind: RecordType, text: str, file: str, command: str
) -> tuple[list[Row], list[Issue]]:
    """The file's rows as typed values, and every problem in it."""
    issues: list[Issue] = []
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in next(reader, [])]
    known = {c.name for c in kind.columns}
    for name in header:
        if name not in known:
            issues.append(
                _issue(
                    "unknown-column",
                    f"Column {name!r} is not one of {kind.name}'s",
                    file,
                    column=name,
                    hint=f"Use the columns of `scrutineer {command} export`: "
                    + ", ".join(c.name for c in kind.columns)
                    + ".",
                )
            )
    for column in kind.columns:
        if column.required and column.name not in header:
            issues.append(
                _issue(
                    "missing-column",
                    f"Required column {column.name!r} is missing",
                    file,
                    column=column.name,
                    hint="Add the column with a value in every row.",
                )
            )
    if any(i.rule == "missing-column" for i in issues):
        return [], issues
    rows: list[Row] = []
    seen: dict[Key, int] = {}
    for number, cells in _lines(reader, file, issues):
        if not any(cell.strip() for cell in cells):
            continue
        read = (read_cell(cell) for cell in cells)  # as exported: cells.safe_cell undone
        row = typed_row(kind, dict(zip(header, read, strict=False)), file, number, issues)
        key = kind.key_of(row)
        if key in seen:
            issues.append(
                _issue(
                    "duplicate-key",
                    f"The same {', '.join(kind.key)} as row {seen[key]}",
                    file,
                    number,
                    kind.key[0],
                    hint="Each record once per file.",
                )
            )
        seen[key] = number
        rows.append(row)
    return rows, issues


def _lines(reader: Any, file: str, issues: list[Issue]) -> Iterable[tuple[int, list[str]]]:
    """The file's rows after its header, with their row numbers; a row the CSV reader
    cannot take (a field over its limit, a quote left open) ends the file with an error."""
    number = 1
    try:
        for number, cells in enumerate(reader, start=2):
            yield number, cells
    except csv.Error as error:
        issues.append(
            _issue(
                "unreadable",
                f"the row cannot be read as CSV ({error})",
                file,
                number + 1,
                hint="Shorten the field (a document pasted into a cell?) or close its quotes.",
            )
        )


def typed_row(
    kind: RecordType, raw: Mapping[str, str], file: str, row: int | None, issues: list[Issue]
) -> Row:
    """One record's values, typed, from text (a file's row or a form); problems to `issues`."""
    return {c.name: _value(c, raw.get(c.name, "").strip(), file, row, issues) for c in kind.columns}


def import_files(
    files: FileSet, records: Engine, paths: Iterable[Path], by: str = IMPORTED
) -> dict[str, int]:
    """Check every file (named as its record type, e.g. audits.csv), then store them all in
    one transaction, or nothing, each change kept as made by `by` (IMPORTED: a file given
    on the command line). Returns the rows stored per type."""
    types = files.types
    given: dict[str, tuple[str, str]] = {}
    issues: list[Issue] = []
    for path in paths:
        if path.stem not in types:
            issues.append(
                _issue(
                    "file-name",
                    f"{path.name} is not a {files.title} file",
                    path.name,
                    hint="Name each file after its records: "
                    + ", ".join(f"{t}.csv" for t in types)
                    + ".",
                )
            )
            continue
        try:
            given[path.stem] = (path.read_text(encoding="utf-8-sig"), path.name)
        except UnicodeDecodeError:
            issues.append(
                _issue("encoding", "The file is not UTF-8", path.name, hint="Save it as CSV UTF-8.")
            )
    parsed: dict[str, list[Row]] = {}
    for name, (text, file) in given.items():
        parsed[name], found = read_rows(types[name], text, file, files.command)
        issues += found
    with Session(records) as session:
        stored = _Stored(session, types)
        issues += _references(stored, parsed, {n: f for n, (_, f) in given.items()})
        if issues:
            raise FilesRejected(issues)
    with Session(records) as session, session.begin():
        _store(_Stored(session, types), parsed, by, author_only=False)
    return {name: len(parsed[name]) for name in types if name in parsed}


def save_record(
    files: FileSet,
    records: Engine,
    name: str,
    raw: Mapping[str, str],
    by: str,
    author_only: bool = False,
) -> Row:
    """One record from a form, checked as a file's row is; replaces the record with its
    key. `by` is the signed-in user; `author_only` as for `save_records`."""
    return save_records(files, records, [(name, raw)], by, author_only)[0]


def save_records(
    files: FileSet,
    records: Engine,
    given: Sequence[tuple[str, Mapping[str, str]]],
    by: str,
    author_only: bool = False,
) -> list[Row]:
    """The records one action makes (an alert and its first stage), checked as a file's
    rows are (a later one may refer to an earlier), stored in one transaction or not at
    all, each change kept with `by` (record_changes). With `author_only`, a record that
    exists already is replaced only by the user who made it: NotYours otherwise, and
    nothing is stored."""
    issues: list[Issue] = []
    parsed: dict[str, list[Row]] = {}
    rows = []
    for name, raw in given:
        rows.append(typed_row(files.types[name], raw, "the form", None, issues))
        parsed.setdefault(name, []).append(rows[-1])
    with Session(records) as session:
        issues += _references(
            _Stored(session, files.types), parsed, dict.fromkeys(parsed, "the form")
        )
    if issues:
        raise FilesRejected(issues)
    with Session(records) as session, session.begin():
        _store(_Stored(session, files.types), parsed, by, author_only)
    return rows


class NotYours(ScrutineerError):
    def __init__(self, kind: str, key: str, author: str) -> None:
        made = f"made by {author}" if author else "made before changes were recorded"
        super().__init__(
            f"This {kind} record ({key}) was {made}: only they, or an administrator, can "
            "replace it."
        )


def _store(stored: _Stored, parsed: dict[str, list[Row]], by: str, author_only: bool) -> None:
    """Put the rows, referred-to types first, each change beside it in record_changes."""
    session = stored.session
    at = datetime.now(UTC).replace(tzinfo=None)
    for name, kind in stored.types.items():
        for row in parsed.get(name, []):
            key = json.dumps([_cell(v) for v in kind.key_of(row)])
            if author_only and stored.matching(name, kind.key, kind.key_of(row)):
                author = _author(session, name, key)  # asked only of a record that exists
                if author != by:
                    raise NotYours(name, key, author)
            before = stored.put(kind, row)
            action = "created" if before is None else "replaced"
            session.add(
                models.RecordChange(
                    record_type=name,
                    record_key=key,
                    action=action if by != IMPORTED else f"imported, {action}",
                    changed_by=by,
                    changed_at=at,
                    before=None if before is None else json.dumps(as_text(before)),
                    after=json.dumps(as_text(row)),
                )
            )


def _author(session: Session, name: str, key: str) -> str:
    """Who made the record: the first change kept of it ("" if none is)."""
    first = session.scalar(
        select(models.RecordChange.changed_by)
        .where(models.RecordChange.record_type == name, models.RecordChange.record_key == key)
        .order_by(models.RecordChange.id)
        .limit(1)
    )
    return first or ""


HISTORY_COLUMNS = ("changed_at", "changed_by", "action", "record_type", "record_key")


def history_csv(records: Engine, names: Iterable[str] = ()) -> str:
    """Every change kept, oldest first, as CSV: when, who, what, which record, and the
    record before and after (JSON), as an information-governance officer reads them."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow((*HISTORY_COLUMNS, "before", "after"))
    for change in changes(records, names):
        cells = [change.changed_at.isoformat(timespec="seconds"), change.changed_by]
        cells += [change.action, change.record_type, change.record_key]
        writer.writerow(safe_cell(c) for c in (*cells, change.before or "", change.after))
    return out.getvalue()


def changes(records: Engine, names: Iterable[str] = ()) -> list[models.RecordChange]:
    """Every change kept, oldest first (of the record types `names`, if given)."""
    query = select(models.RecordChange).order_by(models.RecordChange.id)
    wanted = tuple(names)
    if wanted:
        query = query.where(models.RecordChange.record_type.in_(wanted))
    with Session(records) as session:
        found = list(session.scalars(query))
        session.expunge_all()
    return found


def export_file(files: FileSet, records: Engine, name: str) -> str:
    """Every record of one type as CSV, in the columns an import reads, in key order."""
    kind = files.types[name]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(c.name for c in kind.columns)
    with Session(records) as session:
        rows = _Stored(session, files.types).rows(name).values()
    for row in sorted(rows, key=lambda r: tuple(_sortable(v) for v in kind.key_of(r))):
        writer.writerow(safe_cell(_cell(row[c.name])) for c in kind.columns)
    return out.getvalue()


def records_of(
    files: FileSet,
    records: Engine,
    name: str,
    person_id: str | None = None,
    as_at: datetime | None = None,
    where: Mapping[str, object] | None = None,
) -> list[Row]:
    """Every record of one type (or one child's, or those whose columns equal `where`'s
    values: a record by its key), as {column: value}, in key order; with `as_at` (UTC), as
    they stood then, from the changes kept since (`record_changes`)."""
    kind = files.types[name]
    equal = dict(where or {})
    if person_id is not None and "person_id" in kind.stored_columns:
        equal["person_id"] = person_id
    unknown = set(equal) - set(kind.stored_columns)
    if unknown:
        raise ValueError(f"{name} has no column {', '.join(sorted(unknown))}")
    columns = [getattr(kind.model, c) for c in kind.stored_columns]
    query = select(*columns).order_by(*(getattr(kind.model, k) for k in kind.key))
    if as_at is None:  # asked of the records as they are: the database finds them
        query = query.where(*(getattr(kind.model, c) == v for c, v in equal.items()))
    with Session(records) as session:
        rows = [
            dict(zip(kind.stored_columns, row, strict=True)) for row in session.execute(query).all()
        ]
        if as_at is not None:  # as they stood: rebuilt first, then chosen
            rows = _as_they_stood(kind, session, rows, as_at)
            rows = [r for r in rows if all(r[c] == v for c, v in equal.items())]
    return rows


def _as_they_stood(
    kind: RecordType, session: Session, rows: list[Row], as_at: datetime
) -> list[Row]:
    """The records at `as_at`: a record changed since stood as its first later change found
    it (`before`; none: not yet made); one not changed since stands as it is."""
    later = session.execute(
        select(models.RecordChange.record_key, models.RecordChange.before)
        .where(models.RecordChange.record_type == kind.name, models.RecordChange.changed_at > as_at)
        .order_by(models.RecordChange.id)
    ).all()
    if not set(kind.key) <= set(kind.stored_columns):  # a key through a link: not rebuilt
        raise ValueError(f"{kind.name} is not rebuilt as it stood: its key is in another table")
    first: dict[str, str | None] = {}
    for key, before in later:
        first.setdefault(key, before)
    if not first:
        return rows
    table = kind.model.__table__.columns
    by_key = {json.dumps([_cell(row.get(k)) for k in kind.key]): row for row in rows}
    for key, before in first.items():
        if before is None:
            by_key.pop(key, None)
            continue
        typed = typed_row(kind, json.loads(before), "record_changes", None, [])
        by_key[key] = {
            c: "" if typed[c] is None and not table[c].nullable else typed[c]
            for c in kind.stored_columns
        }
    return sorted(by_key.values(), key=lambda r: [_sortable(r.get(k)) for k in kind.key])


def count(files: FileSet, records: Engine, name: str) -> int:
    """How many records of one type are stored."""
    with Session(records) as session:
        return session.scalar(select(func.count()).select_from(files.types[name].model)) or 0


def as_text(row: Row) -> dict[str, str]:
    """A stored record as a form's text (to change some fields and save it again)."""
    return {k: _cell(v) for k, v in row.items()}


class _Stored:
    """The stored records of each type as a file's rows (links followed back to the
    columns that name them), read once per type, and indexes of their ids by columns."""

    def __init__(self, session: Session, types: dict[str, RecordType]) -> None:
        self.session = session
        self.types = types
        self._rows: dict[str, dict[int, Row]] = {}
        self._indexes: dict[tuple[str, tuple[str, ...]], dict[Key, list[int]]] = {}

    def rows(self, name: str) -> dict[int, Row]:
        if name not in self._rows:
            kind = self.types[name]
            found: dict[int, Row] = {}
            for record in self.session.scalars(select(kind.model)):
                row: Row = {c: getattr(record, c) for c in kind.stored_columns}
                row = {c: None if v == "" else v for c, v in row.items()}  # empty is empty
                for link in kind.links:
                    target = getattr(record, link.column)
                    for by, on in zip(link.by, link.on, strict=True):
                        value = None if target is None else self.rows(link.to)[target][on]
                        if row.get(by) is None:
                            row[by] = value
                found[_id(record)] = {c.name: row.get(c.name) for c in kind.columns}
            self._rows[name] = found
        return self._rows[name]

    def matching(self, name: str, on: tuple[str, ...], values: Key) -> list[int]:
        if (name, on) not in self._indexes:
            index: dict[Key, list[int]] = {}
            for i, row in self.rows(name).items():
                index.setdefault(tuple(row[c] for c in on), []).append(i)
            self._indexes[name, on] = index
        return self._indexes[name, on].get(values, [])

    def put(self, kind: RecordType, row: Row) -> Row | None:
        """Store the row, replacing the record with its key: that record's row, if any."""
        table = kind.model.__table__.columns
        values = {
            c: "" if row[c] is None and not table[c].nullable else row[c]
            for c in kind.stored_columns
        }
        for link in kind.links:
            found = link.values(row)
            values[link.column] = (
                None if found is None else self.matching(link.to, link.on, found)[0]
            )
        same = self.matching(kind.name, kind.key, kind.key_of(row))
        if same:
            record = self.session.get(kind.model, same[0])
            for column, value in values.items():
                setattr(record, column, value)
            before = self.rows(kind.name)[same[0]]
            self.rows(kind.name)[same[0]] = row  # its key, and so its indexes, unchanged
            return before
        record = kind.model(**values)
        self.session.add(record)
        self.session.flush()  # later rows of this import may refer to it
        self.rows(kind.name)[_id(record)] = row
        for (name, on), index in self._indexes.items():
            if name == kind.name:
                index.setdefault(tuple(row[c] for c in on), []).append(_id(record))
        return None


def _id(record: models.Base) -> int:
    """A stored record's id (every model's primary key is its integer `id`)."""
    identity = inspect(record).identity
    assert identity is not None, "stored (flushed) records only"
    return int(identity[0])


def _references(
    stored: _Stored, parsed: dict[str, list[Row]], files: dict[str, str]
) -> list[Issue]:
    issues = []
    lookup = _Parsed(parsed)
    for name, rows in parsed.items():
        kind = stored.types[name]
        for number, row in enumerate(rows, start=2):
            where = number if files[name] != "the form" else None
            for column in kind.columns:
                if column.refers is None or row[column.name] is None:
                    continue
                target, key = column.refers
                if not _found(stored, lookup, target, (key,), (row[column.name],)):
                    issues.append(
                        _issue(
                            "reference",
                            f"No {target} record with {key} {row[column.name]!r}",
                            files[name],
                            where,
                            column.name,
                            str(row[column.name]),
                            f"Add it to {target}.csv (in this import or before).",
                        )
                    )
            for link in kind.links:
                values = link.values(row)
                if values is None:
                    continue
                found = _found(stored, lookup, link.to, link.on, values)
                if found == 1:
                    continue
                shown = ", ".join(_cell(v) for v in values)
                issues.append(
                    _issue(
                        "reference",
                        f"{'No' if not found else found} {link.to} record"
                        f"{'' if found < 2 else 's'} with {', '.join(link.on)} {shown}",
                        files[name],
                        where,
                        link.by[-1],
                        shown,
                        f"Add it to {link.to}.csv (in this import or before)."
                        if not found
                        else "Name just one of them: correct the earlier records.",
                    )
                )
    return issues


def _found(stored: _Stored, parsed: _Parsed, name: str, on: tuple[str, ...], values: Key) -> int:
    """How many records of `name` (stored, or in this import) have these `on` values."""
    kind = stored.types[name]
    keys = {kind.key_of(stored.rows(name)[i]) for i in stored.matching(name, on, values)}
    keys |= {kind.key_of(r) for r in parsed.matching(name, on, values)}
    return len(keys)


class _Parsed:
    """An import's rows of each type, indexed by columns as they are asked for."""

    def __init__(self, rows: dict[str, list[Row]]) -> None:
        self.rows = rows
        self._indexes: dict[tuple[str, tuple[str, ...]], dict[Key, list[Row]]] = {}

    def matching(self, name: str, on: tuple[str, ...], values: Key) -> list[Row]:
        if (name, on) not in self._indexes:
            index: dict[Key, list[Row]] = {}
            for row in self.rows.get(name, []):
                index.setdefault(tuple(row[c] for c in on), []).append(row)
            self._indexes[name, on] = index
        return self._indexes[name, on].get(values, [])


def _value(column: Column, text: str, file: str, row: int | None, issues: list[Issue]) -> Any:
    if not text:
        if column.required:
            issues.append(
                _issue(
                    "required",
                    f"{column.name} is empty",
                    file,
                    row,
                    column.name,
                    hint="Every row needs a value here.",
                )
            )
        return None
    if column.type == "date":
        found = parse_day(text)
        if found is None:
            issues.append(
                _issue(
                    "date",
                    f"{text!r} is not a date",
                    file,
                    row,
                    column.name,
                    text,
                    "Write dates as YYYY-MM-DD or DD/MM/YYYY.",
                )
            )
        return found
    if column.type == "integer":
        return _integer(column, text, file, row, issues)
    if "\x00" in text or (column.max_length is not None and len(text) > column.max_length):
        too_long = column.max_length is not None and len(text) > column.max_length
        issues.append(
            _issue(
                "text",
                f"{len(text):,} characters: over the {column.max_length} this column holds"
                if too_long
                else "a NUL character: not text",
                file,
                row,
                column.name,
                text[:80],
                "Shorten it." if too_long else "Remove it: the file is damaged or not text.",
            )
        )
        return None
    if column.type in ("code", "codes"):
        values = [_code(part) for part in text.split(";") if part.strip()]
        wrong = [v for v in values if v not in column.codes]
        if wrong or (column.type == "code" and len(values) != 1):
            issues.append(
                _issue(
                    "code",
                    f"{text!r} is not {'one' if column.type == 'code' else 'a list'} of "
                    f"the codes for {column.name}",
                    file,
                    row,
                    column.name,
                    text,
                    f"Use {', '.join(column.codes)}"
                    + (" (several separated by ';')." if column.type == "codes" else "."),
                )
            )
            return None
        return ";".join(values)
    return text


def _integer(column: Column, text: str, file: str, row: int | None, issues: list[Issue]) -> Any:
    whole = text.removesuffix(".0")
    if not (whole.isascii() and whole.isdigit()):
        issues.append(
            _issue(
                "integer",
                f"{text!r} is not a whole number",
                file,
                row,
                column.name,
                text,
                "Write a number such as 3.",
            )
        )
        return None
    if len(whole) > len(str(models.MAX_INTEGER)) or int(whole) > models.MAX_INTEGER:
        issues.append(
            _issue(
                "integer",
                f"{text} is more than this column holds ({models.MAX_INTEGER:,})",
                file,
                row,
                column.name,
                text,
                "Check the number.",
            )
        )
        return None
    return int(whole)


def _code(text: str) -> str:
    """'Requires Improvement' and 'requires-improvement' are requires_improvement."""
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


def _issue(
    rule: str,
    message: str,
    file: str,
    row: int | None = None,
    column: str = "",
    value: str | None = None,
    hint: str = "",
) -> Issue:
    return Issue(Level.ERROR, rule, message, hint, file, row, column, value)


def _cell(value: object) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


def _sortable(value: object) -> tuple[int, object]:
    """Empty values first; otherwise by value (numbers as numbers)."""
    return (0, "") if value is None else (1, value)


def _required(kind: RecordType, link: Link) -> bool:
    return all(c.required for c in kind.columns if c.name in link.by)


def render_files_doc(files: FileSet, intro: list[str]) -> str:
    """A Markdown page of every record type's file, from the one definition."""
    lines = [*intro, ""]
    for name, kind in files.types.items():
        lines += [f"## {name}.csv", "", kind.description, "", f"Key: {', '.join(kind.key)}.", ""]
        lines += ["| column | type | required | values |", "|---|---|---|---|"]
        for c in kind.columns:
            values = ", ".join(c.codes) if c.codes else ""
            if c.refers:
                values = f"a {c.refers[1]} of {c.refers[0]}.csv"
            lines.append(f"| {c.name} | {c.type} | {'yes' if c.required else ''} | {values} |")
        lines.append("")
        for link in kind.links:
            optional = "" if _required(kind, link) else "; empty for none"
            lines.append(
                f"- {', '.join(link.by)}: the {link.to}.csv record with that "
                f"{', '.join(link.on)}{optional}."
            )
        if kind.links:
            lines.append("")
    return "\n".join(lines)

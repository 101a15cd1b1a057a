"""Quality-assurance records in and out as CSV, checked as extract loads are.

Each record type is defined once in `qa_files.yaml` (its columns, types, code lists, key
and references); reading, checking, storing and writing all follow that definition. An
import checks every row of every file first and reports every problem (file, row, column,
how to fix it); only if there is none does it store them, in one transaction. A row whose
key is stored already replaces that record, so a file exported, edited and imported again
updates what it holds.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from scrutineer.errors import ScrutineerError
from scrutineer.findings import Issue, Level, errors_first
from scrutineer.records import models

MODELS: dict[str, type[models.Base]] = {
    "audit_programmes": models.AuditProgramme,
    "audits": models.Audit,
    "audit_actions": models.AuditAction,
    "iro_alerts": models.IroAlert,
    "iro_alert_stages": models.IroAlertStage,
    "review_adjournments": models.ReviewAdjournment,
}
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # text, date, code, codes
    required: bool = False
    codes: tuple[str, ...] = ()
    refers: tuple[str, str] | None = None  # (record type, its key column)


@dataclass(frozen=True)
class RecordType:
    name: str
    description: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]

    @property
    def model(self) -> type[models.Base]:
        return MODELS[self.name]

    def key_of(self, row: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(row[k] for k in self.key)


class QaRejected(ScrutineerError):
    def __init__(self, issues: list[Issue]) -> None:
        self.issues = errors_first(issues)
        shown = "\n".join(f"  {i}" for i in self.issues[:50])
        more = f"\n  ... and {len(self.issues) - 50} more" if len(self.issues) > 50 else ""
        super().__init__(
            f"Nothing was imported: {len(self.issues)} problem(s) to fix first.\n{shown}{more}"
        )


@cache
def record_types() -> dict[str, RecordType]:
    """Every record type, in the order an import stores them (referred-to types first)."""
    text = resources.files(__package__).joinpath("qa_files.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)
    codes = {name: tuple(values) for name, values in raw["codes"].items()}
    found = {}
    for name, spec in raw["files"].items():
        columns = tuple(
            Column(
                column,
                detail["type"],
                bool(detail.get("required")),
                codes[detail["codes"]] if "codes" in detail else (),
                tuple(detail["refers"].split(".")) if "refers" in detail else None,
            )
            for column, detail in spec["columns"].items()
        )
        found[name] = RecordType(
            name, " ".join(spec["description"].split()), tuple(spec["key"]), columns
        )
    return found


def read_rows(kind: RecordType, text: str, file: str) -> tuple[list[dict[str, Any]], list[Issue]]:
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
                    hint="Use the columns of `scrutineer qa export`: "
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
    rows: list[dict[str, Any]] = []
    seen: dict[tuple[Any, ...], int] = {}
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        row = typed_row(kind, dict(zip(header, cells, strict=False)), file, number, issues)
        key = kind.key_of(row)
        if None not in key:
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


def typed_row(
    kind: RecordType, raw: dict[str, str], file: str, row: int | None, issues: list[Issue]
) -> dict[str, Any]:
    """One record's values, typed, from text (a file's row or a form); problems to `issues`."""
    return {c.name: _value(c, raw.get(c.name, "").strip(), file, row, issues) for c in kind.columns}


def save_record(records: Engine, name: str, raw: dict[str, str]) -> dict[str, Any]:
    """One record from a form, checked as a file's row is; replaces the record with its key."""
    kind = record_types()[name]
    issues: list[Issue] = []
    row = typed_row(kind, raw, "the form", None, issues)
    with Session(records) as session:
        issues += _references(session, record_types(), {name: [row]}, {name: "the form"})
    if issues:
        raise QaRejected(issues)
    with Session(records) as session, session.begin():
        _store(session, kind, row)
    return row


def as_text(row: dict[str, Any]) -> dict[str, str]:
    """A stored record as a form's text (to change some fields and save it again)."""
    return {k: _cell(v) for k, v in row.items()}


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
        found = _date(text)
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


def _code(text: str) -> str:
    """'Requires Improvement' and 'requires-improvement' are requires_improvement."""
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


def _date(text: str) -> date | None:
    match = _DMY.match(text)
    try:
        if match:
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


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


def import_files(records: Engine, files: Iterable[Path]) -> dict[str, int]:
    """Check every file (named as its record type, e.g. audits.csv), then store them all in
    one transaction, or nothing. Returns the rows stored per type."""
    types = record_types()
    given: dict[str, tuple[str, str]] = {}
    issues: list[Issue] = []
    for path in files:
        if path.stem not in types:
            issues.append(
                _issue(
                    "file-name",
                    f"{path.name} is not a quality-assurance file",
                    path.name,
                    hint="Name each file after its records: "
                    + ", ".join(f"{t}.csv" for t in types)
                    + ".",
                )
            )
            continue
        given[path.stem] = (path.read_text(encoding="utf-8-sig"), path.name)
    parsed: dict[str, list[dict[str, Any]]] = {}
    for name, (text, file) in given.items():
        parsed[name], found = read_rows(types[name], text, file)
        issues += found
    with Session(records) as session:
        issues += _references(session, types, parsed, {n: f for n, (_, f) in given.items()})
    if issues:
        raise QaRejected(issues)
    with Session(records) as session, session.begin():
        for name in types:  # referred-to types first
            for row in parsed.get(name, []):
                _store(session, types[name], row)
    return {name: len(parsed[name]) for name in types if name in parsed}


def _references(
    session: Session,
    types: dict[str, RecordType],
    parsed: dict[str, list[dict[str, Any]]],
    files: dict[str, str],
) -> list[Issue]:
    issues = []
    for name, rows in parsed.items():
        for column in types[name].columns:
            if column.refers is None:
                continue
            target, key = column.refers
            model = types[target].model
            known = set(session.scalars(select(getattr(model, key))).all())
            known |= {r[key] for r in parsed.get(target, [])}
            for number, row in enumerate(rows, start=2):
                where = number if files[name] != "the form" else None
                if row[column.name] is not None and row[column.name] not in known:
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
    return issues


def _store(session: Session, kind: RecordType, row: dict[str, Any]) -> None:
    model = kind.model
    conditions = [getattr(model, k) == row[k] for k in kind.key]
    found = session.scalars(select(model).where(*conditions)).first()
    if found is None:
        session.add(model(**row))
        session.flush()  # later rows of this import may refer to it
    else:
        for name, value in row.items():
            setattr(found, name, value)


ENGINE_TABLES = {  # the engine's table for each record type its indicators read
    "audits": "qa_audits",
    "iro_alerts": "qa_iro_alerts",
    "iro_alert_stages": "qa_iro_alert_stages",
    "review_adjournments": "qa_review_adjournments",
}


def engine_rows(records: Engine) -> dict[str, list[dict[str, Any]]] | None:
    """The records the indicators are computed from, as the engine's qa_* tables' rows; None
    when none has ever been recorded (the indicators then say "no data", not 0)."""
    found: dict[str, list[dict[str, Any]]] = {}
    with Session(records) as session:
        for name, table in ENGINE_TABLES.items():
            kind = record_types()[name]
            columns = [getattr(kind.model, c.name) for c in kind.columns]
            found[table] = [
                dict(zip((c.name for c in kind.columns), row, strict=True))
                for row in session.execute(select(*columns).order_by(*columns[:1])).all()
            ]
    return found if any(found.values()) else None


def records_of(records: Engine, name: str, person_id: str | None = None) -> list[dict[str, Any]]:
    """Every record of one type (or one child's), as {column: value}, in key order."""
    kind = record_types()[name]
    columns = [getattr(kind.model, c.name) for c in kind.columns]
    query = select(*columns).order_by(*(getattr(kind.model, k) for k in kind.key))
    if person_id is not None and hasattr(kind.model, "person_id"):
        query = query.where(kind.model.person_id == person_id)
    with Session(records) as session:
        return [
            dict(zip((c.name for c in kind.columns), row, strict=True))
            for row in session.execute(query).all()
        ]


def count(records: Engine, name: str) -> int:
    """How many records of one type are stored."""
    with Session(records) as session:
        return session.scalar(select(func.count()).select_from(record_types()[name].model)) or 0


def export_file(records: Engine, name: str) -> str:
    """Every record of one type as CSV, in the columns an import reads."""
    kind = record_types()[name]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(c.name for c in kind.columns)
    with Session(records) as session:
        order = [getattr(kind.model, k) for k in kind.key]
        for record in session.scalars(select(kind.model).order_by(*order)).all():
            writer.writerow(_cell(getattr(record, c.name)) for c in kind.columns)
    return out.getvalue()


def _cell(value: object) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


def render_files_doc() -> str:
    """docs/qa-records.md: every record type's file, from the one definition."""
    lines = [
        "# Quality-assurance records as files",
        "",
        "Generated by `scrutineer qa files` from `src/scrutineer/records/qa_files.yaml`; a test",
        "keeps it current. `scrutineer qa import FILE...` checks every row of every file (each",
        "named after its records, e.g. `audits.csv`) and stores them all or nothing; a row whose",
        "key is stored already replaces that record. `scrutineer qa export DIR` writes the same",
        "files. Dates are `YYYY-MM-DD` or `DD/MM/YYYY`; codes may be written in any case, with",
        "spaces or hyphens for underscores (`Requires Improvement`); several codes are",
        "separated by `;`.",
        "",
    ]
    for name, kind in record_types().items():
        lines += [f"## {name}.csv", "", kind.description, "", f"Key: {', '.join(kind.key)}.", ""]
        lines += ["| column | type | required | values |", "|---|---|---|---|"]
        for c in kind.columns:
            values = ", ".join(c.codes) if c.codes else ""
            if c.refers:
                values = f"a {c.refers[1]} of {c.refers[0]}.csv"
            lines.append(f"| {c.name} | {c.type} | {'yes' if c.required else ''} | {values} |")
        lines.append("")
    return "\n".join(lines)

"""Targets: what the authority aims for, per indicator and financial year, and who said so.

Kept in the records store; imported and exported as CSV in this format:

    kpi,kind,value,financial_year,set_by,set_on,note
    cp_visits_10wd_pct,monthly,80,2025,Head of Performance,2025-04-02,
    contacts,annual,22000,2025,Improvement Board,2025-04-10,"1,833 a month"
    cin_rate,neighbour_mean,,2025,Improvement Board,2025-04-10,

Two columns may follow (older files without them are read as before): `polarity`, `higher`
or `lower`, which rates an indicator the catalogue leaves as context (a demand measure with
no DfE polarity: the council says which way is better); and `tolerance`, how far short of
the target (in points for a percentage, else in the indicator's unit) still meets it: a
percentage target at its limit (100%, or 0% to keep under) is met within 2 points unless it
states its own.

Kinds: `monthly` (every month's figure), `annual` (the year's total for a count, profiled
evenly by month; the year's level for anything else), `ytd` (the year to date, profiled
evenly by month), `neighbour_mean` and `neighbour_median` (resolved from DfE's benchmarks
for the authority).
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from scrutineer.calendar import parse_day
from scrutineer.catalogue.model import Catalogue, Kpi
from scrutineer.cells import read_cell, safe_cell
from scrutineer.errors import ScrutineerError
from scrutineer.findings import Issue, Level
from scrutineer.records import models

KINDS = ("monthly", "annual", "ytd", "neighbour_mean", "neighbour_median")
COLUMNS = (
    "kpi",
    "kind",
    "value",
    "financial_year",
    "set_by",
    "set_on",
    "note",
    "polarity",
    "tolerance",
)
OPTIONAL = ("polarity", "tolerance")  # files from before they existed are still read
POLARITIES = ("higher", "lower")
RANGES: dict[str, tuple[float, float | None]] = {  # the values a target may take, by unit
    "percent": (0, 100),
    "rate_per_10k": (0, 10_000),
    "count": (0, None),
    "average": (0, None),
}
UNIT_WORDS = {
    "percent": "percentage",
    "rate_per_10k": "rate per 10,000",
    "count": "count",
    "average": "average",
}
FIRST_YEAR, LAST_YEAR = 2000, 2099  # financial years a target may be set for
HISTORY = "targets"  # their changes' record_type in record_changes (replaced as a whole)


@dataclass(frozen=True)
class Target:
    kpi: str
    kind: str
    value: float | None
    financial_year: int
    set_by: str
    set_on: date
    note: str = ""
    polarity: str = ""  # "higher" or "lower": rates a context indicator; "" keeps the catalogue's
    tolerance: float | None = None  # how far short still meets the target (None: the rule's)

    def for_month(self, month_of_year: int, unit: str) -> float | None:
        """The figure to meet in the `month_of_year`-th month (April = 1) of the year."""
        if self.value is None:
            return None
        if self.kind == "annual" and unit == "count":
            return self.value / 12
        if self.kind == "ytd" and unit == "count":
            return self.value * month_of_year / 12
        return self.value


class TargetsRejected(ScrutineerError):
    exit_code = 2

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        lines = "\n  ".join(str(i) for i in issues)
        super().__init__(
            f"The targets file has {len(issues)} error(s); nothing was imported:\n  {lines}"
        )


def read_targets_file(path: Path, catalogue: Catalogue) -> list[Target]:
    """A targets file, refused whole (TargetsRejected) if it is not UTF-8 text or has any
    error (`read_targets`)."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TargetsRejected(
            [
                Issue(
                    Level.ERROR,
                    "encoding",
                    f"the file is not UTF-8 (byte {error.start + 1} cannot be read)",
                    "Save it as CSV UTF-8 (in Excel: Save As, CSV UTF-8)",
                    file=path.name,
                )
            ]
        ) from None
    return read_targets(text, catalogue, path.name)


def read_targets(text: str, catalogue: Catalogue, file: str = "targets.csv") -> list[Target]:
    """Every row checked; any error refuses the whole file (TargetsRejected lists them)."""
    reader = csv.DictReader(io.StringIO(text))
    rows = [{k: read_cell(v) if isinstance(v, str) else v for k, v in r.items()} for r in reader]
    issues: list[Issue] = []
    if not rows:  # an import replaces every target: an empty file would remove them all
        raise TargetsRejected(
            [
                Issue(
                    Level.ERROR,
                    "no-targets",
                    "the file holds no targets: importing it would remove every target",
                    "Export the targets (`scrutineer targets export`), edit them and import "
                    "that file",
                    file=file,
                )
            ]
        )
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or ()) and c not in OPTIONAL]
    if missing:
        raise TargetsRejected(
            [
                Issue(
                    Level.ERROR,
                    "missing-column",
                    f"columns {missing} missing",
                    f"The header is {','.join(COLUMNS)}",
                    file=file,
                    row=1,
                )
            ]
        )
    targets = [
        t
        for n, row in enumerate(rows, start=2)
        if (t := _target(row, n, catalogue, file, issues)) is not None
    ]
    _one_each(rows, issues, file)
    if issues:
        raise TargetsRejected(issues)
    return targets


def _target(
    row: dict[str, str], line: int, catalogue: Catalogue, file: str, issues: list[Issue]
) -> Target | None:
    def problem(column: str, message: str, hint: str) -> None:
        issues.append(
            Issue(Level.ERROR, "bad-target", message, hint, file, line, column, row.get(column))
        )

    kpis = {k.id: k for k in catalogue}
    kpi = kpis.get(row["kpi"])
    if kpi is None:
        problem("kpi", "not an indicator", "Use an id from `scrutineer kpis`")
    if row["kind"] not in KINDS:
        problem("kind", "not a kind of target", f"Use one of {', '.join(KINDS)}")
    value = _number(row["value"])
    if row["kind"] in ("monthly", "annual", "ytd") and value is None:
        problem("value", "not a number", "Give the target as a number, e.g. 80 or 22000")
    elif value is not None and kpi is not None and not _in_range(value, kpi.unit):
        low, high = RANGES[kpi.unit]
        top = f"{high:g}" if high is not None else "no limit"
        problem(
            "value",
            f"not a possible {UNIT_WORDS[kpi.unit]}",
            f"Give a value from {low:g} to {top} (the indicator is a {UNIT_WORDS[kpi.unit]})",
        )
    polarity, tolerance = _polarity_and_tolerance(row, kpi, problem)
    year = row["financial_year"].strip()
    if not (year.isdigit() and FIRST_YEAR <= int(year) <= LAST_YEAR):
        problem(
            "financial_year",
            "not a financial year",
            f"Give the year it starts in, from {FIRST_YEAR} to {LAST_YEAR}, e.g. 2025",
        )
    set_on = parse_day(row["set_on"])
    if set_on is None:
        problem("set_on", "not a date", "Write dates as YYYY-MM-DD")
        return None
    if issues and issues[-1].row == line:
        return None
    return Target(
        row["kpi"],
        row["kind"],
        value,
        int(year),
        row["set_by"].strip(),
        set_on,
        row.get("note", "").strip(),
        polarity,
        tolerance,
    )


def _in_range(value: float, unit: str) -> bool:
    low, high = RANGES[unit]
    return low <= value and (high is None or value <= high)


def _one_each(rows: list[dict[str, str]], issues: list[Issue], file: str) -> None:
    """One target for an indicator and year: of two, the assessment would use one and
    silently drop the other."""
    first: dict[tuple[str, str], int] = {}
    for line, row in enumerate(rows, start=2):
        key = (row["kpi"], row["financial_year"].strip())
        if key in first:
            issues.append(
                Issue(
                    Level.ERROR,
                    "duplicate-target",
                    f"a second target for {key[0]} in {key[1]} (row {first[key]} is the first)",
                    "Keep one target for each indicator and year",
                    file,
                    line,
                    "kpi",
                    row["kpi"],
                )
            )
        first.setdefault(key, line)


def _polarity_and_tolerance(
    row: dict[str, str], kpi: Kpi | None, problem: Callable[[str, str, str], None]
) -> tuple[str, float | None]:
    """The optional columns: which way is better, and how far short still meets it."""
    polarity = (row.get("polarity") or "").strip().lower()
    if polarity and polarity not in POLARITIES:
        problem("polarity", "not a polarity", "Write higher or lower (which way is better)")
    elif polarity and kpi is not None and kpi.polarity not in ("context", polarity):
        problem(
            "polarity",
            f"the catalogue says {kpi.polarity} is better",
            "Leave polarity empty: it is for indicators the catalogue leaves as context",
        )
    written = (row.get("tolerance") or "").strip()
    tolerance = _number(written) if written else None
    if written and (tolerance is None or tolerance < 0):
        problem("tolerance", "not a number of 0 or more", "Give it in points, e.g. 2")
    return polarity, tolerance


def _number(text: str) -> float | None:
    """A finite number, or None: "nan", "inf" and 1e400 are not targets."""
    try:
        number = float(text.replace(",", "").strip())
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def write_targets(targets: list[Target]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for target in targets:
        row = asdict(target)
        row["value"] = "" if target.value is None else f"{target.value:g}"
        row["tolerance"] = "" if target.tolerance is None else f"{target.tolerance:g}"
        row["set_on"] = target.set_on.isoformat()
        writer.writerow({k: safe_cell(str(v)) if isinstance(v, str) else v for k, v in row.items()})
    return out.getvalue()


class TargetStore:
    """Targets in the records store: replaced whole, in one transaction, on each import."""

    def __init__(self, records: Engine, catalogue: Catalogue) -> None:
        self.records = records
        self.catalogue = catalogue

    def all(self, as_at: datetime | None = None) -> list[Target]:
        """The targets in force now, or (`as_at`, UTC) as they stood then: the first
        replacement since found them as its `before`."""
        with Session(self.records) as session:
            if as_at is not None:
                later = session.execute(
                    select(models.RecordChange.before)
                    .where(
                        models.RecordChange.record_type == HISTORY,
                        models.RecordChange.changed_at > as_at,
                    )
                    .order_by(models.RecordChange.id)
                    .limit(1)
                ).first()
                if later is not None:
                    return _from_json(later.before)
            rows = session.scalars(select(models.Target).order_by(models.Target.id)).all()
            return [
                Target(
                    r.kpi,
                    r.kind,
                    r.value,
                    r.financial_year,
                    r.set_by,
                    r.set_on,
                    r.note,
                    r.polarity or "",
                    r.tolerance,
                )
                for r in rows
            ]

    def replace(self, targets: list[Target], by: str = "import") -> None:
        """All the targets replaced in one transaction, the change kept (who, when, the
        targets before and after) so a report can be made again as they stood."""
        before = self.all()
        with Session(self.records) as session, session.begin():
            session.execute(delete(models.Target))
            session.add_all(models.Target(**asdict(t)) for t in targets)
            session.add(
                models.RecordChange(
                    record_type=HISTORY,
                    record_key="all",
                    action="replaced" if before else "created",
                    changed_by=by,
                    changed_at=datetime.now(UTC).replace(tzinfo=None),
                    before=_as_json(before) if before else None,
                    after=_as_json(targets),
                )
            )

    def empty(self) -> bool:
        with Session(self.records) as session:
            return session.scalar(select(models.Target.id).limit(1)) is None


def _as_json(targets: list[Target]) -> str:
    return json.dumps([{**asdict(t), "set_on": t.set_on.isoformat()} for t in targets])


def _from_json(text: str | None) -> list[Target]:
    """Targets kept in a change (None: there were none)."""
    return [
        Target(**{**t, "set_on": date.fromisoformat(t["set_on"])}) for t in json.loads(text or "[]")
    ]

"""The quality-assurance tables, worked out once for the dashboard and the board report:
audit grades by Focus 5 domain, supervision against overall grade, and IRO alerts by
reason and by the level they reached, over a run of months. Plain counts here; each output
lays them out, suppressing small numbers for the public.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from statistics import correlation
from typing import Any

from sqlalchemy import Engine

from scrutineer.outputs.disclosure import protect
from scrutineer.records.qa import QA, records_of
from scrutineer.settings import ALERT_LEVELS

GRADES = QA.codes["grade"]  # as qa_files.yaml lists them, best first
DOMAINS = tuple(  # the Focus 5 domains: an audit's grade_* columns but the overall grade
    c.name.removeprefix("grade_")
    for c in QA.types["audits"].columns
    if c.name.startswith("grade_") and c.name != "grade_overall"
)
SMALL = range(1, 5)


@dataclass(frozen=True)
class GradeRow:
    label: str
    counts: dict[str, int]  # grade -> audits

    @property
    def graded(self) -> int:
        return sum(self.counts.values())

    @property
    def good_or_better(self) -> int:
        return self.counts["good"] + self.counts["outstanding"]


@dataclass(frozen=True)
class QaSummary:
    first: date
    last: date
    focus5: tuple[GradeRow, ...]  # the five domains, then the overall grade that counts
    moderated: int
    supervision: dict[tuple[str, str], int]  # (supervision grade, overall grade) -> audits
    correlation: float | None  # supervision index against overall index (1 .. 4)
    alerts: int
    reasons: Counter[str]  # an alert may give several
    levels: Counter[str]  # the highest level each alert reached

    @property
    def pairs(self) -> int:
        return sum(self.supervision.values())


def qa_summary(
    records: Engine, first: date, last: date, as_at: datetime | None = None
) -> QaSummary:
    """Audits completed and alerts raised from `first` to `last` (the records as they stood
    at `as_at`, UTC, if given)."""

    def kept(name: str) -> list[dict[str, Any]]:
        return records_of(records, name, as_at=as_at)

    audits = [a for a in kept("audits") if within(a["completed_date"], first, last)]
    alerts = [a for a in kept("iro_alerts") if within(a["raised_date"], first, last)]
    reached = levels_reached(kept("iro_alert_stages"))
    counted = [counted_grade(a) for a in audits]
    pairs = [(a["grade_supervision"], counted_grade(a)) for a in audits if a["grade_supervision"]]
    return QaSummary(
        first,
        last,
        tuple(_grades(d.capitalize(), [a[f"grade_{d}"] for a in audits]) for d in DOMAINS)
        + (_grades("Overall (as moderated)", counted),),
        sum(1 for a in audits if a["moderated_grade"]),
        dict(Counter(pairs)),
        _correlation(pairs),
        len(alerts),
        Counter(r for a in alerts for r in a["reasons"].split(";")),
        Counter(reached.get(a["alert_ref"], "informal") for a in alerts),
    )


def counted_grade(audit: dict[str, Any]) -> str:
    """The grade that counts: the moderated grade where there is one."""
    return str(audit["moderated_grade"] or audit["grade_overall"])


def levels_reached(stages: list[dict[str, Any]]) -> dict[str, str]:
    """The highest level each alert reached."""
    reached: dict[str, str] = {}
    for stage in stages:
        now = reached.get(stage["alert_ref"], "informal")
        if ALERT_LEVELS.index(stage["level"]) >= ALERT_LEVELS.index(now):
            reached[stage["alert_ref"]] = stage["level"]
    return reached


def count_text(n: int, public: bool, hidden: bool = False) -> str:
    return "*" if public and (n in SMALL or hidden) else f"{n:,}"


def share_text(part: int, whole: int, public: bool, hidden: bool = False) -> str:
    """A part's share of a whole; hidden in public where the whole is under 5, the part is
    1 to 4 (the share and the whole give it back) or `hidden` (a complementary cell)."""
    if not whole:
        return "–"
    small = whole < 5 or part in SMALL or hidden
    return "*" if public and small else f"{100 * part / whole:.1f}%"


def hidden_parts(parts: Mapping[str, int], public: bool, sums: Sequence[Sequence[str]]) -> set[str]:
    """The parts of a public table to hide: 1 to 4, and complementary ones so that no set of
    parts adding up to a figure shown (`sums`: the grades to the audits graded, good and
    outstanding to good or better, the levels to the alerts) has just one hidden."""
    if not public:
        return set()
    return protect(parts, {k for k, n in parts.items() if n in SMALL}, sums)


def tally_cells(
    counts: Mapping[str, int], names: Sequence[str], total: int, public: bool, sums: bool
) -> list[tuple[str, str, str]]:
    """Each name's count and share of `total`, as a table shows them: with `sums`, the
    counts add up to the total (each alert reaches one level; it may give several reasons),
    so never one of them is hidden alone."""
    hidden = hidden_parts({n: counts[n] for n in names}, public, [names] if sums else [])
    return [
        (
            n,
            count_text(counts[n], public, n in hidden),
            share_text(counts[n], total, public, n in hidden),
        )
        for n in names
    ]


def grade_cells(row: GradeRow, public: bool) -> dict[str, str]:
    """A Focus 5 row's shares of each grade and of good or better, as a table shows them."""
    parts = {**row.counts, "good_or_better": row.good_or_better}
    sums = [  # the grades add up to those graded, and so do the two below good and the rest
        GRADES,
        ("good_or_better", "good", "outstanding"),
        ("good_or_better", "requires_improvement", "inadequate"),
    ]
    hidden = hidden_parts(parts, public, sums)
    return {k: share_text(n, row.graded, public, k in hidden) for k, n in parts.items()}


def _grades(label: str, grades: Sequence[str | None]) -> GradeRow:
    counts = Counter(g for g in grades if g)
    return GradeRow(label, {g: counts[g] for g in GRADES})


def _correlation(pairs: list[tuple[str, str]]) -> float | None:
    """Pearson's r of the grades as numbers (1 outstanding .. 4 inadequate); None when
    either grade never varies."""
    xs = [GRADES.index(s) for s, _ in pairs]
    ys = [GRADES.index(o) for _, o in pairs]
    if len(set(xs)) < 2 or len(set(ys)) < 2:
        return None
    return round(correlation(xs, ys), 2)


def within(day: date | None, first: date, last: date) -> bool:
    """Whether a record's date (None: not yet) falls from `first` to `last`."""
    return day is not None and first <= day <= last

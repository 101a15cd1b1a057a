"""Everything a report shows, worked out once: the HTML and the PDF only lay it out.

The public edition shows aggregates only, with small numbers suppressed: a count of 1 to 4,
and a percentage, rate or average whose denominator is under 5, shows as "*". No report
edition names a child or a worker.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from scrutineer.assess.assessment import COMPARABLE_UNITS, Assessment
from scrutineer.assess.rules import LISTED
from scrutineer.assess.text import amount, indicator_text, theme_text
from scrutineer.calendar import Period
from scrutineer.engine.compute import Value
from scrutineer.outputs.disclosure import disclosed
from scrutineer.outputs.figures import SUPPRESSED, assessment_chart, flagged, short
from scrutineer.outputs.qa_summary import GRADES, QaSummary, count_text, grade_cells, tally_cells
from scrutineer.outputs.report.layouts import Layout
from scrutineer.outputs.report.revisions import Revisions
from scrutineer.records.narratives import Narrative
from scrutineer.settings import ALERT_LEVELS

GLOSSARY = (
    (
        "RAG",
        "Red, amber, green: how a figure stands against its target (amber is within 5 "
        "percentage points, or 5% of the target).",
    ),
    (
        "Statistical neighbours",
        "The 10 authorities most like this one, chosen by the Department for Education.",
    ),
    (
        "SPC",
        "Statistical process control: the average and the range within which a figure "
        "moves by chance. A point outside it, or a run of points, is a special cause.",
    ),
    ("Rolling 12 months", "The 12 months ending with the month shown."),
    ("Rate per 10,000", "Per 10,000 children aged 0 to 17 living in the authority."),
    ("CIN, CP, CLA", "Child in need; child protection; children looked after."),
)


@dataclass(frozen=True)
class Row:
    kpi: str
    title: str
    cells: tuple[str, ...]
    target: str
    rag: str
    trend: str
    spc: str
    category: str
    neighbours: str
    england: str
    chart: str
    text: str


@dataclass(frozen=True)
class SectionContext:
    title: str
    rows: tuple[Row, ...]
    summary: str
    analysis: str = ""  # written by people (records store), or empty
    actions: str = ""
    written: str = ""  # who wrote them and when


@dataclass(frozen=True)
class QaTables:
    """The quality-assurance tables as the report prints them (small numbers suppressed in
    the public edition)."""

    months: str
    focus5: tuple[tuple[str, ...], ...]  # domain, graded, % at each grade, % good or better
    moderated: str
    correlation: str
    reasons: tuple[tuple[str, str, str], ...]  # reason, alerts, share
    levels: tuple[tuple[str, str, str], ...]
    alerts: str


@dataclass(frozen=True)
class ReportContext:
    title: str
    description: str
    period: str
    edition: str
    snapshot: str
    as_at: date
    population: str
    columns: tuple[str, ...]
    lists: dict[str, tuple[str, ...]]
    sections: tuple[SectionContext, ...]
    glossary: tuple[tuple[str, str], ...] = GLOSSARY
    notes: tuple[str, ...] = field(default_factory=tuple)
    revisions: tuple[str, ...] = field(default_factory=tuple)  # sentences for the notes
    qa: QaTables | None = None
    sources: tuple[tuple[str, str], ...] = ()  # (indicator, where its definition comes from)


def build_context(
    layout: Layout,
    assessments: list[Assessment],
    period: Period,
    edition: str,
    snapshot: str,
    as_at: date,
    population: str,
    changed: Revisions | None = None,
    narratives: dict[str, Narrative] | None = None,
    hidden: set[tuple[str, str]] | None = None,
    records_as_at: datetime | None = None,
    compared_with: str | None = None,
) -> ReportContext:
    """`hidden`: the (kpi, month) cells the edition must not show (`outputs.suppression`);
    `records_as_at`: when the QA records and targets were read as they stood (UTC);
    `compared_with`: whose place in DfE's data the authority takes, if another's."""
    by_kpi = {a.kpi.id: a for a in assessments}
    months = _columns(layout, period)
    hidden = hidden or set()
    sections = tuple(
        SectionContext(
            section.title,
            tuple(_row(by_kpi[k.id], months, edition, hidden) for k in section.kpis),
            theme_text(
                section.theme or section.title,
                [by_kpi[k.id] for k in section.kpis],
                label=None if section.theme else section.title,
            ),
            *_written((narratives or {}).get(section.theme or section.title)),
        )
        for section in layout.sections
    )
    shown = {k.id for s in layout.sections for k in s.kpis}
    lists = {
        name: tuple(
            a.kpi.title
            for a in (disclosed(a, hidden) for a in assessments)
            if a.kpi.id in shown and a.category.value == name
        )
        for name in (c.value for c in LISTED)
    }
    return ReportContext(
        layout.title,
        layout.description,
        f"{period.start:%B %Y}",
        edition,
        snapshot,
        as_at,
        population,
        tuple(_column_label(m, layout.quarterly) for m in months),
        lists,
        sections,
        notes=_notes(edition, snapshot, as_at, population, records_as_at)
        + ((compared_with,) if compared_with else ()),
        revisions=_revisions(changed, edition, hidden),
        sources=tuple(
            (k.title, k.source or "not stated")
            for k in dict.fromkeys(k for s in layout.sections for k in s.kpis)
        ),
    )


def qa_tables(summary: QaSummary, edition: str) -> QaTables:
    public = edition == "public"

    def tally(
        counts: Counter[str], order: Sequence[str], sums: bool = False
    ) -> tuple[tuple[str, str, str], ...]:
        cells = tally_cells(counts, order, summary.alerts, public, sums)
        return tuple((name.replace("_", " ").capitalize(), n, s) for name, n, s in cells)

    r = summary.correlation
    return QaTables(
        f"{summary.first:%B %Y} to {summary.last:%B %Y}",
        tuple(
            (
                row.label,
                count_text(row.graded, public),
                *(cells[k] for k in (*GRADES, "good_or_better")),
            )
            for row, cells in ((row, grade_cells(row, public)) for row in summary.focus5)
        ),
        count_text(summary.moderated, public),
        "not enough audits to say" if r is None or (public and summary.pairs < 5) else f"{r:.2f}",
        tally(summary.reasons, [n for n, _ in summary.reasons.most_common()]),
        tally(summary.levels, ALERT_LEVELS, sums=True),
        count_text(summary.alerts, public),
    )


def months_shown(layout: Layout, period: Period) -> list[Period]:
    """The months a layout's tables show, oldest first."""
    return _columns(layout, period)


def _columns(layout: Layout, period: Period) -> list[Period]:
    if layout.quarterly:  # the last month of each of the last four quarters
        last = period.shift(-((period.month - 3) % 3))
        return [last.shift(-3 * i) for i in range(3, -1, -1)]
    return [period.shift(-i) for i in range(layout.months - 1, -1, -1)]


def _column_label(month: Period, quarterly: bool) -> str:
    if quarterly:
        return f"Q to {month.start:%b %Y}"
    return f"{month.start:%b %y}"


def _row(a: Assessment, months: list[Period], edition: str, hidden: set[tuple[str, str]]) -> Row:
    values = {v.period: v for v in a.series}
    cells = tuple(
        _cell(values.get(str(m)), a.kpi.unit, (a.kpi.id, str(m)) in hidden) for m in months
    )
    shown = disclosed(a, hidden)  # no RAG, trend or SPC line telling of a suppressed figure
    mean = a.benchmark.neighbour_mean if a.benchmark else None
    return Row(
        a.kpi.id,
        a.kpi.title,
        cells,
        short(a.target, a.kpi.unit) if a.target is not None else "",
        shown.rating.value if shown.rating else "",
        shown.direction.value if shown.direction else "",
        shown.signal or "",
        shown.category.value,
        # the unit is in the row's title; a count is not set beside other authorities' here
        short(mean, a.kpi.unit) if mean is not None and a.kpi.unit in COMPARABLE_UNITS else "",
        short(a.england, a.kpi.unit) if a.england is not None else "",
        assessment_chart(shown),
        indicator_text(a) if edition == "internal" else _public_text(a, hidden),
    )


def _cell(value: Value | None, unit: str, hidden: bool) -> str:
    if value is None or value.status == "no data":
        return "no data"
    if value.value is None:
        return "–"
    return SUPPRESSED if hidden else flagged(short(value.value, unit), value)


def _public_text(a: Assessment, hidden: set[tuple[str, str]]) -> str:
    if (a.kpi.id, a.latest.period) in hidden:
        return f"{a.kpi.title}: the figure is too small to publish."
    return indicator_text(a, counts=False)


def _notes(
    edition: str, snapshot: str, as_at: date, population: str, records_as_at: datetime | None
) -> tuple[str, ...]:
    notes = [
        f"Figures are computed from snapshot {snapshot} of the case records, as at "
        f"{as_at:%d %B %Y}; recomputing them from that snapshot gives the same numbers.",
    ]
    if records_as_at is not None:
        again = (  # the exact time, for the performance team to make it again
            f" (recorded as {records_as_at.isoformat()}, so the report can be made again "
            "with the same figures)"
            if edition == "internal"
            else ""
        )
        notes.append(
            "Case audits, IRO alerts and targets are as they stood at "
            f"{records_as_at:%H:%M:%S} UTC on {records_as_at:%d %B %Y}{again}."
        )
    notes += [
        f"Rates per 10,000 use the {population}.",
        "Every indicator's definition, and how it is calculated, is in the council's "
        "indicator catalogue; the performance team can show the calculation of any figure.",
        "Benchmarks are the Department for Education's published figures for the latest "
        "year, compared with rolling 12-month or month-end figures of the same definition.",
    ]
    if edition == "public":
        notes.append(
            "Small numbers are suppressed (*): counts of 1 to 4, and percentages or "
            "rates from fewer than 5 children. No child or worker is named."
        )
    return tuple(notes)


def _revisions(
    changed: Revisions | None, edition: str, hidden: set[tuple[str, str]]
) -> tuple[str, ...]:
    if changed is None:
        return ()
    if changed.previous is None:
        return ("This is the first snapshot: there is no earlier one to compare with.",)
    since = f"snapshot {changed.previous.id} (as at {changed.previous.as_at:%d %B %Y})"
    shown = [c for c in changed.changes if (c.kpi, c.period) not in hidden or edition != "public"]
    if not shown:
        return (f"No figure in this report has changed since {since}.",)
    lines = [f"Figures revised since {since}, as records were added or corrected:"]
    lines += [
        f"{c.title}, {Period.parse(c.period).start:%B %Y}: was "
        f"{amount(c.before, c.unit)}, now {amount(c.now, c.unit)}."
        for c in shown[:40]
    ]
    if len(shown) > 40:
        lines.append(f"... and {len(shown) - 40} more (the Excel workbook lists them all).")
    return tuple(lines)


def _written(narrative: Narrative | None) -> tuple[str, str, str]:
    if narrative is None:
        return "", "", ""
    return (
        narrative.analysis,
        narrative.actions,
        f"Written by {narrative.written_by} on {narrative.written_at:%d %B %Y}.",
    )

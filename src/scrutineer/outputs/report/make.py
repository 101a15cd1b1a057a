"""`scrutineer report`: assess the month, build the layout's context, write the file."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from scrutineer.assess.assessment import assess_month, standards
from scrutineer.assess.text import place_in_words
from scrutineer.calendar import Period
from scrutineer.engine.session import open_session
from scrutineer.errors import ScrutineerError
from scrutineer.extract.snapshots import SnapshotStore
from scrutineer.outputs.qa_summary import qa_summary
from scrutineer.outputs.report.context import build_context, months_shown, qa_tables
from scrutineer.outputs.report.layouts import load_layout
from scrutineer.outputs.report.render import write_report
from scrutineer.outputs.report.revisions import revisions
from scrutineer.outputs.suppression import suppress_snapshot
from scrutineer.records.narratives import narratives_for
from scrutineer.records.qa import engine_rows
from scrutineer.records.store import open_records
from scrutineer.settings import Settings

EDITIONS = ("internal", "public")


class EditionInvalid(ScrutineerError):
    def __init__(self, edition: str) -> None:
        super().__init__(f"--edition {edition!r} is not internal or public.")


def make_report(
    settings: Settings,
    out: Path,
    layout_name: str = "board",
    edition: str = "internal",
    period: Period | None = None,
    snapshot: str = "latest",
    records_as_at: datetime | None = None,
) -> Path:
    """The report, from the snapshot and the records (QA records and targets) as they stood
    at `records_as_at` (UTC; default now, stated in the report so it can be made again with
    the same figures)."""
    if edition not in EDITIONS:
        raise EditionInvalid(edition)
    # to the microsecond: a time cut to the second would be before the changes of that second
    as_at = (records_as_at or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
    records = open_records(settings)  # migrated once: QA records, targets, narratives
    session = open_session(settings, snapshot, engine_rows(records, as_at))
    try:
        month = session.month(period) if period else session.latest_period
        layout = load_layout(layout_name, session.engine.catalogue)
        against = standards(settings, records, session.engine.catalogue, as_at)
        found = assess_month(session.engine, month, against)
        population = session.engine.populations.for_period(month).in_words
        shown = [k for section in layout.sections for k in section.kpis if not k.from_records]
        months = months_shown(layout, month)
        changed = revisions(
            SnapshotStore(settings.snapshots_dir),
            session.manifest,
            shown,
            session.engine.catalogue,
            session.engine.populations,
            [v for a in found for v in a.series],
            months[0],
            months[-1],
        )
        written = narratives_for(records, str(month))
        summary = qa_summary(records, month.shift(-11).start, month.end, as_at)  # the 12 months
        hidden = (  # the cells the dashboard hides from councillors, hidden here alike
            suppress_snapshot(session.engine, session.latest_period).authority()
            if edition == "public"
            else set()
        )
        context = build_context(
            layout,
            found,
            month,
            edition,
            session.manifest.id,
            session.manifest.as_at,
            population,
            changed,
            written,
            hidden,
            as_at,
            place_in_words(against),
        )
        if layout.qa_tables:
            context = replace(context, qa=qa_tables(summary, edition))
    finally:
        session.close()
    return write_report(context, out)

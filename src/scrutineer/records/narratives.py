"""Analysis and actions, written by people per theme (or report section) and month.

The report prints them under each section; where none is written it says so plainly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from scrutineer.records import models


@dataclass(frozen=True)
class Narrative:
    theme: str
    period: str  # YYYY-MM
    analysis: str
    actions: str
    written_by: str
    written_at: datetime


def write_narrative(
    records: Engine, theme: str, period: str, analysis: str, actions: str, written_by: str
) -> Narrative:
    """Set (or replace) the analysis and actions for a theme and month."""
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    with Session(records) as session, session.begin():
        row = session.scalar(
            select(models.Narrative).where(
                models.Narrative.theme == theme, models.Narrative.period == period
            )
        )
        if row is None:
            row = models.Narrative(theme=theme, period=period)
            session.add(row)
        row.analysis, row.actions, row.written_by, row.written_at = (
            analysis,
            actions,
            written_by,
            now,
        )
    return Narrative(theme, period, analysis, actions, written_by, now)


def narratives_for(records: Engine, period: str) -> dict[str, Narrative]:
    with Session(records) as session:
        rows = session.scalars(
            select(models.Narrative).where(models.Narrative.period == period)
        ).all()
        return {
            r.theme: Narrative(r.theme, r.period, r.analysis, r.actions, r.written_by, r.written_at)
            for r in rows
        }

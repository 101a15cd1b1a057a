"""/inspection: Annex A's summary for the senior team preparing for an inspection, with
the workbook and the summary's PDF to download (admins and analysts: the lists are
child-level, so each download is logged with its rows)."""

from __future__ import annotations

from typing import TypedDict

from scrutineer.calendar import parse_day
from scrutineer.errors import NotShown
from scrutineer.outputs.annex_a import Drawn, draw_annex_a
from scrutineer.outputs.inspection import Summary
from scrutineer.outputs.web.pages.request import PageRequest

MONTHS = 6  # as Ofsted asks


class Listed(TypedDict):
    sheet: str
    title: str
    rows: int


class InspectionPage(TypedDict):
    snapshot: str
    as_at: str
    months: int
    lists: list[Listed]
    summary: Summary


def drawn(p: PageRequest) -> Drawn:
    """Annex A as the page's query asks (`as_at`, `months`), drawn once per snapshot and
    question (a page, then its downloads, draw it once)."""
    manifests = p.cache.manifests()
    if not manifests:
        raise NotShown("No snapshot has been loaded yet.")
    latest = manifests[-1]
    text, months_text = p.query("as_at"), p.query("months")
    as_at = parse_day(text, iso_only=True) if text else latest.as_at
    if as_at is None:
        raise NotShown(f"{text!r} is not a day: write it as YYYY-MM-DD.")
    if months_text is not None and not months_text.isdigit():
        raise NotShown(f"{months_text!r} is not a number of months.")
    months = int(months_text) if months_text else MONTHS
    key = ("inspection", latest.id, as_at.isoformat(), months)
    return p.cache.memo(
        key, lambda: draw_annex_a(p.cache.settings, latest.id, as_at, months, summarised=True)
    )


def inspection(p: PageRequest) -> InspectionPage:
    found = drawn(p)
    assert found.summary is not None
    return {
        "snapshot": found.snapshot,
        "as_at": found.period.end.isoformat(),
        "months": found.period.months,
        "lists": [
            {"sheet": t.annex.sheet, "title": t.annex.title, "rows": len(t.rows)}
            for t in found.tables
        ],
        "summary": found.summary,
    }

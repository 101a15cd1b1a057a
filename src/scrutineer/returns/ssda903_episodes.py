"""A period of care cut into the SSDA903 return's episodes.

A 903 episode is a stretch of care with one placement and one legal status: a period of
care is cut into episodes wherever a placement or a legal status begins. Each episode says
why it began (RNE: S, the period began; P, a new placement; L, a new legal status; B, both
at once; T and U, the same with the child's carers unchanged) and why it ended (REC: X1
when another follows the same day; the period's reason for the last; the reason for a
placement change, unless it is to or from a temporary placement).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from scrutineer.returns.query import Row

TEMPORARY = ("T0", "T1", "T2", "T3", "T4")  # no reason for a change to or from these
RNE_CODES = ("S", "P", "L", "B", "T", "U")
WITH_SAME_CARERS = ("A3", "A5")  # placed for adoption with the child's current foster carers


@dataclass(frozen=True)
class Episode:
    child: str
    period: str  # the period of care (clae_cla_id)
    start: date
    reason_new: str
    legal_status: str | None
    need: str | None
    placement: Row | None
    end: date | None
    reason_ended: str | None
    change_reason: str | None
    home_postcode: str | None


def cut_period(
    period_id: str,
    period: list[Row],
    placements_of: dict[str, list[Row]],
    statuses_of: dict[str, list[Row]],
    home: Callable[[str, date], str | None],
) -> list[Episode]:
    """A period of care (its SSD rows, in order) as 903 episodes: a new one at each placement
    (`placements_of`, by period) or legal status (`statuses_of`, by child) that begins in
    it; `home` gives the child's home postcode on a day."""
    child = period[0]["clae_person_id"]
    entry = min(r["clae_cla_episode_start_date"] for r in period)
    last = period[-1]
    exit_day = last["clae_cla_episode_ceased_date"]
    placements = placements_of.get(period_id, [])
    statuses = [
        s
        for s in statuses_of.get(child, [])
        if s["lega_legal_status_start_date"] < (exit_day or date.max)
        and (s["lega_legal_status_end_date"] is None or s["lega_legal_status_end_date"] > entry)
    ]
    placed = {p["clap_cla_placement_start_date"] for p in placements}
    legal = {s["lega_legal_status_start_date"] for s in statuses}
    starts = sorted({entry} | {d for d in placed | legal if entry < d < (exit_day or date.max)})
    episodes = []
    for index, start in enumerate(starts):
        following = starts[index + 1] if index + 1 < len(starts) else None
        placement = open_on(placements, "clap_cla_placement", start)
        status = open_on(statuses, "lega_legal_status", start)
        next_placement = open_on(placements, "clap_cla_placement", following)
        changes_placement = following is not None and following in placed
        change_reason = None
        if changes_placement and next_placement and placement:
            kinds = (
                placement["clap_cla_placement_type"],
                next_placement["clap_cla_placement_type"],
            )
            if not any(k in TEMPORARY for k in kinds):  # why this placement ended
                change_reason = placement["clap_cla_placement_change_reason"] or "OTHER"
        episodes.append(
            Episode(
                child,
                period_id,
                start,
                _began(period[0])
                if index == 0
                else _reason_new(start in placed, start in legal, placement),
                status["lega_legal_status"] if status else None,
                period[0]["clae_cla_primary_need_code"],
                placement,
                following if following is not None else exit_day,
                "X1" if following is not None else last["clae_cla_episode_ceased_reason"],
                change_reason,
                home(child, start),
            )
        )
    return episodes


def care_spans(episodes: list[Episode]) -> dict[str, list[tuple[date, date | None]]]:
    """Each child's periods of care in the return: from the first episode's start to the
    last's end (episodes come sorted by child and start)."""
    spans: dict[str, dict[str, tuple[date, date | None]]] = {}
    for e in episodes:
        periods = spans.setdefault(e.child, {})
        began = periods[e.period][0] if e.period in periods else e.start
        periods[e.period] = (began, e.end)
    return {child: list(periods.values()) for child, periods in spans.items()}


def _began(first: Row) -> str:
    """How the period's first episode began: S, unless the record is of a period that began
    before it (an imported 903 holds only the year's episodes, and says how each began)."""
    recorded = first.get("clae_cla_episode_start_reason") or "S"
    return recorded if recorded in RNE_CODES else "S"


def _reason_new(placement_changed: bool, legal: bool, placement: Row | None) -> str:
    """P, a new placement; L, a new legal status; B, both. A placement whose carers stay the
    same (placed for adoption with the current foster carers) is T, or U with a new status."""
    if not placement_changed:
        return "L"
    same_carers = placement is not None and placement["clap_cla_placement_type"] in WITH_SAME_CARERS
    if legal:
        return "U" if same_carers else "B"
    return "T" if same_carers else "P"


def open_on(rows: list[Row], prefix: str, day: date | None) -> Row | None:
    """The record open on `day`: begun on or before it and not ended by it."""
    if day is None:
        return None
    found = [
        r
        for r in rows
        if r[f"{prefix}_start_date"] <= day
        and (r[f"{prefix}_end_date"] is None or r[f"{prefix}_end_date"] > day)
    ]
    return found[-1] if found else None

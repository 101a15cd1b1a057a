"""Governance pages: panels and their meetings, a panel's seats, a meeting (agenda,
attendance and quorum, declarations, minutes, resolutions, the recommendations it made and
accepted, its monitoring list), practice reviews with each agency's responses, and the
recommendations tracker. They hold no child-level data: every role reads them; a
scrutiny officer edits, and an item's owner adds its updates (actions/governance.py).
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypedDict

from scrutineer.errors import NotShown
from scrutineer.outputs.report.layouts import layout_names
from scrutineer.outputs.web.pages.request import Page, PageRequest
from scrutineer.records import governance_views as views
from scrutineer.records.governance import (
    OPEN,
    REVIEW_KINDS,
    STATUSES,
    monitoring_list,
    responses,
    statuses_on,
)
from scrutineer.records.governance_views import UpdateView
from scrutineer.records.panels import MEETING_STATUSES, SEAT_KINDS, quorum, sitting


class GovernancePage(TypedDict):
    """/governance: the panels with their members and meetings, and the practice reviews."""

    can_edit: bool
    statuses: list[str]
    reviews: list[Page]
    review_kinds: list[str]
    panels: list[Page]


class Quorum(TypedDict):
    present: int
    needed: int
    met: bool


class MeetingPage(TypedDict):
    """/governance/meetings/ID: a meeting's business and its monitoring list."""

    id: int
    panel: str
    held_on: str
    place: str
    status: str
    minutes: str
    can_edit: bool
    quorum: Quorum
    agenda: list[Page]
    attendance: list[Page]
    seats: list[Page]
    declarations: list[Page]
    agenda_numbers: list[int]
    resolutions: list[Page]
    made: list[Page]
    accepted: list[Page]
    layouts: list[str]
    monitoring: list[Page]


class RecommendationsPage(TypedDict):
    """/governance/recommendations: every recommendation and its status today."""

    statuses: list[str]
    recommendations: list[Page]


class PanelPage(TypedDict):
    """/governance/panels/ID: a panel's seats, past and present."""

    id: int
    name: str
    quorum: int
    terms_of_reference: str
    can_edit: bool
    kinds: list[str]
    seats: list[Page]


class ReviewHead(TypedDict):
    id: int
    name: str
    kind: str
    published_on: str | None
    lead_reviewer: str
    themes: str


class ReviewPage(ReviewHead):
    """/governance/reviews/ID: a review's recommendations and each agency's responses."""

    can_edit: bool
    statuses: list[str]
    today: str
    recommendations: list[Page]


def governance(p: PageRequest) -> GovernancePage:
    viewer, cache = p.viewer, p.cache
    today = date.today()
    all_seats, all_meetings = views.seats(cache.records), views.meetings(cache.records)
    return {
        "can_edit": viewer.can("governance"),
        "statuses": list(MEETING_STATUSES),
        "reviews": [
            {"id": r.id, "name": r.name, "kind": REVIEW_NAMES.get(r.kind, r.kind)}
            for r in views.reviews(cache.records)
        ],
        "review_kinds": list(REVIEW_KINDS),
        "panels": [
            {
                "id": p.id,
                "name": p.name,
                "quorum": p.quorum,
                "terms_of_reference": p.terms_of_reference,
                "members": [
                    {"name": m.name or "(vacant)", "kind": m.kind, "title": m.title}
                    for m in all_seats
                    if m.panel_id == p.id and sitting(m, today)
                ],
                "meetings": [
                    {
                        "id": m.id,
                        "held_on": m.held_on.isoformat(),
                        "place": m.place,
                        "status": m.status,
                    }
                    for m in sorted(all_meetings, key=lambda m: m.held_on, reverse=True)
                    if m.panel_id == p.id
                ],
            }
            for p in views.panels(cache.records)
        ],
    }


def meeting(p: PageRequest) -> MeetingPage:
    viewer, cache, meeting_id = p.viewer, p.cache, p.path("meeting")
    found = views.meeting(cache.records, int(meeting_id)) if meeting_id.isdigit() else None
    if found is None:
        raise NotShown(f"No meeting {meeting_id!r}.")
    panel = views.panel(cache.records, found.panel_id)
    assert panel is not None
    members = {m.id: m for m in views.seats(cache.records)}
    done = views.business(cache.records, found.id)
    agenda, attendance = done.agenda, done.attendance
    held = quorum(cache.records, found.id)
    return {
        "id": found.id,
        "panel": panel.name,
        "held_on": found.held_on.isoformat(),
        "place": found.place,
        "status": found.status,
        "minutes": found.minutes,
        "can_edit": viewer.can("governance"),
        "quorum": {"present": held.present, "needed": held.needed, "met": held.met},
        "agenda": [
            {
                "number": a.number,
                "title": a.title,
                "report": a.report,
                "author_role": a.author_role,
                "report_layout": a.report_layout,
                "report_period": a.report_period,
            }
            for a in agenda
        ],
        "attendance": [
            {"name": members[a.member_id].name or "(vacant)", "present": a.present}
            for a in attendance
        ],
        "seats": [
            {
                "id": m.id,
                "name": m.name or "(vacant)",
                "present": next((a.present for a in attendance if a.member_id == m.id), ""),
            }
            for m in members.values()
            if m.panel_id == found.panel_id
            and m.name is not None
            and (sitting(m, found.held_on) or any(a.member_id == m.id for a in attendance))
        ],
        "declarations": [
            {"name": members[d.member_id].name, "item": d.item_number, "interest": d.interest}
            for d in done.declarations
        ],
        "agenda_numbers": [a.number for a in agenda],
        "resolutions": [
            {"number": r.number, "item": r.item_number, "text": r.text} for r in done.resolutions
        ],
        "made": [{"ref": r.ref, "title": r.title, "owner": r.owner} for r in done.made],
        "accepted": [{"ref": r.ref, "title": r.title, "owner": r.owner} for r in done.accepted],
        "layouts": layout_names(),
        "monitoring": [_item(i) for i in monitoring_list(cache.records, found.id)],
    }


def recommendations(p: PageRequest) -> RecommendationsPage:
    """Every recommendation with its status today, open ones first."""
    viewer, cache = p.viewer, p.cache
    today = date.today()
    statuses = statuses_on(cache.records, today)
    found = sorted(views.recommendations(cache.records), key=lambda r: r.made_on)
    meetings = {m.id: m.held_on for m in views.meetings(cache.records)}
    items: list[dict[str, Any]] = [
        {
            "ref": r.ref,
            "title": r.title,
            "owner": r.owner,
            "made_on": r.made_on.isoformat(),
            "due_on": r.due_on.isoformat() if r.due_on else None,
            "status": statuses[r.ref],
            "accepted_on": meetings[r.accepted_at].isoformat() if r.accepted_at else None,
        }
        for r in found
    ]
    for item in items:
        item["overdue"] = item["status"] in OPEN and bool(
            item["due_on"] and item["due_on"] < today.isoformat()
        )
        item["can_update"] = viewer.can("governance") or item["owner"] == viewer.user.display_name
    items.sort(
        key=lambda i: (i["accepted_on"] is not None, i["status"] == "rejected", i["made_on"])
    )
    return {"statuses": list(STATUSES), "recommendations": items}


def _item(item: Any) -> Page:
    return {
        "ref": item.ref,
        "origin": item.origin,
        "title": item.title,
        "owner": item.owner,
        "due_on": item.due_on.isoformat() if item.due_on else None,
        "status": item.status,
        "overdue": item.overdue,
        "accepted_here": item.accepted_here,
        "actions_taken": [[on.isoformat(), text] for on, text in item.actions_taken],
    }


def panel(p: PageRequest) -> PanelPage:
    """A panel's seats, past and present (a vacant seat shows as vacant)."""
    viewer, cache, panel_id = p.viewer, p.cache, p.path("panel")
    today = date.today()
    found = views.panel(cache.records, int(panel_id)) if panel_id.isdigit() else None
    if found is None:
        raise NotShown(f"No panel {panel_id!r}.")
    seats = sorted(
        (m for m in views.seats(cache.records) if m.panel_id == found.id),
        key=lambda m: (m.starts, m.id),
    )
    return {
        "id": found.id,
        "name": found.name,
        "quorum": found.quorum,
        "terms_of_reference": found.terms_of_reference,
        "can_edit": viewer.can("governance"),
        "kinds": list(SEAT_KINDS),
        "seats": [
            {
                "id": m.id,
                "name": m.name or "(vacant)",
                "kind": m.kind,
                "title": m.title,
                "starts": m.starts.isoformat(),
                "ends": m.ends.isoformat() if m.ends else None,
                "sitting": sitting(m, today),
            }
            for m in seats
        ],
    }


REVIEW_NAMES = {
    "scr": "Serious case review",
    "cspr": "Child safeguarding practice review",
    "inspection": "Inspection",
    "thematic": "Thematic review",
}


def review(p: PageRequest) -> ReviewPage:
    """A practice review, its numbered recommendations and each agency's responses."""
    viewer, cache, review_id = p.viewer, p.cache, p.path("review")
    today = date.today()
    found = views.review(cache.records, int(review_id)) if review_id.isdigit() else None
    if found is None:
        raise NotShown(f"No review {review_id!r}.")
    made = [r for r in views.recommendations(cache.records) if r.review_id == found.id]
    items: list[dict[str, Any]] = sorted(
        (
            {
                "ref": r.ref,
                "number": r.number,
                "title": r.title,
                "action_proposed": r.action_proposed,
                "owner": r.owner,
                "due_on": r.due_on.isoformat() if r.due_on else None,
                "made_on": r.made_on.isoformat(),
            }
            for r in made
        ),
        key=lambda i: (int(i["number"]) if i["number"].isdigit() else 0, i["number"]),
    )
    head: ReviewHead = {
        "id": found.id,
        "name": found.name,
        "kind": REVIEW_NAMES.get(found.kind, found.kind),
        "published_on": found.published_on.isoformat() if found.published_on else None,
        "lead_reviewer": found.lead_reviewer,
        "themes": found.themes,
    }
    answered = responses(cache.records, found.id)
    for item in items:  # the status the latest update to today left (outstanding if none)
        so_far = [u for u in answered.get(item["ref"], []) if u.on <= today]
        item["status"] = so_far[-1].status if so_far else "outstanding"
        item["overdue"] = item["status"] in OPEN and bool(
            item["due_on"] and item["due_on"] < today.isoformat()
        )
        item["can_update"] = viewer.can("governance") or item["owner"] == viewer.user.display_name
        item["agencies"] = _by_agency(answered.get(item["ref"], []))
    return {
        **head,
        "can_edit": viewer.can("governance"),
        "statuses": list(STATUSES),
        "today": today.isoformat(),
        "recommendations": items,
    }


def _by_agency(updates: list[UpdateView]) -> list[Page]:
    """Each agency's responses, oldest first, and the status its latest leaves."""
    agencies: dict[str, list[UpdateView]] = {}
    for u in updates:
        agencies.setdefault(u.agency or "(no agency named)", []).append(u)
    return [
        {
            "agency": agency,
            "status": found[-1].status,
            "responses": [[u.on.isoformat(), u.action_taken, u.status] for u in found],
        }
        for agency, found in sorted(agencies.items())
    ]

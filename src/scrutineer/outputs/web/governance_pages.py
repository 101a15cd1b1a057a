"""Governance pages: panels and their meetings, a meeting (agenda, attendance and quorum,
declarations, resolutions, the recommendations it made and accepted, its monitoring list)
and the recommendations tracker. They hold no child-level data: every role reads them; a
scrutiny officer edits, and an item's owner adds its updates (governance_forms.py).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scrutineer.outputs.web.access import Viewer
from scrutineer.outputs.web.figures import Figures
from scrutineer.outputs.web.pages import NotShown, Page
from scrutineer.records import models
from scrutineer.records.governance import (
    MEETING_STATUSES,
    STATUSES,
    monitoring_list,
    quorum,
    statuses_on,
)


def governance(viewer: Viewer, cache: Figures) -> Page:
    today = date.today()
    with Session(cache.records) as session:
        panels = session.scalars(select(models.Panel).order_by(models.Panel.name)).all()
        return {
            "can_edit": viewer.can("governance"),
            "statuses": list(MEETING_STATUSES),
            "panels": [
                {
                    "id": p.id,
                    "name": p.name,
                    "quorum": p.quorum,
                    "terms_of_reference": p.terms_of_reference,
                    "members": [
                        {"name": m.name or "(vacant)", "kind": m.kind, "title": m.title}
                        for m in session.scalars(
                            select(models.PanelMember).where(models.PanelMember.panel_id == p.id)
                        )
                        if m.starts <= today and (m.ends is None or m.ends >= today)
                    ],
                    "meetings": [
                        {
                            "id": m.id,
                            "held_on": m.held_on.isoformat(),
                            "place": m.place,
                            "status": m.status,
                        }
                        for m in session.scalars(
                            select(models.Meeting)
                            .where(models.Meeting.panel_id == p.id)
                            .order_by(models.Meeting.held_on.desc())
                        )
                    ],
                }
                for p in panels
            ],
        }


def meeting(viewer: Viewer, cache: Figures, meeting_id: str) -> Page:
    if not meeting_id.isdigit():
        raise NotShown(f"No meeting {meeting_id!r}.")
    with Session(cache.records) as session:
        found = session.get(models.Meeting, int(meeting_id))
        if found is None:
            raise NotShown(f"No meeting {meeting_id!r}.")
        panel = session.get(models.Panel, found.panel_id)
        assert panel is not None
        members = {m.id: m for m in session.scalars(select(models.PanelMember))}
        agenda = session.scalars(
            select(models.AgendaItem)
            .where(models.AgendaItem.meeting_id == found.id)
            .order_by(models.AgendaItem.number)
        ).all()
        attendance = session.scalars(
            select(models.Attendance).where(models.Attendance.meeting_id == found.id)
        ).all()
        declarations = session.scalars(
            select(models.Declaration).where(models.Declaration.meeting_id == found.id)
        ).all()
        resolutions = session.scalars(
            select(models.Resolution)
            .where(models.Resolution.meeting_id == found.id)
            .order_by(models.Resolution.number)
        ).all()
        made = session.scalars(
            select(models.Recommendation).where(models.Recommendation.meeting_id == found.id)
        ).all()
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
                if m.panel_id == found.panel_id and m.name is not None
            ],
            "declarations": [
                {"name": members[d.member_id].name, "item": d.item_number, "interest": d.interest}
                for d in declarations
            ],
            "resolutions": [
                {"number": r.number, "item": r.item_number, "text": r.text} for r in resolutions
            ],
            "made": [{"ref": r.ref, "title": r.title, "owner": r.owner} for r in made],
            "monitoring": [_item(i) for i in monitoring_list(cache.records, found.id)],
        }


def recommendations(viewer: Viewer, cache: Figures) -> Page:
    """Every recommendation with its status today, open ones first."""
    today = date.today()
    statuses = statuses_on(cache.records, today)
    with Session(cache.records) as session:
        found = session.scalars(
            select(models.Recommendation).order_by(models.Recommendation.made_on)
        ).all()
        meetings = {m.id: m.held_on for m in session.scalars(select(models.Meeting))}
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
        item["overdue"] = item["status"] in ("outstanding", "partially_complete") and bool(
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

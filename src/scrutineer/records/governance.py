"""Recommendations tracked from meeting to meeting until the panel accepts them as done.

The rules (BRIEF.md §5), worked out from the record rather than from flags people set:

- an item is on a meeting's monitoring list once it was made before that meeting;
- outstanding and partially complete items stay on it;
- an item reported complete stays until a meeting records the panel's acceptance: it is on
  the list of the meeting that accepts it, and off the lists after;
- a rejected item is reported once - on the list of the first meeting held on or after its
  rejection - and then leaves;
- an item is overdue when it is not complete or rejected and its due date has passed.

A status is the one set by the latest dated update on or before the meeting's day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from scrutineer.errors import ScrutineerError
from scrutineer.records import models

STATUSES = ("outstanding", "partially_complete", "complete", "rejected")
OPEN = ("outstanding", "partially_complete")


class GovernanceInvalid(ScrutineerError):
    pass


@dataclass(frozen=True)
class Item:
    """A recommendation as a meeting's monitoring report shows it."""

    ref: str
    origin: str  # "Meeting of 12 March 2026" or the practice review's name
    origin_order: tuple[int, str]  # meetings first, oldest first; then reviews by name
    number: str
    title: str
    action_proposed: str
    owner: str
    due_on: date | None
    status: str
    actions_taken: tuple[tuple[date, str], ...]
    overdue: bool
    accepted_here: bool


@dataclass(frozen=True)
class Quorum:
    present: int
    needed: int

    @property
    def met(self) -> bool:
        return self.present >= self.needed


def monitoring_list(records: Engine, meeting_id: int) -> list[Item]:
    """Every recommendation on the meeting's monitoring list, by origin then number."""
    with Session(records) as session:
        meeting = _meeting(session, meeting_id)
        day = meeting.held_on
        held = sorted(
            m.held_on
            for m in session.scalars(
                select(models.Meeting).where(
                    models.Meeting.panel_id == meeting.panel_id,
                    models.Meeting.status != "cancelled",
                )
            )
        )
        meetings = {m.id: m for m in session.scalars(select(models.Meeting))}
        reviews = {r.id: r.name for r in session.scalars(select(models.PracticeReview))}
        items = []
        recommendations = session.scalars(
            select(models.Recommendation).where(models.Recommendation.made_on < day)
        ).all()
        for rec in recommendations:
            updates = _updates_to(session, rec, day)
            status, since = (
                (updates[-1].status, updates[-1].on) if updates else ("outstanding", rec.made_on)
            )
            accepted = meetings[rec.accepted_at].held_on if rec.accepted_at else None
            if not _on_list(status, since, accepted, day, held):
                continue
            origin, order = _origin(rec, meetings, reviews)
            items.append(
                Item(
                    rec.ref,
                    origin,
                    order,
                    rec.number,
                    rec.title,
                    rec.action_proposed,
                    rec.owner,
                    rec.due_on,
                    status,
                    tuple((u.on, u.action_taken) for u in updates if u.action_taken),
                    status in OPEN and rec.due_on is not None and rec.due_on < day,
                    accepted == day,
                )
            )
    return sorted(items, key=lambda i: (i.origin_order, _numbered(i.number), i.ref))


def _numbered(number: str) -> tuple[int, str]:
    """Recommendation 2 before 10."""
    return (int(number), "") if number.isdigit() else (0, number)


def _origin(
    rec: models.Recommendation, meetings: dict[int, models.Meeting], reviews: dict[int, str]
) -> tuple[str, tuple[int, str]]:
    if rec.review_id:
        return reviews[rec.review_id], (1, reviews[rec.review_id])
    if rec.meeting_id:
        held = meetings[rec.meeting_id].held_on
        return f"Meeting of {held:%d %B %Y}", (0, held.isoformat())
    return "Other", (2, "")


def _on_list(status: str, since: date, accepted: date | None, day: date, held: list[date]) -> bool:
    if status in OPEN:
        return True
    if status == "complete":
        return accepted is None or accepted >= day
    # rejected: reported at the first meeting held on or after the rejection, then gone
    return not any(since <= when < day for when in held)


def update(
    records: Engine, ref: str, on: date, action_taken: str, status: str, by: str, agency: str = ""
) -> None:
    """A dated update of the action taken, leaving the item in `status`."""
    if status not in STATUSES:
        raise GovernanceInvalid(f"Status {status!r} is not one of {', '.join(STATUSES)}.")
    with Session(records) as session, session.begin():
        rec = _recommendation(session, ref)
        if on < rec.made_on:
            raise GovernanceInvalid(
                f"{ref} was made on {rec.made_on}: an update cannot be earlier."
            )
        session.add(
            models.RecommendationUpdate(
                recommendation_id=rec.id,
                on=on,
                action_taken=action_taken,
                status=status,
                agency=agency,
                by=by,
            )
        )


def accept(records: Engine, ref: str, meeting_id: int) -> None:
    """Record the panel's acceptance, at a meeting, that a completed item is done."""
    with Session(records) as session, session.begin():
        rec = _recommendation(session, ref)
        meeting = _meeting(session, meeting_id)
        updates = _updates_to(session, rec, meeting.held_on)
        if not updates or updates[-1].status != "complete":
            raise GovernanceInvalid(
                f"{ref} is not reported complete by {meeting.held_on:%d %B %Y}: record an update "
                "with status complete first."
            )
        rec.accepted_at = meeting.id


def quorum(records: Engine, meeting_id: int) -> Quorum:
    """Members present (of those sitting on the day; vacant seats never count)."""
    with Session(records) as session:
        meeting = _meeting(session, meeting_id)
        panel = session.get(models.Panel, meeting.panel_id)
        assert panel is not None
        present = session.scalars(
            select(models.PanelMember)
            .join(models.Attendance, models.Attendance.member_id == models.PanelMember.id)
            .where(
                models.Attendance.meeting_id == meeting.id,
                models.Attendance.present == "present",
                models.PanelMember.kind != "officer",
                models.PanelMember.name.is_not(None),
            )
        ).all()
        return Quorum(len(present), panel.quorum)


def find_meeting(records: Engine, on: date, panel: str | None = None) -> int:
    """The meeting held on a day (of the panel named, where several panels met that day)."""
    with Session(records) as session:
        query = (
            select(models.Meeting.id, models.Panel.name)
            .join(models.Panel, models.Panel.id == models.Meeting.panel_id)
            .where(models.Meeting.held_on == on)
        )
        found = [(i, name) for i, name in session.execute(query) if panel in (None, name)]
    if len(found) != 1:
        which = f" of {panel}" if panel else ""
        hint = " Name the panel with --panel." if len(found) > 1 else ""
        raise GovernanceInvalid(f"{len(found)} meetings{which} on {on:%d %B %Y}.{hint}")
    return int(found[0][0])


def _updates_to(
    session: Session, rec: models.Recommendation, day: date
) -> list[models.RecommendationUpdate]:
    """The item's updates on or before `day`, in order: the last sets its status."""
    return list(
        session.scalars(
            select(models.RecommendationUpdate)
            .where(
                models.RecommendationUpdate.recommendation_id == rec.id,
                models.RecommendationUpdate.on <= day,
            )
            .order_by(models.RecommendationUpdate.on, models.RecommendationUpdate.id)
        )
    )


def _meeting(session: Session, meeting_id: int) -> models.Meeting:
    meeting = session.get(models.Meeting, meeting_id)
    if meeting is None:
        raise GovernanceInvalid(f"No meeting {meeting_id}.")
    return meeting


def _recommendation(session: Session, ref: str) -> models.Recommendation:
    rec = session.scalar(select(models.Recommendation).where(models.Recommendation.ref == ref))
    if rec is None:
        raise GovernanceInvalid(f"No recommendation {ref!r}.")
    return rec


MEETING_STATUSES = ("scheduled", "held", "consultation", "cancelled")


def add_meeting(records: Engine, panel_id: int, held_on: date, place: str, status: str) -> int:
    if status not in MEETING_STATUSES:
        raise GovernanceInvalid(f"Status {status!r} is not one of {', '.join(MEETING_STATUSES)}.")
    with Session(records) as session, session.begin():
        if session.get(models.Panel, panel_id) is None:
            raise GovernanceInvalid(f"No panel {panel_id}.")
        meeting = models.Meeting(
            panel_id=panel_id, held_on=held_on, place=place, status=status, minutes=""
        )
        session.add(meeting)
        session.flush()
        return meeting.id


def add_resolution(
    records: Engine,
    meeting_id: int,
    text: str,
    item_number: int | None = None,
    recommendation: dict[str, str] | None = None,
) -> str | None:
    """A resolution of the meeting; with `recommendation` (title, action_proposed, owner,
    due_on) also the recommendation it makes. Returns the recommendation's reference."""
    if not text.strip():
        raise GovernanceInvalid("A resolution needs its text.")
    with Session(records) as session, session.begin():
        meeting = _meeting(session, meeting_id)
        number = 1 + len(
            session.scalars(
                select(models.Resolution.id).where(models.Resolution.meeting_id == meeting.id)
            ).all()
        )
        resolution = models.Resolution(
            meeting_id=meeting.id, item_number=item_number, number=number, text=text.strip()
        )
        session.add(resolution)
        session.flush()
        if not recommendation:
            return None
        missing = [k for k in ("title", "action_proposed", "owner") if not recommendation.get(k)]
        if missing:
            raise GovernanceInvalid(f"A recommendation needs its {', '.join(missing)}.")
        ref = f"P{meeting.held_on:%Y%m%d}-{number}"
        due = recommendation.get("due_on") or None
        session.add(
            models.Recommendation(
                ref=ref,
                made_on=meeting.held_on,
                meeting_id=meeting.id,
                resolution_id=resolution.id,
                number=str(number),
                title=recommendation["title"],
                action_proposed=recommendation["action_proposed"],
                owner=recommendation["owner"],
                due_on=date.fromisoformat(due) if due else None,
            )
        )
        return ref


def statuses_on(records: Engine, day: date) -> dict[str, str]:
    """Every recommendation's status on a day (the latest update's, else outstanding)."""
    with Session(records) as session:
        return {
            rec.ref: (updates[-1].status if updates else "outstanding")
            for rec in session.scalars(select(models.Recommendation))
            for updates in [_updates_to(session, rec, day)]
        }


def owner_of(records: Engine, ref: str) -> str:
    with Session(records) as session:
        return _recommendation(session, ref).owner


PRESENCE = ("present", "apologies", "absent")


def add_agenda_item(
    records: Engine, meeting_id: int, title: str, report: str = "", author_role: str = ""
) -> int:
    """The next numbered item of the meeting's agenda; returns its number."""
    if not title.strip():
        raise GovernanceInvalid("An agenda item needs a title.")
    with Session(records) as session, session.begin():
        meeting = _meeting(session, meeting_id)
        numbers = session.scalars(
            select(models.AgendaItem.number).where(models.AgendaItem.meeting_id == meeting.id)
        ).all()
        number = max(numbers, default=0) + 1
        session.add(
            models.AgendaItem(
                meeting_id=meeting.id,
                number=number,
                title=title.strip(),
                report=report.strip(),
                author_role=author_role.strip(),
            )
        )
        return number


def record_attendance(records: Engine, meeting_id: int, presence: dict[int, str]) -> None:
    """Who came ({seat id: present, apologies or absent}), replacing what was recorded."""
    wrong = sorted(set(presence.values()) - set(PRESENCE))
    if wrong:
        raise GovernanceInvalid(f"{', '.join(wrong)} is not one of {', '.join(PRESENCE)}.")
    with Session(records) as session, session.begin():
        meeting = _meeting(session, meeting_id)
        seats = {
            m.id
            for m in session.scalars(
                select(models.PanelMember).where(models.PanelMember.panel_id == meeting.panel_id)
            )
        }
        if set(presence) - seats:
            raise GovernanceInvalid("Attendance names a seat that is not on this panel.")
        for row in session.scalars(
            select(models.Attendance).where(models.Attendance.meeting_id == meeting.id)
        ):
            session.delete(row)
        session.flush()
        session.add_all(
            models.Attendance(meeting_id=meeting.id, member_id=seat, present=came)
            for seat, came in presence.items()
        )

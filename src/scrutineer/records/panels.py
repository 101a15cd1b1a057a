"""Panels, their seats and their meetings: agenda, attendance (and so the quorum),
declarations of interest and minutes. What meetings resolve and recommend, and the tracker,
are in governance.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from scrutineer.calendar import Period
from scrutineer.errors import ScrutineerError
from scrutineer.records import models
from scrutineer.records.governance_files import GOVERNANCE

MEETING_STATUSES = GOVERNANCE.codes["meeting_status"]  # as governance_files.yaml lists them
PRESENCE = GOVERNANCE.codes["presence"]
SEAT_KINDS = GOVERNANCE.codes["seat_kind"]


class GovernanceInvalid(ScrutineerError):
    pass


@dataclass(frozen=True)
class Quorum:
    present: int
    needed: int

    @property
    def met(self) -> bool:
        return self.present >= self.needed


def add_panel(records: Engine, name: str, quorum: int, terms_of_reference: str = "") -> int:
    if not name.strip():
        raise GovernanceInvalid("A panel needs a name.")
    if quorum < 1:
        raise GovernanceInvalid("A panel's quorum is at least 1 member.")
    with Session(records) as session, session.begin():
        if session.scalar(select(models.Panel.id).where(models.Panel.name == name.strip())):
            raise GovernanceInvalid(f"There is a panel called {name.strip()!r} already.")
        panel = models.Panel(
            name=name.strip(), quorum=quorum, terms_of_reference=terms_of_reference.strip()
        )
        session.add(panel)
        session.flush()
        return panel.id


def add_seat(
    records: Engine,
    panel_id: int,
    name: str | None,
    kind: str,
    starts: date,
    title: str = "",
    ends: date | None = None,
) -> int:
    """A seat on the panel from `starts`: a member named, or vacant (no name)."""
    if kind not in SEAT_KINDS:
        raise GovernanceInvalid(f"{kind!r} is not one of {', '.join(SEAT_KINDS)}.")
    if ends is not None and ends < starts:
        raise GovernanceInvalid("A seat cannot end before it starts.")
    with Session(records) as session, session.begin():
        if session.get(models.Panel, panel_id) is None:
            raise GovernanceInvalid(f"No panel {panel_id}.")
        seat = models.PanelMember(
            panel_id=panel_id,
            name=(name or "").strip() or None,
            kind=kind,
            title=title.strip(),
            starts=starts,
            ends=ends,
        )
        session.add(seat)
        session.flush()
        return seat.id


def end_seat(records: Engine, seat_id: int, ends: date) -> None:
    """The member leaves (or the vacancy closes) on `ends`; their attendance stays."""
    with Session(records) as session, session.begin():
        seat = session.get(models.PanelMember, seat_id)
        if seat is None:
            raise GovernanceInvalid(f"No seat {seat_id}.")
        if ends < seat.starts:
            raise GovernanceInvalid(f"The seat began on {seat.starts}: it cannot end before.")
        seat.ends = ends


class Sits(Protocol):
    @property
    def starts(self) -> date: ...

    @property
    def ends(self) -> date | None: ...


def sitting(seat: Sits, day: date) -> bool:
    """The seat is held (or vacant) on `day`: a stored seat or its view alike."""
    return seat.starts <= day and (seat.ends is None or seat.ends >= day)


def quorum(records: Engine, meeting_id: int) -> Quorum:
    """Members present (of those sitting on the day; vacant seats never count)."""
    with Session(records) as session:
        meeting = meeting_of(session, meeting_id)
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


def meeting_of(session: Session, meeting_id: int) -> models.Meeting:
    meeting = session.get(models.Meeting, meeting_id)
    if meeting is None:
        raise GovernanceInvalid(f"No meeting {meeting_id}.")
    return meeting


def add_meeting(records: Engine, panel_id: int, held_on: date, place: str, status: str) -> int:
    if status not in MEETING_STATUSES:
        raise GovernanceInvalid(f"Status {status!r} is not one of {', '.join(MEETING_STATUSES)}.")
    with Session(records) as session, session.begin():
        if session.get(models.Panel, panel_id) is None:
            raise GovernanceInvalid(f"No panel {panel_id}.")
        taken = session.scalar(
            select(models.Meeting.id).where(
                models.Meeting.panel_id == panel_id, models.Meeting.held_on == held_on
            )
        )
        if taken:
            raise GovernanceInvalid(f"The panel has a meeting on {held_on:%d %B %Y} already.")
        meeting = models.Meeting(
            panel_id=panel_id, held_on=held_on, place=place, status=status, minutes=""
        )
        session.add(meeting)
        session.flush()
        return meeting.id


def add_agenda_item(
    records: Engine,
    meeting_id: int,
    title: str,
    report: str = "",
    author_role: str = "",
    performance_report: tuple[str, Period] | None = None,
) -> int:
    """The next numbered item of the meeting's agenda, with the performance report (layout,
    month) it presents if any; returns its number."""
    if not title.strip():
        raise GovernanceInvalid("An agenda item needs a title.")
    with Session(records) as session, session.begin():
        meeting = meeting_of(session, meeting_id)
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
                report_layout=performance_report[0] if performance_report else None,
                report_period=str(performance_report[1]) if performance_report else None,
            )
        )
        return number


def agenda_paper(records: Engine, meeting_id: int, number: int) -> tuple[str, str, date] | None:
    """The performance report (layout, month) an agenda item presents, and the meeting's
    day; None when the item presents none."""
    with Session(records) as session:
        found = session.execute(
            select(models.AgendaItem, models.Meeting.held_on)
            .join(models.Meeting, models.Meeting.id == models.AgendaItem.meeting_id)
            .where(models.AgendaItem.meeting_id == meeting_id, models.AgendaItem.number == number)
        ).first()
    if found is None or not found[0].report_layout or not found[0].report_period:
        return None
    return found[0].report_layout, found[0].report_period, found[1]


def record_attendance(records: Engine, meeting_id: int, presence: dict[int, str]) -> None:
    """Who came ({seat id: present, apologies or absent}), replacing what was recorded."""
    wrong = sorted(set(presence.values()) - set(PRESENCE))
    if wrong:
        raise GovernanceInvalid(f"{', '.join(wrong)} is not one of {', '.join(PRESENCE)}.")
    with Session(records) as session, session.begin():
        meeting = meeting_of(session, meeting_id)
        seats = _seats(session, meeting)
        if set(presence) - set(seats):
            raise GovernanceInvalid("Attendance names a seat that is not on this panel.")
        if any(seats[s].name is None for s in presence):
            raise GovernanceInvalid("A vacant seat has no one to attend.")
        for row in session.scalars(
            select(models.Attendance).where(models.Attendance.meeting_id == meeting.id)
        ):
            session.delete(row)
        session.flush()
        session.add_all(
            models.Attendance(meeting_id=meeting.id, member_id=seat, present=came)
            for seat, came in presence.items()
        )


def add_declaration(
    records: Engine, meeting_id: int, seat_id: int, interest: str, item_number: int | None
) -> None:
    """A member's declaration of interest at the meeting (in an agenda item, or generally)."""
    if not interest.strip():
        raise GovernanceInvalid("A declaration needs the interest declared.")
    with Session(records) as session, session.begin():
        meeting = meeting_of(session, meeting_id)
        seat = _seats(session, meeting).get(seat_id)
        if seat is None or seat.name is None:
            raise GovernanceInvalid("A declaration is made by a member of this panel.")
        if item_number is not None and not session.scalar(
            select(models.AgendaItem.id).where(
                models.AgendaItem.meeting_id == meeting.id,
                models.AgendaItem.number == item_number,
            )
        ):
            raise GovernanceInvalid(f"The meeting's agenda has no item {item_number}.")
        session.add(
            models.Declaration(
                meeting_id=meeting.id,
                member_id=seat.id,
                item_number=item_number,
                interest=interest.strip(),
            )
        )


def set_minutes(records: Engine, meeting_id: int, minutes: str) -> None:
    """The meeting's minutes (replacing the draft, if there was one)."""
    with Session(records) as session, session.begin():
        meeting_of(session, meeting_id).minutes = minutes.strip()


def _seats(session: Session, meeting: models.Meeting) -> dict[int, models.PanelMember]:
    return {
        m.id: m
        for m in session.scalars(
            select(models.PanelMember).where(models.PanelMember.panel_id == meeting.panel_id)
        )
    }

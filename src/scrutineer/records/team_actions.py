"""The actions a team manager's assurance clinic agrees: for a team of their service (or the
whole service) and the clinic's month, with an owner and a due date, followed up at the next
clinic (open, done or dropped). Every change is kept in record_changes, with who and when."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from scrutineer.errors import ScrutineerError
from scrutineer.records import models

STATUSES = ("open", "done", "dropped")
RECORD_TYPE = "team_actions"  # as record_changes names them


class TeamActionInvalid(ScrutineerError):
    """An action that cannot be recorded as given."""


@dataclass(frozen=True)
class TeamAction:
    id: int
    service_id: str
    team_id: str  # "": the whole service
    period: str
    action: str
    owner: str
    due_on: date | None
    status: str
    written_by: str


def add_action(
    records: Engine,
    service_id: str,
    team_id: str,
    period: str,
    action: str,
    owner: str,
    due_on: date | None,
    by: str,
) -> TeamAction:
    """A new open action of the clinic of `period`."""
    if not action.strip():
        raise TeamActionInvalid("Action: write what was agreed.")
    if not owner.strip():
        raise TeamActionInvalid("Owner: name who will do it.")
    now = _now()
    with Session(records) as session, session.begin():
        row = models.TeamAction(
            service_id=service_id,
            team_id=team_id,
            period=period,
            action=action.strip(),
            owner=owner.strip(),
            due_on=due_on,
            status="open",
            written_by=by,
            written_at=now,
        )
        session.add(row)
        session.flush()
        made = _view(row)
        _kept(session, made, None, by, now)
    return made


def set_status(records: Engine, action_id: int, status: str, by: str) -> TeamAction:
    """The action marked open, done or dropped."""
    if status not in STATUSES:
        raise TeamActionInvalid(f"Status: one of {', '.join(STATUSES)}, not {status!r}.")
    now = _now()
    with Session(records) as session, session.begin():
        row = session.get(models.TeamAction, action_id)
        if row is None:
            raise TeamActionInvalid(f"No action {action_id}.")
        before = _view(row)
        row.status = status
        after = _view(row)
        _kept(session, after, before, by, now)
    return after


def action_of(records: Engine, action_id: int) -> TeamAction | None:
    with Session(records) as session:
        row = session.get(models.TeamAction, action_id)
        return _view(row) if row is not None else None


def actions_of(records: Engine, service_id: str, period: str) -> list[TeamAction]:
    """The actions the service's clinic of `period` agreed, in the order they were written."""
    with Session(records) as session:
        rows = session.scalars(
            select(models.TeamAction)
            .where(models.TeamAction.service_id == service_id, models.TeamAction.period == period)
            .order_by(models.TeamAction.id)
        ).all()
        return [_view(r) for r in rows]


def _view(row: models.TeamAction) -> TeamAction:
    return TeamAction(
        row.id,
        row.service_id,
        row.team_id,
        row.period,
        row.action,
        row.owner,
        row.due_on,
        row.status,
        row.written_by,
    )


def _kept(
    session: Session, after: TeamAction, before: TeamAction | None, by: str, at: datetime
) -> None:
    session.add(
        models.RecordChange(
            record_type=RECORD_TYPE,
            record_key=str(after.id),
            action="created" if before is None else "replaced",
            changed_by=by,
            changed_at=at,
            before=None if before is None else json.dumps(asdict(before), default=str),
            after=json.dumps(asdict(after), default=str),
        )
    )


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)

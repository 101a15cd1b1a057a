"""The access log: every view of child-level data, who and when and what (a description of
the list shown, never a child's details)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from scrutineer.records import models


@dataclass(frozen=True)
class Access:
    at: datetime
    username: str
    action: str
    subject: str


def log_access(records: Engine, username: str, action: str, subject: str) -> None:
    with Session(records) as session, session.begin():
        user_id = session.scalar(select(models.User.id).where(models.User.username == username))
        session.add(
            models.AccessLog(
                at=datetime.now(UTC).replace(tzinfo=None),
                user_id=user_id,
                action=action,
                subject=subject[:200],
            )
        )


def recent_access(records: Engine, limit: int = 200) -> list[Access]:
    """The latest views of child-level data, newest first."""
    with Session(records) as session:
        rows = session.execute(
            select(models.AccessLog, models.User.username)
            .outerjoin(models.User, models.User.id == models.AccessLog.user_id)
            .order_by(models.AccessLog.id.desc())
            .limit(limit)
        ).all()
        return [Access(a.at, name or "(unknown)", a.action, a.subject) for a, name in rows]

"""The access log: every view of child-level data, who and when and what (a description of
the list shown, never a child's details), on the web and from the command line; every
refusal of one; and every purge, which is itself kept."""

from __future__ import annotations

import csv
import getpass
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Engine, delete, func, select
from sqlalchemy.orm import Session

from scrutineer.cells import safe_cell
from scrutineer.records import models


@dataclass(frozen=True)
class Access:
    at: datetime
    username: str
    action: str
    subject: str


def log_access(records: Engine, username: str, action: str, subject: str) -> None:
    """A view by a signed-in user (`username`), or, with no such user, by who ran the
    command on the server (their login name, as `cli:NAME`)."""
    with Session(records) as session, session.begin():
        user_id = session.scalar(select(models.User.id).where(models.User.username == username))
        session.add(
            models.AccessLog(
                at=_now(),
                user_id=user_id,
                action=action,
                subject=subject[:200],
                who="" if user_id else (username or command_user())[:80],
            )
        )


def command_user() -> str:
    """Who runs a command on the server, as the access log names them."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no login name in a container without a passwd entry
        return "cli:(unknown)"


def recent_access(records: Engine, limit: int = 200) -> list[Access]:
    """The latest views of child-level data, newest first."""
    return _access(records, limit=limit)


def access_since(records: Engine, since: datetime | None = None) -> list[Access]:
    """Every entry from `since` (all if None), oldest first."""
    return list(reversed(_access(records, since=since)))


def access_csv(records: Engine, since: datetime | None = None) -> str:
    """The access log as CSV (when, who, what, which list), for an information-governance
    officer; a cell that would start a spreadsheet formula is written as text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("at", "who", "action", "subject"))
    for entry in access_since(records, since):
        cells = (entry.at.isoformat(timespec="seconds"), entry.username)
        writer.writerow(safe_cell(c) for c in (*cells, entry.action, entry.subject))
    return out.getvalue()


def purge_access(records: Engine, before: datetime, dry_run: bool = False) -> int:
    """Delete the entries before `before` (with `dry_run`, only count them); how many."""
    older = models.AccessLog.at < before
    with Session(records) as session, session.begin():
        if dry_run:
            return int(session.scalar(select(func.count()).where(older)) or 0)
        deleted = cast(CursorResult[Any], session.execute(delete(models.AccessLog).where(older)))
        return int(deleted.rowcount)


def _access(
    records: Engine, limit: int | None = None, since: datetime | None = None
) -> list[Access]:
    query = (
        select(models.AccessLog, models.User.username)
        .outerjoin(models.User, models.User.id == models.AccessLog.user_id)
        .order_by(models.AccessLog.id.desc())
    )
    if since is not None:
        query = query.where(models.AccessLog.at >= since)
    if limit is not None:
        query = query.limit(limit)
    with Session(records) as session:
        rows = session.execute(query).all()
        return [Access(a.at, name or a.who or "(unknown)", a.action, a.subject) for a, name in rows]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)

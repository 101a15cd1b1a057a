"""Signed-in web sessions, kept in the records store.

The browser's cookie holds a random token; the store keeps only its SHA-256, the user and a
CSRF token for that session's forms. A session ends when it expires, when it has not been
used for IDLE, when its user signs out, or when the user is disabled or locked (checked on
every request). Its last use is written at most once a minute.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, bindparam, delete, or_, select, update
from sqlalchemy.orm import Session

from scrutineer.records import models
from scrutineer.records.users import MAX_FAILED_LOGINS, UserView

LIFETIME = timedelta(hours=10)  # a working day, then sign in again
IDLE = timedelta(minutes=30)  # unused this long (a screen left open), it ends
TOUCH = timedelta(minutes=1)  # how stale its last use may be before it is written again


def start_session(records: Engine, username: str) -> str:
    """A new session for `username` (whose password was just checked): its cookie token."""
    token = secrets.token_urlsafe(32)
    now = _now()
    with Session(records) as session, session.begin():
        user = session.scalar(select(models.User).where(models.User.username == username))
        if user is None:
            raise LookupError(username)
        session.execute(delete(models.WebSession).where(models.WebSession.expires_at < now))
        session.add(
            models.WebSession(
                token_hash=_hash(token),
                user_id=user.id,
                csrf=secrets.token_urlsafe(32),
                created_at=now,
                expires_at=now + LIFETIME,
                last_seen_at=now,
            )
        )
    return token


_WEB, _USER, _ASSIGNED = models.WebSession, models.User, models.ServiceAssignment
_SIGNED_IN = (  # built once: asked on every request
    select(
        _USER.username,
        _USER.display_name,
        _USER.role,
        _WEB.csrf,
        _ASSIGNED.service_id,
        _WEB.last_seen_at,
    )
    .join(_USER, _USER.id == _WEB.user_id)
    .outerjoin(_ASSIGNED, _ASSIGNED.user_id == _USER.id)
    .where(
        _WEB.token_hash == bindparam("token_hash"),
        _WEB.expires_at >= bindparam("now"),
        or_(_WEB.last_seen_at.is_(None), _WEB.last_seen_at >= bindparam("idle_since")),
        _USER.active.is_(True),
        _USER.failed_logins < MAX_FAILED_LOGINS,
    )
)


def signed_in(records: Engine, token: str) -> tuple[UserView, str] | None:
    """The user and the session's CSRF token, if `token` is a live session of an open account
    (one query: sessions, users and services joined)."""
    now, token_hash = _now(), _hash(token)
    with records.connect() as connection:
        asked = {"token_hash": token_hash, "now": now, "idle_since": now - IDLE}
        rows = connection.execute(_SIGNED_IN, asked).all()
    if not rows:
        return None
    username, name, role, csrf, _, last_seen = rows[0]
    if last_seen is None or now - last_seen > TOUCH:
        with records.begin() as connection:
            connection.execute(
                update(_WEB).where(_WEB.token_hash == token_hash).values(last_seen_at=now)
            )
    services = tuple(sorted(r[4] for r in rows if r[4] is not None))
    return UserView(username, name, role, True, services), csrf


def end_session(records: Engine, token: str) -> None:
    with Session(records) as session, session.begin():
        session.execute(
            delete(models.WebSession).where(models.WebSession.token_hash == _hash(token))
        )


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)

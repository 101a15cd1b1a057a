"""Signed-in web sessions, kept in the records store.

The browser's cookie holds a random token; the store keeps only its SHA-256, the user and a
CSRF token for that session's forms. A session ends when it expires, when its user signs
out, or when the user is disabled or locked (checked on every request).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from scrutineer.records import models
from scrutineer.records.users import MAX_FAILED_LOGINS, UserView, user_view

LIFETIME = timedelta(hours=10)  # a working day, then sign in again


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
            )
        )
    return token


def signed_in(records: Engine, token: str) -> tuple[UserView, str] | None:
    """The user and the session's CSRF token, if `token` is a live session of an open account."""
    with Session(records) as session:
        found = session.execute(
            select(models.WebSession, models.User)
            .join(models.User, models.User.id == models.WebSession.user_id)
            .where(models.WebSession.token_hash == _hash(token))
        ).first()
        if found is None:
            return None
        web, user = found
        if web.expires_at < _now() or not user.active or user.failed_logins >= MAX_FAILED_LOGINS:
            return None
        return user_view(session, user), web.csrf


def end_session(records: Engine, token: str) -> None:
    with Session(records) as session, session.begin():
        session.execute(
            delete(models.WebSession).where(models.WebSession.token_hash == _hash(token))
        )


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)

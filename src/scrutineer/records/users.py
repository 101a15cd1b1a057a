"""Users and roles: who may see what. Passwords are hashed with argon2; a user is locked
after repeated failed logins; managers are assigned the services whose children they see."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError
from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session

from scrutineer.errors import ScrutineerError
from scrutineer.records import models
from scrutineer.records.roles import ROLES

MAX_FAILED_LOGINS = 5
HASHER = PasswordHasher()


class UserInvalid(ScrutineerError):
    pass


@dataclass(frozen=True)
class UserView:
    username: str
    display_name: str
    role: str
    active: bool
    services: tuple[str, ...]


def add_user(
    records: Engine,
    username: str,
    display_name: str,
    role: str,
    password: str | None = None,
    services: tuple[str, ...] = (),
) -> str:
    """Add a user; returns the password (a generated one if none is given)."""
    if role not in ROLES:
        raise UserInvalid(f"Role {role!r} is not one of {', '.join(ROLES)}.")
    if services and role != "manager":
        raise UserInvalid("Only a manager is assigned services.")
    chosen = password or secrets.token_urlsafe(12)
    if len(chosen) < 10:
        raise UserInvalid("A password needs at least 10 characters.")
    with Session(records) as session, session.begin():
        if session.scalar(select(models.User).where(models.User.username == username)):
            raise UserInvalid(f"There is already a user {username!r}.")
        user = models.User(
            username=username,
            display_name=display_name,
            role=role,
            password_hash=HASHER.hash(chosen),
            active=True,
            failed_logins=0,
            created_at=datetime.now(UTC).replace(tzinfo=None),
        )
        session.add(user)
        session.flush()
        session.add_all(models.ServiceAssignment(user_id=user.id, service_id=s) for s in services)
    return chosen


def list_users(records: Engine) -> list[UserView]:
    with Session(records) as session:
        users = session.scalars(select(models.User).order_by(models.User.username)).all()
        services = session.execute(
            select(models.ServiceAssignment.user_id, models.ServiceAssignment.service_id)
        ).all()
        by_user: dict[int, list[str]] = {}
        for user_id, service in services:
            by_user.setdefault(user_id, []).append(service)
        return [
            UserView(
                u.username, u.display_name, u.role, u.active, tuple(sorted(by_user.get(u.id, [])))
            )
            for u in users
        ]


def disable_user(records: Engine, username: str) -> None:
    with Session(records) as session, session.begin():
        user = _user(session, username)
        user.active = False


def check_password(records: Engine, username: str, password: str) -> UserView | None:
    """The user if the password is right and the account is open; the account locks after
    MAX_FAILED_LOGINS failures in a row.

    Each attempt first takes one of the account's remaining tries, in one UPDATE that
    counts it only while fewer than MAX_FAILED_LOGINS are spent (committed before the
    password is checked), so concurrent guesses cannot share a try: at most that many are
    ever checked. A right password gives the tries back. An unknown, disabled or locked
    account costs the same password check, so the time taken does not tell them apart."""
    with Session(records) as session, session.begin():
        taken = session.execute(
            update(models.User)
            .where(
                models.User.username == username,
                models.User.active.is_(True),
                models.User.failed_logins < MAX_FAILED_LOGINS,
            )
            .values(failed_logins=models.User.failed_logins + 1)
            .returning(models.User.id, models.User.password_hash)
        ).first()
    if taken is None:
        _verify(_unknown_hash(), password)
        return None
    if not _verify(taken.password_hash, password):
        return None
    with Session(records) as session, session.begin():
        user = session.get_one(models.User, taken.id)
        user.failed_logins = 0
        return user_view(session, user)


@cache
def _unknown_hash() -> str:
    """A hash to check for a user who is not there (made once, when first needed: every
    command that imports this module need not pay for an argon2 hash)."""
    return HASHER.hash(secrets.token_urlsafe(16))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(password_hash, password)
    except VerificationError:
        return False


def set_password(records: Engine, username: str, password: str | None = None) -> str:
    """A new password (a generated one if none is given), which also unlocks the account."""
    chosen = password or secrets.token_urlsafe(12)
    if len(chosen) < 10:
        raise UserInvalid("A password needs at least 10 characters.")
    with Session(records) as session, session.begin():
        user = _user(session, username)
        user.password_hash, user.failed_logins = HASHER.hash(chosen), 0
    return chosen


def enable_user(records: Engine, username: str) -> None:
    """Let a disabled user sign in again (an administrator's decision)."""
    with Session(records) as session, session.begin():
        _user(session, username).active = True


def change_password(records: Engine, username: str, current: str, chosen: str) -> None:
    """A user's own change: refused unless `current` is their password now."""
    if check_password(records, username, current) is None:
        raise UserInvalid("The current password is not right (or the account is locked).")
    set_password(records, username, chosen)


def unlock_user(records: Engine, username: str) -> None:
    """Open an account locked by failed logins (an administrator's decision)."""
    with Session(records) as session, session.begin():
        _user(session, username).failed_logins = 0


def count_users(records: Engine) -> int:
    with Session(records) as session:
        return len(session.scalars(select(models.User.id)).all())


def locked(records: Engine) -> set[str]:
    """Usernames locked by failed logins."""
    with Session(records) as session:
        return set(
            session.scalars(
                select(models.User.username).where(models.User.failed_logins >= MAX_FAILED_LOGINS)
            ).all()
        )


def user_view(session: Session, user: models.User) -> UserView:
    services = session.scalars(
        select(models.ServiceAssignment.service_id).where(
            models.ServiceAssignment.user_id == user.id
        )
    ).all()
    return UserView(
        user.username, user.display_name, user.role, user.active, tuple(sorted(services))
    )


def _user(session: Session, username: str) -> models.User:
    user = session.scalar(select(models.User).where(models.User.username == username))
    if user is None:
        raise UserInvalid(f"No user {username!r}. Run `scrutineer users list` to see them.")
    return user


def sign_in_from_provider(
    records: Engine,
    identity: str,
    username: str,
    display_name: str,
    role: str,
    services: tuple[str, ...],
) -> UserView:
    """A user the council's identity provider signed in (`identity`: its issuer and their
    subject): made at their first sign-in, their name, role and services set from the
    provider's each time. Refused if an administrator disabled the account, or if the name
    is that of an account made here (a provider's user does not take it over)."""
    with Session(records) as session, session.begin():
        user = session.scalar(select(models.User).where(models.User.identity == identity))
        if user is None:
            if session.scalar(select(models.User.id).where(models.User.username == username)):
                raise UserInvalid(
                    f"An account {username!r} exists already in Scrutineer (made here, or for "
                    "another identity): ask an administrator to rename or disable it."
                )
            user = models.User(
                username=username,
                password_hash=HASHER.hash(secrets.token_urlsafe(32)),  # never given to anyone
                active=True,
                failed_logins=0,
                created_at=datetime.now(UTC).replace(tzinfo=None),
                identity=identity,
            )
            session.add(user)
        elif not user.active:
            raise UserInvalid("Your account is disabled in Scrutineer: ask an administrator.")
        user.display_name, user.role = display_name, role
        session.flush()
        session.execute(
            delete(models.ServiceAssignment).where(models.ServiceAssignment.user_id == user.id)
        )
        session.add_all(models.ServiceAssignment(user_id=user.id, service_id=s) for s in services)
        return user_view(session, user)

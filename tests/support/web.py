"""The web site as the tests drive it: the data behind it, a user per role, signed-in
clients and free ports for real servers."""

from __future__ import annotations

import re
import socket
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from starlette.testclient import TestClient

from scrutineer.records.roles import ROLES
from scrutineer.records.users import add_user
from scrutineer.settings import Settings


@dataclass(frozen=True)
class WebData:
    """A loaded small authority with a records store and one user per role."""

    settings: Settings
    records: Engine
    passwords: dict[str, str]  # username (the role's name) -> password
    service: str  # the manager's service id: the one with most children overdue
    other_service: str  # a service the manager is not assigned
    child: str  # a child whose case the manager's service holds
    meeting: int  # a meeting of the scrutiny panel
    panel: int  # the scrutiny panel (two councillors, quorum 3)
    review: int  # a practice review with no recommendation yet


def free_port() -> int:
    """A TCP port on the loopback address that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def user_per_role(records: Engine, service: str) -> dict[str, str]:
    """A user named after each role, password `ROLE-password-1`; the manager assigned
    `service`. Returns username -> password."""
    return {
        role: add_user(
            records,
            role,
            f"Test {role}",
            role,
            f"{role}-password-1",
            (service,) if role == "manager" else (),
        )
        for role in ROLES
    }


def client(app: Any) -> TestClient:
    return TestClient(app, base_url="https://testserver", follow_redirects=False)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field in the form"
    return found.group(1)


def sign_in(app: Any, username: str, password: str) -> TestClient:
    c = client(app)
    token = csrf_of(c.get("/login").text)
    done = c.post(
        "/login", data={"username": username, "password": password, "csrf": token, "next": "/"}
    )
    assert done.status_code == 303, done.text
    return c

"""The site's cookies: the session's, the sign-in form's CSRF token, and where they go."""

from __future__ import annotations

import secrets

from starlette.requests import Request

SESSION_COOKIE = "scrutineer_session"
LOGIN_CSRF_COOKIE = "scrutineer_login"  # the sign-in form's double-submit token
LOOPBACK = ("localhost", "127.0.0.1", "::1")


def secure(request: Request) -> bool:
    """Cookies are Secure (HTTPS only) except over plain HTTP on this machine's loopback."""
    return request.url.scheme == "https" or request.url.hostname not in LOOPBACK


def safe_next(target: str | None) -> str:
    """Only a path on this site: never another site (an open redirect)."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


def new_token() -> str:
    return secrets.token_urlsafe(32)

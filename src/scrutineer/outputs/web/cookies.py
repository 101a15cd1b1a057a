"""The site's cookies: the session's, the sign-in form's CSRF token, and where they go."""

from __future__ import annotations

import secrets
from urllib.parse import quote, unquote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

SESSION_COOKIE = "scrutineer_session"
LOGIN_CSRF_COOKIE = "scrutineer_login"  # the sign-in form's double-submit token
LOOPBACK = ("localhost", "127.0.0.1", "::1")
# what an action said, for the page it redirects to: a cookie only this site sets, so no
# link can put words in the page's official-looking box (a ?message= in the URL could)
SAID_COOKIE = "scrutineer_said"
PROBLEM = "!"  # marks what was said as a problem (shown as one), not a confirmation


def secure(request: Request) -> bool:
    """Cookies are Secure (HTTPS only) except over plain HTTP on this machine's loopback."""
    return request.url.scheme == "https" or request.url.hostname not in LOOPBACK


def safe_next(target: str | None) -> str:
    """Only a path on this site: never another site (an open redirect)."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


def redirect_saying(request: Request, target: str, text: str, problem: bool = False) -> Response:
    """On to `target` (a path here), whose page says `text` once."""
    response = RedirectResponse(safe_next(target), 303)
    said = quote((PROBLEM if problem else "") + text)
    response.set_cookie(
        SAID_COOKIE, said, max_age=120, httponly=True, samesite="lax", secure=secure(request)
    )
    return response


def said(request: Request) -> tuple[str, bool]:
    """What the last action said for this page, and whether it is a problem."""
    text = unquote(request.cookies.get(SAID_COOKIE, ""))
    return text.removeprefix(PROBLEM), text.startswith(PROBLEM)


def new_token() -> str:
    return secrets.token_urlsafe(32)

"""Everything a user posts: signing in and out, narratives, users. Each form checks its CSRF
token and its permission before it changes anything, and answers with a redirect (so a
reload never posts twice) or the form again with what to fix."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from scrutineer.calendar import Period
from scrutineer.errors import Forbidden, Invalid, NotShown, ScrutineerError
from scrutineer.outputs.web import admin_pages
from scrutineer.outputs.web.access import Viewer
from scrutineer.outputs.web.pages import PageRequest
from scrutineer.records.narratives import write_narrative
from scrutineer.records.sessions import LIFETIME, end_session, start_session
from scrutineer.records.users import (
    add_user,
    change_password,
    check_password,
    disable_user,
    enable_user,
    set_password,
    unlock_user,
)

if TYPE_CHECKING:
    from scrutineer.outputs.web.site import Site

SESSION_COOKIE = "scrutineer_session"
LOGIN_CSRF_COOKIE = "scrutineer_login"
LOOPBACK = ("localhost", "127.0.0.1", "::1")
SEE_PAGE = "Your role cannot see this page."
Handler = Callable[[Request], Awaitable[Response]]


def secure(request: Request) -> bool:
    """Cookies are Secure (HTTPS only) except over plain HTTP on this machine's loopback."""
    return request.url.scheme == "https" or request.url.hostname not in LOOPBACK


def safe_next(target: str | None) -> str:
    """Only a path on this site: never another site (an open redirect)."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


async def login_page(web: Site, request: Request, message: str = "", status: int = 200) -> Response:
    token = secrets.token_urlsafe(32)
    response = web.render(
        request,
        "login.html",
        status,
        title="Sign in",
        csrf=token,
        next=safe_next(request.query_params.get("next")),
        message=message,
        provider=web.provider.name if web.provider else None,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=secure(request)
    )
    return response


async def login(web: Site, request: Request) -> Response:
    form = await request.form()
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not secrets.compare_digest(expected, str(form.get("csrf", ""))):
        return await login_page(web, request, "The form had expired: please sign in again.", 400)
    username, password = str(form.get("username", "")), str(form.get("password", ""))
    user = await run_in_threadpool(check_password, web.records, username, password)
    if user is None:
        return await login_page(
            web,
            request,
            "Wrong username or password, or the account is locked after 5 failed attempts "
            "(an administrator can unlock it).",
            401,
        )
    return await session_response(web, request, user.username, str(form.get("next", "/")))


async def session_response(web: Site, request: Request, username: str, target: str) -> Response:
    """Signed in: a session started, its cookie set, and on to `target` (on this site)."""
    token = await run_in_threadpool(start_session, web.records, username)
    response = RedirectResponse(safe_next(target), 303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=secure(request),
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


def logout(web: Site, request: Request, viewer: Viewer, form: FormData) -> Response:
    end_session(web.records, request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login", 303)
    response.delete_cookie(SESSION_COOKIE)
    return response


def save_narrative(web: Site, request: Request, viewer: Viewer, form: FormData) -> Response:
    period = Period.parse(str(form.get("period", "")))
    theme = str(form.get("theme", ""))
    write_narrative(
        web.records,
        theme,
        str(period),
        str(form.get("analysis", "")).strip(),
        str(form.get("actions", "")).strip(),
        viewer.user.display_name,
    )
    query = urlencode({"period": str(period), "saved": theme})
    return RedirectResponse(f"/narratives?{query}#{theme}", 303)


def users_action(web: Site, request: Request, viewer: Viewer, form: FormData) -> Response:
    """Add, disable, enable or unlock a user, or give them a new password (an
    administrator)."""
    action, username = str(form.get("action", "")), str(form.get("username", "")).strip()
    try:
        if action == "add":
            password = add_user(
                web.records,
                username,
                str(form.get("display_name", "")).strip() or username,
                str(form.get("role", "")),
                str(form.get("password", "")) or None,
                tuple(str(s) for s in form.getlist("services")),
            )
            said = f"Added {username}. Their password (shown once): {password}"
            return _users_page(web, request, viewer, said)
        elif action == "disable":
            disable_user(web.records, username)
            message = f"Disabled {username}: their sessions end now."
        elif action == "unlock":
            unlock_user(web.records, username)
            message = f"Unlocked {username}."
        elif action == "enable":
            enable_user(web.records, username)
            message = f"Enabled {username}: they can sign in again."
        elif action == "reset":
            password = set_password(web.records, username)
            said = f"New password for {username} (shown once): {password}"
            return _users_page(web, request, viewer, said)
        else:
            return web.refuse(request, viewer, Invalid(f"No user action {action!r}."))
    except ScrutineerError as error:
        message = str(error)
    return RedirectResponse("/admin/users?" + urlencode({"message": message}), 303)


@dataclass(frozen=True)
class Form:
    path: str
    method: str
    run: Callable[[Site, Request], Awaitable[Response]]

    def handler(self, web: Site) -> Handler:
        async def handle(request: Request) -> Response:
            return await self.run(web, request)

        return handle


PostedRun = Callable[["Site", Request, Viewer, FormData], Response]
# the permission a posted form needs: one, none (any signed-in user), or one the form decides
Permission = str | Callable[[FormData], str | None] | None


@dataclass(frozen=True)
class Posted:
    """A form that changes something. Its `run` is plain (not async): the wrapper reads the
    form, then runs the rest in the threadpool, so no database call waits on the event
    loop. Before `run` sees it: signed in (else to sign-in), this session's CSRF token and
    `permission`, each refused with 403. What `run` raises as bad input (a ScrutineerError
    or a ValueError from parsing a field) is answered 400 with its message."""

    path: str
    permission: Permission
    run: PostedRun
    method: str = "POST"

    def handler(self, web: Site) -> Handler:
        async def handle(request: Request) -> Response:
            viewer = web.viewer(request)
            if viewer is None:
                return RedirectResponse("/login", 303)
            form = await request.form()
            return self.act(web, request, viewer, form)

        return handle

    def act(self, web: Site, request: Request, viewer: Viewer, form: FormData) -> Response:
        if not secrets.compare_digest(viewer.csrf, str(form.get("csrf", ""))):
            return web.refuse(
                request, viewer, Forbidden("The form had expired: go back and retry.")
            )
        needed = self.permission(form) if callable(self.permission) else self.permission
        if needed and not viewer.can(needed):
            return web.refuse(request, viewer, Forbidden("Your role cannot do this."))
        try:
            return self.run(web, request, viewer, form)
        except (ScrutineerError, ValueError) as error:
            return web.refuse(request, viewer, Invalid(str(error)))


async def quality_download(web: Site, request: Request) -> Response:
    """A snapshot's data-quality report as the CSV written beside it (analysts' roles)."""
    viewer = await run_in_threadpool(web.viewer, request)
    if viewer is None:
        return RedirectResponse("/login", 303)
    if not viewer.can("snapshots"):
        return web.refuse(request, viewer, Forbidden(SEE_PAGE))
    try:
        found = web.cache.store.get(request.path_params["snapshot"])
    except ScrutineerError as error:
        return web.refuse(request, viewer, NotShown(str(error)))
    text = await run_in_threadpool(web.cache.store.quality_text, found.id)
    if text is None:
        return web.refuse(request, viewer, NotShown("This snapshot has no quality report."))
    disposition = f'attachment; filename="{found.id}-quality.csv"'
    return Response(text, media_type="text/csv", headers={"Content-Disposition": disposition})


def _users_page(web: Site, request: Request, viewer: Viewer, message: str) -> Response:
    """The users page saying `message`: rendered, not a redirect, so that a password shown
    once never goes into a URL."""
    page = admin_pages.users(PageRequest(request, viewer, web.cache))
    return web.render(
        request, "users.html", page=page, viewer=viewer, title="Users", message=message
    )


async def account_page(web: Site, request: Request) -> Response:
    """The signed-in user's own account: who they are, and a form to change the password."""
    viewer = await run_in_threadpool(web.viewer, request)
    if viewer is None:
        return RedirectResponse("/login", 303)
    message = request.query_params.get("message", "")
    return web.render(request, "account.html", viewer=viewer, title="Your account", message=message)


def change_own_password(web: Site, request: Request, viewer: Viewer, form: FormData) -> Response:
    """Change the signed-in user's password, given the current one; a mistake comes back
    on the form (400), and a wrong current password counts as a failed sign-in."""
    current, chosen = str(form.get("current", "")), str(form.get("chosen", ""))
    problem = "The two new passwords differ." if chosen != str(form.get("again", "")) else ""
    if not problem:
        try:
            username = viewer.user.username
            change_password(web.records, username, current, chosen)
        except ScrutineerError as error:
            problem = str(error)
    if problem:
        return web.render(
            request, "account.html", 400, viewer=viewer, title="Your account", problem=problem
        )
    return RedirectResponse("/account?" + urlencode({"message": "Password changed."}), 303)


FORMS: tuple[Form | Posted, ...] = (
    Form("/login", "GET", login_page),
    Form("/snapshots/{snapshot}/quality.csv", "GET", quality_download),
    Form("/login", "POST", login),
    Posted("/logout", None, logout),
    Posted("/narratives", "narratives", save_narrative),
    Posted("/admin/users", "admin", users_action),
    Form("/account", "GET", account_page),
    Posted("/account/password", None, change_own_password),
)

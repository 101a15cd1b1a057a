"""Signing in and out: with Scrutineer's own passwords (the sign-in form's CSRF token is a
double-submit cookie, as there is no session yet) or through the council's identity
provider (`oidc.py`); and the signed-in user's own account."""

from __future__ import annotations

import secrets

from authlib.integrations.base_client import OAuthError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from scrutineer.errors import ScrutineerError
from scrutineer.outputs.web.access import Viewer
from scrutineer.outputs.web.cookies import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    redirect_saying,
    safe_next,
    secure,
)
from scrutineer.outputs.web.oidc import SignInRefused, user_from
from scrutineer.outputs.web.posting import Posting
from scrutineer.outputs.web.site import Draft, Site
from scrutineer.records.sessions import LIFETIME, end_session, signed_in, start_session
from scrutineer.records.users import (
    UserInvalid,
    change_password,
    check_password,
    sign_in_from_provider,
)


async def login_page(web: Site, request: Request, problem: str = "", status: int = 200) -> Response:
    """The sign-in form (`Site.sign_in_form`)."""
    return web.sign_in_form(request, problem, status)


async def login(web: Site, request: Request) -> Response:
    form = await request.form()
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not secrets.compare_digest(expected, str(form.get("csrf", ""))):
        return await login_page(web, request, "The form had expired: please sign in again.", 400)
    username, password = str(form.get("username", "")), str(form.get("password", ""))
    draft = Draft.sent(form)
    user = await run_in_threadpool(check_password, web.records, username, password)
    if user is None:
        problem = (
            "Wrong username or password, or the account is locked after 5 failed attempts "
            "(an administrator can unlock it)."
        )
        return web.sign_in_form(request, problem, 401, str(form.get("next", "/")), draft)
    if draft is None:
        return await session_response(web, request, user.username, str(form.get("next", "/")))
    token = await run_in_threadpool(start_session, web.records, user.username)
    return _with_session(
        request, await run_in_threadpool(_draft_page, web, request, token, draft), token
    )


def _draft_page(web: Site, request: Request, token: str, draft: Draft) -> Response:
    """Signed in again: what was sent when the session ended, shown to be saved now (with
    this session's token) or left."""
    found = signed_in(web.records, token)
    assert found is not None  # the session just started
    return web.render(
        request, "draft.html", viewer=Viewer(*found), title="Save what you sent", draft=draft
    )


async def session_response(web: Site, request: Request, username: str, target: str) -> Response:
    """Signed in: a session started, its cookie set, and on to `target` (on this site)."""
    token = await run_in_threadpool(start_session, web.records, username)
    return _with_session(request, RedirectResponse(safe_next(target), 303), token)


def _with_session(request: Request, response: Response, token: str) -> Response:
    """The session's cookie set, the sign-in form's token done with."""
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


def logout(p: Posting) -> Response:
    end_session(p.site.records, p.request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login", 303)
    response.delete_cookie(SESSION_COOKIE)
    return response


async def account_page(web: Site, request: Request) -> Response:
    """The signed-in user's own account: who they are, and a form to change the password."""
    viewer = await run_in_threadpool(web.viewer, request)
    if viewer is None:
        return RedirectResponse("/login", 303)
    return web.render(request, "account.html", viewer=viewer, title="Your account")


def change_own_password(p: Posting) -> Response:
    """Change the signed-in user's password, given the current one; a mistake comes back
    on the form (400), and a wrong current password counts as a failed sign-in."""
    current, chosen = p.field("current"), p.field("chosen")
    problem = "The two new passwords differ." if chosen != p.field("again") else ""
    if not problem:
        try:
            username = p.viewer.user.username
            change_password(p.site.records, username, current, chosen)
        except ScrutineerError as error:
            problem = str(error)
    if problem:
        return p.render("account.html", 400, title="Your account", problem=problem)
    return redirect_saying(p.request, "/account", "Password changed.")


async def oidc_start(web: Site, request: Request) -> Response:
    if web.provider is None:
        return await login_page(web, request, "Sign-in through the council is not set up.", 404)
    request.session["next"] = safe_next(request.query_params.get("next"))
    return await web.provider.start(request)


async def oidc_callback(web: Site, request: Request) -> Response:
    """Back from the provider: the user made or updated from its claims, and signed in."""
    provider = web.provider
    if provider is None:
        return await login_page(web, request, "Sign-in through the council is not set up.", 404)
    try:
        claims = await provider.finish(request)
        username, name, rule = user_from(claims, provider)
        identity = f"{provider.issuer} {claims['sub']}"
        user = await run_in_threadpool(
            sign_in_from_provider, web.records, identity, username, name, rule.role, rule.services
        )
    except OAuthError as error:
        said = error.description or error.error or "it did not say why"
        return await login_page(
            web, request, f"{provider.name} did not sign you in ({said}): please try again.", 401
        )
    except (SignInRefused, UserInvalid) as refused:
        return await login_page(web, request, str(refused), 403)
    return await session_response(web, request, user.username, request.session.pop("next", "/"))

"""How a form reaches its action: `Posted` reads the form, checks that someone is signed in,
the session's CSRF token and the action's permission, then runs the action (a plain
function of the `Posting`) in the threadpool, so no database call waits on the event loop.
`Form` is a handler that does its own checks (signing in, downloads, the JSON records API).
Actions answer with a redirect (so a reload never posts twice) or the form again with what
to fix."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from scrutineer.errors import Forbidden, Invalid, ScrutineerError
from scrutineer.outputs.web.access import Viewer
from scrutineer.outputs.web.cookies import SESSION_COOKIE
from scrutineer.outputs.web.site import Draft, Site, sign_in_again

Handler = Callable[[Request], Awaitable[Response]]


@dataclass(frozen=True)
class Posting:
    """A form a signed-in user sent, its CSRF token and permission checked."""

    site: Site
    request: Request
    viewer: Viewer
    form: FormData

    def field(self, name: str) -> str:
        """A field as sent ("" when it is not)."""
        return str(self.form.get(name, ""))

    def text(self, name: str) -> str:
        """A field, the spaces around it taken off."""
        return self.field(name).strip()

    def refuse(self, error: ScrutineerError) -> Response:
        return self.site.refuse(self.request, self.viewer, error)

    def render(self, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        return self.site.render(self.request, template, status, viewer=self.viewer, **context)


Action = Callable[[Posting], Response]
# the permission an action needs: one, none (any signed-in user), or one the form decides
Permission = str | Callable[[FormData], str | None] | None


@dataclass(frozen=True)
class Posted:
    """A form that changes something. What its action raises as bad input (a
    ScrutineerError or a ValueError from parsing a field) is answered 400 with its
    message; a missing sign-in goes to the sign-in page; a wrong token or role is 403."""

    path: str
    permission: Permission
    action: Action
    method: str = "POST"

    def handler(self, site: Site) -> Handler:
        async def handle(request: Request) -> Response:
            form = await request.form()
            return await run_in_threadpool(self.run, site, request, form)

        return handle

    def run(self, site: Site, request: Request, form: FormData) -> Response:
        viewer = site.viewer(request)
        if viewer is None:  # back to the page the form was on, once signed in again
            page = urlsplit(request.headers.get("referer", ""))
            came_from = (page.path or "/") + (f"?{page.query}" if page.query else "")
            draft = Draft.of(request, form) if SESSION_COOKIE in request.cookies else None
            if draft is not None:  # what was typed is kept through signing in again
                return site.sign_in_form(request, "", 401, came_from, draft)
            return RedirectResponse(sign_in_again(request, came_from), 303)
        if not secrets.compare_digest(viewer.csrf, str(form.get("csrf", ""))):
            return site.refuse(
                request, viewer, Forbidden("The form had expired: go back and retry.")
            )
        needed = self.permission(form) if callable(self.permission) else self.permission
        if needed and not viewer.can(needed):
            return site.refuse(request, viewer, Forbidden("Your role cannot do this."))
        try:
            return self.action(Posting(site, request, viewer, form))
        except (ScrutineerError, ValueError) as error:
            return site.refuse(request, viewer, Invalid(str(error)))


@dataclass(frozen=True)
class Form:
    """A handler that does its own checks: signing in, a download, the records API."""

    path: str
    method: str
    run: Callable[[Site, Request], Awaitable[Response]]

    def handler(self, site: Site) -> Handler:
        async def handle(request: Request) -> Response:
            return await self.run(site, request)

        return handle

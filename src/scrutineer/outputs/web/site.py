"""The site: what every handler needs (the figures, the records store, the templates),
one handler for every page and its JSON twin, and one way to refuse.

Every page needs a signed-in user whose role has the page's permission (`access.py`); its
content is built by its builder (a `PageRequest` in, the page's data out), then served as
HTML at its path and as JSON under /api. The URL map is `routes.py`. Forms post with the
session's CSRF token; signing in uses a double-submit token, since there is no session yet.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import Engine as Records
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from scrutineer.errors import Forbidden, ScrutineerError
from scrutineer.outputs.web.access import SEE_PAGE, Viewer
from scrutineer.outputs.web.cookies import (
    LOGIN_CSRF_COOKIE,
    SAID_COOKIE,
    SESSION_COOKIE,
    new_token,
    safe_next,
    said,
    secure,
)
from scrutineer.outputs.web.figures import Figures
from scrutineer.outputs.web.oidc import Provider
from scrutineer.outputs.web.pages.request import PageRequest
from scrutineer.records.access_log import log_access
from scrutineer.records.sessions import LIFETIME, signed_in
from scrutineer.settings import Settings

Build = Callable[[PageRequest], Mapping[str, Any]]  # a page's builder: its TypedDict


@dataclass(frozen=True)
class PageRoute:
    name: str
    path: str
    permission: str
    template: str
    build: Build
    title: str
    figures_only: bool = False  # the same main block for the same URL and kind of viewer

    @property
    def api(self) -> str:
        """The JSON twin's path."""
        return "/api/overview" if self.path == "/" else "/api" + self.path


TITLES = {400: "Not done", 403: "Not for your role", 404: "Not found", 429: "Busy"}
NO_PAGE = "There is no page at this address. The menu, or the overview, leads to every page."
NAV = (  # (permission, path, label): what the menu offers each role
    ("aggregates", "/", "Overview"),
    ("children", "/clinics", "Assurance clinics"),
    ("aggregates", "/qa", "Quality assurance"),
    ("aggregates", "/governance", "Governance"),
    ("narratives", "/narratives", "Analysis and actions"),
    ("snapshots", "/snapshots", "Snapshots"),
    ("inspection", "/inspection", "Inspection"),
    ("admin", "/admin/users", "Users"),
    ("admin", "/admin/access-log", "Access log"),
)


@dataclass(frozen=True)
class Draft:
    """What a form sent when its session had ended: kept through signing in again (in the
    sign-in form, never stored), then shown to be saved."""

    action: str  # the form's path
    fields: tuple[tuple[str, str], ...]  # as sent, the CSRF token left out

    def as_json(self) -> str:
        return json.dumps({"action": self.action, "fields": self.fields})

    @staticmethod
    def sent(form: FormData) -> Draft | None:
        """The draft a sign-in form carries, if it carries one."""
        try:
            given = json.loads(str(form.get("draft", "") or "null"))
            action, fields = given["action"], [(str(k), str(v)) for k, v in given["fields"]]
        except (ValueError, TypeError, KeyError):
            return None
        return Draft(safe_next(str(action)), tuple(fields))

    @staticmethod
    def of(request: Request, form: FormData) -> Draft | None:
        fields = tuple((k, str(v)) for k, v in form.multi_items() if k != "csrf")
        return Draft(request.url.path, fields) if fields else None


def sign_in_again(request: Request, target: str) -> str:
    """The sign-in page, then on to `target`; saying the session had ended if the browser
    still sent one (expired, or signed out elsewhere)."""
    query = {"next": target} | ({"ended": "1"} if SESSION_COOKIE in request.cookies else {})
    return "/login?" + urlencode(query)


class Site:
    """What every handler needs: the figures, the records store and the templates."""

    def __init__(self, settings: Settings, records: Records) -> None:
        self.cache = Figures(settings, records)
        self.records = records
        self.building: set[str] = set()  # users a paper is being made for (actions.governance)
        self.provider = Provider(settings) if settings.oidc_issuer else None
        folder = Path(str(resources.files(__package__))) / "templates"
        self.templates = Environment(
            loader=FileSystemLoader(folder), autoescape=select_autoescape(["html"])
        )

    def sign_in_form(
        self,
        request: Request,
        problem: str = "",
        status: int = 200,
        target: str | None = None,
        draft: Draft | None = None,
    ) -> Response:
        """The sign-in form, going on to `target` (else the URL's `next`); saying what went
        wrong (`problem`), or that the session had ended (`?ended=1`, or a `draft` kept)."""
        token = new_token()
        hours = int(LIFETIME.total_seconds() // 3600)
        ended = (
            f"Your session had ended (a session lasts {hours} hours, and ends when you sign "
            "out): sign in again to carry on."
        )
        if draft is not None:
            ended += " What you sent is kept: it is shown for you to save once you are in."
        was_ended = request.query_params.get("ended") or draft is not None
        response = self.render(
            request,
            "login.html",
            status,
            title="Sign in",
            csrf=token,
            next=safe_next(target or request.query_params.get("next")),
            message=problem or (ended if was_ended else ""),
            message_problem=bool(problem),
            provider=self.provider.name if self.provider else None,
            draft=draft.as_json() if draft else "",
        )
        response.set_cookie(
            LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=secure(request)
        )
        return response

    def viewer(self, request: Request) -> Viewer | None:
        token = request.cookies.get(SESSION_COOKIE)
        found = signed_in(self.records, token) if token else None
        return Viewer(*found) if found else None

    def render(
        self,
        request: Request,
        template: str,
        status: int = 200,
        same_as: tuple[object, ...] | None = None,
        **context: Any,
    ) -> HTMLResponse:
        """The page's main block inside the frame (menu, who is signed in). A main block
        that is the same for every request with the same `same_as` key is made once."""
        viewer: Viewer | None = context.get("viewer")
        query = {k: request.query_params.get(k) for k in ("snapshot", "period")}

        def url(path: str, **params: str | None) -> str:
            merged = {k: v for k, v in {**query, **params}.items() if v}
            return path + ("?" + urlencode(merged) if merged else "")

        nav = [(p, label) for perm, p, label in NAV if viewer and viewer.can(perm)]
        message, problem = said(request)
        values = {"request": request, "nav": nav, "url": url, "path": request.url.path}
        values |= {"message": message, "message_problem": problem}
        values["damaged"] = self.cache.damaged_note() if viewer else ""
        values.update(context)
        page = self.templates.get_template(template)

        def main() -> str:
            return "".join(page.blocks["main"](page.new_context(values)))

        html = main() if same_as is None else self.cache.memo(("html", *same_as), main)
        frame = self.templates.get_template("base.html").render(main_html=html, **values)
        response = HTMLResponse(frame, status)
        if SAID_COOKIE in request.cookies:  # said once
            response.delete_cookie(SAID_COOKIE)
        return response

    def page(self, route: PageRoute, api: bool) -> Callable[[Request], Response]:
        def handle(request: Request) -> Response:
            viewer = self.viewer(request)
            if viewer is None:
                if api:
                    return JSONResponse({"error": "Sign in first."}, 401)
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                return RedirectResponse(sign_in_again(request, target), 303)
            if not viewer.can(route.permission):
                return self.refuse(request, viewer, Forbidden(SEE_PAGE), api=api)
            try:
                page = route.build(PageRequest(request, viewer, self.cache))
            except ScrutineerError as error:
                return self.refuse(request, viewer, error, api=api)
            if api:
                return JSONResponse(page)
            return self.render(
                request,
                route.template,
                same_as=self.same_as(route, request, viewer, page),
                page=page,
                viewer=viewer,
                title=route.title,
            )

        return handle

    def same_as(
        self, route: PageRoute, request: Request, viewer: Viewer, page: Mapping[str, Any]
    ) -> tuple[object, ...] | None:
        """For pages made only of figures: what their main block depends on - the URL, the
        snapshot it showed, the kind of viewer and the targets."""
        if not route.figures_only:
            return None
        query = sorted(request.query_params.items())
        kind = (viewer.aggregates_only, viewer.can("workers"), viewer.child_services())
        version = self.cache.version()
        return (route.name, request.url.path, tuple(query), page.get("snapshot"), kind, version)

    def session(self, request: Request) -> Response:
        """Who is signed in, and the CSRF token a JSON client sends with what it writes."""
        viewer = self.viewer(request)
        if viewer is None:
            return JSONResponse({"error": "Sign in first."}, 401)
        user = viewer.user
        return JSONResponse(
            {
                "username": user.username,
                "role": user.role,
                "services": list(user.services),
                "csrf": viewer.csrf,
            }
        )

    def ready(self, request: Request) -> Response:
        """For a load balancer (no sign-in, no figures): 200 once this process has computed
        the latest snapshot's figures, 503 until then."""
        done = self.cache.computed()
        return JSONResponse({"ready": done, "process": os.getpid()}, 200 if done else 503)

    def refuse(
        self, request: Request, viewer: Viewer, error: ScrutineerError, api: bool = False
    ) -> Response:
        """The error's page (or, for the JSON twin, its message), with its HTTP status."""
        status = error.http_status
        if status == 403:  # a refusal is kept as a view would be: who tried what, and when
            log_access(self.records, viewer.user.username, "refused", request.url.path)
        text = error.on_the_web
        if api:
            return JSONResponse({"error": text}, status)
        return self.render(
            request,
            "error.html",
            status,
            viewer=viewer,
            title=TITLES.get(status, "Not shown"),
            error=text,
        )

    async def not_found(self, request: Request, _: Exception) -> Response:
        """An address with no page (Starlette's 404, and 405 for a method a page lacks)."""
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": NO_PAGE}, 404)
        viewer = await run_in_threadpool(self.viewer, request)
        return self.render(
            request, "error.html", 404, viewer=viewer, title=TITLES[404], error=NO_PAGE
        )

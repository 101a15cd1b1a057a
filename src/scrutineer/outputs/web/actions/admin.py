"""An analyst's narratives, an administrator's users, and a snapshot's data-quality report
as a download."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from scrutineer.calendar import Period
from scrutineer.errors import Forbidden, Invalid, NotShown, ScrutineerError
from scrutineer.outputs.report.layouts import narrative_key
from scrutineer.outputs.web.access import SEE_PAGE
from scrutineer.outputs.web.cookies import redirect_saying
from scrutineer.outputs.web.pages.admin import users
from scrutineer.outputs.web.pages.request import PageRequest
from scrutineer.outputs.web.posting import Posting
from scrutineer.outputs.web.site import Site
from scrutineer.records.narratives import write_narrative
from scrutineer.records.users import (
    add_user,
    disable_user,
    enable_user,
    set_password,
    unlock_user,
)


def save_narrative(p: Posting) -> Response:
    period = Period.parse(p.field("period"))
    theme = narrative_key(p.field("theme"), p.site.cache.catalogue)
    months = p.site.cache.snapshot().months
    if period not in months:
        raise Invalid(f"Analysis is written for a month shown: {months[-1]} to {months[0]}.")
    write_narrative(
        p.site.records,
        theme,
        str(period),
        p.field("analysis").strip(),
        p.field("actions").strip(),
        p.viewer.user.display_name,
    )
    query = urlencode({"period": str(period), "saved": theme})
    return RedirectResponse(f"/narratives?{query}#{theme}", 303)


def users_action(p: Posting) -> Response:
    """Add, disable, enable or unlock a user, or give them a new password (an
    administrator)."""
    action, username = p.field("action"), p.field("username").strip()
    try:
        if action == "add":
            password = add_user(
                p.site.records,
                username,
                p.field("display_name").strip() or username,
                p.field("role"),
                p.field("password") or None,
                tuple(str(s) for s in p.form.getlist("services")),
            )
            said = f"Added {username}. Their password (shown once): {password}"
            return _users_page(p, said)
        elif action == "disable":
            disable_user(p.site.records, username)
            message = f"Disabled {username}: their sessions end now."
        elif action == "unlock":
            unlock_user(p.site.records, username)
            message = f"Unlocked {username}."
        elif action == "enable":
            enable_user(p.site.records, username)
            message = f"Enabled {username}: they can sign in again."
        elif action == "reset":
            password = set_password(p.site.records, username)
            said = f"New password for {username} (shown once): {password}"
            return _users_page(p, said)
        else:
            return p.refuse(Invalid(f"No user action {action!r}."))
    except ScrutineerError as error:
        return redirect_saying(p.request, "/admin/users", str(error), problem=True)
    return redirect_saying(p.request, "/admin/users", message)


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


def _users_page(p: Posting, message: str) -> Response:
    """The users page saying `message`: rendered, not a redirect, so that a password shown
    once never goes into a URL."""
    page = users(PageRequest(p.request, p.viewer, p.site.cache))
    return p.render("users.html", page=page, title="Users", message=message)

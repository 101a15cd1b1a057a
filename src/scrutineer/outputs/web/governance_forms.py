"""Governance forms: a scrutiny officer adds meetings and resolutions (with the
recommendations they make) and records the panel's acceptance; an item's owner, or the
officer, adds dated updates. The monitoring report of a meeting downloads in HTML, PDF or
Word.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from scrutineer.errors import ScrutineerError
from scrutineer.outputs.report.monitoring import monitoring_context, write_monitoring
from scrutineer.outputs.web.forms import Form, checked
from scrutineer.records.governance import (
    accept,
    add_agenda_item,
    add_meeting,
    add_resolution,
    owner_of,
    record_attendance,
    update,
)

if TYPE_CHECKING:
    from scrutineer.outputs.web.app import Web

MEDIA = {
    "html": "text/html",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


async def new_meeting(web: Web, request: Request) -> Response:
    found = await checked(web, request, "governance")
    if isinstance(found, Response):
        return found
    viewer, form = found
    try:
        meeting_id = await run_in_threadpool(
            add_meeting,
            web.records,
            int(str(form.get("panel_id", "0")) or 0),
            _day(str(form.get("held_on", ""))),
            str(form.get("place", "")),
            str(form.get("status", "scheduled")),
        )
    except (ScrutineerError, ValueError) as error:
        return web.refuse(request, viewer, False, 400, str(error))
    return RedirectResponse(f"/governance/meetings/{meeting_id}", 303)


async def new_resolution(web: Web, request: Request) -> Response:
    """A resolution; with a title, the recommendation it makes too."""
    found = await checked(web, request, "governance")
    if isinstance(found, Response):
        return found
    viewer, form = found
    meeting_id = int(str(form.get("meeting_id", "0")) or 0)
    fields = {
        k: str(form.get(k, "")).strip() for k in ("title", "action_proposed", "owner", "due_on")
    }
    item = str(form.get("item_number", "")).strip()
    try:
        await run_in_threadpool(
            add_resolution,
            web.records,
            meeting_id,
            str(form.get("text", "")),
            int(item) if item.isdigit() else None,
            fields if fields["title"] else None,
        )
    except (ScrutineerError, ValueError) as error:
        return web.refuse(request, viewer, False, 400, str(error))
    return RedirectResponse(f"/governance/meetings/{meeting_id}", 303)


async def new_agenda_item(web: Web, request: Request) -> Response:
    found = await checked(web, request, "governance")
    if isinstance(found, Response):
        return found
    viewer, form = found
    meeting_id = int(str(form.get("meeting_id", "0")) or 0)
    try:
        await run_in_threadpool(
            add_agenda_item,
            web.records,
            meeting_id,
            str(form.get("title", "")),
            str(form.get("report", "")),
            str(form.get("author_role", "")),
        )
    except ScrutineerError as error:
        return web.refuse(request, viewer, False, 400, str(error))
    return RedirectResponse(f"/governance/meetings/{meeting_id}", 303)


async def attendance(web: Web, request: Request) -> Response:
    """Each seat's presence, from fields named seat-ID."""
    found = await checked(web, request, "governance")
    if isinstance(found, Response):
        return found
    viewer, form = found
    meeting_id = int(str(form.get("meeting_id", "0")) or 0)
    presence = {
        int(key.removeprefix("seat-")): str(value)
        for key, value in form.items()
        if key.startswith("seat-") and key.removeprefix("seat-").isdigit()
    }
    try:
        await run_in_threadpool(record_attendance, web.records, meeting_id, presence)
    except ScrutineerError as error:
        return web.refuse(request, viewer, False, 400, str(error))
    return RedirectResponse(f"/governance/meetings/{meeting_id}", 303)


async def new_update(web: Web, request: Request) -> Response:
    """A dated update, by the officer or by the item's owner."""
    found = await checked(web, request, None)
    if isinstance(found, Response):
        return found
    viewer, form = found
    ref = str(form.get("ref", ""))
    try:
        owner = await run_in_threadpool(owner_of, web.records, ref)
        if not (viewer.can("governance") or owner == viewer.user.display_name):
            return web.refuse(
                request, viewer, False, 403, "Only its owner or a scrutiny officer updates an item."
            )
        await run_in_threadpool(
            update,
            web.records,
            ref,
            _day(str(form.get("on", ""))),
            str(form.get("action_taken", "")),
            str(form.get("status", "")),
            viewer.user.display_name,
        )
    except (ScrutineerError, ValueError) as error:
        return web.refuse(request, viewer, False, 400, str(error))
    return RedirectResponse("/governance/recommendations", 303)


async def accept_item(web: Web, request: Request) -> Response:
    found = await checked(web, request, "governance")
    if isinstance(found, Response):
        return found
    viewer, form = found
    meeting_id = int(str(form.get("meeting_id", "0")) or 0)
    try:
        await run_in_threadpool(accept, web.records, str(form.get("ref", "")), meeting_id)
    except ScrutineerError as error:
        return web.refuse(request, viewer, False, 400, str(error))
    return RedirectResponse(f"/governance/meetings/{meeting_id}", 303)


async def monitoring_report(web: Web, request: Request) -> Response:
    """The meeting's monitoring report as a file (every signed-in role may read it)."""
    viewer = await run_in_threadpool(web.viewer, request)
    if viewer is None:
        return RedirectResponse("/login", 303)
    fmt = request.path_params["fmt"]
    meeting_id = request.path_params["meeting"]
    if fmt not in MEDIA or not meeting_id.isdigit():
        return web.refuse(request, viewer, False, 404, "No such report.")
    folder = Path(tempfile.mkdtemp(prefix="scrutineer-monitoring-"))
    out = folder / f"monitoring-{meeting_id}.{fmt}"
    try:
        context = await run_in_threadpool(monitoring_context, web.records, int(meeting_id))
        await run_in_threadpool(write_monitoring, context, out)
    except ScrutineerError as error:
        return web.refuse(request, viewer, False, 404, str(error))
    return FileResponse(
        out,
        media_type=MEDIA[fmt],
        filename=out.name,
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )


def _day(text: str) -> date:
    return date.fromisoformat(text.strip())


GOVERNANCE_FORMS = (
    Form("/governance/meetings", "POST", new_meeting),
    Form("/governance/resolutions", "POST", new_resolution),
    Form("/governance/updates", "POST", new_update),
    Form("/governance/agenda", "POST", new_agenda_item),
    Form("/governance/attendance", "POST", attendance),
    Form("/governance/accept", "POST", accept_item),
    Form("/governance/meetings/{meeting}/monitoring.{fmt}", "GET", monitoring_report),
)

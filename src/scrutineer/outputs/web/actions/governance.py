"""Governance forms: a scrutiny officer adds meetings and resolutions (with the
recommendations they make) and records the panel's acceptance; an item's owner, or the
officer, adds dated updates. The monitoring report of a meeting downloads in HTML, PDF or
Word.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from pathlib import Path

from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from scrutineer.calendar import Period, parse_day
from scrutineer.errors import Busy, Forbidden, NotShown, ScrutineerError
from scrutineer.extract.snapshots import SnapshotStore
from scrutineer.outputs.report.layouts import layout_names
from scrutineer.outputs.report.make import make_report
from scrutineer.outputs.report.monitoring import monitoring_context, write_monitoring
from scrutineer.outputs.web.access import Viewer
from scrutineer.outputs.web.cookies import safe_next
from scrutineer.outputs.web.posting import Posting
from scrutineer.outputs.web.site import Site
from scrutineer.records.governance import (
    RECOMMENDATION_FIELDS,
    accept,
    add_resolution,
    add_review,
    add_review_recommendation,
    owner_of,
    update,
)
from scrutineer.records.panels import (
    GovernanceInvalid,
    add_agenda_item,
    add_declaration,
    add_meeting,
    add_panel,
    add_seat,
    agenda_paper,
    end_seat,
    record_attendance,
    set_minutes,
)

MEDIA = {
    "html": "text/html",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def new_panel(p: Posting) -> Response:
    panel_id = add_panel(
        p.site.records,
        p.text("name"),
        int(p.text("quorum") or 0),
        p.text("terms_of_reference"),
    )
    return RedirectResponse(f"/governance/panels/{panel_id}", 303)


def new_seat(p: Posting) -> Response:
    """A member's seat, or a vacant seat (no name)."""
    panel_id = _id(p, "panel_id")
    ends = p.text("ends")
    add_seat(
        p.site.records,
        panel_id,
        p.text("name") or None,
        p.text("kind"),
        _day(p.text("starts")),
        p.text("title"),
        _day(ends) if ends else None,
    )
    return RedirectResponse(f"/governance/panels/{panel_id}", 303)


def seat_ends(p: Posting) -> Response:
    end_seat(p.site.records, _id(p, "seat_id"), _day(p.text("ends")))
    return RedirectResponse(f"/governance/panels/{_id(p, 'panel_id')}", 303)


def new_meeting(p: Posting) -> Response:
    meeting_id = add_meeting(
        p.site.records,
        _id(p, "panel_id"),
        _day(p.text("held_on")),
        p.text("place"),
        p.text("status") or "scheduled",
    )
    return RedirectResponse(f"/governance/meetings/{meeting_id}", 303)


def new_resolution(p: Posting) -> Response:
    """A resolution; with a title, the recommendation it makes too."""
    meeting_id = _id(p, "meeting_id")
    fields = {k: p.text(k) for k in RECOMMENDATION_FIELDS}
    add_resolution(
        p.site.records,
        meeting_id,
        p.text("text"),
        _number(p, "item_number"),
        fields if fields["title"] else None,
    )
    return RedirectResponse(f"/governance/meetings/{meeting_id}", 303)


def new_agenda_item(p: Posting) -> Response:
    """An agenda item; with a layout and month, the performance report it presents."""
    meeting_id = _id(p, "meeting_id")
    layout, month = p.text("report_layout"), p.text("report_period")
    if layout and layout not in layout_names():
        raise GovernanceInvalid(f"No report layout {layout!r}: use {', '.join(layout_names())}.")
    if bool(layout) != bool(month):
        raise GovernanceInvalid("A performance report needs both its layout and its month.")
    add_agenda_item(
        p.site.records,
        meeting_id,
        p.text("title"),
        p.text("report"),
        p.text("author_role"),
        (layout, Period.parse(month)) if layout else None,
    )
    return RedirectResponse(f"/governance/meetings/{meeting_id}", 303)


def attendance(p: Posting) -> Response:
    """Each seat's presence, from fields named seat-ID."""
    meeting_id = _id(p, "meeting_id")
    presence = {
        int(key.removeprefix("seat-")): str(value)
        for key, value in p.form.items()
        if key.startswith("seat-") and key.removeprefix("seat-").isdigit()
    }
    record_attendance(p.site.records, meeting_id, presence)
    return RedirectResponse(f"/governance/meetings/{meeting_id}", 303)


def declaration(p: Posting) -> Response:
    meeting_id = _id(p, "meeting_id")
    add_declaration(
        p.site.records,
        meeting_id,
        _id(p, "seat_id"),
        p.text("interest"),
        _number(p, "item_number"),
    )
    return RedirectResponse(f"/governance/meetings/{meeting_id}", 303)


def minutes(p: Posting) -> Response:
    meeting_id = _id(p, "meeting_id")
    set_minutes(p.site.records, meeting_id, p.text("minutes"))
    return RedirectResponse(f"/governance/meetings/{meeting_id}", 303)


def new_update(p: Posting) -> Response:
    """A dated update (an agency's response, for a review's item), by the officer or by the
    item's owner."""
    ref = p.text("ref")
    owner = owner_of(p.site.records, ref)
    if not (p.viewer.can("governance") or owner == p.viewer.user.display_name):
        return p.refuse(Forbidden("Only its owner or a scrutiny officer updates an item."))
    update(
        p.site.records,
        ref,
        _day(p.text("on")),
        p.text("action_taken"),
        p.text("status"),
        p.viewer.user.display_name,
        p.text("agency"),
    )
    return RedirectResponse(safe_next(p.text("back") or "/governance/recommendations"), 303)


def accept_item(p: Posting) -> Response:
    meeting_id = _id(p, "meeting_id")
    accept(p.site.records, p.text("ref"), meeting_id)
    return RedirectResponse(f"/governance/meetings/{meeting_id}", 303)


def new_review(p: Posting) -> Response:
    published = p.text("published_on")
    review_id = add_review(
        p.site.records,
        p.text("name"),
        p.text("kind"),
        _day(published) if published else None,
        p.text("lead_reviewer"),
        p.text("themes"),
    )
    return RedirectResponse(f"/governance/reviews/{review_id}", 303)


def review_recommendation(p: Posting) -> Response:
    review_id = _id(p, "review_id")
    fields = {k: p.text(k) for k in RECOMMENDATION_FIELDS}
    add_review_recommendation(
        p.site.records,
        review_id,
        fields,
        _day(p.text("made_on")),
    )
    return RedirectResponse(f"/governance/reviews/{review_id}", 303)


async def monitoring_report(web: Site, request: Request) -> Response:
    """The meeting's monitoring report as a file (every signed-in role may read it)."""
    viewer = await run_in_threadpool(web.viewer, request)
    if viewer is None:
        return RedirectResponse("/login", 303)
    fmt = request.path_params["fmt"]
    meeting_id = request.path_params["meeting"]
    if fmt not in MEDIA or not meeting_id.isdigit():
        return web.refuse(request, viewer, NotShown("No such report."))

    def make(out: Path) -> None:
        write_monitoring(monitoring_context(web.records, int(meeting_id)), out)

    return await _made_file(web, request, viewer, f"monitoring-{meeting_id}.{fmt}", make)


async def paper(web: Site, request: Request) -> Response:
    """The performance report an agenda item presents, as the public edition (committee
    papers are public), from the newest snapshot on or before the meeting (the figures the
    panel had), else the latest, and the records as they stood when the meeting's day began
    (now, for a meeting still to come): the same paper each time it is asked for. Every
    signed-in role may read it."""
    viewer = await run_in_threadpool(web.viewer, request)
    if viewer is None:
        return RedirectResponse("/login", 303)
    meeting, item, fmt = (request.path_params[k] for k in ("meeting", "item", "fmt"))
    if fmt not in ("pdf", "html") or not (meeting.isdigit() and item.isdigit()):
        return web.refuse(request, viewer, NotShown("No such paper."))
    found = await run_in_threadpool(agenda_paper, web.records, int(meeting), int(item))
    if found is None:
        return web.refuse(request, viewer, NotShown("This agenda item has no report."))
    layout, month, held_on = found
    settings = web.cache.settings
    before = [m for m in SnapshotStore(settings.snapshots_dir).manifests() if m.as_at <= held_on]
    snapshot = before[-1].id if before else "latest"
    records_as_at = min(datetime.combine(held_on, time(0), UTC), datetime.now(UTC))

    def make(out: Path) -> None:
        make_report(settings, out, layout, "public", Period.parse(month), snapshot, records_as_at)

    return await _made_file(web, request, viewer, f"{layout}-{month}-public.{fmt}", make)


MAX_BUILDS = 2  # papers made at once, one per user: a PDF takes a core for seconds


async def _made_file(
    web: Site, request: Request, viewer: Viewer, name: str, make: Callable[[Path], None]
) -> Response:
    """A file made on request in a folder of its own, served, and removed once sent (or at
    once when it cannot be made: 404 with the reason)."""
    who = viewer.user.username
    if who in web.building or len(web.building) >= MAX_BUILDS:  # each takes a core
        busy = "One is being made for you already" if who in web.building else "Others are"
        return web.refuse(request, viewer, Busy(f"{busy}: try again in a minute."))
    folder = Path(tempfile.mkdtemp(prefix="scrutineer-"))
    out = folder / name
    web.building.add(who)
    try:
        await run_in_threadpool(make, out)
    except ScrutineerError as error:
        shutil.rmtree(folder, ignore_errors=True)
        return web.refuse(request, viewer, NotShown(str(error)))
    finally:
        web.building.discard(who)
    return FileResponse(
        out,
        media_type=MEDIA[out.suffix.lstrip(".")],
        filename=out.name,
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )


def _day(text: str) -> date:
    found = parse_day(text)
    if found is None:
        raise GovernanceInvalid(f"{text!r} is not a date: write it as YYYY-MM-DD.")
    return found


def _id(p: Posting, name: str) -> int:
    text = p.text(name)
    if not text.isdigit():
        raise GovernanceInvalid(f"The form has no {name.replace('_', ' ')}.")
    return int(text)


def _number(p: Posting, name: str) -> int | None:
    text = p.text(name)
    if text and not text.isdigit():
        raise GovernanceInvalid(f"{name.replace('_', ' ').capitalize()} is a number: {text!r}.")
    return int(text) if text else None

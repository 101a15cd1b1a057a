"""The lists behind a clinic and an indicator as files (CSV, Excel), for the roles that see
them on the page: built by the page's own builder (so the same children, the same checks
and the same access log), every row of the list, each download logged with its rows."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from scrutineer.errors import Forbidden, NotShown, ScrutineerError
from scrutineer.outputs.annex_a import Drawn, write_annex_a
from scrutineer.outputs.inspection import summary_pdf
from scrutineer.outputs.report.excel import list_workbook
from scrutineer.outputs.text import to_csv
from scrutineer.outputs.web.access import SEE_PAGE
from scrutineer.outputs.web.pages import figures as pages
from scrutineer.outputs.web.pages import inspection
from scrutineer.outputs.web.pages.request import PageRequest
from scrutineer.outputs.web.site import Site
from scrutineer.records.access_log import log_access

Row = dict[str, object]  # a line of the file: heading -> value
MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
COLUMNS = (  # (heading, the child's field): what a list holds, as the page shows it
    ("Child", "person_id"),
    ("Name", "name"),
    ("Age", "age"),
    ("Service", "service"),
    ("Team", "team"),
    ("Worker", "worker"),
    ("Due", "due"),
    ("Days overdue", "days_overdue"),
    ("Dates", "facts"),
)


async def clinic_overdue(site: Site, request: Request) -> Response:
    """/clinics/SERVICE/overdue.FMT: every child the clinic's overdue list chooses."""

    def rows(p: PageRequest) -> tuple[str, list[Row]]:
        listed, _, _ = pages.overdue_chosen(p)
        found = [{"Indicator": r["title"], **_child(r)} for r in listed]
        return f"overdue-{p.path('service')}-{p.choice.period}", found

    return await _download(site, request, rows)


async def indicator_exceptions(site: Site, request: Request) -> Response:
    """/indicators/ID/exceptions.FMT: the indicator's exception list, as the page shows it."""

    def rows(p: PageRequest) -> tuple[str, list[Row]]:
        page = pages.indicator(p)
        if not page["exceptions"]["allowed"]:
            raise Forbidden(page["exceptions"].get("reason", SEE_PAGE))
        found = [_child(r) for r in page["exceptions"]["rows"]]
        return f"exceptions-{page['kpi']['id']}-{page['period']}", found

    return await _download(site, request, rows)


async def annex_a_file(site: Site, request: Request) -> Response:
    """/inspection/annex-a.xlsx and /inspection/summary.pdf: Annex A's workbook and its
    summary, as the inspection page draws them, each download logged with its rows."""
    viewer = await run_in_threadpool(site.viewer, request)
    if viewer is None:
        return RedirectResponse("/login", 303)
    if not viewer.can("inspection"):
        return site.refuse(request, viewer, Forbidden(SEE_PAGE))
    which = request.path_params["file"]
    if which not in ("annex-a.xlsx", "summary.pdf"):
        return site.refuse(request, viewer, NotShown("Download annex-a.xlsx or summary.pdf."))
    try:
        drawn = await run_in_threadpool(inspection.drawn, PageRequest(request, viewer, site.cache))
        body = await run_in_threadpool(_annex_body, drawn, which, site.cache.settings.la_code)
    except ScrutineerError as error:
        return site.refuse(request, viewer, error)
    name = f"annex-a-{drawn.period.end.isoformat()}-{drawn.period.months}m"
    log_access(
        site.records,
        viewer.user.username,
        "download",
        f"{name} {which}: {drawn.rows} rows in {len(drawn.tables)} lists",
    )
    filename = f"{name}.xlsx" if which.endswith(".xlsx") else f"{name}-summary.pdf"
    media = MEDIA["xlsx"] if which.endswith(".xlsx") else "application/pdf"
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _annex_body(drawn: Drawn, which: str, authority: str) -> bytes:
    if which == "summary.pdf":
        assert drawn.summary is not None
        return summary_pdf(drawn.summary, authority, drawn.snapshot)
    out = io.BytesIO()
    write_annex_a(drawn.tables, drawn.period, authority, out)
    return out.getvalue()


def _child(r: Mapping[str, Any]) -> dict[str, object]:
    return {heading: r.get(field) for heading, field in COLUMNS}


async def _download(
    site: Site, request: Request, rows: Callable[[PageRequest], tuple[str, list[Row]]]
) -> Response:
    viewer = await run_in_threadpool(site.viewer, request)
    if viewer is None:
        return RedirectResponse("/login", 303)
    fmt = request.path_params["fmt"]
    if fmt not in MEDIA:
        return site.refuse(request, viewer, NotShown("A list downloads as .csv or .xlsx."))
    if not viewer.can("children"):
        return site.refuse(request, viewer, Forbidden(SEE_PAGE))
    try:
        name, found = await run_in_threadpool(rows, PageRequest(request, viewer, site.cache))
    except ScrutineerError as error:
        return site.refuse(request, viewer, error)
    log_access(site.records, viewer.user.username, "download", f"{name}.{fmt}: {len(found)} rows")
    body: str | bytes = to_csv(found) if fmt == "csv" else list_workbook(name, found)
    disposition = f'attachment; filename="{name}.{fmt}"'
    return Response(body, media_type=MEDIA[fmt], headers={"Content-Disposition": disposition})

"""Pages for the people who run Scrutineer: the loads, the narratives, users, the access log."""

from __future__ import annotations

from typing import TypedDict

from scrutineer.extract.quality import read_quality
from scrutineer.outputs.report.layouts import narrative_keys, narrative_label
from scrutineer.outputs.web.pages.request import Header, Page, PageRequest
from scrutineer.records.access_log import recent_access
from scrutineer.records.narratives import narratives_for
from scrutineer.records.roles import ROLES
from scrutineer.records.users import list_users, locked


class SnapshotsPage(TypedDict):
    """/snapshots: every load, newest first, with its manifest and warnings."""

    snapshots: list[Page]


class SnapshotPage(TypedDict):
    """/snapshots/ID: one load's unmapped values and data quality, table by table."""

    id: str
    as_at: str
    source_dir: str
    code_maps: list[str]
    unmapped: list[dict[str, object]]
    mapped_rows: int
    has_quality: bool
    tables: list[Page]  # a table, its columns' quality and how many have a problem


class Narrative(TypedDict):
    theme: str
    title: str
    analysis: str
    actions: str
    written: str  # by whom and when, if it is


class NarrativesPage(Header):
    """/narratives: the analysis and actions for each theme or report section."""

    narratives: list[Narrative]


class UsersPage(TypedDict):
    """/admin/users: the users, and what a new one may be given."""

    roles: list[str]
    services: list[dict[str, str]]
    users: list[Page]


class AccessLogPage(TypedDict):
    """/admin/access-log: the latest views of child-level data."""

    entries: list[dict[str, str]]


def snapshots(p: PageRequest) -> SnapshotsPage:
    """Every load, newest first, with its manifest and warnings."""
    cache = p.cache
    return {
        "snapshots": [
            {
                "id": m.id,
                "as_at": m.as_at.isoformat(),
                "as_at_source": m.as_at_source,
                "loaded_at": m.loaded_at.isoformat(timespec="seconds"),
                "source_dir": m.source_dir,
                "fingerprint": m.fingerprint,
                "rows": sum(m.rows.values()),
                "files": [{"table": f.table, "file": f.file, "rows": f.rows} for f in m.files],
                "warnings": list(m.warnings),
                "unmapped": len(m.unmapped),
                "version": m.scrutineer_version,
            }
            for m in reversed(cache.manifests())
        ]
    }


def snapshot(p: PageRequest) -> SnapshotPage:
    """One load for the analysts who mend the CMS: the values left unmapped, and per table
    and column what was filled, placeheld, unmapped, failing or out of range."""
    cache, snapshot_id = p.cache, p.path("snapshot")
    m = cache.store.get(snapshot_id)
    text = cache.store.quality_text(m.id)
    columns = list(read_quality(text)) if text is not None else []
    tables: dict[str, list[Page]] = {}
    for q in columns:
        tables.setdefault(q.table, []).append(
            {
                "column": q.column,
                "in_file": q.in_file,
                "rows": q.rows,
                "filled": q.filled,
                "share_filled": q.share_filled,
                "placeholders": q.placeholders,
                "unmapped": q.unmapped,
                "references_failing": q.references_failing,
                "dates_out_of_range": q.dates_out_of_range,
                "problem": bool(
                    q.placeholders or q.unmapped or q.references_failing or q.dates_out_of_range
                ),
            }
        )
    return {
        "id": m.id,
        "as_at": m.as_at.isoformat(),
        "source_dir": m.source_dir,
        "code_maps": list(m.code_maps),
        "unmapped": [dict(u) for u in m.unmapped],
        "mapped_rows": sum(int(e["rows"]) for e in m.mapped),
        "has_quality": text is not None,
        "tables": [
            {"table": name, "columns": rows, "problems": sum(r["problem"] for r in rows)}
            for name, rows in tables.items()
        ],
    }


def narratives(p: PageRequest) -> NarrativesPage:
    cache, choice = p.cache, p.choice
    written = narratives_for(cache.records, str(choice.period))
    return {
        **choice.header(),
        "narratives": [
            {
                "theme": key,
                "title": narrative_label(key),
                "analysis": written[key].analysis if key in written else "",
                "actions": written[key].actions if key in written else "",
                "written": (
                    f"{written[key].written_by}, {written[key].written_at:%d %B %Y %H:%M}"
                    if key in written
                    else ""
                ),
            }
            for key in narrative_keys(cache.catalogue)
        ],
    }


def users(p: PageRequest) -> UsersPage:
    cache = p.cache
    shut = locked(cache.records)
    return {
        "roles": list(ROLES),
        "services": [{"id": s, "name": n} for s, n in cache.snapshot().services()]
        if cache.manifests()
        else [],
        "users": [
            {
                "username": u.username,
                "display_name": u.display_name,
                "role": u.role,
                "active": u.active,
                "locked": u.username in shut,
                "services": list(u.services),
            }
            for u in list_users(cache.records)
        ],
    }


def access_log(p: PageRequest) -> AccessLogPage:
    cache = p.cache
    return {
        "entries": [
            {
                "at": a.at.isoformat(timespec="seconds"),
                "username": a.username,
                "action": a.action,
                "subject": a.subject,
            }
            for a in recent_access(cache.records)
        ]
    }

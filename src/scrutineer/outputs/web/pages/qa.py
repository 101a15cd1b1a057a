"""Quality-assurance pages. The Focus 5 table and the IRO alert analytics are aggregates
(every role; small numbers suppressed for councillors); the lists of audits and alerts and
a child's QA history are child-level (managers: their services only), and every view of
them is logged. The records come from the records store; the team and service holding a
child's case on a record's date come from the snapshot's allocations.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any, NotRequired, TypedDict

from scrutineer.engine.holders import ChildNow
from scrutineer.errors import Forbidden
from scrutineer.findings import Issue
from scrutineer.outputs.qa_summary import (
    GRADES,
    count_text,
    counted_grade,
    grade_cells,
    hidden_parts,
    qa_summary,
    tally_cells,
    within,
)
from scrutineer.outputs.web.access import Viewer
from scrutineer.outputs.web.figures import Figures
from scrutineer.outputs.web.pages.request import Choice, Header, PageRequest
from scrutineer.records.access_log import log_access
from scrutineer.records.qa import record_types, records_of
from scrutineer.settings import ALERT_LEVELS

Record = dict[str, Any]  # a QA record as the page shows it (dates as YYYY-MM-DD)


class SupervisionRow(TypedDict):
    supervision: str  # the supervision grade
    cells: list[str]  # audits at each overall grade, in GRADES order


class Supervision(TypedDict):
    pairs: str
    correlation: float | None
    rows: list[SupervisionRow]


class Tally(TypedDict):
    name: str
    count: str
    share: str


class QaOverviewPage(Header):
    """/qa: the 12 months' audit grades, supervision against overall grade, IRO alerts."""

    months: str
    focus5: list[dict[str, str]]  # a domain's row: its name, audits graded, each grade's share
    moderated: str
    supervision: Supervision
    alerts: str
    reasons: list[Tally]
    levels: list[Tally]


class AuditListPage(Header):
    """/qa/audits: the 12 months' audits, newest first (`grade` chosen, if any)."""

    grade: str | None
    grades: list[str]
    audits: list[Record]  # each with its counted grade and the team holding the case


class StageNow(TypedDict):
    level: str | None  # the level awaiting a response
    due: str | None
    overdue: bool


class AlertListPage(Header):
    """/qa/alerts: the 12 months' alerts (`state` open: those not resolved)."""

    state: str | None
    alerts: list[Record]  # each with the team and its StageNow


class ChildContext(TypedDict):
    """Who the child is and where their case stands, on the extract's as-at date."""

    name: str | None
    age: int | None
    worker: str | None
    team: str | None
    in_need_since: str | None
    plan_since: str | None
    looked_after_since: str | None


class ChildHistoryPage(Header):
    """/qa/children/ID: who the child is, and every audit, alert and adjourned review."""

    person_id: str
    child: ChildContext | None  # None: not in the extract (a child new since it)
    audits: list[Record]
    alerts: list[Record]
    adjournments: list[Record]


class Problem(TypedDict):
    """What to fix on a form, in words, and the field it is about."""

    field: str
    text: str


class AuditForm(TypedDict):
    """/qa/audits/new: what the form offers, the values sent back and what to fix."""

    programmes: list[str]
    grades: list[str]
    values: dict[str, str]
    problems: list[Problem]


class AlertForm(TypedDict):
    """/qa/alerts/new (and the adjourned-review form, whose values are `adjournment`)."""

    reasons: list[str]
    adjournment_reasons: list[str]
    values: dict[str, str]
    problems: list[Problem]
    adjournment: NotRequired[dict[str, str]]  # sent back to the adjourned-review form


LABELS = {  # each form field as its label names it
    "programme": "Programme",
    "person_id": "Child's ID",
    "audit_date": "Audit date",
    "completed_date": "Completed",
    "grade_overall": "Overall grade",
    "strengths": "Strengths",
    "improvements": "Areas for improvement",
    "raised_date": "Raised on",
    "reasons": "Reasons",
    "review_date": "Review date",
    "reason": "Reason",
    "note": "Note",
}
FIELD_OF = {"started_date": "raised_date", "due_date": "raised_date"}  # the alert's first stage


def problem_of(issue: Issue) -> Problem:
    """A record's problem as the form's words: its field's label, what is wrong with what
    was typed (not the file checks' wording)."""
    field = FIELD_OF.get(issue.column, issue.column)
    label = label_of(field)
    typed = repr(issue.value) if issue.value else "it"
    text = {
        "required": f"{label}: this is needed.",
        "date": f"{label}: {typed} is not a day of the calendar.",
        "code": f"{label}: {typed} is not one of the choices.",
    }.get(issue.rule, f"{label}: {issue.message[:1].lower()}{issue.message[1:]}.")
    return {"field": field, "text": text}


def label_of(field: str) -> str:
    return LABELS.get(field, field.replace("_", " ").capitalize())


def qa_overview(p: PageRequest) -> QaOverviewPage:
    """The 12 months to the chosen month: audit grades by domain, supervision against
    overall grade, and IRO alerts by reason and by the level they reached."""
    viewer, cache, choice = p.viewer, p.cache, p.choice
    summary = qa_summary(cache.records, choice.period.shift(-11).start, choice.period.end)
    hide = viewer.aggregates_only
    pairs = {f"{s} {o}": summary.supervision.get((s, o), 0) for s in GRADES for o in GRADES}
    paired = hidden_parts(pairs, hide, [tuple(pairs)])  # the cells add up to the pairs shown
    return {
        **choice.header(),
        "months": f"{choice.period.shift(-11).start:%B %Y} to {choice.period.start:%B %Y}",
        "focus5": [
            {
                "domain": row.label,
                "graded": count_text(row.graded, hide),
                **grade_cells(row, hide),
            }
            for row in summary.focus5
        ],
        "moderated": count_text(summary.moderated, hide),
        "supervision": {
            "pairs": count_text(summary.pairs, hide),
            "correlation": None if hide and summary.pairs < 5 else summary.correlation,
            "rows": [
                {
                    "supervision": s,
                    "cells": [
                        count_text(pairs[f"{s} {o}"], hide, f"{s} {o}" in paired) for o in GRADES
                    ],
                }
                for s in GRADES
            ],
        },
        "alerts": count_text(summary.alerts, hide),
        "reasons": _tally(summary.reasons, summary.alerts, hide),
        "levels": _tally(summary.levels, summary.alerts, hide, ALERT_LEVELS, sums=True),
    }


def audit_list(p: PageRequest) -> AuditListPage:
    """Audits in the 12 months to the chosen month, newest first, for the viewer's services."""
    viewer, cache, choice, grade = p.viewer, p.cache, p.choice, p.query("grade")
    first, last = choice.period.shift(-11).start, choice.period.end
    audits = [
        a
        for a in records_of(cache.records, "audits")
        if within(a["audit_date"], first, last) and (not grade or counted_grade(a) == grade)
    ]
    shown = _theirs(viewer, cache, choice, audits, "audit_date")
    log_access(
        cache.records, viewer.user.username, "audit list", f"{choice.period}: {len(shown)} audits"
    )
    return {
        **choice.header(),
        "grade": grade,
        "grades": list(GRADES),
        "audits": [
            {**_plain(a), "grade": counted_grade(a), "team": team}
            for a, team in sorted(shown, key=lambda p: p[0]["audit_date"], reverse=True)
        ],
    }


def alert_list(p: PageRequest) -> AlertListPage:
    """Alerts raised in the 12 months to the chosen month; `state` "open" for those not yet
    resolved, with the stage awaiting a response and whether it is overdue."""
    viewer, cache, choice, state = p.viewer, p.cache, p.choice, p.query("state")
    first, last = choice.period.shift(-11).start, choice.period.end
    as_at = choice.figures.manifest.as_at
    stages = records_of(cache.records, "iro_alert_stages")
    alerts = [
        a
        for a in records_of(cache.records, "iro_alerts")
        if within(a["raised_date"], first, last) and (state != "open" or not a["resolved_date"])
    ]
    shown = _theirs(viewer, cache, choice, alerts, "raised_date")
    log_access(
        cache.records, viewer.user.username, "alert list", f"{choice.period}: {len(shown)} alerts"
    )
    return {
        **choice.header(),
        "state": state,
        "alerts": [
            {**_plain(a), "team": team, **_stage_now(a, stages, as_at)}
            for a, team in sorted(shown, key=lambda p: p[0]["raised_date"], reverse=True)
        ],
    }


def child_history(p: PageRequest) -> ChildHistoryPage:
    """Everything quality assurance holds about one child, with the team at each date."""
    viewer, cache, choice, person_id = p.viewer, p.cache, p.choice, p.path("person_id")
    audits = records_of(cache.records, "audits", person_id)
    alerts = records_of(cache.records, "iro_alerts", person_id)
    adjourned = records_of(cache.records, "review_adjournments", person_id)
    refs = {a["alert_ref"] for a in alerts}
    stages = [s for s in records_of(cache.records, "iro_alert_stages") if s["alert_ref"] in refs]
    days = [a["audit_date"] for a in audits] + [a["raised_date"] for a in alerts]
    days += [r["review_date"] for r in adjourned] + [choice.figures.manifest.as_at]
    teams = choice.figures.teams_on([(person_id, d) for d in days])
    allowed = viewer.child_services()
    services = {service for _, service in teams.values()}
    if allowed is not None and not services & set(allowed):
        raise Forbidden("This child's case is not held in a service you are assigned.")
    log_access(cache.records, viewer.user.username, "child QA history", person_id)

    def team(day: date) -> str:
        return teams.get((person_id, day), ("not allocated", ""))[0]

    actions = records_of(cache.records, "audit_actions")
    return {
        **choice.header(),
        "person_id": person_id,
        "child": _context(choice.figures.child_now(person_id)),
        "audits": [
            {
                **_plain(a),
                "grade": counted_grade(a),
                "team": team(a["audit_date"]),
                "actions": [_plain(x) for x in actions if x["audit_ref"] == a["audit_ref"]],
            }
            for a in audits
        ],
        "alerts": [
            {
                **_plain(a),
                "team": team(a["raised_date"]),
                "stages": [_plain(s) for s in stages if s["alert_ref"] == a["alert_ref"]],
            }
            for a in alerts
        ],
        "adjournments": [{**_plain(r), "team": team(r["review_date"])} for r in adjourned],
    }


def _context(child: ChildNow | None) -> ChildContext | None:
    if child is None:
        return None

    def day(d: date | None) -> str | None:
        return d.isoformat() if d else None

    return {
        "name": child.name,
        "age": child.age,
        "worker": child.worker,
        "team": child.team,
        "in_need_since": day(child.in_need_since),
        "plan_since": day(child.plan_since),
        "looked_after_since": day(child.looked_after_since),
    }


def _theirs(
    viewer: Viewer, cache: Figures, choice: Choice, rows: list[dict[str, Any]], day: str
) -> list[tuple[dict[str, Any], str]]:
    """The rows whose child's case was held in one of the viewer's services on `day`."""
    teams = choice.figures.teams_on([(r["person_id"], r[day]) for r in rows])
    allowed = viewer.child_services()
    found = []
    for row in rows:
        team, service = teams.get((row["person_id"], row[day]), ("not allocated", ""))
        if allowed is None or service in allowed:
            found.append((row, team))
    return found


def _stage_now(alert: Record, stages: list[Record], as_at: date) -> StageNow:
    mine = [s for s in stages if s["alert_ref"] == alert["alert_ref"]]
    last = max(mine, key=lambda s: ALERT_LEVELS.index(s["level"]), default=None)
    waiting = last is not None and last["responded_date"] is None and not alert["resolved_date"]
    return {
        "level": last["level"] if last else None,
        "due": last["due_date"].isoformat() if last else None,
        "overdue": bool(waiting and last and last["due_date"] < as_at),
    }


def _tally(
    counts: Counter[str], total: int, hide: bool, order: tuple[str, ...] = (), sums: bool = False
) -> list[Tally]:
    """Each name's count and share of `total`; with `sums`, the counts add up to the total
    (each alert reaches one level; it may give several reasons)."""
    names = list(order) or [name for name, _ in counts.most_common()]
    cells = tally_cells(counts, names, total, hide, sums)
    return [{"name": n, "count": count, "share": share} for n, count, share in cells]


def _plain(row: Record) -> Record:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in row.items()}


def new_audit(p: PageRequest) -> AuditForm:
    """The audit form, empty (the page, and its JSON twin)."""
    return audit_form(p.cache, {})


def new_alert(p: PageRequest) -> AlertForm:
    """The alert form, empty."""
    return alert_form(p.cache, {})


def audit_form(cache: Figures, values: dict[str, str]) -> AuditForm:
    """What the audit form offers, with the values sent back if they need mending."""
    return {
        "programmes": [p["name"] for p in records_of(cache.records, "audit_programmes")],
        "grades": list(_codes("audits", "grade_overall")),
        "values": values or {"audit_date": date.today().isoformat()},
        "problems": [],
    }


def alert_form(cache: Figures, values: dict[str, str]) -> AlertForm:
    """What the alert and adjourned-review forms offer."""
    return {
        "reasons": list(_codes("iro_alerts", "reasons")),
        "adjournment_reasons": list(_codes("review_adjournments", "reason")),
        "values": values or {"raised_date": date.today().isoformat()},
        "problems": [],
    }


def adjournment_form(cache: Figures, values: dict[str, str]) -> AlertForm:
    """The same page, the adjourned-review form given back its values."""
    return {**alert_form(cache, {}), "adjournment": values}


def _codes(name: str, column: str) -> tuple[str, ...]:
    return next(c.codes for c in record_types()[name].columns if c.name == column)

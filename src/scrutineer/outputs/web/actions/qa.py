"""Forms for quality-assurance records: an auditor records and moderates case audits; an
IRO raises, escalates and resolves alerts and records adjourned reviews; a manager answers
an alert about a child of their services. Each record is checked as an imported file's row
is (`records.qa.save_record`): a mistake comes back on the form, and nothing is stored.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from datetime import date
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from scrutineer.calendar import add_working_days, parse_day
from scrutineer.errors import Forbidden, Invalid, NotShown
from scrutineer.outputs.web.access import Viewer
from scrutineer.outputs.web.cookies import redirect_saying
from scrutineer.outputs.web.figures import Figures
from scrutineer.outputs.web.pages.qa import (
    Problem,
    adjournment_form,
    alert_form,
    audit_form,
    label_of,
    problem_of,
)
from scrutineer.outputs.web.posting import Posting
from scrutineer.outputs.web.site import Site
from scrutineer.records.access_log import log_access
from scrutineer.records.qa import (
    as_text,
    record_of,
    record_types,
    records_of,
    save_record,
    save_records,
)
from scrutineer.records.record_files import FilesRejected, NotYours
from scrutineer.settings import ALERT_LEVELS

AUDIT_FIELDS = (
    "programme",
    "person_id",
    "audit_date",
    "completed_date",
    *(f"grade_{d}" for d in ("chronology", "assessment", "plan", "visiting", "supervision")),
    "grade_overall",
    "strengths",
    "improvements",
)
Options = Callable[[Figures, dict[str, str]], Mapping[str, object]]  # a form page
AUTHORS = {"audits": "auditor", "iro_alerts": "iro"}  # each record's author, by its column


def create_audit(p: Posting) -> Response:
    values = {f: p.field(f) for f in AUDIT_FIELDS}
    raw = {**values, "audit_ref": _ref("AU"), "auditor": p.viewer.user.display_name}
    form_page = ("qa_audit_form.html", audit_form, values)
    return _save(p, [("audits", raw)], form_page)


def moderate_audit(p: Posting) -> Response:
    audit = record_of(p.site.records, "audits", audit_ref=p.field("audit_ref"))
    if audit is None:
        return p.refuse(NotShown("No such audit."))
    raw = {
        **as_text(audit),
        "moderated_grade": p.field("moderated_grade"),
        "moderator": p.viewer.user.display_name,
        "moderated_on": date.today().isoformat(),
        "moderation_reasons": p.field("moderation_reasons"),
    }
    return _save(p, [("audits", raw)])


def audit_action(p: Posting) -> Response:
    """Add an action to an audit (an auditor), or mark one done (the auditor, or a manager
    whose service holds the child's case)."""
    step = p.field("step")
    audit = record_of(p.site.records, "audits", audit_ref=p.field("audit_ref"))
    if audit is None:
        return p.refuse(NotShown("No such audit."))
    person = str(audit["person_id"])
    if step == "add":
        raw = {k: p.field(k) for k in ("audit_ref", "action", "owner", "due_date")}
        return _save(p, [("audit_actions", raw)], person=person)
    if step == "done":
        if not (
            p.viewer.can("audit")
            or (p.viewer.can("respond") and p.viewer.sees_children_of(_service_now(p.site, person)))
        ):
            return p.refuse(Forbidden("Your role cannot mark this action done."))
        action = record_of(
            p.site.records, "audit_actions", audit_ref=audit["audit_ref"], action=p.field("action")
        )
        if action is None:
            return p.refuse(NotShown("No such action."))
        raw = {**as_text(action), "done_date": date.today().isoformat()}
        return _save(p, [("audit_actions", raw)], person=person)
    return p.refuse(Invalid(f"No action step {step!r}."))


def raise_alert(p: Posting) -> Response:
    """A new alert, and its informal stage from the day it was raised."""
    values = {
        "person_id": p.field("person_id"),
        "raised_date": p.field("raised_date"),
        "reasons": ";".join(str(r) for r in p.form.getlist("reasons")),
    }
    ref = _ref("IA")
    raw = {**values, "alert_ref": ref, "iro": p.viewer.user.display_name}
    given = [("iro_alerts", raw)]
    raised = parse_day(values["raised_date"])
    if raised is not None:  # one transaction: never an alert without its first stage
        given.append(("iro_alert_stages", _stage(p.site, ref, "informal", raised)))
    form_page = ("qa_alert_form.html", alert_form, values)
    return _save(p, given, form_page)


def step_needs(form: FormData) -> str | None:
    """Adding an action is an auditor's; marking one done is checked by who holds the case."""
    return "audit" if form.get("step") == "add" else None


def action_needs(form: FormData) -> str:
    return "respond" if form.get("action") == "respond" else "alert"


def alert_stage(p: Posting) -> Response:
    """Answer the level awaiting a response (a manager, for their services), escalate to the
    next level, or resolve (an IRO)."""
    action = p.field("action")
    alert = record_of(p.site.records, "iro_alerts", alert_ref=p.field("alert_ref"))
    if alert is None:
        return p.refuse(NotShown("No such alert."))
    person = str(alert["person_id"])
    stages = records_of(p.site.records, "iro_alert_stages", where={"alert_ref": alert["alert_ref"]})
    last = max(stages, key=lambda s: ALERT_LEVELS.index(s["level"]))
    if action == "respond":
        if not p.viewer.sees_children_of(_service_now(p.site, person)):
            return p.refuse(Forbidden("This child's case is not in your services."))
        raw = {
            **as_text(last),
            "responded_date": p.field("responded_date"),
            "response": p.field("response"),
        }
        return _save(p, [("iro_alert_stages", raw)], person=person)
    if action == "escalate":
        level = ALERT_LEVELS.index(last["level"]) + 1
        if level == len(ALERT_LEVELS):
            return p.refuse(Invalid("The alert is with the Director already."))
        stage = _stage(p.site, str(alert["alert_ref"]), ALERT_LEVELS[level], date.today())
        escalated = f"Escalated to {ALERT_LEVELS[level].replace('_', ' ')}."
        return _save(p, [("iro_alert_stages", stage)], None, escalated)
    if action == "resolve":
        raw = {
            **as_text(alert),
            "resolved_level": last["level"],
            "resolved_date": date.today().isoformat(),
            "impact": p.field("impact"),
        }
        return _save(p, [("iro_alerts", raw)])
    return p.refuse(Invalid(f"No alert action {action!r}."))


def adjourn_review(p: Posting) -> Response:
    values = {k: p.field(k) for k in ("person_id", "review_date", "reason", "note")}
    form_page = ("qa_alert_form.html", adjournment_form, values)
    return _save(p, [("review_adjournments", values)], form_page)


DAYS = ("audit_date", "completed_date", "raised_date", "review_date")  # none after today


def _form_problems(p: Posting, values: dict[str, str]) -> list[Problem]:
    """What a form is checked for besides a file's rules: a child the latest extract holds
    (or one the sender says is new), and no day after today."""
    found: list[Problem] = []
    child = values.get("person_id", "").strip()
    figures = p.site.cache.snapshot()
    if child and not p.field("new_child") and not figures.has_child(child):
        found.append(
            {
                "field": "person_id",
                "text": f"Child's ID: no child {child!r} is in the extract as at "
                f"{figures.manifest.as_at:%d %B %Y}. Check the ID, or tick that the child is "
                "new since then.",
            }
        )
    today = date.today()
    for field in DAYS:
        day = parse_day(values.get(field, ""))
        if day is not None and day > today:
            found.append(
                {"field": field, "text": f"{label_of(field)}: {day:%d %B %Y} is after today."}
            )
    return found


def _save(
    p: Posting,
    given: list[tuple[str, dict[str, str]]],
    form_page: tuple[str, Options, dict[str, str]] | None = None,
    message: str = "Saved.",
    person: str | None = None,
) -> Response:
    """Store the records of one action in one transaction, kept as the signed-in user's,
    and go to the child's history; or show the form again with what was typed and what to
    fix, nothing stored."""
    if form_page is not None:
        problems = _form_problems(p, form_page[2])
        if problems:
            return _again(p, form_page, problems)
    try:
        rows = save_records(p.site.records, given, p.viewer.user.username)
    except FilesRejected as rejected:
        if form_page is None:
            return p.refuse(Invalid(str(rejected)))
        return _again(p, form_page, [problem_of(i) for i in rejected.issues])
    p.site.cache.refresh()
    return _back(p, person or str(rows[0].get("person_id", "")), message)


def _again(
    p: Posting, form_page: tuple[str, Options, dict[str, str]], problems: list[Problem]
) -> Response:
    template, options, values = form_page
    typed = {**values, "new_child": p.field("new_child")}  # the box ticked stays ticked
    page = {**options(p.site.cache, typed), "problems": problems}
    return p.render(template, 400, page=page, title="Check the form")


def _stage(web: Site, ref: str, level: str, start: date) -> dict[str, str]:
    """A level of an alert begun on `start`, its response due by the working days set."""
    due = add_working_days(start, web.cache.settings.response_days[level])
    return {
        "alert_ref": ref,
        "level": level,
        "started_date": start.isoformat(),
        "due_date": due.isoformat(),
    }


def _service_now(web: Site, person: str) -> str:
    figures = web.cache.snapshot()
    day = figures.manifest.as_at
    return figures.teams_on([(person, day)]).get((person, day), ("", ""))[1]


def _ref(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(4)}"


def _back(p: Posting, person_id: str, message: str) -> Response:
    return redirect_saying(p.request, f"/qa/children/{quote(person_id)}", message)


def _kind_permission(name: str) -> str:
    """Audits and their programmes and actions are the auditors'; the rest the IROs'."""
    return "audit" if name.startswith("audit") else "alert"


async def api_records(web: Site, request: Request) -> Response:
    """GET: every record of a type, as JSON; POST: one record (JSON, with the session's
    CSRF token in X-CSRF-Token), checked as a file's row is: 201 and the record as stored,
    or 400 and what to fix. A record whose key exists is replaced."""
    viewer = await run_in_threadpool(web.viewer, request)
    name = request.path_params["name"]
    if viewer is None:
        return JSONResponse({"error": "Sign in first."}, 401)
    if name not in record_types():
        return JSONResponse({"error": f"No records {name!r}: {', '.join(record_types())}."}, 404)
    allowed = viewer.can(_kind_permission(name)) or viewer.can("admin")
    if request.method == "GET":
        if not (allowed or viewer.can("records")):
            return JSONResponse({"error": "Your role cannot read these records."}, 403)
        rows = await run_in_threadpool(records_of, web.records, name)
        log_access(web.records, viewer.user.username, "records read", f"{name}: {len(rows)}")
        return JSONResponse({"records": [as_text(r) for r in rows]})
    return await _api_write(web, request, viewer, name, allowed)


async def _api_write(
    web: Site, request: Request, viewer: Viewer, name: str, allowed: bool
) -> Response:
    token = request.headers.get("x-csrf-token", "")
    if not secrets.compare_digest(token, viewer.csrf):
        return JSONResponse({"error": "Send the session's CSRF token in X-CSRF-Token."}, 403)
    if not allowed:
        return JSONResponse({"error": "Your role cannot write these records."}, 403)
    try:
        body = await request.json()
    except ValueError:  # not JSON, or not UTF-8
        return JSONResponse({"error": "The body is not JSON: send one record as an object."}, 400)
    if not isinstance(body, dict):
        return JSONResponse({"error": "Send one record as a JSON object."}, 400)
    raw = {str(k): "" if v is None else str(v) for k, v in body.items()}
    if name in AUTHORS:  # the record's auditor or IRO is who is signed in, whatever is sent
        raw[AUTHORS[name]] = viewer.user.display_name
    author_only = not viewer.can("admin")  # an administrator may replace anyone's
    try:
        row = await run_in_threadpool(
            save_record, web.records, name, raw, viewer.user.username, author_only
        )
    except NotYours as refused:
        return JSONResponse({"error": str(refused)}, 403)
    except FilesRejected as rejected:
        problems = [
            {"column": i.column, "rule": i.rule, "message": i.message, "hint": i.hint}
            for i in rejected.issues
        ]
        return JSONResponse({"problems": problems}, 400)
    web.cache.refresh()
    return JSONResponse({"record": as_text(row)}, 201)

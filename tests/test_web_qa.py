"""Quality-assurance indicators on the dashboard: "no data" until records exist, then the
engine's figures, refreshed after an import; their children shown only as roles allow."""

from __future__ import annotations

import csv
import html
import json
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from scrutineer.outputs.web.routes import create_app
from scrutineer.records.access_log import recent_access
from scrutineer.records.qa import changes, export_file, import_files
from scrutineer.records.users import add_user
from scrutineer.synth.qa import generate_qa
from tests.support.extracts import SMALL
from tests.support.web import WebData, client, csrf_of, sign_in

KPI = "iro_alerts_timely_pct"  # has an exception list of children


def test_qa_indicators_appear_after_an_import_and_children_stay_with_their_roles(
    web_data: WebData, small_authority: Path, tmp_path: Path
) -> None:
    app: Any = create_app(web_data.settings, web_data.records)
    analyst = sign_in(app, "analyst", web_data.passwords["analyst"])
    before = analyst.get("/api/indicators/audits_good_pct").json()
    assert before["value"] == "no data" and before["series"][-1]["status"] == "no data"

    generate_qa(small_authority, tmp_path / "qa", SMALL.end, web_data.settings.response_days)
    import_files(web_data.records, sorted((tmp_path / "qa").glob("*.csv")))
    app.state.web.cache.refresh()

    page = analyst.get(f"/api/indicators/{KPI}").json()
    latest = page["series"][-1]
    assert latest["status"] == "ok" and latest["denominator"] > 20
    rows = page["exceptions"]["rows"]
    assert len(rows) == latest["denominator"] - latest["numerator"]
    for row in rows:  # missed: answered after the due date, or not yet
        answered = row["dates"]["responded_date"]
        assert answered is None or answered > row["dates"]["due_date"]
    audits = analyst.get("/api/indicators/audits_good_pct").json()
    assert audits["series"][-1]["denominator"] > 5  # the page made before is not served again

    manager = sign_in(app, "manager", web_data.passwords["manager"])
    mine = manager.get(f"/api/indicators/{KPI}").json()["exceptions"]["rows"]
    services = dict(app.state.web.cache.snapshot().services())
    assert {r["service"] for r in mine} <= {services[web_data.service]}
    assert len(mine) < len(rows)

    panel = sign_in(app, "panel", web_data.passwords["panel"])
    seen = panel.get(f"/api/indicators/{KPI}").json()
    assert seen["exceptions"]["rows"] == [] and not seen["exceptions"]["allowed"]
    html = panel.get(f"/indicators/{KPI}").text
    assert not [r["name"] for r in rows if r["name"] and r["name"] in html]


def test_the_focus_5_table_lists_and_a_childs_history(
    web_data: WebData, small_authority: Path, tmp_path: Path
) -> None:
    """Run after the import above (same records store); works on its own too."""
    app: Any = create_app(web_data.settings, web_data.records)
    folder = tmp_path / "qa"
    generate_qa(small_authority, folder, SMALL.end, web_data.settings.response_days)
    import_files(web_data.records, sorted(folder.glob("*.csv")))  # the same keys: replaced
    analyst = sign_in(app, "analyst", web_data.passwords["analyst"])
    page = analyst.get("/api/qa").json()

    # worked out here from the files: audits completed April 2025 to March 2026
    with (folder / "audits.csv").open(encoding="utf-8") as handle:
        audits = [a for a in csv.DictReader(handle) if a["completed_date"]]
    supervision = [a["grade_supervision"] for a in audits if a["grade_supervision"]]
    good = sum(g in ("good", "outstanding") for g in supervision)
    row = next(r for r in page["focus5"] if r["domain"] == "Supervision")
    assert row["graded"] == f"{len(supervision):,}"
    assert row["good_or_better"] == f"{100 * good / len(supervision):.1f}%"
    counted = [a["moderated_grade"] or a["grade_overall"] for a in audits]
    overall = next(r for r in page["focus5"] if r["domain"] == "Overall (as moderated)")
    inadequate = sum(g == "inadequate" for g in counted)
    assert overall["inadequate"] == f"{100 * inadequate / len(counted):.1f}%"
    assert 0 < page["supervision"]["correlation"] <= 1  # the generator ties them together

    panel = sign_in(app, "panel", web_data.passwords["panel"])
    shown = panel.get("/api/qa").json()
    for table in ("reasons", "levels"):
        small = {r["name"] for r in page[table] if 1 <= int(r["count"].replace(",", "")) <= 4}
        hidden_names = {r["name"] for r in shown[table] if r["count"] == "*"}
        if table == "reasons":  # an alert may give several: they add up to nothing shown
            assert hidden_names == small
        else:  # each alert reaches one level: never one hidden, or the total gives it back
            assert small <= hidden_names and len(hidden_names) != 1
    cells = [c for r in page["supervision"]["rows"] for c in r["cells"]]
    hidden = [c for r in shown["supervision"]["rows"] for c in r["cells"]]
    # every count of 1 to 4 hidden, every other shown (whether this draw has small counts
    # depends on what other tests recorded in the shared store; test_suppression.py pins
    # the rule itself)
    assert len(hidden) == len(cells) > 0
    assert all(h == ("*" if 1 <= int(c) <= 4 else c) for c, h in zip(cells, hidden, strict=True))
    assert panel.get("/api/qa/audits").status_code == 403

    manager = sign_in(app, "manager", web_data.passwords["manager"])
    everyone = analyst.get("/api/qa/alerts").json()["alerts"]
    mine = manager.get("/api/qa/alerts").json()["alerts"]
    assert len(mine) < len(everyone)
    teams = {
        t.name for t in app.state.web.cache.snapshot().teams if t.service_id == web_data.service
    }
    assert {a["team"] for a in mine} <= teams

    def elsewhere(person_id: str) -> bool:  # every record of the child's in another service
        seen = analyst.get(f"/api/qa/children/{person_id}").json()
        records = seen["audits"] + seen["alerts"] + seen["adjournments"]
        return all(r["team"] not in teams for r in records)

    theirs = next(
        a
        for a in everyone
        if a["team"] not in teams and a["team"] != "not allocated" and elsewhere(a["person_id"])
    )
    assert manager.get(f"/api/qa/children/{theirs['person_id']}").status_code == 403
    history = analyst.get(f"/api/qa/children/{theirs['person_id']}").json()
    assert theirs["alert_ref"] in {a["alert_ref"] for a in history["alerts"]}
    assert all(s["alert_ref"] == a["alert_ref"] for a in history["alerts"] for s in a["stages"])
    log = recent_access(web_data.records, 5)
    assert (log[0].username, log[0].action) == ("analyst", "child QA history")


def test_records_round_trip_through_the_forms_by_role(web_data: WebData, tmp_path: Path) -> None:
    app: Any = create_app(web_data.settings, web_data.records)
    auditor = sign_in(app, "auditor", web_data.passwords["auditor"])
    token = csrf_of(auditor.get("/qa/audits/new").text)
    audit = {
        "csrf": token,
        "programme": "Core tool audits",
        "person_id": web_data.child,
        "audit_date": "2026-03-02",
        "completed_date": "2026-03-09",
        "grade_supervision": "requires_improvement",
        "grade_overall": "Good",
        "strengths": "Clear voice of the child.",
    }
    before = export_file(web_data.records, "audits")
    bad = auditor.post("/qa/audits", data={**audit, "audit_date": "2026-02-30"})
    assert bad.status_code == 400
    assert "Audit date: '2026-02-30' is not a day of the calendar." in html.unescape(bad.text)
    assert export_file(web_data.records, "audits") == before  # nothing stored
    saved = auditor.post("/qa/audits", data=audit)
    assert saved.status_code == 303 and saved.headers["location"].startswith(
        f"/qa/children/{web_data.child}"
    )
    exported = [
        r for r in export_file(web_data.records, "audits").splitlines() if "Clear voice" in r
    ]
    assert len(exported) == 1 and ",2026-03-02,2026-03-09," in exported[0]
    assert ",Test auditor," in exported[0] and ",good,Clear voice of the child.," in exported[0]
    ref = exported[0].split(",")[0]
    assert (
        auditor.post(
            "/qa/audits/moderate",
            data={
                "csrf": token,
                "audit_ref": ref,
                "moderated_grade": "requires improvement",
                "moderation_reasons": "Plan not SMART.",
            },
        ).status_code
        == 303
    )
    history = auditor.get(f"/api/qa/children/{web_data.child}").json()
    mine = next(a for a in history["audits"] if a["audit_ref"] == ref)
    assert (mine["grade"], mine["moderator"]) == ("requires_improvement", "Test auditor")

    action = {"csrf": token, "audit_ref": ref, "step": "add", "action": "Update the plan"}
    added = auditor.post(
        "/qa/audits/actions", data={**action, "owner": "TM", "due_date": "2026-04-01"}
    )
    assert added.status_code == 303

    manager = sign_in(app, "manager", web_data.passwords["manager"])
    manager_token = csrf_of(manager.get("/").text)
    assert manager.post("/qa/audits", data={**audit, "csrf": manager_token}).status_code == 403
    done = {**action, "csrf": manager_token, "step": "done"}
    assert manager.post("/qa/audits/actions", data={**done, "step": "add"}).status_code == 403
    assert manager.post("/qa/audits/actions", data=done).status_code == 303  # their service
    history = manager.get(f"/api/qa/children/{web_data.child}").json()
    (marked,) = next(a for a in history["audits"] if a["audit_ref"] == ref)["actions"]
    assert (marked["action"], marked["owner"], marked["due_date"]) == (
        "Update the plan",
        "TM",
        "2026-04-01",
    )
    assert marked["done_date"] is not None
    assert manager.get("/qa/alerts/new").status_code == 403

    iro = sign_in(app, "iro", web_data.passwords["iro"])
    iro_token = csrf_of(iro.get("/qa/alerts/new").text)
    raised = iro.post(
        "/qa/alerts",
        data={
            "csrf": iro_token,
            "person_id": web_data.child,
            "raised_date": "2026-03-06",
            "reasons": ["visiting_frequency", "permanence_drift"],
        },
    )
    assert raised.status_code == 303
    alert = next(
        a
        for a in iro.get(f"/api/qa/children/{web_data.child}").json()["alerts"]
        if a["raised_date"] == "2026-03-06"
    )
    assert alert["reasons"] == "visiting_frequency;permanence_drift"
    # raised on Friday 6 March: 5 working days later is Friday 13 March
    assert [(s["level"], s["due_date"]) for s in alert["stages"]] == [("informal", "2026-03-13")]
    respond = {
        "csrf": manager_token,
        "alert_ref": alert["alert_ref"],
        "action": "respond",
        "responded_date": "2026-03-12",
        "response": "Visits booked.",
    }
    assert manager.post("/qa/alerts/stage", data=respond).status_code == 303
    assert (
        iro.post(
            "/qa/alerts/stage",
            data={"csrf": iro_token, "alert_ref": alert["alert_ref"], "action": "escalate"},
        ).status_code
        == 303
    )
    assert (
        iro.post(
            "/qa/alerts/stage",
            data={
                "csrf": iro_token,
                "alert_ref": alert["alert_ref"],
                "action": "resolve",
                "impact": "Visits restored.",
            },
        ).status_code
        == 303
    )
    resolved = next(
        a
        for a in iro.get(f"/api/qa/children/{web_data.child}").json()["alerts"]
        if a["alert_ref"] == alert["alert_ref"]
    )
    assert [s["level"] for s in resolved["stages"]] == ["informal", "service_manager"]
    assert resolved["stages"][0]["responded_date"] == "2026-03-12"
    assert (resolved["resolved_level"], resolved["impact"]) == (
        "service_manager",
        "Visits restored.",
    )
    viewer = sign_in(app, "viewer", web_data.passwords["viewer"])
    forged = {
        "csrf": csrf_of(viewer.get("/").text),
        "alert_ref": alert["alert_ref"],
        "action": "resolve",
    }
    assert viewer.post("/qa/alerts/stage", data=forged).status_code == 403


def test_records_round_trip_through_the_json_api(web_data: WebData) -> None:
    app: Any = create_app(web_data.settings, web_data.records)
    auditor = sign_in(app, "auditor", web_data.passwords["auditor"])
    token = auditor.get("/api/session").json()["csrf"]
    record = {
        "audit_ref": "API-1",
        "programme": "Core tool audits",
        "person_id": web_data.child,
        "auditor": "Test auditor",
        "audit_date": "2026-03-03",
        "completed_date": None,
        "grade_overall": "inadequate",
    }
    url = "/api/qa/records/audits"
    assert auditor.post(url, json=record).status_code == 403  # no CSRF token
    bad = auditor.post(
        url, json={**record, "grade_overall": "poor"}, headers={"X-CSRF-Token": token}
    )
    assert bad.status_code == 400
    assert bad.json()["problems"][0]["column"] == "grade_overall"
    made = auditor.post(url, json=record, headers={"X-CSRF-Token": token})
    assert made.status_code == 201 and made.json()["record"]["audit_date"] == "2026-03-03"
    stored = [r for r in auditor.get(url).json()["records"] if r["audit_ref"] == "API-1"]
    assert len(stored) == 1 and stored[0]["completed_date"] == ""
    again = auditor.post(url, json=stored[0], headers={"X-CSRF-Token": token})
    assert again.status_code == 201  # the same record back: replaced, not added
    assert [r["audit_ref"] for r in auditor.get(url).json()["records"]].count("API-1") == 1

    iro = sign_in(app, "iro", web_data.passwords["iro"])
    iro_token = iro.get("/api/session").json()["csrf"]
    assert iro.post(url, json=record, headers={"X-CSRF-Token": iro_token}).status_code == 403
    viewer = sign_in(app, "viewer", web_data.passwords["viewer"])
    assert viewer.get(url).status_code == 403
    assert client(app).get(url).status_code == 401
    assert auditor.get("/api/qa/records/secrets").status_code == 404


def test_a_record_is_its_author_s_and_every_change_is_kept(web_data: WebData) -> None:
    """Through the API an auditor could write any name as an audit's auditor, and replace
    another auditor's audit. Now the auditor is who is signed in, only the audit's author
    (or an administrator) replaces it, and each change is kept: who, when, before, after."""
    app: Any = create_app(web_data.settings, web_data.records)
    add_user(web_data.records, "auditor-two", "Second Auditor", "auditor", "auditor-two-pass")
    first = sign_in(app, "auditor", web_data.passwords["auditor"])
    second = sign_in(app, "auditor-two", "auditor-two-pass")
    admin = sign_in(app, "admin", web_data.passwords["admin"])
    record = {
        "audit_ref": "FORGE-1",
        "programme": "Core tool audits",
        "person_id": web_data.child,
        "auditor": "Somebody Else",
        "audit_date": "2026-03-04",
        "grade_overall": "good",
    }
    url = "/api/qa/records/audits"

    def post(who: TestClient, body: dict[str, str]) -> Any:
        token = who.get("/api/session").json()["csrf"]
        return who.post(url, json=body, headers={"X-CSRF-Token": token})

    made = post(first, record)
    assert made.status_code == 201 and made.json()["record"]["auditor"] == "Test auditor"
    taken = post(second, {**record, "grade_overall": "inadequate"})
    assert taken.status_code == 403 and "only they, or an administrator" in taken.json()["error"]
    assert post(first, {**record, "grade_overall": "outstanding"}).status_code == 201
    assert post(admin, {**record, "grade_overall": "requires_improvement"}).status_code == 201
    token = first.get("/api/session").json()["csrf"]
    garbled = first.post(url, content=b"{not json", headers={"X-CSRF-Token": token})
    assert garbled.status_code == 400 and "not JSON" in garbled.json()["error"]

    kept = [c for c in changes(web_data.records) if '"FORGE-1"' in c.record_key]
    assert [(c.action, c.changed_by) for c in kept] == [
        ("created", "auditor"),
        ("replaced", "auditor"),
        ("replaced", "admin"),
    ]
    assert kept[0].before is None and json.loads(kept[0].after)["grade_overall"] == "good"
    assert json.loads(kept[2].before or "{}")["grade_overall"] == "outstanding"
    assert json.loads(kept[2].after)["grade_overall"] == "requires_improvement"


def test_an_alert_and_its_first_stage_are_stored_together(web_data: WebData) -> None:
    """Raised through the form: the alert and its informal stage in one transaction (two,
    and a server killed between them left an alert with no stage, which then gave 500)."""
    app: Any = create_app(web_data.settings, web_data.records)
    iro = sign_in(app, "iro", web_data.passwords["iro"])
    form = iro.get("/qa/alerts/new").text
    sent = {
        "csrf": csrf_of(form),
        "person_id": web_data.child,
        "raised_date": "2026-03-02",
        "reasons": "visiting_frequency",
    }
    assert iro.post("/qa/alerts", data=sent).status_code == 303
    made = [c for c in changes(web_data.records) if c.changed_by == "iro"][-2:]
    assert [c.record_type for c in made] == ["iro_alerts", "iro_alert_stages"]
    assert made[0].changed_at == made[1].changed_at  # one action, one transaction
    ref = json.loads(made[0].after)["alert_ref"]
    stage = json.loads(made[1].after)
    assert (stage["alert_ref"], stage["level"], stage["started_date"]) == (
        ref,
        "informal",
        "2026-03-02",
    )
    before = len(changes(web_data.records))
    refused = iro.post("/qa/alerts", data={**sent, "person_id": ""})
    assert refused.status_code == 400 and len(changes(web_data.records)) == before


def test_a_form_keeps_what_was_typed_and_says_what_to_fix_at_the_field(
    web_data: WebData,
) -> None:
    """An alert for a child the extract does not hold, or raised on a day after today, is
    refused with nothing stored; the form comes back with what was typed and a sentence at
    the field (not the file checks' wording); a child ticked as new since the extract is
    taken. The adjourned-review form gets its own values back, not the alert form."""
    app: Any = create_app(web_data.settings, web_data.records)
    iro = sign_in(app, "iro", web_data.passwords["iro"])
    sent = {
        "csrf": csrf_of(iro.get("/qa/alerts/new").text),
        "person_id": "NOBODY-1",
        "raised_date": "2026-03-03",
        "reasons": "permanence_drift",
    }
    before = len(changes(web_data.records))
    unknown = iro.post("/qa/alerts", data=sent)
    page = html.unescape(unknown.text)
    assert unknown.status_code == 400 and len(changes(web_data.records)) == before
    assert "Child's ID: no child 'NOBODY-1' is in the extract as at 31 March 2026" in page
    assert 'id="person_id-problem"' in page and 'aria-describedby="person_id-problem"' in page
    assert 'value="NOBODY-1"' in page and 'value="2026-03-03"' in page
    assert 'value="permanence_drift" checked' in page  # the reason ticked stays ticked
    later = iro.post(
        "/qa/alerts", data={**sent, "person_id": web_data.child, "raised_date": "2030-01-02"}
    )
    assert later.status_code == 400 and "Raised on: 02 January 2030 is after today." in later.text
    empty = iro.post("/qa/alerts", data={**sent, "person_id": web_data.child, "reasons": ""})
    assert empty.status_code == 400 and "Reasons: this is needed." in empty.text
    assert "Every row needs a value here" not in empty.text and "[required]" not in empty.text
    assert len(changes(web_data.records)) == before
    new = iro.post("/qa/alerts", data={**sent, "new_child": "1"})
    assert new.status_code == 303  # a case newer than the extract, said to be so
    adjourned = {"csrf": sent["csrf"], "person_id": web_data.child, "review_date": "2030-05-01"}
    refused = iro.post(
        "/qa/adjournments", data={**adjourned, "reason": "no_care_plan", "note": "Moved"}
    )
    form = html.unescape(refused.text)
    assert refused.status_code == 400 and "Review date: 01 May 2030 is after today." in form
    assert 'id="a_person" name="person_id" value="' + web_data.child + '"' in form
    assert 'value="Moved"' in form and 'value="no_care_plan" selected' in form
    assert 'id="person_id" name="person_id" value=""' in form  # the alert form left empty


def test_a_childs_page_says_who_they_are_and_where_the_case_stands(web_data: WebData) -> None:
    """The page a child's id leads to: their name and age, the worker and team holding the
    case, and the episodes open on the extract's as-at date, beside their QA history."""
    app: Any = create_app(web_data.settings, web_data.records)
    manager = sign_in(app, "manager", web_data.passwords["manager"])
    page = manager.get(f"/api/qa/children/{web_data.child}").json()
    child = page["child"]
    assert child["name"] and child["worker"] and child["team"]
    assert child["plan_since"] is not None  # on the CP visits exception list: on a plan
    assert 0 <= child["age"] < 18
    shown = html.unescape(manager.get(f"/qa/children/{web_data.child}").text)
    assert f"{child['name']} ({web_data.child})" in shown and child["worker"] in shown

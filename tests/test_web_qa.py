"""Quality-assurance indicators on the dashboard: "no data" until records exist, then the
engine's figures, refreshed after an import; their children shown only as roles allow."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from tests.conftest import SMALL, WebData
from tests.test_web import sign_in

from scrutineer.outputs.web.app import create_app
from scrutineer.records.access_log import recent_access
from scrutineer.records.qa import import_files
from scrutineer.synth.qa import generate_qa

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
        assert {r["name"] for r in shown[table] if r["count"] == "*"} == small
    cells = [c for r in page["supervision"]["rows"] for c in r["cells"]]
    hidden = [c for r in shown["supervision"]["rows"] for c in r["cells"]]
    small = [i for i, c in enumerate(cells) if 1 <= int(c) <= 4]
    assert small and [i for i, c in enumerate(hidden) if c == "*"] == small
    assert all(hidden[i] == cells[i] for i in range(len(cells)) if i not in small)
    assert panel.get("/api/qa/audits").status_code == 403

    manager = sign_in(app, "manager", web_data.passwords["manager"])
    everyone = analyst.get("/api/qa/alerts").json()["alerts"]
    mine = manager.get("/api/qa/alerts").json()["alerts"]
    assert len(mine) < len(everyone)
    teams = {t[1] for t in app.state.web.cache.snapshot().teams if t[2] == web_data.service}
    assert {a["team"] for a in mine} <= teams

    theirs = next(a for a in everyone if a["team"] not in teams and a["team"] != "not allocated")
    assert manager.get(f"/api/qa/children/{theirs['person_id']}").status_code == 403
    history = analyst.get(f"/api/qa/children/{theirs['person_id']}").json()
    assert theirs["alert_ref"] in {a["alert_ref"] for a in history["alerts"]}
    assert all(s["alert_ref"] == a["alert_ref"] for a in history["alerts"] for s in a["stages"])
    log = recent_access(web_data.records, 5)
    assert (log[0].username, log[0].action) == ("analyst", "child QA history")

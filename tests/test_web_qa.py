"""Quality-assurance indicators on the dashboard: "no data" until records exist, then the
engine's figures, refreshed after an import; their children shown only as roles allow."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import SMALL, WebData
from tests.test_web import sign_in

from scrutineer.outputs.web.app import create_app
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

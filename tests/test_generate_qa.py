"""The synthetic year of quality-assurance records: about the authority's own children,
importable as it is, deterministic, and shaped like the brief's authority."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from scrutineer.calendar import add_working_days, working_days_between
from scrutineer.records.qa import import_files
from scrutineer.records.store import open_records
from scrutineer.settings import load_settings
from scrutineer.synth.qa import generate_qa
from tests.support.extracts import SMALL

DAYS = {"informal": 5, "service_manager": 10, "head_of_service": 10, "director": 20}


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_a_year_of_records_imports_and_is_about_the_authoritys_children(
    small_authority: Path, tmp_path: Path
) -> None:
    counts = generate_qa(small_authority, tmp_path / "qa", SMALL.end, DAYS)
    records = open_records(load_settings({"SCRUTINEER_DATA_DIR": str(tmp_path)}, tmp_path / "e"))
    stored = import_files(records, sorted((tmp_path / "qa").glob("*.csv")))
    assert stored == {name: n for name, n in counts.items() if n}
    assert 200 <= counts["audits"] <= 400  # about 26 a month for 12 months
    assert 50 <= counts["iro_alerts"] <= 120  # about 7 a month
    children = {r["pers_person_id"] for r in rows(small_authority / "ssd_person.csv")}
    audits = rows(tmp_path / "qa" / "audits.csv")
    alerts = rows(tmp_path / "qa" / "iro_alerts.csv")
    assert {a["person_id"] for a in audits} <= children
    assert {a["person_id"] for a in alerts} <= children
    assert all("2025-04-01" <= a["audit_date"] <= "2026-03-31" for a in audits)
    good = sum(a["grade_overall"] in ("good", "outstanding") for a in audits) / len(audits)
    assert 0.4 <= good <= 0.65
    moderated = [a for a in audits if a["moderated_grade"]]
    assert 0.05 <= len(moderated) / len(audits) <= 0.25
    assert all(a["moderated_on"] >= a["completed_date"] for a in moderated)


def test_alert_stages_follow_the_working_day_timescales(
    small_authority: Path, tmp_path: Path
) -> None:
    generate_qa(small_authority, tmp_path / "qa", SMALL.end, DAYS)
    stages = rows(tmp_path / "qa" / "iro_alert_stages.csv")
    alerts = {a["alert_ref"]: a for a in rows(tmp_path / "qa" / "iro_alerts.csv")}
    for stage in stages:
        start, due = (stage[k] for k in ("started_date", "due_date"))
        assert working_days_between(*map(_day, (start, due))) == DAYS[stage["level"]]
        assert due == add_working_days(_day(start), DAYS[stage["level"]]).isoformat()
    escalated = {s["alert_ref"] for s in stages if s["level"] != "informal"}
    assert 0.2 <= len(escalated) / len(alerts) <= 0.5  # a third go past the informal stage
    for ref, alert in alerts.items():
        levels = [s["level"] for s in stages if s["alert_ref"] == ref]
        assert levels[0] == "informal"
        assert alert["resolved_level"] in ("", levels[-1])


def test_the_same_seed_writes_the_same_files(small_authority: Path, tmp_path: Path) -> None:
    generate_qa(small_authority, tmp_path / "a", SMALL.end, DAYS, seed=3)
    generate_qa(small_authority, tmp_path / "b", SMALL.end, DAYS, seed=3)
    for path in (tmp_path / "a").iterdir():
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes()


def _day(text: str) -> date:
    return date.fromisoformat(text)

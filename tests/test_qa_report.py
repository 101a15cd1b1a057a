"""The board report's quality-assurance tables: the dashboard's numbers, suppressed in the
public edition."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from scrutineer.calendar import Period
from scrutineer.outputs.qa_summary import qa_summary
from scrutineer.outputs.report.make import make_report
from scrutineer.records.qa import import_files
from scrutineer.records.store import open_records
from scrutineer.settings import ALERT_LEVELS
from scrutineer.synth.qa import generate_qa
from tests.support.extracts import SMALL
from tests.support.web import WebData


def test_the_board_report_has_the_focus_5_table_and_alerts(
    web_data: WebData, small_authority: Path, tmp_path: Path
) -> None:
    # its own records store (the same snapshots), so other tests see no QA records
    settings = replace(web_data.settings, records_url=f"sqlite:///{tmp_path / 'r.sqlite3'}")
    records = open_records(settings)
    generate_qa(small_authority, tmp_path / "qa", SMALL.end, settings.response_days)
    import_files(records, sorted((tmp_path / "qa").glob("*.csv")))
    month = Period(2026, 3)
    summary = qa_summary(records, month.shift(-11).start, month.end)
    overall = summary.focus5[-1]
    internal = make_report(settings, tmp_path / "board.html", "board", "internal", month)
    html = internal.read_text(encoding="utf-8")
    assert "Quality assurance records: April 2025 to March 2026" in html
    good = f"{100 * overall.good_or_better / overall.graded:.1f}%"
    assert f'<th scope="row">Overall (as moderated)</th><td>{overall.graded:,}</td>' in html
    assert good in html.split("Overall (as moderated)")[1].split("</tr>")[0]
    assert f"IRO alerts ({summary.alerts:,} raised)" in html

    public = make_report(settings, tmp_path / "public.html", "board", "public", month)
    text = public.read_text(encoding="utf-8").split("Quality assurance records")[1]
    hidden = []
    for level in ALERT_LEVELS:  # 1 to 4 suppressed, and never one alone (the total is shown)
        n = summary.levels[level]
        name = level.replace("_", " ").capitalize()
        cell = text.split(f"Reached: {name}</th><td>")[1].split("</td>")[0]
        assert cell == "*" if 1 <= n <= 4 else cell in ("*", f"{n:,}")
        hidden += [level] if cell == "*" else []
    assert len(hidden) != 1
    scrutiny = make_report(settings, tmp_path / "s.html", "scrutiny", "internal", month)
    assert "Quality assurance records" not in scrutiny.read_text(encoding="utf-8")

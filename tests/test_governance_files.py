"""Governance records in and out as CSV, on SQLite and PostgreSQL: a tracker kept in a
spreadsheet imports (dates as DD/MM/YYYY, statuses as people write them); the demo's year
exports and imports elsewhere into the same monitoring lists; bad files are refused with
file, row and column, and nothing changes.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, func, select
from sqlalchemy.orm import Session

from scrutineer.records import models
from scrutineer.records.governance import REVIEW_KINDS, STATUSES, monitoring_list
from scrutineer.records.governance_files import (
    GOVERNANCE,
    export_folder,
    import_files,
    render_files_doc,
)
from scrutineer.records.governance_year import record_governance_year
from scrutineer.records.panels import MEETING_STATUSES, PRESENCE, SEAT_KINDS, find_meeting
from scrutineer.records.record_files import FilesRejected
from scrutineer.records.store import upgrade
from tests.support.paths import DOCS

# A panel's tracker as an officer keeps it. Worked out by hand: at the 9 December 2025
# meeting, S1 (made 9 September, partially complete on 1 November, due 30 November) is on
# the list and overdue; S2 (made 9 September, complete on 20 November) is on it awaiting
# acceptance; at 10 March 2026, which accepts S2, S2 is "accepted here".
TRACKER = {
    "panels.csv": "name,quorum,terms_of_reference\nCorporate Parenting Panel,2,\n",
    "panel_members.csv": (
        "panel,name,kind,title,starts,ends\n"
        "Corporate Parenting Panel,Cllr Ada,councillor,Chair,01/05/2025,\n"
        "Corporate Parenting Panel,Cllr Ben,Councillor,,01/05/2025,\n"
        "Corporate Parenting Panel,,councillor,,01/05/2025,\n"
    ),
    "meetings.csv": (
        "panel,held_on,place,status,minutes\n"
        "Corporate Parenting Panel,09/09/2025,Town Hall,held,\n"
        "Corporate Parenting Panel,09/12/2025,Town Hall,held,\n"
        "Corporate Parenting Panel,10/03/2026,virtual,Held,\n"
    ),
    "attendance.csv": (
        "panel,held_on,member,present\n"
        "Corporate Parenting Panel,09/12/2025,Cllr Ada,present\n"
        "Corporate Parenting Panel,09/12/2025,Cllr Ben,Apologies\n"
    ),
    "resolutions.csv": (
        "panel,held_on,number,item_number,text\n"
        "Corporate Parenting Panel,09/09/2025,1,,That the panel recommends S1.\n"
        "Corporate Parenting Panel,09/09/2025,2,,That the panel recommends S2.\n"
    ),
    "recommendations.csv": (
        "ref,made_on,panel,meeting_date,resolution,number,title,action_proposed,owner,"
        "due_on,accepted_on\n"
        "S1,09/09/2025,Corporate Parenting Panel,09/09/2025,1,1,Health checks,Book them,"
        "Designated Nurse,30/11/2025,\n"
        "S2,09/09/2025,Corporate Parenting Panel,09/09/2025,2,2,Local offer,Publish it,"
        "Head of Leaving Care,,10/03/2026\n"
    ),
    "recommendation_updates.csv": (
        "ref,on,action_taken,status,agency,by\n"
        "S1,01/11/2025,Pathway drafted,Partially Complete,,Designated Nurse\n"
        "S2,20/11/2025,Published,complete,,Head of Leaving Care\n"
    ),
}


def write(folder: Path, files: dict[str, str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return [folder / name for name in files]


def counts(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        return {
            name: session.scalar(select(func.count()).select_from(kind.model)) or 0
            for name, kind in GOVERNANCE.types.items()
        }


def lists(engine: Engine) -> dict[date, list[tuple[str, str, bool, bool]]]:
    with Session(engine) as session:
        meetings = session.scalars(select(models.Meeting)).all()
    return {
        m.held_on: [
            (i.ref, i.status, i.overdue, i.accepted_here) for i in monitoring_list(engine, m.id)
        ]
        for m in meetings
    }


def test_a_spreadsheet_tracker_imports_into_the_monitoring_lists(
    url: str,
    tmp_path: Path,
) -> None:
    upgrade(url)
    engine = create_engine(url)
    done = import_files(engine, write(tmp_path / "in", TRACKER))
    assert done["recommendations"] == 2 and done["attendance"] == 2
    assert lists(engine)[date(2025, 12, 9)] == [
        ("S1", "partially_complete", True, False),
        ("S2", "complete", False, False),
    ]
    assert lists(engine)[date(2026, 3, 10)] == [
        ("S1", "partially_complete", True, False),
        ("S2", "complete", False, True),
    ]
    before = counts(engine)
    import_files(engine, write(tmp_path / "again", TRACKER))  # the same files again
    assert counts(engine) == before  # replaced, not doubled; no update added twice
    more = {
        "recommendation_updates.csv": "ref,on,action_taken,status\n"
        "S1,05/01/2026,Pathway agreed,complete\n"
    }
    import_files(engine, write(tmp_path / "more", more))
    assert counts(engine)["recommendation_updates"] == 3  # history grows; nothing removed
    assert lists(engine)[date(2026, 3, 10)][0] == ("S1", "complete", False, False)
    engine.dispose()


def test_the_demo_year_round_trips_through_files(url: str, tmp_path: Path) -> None:
    """Export, import into an empty store, export again: the same files and lists."""
    upgrade(url)
    source = create_engine(url)
    record_governance_year(source, date(2026, 3, 31))
    first = export_folder(source, tmp_path / "first")
    expected_lists, expected_counts = lists(source), counts(source)
    copy_url = f"sqlite:///{tmp_path / 'copy.sqlite3'}"
    upgrade(copy_url)
    copy = create_engine(copy_url)
    import_files(copy, first)
    assert counts(copy) == expected_counts
    assert lists(copy) == expected_lists
    second = export_folder(copy, tmp_path / "second")
    for a, b in zip(first, second, strict=True):
        assert a.read_text("utf-8") == b.read_text("utf-8"), a.name
    import_files(source, first)  # into the store it came from: nothing changes
    assert counts(source) == expected_counts
    quorate = find_meeting(copy, date(2025, 7, 8))
    with Session(copy) as session:
        assert session.get(models.Meeting, quorate).status == "consultation"  # type: ignore[union-attr]
    source.dispose()
    copy.dispose()


def test_bad_files_are_refused_whole_with_file_row_and_column(
    url: str,
    tmp_path: Path,
) -> None:
    upgrade(url)
    engine = create_engine(url)
    import_files(engine, write(tmp_path / "good", TRACKER))
    before = counts(engine)
    bad = {
        "panels.csv": "name,quorum\nFostering Panel,three\n",
        "panel_members.csv": (
            "panel,name,kind,starts\n"
            "Corporate Parenting Panel,Cllr Ada,councillor,01/01/2026\n"  # a second seat
            "Adoption Panel,Cllr Cy,councillor,01/01/2026\n"  # no such panel
        ),
        "attendance.csv": (
            "panel,held_on,member,present\n"
            "Corporate Parenting Panel,10/03/2026,Cllr Ada,present\n"  # which of her seats?
            "Corporate Parenting Panel,10/03/2026,Cllr Zed,present\n"  # not a member
            "Corporate Parenting Panel,11/03/2026,Cllr Ben,late\n"  # no meeting; bad code
        ),
        "recommendation_updates.csv": "ref,on,status\nS9,31/02/2026,complete\n",
        "minutes.csv": "panel\nX\n",
    }
    with pytest.raises(FilesRejected) as rejected:
        import_files(engine, write(tmp_path / "bad", bad))
    found = {(i.file, i.row, i.column, i.rule) for i in rejected.value.issues}
    assert found == {
        ("panels.csv", 2, "quorum", "integer"),
        ("panel_members.csv", 3, "panel", "reference"),
        ("attendance.csv", 2, "member", "reference"),
        ("attendance.csv", 3, "member", "reference"),
        ("attendance.csv", 4, "held_on", "reference"),
        ("attendance.csv", 4, "present", "code"),
        ("recommendation_updates.csv", 2, "on", "date"),
        ("recommendation_updates.csv", 2, "ref", "reference"),
        ("minutes.csv", None, "", "file-name"),
    }
    messages = {(i.file, i.row, i.column): i.message for i in rejected.value.issues}
    assert messages["attendance.csv", 2, "member"] == (
        "2 panel_members records with panel, name Corporate Parenting Panel, Cllr Ada"
    )
    assert "No panel_members record" in messages["attendance.csv", 3, "member"]
    assert counts(engine) == before  # nothing of the good rows was stored either
    engine.dispose()


def test_the_files_codes_are_the_records_own() -> None:
    codes = GOVERNANCE.codes
    assert codes["seat_kind"] == SEAT_KINDS
    assert codes["meeting_status"] == MEETING_STATUSES
    assert codes["presence"] == PRESENCE
    assert codes["review_kind"] == REVIEW_KINDS
    assert codes["progress"] == STATUSES


def test_the_governance_files_doc_is_current() -> None:
    text = (DOCS / "governance-records.md").read_text("utf-8")
    assert text == render_files_doc(), (
        "run `scrutineer governance files > docs/governance-records.md`"
    )

"""Recommendations through their life, meeting by meeting, on SQLite and PostgreSQL.

The panel meets on 10 June, 9 September, (18 November, cancelled), 9 December 2025,
10 March and 9 June 2026. Worked out by hand from the rules in records/governance.py:

R1, made 10 June, due 31 October: partially complete 1 August, complete 20 November,
  accepted 10 March -> 9 Sep on (partial), 9 Dec on (complete, awaiting acceptance),
  10 Mar on (accepted here), 9 Jun off. Not on 10 June: made at that meeting.
R2, made 9 September, due 30 November, no update -> 9 Dec on and overdue.
R3, made 10 June, rejected 1 September -> reported on 9 Sep, off from 9 Dec.
R4, from a practice review, made 1 October, rejected 18 November (the cancelled meeting's
  day) -> reported on 9 Dec (the first meeting held after), off on 10 Mar.
"""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from sqlalchemy import Engine, create_engine, select
from sqlalchemy.orm import Session

from scrutineer.outputs.report.monitoring import (
    MonitoringFormatInvalid,
    monitoring_context,
    write_monitoring,
)
from scrutineer.outputs.web.routes import create_app
from scrutineer.records import models
from scrutineer.records.governance import accept, monitoring_list, responses, update
from scrutineer.records.governance_year import record_governance_year
from scrutineer.records.panels import (
    GovernanceInvalid,
    Quorum,
    add_agenda_item,
    find_meeting,
    quorum,
    record_attendance,
)
from scrutineer.records.store import upgrade
from tests.support.web import WebData, sign_in

DAYS = {
    "jun": date(2025, 6, 10),
    "sep": date(2025, 9, 9),
    "nov": date(2025, 11, 18),
    "dec": date(2025, 12, 9),
    "mar": date(2026, 3, 10),
    "jun26": date(2026, 6, 9),
}


def build(engine: Engine) -> dict[str, int]:
    """The panel, its seats, meetings and recommendations; returns meeting ids by name."""
    with Session(engine) as session, session.begin():
        panel = models.Panel(
            name="Children and Families Scrutiny Panel", terms_of_reference="", quorum=3
        )
        session.add(panel)
        session.flush()
        seats = [
            models.PanelMember(
                panel_id=panel.id, name=name, kind=kind, title="", starts=date(2025, 5, 1)
            )
            for name, kind in (
                ("Cllr A", "councillor"),
                ("Cllr B", "councillor"),
                ("Cllr C", "councillor"),
                (None, "councillor"),
                ("Ms Governor", "appointed"),
                ("Scrutiny Manager", "officer"),
            )
        ]
        session.add_all(seats)
        meetings = {
            name: models.Meeting(
                panel_id=panel.id,
                held_on=day,
                place="Town Hall",
                status="cancelled" if name == "nov" else "held",
                minutes="",
            )
            for name, day in DAYS.items()
        }
        session.add_all(meetings.values())
        review = models.PracticeReview(
            name="CSPR Child D", kind="cspr", lead_reviewer="Independent", themes="neglect"
        )
        session.add(review)
        session.flush()
        for seat, present in zip(
            seats,
            ("present", "present", "apologies", "absent", "apologies", "present"),
            strict=True,
        ):
            session.add(
                models.Attendance(meeting_id=meetings["sep"].id, member_id=seat.id, present=present)
            )
        for seat, present in zip(
            seats, ("present", "present", "present", "absent", "apologies", "present"), strict=True
        ):
            session.add(
                models.Attendance(meeting_id=meetings["dec"].id, member_id=seat.id, present=present)
            )
        recs = (
            ("R1", DAYS["jun"], meetings["jun"].id, None, date(2025, 10, 31)),
            ("R2", DAYS["sep"], meetings["sep"].id, None, date(2025, 11, 30)),
            ("R3", DAYS["jun"], meetings["jun"].id, None, None),
            ("R4", date(2025, 10, 1), None, review.id, None),
        )
        for ref, made, meeting, review_id, due in recs:
            session.add(
                models.Recommendation(
                    ref=ref,
                    made_on=made,
                    meeting_id=meeting,
                    review_id=review_id,
                    number=ref[1],
                    title=f"Title {ref}",
                    action_proposed="Do it",
                    owner="Head of Service",
                    due_on=due,
                )
            )
        return {name: m.id for name, m in meetings.items()}


def listed(engine: Engine, meeting: int) -> dict[str, tuple[str, bool, bool]]:
    return {i.ref: (i.status, i.overdue, i.accepted_here) for i in monitoring_list(engine, meeting)}


def test_a_recommendations_life_on_the_monitoring_list(url: str) -> None:
    upgrade(url)
    engine = create_engine(url)
    ids = build(engine)
    update(engine, "R1", date(2025, 8, 1), "Audit started", "partially_complete", "HoS")
    update(engine, "R3", date(2025, 9, 1), "Not agreed: covered by the plan", "rejected", "HoS")
    update(
        engine,
        "R4",
        date(2025, 11, 18),
        "Not agreed by the partnership",
        "rejected",
        "DCS",
        "Police",
    )
    update(engine, "R1", date(2025, 11, 20), "Audit completed and reported", "complete", "HoS")
    with pytest.raises(GovernanceInvalid, match="not reported complete"):
        accept(engine, "R2", ids["dec"])
    with pytest.raises(GovernanceInvalid, match="not one of"):
        update(engine, "R2", date(2025, 10, 1), "x", "done", "HoS")
    with pytest.raises(GovernanceInvalid, match="cannot be earlier"):
        update(engine, "R2", date(2025, 9, 1), "x", "outstanding", "HoS")
    accept(engine, "R1", ids["mar"])

    assert listed(engine, ids["jun"]) == {}
    assert listed(engine, ids["sep"]) == {
        "R1": ("partially_complete", False, False),
        "R3": ("rejected", False, False),
    }
    assert listed(engine, ids["dec"]) == {
        "R1": ("complete", False, False),
        "R2": ("outstanding", True, False),
        "R4": ("rejected", False, False),
    }
    assert listed(engine, ids["mar"]) == {
        "R1": ("complete", False, True),
        "R2": ("outstanding", True, False),
    }
    assert listed(engine, ids["jun26"]) == {"R2": ("outstanding", True, False)}
    first = monitoring_list(engine, ids["sep"])
    assert [i.origin for i in first] == ["Meeting of 10 June 2025", "Meeting of 10 June 2025"]
    assert first[0].actions_taken == ((date(2025, 8, 1), "Audit started"),)
    assert {i.origin for i in monitoring_list(engine, ids["dec"])} >= {"CSPR Child D"}
    engine.dispose()


def test_the_quorum_counts_members_present_not_officers_or_vacant_seats(url: str) -> None:
    upgrade(url)
    engine = create_engine(url)
    ids = build(engine)
    september, december = quorum(engine, ids["sep"]), quorum(engine, ids["dec"])
    assert (september.present, september.needed, september.met) == (2, 3, False)
    assert (december.present, december.met) == (3, True)
    engine.dispose()


def test_the_monitoring_report_renders_in_every_format(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'records.sqlite3'}"
    upgrade(database)
    engine = create_engine(database)
    ids = build(engine)
    update(engine, "R1", date(2025, 8, 1), "Audit started", "partially_complete", "HoS")
    context = monitoring_context(engine, ids["dec"])
    # grouped by origin: meetings oldest first, then reviews; nothing rejected here, so
    # all four are on December's list; R1 (due 31 October) and R2 (30 November) overdue
    assert [(origin, [i.ref for i in items]) for origin, items in context.groups] == [
        ("Meeting of 10 June 2025", ["R1", "R3"]),
        ("Meeting of 09 September 2025", ["R2"]),
        ("CSPR Child D", ["R4"]),
    ]
    html = write_monitoring(context, tmp_path / "m.html").read_text(encoding="utf-8")
    assert "4 recommendations on the list, 2 overdue" in html
    assert "quorum 3 of 3" in html and "Partially complete" in html
    assert '<span class="overdue">(overdue)</span>' in html
    pdf = write_monitoring(context, tmp_path / "m.pdf")
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Monitoring scrutiny recommendations" in text and "Title R2" in text
    word = Document(str(write_monitoring(context, tmp_path / "m.docx")))
    cells = [c.text for table in word.tables for row in table.rows for c in row.cells]
    assert "Outstanding (overdue)" in cells and "Partially complete (overdue)" in cells
    assert any(c.startswith("01 August 2025: Audit started") for c in cells)
    with pytest.raises(MonitoringFormatInvalid):
        write_monitoring(context, tmp_path / "m.txt")
    assert find_meeting(engine, DAYS["dec"]) == ids["dec"]
    with pytest.raises(GovernanceInvalid, match="0 meetings"):
        find_meeting(engine, date(2025, 12, 10))
    engine.dispose()


def test_the_demo_year_has_items_in_every_state(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'records.sqlite3'}"
    upgrade(database)
    engine = create_engine(database)
    assert record_governance_year(engine, date(2026, 3, 31)) == 17  # 7 from the panel, 10 review
    assert record_governance_year(engine, date(2026, 3, 31)) == 0  # once only
    with Session(engine) as session:
        meetings = [
            (m.id, m.held_on, m.status)
            for m in session.scalars(select(models.Meeting).order_by(models.Meeting.held_on))
        ]
    # the second Tuesday of every other month, to 10 March 2026
    assert [m[1] for m in meetings] == [
        date(2025, 5, 13),
        date(2025, 7, 8),
        date(2025, 9, 9),
        date(2025, 11, 11),
        date(2026, 1, 13),
        date(2026, 3, 10),
    ]
    assert meetings[1][2] == "consultation" and not quorum(engine, meetings[1][0]).met
    lists = [{i.ref: i for i in monitoring_list(engine, m[0])} for m in meetings]
    statuses = {i.status for items in lists for i in items.values()}
    assert statuses == {"outstanding", "partially_complete", "complete", "rejected"}
    rejected = [
        n
        for n, items in enumerate(lists)
        if any(i.status == "rejected" for i in items.values() if not i.ref.startswith("R-"))
    ]
    assert rejected == [3]  # rejected after the September meeting: reported in November only
    accepted = [n for n, items in enumerate(lists) if any(i.accepted_here for i in items.values())]
    assert accepted == [4] and "P20250513-1" not in lists[5]
    last = lists[5]
    assert any(i.overdue for i in last.values())
    review = [i for i in last.values() if i.origin.startswith("Thematic review")]
    assert len(review) == 10  # complete ones are not yet accepted: all ten are still listed
    assert [i.number for i in review] == [str(n) for n in range(1, 11)]  # 2 before 10
    assert {i.status for i in review} == {"complete", "partially_complete", "outstanding"}
    with Session(engine) as session:
        review_id = session.scalars(select(models.PracticeReview.id)).one()
    answered = responses(engine, review_id)
    # R-NEG-03 (3 % 3 = 0) is complete: its lead, AGENCIES[3 % 4] = Education, and its
    # partner, AGENCIES[4 % 4] = Police, both answered
    assert [(u.agency, u.status) for u in answered["R-NEG-03"]] == [
        ("Education", "partially_complete"),
        ("Police", "complete"),
    ]
    assert "R-NEG-02" not in answered  # outstanding: no response yet
    engine.dispose()


def test_agenda_items_number_themselves_and_attendance_sets_the_quorum(url: str) -> None:
    upgrade(url)
    engine = create_engine(url)
    ids = build(engine)
    assert add_agenda_item(engine, ids["mar"], "Minutes") == 1
    assert add_agenda_item(engine, ids["mar"], "Performance report", "March report", "HoP") == 2
    with pytest.raises(GovernanceInvalid, match="needs a title"):
        add_agenda_item(engine, ids["mar"], "  ")
    with Session(engine) as session:
        seats = [
            m.id
            for m in session.scalars(select(models.PanelMember).order_by(models.PanelMember.id))
        ]
    record_attendance(engine, ids["mar"], {seats[0]: "present", seats[1]: "present"})
    assert quorum(engine, ids["mar"]) == Quorum(2, 3)
    record_attendance(engine, ids["mar"], {s: "present" for s in seats[:3]})  # replaces
    assert quorum(engine, ids["mar"]).met
    with pytest.raises(GovernanceInvalid, match="not one of"):
        record_attendance(engine, ids["mar"], {seats[0]: "late"})
    with pytest.raises(GovernanceInvalid, match="not on this panel"):
        record_attendance(engine, ids["mar"], {99_999: "present"})
    assert quorum(engine, ids["mar"]).met  # a refused change changes nothing
    engine.dispose()


def test_a_scrutiny_officer_enters_the_agenda_and_attendance_on_the_web(web_data: WebData) -> None:
    app: Any = create_app(web_data.settings, web_data.records)
    officer = sign_in(app, "scrutiny", web_data.passwords["scrutiny"])
    token = officer.get("/api/session").json()["csrf"]
    meeting = web_data.meeting
    item = {
        "csrf": token,
        "meeting_id": str(meeting),
        "title": "Placement sufficiency",
        "report": "Sufficiency strategy",
        "author_role": "Head of Commissioning",
    }
    assert officer.post("/governance/agenda", data=item).status_code == 303
    seats = officer.get(f"/api/governance/meetings/{meeting}").json()["seats"]
    assert (
        officer.post(
            "/governance/attendance",
            data={
                "csrf": token,
                "meeting_id": str(meeting),
                **{f"seat-{s['id']}": "present" for s in seats},
            },
        ).status_code
        == 303
    )
    page = officer.get(f"/api/governance/meetings/{meeting}").json()
    assert page["agenda"][-1]["title"] == "Placement sufficiency"
    assert {a["present"] for a in page["attendance"]} == {"present"}
    viewer = sign_in(app, "viewer", web_data.passwords["viewer"])
    forged = {**item, "csrf": viewer.get("/api/session").json()["csrf"]}
    assert viewer.post("/governance/agenda", data=forged).status_code == 403

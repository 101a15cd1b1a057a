"""Entering governance records: panels and their seats, declarations and minutes, practice
reviews with each agency's responses - in the records layer (SQLite and PostgreSQL) and on
the web, where only a scrutiny officer (or an administrator) edits and an item's owner adds
its updates.

Hand-worked quorum case: a panel of quorum 2 with Cllr P (from 1 May 2025), Cllr Q (1 May
2025, leaves 31 December 2025), a vacant seat and an officer. On 10 March 2026 Cllr Q no
longer sits: the meeting's seats are Cllr P and the officer; both present makes a quorum of
1 (the officer does not count), so it is not met.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from scrutineer.outputs.web.routes import create_app
from scrutineer.records import models
from scrutineer.records.governance import (
    add_review,
    add_review_recommendation,
    monitoring_list,
    responses,
    update,
)
from scrutineer.records.panels import (
    GovernanceInvalid,
    add_declaration,
    add_meeting,
    add_panel,
    add_seat,
    end_seat,
    quorum,
    record_attendance,
    set_minutes,
)
from scrutineer.records.store import upgrade
from tests.support.web import WebData, sign_in
from tests.support.web import client as client_of


def test_seats_declarations_and_minutes_in_the_records(url: str) -> None:
    upgrade(url)
    engine = create_engine(url)
    panel = add_panel(engine, "Corporate Parenting Panel", 2, "Holds the council to account.")
    with pytest.raises(GovernanceInvalid, match="already"):
        add_panel(engine, "Corporate Parenting Panel", 2)
    p = add_seat(engine, panel, "Cllr P", "councillor", date(2025, 5, 1), "Chair")
    q = add_seat(engine, panel, "Cllr Q", "councillor", date(2025, 5, 1))
    vacant = add_seat(engine, panel, "", "councillor", date(2025, 5, 1))
    officer = add_seat(engine, panel, "Ms Officer", "officer", date(2025, 5, 1))
    with pytest.raises(GovernanceInvalid, match="not one of"):
        add_seat(engine, panel, "Cllr R", "mayor", date(2025, 5, 1))
    with pytest.raises(GovernanceInvalid, match="cannot end before"):
        end_seat(engine, q, date(2025, 4, 30))
    end_seat(engine, q, date(2025, 12, 31))
    meeting = add_meeting(engine, panel, date(2026, 3, 10), "Town Hall", "held")
    with pytest.raises(GovernanceInvalid, match="already"):
        add_meeting(engine, panel, date(2026, 3, 10), "Town Hall", "held")
    with pytest.raises(GovernanceInvalid, match="vacant seat"):
        record_attendance(engine, meeting, {p: "present", vacant: "apologies"})
    record_attendance(engine, meeting, {p: "present", officer: "present"})
    assert (quorum(engine, meeting).present, quorum(engine, meeting).met) == (1, False)

    add_declaration(engine, meeting, p, "Foster carer for the council.", None)
    with pytest.raises(GovernanceInvalid, match="no item 4"):
        add_declaration(engine, meeting, p, "A school governor.", 4)
    with pytest.raises(GovernanceInvalid, match="needs the interest"):
        add_declaration(engine, meeting, p, " ", None)
    set_minutes(engine, meeting, "The panel noted the report.\n\nResolved as below.")
    with Session(engine) as session:
        declared = session.scalars(select(models.Declaration.interest)).all()
        minutes = session.scalars(select(models.Meeting.minutes)).one()
    assert declared == ["Foster carer for the council."]  # refused ones stored nothing
    assert minutes.startswith("The panel noted")
    engine.dispose()


def test_a_reviews_recommendations_and_agencies_responses(url: str) -> None:
    """Two agencies answer recommendation 1; the item's status is its latest update's."""
    upgrade(url)
    engine = create_engine(url)
    review = add_review(engine, "CSPR Child E", "cspr", date(2025, 9, 1), "Dr Reviewer")
    with pytest.raises(GovernanceInvalid, match="not one of"):
        add_review(engine, "Another", "audit", None)
    fields = {"title": "Share information", "action_proposed": "Agree a protocol", "owner": "LSCP"}
    first = add_review_recommendation(engine, review, fields, date(2025, 9, 1))
    second = add_review_recommendation(
        engine, review, {**fields, "title": "Train staff"}, date(2025, 9, 1)
    )
    assert (first, second) == (f"R{review}-1", f"R{review}-2")
    with pytest.raises(GovernanceInvalid, match="owner"):
        add_review_recommendation(engine, review, {**fields, "owner": ""}, date(2025, 9, 1))
    update(
        engine, first, date(2025, 10, 1), "Protocol drafted", "partially_complete", "x", "Police"
    )
    update(engine, first, date(2025, 11, 1), "Protocol signed", "complete", "x", "Health trust")
    answered = responses(engine, review)
    assert [(u.agency, u.status) for u in answered[first]] == [
        ("Police", "partially_complete"),
        ("Health trust", "complete"),
    ]
    assert second not in answered
    panel = add_panel(engine, "Safeguarding Partnership Board", 1)
    meeting = add_meeting(engine, panel, date(2025, 12, 9), "virtual", "held")
    on_list = {i.ref: (i.origin, i.status) for i in monitoring_list(engine, meeting)}
    assert on_list == {
        first: ("CSPR Child E", "complete"),
        second: ("CSPR Child E", "outstanding"),
    }
    engine.dispose()


def test_a_scrutiny_officer_enters_panels_seats_declarations_and_minutes_on_the_web(
    web_data: WebData,
) -> None:
    app: Any = create_app(web_data.settings, web_data.records)
    officer = sign_in(app, "scrutiny", web_data.passwords["scrutiny"])
    token = officer.get("/api/session").json()["csrf"]
    made = officer.post(
        "/governance/panels",
        data={"csrf": token, "name": "Fostering Panel", "quorum": "2", "terms_of_reference": ""},
    )
    assert made.status_code == 303
    panel = int(made.headers["location"].rsplit("/", 1)[1])
    for name, kind in (("Cllr New", "councillor"), ("", "councillor"), ("Mr Adviser", "officer")):
        seat = {"csrf": token, "panel_id": str(panel), "name": name, "kind": kind}
        assert (
            officer.post("/governance/seats", data={**seat, "starts": "2026-01-01"}).status_code
            == 303
        )
    bad = {
        "csrf": token,
        "panel_id": str(panel),
        "name": "X",
        "kind": "councillor",
        "starts": "1/13/2026",
    }
    refused = officer.post("/governance/seats", data=bad)
    assert refused.status_code == 400 and "is not a date" in refused.text
    seats = officer.get(f"/api/governance/panels/{panel}").json()["seats"]
    assert [(s["name"], s["kind"]) for s in seats] == [
        ("Cllr New", "councillor"),
        ("(vacant)", "councillor"),
        ("Mr Adviser", "officer"),
    ]
    adviser = seats[2]["id"]
    ended = {"csrf": token, "panel_id": str(panel), "seat_id": str(adviser), "ends": "2026-02-28"}
    assert officer.post("/governance/seats/end", data=ended).status_code == 303
    after = officer.get(f"/api/governance/panels/{panel}").json()["seats"]
    assert after[2]["ends"] == "2026-02-28" and not after[2]["sitting"]

    meeting = web_data.meeting
    seat = officer.get(f"/api/governance/meetings/{meeting}").json()["seats"][0]
    declare = {"csrf": token, "meeting_id": str(meeting), "seat_id": str(seat["id"])}
    refused = officer.post(
        "/governance/declarations", data={**declare, "interest": "Governor", "item_number": "99"}
    )
    assert refused.status_code == 400 and "no item 99" in refused.text
    assert (
        officer.post(
            "/governance/declarations",
            data={**declare, "interest": "Foster carer", "item_number": ""},
        ).status_code
        == 303
    )
    minutes = {"csrf": token, "meeting_id": str(meeting), "minutes": "Noted.\n\nAgreed."}
    assert officer.post("/governance/minutes", data=minutes).status_code == 303
    page = officer.get(f"/api/governance/meetings/{meeting}").json()
    assert page["declarations"] == [
        {"name": seat["name"], "item": None, "interest": "Foster carer"}
    ]
    assert page["minutes"] == "Noted.\n\nAgreed."
    html = officer.get(f"/governance/meetings/{meeting}").text
    assert "<p>Noted.</p><p>Agreed.</p>" in html

    member = sign_in(app, "panel", web_data.passwords["panel"])
    theirs = member.get("/api/session").json()["csrf"]
    for path, data in (
        ("/governance/minutes", {**minutes, "minutes": "Rewritten"}),
        ("/governance/panels", {"name": "Mine", "quorum": "1"}),
        (
            "/governance/seats",
            {"panel_id": str(panel), "name": "Me", "kind": "councillor", "starts": "2026-01-01"},
        ),
        ("/governance/declarations", {**declare, "interest": "Mine"}),
    ):
        assert member.post(path, data={**data, "csrf": theirs}).status_code == 403
    assert (
        officer.get(f"/api/governance/meetings/{meeting}").json()["minutes"] == "Noted.\n\nAgreed."
    )
    assert "form" not in member.get(f"/governance/panels/{panel}").text.split("<main", 1)[1]


def test_agencies_respond_to_a_reviews_recommendations_on_the_web(web_data: WebData) -> None:
    app: Any = create_app(web_data.settings, web_data.records)
    officer = sign_in(app, "scrutiny", web_data.passwords["scrutiny"])
    token = officer.get("/api/session").json()["csrf"]
    review = web_data.review
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    for title, owner, due in (
        ("Multi-agency neglect training", "Test manager", yesterday),
        ("Audit of strategy meetings", "Police", ""),
    ):
        item = {
            "csrf": token,
            "review_id": str(review),
            "title": title,
            "action_proposed": "Partners to act",
            "owner": owner,
            "made_on": "2026-01-05",
            "due_on": due,
        }
        assert officer.post("/governance/reviews/recommendations", data=item).status_code == 303
    ref = f"R{review}-1"
    respond = {"csrf": token, "ref": ref, "back": f"/governance/reviews/{review}"}
    done = officer.post(
        "/governance/updates",
        data={
            **respond,
            "agency": "Police",
            "on": "2026-02-01",
            "action_taken": "Trained 40",
            "status": "partially_complete",
        },
    )
    assert done.status_code == 303 and done.headers["location"] == f"/governance/reviews/{review}"
    manager = sign_in(app, "manager", web_data.passwords["manager"])  # "Test manager": the owner
    mine = manager.get("/api/session").json()["csrf"]
    assert (
        manager.post(
            "/governance/updates",
            data={
                **respond,
                "csrf": mine,
                "agency": "Children's services",
                "on": "2026-02-10",
                "action_taken": "Trained 25",
                "status": "partially_complete",
            },
        ).status_code
        == 303
    )
    member = sign_in(app, "panel", web_data.passwords["panel"])
    refused = member.post(
        "/governance/updates",
        data={
            **respond,
            "csrf": member.get("/api/session").json()["csrf"],
            "agency": "X",
            "on": "2026-02-11",
            "action_taken": "x",
            "status": "complete",
        },
    )
    assert refused.status_code == 403
    escape = officer.post(  # `back` never leads off the site
        "/governance/updates",
        data={
            **respond,
            "back": "//elsewhere.example",
            "agency": "Health trust",
            "on": "2026-02-12",
            "action_taken": "Trained 10",
            "status": "partially_complete",
        },
    )
    assert escape.headers["location"] == "/"

    page = member.get(f"/api/governance/reviews/{review}").json()
    first, second = page["recommendations"]
    assert (first["number"], second["number"]) == ("1", "2")
    assert [(a["agency"], a["status"], len(a["responses"])) for a in first["agencies"]] == [
        ("Children's services", "partially_complete", 1),
        ("Health trust", "partially_complete", 1),
        ("Police", "partially_complete", 1),
    ]
    assert first["status"] == "partially_complete" and first["overdue"]  # due yesterday
    assert second["agencies"] == [] and second["status"] == "outstanding" and not second["overdue"]
    assert not first["can_update"]  # the panel member is not its owner
    assert "Record the response" not in member.get(f"/governance/reviews/{review}").text
    assert officer.get("/api/governance").json()["reviews"][0]["name"] == "Review of Child A"


def test_an_agenda_item_presents_the_performance_report_as_a_public_paper(
    web_data: WebData,
) -> None:
    app: Any = create_app(web_data.settings, web_data.records)
    officer = sign_in(app, "scrutiny", web_data.passwords["scrutiny"])
    token = officer.get("/api/session").json()["csrf"]
    month = officer.get("/api/overview").json()["period"]
    meeting = web_data.meeting
    item = {"csrf": token, "meeting_id": str(meeting), "title": "Performance report"}
    wrong = officer.post(
        "/governance/agenda", data={**item, "report_layout": "cabinet", "report_period": month}
    )
    assert wrong.status_code == 400 and "No report layout &#39;cabinet&#39;" in wrong.text
    half = officer.post("/governance/agenda", data={**item, "report_layout": "scrutiny"})
    assert half.status_code == 400 and "both its layout and its month" in half.text
    assert (
        officer.post(
            "/governance/agenda", data={**item, "report_layout": "scrutiny", "report_period": month}
        ).status_code
        == 303
    )
    agenda = officer.get(f"/api/governance/meetings/{meeting}").json()["agenda"]
    assert [a["title"] for a in agenda].count("Performance report") == 1  # refusals stored nothing
    number = next(a["number"] for a in agenda if a["report_layout"] == "scrutiny")
    plain = [a["number"] for a in agenda if not a["report_layout"]]

    member = sign_in(app, "panel", web_data.passwords["panel"])
    page = member.get(f"/governance/meetings/{meeting}").text
    assert f"/governance/meetings/{meeting}/papers/{number}.pdf" in page
    html = member.get(f"/governance/meetings/{meeting}/papers/{number}.html")
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert "Public edition" in html.text and "snapshot" in html.text
    pdf = member.get(f"/governance/meetings/{meeting}/papers/{number}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert member.get(f"/governance/meetings/{meeting}/papers/{number}.docx").status_code == 404
    app.state.web.building.add("panel")  # as while a paper is being made for this member
    busy = member.get(f"/governance/meetings/{meeting}/papers/{number}.pdf")
    assert busy.status_code == 429 and "being made for you already" in busy.text
    app.state.web.building.add("scrutiny")  # and for another: two at once is the most
    assert officer.get(f"/governance/meetings/{meeting}/papers/{number}.pdf").status_code == 429
    app.state.web.building.clear()
    for other in plain:  # items that present no report have no paper
        assert member.get(f"/governance/meetings/{meeting}/papers/{other}.pdf").status_code == 404
    assert member.get(f"/governance/meetings/{meeting}/papers/999.pdf").status_code == 404
    assert (
        client_of(app).get(f"/governance/meetings/{meeting}/papers/{number}.pdf").status_code == 303
    )


def test_a_meeting_page_lists_the_recommendations_it_accepted(web_data: WebData) -> None:
    app: Any = create_app(web_data.settings, web_data.records)
    officer = sign_in(app, "scrutiny", web_data.passwords["scrutiny"])
    token = officer.get("/api/session").json()["csrf"]
    made = {
        "csrf": token,
        "meeting_id": str(web_data.meeting),
        "text": "The panel recommends a foster carer recruitment drive.",
        "title": "Recruit foster carers",
        "action_proposed": "Run a campaign",
        "owner": "Head of Fostering",
        "due_on": "2026-05-31",
    }
    assert officer.post("/governance/resolutions", data=made).status_code == 303
    ref = officer.get(f"/api/governance/meetings/{web_data.meeting}").json()["made"][-1]["ref"]
    later = officer.post(
        "/governance/meetings",
        data={
            "csrf": token,
            "panel_id": str(web_data.panel),
            "held_on": "2026-09-08",
            "place": "Town Hall",
            "status": "held",
        },
    )
    next_meeting = later.headers["location"].rsplit("/", 1)[1]
    done = {
        "csrf": token,
        "ref": ref,
        "on": "2026-08-01",
        "action_taken": "Campaign run",
        "status": "complete",
    }
    assert officer.post("/governance/updates", data=done).status_code == 303
    accept = {"csrf": token, "ref": ref, "meeting_id": next_meeting}
    assert officer.post("/governance/accept", data=accept).status_code == 303
    page = officer.get(f"/api/governance/meetings/{next_meeting}").json()
    assert [r["ref"] for r in page["accepted"]] == [ref]
    listed = {i["ref"]: i["accepted_here"] for i in page["monitoring"]}
    assert listed[ref] is True

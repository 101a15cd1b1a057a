"""A year of governance for the demo: the Children and Families Scrutiny Panel, six
meetings to the as-at date, the resolutions they passed and the recommendations they made,
in every state, and a thematic practice review with ten recommendations and the agencies'
responses. Scripted rather than random, so the demo tells the same story each time.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from scrutineer.calendar import Period
from scrutineer.records import models
from scrutineer.records.governance import accept, add_resolution, update

PANEL = "Children and Families Scrutiny Panel"
SEATS = (  # name (None: vacant), kind, title
    ("Cllr Amara Okafor", "councillor", "Chair"),
    ("Cllr Tom Hughes", "councillor", "Vice-chair"),
    ("Cllr Priya Shah", "councillor", ""),
    ("Cllr Gareth Lewis", "councillor", ""),
    (None, "councillor", ""),
    ("Mrs Helen Ward", "appointed", "Parent governor"),
    ("Revd Paul Green", "appointed", "Church representative"),
    ("Sam Patel", "officer", "Scrutiny manager"),
)
PRESENT = (  # by meeting: which of the first seven seats came (1) or sent apologies (0)
    (1, 1, 1, 0, 0, 1, 0),
    (1, 1, 0, 0, 0, 0, 0),  # two members only: not quorate, held as a consultation meeting
    (1, 1, 1, 1, 0, 1, 1),
    (1, 0, 1, 1, 0, 1, 0),
    (1, 1, 1, 1, 0, 0, 1),
    (1, 1, 1, 0, 0, 1, 1),
)
Update = tuple[int, str, str]  # days after the meeting, status, action taken
RECOMMENDATIONS: tuple[tuple[int, str, str, int, list[Update]], ...] = (
    # the meeting that made it, title, owner, due (days after), updates
    (
        0,
        "Report on placement stability for children in care",
        "Head of Children in Care",
        90,
        [
            (60, "partially_complete", "Sufficiency review under way"),
            (150, "complete", "Report to the panel in November"),
        ],
    ),
    (
        0,
        "Publish the local offer for care leavers",
        "Head of Leaving Care",
        60,
        [(45, "complete", "Published on the council's website")],
    ),
    (
        1,
        "Explain the fall in visits within timescale",
        "Head of Safeguarding",
        60,
        [(50, "partially_complete", "Team-level review done; staffing plan to follow")],
    ),
    (2, "Recruit to vacant social worker posts", "Director of Children's Services", 120, []),
    (
        2,
        "Fund a second MASH manager",
        "Head of Early Help and MASH",
        60,
        [(40, "rejected", "Not agreed: covered by the MASH review")],
    ),
    (
        3,
        "Improve the timeliness of initial health assessments",
        "Designated Nurse",
        90,
        [(70, "complete", "New booking pathway agreed with health")],
    ),
    (4, "Audit the quality of supervision", "Principal Social Worker", 45, []),
)
REVIEW = "Thematic review: neglect of children under five"
REVIEW_RECOMMENDATIONS = (  # title, action proposed
    ("Use one neglect toolkit", "All partners adopt the partnership's neglect toolkit."),
    ("Train practitioners in the toolkit", "Multi-agency training for front-line staff."),
    ("See the baby, not just the parent", "Health visitors record the baby seen at each visit."),
    ("Share concerns early", "Agree an early-help information-sharing protocol."),
    ("Track missed health appointments", "Flag missed appointments for under-fives to the GP."),
    ("Strengthen the front door", "The MASH screens cumulative neglect, not single events."),
    ("Hear the child's lived experience", "Assessments record a day in the life of the child."),
    ("Review long-term child in need plans", "Plans open a year or more are reviewed for drift."),
    ("Support fathers and male carers", "Services record and engage fathers and male carers."),
    ("Audit the effect of the changes", "A multi-agency audit of neglect cases in a year."),
)
AGENCIES = ("Police", "Health trust", "Children's services", "Education")


def record_governance_year(records: Engine, as_at: date) -> int:
    """Record the year (once); returns the number of recommendations recorded."""
    with Session(records) as session:
        if session.scalar(select(models.Panel.id).where(models.Panel.name == PANEL)):
            return 0
    meetings = _meetings(records, as_at)
    made = 0
    for index, title, owner, due, updates in RECOMMENDATIONS:
        meeting_id, held = meetings[index]
        ref = add_resolution(
            records,
            meeting_id,
            f"The panel recommends: {title.lower()}.",
            2,
            {
                "title": title,
                "action_proposed": f"{owner} to {title[0].lower()}{title[1:]} and report back.",
                "owner": owner,
                "due_on": (held + timedelta(days=due)).isoformat(),
            },
        )
        assert ref is not None
        for after, status, text in updates:
            if held + timedelta(days=after) <= as_at:
                update(records, ref, held + timedelta(days=after), text, status, owner)
        made += 1
    accept(records, "P" + f"{meetings[0][1]:%Y%m%d}" + "-1", meetings[4][0])  # at meeting 5
    return made + _review(records, as_at)


def _meetings(records: Engine, as_at: date) -> list[tuple[int, date]]:
    last = Period.of(as_at)
    if _second_tuesday(last) > as_at:
        last = last.shift(-1)
    days = [_second_tuesday(last.shift(-2 * i)) for i in range(5, -1, -1)]
    with Session(records) as session, session.begin():
        panel = models.Panel(
            name=PANEL,
            terms_of_reference="Scrutinises services for children and families, the "
            "performance of children's social care and the response to practice reviews.",
            quorum=3,
        )
        session.add(panel)
        session.flush()
        seats = [
            models.PanelMember(
                panel_id=panel.id,
                name=name,
                kind=kind,
                title=title,
                starts=days[0] - timedelta(days=30),
            )
            for name, kind, title in SEATS
        ]
        session.add_all(seats)
        found = []
        for index, held in enumerate(days):
            meeting = models.Meeting(
                panel_id=panel.id,
                held_on=held,
                place="virtual" if index == 1 else "Town Hall, Committee Room 1",
                status="consultation" if index == 1 else "held",
                minutes=_minutes(index, held),
            )
            session.add(meeting)
            session.flush()
            for number, (title, author) in enumerate(
                (
                    ("Minutes of the last meeting", "Democratic services"),
                    ("Children's social care performance report", "Head of Performance"),
                    ("Monitoring scrutiny recommendations", "Scrutiny manager"),
                ),
                start=1,
            ):
                session.add(
                    models.AgendaItem(
                        meeting_id=meeting.id,
                        number=number,
                        title=title,
                        report=title if number > 1 else "",
                        author_role=author,
                        report_layout="scrutiny" if number == 2 else None,
                        report_period=str(Period.of(held).shift(-1)) if number == 2 else None,
                    )
                )
            for seat, came in zip(seats, PRESENT[index], strict=False):
                if seat.name is None:
                    continue  # a vacant seat neither attends nor sends apologies
                session.add(
                    models.Attendance(
                        meeting_id=meeting.id,
                        member_id=seat.id,
                        present="present" if came else "apologies",
                    )
                )
            found.append((meeting.id, held))
        session.add(
            models.Declaration(
                meeting_id=found[2][0],
                member_id=seats[5].id,
                item_number=2,
                interest="Governor of a school named in the report.",
            )
        )
    return found


def _review(records: Engine, as_at: date) -> int:
    published = as_at - timedelta(days=240)
    with Session(records) as session, session.begin():
        review = models.PracticeReview(
            name=REVIEW,
            kind="cspr",
            published_on=published,
            lead_reviewer="Independent reviewer",
            themes="neglect; early help; health visiting; information sharing",
        )
        session.add(review)
        session.flush()
        for number in range(1, 11):
            session.add(
                models.Recommendation(
                    ref=f"R-NEG-{number:02d}",
                    made_on=published,
                    review_id=review.id,
                    number=str(number),
                    title=REVIEW_RECOMMENDATIONS[number - 1][0],
                    action_proposed=REVIEW_RECOMMENDATIONS[number - 1][1],
                    owner=AGENCIES[number % len(AGENCIES)],
                    due_on=published + timedelta(days=180),
                )
            )
    for number in range(1, 11):
        # each recommendation is led by one agency with a partner; a complete one has both
        # agencies' responses, a partially complete one the lead's, an outstanding one none
        lead, partner = AGENCIES[number % len(AGENCIES)], AGENCIES[(number + 1) % len(AGENCIES)]
        status = ("complete", "partially_complete", "outstanding")[number % 3]
        first = min(as_at, published + timedelta(days=20 * number))
        second = min(as_at, first + timedelta(days=45))
        ref = f"R-NEG-{number:02d}"
        if status != "outstanding":
            text = f"{lead}: neglect toolkit briefed to practitioners"
            update(records, ref, first, text, "partially_complete", lead, lead)
        if status == "complete":
            text = f"{partner}: toolkit in use; audit of use reported to the partnership"
            update(records, ref, second, text, "complete", partner, partner)
    return 10


def _minutes(index: int, held: date) -> str:
    month = Period.of(held).shift(-1).start
    if index == 1:
        return (
            "Not quorate: the members present met as a consultation meeting and made "
            "recommendations for the Director's decision.\n\n"
            f"The panel received the performance report for {month:%B %Y}."
        )
    return (
        f"The panel received the performance report for {month:%B %Y} and questioned the "
        "Head of Performance on the indicators rated red.\n\n"
        "The panel reviewed its monitoring list and agreed the resolutions recorded below."
    )


def _second_tuesday(month: Period) -> date:
    day = month.start + timedelta(days=(1 - month.start.weekday()) % 7)  # the first Tuesday
    return day + timedelta(days=7)

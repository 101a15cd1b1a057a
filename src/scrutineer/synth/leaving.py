"""Care leavers from the day they leave care until services end (21 or a little after)."""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, timedelta

from scrutineer.synth.params import Cadence
from scrutineer.synth.records import Value
from scrutineer.synth.sim import Child, Sim
from scrutineer.synth.workforce import Allocation

EET = (("F2", 35), ("F4", 25), ("P4", 10), ("F5", 10), ("P2", 8), ("F1", 12))
NEET = (("G5", 60), ("G4", 20), ("G6", 20))
SUITABLE = (("D", 30), ("U", 25), ("Z", 10), ("B", 15), ("E", 10), ("C", 5), ("T", 5))
UNSUITABLE = (("S", 25), ("W", 20), ("V", 20), ("X", 15), ("R", 20))
IN_TOUCH = (("YES", 91), ("NO", 4), ("REFU", 3), ("NREQ", 2))
# monthly chances of moving (NEET -> EET, EET -> NEET): about 55% of those whose activity is
# known NEET at 17-18, 40% at 19-21; with the ~9% not in touch (activity not known, in DfE's
# denominator) about 50% of 17-18 year-olds, as BRIEF.md §8 has it
NEET_MOVES = {True: (0.08, 0.1), False: (0.09, 0.06)}
SUPERVISION = Cadence(due=56, on_time=0.6, early_min=20, late_max=110, swing=0.15)


def care_leaver(sim: Sim, child: Child, left: date) -> None:
    # duties run to 21, and on past it for those who ask (in education, say)
    until = child.birthday(21) + timedelta(days=sim.rng.randint(0, 250))
    runs = sim.allocate(child, "care_leavers", left, until, None, role="PERSONAL_ADVISOR")
    sim.supervise(child, runs, SUPERVISION)
    contacts = list(sim.recurring(sim.params.practice.care_leaver_contact, left, until, 14))
    reviews = _pathway_reviews(sim, left, until)
    neet = sim.chance(0.58)  # most leave at 18: their 18th birthday finds them as they left
    in_touch = sim.weighted(IN_TOUCH)
    suitable = sim.chance(0.88)
    status: dict[str, Value] = {}
    first = max(left, sim.history_start - timedelta(days=31))
    for month in sim.months(first, min(until - timedelta(days=1), sim.as_at)):
        month_end = month.end
        if month_end < left or month_end >= until or month_end > sim.as_at:
            continue
        young = child.age(month_end) <= 18
        leave_neet, become_neet = NEET_MOVES[young]
        neet = not sim.chance(leave_neet) if neet else sim.chance(become_neet)
        in_touch = in_touch if sim.chance(0.95) else sim.weighted(IN_TOUCH)
        suitable = suitable if sim.chance(0.93) else sim.chance(0.88)
        status = _month_status(
            sim, child, month_end, neet, in_touch, suitable, contacts, reviews, runs
        )
        if month_end >= sim.history_start:
            sim.records.add("ext_care_leaver_status", **status)
    if status and left <= sim.as_at < until:
        _latest(sim, child, status)


def _pathway_reviews(sim: Sim, left: date, until: date) -> list[date]:
    reviews, day = [], left - timedelta(days=sim.rng.randint(0, 120))
    while day < until:
        reviews.append(day)
        late = sim.chance(sim.params.practice.pathway_review_late_share)
        day += timedelta(days=182 + (sim.rng.randint(10, 120) if late else -sim.rng.randint(0, 40)))
    return reviews


def _month_status(
    sim: Sim,
    child: Child,
    month_end: date,
    neet: bool,
    in_touch: str,
    suitable: bool,
    contacts: list[date],
    reviews: list[date],
    runs: list[Allocation],
) -> dict[str, Value]:
    worker, team = sim.worker_at(runs, month_end)
    activity = sim.weighted(NEET if neet else EET) if in_touch == "YES" else "0"
    return {
        "clst_status_id": sim.records.next_id("CLS"),
        "clst_person_id": child.id,
        "clst_month_end": month_end,
        "clst_eligibility": "RELEVANT" if child.age(month_end) < 18 else "FORMER_RELEVANT",
        "clst_in_touch": in_touch,
        "clst_activity": activity,
        "clst_accommodation": sim.weighted(SUITABLE if suitable else UNSUITABLE),
        "clst_accom_suitable": "Y" if suitable else "N",
        "clst_latest_contact": _latest_before(contacts, month_end),
        "clst_pathway_plan_review_date": _latest_before(reviews, month_end),
        "clst_worker_id": worker,
        "clst_team": team,
    }


def _latest_before(days: list[date], day: date) -> date | None:
    index = bisect_right(days, day)
    return days[index - 1] if index else None


LATEST = {  # the SSD's care leaver columns, from the month-end status columns
    "clea_care_leaver_eligibility": "clst_eligibility",
    "clea_care_leaver_in_touch": "clst_in_touch",
    "clea_care_leaver_latest_contact": "clst_latest_contact",
    "clea_care_leaver_accommodation": "clst_accommodation",
    "clea_care_leaver_accom_suitable": "clst_accom_suitable",
    "clea_care_leaver_activity": "clst_activity",
    "clea_pathway_plan_review_date": "clst_pathway_plan_review_date",
    "clea_care_leaver_allocated_team": "clst_team",
    "clea_care_leaver_worker_id": "clst_worker_id",
}


def _latest(sim: Sim, child: Child, status: dict[str, Value]) -> None:
    sim.records.add(
        "ssd_care_leavers",
        clea_table_id=sim.records.next_id("CL"),
        clea_person_id=child.id,
        **{column: status[source] for column, source in LATEST.items()},
    )

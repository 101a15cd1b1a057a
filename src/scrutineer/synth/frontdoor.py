"""Contacts, referrals, assessments and Early Help: the front door, month by month."""

from __future__ import annotations

import json
from collections import deque
from datetime import date, timedelta

from scrutineer.calendar import Period
from scrutineer.synth import care, protection
from scrutineer.synth.earlyhelp import early_help
from scrutineer.synth.records import flags_json
from scrutineer.synth.returns_fields import assessment_factors
from scrutineer.synth.sim import SEASON, Child, Sim

SOURCES = (
    ("6", 28),
    ("2A", 16),
    ("3A", 3),
    ("3B", 4),
    ("3D", 3),
    ("3E", 3),
    ("3F", 2),
    ("5A", 3),
    ("5B", 3),
    ("5C", 2),
    ("5D", 4),
    ("1A", 6),
    ("1B", 2),
    ("1C", 2),
    ("1D", 2),
    ("4", 4),
    ("7", 3),
    ("8", 4),
    ("9", 2),
    ("10", 3),
)
# the flag of the SSD's contact outcome object each kind of contact sets
OUTCOME_FLAGS = {
    "REFERRAL": "NEW_REFERRAL_FLAG",
    "NFA": "NFA_FLAG",
    "EARLY_HELP": "OTHER_OUTCOMES_EXIST_FLAG",
    "OTHER": "OTHER_OUTCOMES_EXIST_FLAG",
}
NEEDS = (
    ("N1", 55),
    ("N2", 4),
    ("N3", 5),
    ("N4", 12),
    ("N5", 14),
    ("N6", 4),
    ("N7", 1),
    ("N8", 3),
    ("N9", 2),
)

Recent = deque[tuple[date, Child]]


def run(sim: Sim) -> None:
    """Every contact, direct referral and Early Help request, in date order, month by month.

    Not every referral has a contact before it in the records (partners refer straight to
    the assessment teams, other authorities transfer cases), and most Early Help starts in
    family hubs and schools, not at the front door.
    """
    recent: Recent = deque()
    flows = sim.params.flows
    for month in sim.months(sim.history_start, sim.as_at):
        years = (month.start - sim.history_start).days / 365.25
        level = sim.params.scale * SEASON[month.month] * (1 + flows.trend_per_year) ** years
        arrivals = [(_contact_day(sim, month), 0) for _ in range(sim.count(flows.contacts * level))]
        arrivals += [
            (sim.working_day_in(month), 1) for _ in range(sim.count(flows.direct_referrals * level))
        ]
        arrivals += [
            (sim.working_day_in(month), 2)
            for _ in range(sim.count(flows.direct_early_help * level))
        ]
        for day, kind in sorted(arrivals):
            if kind == 0:
                contact(sim, day, recent)
            elif kind == 1:
                child = _referral_child(sim, day, recent)
                refer(sim, child, day, sim.weighted(SOURCES))
                recent.append((day, child))
            else:
                early_help(sim, _free_child(sim, day, new_share=0.6), day)
        for _ in range(sim.steady_count("uasc", flows.uasc_arrivals * sim.params.scale)):
            care.unaccompanied(sim, sim.working_day_in(month))


def _contact_day(sim: Sim, month: Period) -> date:
    if sim.chance(0.05):  # out-of-hours contacts at weekends and on bank holidays
        return month.start + timedelta(days=sim.rng.randrange(month.end.day))
    return sim.working_day_in(month)


def contact(sim: Sim, day: date, recent: Recent) -> None:
    flows = sim.params.flows
    draw = sim.rng.random()
    if draw < flows.contact_to_referral:
        child, outcome = _referral_child(sim, day, recent), "REFERRAL"
    elif draw < flows.contact_to_referral + flows.contact_to_early_help:
        child, outcome = _free_child(sim, day, new_share=0.6), "EARLY_HELP"
        if child.early_help_until > day:
            outcome = "OTHER"
    else:
        child = _any_child(sim, day)
        outcome = "NFA" if child.busy_until <= day else "OTHER"
    source = sim.weighted(SOURCES)
    sim.records.event(
        "ssd_contacts",
        day,
        cont_contact_id=sim.records.next_id("C"),
        cont_person_id=child.id,
        cont_contact_date=day,
        cont_contact_source_code=source,
        cont_contact_outcome_json=(
            None
            if sim.chance(0.02)
            else flags_json(sim.records.contract, "contact_outcome", [OUTCOME_FLAGS[outcome]])
        ),
    )
    if outcome == "REFERRAL":
        refer(sim, child, sim.next_working_day(day), source)
        recent.append((day, child))
    elif outcome == "EARLY_HELP":
        early_help(sim, child, day + timedelta(days=sim.rng.randint(1, 14)))


def _referral_child(sim: Sim, day: date, recent: Recent) -> Child:
    while recent and recent[0][0] < day - timedelta(days=365):
        recent.popleft()
    if sim.chance(sim.params.flows.former_cp_share) and sim.former_cp:
        for _ in range(10):
            child = sim.former_cp[sim.rng.randrange(len(sim.former_cp))]
            if child.busy_until <= day and child.age(day) < 17:
                return child
    if sim.chance(sim.params.flows.re_referral_share) and recent:
        for _ in range(25):
            _, child = recent[sim.rng.randrange(len(recent))]
            if child.busy_until <= day and child.age(day) < 18:
                return child
    return _free_child(sim, day, new_share=0.75, not_since=day - timedelta(days=366))


def _free_child(sim: Sim, day: date, new_share: float, not_since: date | None = None) -> Child:
    if sim.children and not sim.chance(new_share):
        for _ in range(10):
            child = sim.children[sim.rng.randrange(len(sim.children))]
            recently = (
                child.last_referral is not None
                and not_since is not None
                and (child.last_referral > not_since)
            )
            if child.busy_until <= day and 0 <= child.age(day) < 18 and not recently:
                return child
    return sim.new_child(day)


def _any_child(sim: Sim, day: date) -> Child:
    if sim.children and sim.chance(0.35):
        child = sim.children[sim.rng.randrange(len(sim.children))]
        if 0 <= child.age(day) < 18:
            return child
    return sim.new_child(day)


def refer(sim: Sim, child: Child, day: date, source: str, need: str | None = None) -> str:
    """A referral (CIN episode) and everything that follows it; returns the referral id."""
    referral = sim.records.next_id("R")
    child.last_referral = day
    need = need or ("N2" if child.disabled and sim.chance(0.6) else sim.weighted(NEEDS))
    worker, team = _front_door_worker(sim, child, day)
    if sim.chance(sim.params.flows.referral_nfa):
        end, reason, nfa = day + timedelta(days=sim.rng.randint(0, 4)), "RC8", "Y"
    else:
        end, reason = assessment(sim, child, referral, day, need)
        nfa = "N"
    child.busy_until = end
    sim.write_referral(child, referral, day, end, reason, need, source, nfa, team, worker)
    return referral


def _front_door_worker(sim: Sim, child: Child, day: date) -> tuple[str, str]:
    team = sim.workforce.team_for("front_door", child.locality)
    active = [w for w in team.workers if w.active(day)] or team.workers
    return sim.rng.choice(active).id, team.id


def assessment(sim: Sim, child: Child, referral: str, day: date, need: str) -> tuple[date, str]:
    """A child and family assessment and what it leads to; returns the episode's end."""
    practice, flows = sim.params.practice, sim.params.flows
    start = sim.wd(day, sim.rng.randint(0, 2))
    late = sim.chance(practice.assessment_late_share * (1 - 0.5 * sim.performance_at(start)))
    length = sim.rng.randint(46, 80) if late else round(sim.rng.triangular(6, 45, 32))
    authorised = sim.wd(start, length)
    seen = sim.wd(
        start,
        sim.rng.randint(0, 5) if sim.chance(practice.seen_in_5wd_share) else sim.rng.randint(6, 15),
    )
    protection.visit(sim, "ssd_cin_visits", child, seen)
    next_stage = authorised
    outcome: tuple[date, str] | None = None
    enquired: date | None = None  # the last day of a S47 enquiry's business, if there was one
    if sim.chance(flows.assessment_to_s47 * (2.0 if child.cp_plans else 1.0)):
        s47_start = sim.wd(start, sim.rng.randint(0, min(8, length)))
        outcome, enquired = protection.section47(sim, child, referral, s47_start)
    if outcome is None and sim.chance(flows.referral_to_care):
        entry = start + timedelta(days=sim.rng.randint(1, 20))
        outcome, next_stage = care.looked_after(sim, child, referral, entry, need), entry
    runs = sim.allocate(child, "assessment", start, min(next_stage, authorised), referral)
    worker, team = sim.worker_at(runs, authorised)
    nfa = outcome is None and not sim.chance(flows.assessment_to_cin_plan)
    assessment_id = sim.records.next_id("A")
    kept = sim.records.span(
        "ssd_cin_assessments",
        start,
        None,
        cina_assessment_id=assessment_id,
        cina_person_id=child.id,
        cina_referral_id=referral,
        cina_assessment_start_date=start,
        cina_assessment_child_seen="Y",
        cina_assessment_auth_date=sim.records.ended(authorised),
        cina_assessment_outcome_nfa="Y" if nfa else "N" if authorised <= sim.as_at else None,
        cina_assessment_team=team,
        cina_assessment_worker_id=worker,
    )
    factors = assessment_factors(assessment_id, need)
    if kept and authorised <= sim.as_at and factors:  # what a completed assessment identified
        sim.records.add(
            "ssd_assessment_factors",
            cinf_table_id=sim.records.next_id("AF"),
            cinf_assessment_id=assessment_id,
            cinf_assessment_factors_json=json.dumps(factors),
        )
    if outcome is not None:  # the referral stays open until its assessment is authorised
        return max(outcome[0], authorised), outcome[1]
    if not nfa:
        return protection.cin_plan(
            sim, child, referral, authorised + timedelta(days=sim.rng.randint(0, 7)), need
        )
    closed = max(authorised, enquired or authorised) + timedelta(days=sim.rng.randint(0, 10))
    if enquired is not None:  # after an enquiry the reason is not "closed after assessment"
        return closed, "RC7"
    if sim.chance(flows.assessment_step_down_to_eh):
        early_help(sim, child, closed)
        return closed, "RC9"
    return closed, "RC8"

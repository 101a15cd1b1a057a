"""Section 47 enquiries, conferences, child protection plans and Child in Need plans."""

from __future__ import annotations

from datetime import date, timedelta

from scrutineer.synth import care
from scrutineer.synth.earlyhelp import early_help
from scrutineer.synth.records import Value
from scrutineer.synth.sim import Child, Sim

CATEGORIES = (("NEG", 48), ("EMO", 36), ("PHY", 7), ("SAB", 4), ("MUL", 5))
# chance a CP plan ends at its 1st, 2nd, 3rd, 4th and later review conference
END_AT_REVIEW = (0.35, 0.50, 0.55, 0.70, 0.60)


def visit(sim: Sim, table: str, child: Child, day: date, plan: str | None = None) -> None:
    prefix = {"ssd_cin_visits": "cinv", "ssd_cp_visits": "cppv"}[table]
    kind = {"ssd_cin_visits": "cin", "ssd_cp_visits": "cp"}[table]
    seen = "Y" if sim.chance(0.96) else "N"
    row: dict[str, Value] = {
        f"{prefix}_{kind}_visit_id": sim.records.next_id("V"),
        f"{prefix}_person_id": child.id,
        f"{prefix}_{kind}_visit_date": day,
        f"{prefix}_{kind}_visit_seen": seen,
        f"{prefix}_{kind}_visit_seen_alone": "Y" if seen == "Y" and sim.chance(0.6) else "N",
        f"{prefix}_{kind}_visit_bedroom": "Y" if sim.chance(0.5) else "N",
    }
    if plan is not None:
        row["cppv_cp_plan_id"] = plan
    sim.records.event(table, day, **row)


Outcome = tuple[date, str]  # when the referral (CIN episode) ends, and why


def section47(sim: Sim, child: Child, referral: str, start: date) -> tuple[Outcome | None, date]:
    """A S47 enquiry; returns the episode's end if a CP plan follows (else None), and the
    last day of the enquiry's business (its end, or its conference) - the referral cannot
    close before it."""
    flows, practice = sim.params.flows, sim.params.practice
    enquiry = sim.records.next_id("S")
    conference = sim.chance(flows.s47_to_icpc)
    end = sim.wd(start, sim.rng.randint(3, 12))
    worker = sim.workforce.team_for("assessment", child.locality)
    sim.records.span(
        "ssd_s47_enquiry",
        start,
        sim.records.ended(end),
        s47e_s47_enquiry_id=enquiry,
        s47e_referral_id=referral,
        s47e_person_id=child.id,
        s47e_s47_start_date=start,
        s47e_s47_end_date=sim.records.ended(end),
        s47e_s47_nfa=None if end > sim.as_at else "N" if conference else "Y",
        s47e_s47_completed_by_team=worker.id,
    )
    if not conference:
        return None, end
    in_time = sim.chance(sim.on_time_share(practice.icpc_in_15wd_share, 0.12, start))
    held = sim.wd(start, sim.rng.randint(8, 15) if in_time else sim.rng.randint(16, 30))
    plan = sim.chance(flows.icpc_to_plan)
    icpc = sim.records.next_id("ICPC")
    plan_id = sim.records.next_id("CPP") if plan else None
    sim.records.event(
        "ssd_initial_cp_conference",
        held,
        icpc_icpc_id=icpc,
        icpc_icpc_meeting_id=f"M{icpc}",
        icpc_s47_enquiry_id=enquiry,
        icpc_person_id=child.id,
        icpc_cp_plan_id=plan_id,
        icpc_referral_id=referral,
        icpc_icpc_transfer_in="N",
        icpc_icpc_target_date=sim.wd(start, 15),
        icpc_icpc_date=held,
        icpc_icpc_outcome_cp_flag="Y" if plan else "N",
        icpc_icpc_team=worker.id,
    )
    if plan_id is None:
        return None, max(end, held)
    return cp_plan(sim, child, referral, held, icpc, plan_id), held


def cp_plan(
    sim: Sim, child: Child, referral: str, start: date, icpc: str, plan_id: str
) -> tuple[date, str]:
    child.cp_plans += 1
    end, reviews = _plan_reviews(sim, start)
    into_care = sim.chance(sim.params.flows.cp_plan_to_care)
    if into_care:
        end = start + timedelta(days=sim.rng.randint(20, max(21, (end - start).days)))
        reviews = [r for r in reviews if r[1] < end]
    category = sim.weighted(CATEGORIES)
    closed = sim.ended(end)
    sim.records.span(
        "ssd_cp_plans",
        start,
        closed,
        cppl_cp_plan_id=plan_id,
        cppl_referral_id=referral,
        cppl_icpc_id=icpc,
        cppl_person_id=child.id,
        cppl_cp_plan_start_date=start,
        cppl_cp_plan_end_date=closed,
        cppl_cp_plan_initial_category=category,
        cppl_cp_plan_latest_category=category if sim.chance(0.9) else sim.weighted(CATEGORIES),
        cppl_cp_plan_ola="N",
    )
    for due, held, continues in reviews:
        sim.records.event(
            "ssd_cp_reviews",
            held,
            cppr_cp_review_id=sim.records.next_id("CPR"),
            cppr_person_id=child.id,
            cppr_cp_plan_id=plan_id,
            cppr_cp_review_due=due,
            cppr_cp_review_date=held,
            cppr_cp_review_outcome_continue_cp="Y" if continues else "N",
            cppr_cp_review_quorate="Y" if sim.chance(0.95) else "N",
        )
    kind = "disability" if child.disabled else "safeguarding"
    runs = sim.allocate(child, kind, start, end, referral)
    sim.supervise(child, runs, sim.params.practice.supervision)
    for day in sim.recurring(sim.params.practice.cp_visit, start, end, first_due=10):
        visit(sim, "ssd_cp_visits", child, day, plan_id)
    if into_care:
        return care.looked_after(sim, child, referral, end, "N1")
    if end >= sim.horizon:
        return sim.horizon, "RC7"
    sim.former_cp.append(child)
    if sim.chance(0.55):  # a step-down plan from the day after (the plans never overlap)
        return cin_plan(sim, child, referral, end + timedelta(days=1), "N1")
    return end + timedelta(days=sim.rng.randint(0, 20)), "RC7"


def _plan_reviews(sim: Sim, start: date) -> tuple[date, list[tuple[date, date, bool]]]:
    """Review conferences (due, held, continues) until one ends the plan."""
    reviews: list[tuple[date, date, bool]] = []
    due = start + timedelta(days=91)
    late_share = sim.params.practice.cp_review_late_share
    while True:
        if sim.chance(late_share):
            held = sim.next_working_day(due + timedelta(days=sim.rng.randint(1, 25)))
        else:
            held = sim.next_working_day(due - timedelta(days=sim.rng.randint(3, 14)))
        ends = sim.chance(END_AT_REVIEW[min(len(reviews), len(END_AT_REVIEW) - 1)])
        reviews.append((due, held, not ends))
        if ends or held >= sim.horizon:
            return held, reviews
        due = held + timedelta(days=182)


def cin_plan(sim: Sim, child: Child, referral: str, start: date, need: str) -> tuple[date, str]:
    flows = sim.params.flows
    end = start + timedelta(days=sim.days(flows.cin_plan_months * 30.4, 28))
    escalation = start + timedelta(days=sim.days(30.4 / flows.cin_plan_to_s47_monthly, 14))
    care_entry = start + timedelta(days=sim.days(30.4 / flows.cin_plan_to_care, 14))
    stop = min(end, escalation, care_entry)
    plan_id = sim.records.next_id("CINP")
    kind = _cin_team(sim, child, need, start)
    runs = sim.allocate(child, kind, start, stop, referral)
    worker, team = sim.worker_at(runs, start)
    closed = sim.ended(stop)
    sim.records.span(
        "ssd_cin_plans",
        start,
        closed,
        cinp_cin_plan_id=plan_id,
        cinp_referral_id=referral,
        cinp_person_id=child.id,
        cinp_cin_plan_start_date=start,
        cinp_cin_plan_end_date=closed,
        cinp_cin_plan_team=team,
        cinp_cin_plan_worker_id=worker,
    )
    sim.supervise(child, runs, sim.params.practice.supervision)
    for day in sim.recurring(sim.params.practice.cin_visit, start, stop, first_due=20):
        visit(sim, "ssd_cin_visits", child, day)
    if stop >= sim.horizon:
        return sim.horizon, "RC7"
    if stop == care_entry:
        return care.looked_after(sim, child, referral, stop, need)
    if stop == escalation:
        outcome, business = section47(sim, child, referral, sim.next_working_day(stop))
        if outcome is not None:
            return outcome
        # back to a CIN plan once the enquiry is over: its conference too, if one was held
        return cin_plan(sim, child, referral, max(stop, business) + timedelta(days=1), need)
    if sim.chance(0.25):
        early_help(sim, child, stop)
    return stop, "RC7"


def _cin_team(sim: Sim, child: Child, need: str, day: date) -> str:
    if child.disabled or need == "N2":
        return "disability"
    if need == "N6" and child.age(day) >= 13 and sim.chance(0.5):
        return "youth"
    return "safeguarding"

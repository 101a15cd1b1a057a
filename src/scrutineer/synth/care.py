"""Looked-after children: legal statuses, placements, visits, reviews and health; then
leaving care, and care leavers month by month until they are 21."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from scrutineer.synth import leaving
from scrutineer.synth.adoption import FOSTER, adoptive_kind, permanence, placed_after_order
from scrutineer.synth.outcomes import after_assessment
from scrutineer.synth.records import flags_json
from scrutineer.synth.returns_fields import home_postcode, postcode, urn
from scrutineer.synth.sim import Child, Sim

# How a period of care ends, by age at entry: (reason, weight, shortest days, mean days).
# "AGE18" stays until the 18th birthday.
EXITS: dict[str, tuple[tuple[str, float, int, int], ...]] = {
    "0-4": (
        ("E11", 40, 300, 620),
        ("E4A", 30, 30, 240),
        ("E45", 11, 250, 520),
        ("E46", 11, 250, 520),
        ("AGE18", 8, 0, 0),
    ),
    "5-9": (("E4A", 48, 30, 240), ("E41", 5, 120, 400), ("E46", 15, 250, 600), ("AGE18", 32, 0, 0)),
    "10-15": (("E4A", 40, 7, 180), ("E13", 5, 30, 150), ("E8", 8, 30, 150), ("AGE18", 47, 0, 0)),
    "16-17": (("E4A", 20, 7, 120), ("E5", 10, 30, 150), ("AGE18", 70, 0, 0)),
}
AT_18 = (("E17", 25), ("E5", 50), ("E6", 10), ("E8", 15))
ENTRY_AGES = (("0-4", 33), ("5-9", 16), ("10-15", 37), ("16-17", 14))
PARTICIPATION = (
    ("PN1", 40),
    ("PN2", 5),
    ("PN3", 10),
    ("PN4", 5),
    ("PN5", 15),
    ("PN6", 15),
    ("PN7", 10),
)
CLOSURE = {"E11": "RC1", "E12": "RC1", "E41": "RC3", "E45": "RC4", "E46": "RC4"}
PLANS = {  # the permanence plan (the SSD's care plan option) for how the care ends
    "E11": "ADOPTION",
    "E4A": "RETURN6M",
    "E45": "LTRELFR",  # a special guardianship order, most often with relatives
    "E46": "LTRELFR",
    "E41": "LTRELFR",  # a child arrangements order
    "AGE18": "LTFOST18",
}
DAYS_TO_ADOPT = timedelta(days=120)  # from the care order to the adoption order, at least
CARE_ORDERS = ("C1", "C2")  # a child placed with parents is on one (SSDA903 rule 378)
# placement moves a year: frequent while a child settles, rare once settled for years
MOVE_RATES = ((180, 2.0), (730, 0.55), (None, 0.15))


@dataclass(frozen=True)
class Period:
    id: str
    child: Child
    entry: date
    exit: date  # the horizon if still looked after
    reason: str  # SSDA903 reason ceased (or "" if still looked after)
    route: str


def looked_after(
    sim: Sim, child: Child, referral: str | None, entry: date, need: str, uasc: bool = False
) -> tuple[date, str]:
    """A period of care from `entry`; returns when the CIN episode closes and why."""
    if entry >= child.birthday(18) - timedelta(days=28):
        return entry, "RC7"  # too close to adulthood: the plan ends without care
    period = _plan_period(sim, child, entry, uasc)
    if child.id not in sim.addressed and not uasc:  # the home a child comes into care from
        sim.addressed.add(child.id)  # (none for a child who arrived alone from abroad)
        sim.records.add(
            "ssd_address",
            addr_table_id=sim.records.next_id("AD"),
            addr_person_id=child.id,
            addr_address_postcode=home_postcode(child.id),
            addr_address_start_date=child.dob,
        )
    statuses = _legal_statuses(sim, period, uasc)
    placements = _placements(sim, period, statuses)
    clae_id = sim.records.next_id("CLE")
    ended = sim.ended(period.exit)
    sim.records.span(
        "ssd_cla_episodes",
        entry,
        ended,
        clae_cla_episode_id=clae_id,
        clae_person_id=child.id,
        clae_cla_episode_start_date=entry,
        clae_cla_episode_start_reason="S",
        clae_cla_primary_need_code=need if need != "N9" else "N1",
        clae_cla_episode_ceased_date=ended,
        clae_cla_episode_ceased_reason=period.reason if ended else None,
        clae_cla_id=period.id,
        clae_referral_id=referral,
        clae_cla_placement_id=placements[-1].id if placements else None,
        clae_entered_care_date=entry,
    )
    _previous_permanence(sim, child, entry, ended)
    planned = _reviews_and_plans(sim, period)
    if period.route in ("E11", "E12"):
        _adoption(sim, period, statuses, placements, planned)
    _health(sim, period)
    _missing(sim, period)
    runs = sim.allocate(child, "looked_after", entry, period.exit, referral)
    sim.supervise(child, runs, sim.params.practice.supervision)
    if uasc:
        _immigration(sim, period)
    child.busy_until = max(child.busy_until, period.exit)
    if period.exit >= sim.horizon:
        return sim.horizon, "RC7"
    if _is_care_leaver(period):
        leaving.care_leaver(sim, child, period.exit)
    return period.exit, CLOSURE.get(period.reason, "RC7")


def _plan_period(sim: Sim, child: Child, entry: date, uasc: bool) -> Period:
    age = child.age(entry)
    band = "0-4" if age < 5 else "5-9" if age < 10 else "10-15" if age < 16 else "16-17"
    reason, _, shortest, mean = sim.weighted(tuple((e, e[1]) for e in EXITS[band]))
    eighteen = child.birthday(18)
    if uasc or reason == "AGE18":
        exit_day, reason = eighteen, sim.weighted(AT_18)
    else:
        exit_day = min(entry + timedelta(days=sim.days(mean, shortest)), eighteen)
        reason = reason if exit_day < eighteen else sim.weighted(AT_18)
    if reason == "E11" and sim.chance(0.3):
        reason = "E12"
    route = "uasc" if uasc else reason
    if exit_day >= sim.horizon:
        exit_day, reason = sim.horizon, ""
    return Period(sim.records.next_id("P"), child, entry, exit_day, reason, route)


def _is_care_leaver(period: Period) -> bool:
    in_care_13_weeks = (period.exit - period.entry).days >= 91
    return (
        in_care_13_weeks
        and period.child.age(period.exit) >= 16
        and period.reason not in ("E11", "E12", "E45", "E46", "E41", "E2")
    )


@dataclass(frozen=True)
class Placed:
    id: str
    start: date
    kind: str
    postcode: str


def _placements(sim: Sim, period: Period, statuses: list[Status]) -> list[Placed]:
    """The placements of a period: random moves, and an adoptive placement before adoption."""
    adoptive = None
    if period.reason in ("E11", "E12"):
        adoptive = max(
            period.exit - timedelta(days=sim.rng.randint(150, 300)),
            period.entry + timedelta(days=1),
        )
        adoptive = placed_after_order(
            adoptive, _placement_order(statuses), period.exit, period.child.id
        )
    placed: list[Placed] = []
    start = period.entry
    while start < period.exit:
        adopting = adoptive is not None and start >= adoptive
        if adopting:
            end = period.exit
        else:
            rate = _move_rate((start - period.entry).days)
            end = start + timedelta(days=int(sim.rng.expovariate(rate / 365)) + 1)
            end = min(end, period.exit, adoptive or period.exit)
        status = _status_on(statuses, start)
        place, provider = _placement_kind(
            sim, period.child.age(start), adopting, at_home=status in CARE_ORDERS
        )
        previous = placed[-1] if placed else None
        if adopting:
            place = adoptive_kind(place, previous.kind if previous else None, status == "E1")
        elif end == period.exit and period.reason in ("E45", "E46") and place not in FOSTER:
            # a special guardianship order is made to the foster carers the child is with
            place, provider = "U4", provider if provider in ("PR1", "PR4", "PR5") else "PR1"
        same_home = previous.postcode if previous and place in ("A3", "A5") else None
        last_home = previous.postcode if previous else None
        placed.append(
            _placement(
                sim, period, start, end, (place, provider), end < period.exit, same_home, last_home
            )
        )
        _placement_visits(sim, period, start, end)
        start = end
    return placed


def _placement_order(statuses: list[Status]) -> date | None:
    return next((s.start for s in statuses if s.status == "E1"), None)


def _status_on(statuses: list[Status], day: date) -> str | None:
    return next((s.status for s in reversed(statuses) if s.start <= day), None)


def _move_rate(days_in_care: int) -> float:
    return next(rate for limit, rate in MOVE_RATES if limit is None or days_in_care < limit)


def _placement_kind(sim: Sim, age: int, adoption: bool, at_home: bool) -> tuple[str, str]:
    if adoption:
        return sim.weighted(((("A4", "PR1"), 60), (("A6", "PR2"), 25), (("A3", "PR1"), 15)))
    if age >= 16 and sim.chance(0.3):
        return sim.weighted(((("H5", "PR4"), 60), (("K3", "PR4"), 40)))
    residential = 0.03 if age < 10 else 0.26 if age >= 13 else 0.12
    draw = sim.rng.random()
    if draw < residential:
        return ("K2", "PR4") if sim.chance(0.8) else ("K2", "PR1")
    if draw < residential + 0.07:
        # home to parents only under a care order; otherwise to foster carers
        return ("P1", "PR0") if at_home else ("U4", "PR1")
    if draw < residential + 0.09:
        kind = sim.weighted(((("R1", "PR4"), 40), (("S1", "PR4"), 40), (("R3", "PR1"), 20)))
        return ("R3", "PR1") if kind[0] == "S1" and age < 4 else kind  # no school under 4
    if draw < residential + 0.30:
        return (sim.weighted((("U1", 30), ("U3", 70))), "PR1")
    provider = sim.weighted((("PR1", 38), ("PR4", 50), ("PR5", 12)))
    return (sim.weighted((("U4", 35), ("U6", 65))), provider)


def _placement(
    sim: Sim,
    period: Period,
    start: date,
    end: date,
    kind: tuple[str, str],
    changed: bool,
    same_home: str | None = None,
    last_home: str | None = None,
) -> Placed:
    """Write a placement; `same_home` is the postcode of carers the child stays with,
    `last_home` that of the carers the child leaves."""
    placement_id = sim.records.next_id("PL")
    place, provider = kind
    # the authority's own carers are local, and so is the supported accommodation it uses
    inside = sim.chance(0.68) or provider == "PR1" or place in ("H5", "K3")
    distance = round(sim.rng.uniform(0.3, 9) if inside else sim.rng.uniform(4, 70), 1)
    ended = sim.ended(end)
    home = None if period.route == "uasc" or place == "P1" else home_postcode(period.child.id)
    if place == "P1":
        where = home_postcode(period.child.id)
    else:
        where = same_home or postcode(placement_id, inside, (home, last_home))
    placed = sim.records.span(
        "ssd_cla_placement",
        start,
        ended,
        clap_cla_placement_id=placement_id,
        clap_cla_id=period.id,
        clap_person_id=period.child.id,
        clap_cla_placement_start_date=start,
        clap_cla_placement_end_date=ended,
        clap_cla_placement_type=place,
        clap_cla_placement_provider=provider,
        clap_cla_placement_distance=distance,
        clap_cla_placement_postcode=where,
        clap_cla_placement_urn=urn(placement_id, place),
        clap_cla_placement_change_reason=(
            sim.weighted(
                (
                    ("CARPL", 50),
                    ("CREQB", 15),
                    ("CREQO", 10),
                    ("CHILD", 8),
                    ("STAND", 5),
                    ("OTHER", 12),
                )
            )
            if changed and ended
            else None
        ),
    )
    if placed:  # the SSD has the postcode, not the authority it is in: an extension says so
        sim.records.add(
            "ext_cla_placement_location",
            clpl_placement_id=placement_id,
            clpl_location="IN" if inside else "OUT",
            clpl_la=sim.params.la_code if inside else None,
        )
    return Placed(placement_id, start, place, where)


def _placement_visits(sim: Sim, period: Period, start: date, end: date) -> None:
    first = 7 if sim.chance(0.88) else 14
    for day in sim.recurring(sim.params.practice.cla_visit, start, end, first_due=first):
        seen = "Y" if sim.chance(0.97) else "N"
        sim.records.event(
            "ssd_cla_visits",
            day,
            clav_cla_visit_id=sim.records.next_id("V"),
            clav_cla_id=period.id,
            clav_person_id=period.child.id,
            clav_cla_visit_date=day,
            clav_cla_visit_seen=seen,
            clav_cla_visit_seen_alone="Y" if seen == "Y" and sim.chance(0.6) else "N",
        )


@dataclass(frozen=True)
class Status:
    status: str
    start: date


def _legal_statuses(sim: Sim, period: Period, uasc: bool) -> list[Status]:
    spans: list[tuple[str, date]] = []
    day = period.entry
    if uasc:
        spans.append(("V2", day))
    elif sim.chance(0.10):
        emergency = sim.weighted((("L1", 60), ("L2", 40)))
        spans.append((emergency, day))
        days = sim.rng.randint(1, 8)  # an emergency protection order lasts up to 8 days,
        day += timedelta(days=min(days, 3) if emergency == "L1" else days)  # police's 72 hours
        spans.append(("C1", day))
    elif sim.chance(0.12) and period.route not in ("E11", "E12"):
        spans.append(("V2", day))
        if sim.chance(0.6):
            day += timedelta(days=sim.rng.randint(30, 120))
            spans.append(("C1", day))
    else:
        spans.append(("C1", day))
    if spans[-1][0] == "C1":
        day += timedelta(days=sim.rng.randint(150, 330))
        adopting = period.route in ("E11", "E12")
        if adopting:  # the care and placement orders come in time to be placed under them
            day = max(spans[-1][1] + timedelta(days=1), min(day, period.exit - DAYS_TO_ADOPT))
        spans.append(("C2", day))
        if adopting:
            order = day + timedelta(days=sim.rng.randint(20, 120))
            latest = period.exit - DAYS_TO_ADOPT / 2
            spans.append(("E1", max(day + timedelta(days=1), min(order, latest))))
    written: list[Status] = []
    for index, (status, start) in enumerate(spans):
        if start >= period.exit:
            break
        written.append(Status(status, start))
        end = spans[index + 1][1] if index + 1 < len(spans) else period.exit
        end = min(end, period.exit)
        ended = sim.ended(end)
        sim.records.span(
            "ssd_legal_status",
            start,
            ended,
            lega_legal_status_id=sim.records.next_id("LS"),
            lega_person_id=period.child.id,
            lega_legal_status=status,
            lega_legal_status_start_date=start,
            lega_legal_status_end_date=ended,
        )
    return written


def _reviews_and_plans(sim: Sim, period: Period) -> date:
    """Reviews and care plans; returns the day the permanence plan was decided."""
    late_share = sim.params.practice.cla_review_late_share
    due = sim.wd(period.entry, 20)
    held_reviews: list[date] = []
    while due < period.exit:
        late = sim.chance(late_share)
        held = (
            due + timedelta(days=sim.rng.randint(1, 45))
            if late
            else due - timedelta(days=sim.rng.randint(0, 10 if not held_reviews else 25))
        )
        held = max(held, period.entry + timedelta(days=1))
        if held >= period.exit:
            break
        age = period.child.age(held)
        sim.records.event(
            "ssd_cla_reviews",
            held,
            clar_cla_review_id=sim.records.next_id("RV"),
            clar_cla_id=period.id,
            clar_cla_review_due_date=due,
            clar_cla_review_date=held,
            clar_cla_review_cancelled="N",
            clar_cla_review_participation="PN0" if age < 4 else sim.weighted(PARTICIPATION),
        )
        held_reviews.append(held)
        due = held + timedelta(days=91 if len(held_reviews) == 1 else 182)
    return _care_plans(sim, period, held_reviews)


def _care_plans(sim: Sim, period: Period, reviews: list[date]) -> date:
    if len(reviews) >= 2 and sim.chance(0.88):
        decided = reviews[1] - timedelta(days=sim.rng.randint(0, 20))
    else:
        decided = period.entry + timedelta(days=sim.rng.randint(120, 420))
    decided = max(decided, period.entry + timedelta(days=1))
    plan = (
        "SUPPLIV" if period.child.age(period.entry) >= 16 else PLANS.get(period.route, "LTFOST18")
    )
    for chosen, start, end in (
        ((), period.entry, min(decided, period.exit)),  # no plan agreed yet
        ((plan,), decided, period.exit),
    ):
        if start < end:
            ended = sim.ended(end)
            sim.records.span(
                "ssd_cla_care_plan",
                start,
                ended,
                lacp_table_id=sim.records.next_id("CP"),
                lacp_person_id=period.child.id,
                lacp_cla_care_plan_start_date=start,
                lacp_cla_care_plan_end_date=ended,
                lacp_cla_care_plan_json=flags_json(
                    sim.records.contract, "permanence_plan", chosen, unset=""
                ),
            )
    return decided


def _adoption(
    sim: Sim, period: Period, statuses: list[Status], placements: list[Placed], planned: date
) -> None:
    adoptive = next((p for p in placements if p.kind.startswith("A")), None)
    order = _placement_order(statuses)
    permanence(
        sim,
        period.child.id,
        period.id,
        period.entry,
        planned,
        order,
        (adoptive.start, adoptive.kind) if adoptive else None,
        period.exit if period.reason in ("E11", "E12") else None,
    )


def _health(sim: Sim, period: Period) -> None:
    practice = sim.params.practice
    in_time = sim.chance(practice.iha_in_20wd_share)
    day = sim.wd(period.entry, sim.rng.randint(5, 20) if in_time else sim.rng.randint(21, 60))
    kind = "IHA"
    while day < period.exit:
        sim.records.event(
            "ssd_cla_health",
            day,
            clah_health_check_id=sim.records.next_id("H"),
            clah_person_id=period.child.id,
            clah_health_check_type=kind,
            clah_health_check_date=day,
            clah_health_check_status="Completed",
        )
        after_assessment(sim, period.child, day, period.exit)
        interval = 182 if period.child.age(day) < 5 else 365
        late = sim.chance(practice.rha_late_share)
        day += timedelta(
            days=interval + (sim.rng.randint(1, 60) if late else -sim.rng.randint(0, 30))
        )
        kind = "RHA"


def _missing(sim: Sim, period: Period) -> None:
    start = max(period.entry, sim.history_start)
    for month in sim.months(start, min(period.exit, sim.as_at)):
        age = period.child.age(month.start)
        chance = 0.10 if age >= 14 else 0.04 if age >= 11 else 0.0
        if chance and sim.chance(chance):
            day = month.start + timedelta(days=sim.rng.randrange(month.end.day))
            if period.entry <= day < period.exit:
                back = day + timedelta(days=sim.rng.randint(0, 3))
                # back before the period ends (one ending while missing is ceased, E8)
                back = max(day, min(back, period.exit - timedelta(days=1)))
                sim.records.event(
                    "ssd_missing",
                    day,
                    miss_table_id=sim.records.next_id("MS"),
                    miss_person_id=period.child.id,
                    miss_missing_episode_start_date=day,
                    miss_missing_episode_type="M" if sim.chance(0.75) else "A",
                    miss_missing_episode_end_date=sim.records.ended(back),
                    miss_missing_rhi_offered="Y" if sim.chance(0.9) else "N",
                    miss_missing_rhi_accepted="Y" if sim.chance(0.5) else "N",
                )


# Where an earlier adoption, special guardianship or child arrangements order was made: old
# three-digit LA codes of the SSDA903's list, and Wales and Scotland.
PERMANENCE_LAS = ("800", "889", "822", "301", "873", "919", "WAL", "SCO")


def _previous_permanence(sim: Sim, child: Child, entry: date, ended: date | None) -> None:
    """What permanence the child had before this period of care: mostly none (Z1); a few
    were adopted (P1), under special guardianship (P2) or a child arrangements order (P3)
    some years before, the date's day unknown for some (zz/MM/YYYY, as the 903 allows).
    Drawn from the child's own generator, so adding it left every other record as it was."""
    rng = random.Random(f"previous-permanence {child.id} {entry}")
    roll = rng.random()
    option = "P1" if roll < 0.02 else "P2" if roll < 0.05 else "P3" if roll < 0.08 else "Z1"
    day = la = None
    if option != "Z1":
        made = max(child.dob, entry - timedelta(days=rng.randint(200, 3000)))
        day = made.strftime("zz/%m/%Y" if rng.random() < 0.2 else "%d/%m/%Y")
        la = rng.choice(PERMANENCE_LAS)
    sim.records.span(  # with its period of care: kept if the period is in the extract
        "ssd_cla_previous_permanence",
        entry,
        ended,
        lapp_table_id=sim.records.next_id("PP"),
        lapp_person_id=child.id,
        lapp_previous_permanence_order_date=day,
        lapp_previous_permanence_option=option,
        lapp_previous_permanence_la=la,
    )


def _immigration(sim: Sim, period: Period) -> None:
    eighteen = period.child.birthday(18)
    for status, start, end in (("UASC", period.entry, eighteen), ("FORMER_UASC", eighteen, None)):
        ended = sim.records.ended(end)
        sim.records.span(
            "ssd_immigration_status",
            start,
            ended,
            immi_immigration_status_id=sim.records.next_id("IM"),
            immi_person_id=period.child.id,
            immi_immigration_status=status,
            immi_immigration_status_start_date=start,
            immi_immigration_status_end_date=ended,
        )


def unaccompanied(sim: Sim, day: date) -> None:
    """An unaccompanied asylum-seeking child arriving and becoming looked after."""
    child = sim.new_child(day, age=sim.weighted(((15, 35), (16, 45), (17, 20))))
    admitted_directly(sim, child, day, need="N8", source="7", uasc=True)


def admitted_directly(
    sim: Sim, child: Child, day: date, need: str, source: str, uasc: bool = False
) -> None:
    """A referral that leads straight to care (also how the years before the extract begin)."""
    referral = sim.records.next_id("R")
    end, reason = looked_after(sim, child, referral, day, need, uasc)
    sim.write_referral(child, referral, day, end, reason, need, source)


def before_history(sim: Sim) -> None:
    """Children who came into care in the 18 years before the extract's history begins."""
    first = date(sim.history_start.year - 18, sim.history_start.month, 1)
    for month in sim.months(first, sim.history_start - timedelta(days=1)):
        entries = sim.params.flows.care_entries_before * sim.params.scale
        for _ in range(sim.steady_count("care before history", entries)):
            day = sim.working_day_in(month)
            band = sim.weighted(ENTRY_AGES)
            low, high = {"0-4": (0, 4), "5-9": (5, 9), "10-15": (10, 15), "16-17": (16, 17)}[band]
            child = sim.new_child(day, age=sim.rng.randint(low, high))
            admitted_directly(
                sim,
                child,
                day,
                need=sim.weighted(
                    (("N1", 60), ("N4", 10), ("N5", 12), ("N8", 8), ("N2", 5), ("N3", 5))
                ),
                source="6",
            )

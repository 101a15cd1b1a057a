"""A looked-after child's road to adoption: the decision that the child should be placed
for adoption, the placement order, the match and the placement, and the adopters.

The SSDA903 checks these against each other (rules 331 to 335, 408, 521 to 525, 553, 582):
the decision comes first, then the match, then the placement, then the order; a child
placed under a placement order (legal status E1) is placed under it (A5, A6), otherwise
with consent (A3, A4); "with current foster carers" (A3, A5) follows a foster placement.
Values not drawn from the simulation's random stream come from `share` (a hash).
"""

from __future__ import annotations

from datetime import date, timedelta

from scrutineer.synth.returns_fields import share
from scrutineer.synth.sim import Sim

FOSTER = ("U1", "U2", "U3", "U4", "U5", "U6")
ADOPTIVE = ("A3", "A4", "A5", "A6")
# the adoptive placement by (with current foster carers, under a placement order)
ADOPTIVE_KIND = {(True, True): "A5", (True, False): "A3", (False, True): "A6", (False, False): "A4"}


def adoptive_kind(drawn: str, previous: str | None, order: bool) -> str:
    """The placement for adoption: with the current carers when drawn so (A3) and the child
    is with foster carers; under a placement order when one is in force."""
    with_carers = drawn == "A3" and previous in FOSTER + ADOPTIVE
    return ADOPTIVE_KIND[(with_carers, order)]


def placed_after_order(placed: date, order: date | None, leaves: date, child_id: str) -> date:
    """Most children are placed for adoption a few weeks after the placement order."""
    if order is None or order + timedelta(days=14) >= leaves:
        return placed
    weeks = timedelta(days=7 + int(share("placed-after-order", child_id) * 42))
    return min(max(placed, order + weeks), leaves - timedelta(days=7))


def permanence(
    sim: Sim,
    child_id: str,
    period_id: str,
    entry: date,
    planned: date,
    order: date | None,
    placed: tuple[date, str] | None,
    adopted: date | None,
) -> None:
    """The permanence record: `planned` is the care plan's turn to adoption, `placed` the
    adoptive placement's start and kind, `adopted` the day of the adoption order."""
    earliest = min(d for d in (planned, order, placed and placed[0]) if d is not None)
    decision = max(entry, min(planned, earliest - timedelta(days=1)))
    matched = None
    if placed:
        before = timedelta(days=3 + int(share("matched", child_id) * 25))
        matched = max(decision, placed[0] - before)
    couple = share("adopters", child_id) < 0.85
    sex = _adopters_sex(child_id, couple)
    done = sim.records.ended(adopted)  # none yet if after the as-at day
    sim.records.span(
        "ssd_permanence",
        decision,
        done,
        perm_table_id=sim.records.next_id("PM"),
        perm_person_id=child_id,
        perm_cla_id=period_id,
        perm_adm_decision_date=decision,
        perm_placement_order_date=sim.records.ended(order),
        perm_matched_date=sim.records.ended(matched),
        perm_placed_for_adoption_date=sim.records.ended(placed[0]) if placed else None,
        perm_adopted_by_carer_flag=(
            ("Y" if placed[1] in ("A3", "A5") else "N") if done and placed else None
        ),
        perm_number_of_adopters=(2 if couple else 1) if done else None,
        perm_adopter_sex=sex if done else None,
        perm_adopter_legal_status=_adopters_status(child_id, sex) if done else None,
    )
    if matched is not None and placed is not None:
        _adopters(sim, child_id, sex, matched, placed[0], adopted)
    if share("waiting", child_id) < 0.35:  # a household approved and waiting, or gone
        _waiting(sim, child_id, decision)


def _adopters(
    sim: Sim, child_id: str, sex: str, matched: date, placed: date, adopted: date | None
) -> None:
    """The adopters a child was matched with (ext_adopters): their enquiry about a year
    before the match, approval a few months before it, then the match, placement and order
    the child's own records hold. A couple is two rows sharing their household."""
    approved = matched - timedelta(days=30 + int(share("approved", child_id) * 150))
    enquiry = approved - timedelta(days=180 + int(share("enquiry", child_id) * 120))
    family = sim.records.next_id("AF")
    for sex_of in _one_each(sex):
        _adopter(sim, child_id, family, sex_of, enquiry, approved, matched, placed, adopted)


def _waiting(sim: Sim, child_id: str, decision: date) -> None:
    """A household that enquired about the time of a child's decision: most approved and
    still waiting for a match, some who withdrew part way."""
    enquiry = decision + timedelta(days=int(share("waiting-enquiry", child_id) * 60))
    family = sim.records.next_id("AF")
    withdrew = share("withdrew", child_id) < 0.3
    approved = None if withdrew else enquiry + timedelta(days=200)
    left = enquiry + timedelta(days=90) if withdrew else None
    sex = "F1" if share("waiting-sex", child_id) < 0.3 else "MF"
    for sex_of in _one_each(sex):
        _adopter(sim, child_id, family, sex_of, enquiry, approved, None, None, None, left)


def _one_each(sex: str) -> tuple[str, ...]:
    """The adopters of a household by SEX_ADOPTR: "MF" is a man and a woman."""
    return {"M1": ("M",), "F1": ("F",), "MM": ("M", "M"), "FF": ("F", "F")}.get(sex, ("M", "F"))


def _adopter(
    sim: Sim,
    child_id: str,
    family: str,
    sex: str,
    enquiry: date,
    approved: date | None,
    matched: date | None,
    placed: date | None,
    adopted: date | None,
    left: date | None = None,
) -> None:
    stage1 = enquiry + timedelta(days=28)
    stage2 = stage1 + timedelta(days=61)
    ended = left or adopted
    if enquiry > sim.records.as_at or (ended is not None and ended < sim.records.history_start):
        return
    sim.records.add(
        "ext_adopters",
        adop_adopter_id=sim.records.next_id("AD"),
        adop_family_id=family,
        adop_sex=sex,
        adop_ethnicity="WBRI" if share("adopter-ethnicity", child_id + sex) < 0.8 else "MOTH",
        adop_disability="N",
        adop_fostering_for_adoption="Y" if share("ffa", child_id) < 0.1 else "N",
        adop_enquiry_date=enquiry,
        adop_stage1_start_date=sim.records.ended(stage1),
        adop_stage1_end_date=sim.records.ended(stage1 + timedelta(days=56)) if not left else None,
        adop_stage2_start_date=sim.records.ended(stage2) if not left else None,
        adop_stage2_end_date=sim.records.ended(approved - timedelta(days=14)) if approved else None,
        adop_application_date=sim.records.ended(stage2) if not left else None,
        adop_approved_date=sim.records.ended(approved),
        adop_matched_date=sim.records.ended(matched),
        adop_placed_date=sim.records.ended(placed),
        adop_children_placed=1 if sim.records.ended(placed) else None,
        adop_adoption_order_date=sim.records.ended(adopted),
        adop_left_date=sim.records.ended(left),
        adop_left_reason="WITHDREW" if sim.records.ended(left) else None,
    )


def _adopters_sex(child_id: str, couple: bool) -> str:
    draw = share("adopters-sex", child_id)
    if couple:
        return "MF" if draw < 0.8 else "MM" if draw < 0.9 else "FF"
    return "F1" if draw < 0.8 else "M1"


def _adopters_status(child_id: str, sex: str) -> str:
    draw = share("adopters-status", child_id)
    if sex in ("M1", "F1"):
        return "L0"
    if sex == "MF":
        return "L11" if draw < 0.7 else "L3"
    return "L12" if draw < 0.5 else "L2" if draw < 0.75 else "L4"

"""What a looked-after child's health assessment brings with it, for the SSDA903's
outcomes (OC2): a dental check, immunisations checked, a strengths and difficulties
questionnaire for children of 4 to 16, and, for older children, the substance misuse and
offending the review notes.

Chances come from `share` (a hash of the child and the day), not the simulation's random
stream, so adding these records changed no other synthetic value.
"""

from __future__ import annotations

from datetime import date, timedelta

from scrutineer.synth.returns_fields import share
from scrutineer.synth.sim import Child, Sim

DENTAL_SHARE = 0.86  # of assessments followed by a dental check within about a month
IMMUNISED_SHARE = 0.9
SDQ_REFUSED_SHARE = 0.06  # questionnaires not returned (carer or child refused, other)
SUBSTANCE_SHARE = 0.05  # of children 12 and over at an assessment
CONVICTION_SHARE = 0.03  # of children 10 and over at an assessment


def after_assessment(sim: Sim, child: Child, day: date, leaves: date) -> None:
    """The records a health assessment on `day` leads to (for a child in care until `leaves`)."""
    key = f"{child.id}:{day.isoformat()}"
    age = child.age(day)
    dental = day + timedelta(days=7 + int(share("dental-day", key) * 28))
    if age >= 1 and dental < leaves and share("dental", key) < DENTAL_SHARE:
        sim.records.event(
            "ssd_cla_health",
            dental,
            clah_health_check_id=sim.records.next_id("DN"),
            clah_person_id=child.id,
            clah_health_check_type="DENTAL",
            clah_health_check_date=dental,
            clah_health_check_status="Completed",
        )
    sim.records.latest(  # the SSD keeps one row per child: the status as last checked
        "ssd_cla_immunisations",
        day,
        clai_person_id=child.id,
        clai_immunisations_status="Y" if share("immunised", key) < IMMUNISED_SHARE else "N",
        clai_immunisations_status_date=day,
    )
    if 4 <= age <= 16:
        _sdq(sim, child.id, day, key)
    if age >= 12 and share("substance", key) < SUBSTANCE_SHARE:
        received = share("intervention", key) < 0.7
        problem = sim.records.next_id("SM")
        sim.records.event(
            "ssd_cla_substance_misuse",
            day,
            clas_substance_misuse_id=problem,
            clas_person_id=child.id,
            clas_substance_misuse_date=day,
            clas_substance_misused="Cannabis" if share("substance-kind", key) < 0.7 else "Alcohol",
            clas_intervention_received="Y" if received else "N",
        )
        if not received:  # whether one was offered: not in the SSD, so an extension
            sim.records.event(
                "ext_substance_misuse_offers",
                day,
                clso_substance_misuse_id=problem,
                clso_intervention_offered="Y" if share("offered", key) < 0.6 else "N",
            )
    if age >= 10 and share("conviction", key) < CONVICTION_SHARE:
        sim.records.event(
            "ssd_cla_convictions",
            day,
            clac_cla_conviction_id=sim.records.next_id("CV"),
            clac_person_id=child.id,
            clac_cla_conviction_date=day,
            clac_cla_conviction_offence="Criminal damage",
        )


def _sdq(sim: Sim, child_id: str, day: date, key: str) -> None:
    refused = share("sdq-refused", key) < SDQ_REFUSED_SHARE
    reasons = ("SDQ2", "SDQ4", "SDQ5")
    # total difficulties scores cluster in the low teens for looked-after children
    score = round(sum(share(f"sdq-{n}", key) for n in range(4)) / 4 * 30)
    sim.records.event(
        "ssd_sdq_scores",
        day,
        csdq_table_id=sim.records.next_id("SQ"),
        csdq_person_id=child_id,
        csdq_sdq_completed_date=day,
        csdq_sdq_score=None if refused else score,
        csdq_sdq_reason=reasons[int(share("sdq-reason", key) * 3)] if refused else None,
    )

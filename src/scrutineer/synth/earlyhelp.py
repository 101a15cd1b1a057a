"""Early Help episodes: support below the statutory threshold."""

from __future__ import annotations

from datetime import date, timedelta

from scrutineer.synth.sim import Child, Sim

EH_REASONS = (
    "Parenting support",
    "School attendance",
    "Domestic abuse",
    "Emotional wellbeing",
    "Housing",
    "Behaviour",
)


def early_help(sim: Sim, child: Child, start: date) -> None:
    if child.early_help_until > start or child.age(start) >= 18:
        return
    end = start + timedelta(days=sim.days(sim.params.flows.early_help_months * 30.4, 30))
    child.early_help_until = end
    runs = sim.allocate(child, "early_help", start, end, None)
    closed = sim.records.ended(end)
    sim.records.span(
        "ssd_early_help_episodes",
        start,
        closed,
        earl_episode_id=sim.records.next_id("EH"),
        earl_person_id=child.id,
        earl_episode_start_date=start,
        earl_episode_end_date=closed,
        earl_episode_reason=sim.rng.choice(EH_REASONS),
        earl_episode_end_reason="Outcomes met" if closed else None,
        earl_episode_organisation=sim.workforce.team_for("early_help", child.locality).name,
        earl_episode_worker_id=runs[0].worker if runs else None,
    )

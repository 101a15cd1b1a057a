"""The generator's building blocks: counts, recurring duties and worker allocation."""

from __future__ import annotations

import random
import statistics
from datetime import date

from scrutineer.extract.contract import load_contract
from scrutineer.synth.params import AuthorityParams, Cadence
from scrutineer.synth.records import Records
from scrutineer.synth.sim import Sim
from scrutineer.synth.workforce import Workforce

START, END = date(2024, 1, 1), date(2024, 12, 31)


def make_sim(seed: int = 1) -> Sim:
    rng = random.Random(seed)
    records = Records(load_contract(), START, END)
    horizon = date(2025, 1, 1)
    return Sim(
        AuthorityParams(),
        records,
        rng,
        Workforce(rng, records, 1.0, START, horizon),
        START,
        horizon,
    )


def test_counts_have_the_mean_they_are_asked_for() -> None:
    sim = make_sim()
    for mean in (0.4, 1.0, 2.5, 12.0, 365.0):
        draws = [sim.count(mean) for _ in range(4_000)]
        assert abs(statistics.fmean(draws) - mean) < 0.08 * mean + 0.05, mean
        assert min(draws) >= 0


def test_recurring_duties_meet_their_on_time_share() -> None:
    # No wandering performance here, so the share of gaps within `due` is `on_time`.
    sim = make_sim()
    cadence = Cadence(due=28, on_time=0.7, early_min=10, late_max=60, swing=0.0)
    days = list(sim.recurring(cadence, date(1900, 1, 1), date(2100, 1, 1)))
    gaps = [(b - a).days for a, b in zip(days, days[1:], strict=False)]
    assert len(gaps) > 1_000  # so the share's standard error is about 0.013
    assert abs(sum(g <= 28 for g in gaps) / len(gaps) - 0.7) < 0.05
    assert min(gaps) >= 10 and max(gaps) <= 60
    assert days[-1] < sim.horizon  # nothing after the as-at date


def test_allocations_cover_the_span_without_gaps_or_overlaps() -> None:
    sim = make_sim()
    child = sim.new_child(date(2024, 2, 1))
    runs = sim.allocate(child, "safeguarding", date(2024, 2, 1), date(2024, 11, 30), "R1")
    assert runs[0].start == date(2024, 2, 1) and runs[-1].end == date(2024, 11, 30)
    for before, after in zip(runs, runs[1:], strict=False):
        assert before.end == after.start  # a handover: the new worker holds it that day
    teams = {run.team for run in runs}
    assert len(teams) == 1 and teams.pop().startswith("SVC-PC-")


def test_open_allocations_run_to_the_horizon() -> None:
    sim = make_sim()
    child = sim.new_child(date(2024, 6, 1))
    runs = sim.allocate(child, "looked_after", date(2024, 6, 1), None, None)
    assert runs[-1].end == sim.horizon
    assert sim.open_end(runs[-1].end) is None

"""What a synthetic authority looks like: its size, its period and its practice.

The defaults are the reference authority of BRIEF.md §8, a mid-sized, deprived city
(0-17 population about 51,800). Volumes scale with `population`; practice (how often
visits are late, how long plans last) does not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

REFERENCE_POPULATION = 51_800


@dataclass(frozen=True)
class Cadence:
    """How a recurring duty is met: intervals on time, or late by up to `late_max` days.

    Intervals are in calendar days. `on_time` is the share of intervals within `due`
    days; the monthly performance series moves it by up to +/- `swing`.
    """

    due: int
    on_time: float
    early_min: int
    late_max: int
    swing: float = 0.12


@dataclass(frozen=True)
class Practice:
    cp_visit: Cadence = Cadence(due=14, on_time=0.50, early_min=6, late_max=30)
    cin_visit: Cadence = Cadence(due=28, on_time=0.70, early_min=12, late_max=60)
    cla_visit: Cadence = Cadence(due=42, on_time=0.55, early_min=18, late_max=80)
    care_leaver_contact: Cadence = Cadence(due=56, on_time=0.62, early_min=20, late_max=120)
    supervision: Cadence = Cadence(due=28, on_time=0.52, early_min=12, late_max=70, swing=0.18)
    assessment_late_share: float = 0.10  # assessments authorised after 45 working days
    seen_in_5wd_share: float = 0.82
    icpc_in_15wd_share: float = 0.66
    cla_review_late_share: float = 0.22
    cp_review_late_share: float = 0.08
    iha_in_20wd_share: float = 0.62
    rha_late_share: float = 0.15
    pathway_review_late_share: float = 0.25


@dataclass(frozen=True)
class Flows:
    """Monthly volumes for the reference population, and what follows from each step."""

    contacts: float = 1_800  # at the start of history; grows by trend_per_year
    contact_to_referral: float = 0.09
    contact_to_early_help: float = 0.01
    direct_referrals: float = 175  # referrals with no contact recorded before them
    direct_early_help: float = 135  # Early Help started by family hubs and schools
    former_cp_share: float = 0.07  # referrals of children whose earlier CP plan ended
    re_referral_share: float = 0.27
    referral_nfa: float = 0.07
    assessment_to_s47: float = 0.31
    s47_to_icpc: float = 0.37
    icpc_to_plan: float = 0.90
    assessment_to_cin_plan: float = 0.30  # of assessments not leading to S47 or care
    assessment_step_down_to_eh: float = 0.25
    cin_plan_months: float = 5.15
    cin_plan_to_s47_monthly: float = 0.012
    cp_plan_to_care: float = 0.08
    cin_plan_to_care: float = 0.016
    referral_to_care: float = 0.019
    uasc_arrivals: float = 0.95
    early_help_months: float = 5.2
    care_entries_before: float = 18.0  # monthly entries in the years before the period
    trend_per_year: float = 0.025  # growth in contacts


@dataclass(frozen=True)
class AuthorityParams:
    la_code: str = "E99000000"  # not a real ONS code: the synthetic authority
    name: str = "Synthetic City"
    population: int = REFERENCE_POPULATION
    start: date = date(2023, 4, 1)
    end: date = date(2026, 3, 31)
    seed: int = 7  # a typical draw: bench/calibration.py compares seeds
    warm_up_months: int = 24
    flows: Flows = field(default_factory=Flows)
    practice: Practice = field(default_factory=Practice)

    @property
    def scale(self) -> float:
        return self.population / REFERENCE_POPULATION

"""The indicators each return holds enough to compute for its year's last month, the same as
from the full records (checked by the round trip in tests/test_returns_conformance.py).
Others need what a return leaves out: visits, health dates, due dates, or history from
before the year."""

from __future__ import annotations

SUPPORTED: dict[str, tuple[str, ...]] = {
    "cin": (
        "referrals", "referrals_ytd", "referrals_rate_r12", "referrals_nfa_pct",
        "assessments_completed", "assessments_rate_r12", "assessments_45wd_pct",
        "cin_open", "cin_rate", "cin_plans_open",
        "s47_started", "s47_rate_r12", "icpc_held", "icpc_rate_r12", "icpc_15wd_pct",
        "icpc_to_cpp_pct", "cpp_open", "cpp_rate", "cpp_started", "cpp_ended",
        "cpp_ended_2yrs_pct",
    ),
    "ssda903": (
        "cla_open", "cla_rate", "cla_started", "cla_ceased", "cla_uasc", "cla_s20",
        "cla_review_participation_pct", "cla_3plus_placements_pct", "cla_ifa_pct",
        "cla_residential_pct", "cla_with_parents_pct", "cla_missing", "cla_adoption_placed",
    ),
}  # fmt: skip

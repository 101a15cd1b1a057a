"""The synthetic authority: deterministic, valid, and calibrated to BRIEF.md §8."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date
from pathlib import Path

import duckdb
import pytest

from scrutineer.calendar import Period
from scrutineer.catalogue.load import load_catalogue
from scrutineer.engine.compute import Engine
from scrutineer.engine.population import Populations
from scrutineer.errors import GeneratorInvalid
from scrutineer.extract.load import load_extract
from scrutineer.extract.snapshots import SnapshotStore
from scrutineer.synth.generate import generate
from scrutineer.synth.params import REFERENCE_POPULATION, AuthorityParams
from tests.support.cli import Cli
from tests.support.extracts import SMALL


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_same_seed_same_files_other_seed_other_files(small_authority: Path, tmp_path: Path) -> None:
    generate(tmp_path / "again", SMALL)
    assert digest(tmp_path / "again") == digest(small_authority)
    generate(tmp_path / "other", replace(SMALL, seed=SMALL.seed + 1))
    other = digest(tmp_path / "other")
    assert other.keys() == digest(small_authority).keys()
    assert other["ssd_contacts.csv"] != digest(small_authority)["ssd_contacts.csv"]


def test_a_generated_extract_loads_without_errors(small_authority: Path, tmp_path: Path) -> None:
    result = load_extract(small_authority, SnapshotStore(tmp_path / "snapshots"))
    assert result.manifest.as_at == SMALL.end
    assert result.issues == []  # no warning either: every table, column and code is right
    for table in (
        "ssd_contacts",
        "ssd_cin_episodes",
        "ssd_cp_plans",
        "ssd_cla_placement",
        "ssd_involvements",
        "ext_case_supervisions",
        "ext_care_leaver_status",
    ):
        assert result.manifest.rows[table] > 0, table


def test_nothing_is_dated_after_the_as_at_date(small_authority: Path, tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path / "snapshots")
    load_extract(small_authority, store, as_at=SMALL.end)
    con = duckdb.connect(str(store.db_path("latest")), read_only=True)
    latest = con.execute(
        "SELECT max(cont_contact_date), max(cppv_cp_visit_date) FROM ssd_contacts, ssd_cp_visits"
    ).fetchone()
    assert latest is not None and max(latest) <= SMALL.end


def test_many_authorities_each_in_its_own_folder(tmp_path: Path) -> None:
    params = replace(SMALL, population=2_000, warm_up_months=0, start=date(2025, 10, 1))
    made = generate(tmp_path, params, authorities=3)
    assert [m.folder.name for m in made] == ["E99000001", "E99000002", "E99000003"]
    assert len({m.params.population for m in made}) == 3
    assert all((m.folder / "ssd_person.csv").is_file() for m in made)


@pytest.mark.parametrize(
    "change, message",
    [({"end": date(2023, 1, 1)}, "must come after"), ({"population": 10}, "too few")],
)
def test_impossible_parameters_are_refused(
    tmp_path: Path, change: dict[str, object], message: str
) -> None:
    with pytest.raises(GeneratorInvalid, match=message):
        generate(tmp_path, replace(AuthorityParams(), **change))  # type: ignore[arg-type]


# BRIEF.md §8: the reference authority's monthly levels, by indicator of the catalogue (the
# engine computes them: one computation for the calibration and every output). Monthly
# counts wander with chance (Poisson noise) and percentages with their denominators, so
# each month must fall in the range widened by that noise, and the 36-month mean in the
# range itself.
LEVELS: dict[str, tuple[float, float]] = {
    "contacts": (1_650, 2_300),
    "contacts_nfa_pct": (87, 90),
    "referrals": (280, 450),
    "rereferrals_pct": (21, 33),
    "assessments_45wd_pct": (85, 94),
    "s47_started": (100, 150),
    "icpc_held": (40, 50),
    "icpc_15wd_pct": (40, 86),
    "icpc_to_cpp_pct": (80, 98),
    "cpp_open": (310, 450),
    "cp_visits_10wd_pct": (41, 82),
    "cla_open": (490, 545),
    "cla_rate": (95, 105),
    "cla_uasc": (15, 26),
    "cla_s20": (30, 60),
    "cla_visits_6wk_pct": (65, 90),
    "cla_reviews_timely_pct": (93, 99),  # "~96%"
    "cla_3plus_placements_pct": (12, 16),
    "cla_ifa_pct": (28, 36),  # "~32%"
    "cin_plans_open": (510, 550),
    "cin_visits_4wk_pct": (66, 87),
    "eh_open": (1_000, 1_300),
    "cl_open": (250, 280),
    "cl_neet_17_18_pct": (45, 60),
    "supervision_cin_pct": (45, 88),
    "supervision_cp_pct": (45, 88),
    "supervision_cla_pct": (45, 88),
    "caseload_avg": (18, 24),  # "~21"
}
PERCENT_NOISE = 12  # points: e.g. ~45 conferences a month give a standard error of ~7


def noise(name: str, high: float) -> float:
    if name.endswith("_pct"):
        return PERCENT_NOISE
    if name in ("cla_rate", "caseload_avg"):
        return 0.1 * high
    return float(3 * high**0.5)


def reference_levels(cli: Cli) -> dict[str, list[float]]:
    snapshot = next((cli.home / "data" / "snapshots").glob("s*/extract.duckdb"))
    con = duckdb.connect(str(snapshot), read_only=True)
    catalogue = load_catalogue()
    engine = Engine(con, catalogue, Populations("E99000000", REFERENCE_POPULATION))
    kpis = [catalogue.get(k) for k in LEVELS]
    levels: dict[str, list[float]] = {k: [] for k in LEVELS}
    for value in engine.values(Period(2023, 4), Period(2026, 3), kpis):
        assert value.value is not None, value
        levels[value.kpi].append(value.value)
    return levels


@pytest.mark.slow
def test_reference_authority_is_calibrated(reference: tuple[Cli, Path]) -> None:
    cli, _ = reference
    problems = []
    for name, values in reference_levels(cli).items():
        low, high = LEVELS[name]
        assert len(values) == 36, name
        mean = sum(values) / len(values)
        if not low <= mean <= high:
            problems.append(f"{name}: mean {mean:.1f} outside {low}-{high}")
        slack = noise(name, high)
        outside = [round(v, 1) for v in values if not low - slack <= v <= high + slack]
        if outside:
            problems.append(f"{name}: months {outside} outside {low}-{high} +/- {slack:.0f}")
    assert not problems, "\n".join(problems)

"""Breakdowns by service, team and worker: attribution, and figures that add up."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

import duckdb
import pytest

from scrutineer.calendar import Period
from scrutineer.catalogue.load import load_catalogue
from scrutineer.engine.batch import compute_everything
from scrutineer.engine.compute import Engine
from scrutineer.engine.exceptions import exception_list
from scrutineer.engine.holders import ChildNow, child_now, teams_holding
from scrutineer.engine.population import Populations
from scrutineer.extract.load import load_extract
from scrutineer.extract.snapshots import SnapshotStore
from tests.support.golden import snapshot_from_rows

DEPARTMENT = [
    {"dept_team_id": "S1", "dept_team_name": "Protection"},
    {"dept_team_id": "T1", "dept_team_name": "Team One", "dept_team_parent_id": "S1"},
    {"dept_team_id": "T2", "dept_team_name": "Team Two", "dept_team_parent_id": "S1"},
]
WORKERS = [
    {"prof_professional_id": "W1", "prof_professional_name": "Worker One"},
    {"prof_professional_id": "W2", "prof_professional_name": "Worker Two"},
]


def engine_for(rows: Mapping[str, Sequence[Mapping[str, object]]], as_at: date) -> Engine:
    con = snapshot_from_rows(rows, as_at)
    return Engine(con, load_catalogue(), Populations("E99000000", 10_000))


def allocation(ref: str, person: str, worker: str, team: str, start: str) -> dict[str, str]:
    return {
        "invo_involvements_id": ref,
        "invo_professional_id": worker,
        "invo_professional_role_id": "ALLOCATED_CASE_WORKER",
        "invo_professional_team": team,
        "invo_person_id": person,
        "invo_involvement_start_date": start,
    }


def test_the_qa_pages_hold_a_case_where_the_figures_do() -> None:
    """One rule for who holds a case on a day (issue 19), for the figures and for the QA
    pages (`engine.holders`). A is allocated to W2 (Team Two) and W1 (Team One, a second
    service) on the same day, 1 March: the lower worker id, W1, holds it - in Team One's
    service - wherever it is asked; before, the pages took the team and the service from
    either allocation, each on its own. B's latest allocation (1 April) is to a team the
    extract does not name: B's case is held in no known team on 31 May (not by the team
    of B's allocation before it)."""
    engine = engine_for(
        {
            "ssd_department": [
                *DEPARTMENT,
                {"dept_team_id": "S2", "dept_team_name": "Children in care"},
                {"dept_team_id": "T3", "dept_team_name": "Team Three", "dept_team_parent_id": "S2"},
            ],
            "ssd_professionals": [*WORKERS, {"prof_professional_id": "W3"}],
            "ssd_person": [
                {"pers_person_id": "A", "pers_dob": "2015-01-01"},
                {"pers_person_id": "B", "pers_dob": "2015-01-01"},
            ],
            "ssd_involvements": [
                allocation("I1", "A", "W2", "T2", "2024-03-01"),
                allocation("I2", "A", "W1", "T3", "2024-03-01"),
                allocation("I3", "B", "W1", "T1", "2024-01-01"),
                allocation("I4", "B", "W3", "T9", "2024-04-01"),
            ],
            "ssd_cp_plans": [
                {"cppl_cp_plan_id": p, "cppl_person_id": c, "cppl_cp_plan_start_date": "2024-02-01"}
                for p, c in (("P1", "A"), ("P2", "B"))
            ],
        },
        date(2024, 5, 31),
    )
    may, day = Period(2024, 5), date(2024, 5, 31)
    by_team = engine.values(may, may, [engine.catalogue.get("cpp_open")], by="team")
    assert {dict(v.group)["team_id"]: v.value for v in by_team} == {"T3": 1, "T9": 1}
    held = teams_holding(engine.con, [("A", day), ("B", day), ("A", date(2024, 2, 1))])
    assert held == {("A", day): ("Team Three", "S2")}


def test_a_child_who_moves_team_mid_month_counts_where_they_are_at_month_end() -> None:
    # A moves from W1 (Team One) to W2 (Team Two) on 15 May; B stays with W1. On 31 May
    # the CP figures count A in Team Two; the assessment A completed on 10 May counts in
    # Team One, whose worker held the case that day.
    engine = engine_for(
        {
            "ssd_department": DEPARTMENT,
            "ssd_professionals": WORKERS,
            "ssd_person": [
                {"pers_person_id": "A", "pers_dob": "2015-01-01"},
                {"pers_person_id": "B", "pers_dob": "2015-01-01"},
            ],
            "ssd_involvements": [
                {
                    "invo_involvements_id": "I1",
                    "invo_professional_id": "W1",
                    "invo_professional_role_id": "ALLOCATED_CASE_WORKER",
                    "invo_professional_team": "T1",
                    "invo_person_id": "A",
                    "invo_involvement_start_date": "2024-01-01",
                    "invo_involvement_end_date": "2024-05-15",
                },
                {
                    "invo_involvements_id": "I2",
                    "invo_professional_id": "W2",
                    "invo_professional_role_id": "ALLOCATED_CASE_WORKER",
                    "invo_professional_team": "T2",
                    "invo_person_id": "A",
                    "invo_involvement_start_date": "2024-05-15",
                },
                {
                    "invo_involvements_id": "I3",
                    "invo_professional_id": "W1",
                    "invo_professional_role_id": "ALLOCATED_CASE_WORKER",
                    "invo_professional_team": "T1",
                    "invo_person_id": "B",
                    "invo_involvement_start_date": "2024-01-01",
                },
            ],
            "ssd_cp_plans": [
                {
                    "cppl_cp_plan_id": "P1",
                    "cppl_person_id": "A",
                    "cppl_cp_plan_start_date": "2024-02-01",
                },
                {
                    "cppl_cp_plan_id": "P2",
                    "cppl_person_id": "B",
                    "cppl_cp_plan_start_date": "2024-02-01",
                },
            ],
            "ssd_cin_assessments": [
                {
                    "cina_assessment_id": "X1",
                    "cina_person_id": "A",
                    "cina_assessment_start_date": "2024-04-01",
                    "cina_assessment_auth_date": "2024-05-10",
                },
            ],
        },
        date(2024, 5, 31),
    )
    may = Period(2024, 5)
    by_team = engine.values(may, may, [engine.catalogue.get("cpp_open")], by="team")
    assert {dict(v.group)["team"]: v.value for v in by_team} == {"Team One": 1, "Team Two": 1}
    by_worker = engine.values(
        may, may, [engine.catalogue.get("assessments_completed")], by="worker"
    )
    assert [(dict(v.group)["worker"], v.value) for v in by_worker] == [("Worker One", 1)]
    by_service = engine.values(may, may, [engine.catalogue.get("cpp_open")], by="service")
    assert [(dict(v.group)["service"], v.value) for v in by_service] == [("Protection", 2)]


def test_unallocated_children_are_shown_as_such() -> None:
    engine = engine_for(
        {
            "ssd_person": [{"pers_person_id": "A", "pers_dob": "2015-01-01"}],
            "ssd_cp_plans": [
                {
                    "cppl_cp_plan_id": "P1",
                    "cppl_person_id": "A",
                    "cppl_cp_plan_start_date": "2024-02-01",
                }
            ],
        },
        date(2024, 5, 31),
    )
    (value,) = engine.values(
        Period(2024, 5), Period(2024, 5), [engine.catalogue.get("cpp_open")], by="team"
    )
    assert dict(value.group) == {
        "service_id": None,
        "service": "Not allocated",
        "team_id": None,
        "team": "Not allocated",
    }


@pytest.fixture(scope="session")
def small_engine(small_authority: Path, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    store = SnapshotStore(tmp_path_factory.mktemp("breakdown") / "snapshots")
    load_extract(small_authority, store)
    con = duckdb.connect(str(store.db_path("latest")), read_only=True)
    return Engine(con, load_catalogue(), Populations("E99000000", 6_000))


@pytest.mark.parametrize("by", ["service", "team", "worker"])
def test_groups_add_up_to_the_authority(small_engine: Engine, by: str) -> None:
    first, last = Period(2025, 10), Period(2026, 3)
    total = {(v.kpi, v.period): v for v in small_engine.values(first, last)}
    sums: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for value in small_engine.values(first, last, by=by):  # type: ignore[arg-type]
        sums[(value.kpi, value.period)][0] += value.numerator or 0
        sums[(value.kpi, value.period)][1] += value.denominator or 0
    checked = 0
    for key, overall in total.items():
        kpi = small_engine.catalogue.get(key[0])
        if kpi.from_records:
            continue
        numerator, denominator = sums.get(key, [0.0, 0.0])
        # sums of full-time equivalence (caseload, agency share) are sums of decimals
        assert numerator == pytest.approx(overall.numerator, abs=1e-9), f"{key} numerators"
        if kpi.unit in ("percent", "average"):
            assert denominator == pytest.approx(overall.denominator or 0, abs=1e-9), (
                f"{key} denominators by {by}"
            )
        checked += 1
    assert checked == 69 * 6


def test_everything_at_once_agrees_with_one_at_a_time(small_engine: Engine) -> None:
    first, last = Period(2026, 1), Period(2026, 3)
    batch = compute_everything(
        small_engine.con,
        small_engine.catalogue,
        small_engine.populations,
        first,
        last,
        exceptions_for=last,
    )
    for level in ("authority", "service", "team", "worker"):
        by = None if level == "authority" else level
        one = small_engine.values(first, last, by=by)  # type: ignore[arg-type]
        assert sorted(map(repr, batch.values[level])) == sorted(map(repr, one)), level
    listed = exception_list(small_engine, small_engine.catalogue.get("cla_visits_6wk_pct"), last)
    assert batch.exceptions["cla_visits_6wk_pct"] == listed
    assert len(batch.exceptions) == 24


def test_a_child_as_the_extract_has_them_on_a_day() -> None:
    """A's referral of 1 March is open and a plan began on 10 April (one before it ended on
    9 April); W1 holds the case from 1 March and W2 from 20 May: on 31 May, W2 in Team Two.
    B's care ended on 15 May: on 31 May not looked after, on 14 May looked after since 1 May."""
    engine = engine_for(
        {
            "ssd_department": DEPARTMENT,
            "ssd_professionals": WORKERS,
            "ssd_person": [
                {
                    "pers_person_id": "A",
                    "pers_forename": "Ann",
                    "pers_surname": "Example",
                    "pers_dob": "2015-06-01",
                },
                {"pers_person_id": "B", "pers_dob": "2012-01-01"},
            ],
            "ssd_involvements": [
                {
                    **allocation("I1", "A", "W1", "T1", "2024-03-01"),
                    "invo_involvement_end_date": "2024-05-20",
                },
                allocation("I2", "A", "W2", "T2", "2024-05-20"),
            ],
            "ssd_cin_episodes": [
                {
                    "cine_referral_id": "R1",
                    "cine_person_id": "A",
                    "cine_referral_date": "2024-03-01",
                },
            ],
            "ssd_cp_plans": [
                {
                    "cppl_cp_plan_id": "P0",
                    "cppl_person_id": "A",
                    "cppl_cp_plan_start_date": "2024-03-05",
                    "cppl_cp_plan_end_date": "2024-04-09",
                },
                {
                    "cppl_cp_plan_id": "P1",
                    "cppl_person_id": "A",
                    "cppl_cp_plan_start_date": "2024-04-10",
                },
            ],
            "ssd_cla_episodes": [
                {
                    "clae_cla_episode_id": "E1",
                    "clae_person_id": "B",
                    "clae_cla_episode_start_date": "2024-05-01",
                    "clae_cla_episode_ceased_date": "2024-05-15",
                    "clae_cla_id": "C1",
                },
            ],
        },
        date(2024, 5, 31),
    )
    a = child_now(engine.con, "A", date(2024, 5, 31))
    assert a == ChildNow(
        "Ann Example",
        8,  # born 1 June 2015: 9 the day after
        "Worker Two",
        "Team Two",
        date(2024, 3, 1),
        date(2024, 4, 10),
        None,
    )
    b = child_now(engine.con, "B", date(2024, 5, 31))
    assert b is not None and (b.name, b.worker, b.looked_after_since) == (None, None, None)
    before = child_now(engine.con, "B", date(2024, 5, 14))
    assert before is not None and before.looked_after_since == date(2024, 5, 1)
    assert child_now(engine.con, "NOBODY", date(2024, 5, 31)) is None
    birthday = child_now(engine.con, "A", date(2024, 6, 1))
    assert birthday is not None and birthday.age == 9

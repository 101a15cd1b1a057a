"""Every timeliness indicator's exception list holds exactly the children who are overdue.

On the small synthetic authority, for each indicator whose list is of the units that miss
it and that states when each duty fell due: every child listed fell due before the month's
end (a child not yet due is never on a list), and the figure's numerator plus the list's
length is its denominator (the list is exactly the units not counted).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from scrutineer.calendar import Period
from scrutineer.catalogue.load import load_catalogue
from scrutineer.engine.compute import Engine
from scrutineer.engine.exceptions import exception_list
from scrutineer.engine.population import Populations
from scrutineer.extract.load import load_extract
from scrutineer.extract.snapshots import SnapshotStore

TIMELY = [
    k.id
    for k in load_catalogue()
    if k.exceptions and k.exceptions.when == "missed" and k.exceptions.due and not k.from_records
]


@pytest.fixture(scope="module")
def engine(small_authority: Path, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    store = SnapshotStore(tmp_path_factory.mktemp("timely") / "snapshots")
    manifest = load_extract(small_authority, store).manifest
    con = duckdb.connect(str(store.db_path(manifest.id)), read_only=True)
    return Engine(con, load_catalogue(), Populations("E99000000", 10_000))


@pytest.mark.parametrize("kpi_id", TIMELY)
def test_only_overdue_children_are_listed(engine: Engine, kpi_id: str) -> None:
    """In the snapshot's last month (its as-at date, 31 March, is that month's end) and six
    months before it. A month-end figure judges every duty at the month's end; a flow of
    one-off deadlines (an assessment's 5 working days, an initial health assessment's 20)
    judges each at the as-at date, the only day that can be judged on for every unit of
    the month (a deadline may fall after the month's end)."""
    kpi = engine.catalogue.get(kpi_id)
    as_at = engine.con.execute("SELECT as_at FROM scrutineer_snapshot").fetchone()
    assert as_at is not None and Period.of(as_at[0]).end == as_at[0]
    for month in (Period.of(as_at[0]), Period.of(as_at[0]).shift(-6)):
        (value,) = engine.kpi_values(kpi, month, month)
        listed = exception_list(engine, kpi, month)
        assert value.denominator, f"{kpi_id}: nothing to judge in {month}"
        assert (value.numerator or 0) + len(listed) == value.denominator
        judged_on = month.end if kpi.kind == "snapshot" else as_at[0]
        early = [(r.person_id, r.due) for r in listed if r.due is None or r.due >= judged_on]
        assert not early, f"{kpi_id}: listed but not due before {judged_on}: {early[:5]}"


def test_every_up_to_date_indicator_is_judged_from_its_due_dates() -> None:
    assert {
        "cp_visits_10wd_pct",
        "cin_visits_4wk_pct",
        "cla_visits_6wk_pct",
        "cp_reviews_timely_pct",
        "cla_reviews_timely_pct",
        "supervision_cin_pct",
        "supervision_cp_pct",
        "supervision_cla_pct",
        "supervision_cl_pct",
        "cl_contact_8wk_pct",
        "cl_pathway_plan_timely_pct",
        "cla_health_assessment_pct",
        "assessments_seen_5wd_pct",
        "cla_iha_20wd_pct",
    } <= set(TIMELY)

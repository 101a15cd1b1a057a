"""Every indicator against small extracts whose answers were worked out by hand."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from scrutineer.calendar import Period
from scrutineer.catalogue.load import load_catalogue
from scrutineer.engine.compute import Engine
from scrutineer.engine.exceptions import exception_list
from scrutineer.engine.population import Populations
from tests.support.golden import GOLDEN, golden_cases, snapshot_from_rows

CASES = golden_cases()


def case_id(value: object) -> str:
    return str(value["case"])[:60] if isinstance(value, dict) else str(value)


@pytest.mark.parametrize(("kpi_id", "case"), CASES, ids=case_id)
def test_golden_value(kpi_id: str, case: dict[str, Any]) -> None:
    months = sorted(Period.parse(str(m)) for m in case["expect"])
    as_at = case.get("as_at") or months[-1].end
    con = snapshot_from_rows(case.get("rows", {}), as_at)
    catalogue = load_catalogue()
    populations = Populations("E99000000", case.get("population", 10_000))
    engine = Engine(con, catalogue, populations, case.get("qa"))
    kpi = catalogue.get(kpi_id)
    got = {v.period: v for v in engine.kpi_values(kpi, months[0], months[-1])}
    for month, expected in case["expect"].items():
        value = got[str(month)]
        for name, wanted in expected.items():
            assert getattr(value, name) == pytest.approx(wanted, abs=0.01), (
                f"{kpi_id} {month} {name}: got {getattr(value, name)}, expected {wanted}"
            )
    for month, children in (case.get("exceptions") or {}).items():
        listed = exception_list(engine, kpi, Period.parse(str(month)))
        assert sorted(str(r.person_id) for r in listed) == sorted(str(c) for c in children)
    for month, days in (case.get("overdue") or {}).items():
        listed = exception_list(engine, kpi, Period.parse(str(month)))
        got_days = {str(r.person_id): (str(r.due), r.days_overdue) for r in listed}
        assert got_days == {str(c): (str(d[0]), d[1]) for c, d in days.items()}


def test_every_indicator_has_golden_cases() -> None:
    covered = {kpi_id for kpi_id, _ in CASES}
    computed = {k.id for k in load_catalogue()}
    missing = sorted(computed - covered)
    assert not missing, f"add tests/golden/<id>.yaml for: {missing}"
    assert GOLDEN.is_dir()


def test_records_store_indicators_say_no_data_never_zero_without_the_records() -> None:
    con = snapshot_from_rows({}, date(2024, 5, 31))
    catalogue = load_catalogue()
    engine = Engine(con, catalogue, Populations("E99000000", 10_000))
    for kpi in (k for k in catalogue if k.from_records):
        (value,) = engine.kpi_values(kpi, Period(2024, 5), Period(2024, 5))
        assert (value.value, value.status) == (None, "no data")

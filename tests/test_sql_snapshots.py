"""The compiled SQL of every indicator, kept as a reviewed file: a change to the compiler, a
cohort or a definition shows as a diff of tests/sql/, to be read before it is committed."""

from __future__ import annotations

import pytest

from scrutineer.catalogue.docs import golden_file, sql_file
from scrutineer.catalogue.load import load_catalogue
from scrutineer.engine.explain import SQL_PERIOD, explain
from tests.support.paths import ROOT

CATALOGUE = load_catalogue()


@pytest.mark.parametrize("kpi_id", [k.id for k in CATALOGUE])
def test_the_compiled_sql_is_the_reviewed_one(kpi_id: str) -> None:
    kpi = CATALOGUE.get(kpi_id)
    reviewed = (ROOT / sql_file(kpi)).read_text(encoding="utf-8")
    assert explain(kpi, CATALOGUE, SQL_PERIOD, where=False) == reviewed, (
        f"{kpi_id}'s SQL changed: run scripts/update-sql-snapshots and review the diff"
    )


def test_explain_leads_from_an_id_to_everything() -> None:
    kpi = CATALOGUE.get("cp_visits_10wd_pct")
    text = explain(kpi, CATALOGUE, SQL_PERIOD)
    assert f"-- source: {kpi.source}" in text
    assert f"defined in src/scrutineer/catalogue/{kpi.location}" in text
    path, line = str(kpi.location).split(":")
    yaml_lines = (ROOT / "src/scrutineer/catalogue" / path).read_text().splitlines()
    assert yaml_lines[int(line) - 1] == f"- id: {kpi.id}"
    for kpi in CATALOGUE:
        assert (ROOT / golden_file(kpi)).is_file() and (ROOT / sql_file(kpi)).is_file()
    assert sorted(p.stem for p in (ROOT / "tests" / "sql").glob("*.sql")) == sorted(
        k.id for k in CATALOGUE
    )

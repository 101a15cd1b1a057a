"""The reference authority as a council's SQL Server export, with local values and a code map.

The clean extract is the generator's; the export (synth/council_export.py) writes the same
records as SQL Server Management Studio and a Liquidlogic deployment do: NULL literals,
datetimes, CRLF, a BOM or Windows-1252, flags as 1/0, and local values in coded columns that
the shipped maps, the contract's descriptions and the council's code_map.csv read. Every
indicator, for every month, at the authority and by team, must equal the clean extract's;
with one local value left out of the map, it is reported and exactly the figures that read
it are marked.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pytest

from scrutineer.calendar import Period
from scrutineer.catalogue.load import load_catalogue
from scrutineer.catalogue.model import Level
from scrutineer.engine.compute import Engine, Value
from scrutineer.engine.population import Populations
from scrutineer.extract.contract import load_contract
from scrutineer.extract.load import LoadResult, load_extract
from scrutineer.extract.snapshots import SnapshotStore
from scrutineer.settings import load_settings
from scrutineer.synth.council_export import (
    COUNCILS_OWN,
    DESCRIBED,
    SHIPPED,
    SHIPPED_MAPS,
    own_words,
    sql_server_export,
)
from tests.support.cli import Cli

LEFT_OUT = ("ssd_cla_reviews", "clar_cla_review_participation", "PN1")


def every_value(store: SnapshotStore) -> dict[Level, list[Value]]:
    manifest = store.latest()
    con = duckdb.connect(str(store.db_path(manifest.id)), read_only=True)
    settings = load_settings({})
    engine = Engine(con, load_catalogue(), Populations(settings.la_code, settings.population))
    last = Period.of(manifest.as_at).shift(-1)
    try:
        return engine.levels(last.shift(-35), last, None, ("authority", "team"))
    finally:
        con.close()


def figures(values: list[Value]) -> dict[tuple[object, ...], tuple[object, ...]]:
    return {
        (v.kpi, v.period, v.group): (v.value, v.numerator, v.denominator, v.status) for v in values
    }


@dataclass(frozen=True)
class Clean:
    folder: Path
    result: LoadResult
    values: dict[Level, list[Value]]


@pytest.fixture(scope="module")
def clean(reference: tuple[Cli, Path], tmp_path_factory: pytest.TempPathFactory) -> Clean:
    _, folder = reference
    store = SnapshotStore(tmp_path_factory.mktemp("clean") / "snapshots")
    result = load_extract(folder, store)
    return Clean(folder, result, every_value(store))


def load_export(
    clean_folder: Path, as_at: date, tmp: Path, leave_out: tuple[str, str, str] | None
) -> tuple[LoadResult, dict[Level, list[Value]]]:
    export = tmp / "export"
    sql_server_export(clean_folder, export, load_contract(), leave_out)
    store = SnapshotStore(tmp / "snapshots")
    result = load_extract(export, store, as_at, codes=SHIPPED_MAPS)
    values = every_value(store)
    shutil.rmtree(export)
    return result, values


def test_a_sql_server_export_with_a_code_map_gives_the_clean_figures(
    clean: Clean, tmp_path: Path
) -> None:
    folder, clean_result, clean_values = clean.folder, clean.result, clean.values
    result, values = load_export(folder, clean_result.manifest.as_at, tmp_path, None)
    assert result.manifest.unmapped == ()
    assert result.manifest.rows == clean_result.manifest.rows
    mapped = {(m["table"], m["column"]) for m in result.manifest.mapped}
    assert mapped >= set(SHIPPED) | {(t, c) for t, c, _ in DESCRIBED} | set(COUNCILS_OWN)
    for level in ("authority", "team"):
        assert figures(values[level]) == figures(clean_values[level]), level
    assert len(clean_values["authority"]) == 77 * 36


def test_a_value_left_out_of_the_map_is_reported_and_its_figures_marked(
    clean: Clean, tmp_path: Path
) -> None:
    folder, clean_result, clean_values = clean.folder, clean.result, clean.values
    result, values = load_export(folder, clean_result.manifest.as_at, tmp_path, LEFT_OUT)
    table, column, code = LEFT_OUT
    [unmapped] = result.manifest.unmapped
    text = load_contract().codes["participation"].values[code]
    assert (unmapped["table"], unmapped["column"], unmapped["value"]) == (
        table,
        column,
        own_words(code, text).upper(),
    )
    con = duckdb.connect()
    reviews = con.execute(
        f"SELECT count(*) FROM read_csv('{folder}/{table}.csv', all_varchar=true) "
        f"WHERE {column} = '{code}'"
    ).fetchone()
    assert reviews is not None and unmapped["rows"] == reviews[0] > 0
    assert any(i.rule == "unmapped-code" and i.column == column for i in result.issues)
    clean_figures = figures(clean_values["authority"])
    marked: dict[object, list[object]] = {}
    for key, (value, numerator, denominator, status) in figures(values["authority"]).items():
        if status == "unmapped":
            marked.setdefault(key[0], []).append(key[1])
        else:  # every figure not marked is the clean one
            assert (value, numerator, denominator, status) == clean_figures[key], key
    # only the indicator whose figure reads review participation, in the months with a
    # review whose participation was left out of the map
    assert set(marked) == {"cla_review_participation_pct"}
    months = con.execute(
        f"SELECT DISTINCT strftime(CAST(clar_cla_review_date AS DATE), '%Y-%m') "
        f"FROM read_csv('{folder}/{table}.csv', all_varchar=true) WHERE {column} = '{code}'"
    ).fetchall()
    shown = {v.period for v in values["authority"]}
    assert set(marked["cla_review_participation_pct"]) == {str(m[0]) for m in months} & shown

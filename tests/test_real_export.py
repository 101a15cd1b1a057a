"""The reference authority as a council's SQL Server export, with local values and a code map.

The clean extract is the generator's; the export is what SQL Server Management Studio and
a Liquidlogic deployment make of the same records (shared/data/ssd/REAL_EXPORTS.md): the
literal NULL in every empty cell, datetimes with milliseconds, CRLF, a BOM or Windows-1252,
flags as 1/0 and True/False, and local values in coded columns:

- worker roles as the CMS's codes (CW, KAPAD) and placement types as the old F1-F6: the
  shipped `ssd-liquidlogic` map;
- sex as `1 - Male`: the shipped `annex-a` map;
- CP categories and legal statuses as descriptions (`Neglect`, `C2 - Full care order`):
  read as their codes without a map;
- review participation, care leavers' activity and reasons a period of care ended as the
  CMS's own wording: the council's code_map.csv in the extract folder.

Every indicator, for every month, at the authority and by team, must equal the clean
extract's; with one local value left out of the map, it is reported and exactly the figures
that read it are marked.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pytest

from conftest import Cli
from scrutineer.calendar import Period
from scrutineer.catalogue.load import load_catalogue
from scrutineer.engine.compute import Engine, Value
from scrutineer.engine.population import Populations
from scrutineer.extract.contract import Contract, load_contract
from scrutineer.extract.load import LoadResult, load_extract
from scrutineer.extract.snapshots import SnapshotStore
from scrutineer.settings import load_settings

SHIPPED = {  # (table, column) -> {code: what the CMS writes}, mapped by a shipped map
    ("ssd_involvements", "invo_professional_role_id"): {
        "ALLOCATED_CASE_WORKER": "CW",
        "PERSONAL_ADVISOR": "KAPAD",
    },
    ("ssd_cla_placement", "clap_cla_placement_type"): {f"U{n}": f"F{n}" for n in range(1, 7)},
    ("ssd_person", "pers_sex"): {"M": "1 - Male", "F": "2 - Female", "U": "Not recorded"},
}
DESCRIBED = (  # written as the code's description (alone, or after the code)
    ("ssd_cp_plans", "cppl_cp_plan_initial_category", "{text}"),
    ("ssd_cp_plans", "cppl_cp_plan_latest_category", "{text}"),
    ("ssd_legal_status", "lega_legal_status", "{code} - {text}"),
)
COUNCILS_OWN = (  # written in the CMS's own words, which the council's map reads
    ("ssd_cla_reviews", "clar_cla_review_participation"),
    ("ext_care_leaver_status", "clst_activity"),
    ("ssd_cla_episodes", "clae_cla_episode_ceased_reason"),
)
LEFT_OUT = ("ssd_cla_reviews", "clar_cla_review_participation", "PN1")


def own_words(code: str, text: str) -> str:
    return f"{text.split(' (')[0]} [{code.lower()}]"  # "Full time in higher education [f1]"


def local_values(contract: Contract) -> dict[tuple[str, str], dict[str, str]]:
    found = {key: dict(values) for key, values in SHIPPED.items()}
    for table, column, form in DESCRIBED:
        codes = contract.codes[str(contract.table(table).column(column).codes)]
        found[(table, column)] = {c: form.format(code=c, text=t) for c, t in codes.values.items()}
    for table, column in COUNCILS_OWN:
        codes = contract.codes[str(contract.table(table).column(column).codes)]
        found[(table, column)] = {c: own_words(c, t) for c, t in codes.values.items()}
    return found


def council_map(contract: Contract, leave_out: tuple[str, str, str] | None) -> Iterator[list[str]]:
    yield ["table", "column", "local", "standard"]
    for table, column in COUNCILS_OWN:
        codes = contract.codes[str(contract.table(table).column(column).codes)]
        for code, text in codes.values.items():
            if (table, column, code) != leave_out:
                yield [table, column, own_words(code, text), code]


def sql_server_export(clean: Path, out: Path, contract: Contract) -> None:
    out.mkdir(parents=True)
    local = local_values(contract)
    flag_words = iter([("1", "0"), ("True", "False"), ("Yes", "No")])
    for number, path in enumerate(sorted(clean.glob("*.csv"))):
        table = contract.table(path.stem)
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        header = rows[0]
        columns = [table.column(name) for name in header]
        yes, no = next(flag_words, ("Y", "N"))
        for row in rows[1:]:
            for i, (column, value) in enumerate(zip(columns, row, strict=True)):
                if value == "":
                    row[i] = "NULL"
                elif column.type == "date" and len(value) == 10:
                    row[i] = f"{value} 00:00:00.000"
                elif column.type == "flag":
                    row[i] = {"Y": yes, "N": no}.get(value, value)
                elif (table.name, column.name) in local:
                    row[i] = local[(table.name, column.name)].get(value, value)
        encoding = ("utf-8-sig", "cp1252", "utf-8")[number % 3]
        with (out / path.name).open("w", encoding=encoding, newline="") as handle:
            csv.writer(handle, lineterminator="\r\n").writerows(rows)


def every_value(store: SnapshotStore) -> dict[str, list[Value]]:
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
    values: dict[str, list[Value]]


@pytest.fixture(scope="module")
def clean(reference: tuple[Cli, Path], tmp_path_factory: pytest.TempPathFactory) -> Clean:
    _, folder = reference
    store = SnapshotStore(tmp_path_factory.mktemp("clean") / "snapshots")
    result = load_extract(folder, store)
    return Clean(folder, result, every_value(store))


def load_export(
    clean_folder: Path, as_at: date, tmp: Path, leave_out: tuple[str, str, str] | None
) -> tuple[LoadResult, dict[str, list[Value]]]:
    contract = load_contract()
    export = tmp / "export"
    sql_server_export(clean_folder, export, contract)
    with (export / "code_map.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(council_map(contract, leave_out))
    store = SnapshotStore(tmp / "snapshots")
    result = load_extract(export, store, as_at, codes=("ssd-liquidlogic", "annex-a"))
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
    marked = {}
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

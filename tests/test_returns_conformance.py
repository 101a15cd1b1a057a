"""The returns Scrutineer writes for the synthetic reference authority (36 months to 31 March
2026) are run through the DfE's own rule packs, from shared/returns/validate.sh in their own
environment (.venv-dfe, made by scripts/dfe-validators), for the 2024/25 and 2025/26
collections (the census also for 2022/23 and 2023/24). The CIN census: no ERROR, and every
QUERY that fires is explained in docs/returns.md; and, for every year the DfE has published
a schema for (2023 to 2026), valid against shared/returns/xsd/CIN_schema_YYYY.xsd, as a
council's upload is checked first. The SSDA903, given last year's return too (-p) for the
rules that compare years: no error, except where the rule pack itself is at fault (four
defects, docs/returns.md), and then only at locations that show that defect. Its XML file
is, to the DfE's own reader, the CSV tables.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from lxml import etree

from scrutineer.calendar import Period
from scrutineer.catalogue.load import load_catalogue
from scrutineer.engine.compute import Engine
from scrutineer.engine.population import Populations
from scrutineer.extract.load import load_extract
from scrutineer.extract.snapshots import SnapshotStore
from scrutineer.returns.collection import FIRST, LAST, Collection
from scrutineer.returns.export import export_returns
from scrutineer.returns.load import import_return
from scrutineer.returns.supports import SUPPORTED
from scrutineer.settings import Settings, load_settings
from scrutineer.synth.generate import generate
from scrutineer.synth.params import AuthorityParams
from tests.support.paths import ROOT

SHARED = ROOT.parent / "shared" / "returns"
VENV = ROOT / ".venv-dfe"
YEARS = (2025, 2026)  # both returns through the rule packs
CENSUS_YEARS = (2023, 2024, *YEARS)  # the census through every year's rule pack too
MARCH = Period(2026, 3)
# rules that crash on any CSV return, the DfE's own minimal samples too: they read columns
# no table has (231: Header's UASC_STATUS; 233 from 2025/26: Episodes' DATE_EPISODE_CEASED)
CRASHING = {2025: {"231"}, 2026: {"231", "233"}}  # the last month of the 2025/26 collection


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Settings]:
    """The reference authority, as the demo's, loaded: its folder and settings."""
    home = tmp_path_factory.mktemp("reference")
    generate(home / "extract", AuthorityParams())
    settings = load_settings({"SCRUTINEER_DATA_DIR": str(home / "data")}, home / ".env")
    load_extract(home / "extract", SnapshotStore(settings.snapshots_dir))
    return home, settings


@pytest.fixture(scope="module")
def validated(reference: tuple[Path, Settings]) -> dict[int, Path]:
    """Each year's returns validated: {year: the validator's output folder (cin/, 903/)}."""
    assert (SHARED / "validate.sh").is_file(), f"the DfE validators' driver is missing: {SHARED}"
    assert (VENV / "bin" / "python").is_file(), "run scripts/dfe-validators first"
    home, settings = reference
    runs = {}
    for year in CENSUS_YEARS:
        written = export_returns(settings, Collection(year), home / "returns", xml_903=True)
        census = next(p for p in written if p.name == f"cin_{year}.xml")
        looked_after = home / "returns" / f"903_{year}" if year in YEARS else "-"
        last_year = ["-p", str(home / "returns" / f"903_{year - 1}")] if year in YEARS else []
        runs[year] = subprocess.Popen(  # every year at once: the machine has two cores
            [str(SHARED / "validate.sh"), "-y", str(year), "-o", str(home / f"out{year}")]
            + last_year
            + [str(looked_after), str(census)],
            env={**os.environ, "VENV": str(VENV)},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
    for year, run in runs.items():
        output, _ = run.communicate(timeout=900)
        assert run.returncode == 0, f"validate.sh failed for {year}:\n{output}"
        (home / f"out{year}" / "cin" / "summary.txt").write_text(output, encoding="utf-8")
    return {year: home / f"out{year}" for year in CENSUS_YEARS}


SCHEMAS = {int(p.stem.rsplit("_", 1)[1]): p for p in (SHARED / "xsd").glob("CIN_schema_*.xsd")}


def test_the_dfe_s_schemas_cover_every_year_it_has_published() -> None:
    assert set(SCHEMAS) >= {2023, 2024, 2025, 2026}, sorted(SCHEMAS)


@pytest.mark.parametrize("year", sorted(y for y in SCHEMAS if FIRST <= y <= LAST))
def test_the_cin_census_is_valid_against_the_dfe_s_schema(
    reference: tuple[Path, Settings], year: int
) -> None:
    """Element order, one Reviews per plan, GenderCurrent to 2023/24 and Sex from 2024/25:
    what a council's portal checks before the DfE's rules."""
    home, settings = reference
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS[year])))
    written = export_returns(settings, Collection(year), home / f"schema{year}")
    census = next(p for p in written if p.name == f"cin_{year}.xml")
    document = etree.parse(str(census))
    errors = (
        [f"line {e.line}: {e.message}" for e in schema.error_log]
        if not schema.validate(document)
        else []
    )
    assert errors == [], f"{len(errors)} schema errors, the first: {errors[:5]}"
    assert len(document.findall("Children/Child")) > 1_000  # a whole year's children


@pytest.mark.parametrize("year", sorted(SCHEMAS))
def test_the_dfe_s_own_samples_are_valid_against_its_schema(year: int) -> None:
    sample = SHARED / f"cin_minimal_{year}" / f"cin_{year}.xml"
    if not sample.is_file():
        assert year < 2025, f"no minimal sample for {year}"  # the DfE ships 2025 and 2026
        return
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS[year])))
    assert schema.validate(etree.parse(str(sample))), schema.error_log


def fired(folder: Path) -> dict[str, int]:
    """Every rule that fired (child-level and return-level), with its count of locations."""
    counts: dict[str, int] = {}
    for name in ("issues.csv", "la_level.csv"):  # the census's; the 903 writes issues only
        if not (folder / name).is_file() and name == "la_level.csv":
            continue
        with (folder / name).open(encoding="utf-8") as file:
            for row in csv.DictReader(file):
                counts[row["rule_code"]] = counts.get(row["rule_code"], 0) + 1
    return counts


@pytest.mark.parametrize("year", CENSUS_YEARS)
def test_the_cin_census_has_no_error(validated: dict[int, Path], year: int) -> None:
    log = (validated[year] / "cin" / "summary.txt").read_text("utf-8")  # validate.sh's words
    ran = re.search(r"rules: (\d+) run, .* (\d+) crashed", log)
    assert ran, f"the validator's summary is missing:\n{log}"
    assert int(ran.group(1)) >= 100 and int(ran.group(2)) == 0, ran.group(0)
    codes = fired(validated[year] / "cin")
    errors = {code: n for code, n in codes.items() if not code.endswith("Q")}
    assert errors == {}, f"ERROR rules fired for {year}: {errors}"


def test_every_query_that_fires_is_explained_in_the_docs(validated: dict[int, Path]) -> None:
    explained = set(
        re.findall(r"^\| `(\w+)` \|", (ROOT / "docs" / "returns.md").read_text("utf-8"), re.M)
    )
    queries = {code for year in CENSUS_YEARS for code in fired(validated[year] / "cin")}
    assert queries - explained == set(), "explain these queries in docs/returns.md"


def table(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / name).open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


def day(text: str) -> date:
    return datetime.strptime(text, "%d/%m/%Y").date()


def defect(
    year: int,
    code: str,
    row: dict[str, str],
    tables: dict[str, list[dict[str, str]]],
    first_care: dict[str, date],
) -> bool:
    """Whether a location the 903 rules flag is one of the rule packs' own defects
    (docs/returns.md, "Findings that are the rule packs' defects"), not a fault of the return.
    `first_care`: the day each child was first looked after, from the records."""
    end = date(year, 3, 31)
    if code in ("1001", "1002"):  # "care leaver information" for a child not in care in
        # the two years it sees (its message says so): looked after before last year's
        # collection, or before the records' 36 months begin
        first = first_care.get(row["CHILD"])
        return first is None or first < date(year - 2, 4, 1)
    if code == "146":  # 2024/25 lists "k3" in lower case after upper-casing every code
        return year == 2025 and row["PLACE"] == "K3"
    if code == "SW11bSTG2":  # flags any episode ending in the last 5 days, successor or not
        successor = [
            s
            for s in tables["SWEpisodes"]
            if s["CHILD"] == row["CHILD"] and s["SW_DECOM"] == row["SW_DEC"]
        ]
        return (
            bool(row["SW_DEC"])
            and day(row["SW_DEC"]) >= end - timedelta(days=5)
            and bool(successor)
        )
    if code in ("575", "577"):  # rule 365 fills open episodes' DEC with 31 March in place
        open_then = [
            e
            for e in tables["Episodes"]
            if e["CHILD"] == row["CHILD"]
            and not e["DEC"]
            and day(e["DECOM"]) <= day(row["MIS_START"])
        ]
        return not row["MIS_END"] and bool(open_then)
    return False


def test_the_903_has_no_error_but_the_rule_packs_own(
    reference: tuple[Path, Settings], validated: dict[int, Path]
) -> None:
    """Each year's return validated with last year's (-p), as the DfE's rules compare them."""
    store = SnapshotStore(reference[1].snapshots_dir)
    with duckdb.connect(str(store.db_path(store.latest().id)), read_only=True) as con:
        first_care = dict(
            con.execute(
                """SELECT clae_person_id, min(clae_cla_episode_start_date)
                   FROM ssd_cla_episodes GROUP BY 1"""
            ).fetchall()
        )
    for year in YEARS:
        log = (validated[year] / "cin" / "summary.txt").read_text("utf-8")  # both returns'
        ran = re.search(r"rules: \d+ requested, (\d+) ran, .* crashed:? ?([\w ]*)", log)
        assert ran, f"the 903 rules did not run for {year}:\n{log}"
        assert int(ran.group(1)) >= 250, ran.group(0)
        assert set(ran.group(2).split()) == CRASHING[year], ran.group(0)
        folder = validated[year].parent / "returns" / f"903_{year}"
        tables = {
            "Episodes": table(folder, "episodes.csv"),
            "SWEpisodes": table(folder, "sw_episodes.csv"),
            "Missing": table(folder, "missing.csv"),
            "OC3": table(folder, "oc3.csv"),
        }
        faults = []
        for issue in table(validated[year] / "903", "issues.csv"):
            rows = tables.get(issue["tables_affected"])
            row = rows[int(issue["row_id"])] if rows else {}
            if not defect(year, issue["rule_code"], row, tables, first_care):
                faults.append((issue["rule_code"], issue["child_id"], issue["rule_description"]))
        assert faults == [], f"{year}: the 903 fails these rules: {sorted(set(faults))[:20]}"


def dfe_tables(path: Path) -> dict[str, list[dict[str, str]]]:
    """The tables the DfE's own 903 reader makes of a CSV folder or XML file."""
    script = ROOT / "tests" / "support" / "dfe_903_tables.py"
    run = subprocess.run(
        [str(VENV / "bin" / "python"), str(script), str(path)], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr[-3000:]
    tables: dict[str, list[dict[str, str]]] = json.loads(run.stdout)
    return tables


def test_the_903_as_xml_is_read_by_the_dfe_as_its_csv_tables(validated: dict[int, Path]) -> None:
    """The XML written is, to the DfE's reader, the CSV return without the social worker
    episodes; the Header's UASC is "0" from CSV, empty from XML (the DfE's readers differ)."""
    returns = validated[2026].parent / "returns"
    from_csv = dfe_tables(returns / "903_2026")
    from_xml = dfe_tables(returns / "903_2026.xml")
    for row in from_csv["Header"]:
        row["UASC"] = "" if row["UASC"] == "0" else row["UASC"]
    from_csv["Header"].sort(key=lambda row: json.dumps(row, sort_keys=True))
    assert set(from_csv) - set(from_xml) == {"SWEpisodes"}
    assert {n: len(from_xml[n]) for n in from_csv if n in from_xml} == {
        n: len(rows) for n, rows in from_csv.items() if n != "SWEpisodes"
    }
    assert sum(r["UASC"] == "1" for r in from_xml["Header"]) == len(from_xml["UASC"]) > 0
    for name, rows in from_xml.items():
        if rows or name in from_csv:  # the XML reader makes an empty frame for every table
            assert rows == from_csv[name], name


EXPORTED = {"cin": "cin_2026.xml", "ssda903": "903_2026", "ssda903 as XML": "903_2026.xml"}


@pytest.mark.parametrize("kind", sorted(EXPORTED))
def test_a_return_imported_gives_the_indicators_it_supports(
    validated: dict[int, Path], tmp_path: Path, kind: str
) -> None:
    """Export, import: the indicators a return supports come out as from the records, for
    the collection's last month (returns.supports), from the 903's XML as from its CSVs."""
    home = validated[2026].parent
    exported = home / "returns" / EXPORTED[kind]
    original = SnapshotStore(home / "data" / "snapshots")
    imported = SnapshotStore(tmp_path / "snapshots")
    loaded = import_return(exported, imported)
    assert loaded.manifest.as_at == date(2026, 3, 31)
    values = [
        indicator_values(store.db_path(store.latest().id), SUPPORTED[kind.split()[0]])
        for store in (original, imported)
    ]
    assert values[0] == values[1]
    assert all(v is not None for v in values[0].values())  # each was computed


def indicator_values(db: Path, ids: tuple[str, ...]) -> dict[str, float | None]:
    catalogue = load_catalogue()
    with duckdb.connect(str(db), read_only=True) as con:
        engine = Engine(con, catalogue, Populations("E09000027", 44_000))
        return {
            kpi_id: engine.kpi_values(catalogue.get(kpi_id), MARCH, MARCH)[0].value
            for kpi_id in ids
        }

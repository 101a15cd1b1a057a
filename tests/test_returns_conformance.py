"""The returns Scrutineer writes for the synthetic reference authority (36 months to 31 March
2026) pass the DfE's own rule packs, run from shared/returns/validate.sh in their own
environment (.venv-dfe, made by scripts/dfe-validators): no ERROR for the 2024/25 and
2025/26 collections, and every QUERY that fires is listed and explained in docs/returns.md.
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
from pathlib import Path

import pytest

from scrutineer.extract.load import load_extract
from scrutineer.extract.snapshots import SnapshotStore
from scrutineer.returns.collection import Collection
from scrutineer.returns.export import export_returns
from scrutineer.settings import load_settings
from scrutineer.synth.generate import generate
from scrutineer.synth.params import AuthorityParams

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "returns"
VENV = ROOT / ".venv-dfe"
YEARS = (2025, 2026)


@pytest.fixture(scope="module")
def validated(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    """Each year's CIN census validated: {year: the validator's output folder}."""
    assert (SHARED / "validate.sh").is_file(), f"the DfE validators' driver is missing: {SHARED}"
    assert (VENV / "bin" / "python").is_file(), "run scripts/dfe-validators first"
    home = tmp_path_factory.mktemp("reference")
    generate(home / "extract", AuthorityParams())  # the reference authority, as the demo's
    settings = load_settings({"SCRUTINEER_DATA_DIR": str(home / "data")}, home / ".env")
    load_extract(home / "extract", SnapshotStore(settings.snapshots_dir))
    runs = {}
    for year in YEARS:
        written = export_returns(settings, Collection(year), home / "returns")
        census = next(p for p in written if p.name == f"cin_{year}.xml")
        runs[year] = subprocess.Popen(  # both years at once: the machine has two cores
            [str(SHARED / "validate.sh"), "-y", str(year), "-o", str(home / f"out{year}"), "-"]
            + [str(census)],
            env={**os.environ, "VENV": str(VENV)},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
    for year, run in runs.items():
        output, _ = run.communicate(timeout=900)
        assert run.returncode == 0, f"validate.sh failed for {year}:\n{output}"
        (home / f"out{year}" / "cin" / "summary.txt").write_text(output, encoding="utf-8")
    return {year: home / f"out{year}" / "cin" for year in YEARS}


def fired(folder: Path) -> dict[str, int]:
    """Every rule that fired (child-level and return-level), with its count of locations."""
    counts: dict[str, int] = {}
    with (folder / "issues.csv").open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            counts[row["rule_code"]] = counts.get(row["rule_code"], 0) + 1
    with (folder / "la_level.csv").open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            counts[row["rule_code"]] = counts.get(row["rule_code"], 0) + 1
    return counts


@pytest.mark.parametrize("year", YEARS)
def test_the_cin_census_has_no_error(validated: dict[int, Path], year: int) -> None:
    log = (validated[year] / "summary.txt").read_text("utf-8")  # what validate.sh printed
    ran = re.search(r"rules: (\d+) run, .* (\d+) crashed", log)
    assert ran, f"the validator's summary is missing:\n{log}"
    assert int(ran.group(1)) >= 100 and int(ran.group(2)) == 0, ran.group(0)
    codes = fired(validated[year])
    errors = {code: n for code, n in codes.items() if not code.endswith("Q")}
    assert errors == {}, f"ERROR rules fired for {year}: {errors}"


def test_every_query_that_fires_is_explained_in_the_docs(validated: dict[int, Path]) -> None:
    explained = set(
        re.findall(r"^\| `(\w+)` \|", (ROOT / "docs" / "returns.md").read_text("utf-8"), re.M)
    )
    queries = {code for year in YEARS for code in fired(validated[year])}
    assert queries - explained == set(), "explain these queries in docs/returns.md"

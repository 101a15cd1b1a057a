"""The reference authority's calibration across seeds: is the default seed typical?

    .venv/bin/python bench/calibration.py [SEED ...]     (default: seeds 1 to 8)

For each seed, generates the reference authority (36 months), loads it, computes the
indicators that BRIEF.md §8 gives ranges for, and prints each seed's 36-month mean with
the mean across seeds; `<--` marks a mean outside the brief's range. The tests check the
default seed (tests/test_generate.py); this shows the parameters, not one draw, are
calibrated. Runs two seeds at a time (about 45 s a seed).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

import duckdb

from scrutineer.calendar import Period
from scrutineer.catalogue.load import load_catalogue
from scrutineer.engine.compute import Engine
from scrutineer.engine.population import Populations
from scrutineer.extract.load import load_extract
from scrutineer.extract.snapshots import SnapshotStore
from scrutineer.synth.generate import generate
from scrutineer.synth.params import REFERENCE_POPULATION, AuthorityParams

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
from test_generate import LEVELS


def means(seed: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        generate(folder / "la", replace(AuthorityParams(), seed=seed))
        store = SnapshotStore(folder / "snapshots")
        load_extract(folder / "la", store)
        con = duckdb.connect(str(store.db_path("latest")), read_only=True)
        catalogue = load_catalogue()
        engine = Engine(con, catalogue, Populations("E99000000", REFERENCE_POPULATION))
        found = {}
        for kpi_id in LEVELS:
            values = engine.kpi_values(catalogue.get(kpi_id), Period(2023, 4), Period(2026, 3))
            found[kpi_id] = statistics.fmean(v.value or 0.0 for v in values)
        con.close()
        return found


def main() -> None:
    seeds = [int(a) for a in sys.argv[1:]] or list(range(1, 9))
    with ProcessPoolExecutor(2) as pool:
        results = list(pool.map(means, seeds))
    print("| indicator | brief | mean of seeds | " + " | ".join(f"seed {s}" for s in seeds) + " |")
    print("|---|---|---|" + "---|" * len(seeds))
    for kpi_id, (low, high) in LEVELS.items():
        values = [r[kpi_id] for r in results]
        cells = [f"{v:,.1f}" + (" <--" if not low <= v <= high else "") for v in values]
        print(
            f"| `{kpi_id}` | {low:,}-{high:,} | {statistics.fmean(values):,.1f} | "
            + " | ".join(cells)
            + " |"
        )


if __name__ == "__main__":
    main()

"""Time loading and computing everything for the reference authority (36 months).

    .venv/bin/python bench/engine.py [--repeat N]

Generates the reference authority once, then, N times in one run: loads it into a new
snapshot; computes every indicator for all 36 months overall and by service, team and
worker, and every exception list for the latest month (`engine.batch`, two threads).
Targets (ARCHITECTURE.md §9): load <= 15 s; the computation <= 5 s.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import duckdb

from scrutineer.calendar import Period
from scrutineer.catalogue.load import load_catalogue
from scrutineer.engine.batch import compute_everything
from scrutineer.engine.population import Populations
from scrutineer.extract.load import load_extract
from scrutineer.extract.snapshots import SnapshotStore
from scrutineer.synth.generate import generate
from scrutineer.synth.params import REFERENCE_POPULATION, AuthorityParams

FIRST, LAST = Period(2023, 4), Period(2026, 3)


def compute(db: Path) -> dict[str, float]:
    started = time.perf_counter()
    con = duckdb.connect(str(db), read_only=True)
    catalogue = load_catalogue()
    populations = Populations("E99000000", REFERENCE_POPULATION)
    batch = compute_everything(con, catalogue, populations, FIRST, LAST, exceptions_for=LAST)
    seconds = time.perf_counter() - started
    con.close()
    values = sum(len(v) for v in batch.values.values())
    children = sum(len(v) for v in batch.exceptions.values())
    print(f"  {values:,} values, {children:,} children on {len(batch.exceptions)} exception lists")
    return {"compute everything (values at 4 levels + exception lists)": seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "la"
        generate(folder, AuthorityParams())
        runs: dict[str, list[float]] = {}
        for index in range(repeat):
            store = SnapshotStore(Path(tmp) / f"snapshots-{index}")
            started = time.perf_counter()
            load_extract(folder, store)
            runs.setdefault("load", []).append(time.perf_counter() - started)
            for name, seconds in compute(store.db_path("latest")).items():
                runs.setdefault(name, []).append(seconds)
    print(f"reference authority, {repeat} runs")
    print("| step | median s | min s | max s |\n|---|---|---|---|")
    for name, times in runs.items():
        print(f"| {name} | {statistics.median(times):.2f} | {min(times):.2f} | {max(times):.2f} |")


if __name__ == "__main__":
    main()

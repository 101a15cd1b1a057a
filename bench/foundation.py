"""Time generating and loading the reference authority (36 months), in one run.

    .venv/bin/python bench/foundation.py [--repeat N]

Loads it twice each run: as generated, and as a council's SQL Server export with local
values read through code maps (synth/council_export.py). Prints a Markdown table for
docs/performance.md. Targets (ARCHITECTURE.md §9): load of the reference authority <= 15 s;
generation "well under a minute" (issue 2).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from pathlib import Path

from scrutineer.extract.contract import load_contract
from scrutineer.extract.load import load_extract
from scrutineer.extract.snapshots import SnapshotStore
from scrutineer.synth.council_export import SHIPPED_MAPS, sql_server_export
from scrutineer.synth.generate import generate
from scrutineer.synth.params import AuthorityParams


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    generating, loading, exported, rows = [], [], [], 0
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "la"
            started = time.perf_counter()
            made = generate(folder, AuthorityParams())[0]
            generating.append(time.perf_counter() - started)
            rows = sum(made.rows.values())
            started = time.perf_counter()
            load_extract(folder, SnapshotStore(Path(tmp) / "snapshots"))
            loading.append(time.perf_counter() - started)
            council = Path(tmp) / "council"
            sql_server_export(folder, council, load_contract())
            started = time.perf_counter()
            load_extract(
                council, SnapshotStore(Path(tmp) / "council-snapshots"), codes=SHIPPED_MAPS
            )
            exported.append(time.perf_counter() - started)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"reference authority, 36 months + 24 months' history: {rows:,} rows; "
        f"{repeat} runs; peak memory {peak:,.0f} MB"
    )
    print("| step | median s | min s | max s |\n|---|---|---|---|")
    for name, times in (
        ("generate", generating),
        ("load (validate + snapshot)", loading),
        ("load, as a SQL Server export with code maps", exported),
    ):
        print(f"| {name} | {statistics.median(times):.1f} | {min(times):.1f} | {max(times):.1f} |")


if __name__ == "__main__":
    main()

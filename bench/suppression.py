"""What suppression hides, and what it costs, for the reference authority.

    .venv/bin/python bench/suppression.py [--repeat N]

Generates and loads the reference authority once, computes what a snapshot publishes (every
indicator, 35 months, authority, services and teams), then N times in one run works out the
cells hidden from councillors (`outputs.suppression.suppress`). Prints the time, and per
level the cells published, those small (primary: what must go whatever else is shown) and
those hidden (primary and secondary): the difference is what differencing costs.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from scrutineer.engine.session import open_session
from scrutineer.extract.load import load_extract
from scrutineer.extract.snapshots import SnapshotStore
from scrutineer.outputs.suppression import (
    PUBLISHED_LEVELS,
    first_published,
    is_small,
    published_values,
    suppress,
)
from scrutineer.settings import load_settings
from scrutineer.synth.generate import generate
from scrutineer.synth.params import AuthorityParams


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings({"SCRUTINEER_DATA_DIR": str(Path(tmp) / "data")})
        generate(Path(tmp) / "la", AuthorityParams())
        load_extract(Path(tmp) / "la", SnapshotStore(settings.snapshots_dir))
        session = open_session(settings)
        engine, latest = session.engine, session.latest_period
        started = time.perf_counter()
        values = published_values(engine, latest)
        computed = time.perf_counter() - started
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            hidden = suppress(values, engine.catalogue)
            times.append(time.perf_counter() - started)
        session.close()
    units = {k.id: k.unit for k in engine.catalogue}
    print(f"reference authority, {first_published(latest)} to {latest}, {repeat} runs")
    print(f"figures computed at three levels in {computed:.2f} s (once)")
    print(f"suppress: median {statistics.median(times):.2f} s, min {min(times):.2f} s")
    print("| level | cells | small (primary) | hidden | hidden share |\n|---|---|---|---|---|")
    for level in PUBLISHED_LEVELS:
        found = values[level]
        small = sum(is_small(v, units[v.kpi]) for v in found)
        shown = sum(1 for cell in hidden.cells if cell[1] == level)
        print(f"| {level} | {len(found)} | {small} | {shown} | {shown / len(found):.1%} |")


if __name__ == "__main__":
    main()

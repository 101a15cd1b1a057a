"""Time Annex A for the reference authority: the eleven lists drawn and the workbook written.

    .venv/bin/python bench/annex_a.py [--repeat N]

Generates and loads the reference authority once (not timed), then N times in one run
writes Annex A for the six months to the snapshot's as-at date, timing the lists' queries
and the workbook apart. Target (issue 20): the workbook written in under 15 s.
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
from scrutineer.inspection.annex_a import annex_a, window
from scrutineer.outputs.annex_a import make_annex_a, write_annex_a
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
        whole, queries, writing, rows = [], [], [], 0
        for index in range(repeat):
            out = Path(tmp) / f"annex-{index}.xlsx"
            started = time.perf_counter()
            tables = make_annex_a(settings, "latest", None, 6, out).tables
            whole.append(time.perf_counter() - started)
            rows = sum(len(t.rows) for t in tables)
            session = open_session(settings, "latest", None)  # the two steps apart
            started = time.perf_counter()
            period = window(session.manifest.as_at, 6)
            tables = annex_a(session.engine.con, period)
            queries.append(time.perf_counter() - started)
            session.close()
            started = time.perf_counter()
            write_annex_a(tables, period, settings.la_code, out)
            writing.append(time.perf_counter() - started)
    print(f"Annex A, reference authority, six months, {rows:,} rows in 11 lists, {repeat} runs")
    print("| step | median s | min s | max s |\n|---|---|---|---|")
    for name, times in (
        ("the eleven lists' queries", queries),
        ("the workbook written", writing),
        ("whole (as `scrutineer annex-a`)", whole),
    ):
        print(f"| {name} | {statistics.median(times):.2f} | {min(times):.2f} | {max(times):.2f} |")


if __name__ == "__main__":
    main()

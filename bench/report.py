"""Time the full PDF report (board layout) for the reference authority.

    .venv/bin/python bench/report.py [--repeat N]

Generates and loads the reference authority once, sets the demo targets, then N times in
one run writes the board layout as PDF (assessing 24 months of every indicator, building
the report and rendering it with WeasyPrint). Target (ARCHITECTURE.md §9): <= 15 s.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from importlib import resources
from pathlib import Path

from scrutineer.assess.targets import TargetStore, read_targets
from scrutineer.catalogue.load import load_catalogue
from scrutineer.extract.load import load_extract
from scrutineer.extract.snapshots import SnapshotStore
from scrutineer.outputs.report.make import make_report
from scrutineer.records.store import open_records
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
        demo = resources.files("scrutineer.assess").joinpath("data", "demo_targets.csv")
        store = TargetStore(open_records(settings), load_catalogue())
        store.replace(read_targets(demo.read_text("utf-8"), store.catalogue))
        times, pages = [], ""
        for index in range(repeat):
            out = Path(tmp) / f"board-{index}.pdf"
            started = time.perf_counter()
            make_report(settings, out, "board")
            times.append(time.perf_counter() - started)
            info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
            pages = next(
                (line.split()[-1] for line in info.splitlines() if line.startswith("Pages")), "?"
            )
    print(f"board layout PDF, reference authority, {pages} pages, {repeat} runs")
    print("| step | median s | min s | max s |\n|---|---|---|---|")
    print(
        f"| full PDF report | {statistics.median(times):.2f} | {min(times):.2f} | "
        f"{max(times):.2f} |"
    )


if __name__ == "__main__":
    main()

"""Time exporting and importing the reference authority's statutory returns, beside the DfE's
own validators reading (and checking) the same files, in one run.

    .venv/bin/python bench/returns.py [--repeat N]

Needs the validators' environment (scripts/dfe-validators) and ../shared/returns. Prints a
Markdown table for docs/performance.md. Scrutineer's import reads the return, checks it as
an extract and writes a snapshot; the DfE's run reads it into tables and runs its rules.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from scrutineer.extract.load import load_extract
from scrutineer.extract.snapshots import SnapshotStore
from scrutineer.returns.collection import Collection
from scrutineer.returns.export import export_returns
from scrutineer.returns.load import import_return
from scrutineer.settings import load_settings
from scrutineer.synth.generate import generate
from scrutineer.synth.params import AuthorityParams

ROOT = Path(__file__).resolve().parents[1]
VALIDATE = ROOT.parent / "shared" / "returns" / "validate.sh"
YEAR = 2026


def timed(step: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    return times


def dfe(args: list[str], out: Path) -> tuple[float, str]:
    started = time.perf_counter()
    run = subprocess.run(
        [str(VALIDATE), "-y", str(YEAR), "-o", str(out), *args],
        env={**os.environ, "VENV": str(ROOT / ".venv-dfe")},
        capture_output=True,
        text=True,
        check=True,
    )
    found = re.search(r"timing: .*", run.stdout)
    return time.perf_counter() - started, found.group(0) if found else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        generate(home / "extract", AuthorityParams())
        settings = load_settings({"SCRUTINEER_DATA_DIR": str(home / "data")}, home / ".env")
        load_extract(home / "extract", SnapshotStore(settings.snapshots_dir))
        exporting = timed(
            lambda: export_returns(settings, Collection(YEAR), home / "returns"), repeat
        )
        census = home / "returns" / f"cin_{YEAR}.xml"
        looked_after = home / "returns" / f"903_{YEAR}"
        rows = []
        for name, path, dfe_args in (
            ("CIN census XML", census, ["-", str(census)]),
            ("SSDA903 CSV folder", looked_after, [str(looked_after), "-"]),
        ):
            ours: list[float] = []
            for n in range(repeat):  # each import into a store of its own
                store = SnapshotStore(home / f"import{n}-{path.name}")
                started = time.perf_counter()
                import_return(path, store)
                ours.append(time.perf_counter() - started)
            theirs = [dfe(dfe_args, home / f"dfe{n}")[0] for n in range(repeat)]
            size = sum(f.stat().st_size for f in ([path] if path.is_file() else path.iterdir()))
            rows.append((name, size, ours, theirs))
    # the validators' own peak is not told here: a forked child starts with this process's
    # pages, so RUSAGE_CHILDREN reports this run's size; time the command alone for it
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"reference authority, {Collection(YEAR)} returns; {repeat} runs; peak memory of "
        f"this run (generating included) {peak:,.0f} MB"
    )
    print("| step | size | median s | min s | max s |\n|---|---|---|---|---|")
    print(f"| export both returns | | {_stats(exporting)} |")
    for name, size, ours, theirs in rows:
        print(f"| `returns import`: {name} | {size / 2**20:.1f} MB | {_stats(ours)} |")
        print(f"| DfE validator: {name} | {size / 2**20:.1f} MB | {_stats(theirs)} |")


def _stats(times: list[float]) -> str:
    return f"{statistics.median(times):.1f} | {min(times):.1f} | {max(times):.1f}"


if __name__ == "__main__":
    main()

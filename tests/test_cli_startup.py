"""The command line starts fast: it loads what a command needs when the command runs, so
`scrutineer --help` (and every command's help) reads no database or PDF library (issue 21:
start-up was most of every everyday command). Timed in docs/performance.md, not here."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("duckdb", "sqlalchemy", "weasyprint", "openpyxl", "starlette", "holidays", "yaml")


def test_the_command_line_loads_no_heavy_library_before_a_command_runs() -> None:
    code = f"import sys, scrutineer.cli; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_help_still_lists_every_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "scrutineer", "--help"], capture_output=True, text=True, check=True
    )
    for command in ("load", "kpi", "assess", "report", "annex-a", "serve", "returns", "users"):
        assert command in done.stdout, command

"""Where the tests find the project's files and the shared specification beside it."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the project
DOCS = ROOT / "docs"
SHARED = ROOT.parent / "shared"  # the brief, KPIS.csv, the DfE's data and formats

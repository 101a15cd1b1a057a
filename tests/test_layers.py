"""Layers import one way (ARCHITECTURE.md §8): each may import only those before it."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "src" / "scrutineer"
LAYERS = [
    "findings",
    "cells",
    "errors",
    "settings",
    "calendar",
    "extract",
    "synth",
    "returns",
    "catalogue",
    "engine",
    "records",
    "assess",
    "outputs",
    "demo",
    "cli",
    "__main__",
]


def imported_layers(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = (
            [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else ([a.name for a in node.names] if isinstance(node, ast.Import) else [])
        )
        for name in names:
            parts = name.split(".")
            if parts[0] == "scrutineer" and len(parts) > 1:
                found.add(parts[1])
    return found


def test_every_module_belongs_to_a_layer() -> None:
    for path in PACKAGE.rglob("*.py"):
        layer = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        assert layer in LAYERS or layer == "__init__", f"{path}: add its layer to LAYERS"


def test_layers_only_import_downwards() -> None:
    for path in PACKAGE.rglob("*.py"):
        layer = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        if layer in LAYERS:
            allowed = set(LAYERS[: LAYERS.index(layer) + 1])
            upwards = imported_layers(path) - allowed
            assert not upwards, f"{path.relative_to(PACKAGE)} imports upwards: {upwards}"


def test_outputs_read_the_records_through_their_views_not_the_models() -> None:
    """The records layer hands outputs frozen values and lookups by key (issue 19): no
    page or paper holds an ORM object or writes a query of its own."""
    for path in (PACKAGE / "outputs").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "scrutineer.records":
                names = {a.name for a in node.names}
                assert "models" not in names, f"{path.relative_to(PACKAGE)} imports records.models"
            if isinstance(node, ast.ImportFrom) and node.module == "scrutineer.records.models":
                raise AssertionError(f"{path.relative_to(PACKAGE)} imports records.models")

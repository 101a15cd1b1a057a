"""Layers import one way (ARCHITECTURE.md §8): each may import only those before it."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.support.paths import ROOT

PACKAGE = ROOT / "src" / "scrutineer"
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
    "inspection",
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


def module_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, modules: set[str]) -> set[str]:
    """The package's modules `path` imports, those under TYPE_CHECKING too (a type is a
    dependency): `from a.b import c` is a.b.c when c is a module, else a.b."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in modules}
        elif isinstance(node, ast.ImportFrom) and node.module in modules:
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in modules else node.module)
    return found


def test_no_module_imports_itself_round_a_circle() -> None:
    """A circle of imports (a imports b imports a), even one only for types, means neither
    can be read or changed without the other (issue 19)."""
    paths = {module_of(p): p for p in PACKAGE.rglob("*.py")}
    graph = {m: imported_modules(p, set(paths)) - {m} for m, p in paths.items()}
    done: set[str] = set()

    def visit(module: str, trail: list[str]) -> None:
        if module in trail:
            circle = trail[trail.index(module) :] + [module]
            raise AssertionError("an import circle: " + " -> ".join(circle))
        if module in done:
            return
        for imported in sorted(graph[module]):
            visit(imported, [*trail, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])

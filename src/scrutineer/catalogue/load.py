"""Read the catalogue's YAML files, remembering the file and line of every entry."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from functools import cache
from importlib import resources
from importlib.abc import Traversable
from typing import Any, cast

import yaml

from scrutineer.catalogue.model import (
    SPEC_FIELDS,
    Catalogue,
    Cohort,
    Exceptions,
    Kind,
    Kpi,
    Location,
    Polarity,
    Unit,
)
from scrutineer.errors import CatalogueInvalid
from scrutineer.findings import Issue, Level

LINE = "__line__"
KPI_FIELDS = {
    "id",
    *SPEC_FIELDS,  # what KPIS.csv fixes
    "cohort",
    "note",
    "differs",
    "columns",
    "where",
    "counted",
    "weight",
    "numerator",
    "denominator",
    "exceptions",
}


# libyaml's parser where PyYAML was built with it (eight times faster on these files)
_SAFE: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SAFE):  # type: ignore[valid-type,misc]
    """A safe loader that remembers the line each mapping starts on."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        mapping[LINE] = node.start_mark.line + 1
        return mapping


def catalogue_folder() -> Traversable:
    return resources.files(__package__)


@cache
def load_catalogue(resolve: bool = False) -> Catalogue:
    """The shipped catalogue, checked: raises CatalogueInvalid listing every problem.

    Every command runs the quick checks; `resolve` also binds every query against the
    extract contract (two seconds: the tests and `scrutineer kpis --check` do it).
    """
    return _checked(resolve)[0]


def catalogue_issues() -> list[Issue]:
    """Every finding of every check on the shipped catalogue, warnings included; raises
    CatalogueInvalid if any is an error."""
    return _checked(resolve=True)[1]


def _checked(resolve: bool) -> tuple[Catalogue, list[Issue]]:
    from scrutineer.catalogue.rules import QUICK_RULES, RULES, validate

    catalogue, issues = read_catalogue(catalogue_folder())
    issues += validate(catalogue, RULES if resolve else QUICK_RULES)
    errors = [i for i in issues if i.is_error]
    if errors:
        raise CatalogueInvalid(errors)
    return catalogue, issues


def read_catalogue(folder: Traversable) -> tuple[Catalogue, list[Issue]]:
    issues: list[Issue] = []
    cohorts = _read_cohorts(folder / "cohorts.yaml", issues)
    kpis: list[Kpi] = []
    for path in sorted((folder / "kpis").iterdir(), key=lambda p: p.name):
        if path.name.endswith(".yaml"):
            for entry in _yaml(path, issues) or []:
                kpi = _to_kpi(entry, f"kpis/{path.name}", issues)
                if kpi is not None:
                    cohort = cohorts.get(kpi.cohort)
                    kpis.append(replace(kpi, records=cohort.records) if cohort else kpi)
    return Catalogue(tuple(kpis), cohorts), issues


def _yaml(path: Traversable, issues: list[Issue]) -> Any:
    try:
        return yaml.load(path.read_text("utf-8"), Loader=_LineLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        issues.append(
            Issue(Level.ERROR, "yaml", f"not valid YAML: {error}", file=path.name, row=line)
        )
        return None


def _read_cohorts(path: Traversable, issues: list[Issue]) -> dict[str, Cohort]:
    raw = _yaml(path, issues) or {}
    cohorts = {}
    for name, spec in raw.items():
        if name == LINE:
            continue
        # a block mapping starts on the line after its name
        location = Location("cohorts.yaml", max(int(spec.get(LINE, 1)) - 1, 1))
        cohorts[name] = Cohort(
            name,
            " ".join(str(spec.get("description", "")).split()),
            str(spec.get("sql", "")),
            bool(spec.get("additive", True)),
            bool(spec.get("records", False)),
            location,
        )
    return cohorts


def _to_kpi(entry: Mapping[str, Any], file: str, issues: list[Issue]) -> Kpi | None:
    location = Location(file, int(entry.get(LINE, 0)))
    unknown = set(entry) - KPI_FIELDS - {LINE}
    if unknown or "id" not in entry:
        what = f"unknown field(s) {sorted(unknown)}" if unknown else "an entry without an id"
        issues.append(
            Issue(
                Level.ERROR,
                "kpi-fields",
                what,
                f"Fields are {sorted(KPI_FIELDS)}",
                file=file,
                row=location.line,
                column=str(entry.get("id", "")),
            )
        )
        return None
    return Kpi(
        id=str(entry["id"]),
        title=str(entry.get("title", "")),
        area=str(entry.get("area", "")),
        theme=str(entry.get("theme", "")),
        unit=cast(Unit, entry.get("unit")),
        kind=cast(Kind, entry.get("kind")),
        polarity=cast(Polarity, entry.get("polarity")),
        definition=" ".join(str(entry.get("definition", "")).split()),
        benchmark=str(entry["benchmark"]) if entry.get("benchmark") else None,
        cohort=str(entry.get("cohort", "")),
        source=" ".join(str(entry.get("source", "")).split()),
        note=" ".join(str(entry.get("note", "")).split()),
        differs=" ".join(str(entry.get("differs", "")).split()),
        columns=tuple(
            (str(k), str(v).strip()) for k, v in (entry.get("columns") or {}).items() if k != LINE
        ),
        where=_sql(entry.get("where")),
        counted=_sql(entry.get("counted")),
        weight=_sql(entry.get("weight")),
        numerator=_sql(entry.get("numerator")),
        denominator=_sql(entry.get("denominator")),
        exceptions=_exceptions(entry.get("exceptions")),
        location=location,
    )


def _sql(value: object) -> str | None:
    return None if value is None else " ".join(str(value).split())


def _exceptions(raw: Mapping[str, Any] | None) -> Exceptions | None:
    if not raw:
        return None
    return Exceptions(
        when=cast(Any, str(raw.get("when", "missed"))),
        show=tuple(str(s) for s in raw.get("show", ())),
        due=_sql(raw.get("due")),
        days=cast(Any, str(raw.get("days", "calendar"))),
        until=_sql(raw.get("until")),
    )

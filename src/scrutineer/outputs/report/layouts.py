"""Report layouts, as data: which sections, which indicators, how many months."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import yaml

from scrutineer.catalogue.model import Catalogue, Kpi
from scrutineer.errors import ScrutineerError


class UnknownLayout(ScrutineerError):
    def __init__(self, name: str) -> None:
        super().__init__(f"No report layout {name!r}: use one of {', '.join(layout_names())}.")


@dataclass(frozen=True)
class Section:
    title: str
    kpis: tuple[Kpi, ...]
    theme: str | None = None


@dataclass(frozen=True)
class Layout:
    name: str
    title: str
    description: str
    months: int
    quarterly: bool
    sections: tuple[Section, ...]
    qa_tables: bool = False  # the quality-assurance tables (Focus 5, IRO alerts) after them


def layout_names() -> list[str]:
    folder = resources.files(__package__).joinpath("layouts")
    return sorted(
        p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml")
    )


def load_layout(name: str, catalogue: Catalogue) -> Layout:
    if name not in layout_names():
        raise UnknownLayout(name)
    text = resources.files(__package__).joinpath("layouts", f"{name}.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)
    return Layout(
        name,
        raw["title"],
        raw["description"],
        int(raw["months"]),
        bool(raw.get("quarterly", False)),
        tuple(_section(spec, catalogue) for spec in raw["sections"]),
        bool(raw.get("qa_tables", False)),
    )


def _section(spec: dict[str, object], catalogue: Catalogue) -> Section:
    if "kpis" in spec:
        ids = spec["kpis"]
        assert isinstance(ids, list)
        return Section(str(spec["title"]), tuple(catalogue.get(str(k)) for k in ids))
    if "theme" in spec:
        theme = str(spec["theme"])
        return Section(str(spec["title"]), tuple(k for k in catalogue if k.theme == theme), theme)
    areas = spec["areas"]
    assert isinstance(areas, list)
    return Section(str(spec["title"]), tuple(k for a in areas for k in catalogue if k.area == a))


def narrative_keys(catalogue: Catalogue) -> list[str]:
    """What narratives are written for: every report section's theme or title, in order."""
    keys: list[str] = []
    for name in layout_names():
        for section in load_layout(name, catalogue).sections:
            key = section.theme or section.title
            if key not in keys:
                keys.append(key)
    return keys


def narrative_label(key: str) -> str:
    """A narrative's theme as the dashboard names it ("purposeful_contact": "Purposeful
    contact")."""
    return key.replace("_", " ").capitalize()


def narrative_key(given: str, catalogue: Catalogue) -> str:
    """The theme a narrative is written for, given as its id or as the dashboard names it
    (any case); refused, with every one there is, when it is neither."""
    keys = narrative_keys(catalogue)
    wanted = " ".join(given.replace("_", " ").split()).casefold()
    found = next((k for k in keys if narrative_label(k).casefold() == wanted), None)
    if found is None:
        raise NarrativeInvalid(
            f"No theme or report section {given!r}: a narrative is written for one of "
            + ", ".join(f"{narrative_label(k)} ({k})" for k in keys)
            + "."
        )
    return found


class NarrativeInvalid(ScrutineerError):
    """A narrative for a theme no report prints."""

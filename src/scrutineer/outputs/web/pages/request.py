"""What a page's builder is given (`PageRequest`: who asks, for which URL, the figures) and
the snapshot and month a page shows, chosen from its URL."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypedDict

from starlette.requests import Request

from scrutineer.calendar import Period
from scrutineer.errors import NotShown
from scrutineer.outputs.web.access import Viewer
from scrutineer.outputs.web.figures import Figures, SnapshotFigures

Page = dict[str, Any]  # a part of a page not typed further (a record as stored, a form)


class Header(TypedDict):
    """What every page of figures says first: the snapshot and month it shows, and what
    else may be picked."""

    snapshot: str
    snapshots: list[str]
    as_at: str
    period: str
    period_label: str
    periods: list[str]


@dataclass(frozen=True)
class Choice:
    """The snapshot and month a page shows, from its URL (so a link shows the same)."""

    figures: SnapshotFigures
    period: Period
    snapshots: tuple[str, ...]  # every snapshot, newest first, for the picker

    def header(self) -> Header:
        return {
            "snapshot": self.figures.manifest.id,
            "snapshots": list(self.snapshots),
            "as_at": self.figures.manifest.as_at.isoformat(),
            "period": str(self.period),
            "period_label": f"{self.period.start:%B %Y}",
            "periods": [str(p) for p in self.figures.months],
        }


def choose(cache: Figures, snapshot: str | None, period: str | None) -> Choice:
    figures = cache.snapshot(snapshot or "latest")
    month = Period.parse(period) if period else figures.latest
    if month not in figures.months:
        raise NotShown(
            f"The dashboard shows {figures.months[-1]} to {figures.latest} for snapshot "
            f"{figures.manifest.id}; pick one of those months."
        )
    return Choice(figures, month, tuple(m.id for m in reversed(cache.manifests())))


@dataclass
class PageRequest:
    """What a page's builder is given: who asks, for which URL, and the figures."""

    request: Request
    viewer: Viewer
    cache: Figures

    @cached_property
    def choice(self) -> Choice:
        """The snapshot and month the URL names (the latest if it names none)."""
        return choose(self.cache, self.query("snapshot"), self.query("period"))

    def path(self, name: str) -> str:
        """A part of the URL's path (`{name}` in the route)."""
        return str(self.request.path_params[name])

    def query(self, name: str) -> str | None:
        """A query parameter as sent (None if it is not)."""
        return self.request.query_params.get(name)

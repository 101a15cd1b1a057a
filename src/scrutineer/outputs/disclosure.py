"""What may be shown of an indicator beside its suppressed figures, for every output meant
for councillors and the public (the public report, the dashboard's aggregate-only roles).

A suppressed figure must not come back through anything drawn or said of it: its month is
blanked; with the latest month hidden, no RAG, direction of travel, SPC signal, figure set
beside DfE's, neighbour gap or category is shown, since each tells of it; and SPC lines are
drawn only over a series with no month blanked (their mean gives a blank month back from
the others). Which cells are hidden is `report.suppression.suppressed_cells`.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import replace
from typing import TypeVar

from scrutineer.assess.assessment import Assessment
from scrutineer.assess.rules import Category
from scrutineer.engine.compute import Value

Hidden = set[tuple[str, str]]  # (kpi, month)
K = TypeVar("K", bound=Hashable)


def protect(
    values: Mapping[K, float], primary: Iterable[K], relations: Iterable[Collection[K]]
) -> set[K]:
    """The cells to hide: `primary`, and then complementary ones. A relation is cells shown
    together that add up (parts and their total, or parts of a total shown elsewhere):
    with exactly one of them hidden, the others give it back, so the smallest other that
    is not zero is hidden too (a zero, never suppressed, would give itself away), until no
    relation has one hidden cell."""
    hidden = set(primary)
    groups = [tuple(k for k in relation if k in values) for relation in relations]
    changed = True
    while changed:
        changed = False
        for group in groups:
            inside = [k for k in group if k in hidden]
            if len(inside) != 1:
                continue
            others = [k for k in group if k not in hidden]
            if not others:
                continue
            hidden.add(min(others, key=lambda k: (values[k] == 0, values[k])))
            changed = True
    return hidden


def disclosed(a: Assessment, hidden: Hidden) -> Assessment:
    """The assessment as one who may not see the `hidden` cells sees it."""
    if not any((a.kpi.id, v.period) in hidden for v in a.series) and (
        (a.kpi.id, a.latest.period) not in hidden
    ):
        return a
    series = tuple(_blank(v, hidden) for v in a.series)
    shown = replace(a, series=series, chart=None, signal=None)
    if (a.kpi.id, a.latest.period) not in hidden:
        return shown
    return replace(
        shown,
        latest=_blank(a.latest, hidden),
        rating=None,
        rated_against=None,
        direction=None,
        run_rate=None,
        compared=None,
        neighbour_gap=None,
        category=Category.CONTEXT if a.category == Category.CONTEXT else Category.UNRATED,
    )


def _blank(value: Value, hidden: Hidden) -> Value:
    if (value.kpi, value.period) in hidden:
        return replace(value, value=None, numerator=None, denominator=None)
    return value

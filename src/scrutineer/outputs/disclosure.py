"""What may be shown of an indicator beside its suppressed figures, for every output meant
for councillors and the public (the public report, the dashboard's aggregate-only roles).

A suppressed figure must not come back through anything drawn or said of it: its month is
blanked; with the latest month hidden, no RAG, direction of travel, SPC signal, figure set
beside DfE's, neighbour gap or category is shown, since each tells of it; and SPC lines are
drawn only over a series with no month blanked (their mean gives a blank month back from
the others). Which cells are hidden is `outputs.suppression.suppress`.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import replace
from fractions import Fraction
from typing import TypeVar

from scrutineer.assess.assessment import Assessment
from scrutineer.assess.rules import Category
from scrutineer.engine.compute import Value

Hidden = set[tuple[str, str]]  # (kpi, month)
K = TypeVar("K", bound=Hashable)


def protect(
    values: Mapping[K, float], primary: Iterable[K], relations: Iterable[Sequence[K]]
) -> set[K]:
    """The cells to hide: `primary`, and then complementary ones. A relation is cells shown
    together that add up, its last cell the total (parts and their total; cells not in
    `values` are known from elsewhere): with exactly one of them hidden, the others give it
    back, so the smallest other that is not zero is hidden too (a zero, never suppressed,
    would give itself away; a part before the total). Relations that overlap can still give
    a cell back together (a + b, b + c and a + c shown), so the hidden cells are then
    solved for as an attacker would (`recoverable`) and more hidden until none comes out."""
    hidden = set(primary)
    sums = [_signed(relation, values) for relation in relations]
    while True:
        _one_alone(sums, hidden, values)
        leaked = recoverable(hidden, sums)
        if not leaked:
            return hidden
        for terms in sums:  # hide one more beside a cell given back, and solve again
            cells = [k for k, _ in terms]
            if leaked.intersection(cells) and (others := _others(terms, hidden, values)):
                hidden.add(others[0])
                break
        else:
            return hidden | leaked  # nothing left to hide beside them: nothing can be shown


def recoverable(hidden: Collection[K], sums: Iterable[Sequence[tuple[K, int]]]) -> set[K]:
    """The hidden cells that the relations give back exactly. Each relation is an equation
    (signed cells adding to zero); with the shown cells known, it is one over the hidden
    cells. A hidden cell comes out at one value when the equations' reduced row echelon
    form has a row holding that cell alone. Exact (fractions), so no tolerance decides."""
    order = {k: i for i, k in enumerate(hidden)}
    pivots: dict[int, dict[int, Fraction]] = {}
    for terms in sums:
        row = {order[k]: Fraction(sign) for k, sign in terms if k in order}
        for pivot, reduced in pivots.items():  # reduced rows: each pivot in its row alone
            if pivot in row:
                _subtract(row, reduced, row[pivot])
        if not row:
            continue
        pivot = min(row)
        scale = row[pivot]
        row = {c: v / scale for c, v in row.items()}
        for reduced in pivots.values():
            if pivot in reduced:
                _subtract(reduced, row, reduced[pivot])
        pivots[pivot] = row
    alone = {pivot for pivot, row in pivots.items() if len(row) == 1}
    return {k for k, i in order.items() if i in alone}


def _signed(relation: Sequence[K], values: Mapping[K, float]) -> tuple[tuple[K, int], ...]:
    """Parts +1, the total -1, the cells shown in `values` only (the rest are known)."""
    last = len(relation) - 1
    return tuple((k, -1 if i == last else 1) for i, k in enumerate(relation) if k in values)


def _one_alone(
    sums: list[tuple[tuple[K, int], ...]], hidden: set[K], values: Mapping[K, float]
) -> None:
    changed = True
    while changed:
        changed = False
        for terms in sums:
            if sum(k in hidden for k, _ in terms) == 1 and (
                others := _others(terms, hidden, values)
            ):
                hidden.add(others[0])
                changed = True


def _others(terms: Sequence[tuple[K, int]], hidden: set[K], values: Mapping[K, float]) -> list[K]:
    """A relation's cells still shown, the best to hide first."""
    shown = [(k, sign) for k, sign in terms if k not in hidden]
    shown.sort(key=lambda t: (values[t[0]] == 0, values[t[0]], t[1] < 0))
    return [k for k, _ in shown]


def _subtract(row: dict[int, Fraction], other: Mapping[int, Fraction], times: Fraction) -> None:
    for column, v in other.items():
        left = row.get(column, Fraction(0)) - times * v
        if left:
            row[column] = left
        else:
            row.pop(column, None)


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

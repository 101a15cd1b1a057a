"""The judgements, in one place: RAG, direction of travel, SPC, run-rate and category.

Every rule is a small function of numbers, documented in docs/assessment.md and pinned by
a test at each boundary. Nothing here reads data: the engine's values come in, words and
flags go out.

- **RAG** against a target (or a benchmark where there is none): green when the value
  meets the target in the good direction, or falls short of it by no more than the
  target's tolerance (none, unless the target states one; a percentage target at its limit,
  100% or 0%, is met within LIMIT_TOLERANCE points so green can be reached); amber within
  the band beyond that (5 percentage points for a percentage, 5% of the target for any
  other unit); red beyond it. A context indicator is not rated unless its target gives a
  polarity.
- **Direction of travel**: the latest value against the mean of the three months before;
  a change smaller than the band's fifth (1 point, or 1% of that mean) is "stable".
- **SPC** (an XmR chart, as in NHS England's Making Data Count): centre line the mean of
  the series, limits at the mean +/- 2.66 x the mean moving range; special causes: a point
  outside the limits; a shift of 7 points in a row on one side of the centre line; a trend
  of 6 points in a row rising or falling; two of three points beyond two thirds of the way
  to a limit, on the same side. A special cause is "improvement" or "concern" by polarity.
- **Run-rate**: the monthly figure needed for the rest of the financial year to meet an
  annual target, given the year so far.
- **Category**: going well, one to watch, need to do better, not rated, or context only
  (below).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from statistics import fmean

PERCENT_BAND = 5.0  # percentage points
LIMIT_TOLERANCE = 2.0  # points a 100% (or 0%) target is met within, unless it states its own
RELATIVE_BAND = 0.05  # of the target, for counts, rates and averages
STABLE_SHARE = 0.2  # a change under a fifth of the band is no change
SPC_SIGMA = 2.66  # 3 sigma from the mean moving range (3 / d2, d2 = 1.128)
SHIFT_RUN = 7
TREND_RUN = 6
MIN_SPC_POINTS = 12


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


class Travel(StrEnum):
    IMPROVING = "improving"
    STABLE = "stable"
    WORSENING = "worsening"
    UP = "up"  # for context indicators, which are neither better nor worse
    DOWN = "down"


class Category(StrEnum):
    GOING_WELL = "going well"
    WATCH = "one to watch"
    DO_BETTER = "need to do better"
    UNRATED = "not rated"  # no target and no comparable benchmark: never "going well"
    CONTEXT = "context only"


LISTED = (Category.GOING_WELL, Category.WATCH, Category.DO_BETTER)  # the overview's three lists


def band(target: float, unit: str) -> float:
    """How far short of the target is still amber."""
    return PERCENT_BAND if unit == "percent" else abs(target) * RELATIVE_BAND


def rag(
    value: float | None, target: float | None, polarity: str, unit: str, tolerance: float = 0.0
) -> Rag | None:
    if value is None or target is None or polarity == "context":
        return None
    shortfall = target - value if polarity == "higher" else value - target
    if shortfall <= tolerance:
        return Rag.GREEN
    return Rag.AMBER if shortfall <= tolerance + band(target, unit) else Rag.RED


def tolerance(target: float, unit: str, polarity: str, stated: float | None) -> float:
    """How far short of a target still meets it: what the target states, else, for a
    percentage target at its limit (100% to reach, 0% to keep under), LIMIT_TOLERANCE."""
    if stated is not None:
        return stated
    at_limit = (polarity == "higher" and target >= 100) or (polarity == "lower" and target <= 0)
    return LIMIT_TOLERANCE if unit == "percent" and at_limit else 0.0


def travel(series: Sequence[float | None], polarity: str, unit: str) -> Travel | None:
    """The latest value against the mean of the three before it."""
    values = [v for v in series if v is not None]
    if len(values) < 4:
        return None
    latest, before = values[-1], fmean(values[-4:-1])
    change = latest - before
    if abs(change) <= STABLE_SHARE * band(before, unit):
        return Travel.STABLE
    if polarity == "context":
        return Travel.UP if change > 0 else Travel.DOWN
    better = change > 0 if polarity == "higher" else change < 0
    return Travel.IMPROVING if better else Travel.WORSENING


@dataclass(frozen=True)
class Spc:
    centre: float
    lower: float
    upper: float
    signals: tuple[tuple[int, str], ...]  # (index of the point, rule) for every special cause

    def signal_at(self, index: int) -> tuple[str, ...]:
        return tuple(rule for i, rule in self.signals if i == index)


def spc(series: Sequence[float]) -> Spc | None:
    """An XmR chart of the series with every special-cause point marked, or None if short."""
    if len(series) < MIN_SPC_POINTS:
        return None
    centre = fmean(series)
    moving = fmean(abs(b - a) for a, b in zip(series, series[1:], strict=False))
    lower, upper = centre - SPC_SIGMA * moving, centre + SPC_SIGMA * moving
    signals = [
        *((i, "outside limits") for i, v in enumerate(series) if v < lower or v > upper),
        *((i, "shift") for i in _runs(series, lambda v: v > centre, SHIFT_RUN)),
        *((i, "shift") for i in _runs(series, lambda v: v < centre, SHIFT_RUN)),
        *((i, "trend") for i in _trends(series)),
        *((i, "two of three near a limit") for i in _near_limits(series, centre, moving)),
    ]
    return Spc(centre, lower, upper, tuple(sorted(set(signals))))


def _runs(series: Sequence[float], side: Callable[[float], bool], length: int) -> list[int]:
    """Indexes of points in runs of at least `length` for which `side(point)` holds."""
    marked: list[int] = []
    run: list[int] = []
    for index, value in enumerate(series):
        if side(value):
            run.append(index)
            continue
        marked += run if len(run) >= length else []
        run = []
    return marked + (run if len(run) >= length else [])


def _trends(series: Sequence[float]) -> list[int]:
    """Points in runs of TREND_RUN or more each higher (or each lower) than the one before."""
    marked: list[int] = []
    for direction in (1, -1):
        run = [0]
        for index in range(1, len(series) + 1):
            if index < len(series) and (series[index] - series[index - 1]) * direction > 0:
                run.append(index)
                continue
            if len(run) >= TREND_RUN:
                marked += run
            run = [index]
    return marked


def _near_limits(series: Sequence[float], centre: float, moving: float) -> list[int]:
    """Two of three consecutive points beyond two thirds of the way to a limit, one side."""
    near = 2 / 3 * SPC_SIGMA * moving
    marked: set[int] = set()
    for side in (1, -1):
        beyond = [(v - centre) * side > near for v in series]
        for start in range(len(series) - 2):
            window = range(start, start + 3)
            if sum(beyond[i] for i in window) >= 2:
                marked.update(i for i in window if beyond[i])
    return sorted(marked)


def spc_signal(chart: Spc | None, index: int, series: Sequence[float], polarity: str) -> str | None:
    """'improvement' or 'concern' if the point at `index` is a special cause, else None.

    The direction is the point's side of the centre line; for a point marked only as part
    of a trend, the trend's direction.
    """
    rules = chart.signal_at(index) if chart is not None else ()
    if chart is None or not rules:
        return None
    if polarity == "context":
        return "special cause"
    if set(rules) == {"trend"} and index > 0:
        high = series[index] > series[index - 1]
    else:
        high = series[index] > chart.centre
    return "improvement" if high == (polarity == "higher") else "concern"


def run_rate(annual_target: float, year_to_date: float, months_elapsed: int) -> float | None:
    """The monthly figure needed in each remaining month of the year to meet the target."""
    remaining = 12 - months_elapsed
    if remaining <= 0:
        return None
    return (annual_target - year_to_date) / remaining


def category(
    polarity: str, rating: Rag | None, direction: Travel | None, signal: str | None
) -> Category:
    """Going well, one to watch, need to do better, or context only.

    - context indicators: context only;
    - red, or amber and worsening or an SPC concern: need to do better;
    - amber otherwise, or green but worsening or an SPC concern: one to watch;
    - green otherwise: going well;
    - not rated (no target or comparable benchmark): one to watch if worsening or an SPC
      concern, else not rated; never going well, with nothing to say it is.
    """
    if polarity == "context":
        return Category.CONTEXT
    worse = direction is Travel.WORSENING or signal == "concern"
    if rating is Rag.RED or (rating is Rag.AMBER and worse):
        return Category.DO_BETTER
    if rating is Rag.AMBER or (rating is Rag.GREEN and worse):
        return Category.WATCH
    if rating is Rag.GREEN:
        return Category.GOING_WELL
    return Category.WATCH if worse else Category.UNRATED

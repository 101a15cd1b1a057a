"""Assess every indicator for a month: target, benchmarks, RAG, trend, SPC, category.

Each judgement comes from `rules.py`; this module only gathers the numbers for them (the
engine's monthly series, the authority's target, DfE's benchmarks) and keeps what it used,
so `text.py` can say it in words and every output shows the same judgement.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine as Records

from scrutineer.assess.benchmarks import (
    Authority,
    Benchmark,
    Benchmarks,
    UnknownAuthority,
    benchmarks_for,
)
from scrutineer.assess.rules import (
    Category,
    Rag,
    Spc,
    Travel,
    category,
    rag,
    run_rate,
    spc,
    spc_signal,
    tolerance,
    travel,
)
from scrutineer.assess.targets import Target, TargetStore
from scrutineer.calendar import Period
from scrutineer.catalogue.model import Catalogue, Kpi
from scrutineer.engine.batch import authority_values
from scrutineer.engine.compute import Engine, Value
from scrutineer.errors import SettingInvalid
from scrutineer.settings import PREFIX, Settings

SERIES_MONTHS = 24  # the SPC chart's window
# a published level of another authority can be set beside these (a count cannot: a bigger
# authority has more of everything)
COMPARABLE_UNITS = ("percent", "rate_per_10k", "average")


@dataclass(frozen=True)
class Assessment:
    kpi: Kpi
    period: Period
    latest: Value
    series: tuple[Value, ...]
    goal: float | None  # the level judged against: the target, or the neighbours' mean
    target_note: str  # what the target is and who set it, or why there is none
    benchmark: Benchmark | None
    rating: Rag | None
    rated_against: str | None  # "target", "statistical neighbour mean" or None
    direction: Travel | None
    chart: Spc | None
    signal: str | None
    run_rate: float | None
    category: Category
    polarity: str = ""  # the one judged by: the catalogue's, or the target's for a context one
    tolerance: float = 0.0  # how far short of the target still meets it
    compared: float | None = None  # the figure set beside DfE's annual ones (see compared_as)
    compared_as: str = ""  # "March 2026", or "the 12 months to March 2026" for a monthly flow
    neighbour_gap: float | None = None  # compared minus the neighbours' mean, if comparable
    goal_is: str | None = None  # "target" or "statistical neighbour mean"

    @property
    def target(self) -> float | None:
        """The authority's target for the month, if it has one (never the neighbours' mean,
        which a reader would take for a target the council set)."""
        return self.goal if self.goal_is == "target" else None

    @property
    def rated_value(self) -> float | None:
        """The figure the RAG judged: the month's against a target, else `compared`."""
        return self.latest.value if self.rated_against == "target" else self.compared

    @property
    def england(self) -> float | None:
        """England's published figure, where it can be set beside the authority's."""
        bench = self.benchmark
        return bench.england if bench and self.kpi.unit in COMPARABLE_UNITS else None

    @property
    def region(self) -> float | None:
        bench = self.benchmark
        return bench.region_value if bench and self.kpi.unit in COMPARABLE_UNITS else None

    def as_dict(self) -> dict[str, object]:
        bench = self.benchmark
        return {
            "kpi": self.kpi.id,
            "period": str(self.period),
            "value": self.latest.value,
            "numerator": self.latest.numerator,
            "denominator": self.latest.denominator,
            "status": self.latest.status,
            "unmapped": self.latest.unmapped,
            "target": self.target,
            "rag": self.rating,
            "rated_against": self.rated_against,
            "trend": self.direction,
            "spc": self.signal,
            "run_rate": self.run_rate,
            "category": self.category,
            "neighbour_mean": bench.neighbour_mean if bench else None,
            "neighbour_gap": self.neighbour_gap,
            "compared": self.compared,
            "compared_as": self.compared_as,
            "england": self.england,
            "region": self.region,
        }


@dataclass(frozen=True)
class Standards:
    """What a month's figures are judged against: the authority's targets (as they stood at
    a time), DfE's benchmarks and the authority's code among them (`la`): its own, or the
    one whose place it takes (`stand_in`) when DfE has no figures for it."""

    targets: tuple[Target, ...]
    benchmarks: Benchmarks | None
    la: str
    stand_in: Authority | None = None


def standards(
    settings: Settings, records: Records, catalogue: Catalogue, as_at: datetime | None = None
) -> Standards:
    """The standards as every output reads them: the targets in the records store (as at
    `as_at`, UTC, if given), the benchmarks found from the data folder, the authority's
    place among them from the settings."""
    targets = TargetStore(records, catalogue).all(as_at)
    return standards_of(settings, targets, benchmarks_for(settings.data_dir))


def standards_of(
    settings: Settings, targets: Iterable[Target], benchmarks: Benchmarks
) -> Standards:
    """The authority's place in DfE's data: its own code where DfE publishes figures for it,
    else (the synthetic authority) that of `compare_as`, so it has a region, neighbours and
    England beside it as a council does."""
    try:
        benchmarks.authority(settings.la_code)
        return Standards(tuple(targets), benchmarks, settings.la_code)
    except UnknownAuthority:
        pass
    if not settings.compare_as:
        return Standards(tuple(targets), benchmarks, settings.la_code)
    try:
        stand_in = benchmarks.authority(settings.compare_as)
    except UnknownAuthority:
        raise SettingInvalid(
            PREFIX + "COMPARE_AS", settings.compare_as, "English authority in DfE's data"
        ) from None
    return Standards(tuple(targets), benchmarks, stand_in.number, stand_in)


def assess_month(engine: Engine, period: Period, against: Standards) -> list[Assessment]:
    """Every indicator judged for `period`: the one assessment behind the command line, the
    demo, the report and (from its cached values, `assess_values`) the dashboard."""
    values = authority_values(engine, period.shift(1 - SERIES_MONTHS), period)
    return assess_values(engine.catalogue, period, values, against)


def assess_values(
    catalogue: Catalogue, period: Period, values: Iterable[Value], against: Standards
) -> list[Assessment]:
    """Assess every indicator from authority-level values already computed (any months: the
    SERIES_MONTHS ending with `period` are used), as the dashboard does from its cache."""
    first = str(period.shift(1 - SERIES_MONTHS))
    by_kpi: dict[str, list[Value]] = {}
    for value in sorted(values, key=lambda v: v.period):
        if first <= value.period <= str(period):
            by_kpi.setdefault(value.kpi, []).append(value)
    ordered = sorted(against.targets, key=lambda t: t.set_on)
    chosen = {(t.kpi, t.financial_year): t for t in ordered}
    return [
        assess_kpi(
            kpi,
            period,
            by_kpi[kpi.id],
            chosen.get((kpi.id, period.financial_year)),
            _benchmark(against.benchmarks, kpi, period, against.la),
        )
        for kpi in catalogue
    ]


def assess_kpi(
    kpi: Kpi,
    period: Period,
    series: list[Value],
    target: Target | None,
    benchmark: Benchmark | None,
) -> Assessment:
    latest = series[-1]
    polarity = target.polarity if target and target.polarity else kpi.polarity
    month_of_year = (period.month - 4) % 12 + 1
    goal, note = _goal(kpi, target, benchmark, month_of_year)
    compared, compared_as = _comparable(kpi, series, period)
    against = "target" if goal is not None else None
    if goal is None and benchmark and kpi.unit in COMPARABLE_UNITS:
        goal, against = benchmark.neighbour_mean, "statistical neighbour mean"
    allowed = (
        tolerance(goal, kpi.unit, polarity, target.tolerance if target else None)
        if goal is not None and against == "target"
        else 0.0
    )
    numbers = [v.value for v in series]
    known = [v for v in numbers if v is not None]
    chart = spc(known) if len(known) == len(numbers) else None
    signal = spc_signal(chart, len(known) - 1, known, polarity) if chart else None
    judged = latest.value if against == "target" else compared
    rating = rag(judged, goal, polarity, kpi.unit, allowed)
    direction = travel(numbers, polarity, kpi.unit)
    mean = benchmark.neighbour_mean if benchmark else None
    gap = (
        round(compared - mean, 6)
        if compared is not None and mean is not None and kpi.unit in COMPARABLE_UNITS
        else None
    )
    return Assessment(
        kpi,
        period,
        latest,
        tuple(series),
        goal,
        note,
        benchmark,
        rating,
        against if rating is not None else None,
        direction,
        chart,
        signal,
        _run_rate(kpi, target, series, period),
        # an indicator with no data yet (the records store) is not judged: context only
        Category.CONTEXT
        if latest.status == "no data"
        else category(polarity, rating, direction, signal),
        polarity,
        allowed,
        compared,
        compared_as,
        gap,
        against,
    )


def _comparable(kpi: Kpi, series: list[Value], period: Period) -> tuple[float | None, str]:
    """The figure to set beside DfE's annual ones: a month-end or rolling figure as it is;
    a monthly flow through its 12 months to `period` (events add up month by month), or
    none with fewer than 12 months of figures."""
    month = f"{period.start:%B %Y}"
    if kpi.kind != "flow":
        return series[-1].value, month
    year = [v for v in series[-12:] if v.value is not None]
    if len(year) < 12:
        return None, f"the 12 months to {month}"
    numerator = sum(v.numerator or 0 for v in year)
    denominator = sum(v.denominator or 0 for v in year)
    if kpi.unit == "count":
        value: float | None = numerator
    elif denominator:
        value = round((100.0 if kpi.unit == "percent" else 1.0) * numerator / denominator, 6)
    else:
        value = None
    return value, f"the 12 months to {month}"


def _goal(
    kpi: Kpi, target: Target | None, benchmark: Benchmark | None, month: int
) -> tuple[float | None, str]:
    if target is None:
        return None, "no target set"
    who = f"set by {target.set_by} on {target.set_on:%d %B %Y}"
    if target.kind in ("neighbour_mean", "neighbour_median"):
        if benchmark is None:
            return None, f"{target.kind.replace('_', ' ')} target, but no benchmark ({who})"
        level = (
            benchmark.neighbour_mean
            if target.kind == "neighbour_mean"
            else benchmark.neighbour_median
        )
        return level, f"statistical neighbour {target.kind.split('_')[1]} ({who})"
    return target.for_month(month, kpi.unit), f"{target.kind} target of {target.value:g} ({who})"


def _run_rate(kpi: Kpi, target: Target | None, series: list[Value], period: Period) -> float | None:
    """For an annual target on a monthly count: what each remaining month needs."""
    if target is None or target.kind != "annual" or kpi.unit != "count" or kpi.kind != "flow":
        return None
    if target.value is None:
        return None
    start = Period(period.financial_year, 4)
    so_far = sum(v.value or 0 for v in series if Period.parse(v.period) >= start)
    return run_rate(target.value, so_far, (period.month - 4) % 12 + 1)


def _benchmark(
    benchmarks: Benchmarks | None, kpi: Kpi, period: Period, la: str
) -> Benchmark | None:
    if benchmarks is None or not kpi.benchmark:
        return None
    years = [y for y in benchmarks.years(kpi.benchmark) if y <= period.financial_year + 1]
    if not years:
        return None
    if kpi.unit == "percent" and not benchmarks.looks_like_percent(kpi.benchmark):
        return None  # published as a count: not comparable with the percentage
    try:
        return benchmarks.benchmark(kpi.benchmark, max(years), la)
    except UnknownAuthority:
        return None

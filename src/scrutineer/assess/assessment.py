"""Assess every indicator for a month: target, benchmarks, RAG, trend, SPC, category.

Each judgement comes from `rules.py`; this module only gathers the numbers for them (the
engine's monthly series, the authority's target, DfE's benchmarks) and keeps what it used,
so `text.py` can say it in words and every output shows the same judgement.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from scrutineer.assess.benchmarks import Benchmark, Benchmarks, UnknownAuthority
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
    travel,
)
from scrutineer.assess.targets import Target
from scrutineer.calendar import Period
from scrutineer.catalogue.model import Catalogue, Kpi
from scrutineer.engine.batch import compute_everything
from scrutineer.engine.compute import Engine, Value

SERIES_MONTHS = 24  # the SPC chart's window
COMPARABLE_UNITS = ("percent", "rate_per_10k")  # a published annual level can rate these


@dataclass(frozen=True)
class Assessment:
    kpi: Kpi
    period: Period
    latest: Value
    series: tuple[Value, ...]
    target: float | None
    target_note: str  # what the target is and who set it, or why there is none
    benchmark: Benchmark | None
    rating: Rag | None
    rated_against: str | None  # "target", "statistical neighbour mean" or None
    direction: Travel | None
    chart: Spc | None
    signal: str | None
    run_rate: float | None
    category: Category

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
            "england": bench.england if bench else None,
        }


def assess(
    engine: Engine, period: Period, targets: list[Target], benchmarks: Benchmarks | None, la: str
) -> list[Assessment]:
    first = period.shift(1 - SERIES_MONTHS)
    values = compute_everything(
        engine.con,
        engine.catalogue,
        engine.populations,
        first,
        period,
        levels=("authority",),
        qa=engine.qa,
    ).values["authority"]
    return assess_values(engine.catalogue, period, values, targets, benchmarks, la)


def assess_values(
    catalogue: Catalogue,
    period: Period,
    values: Iterable[Value],
    targets: list[Target],
    benchmarks: Benchmarks | None,
    la: str,
) -> list[Assessment]:
    """Assess every indicator from authority-level values already computed (any months: the
    SERIES_MONTHS ending with `period` are used), as the dashboard does from its cache."""
    first = str(period.shift(1 - SERIES_MONTHS))
    by_kpi: dict[str, list[Value]] = {}
    for value in sorted(values, key=lambda v: v.period):
        if first <= value.period <= str(period):
            by_kpi.setdefault(value.kpi, []).append(value)
    chosen = {(t.kpi, t.financial_year): t for t in sorted(targets, key=lambda t: t.set_on)}
    return [
        assess_kpi(
            kpi,
            period,
            by_kpi[kpi.id],
            chosen.get((kpi.id, period.financial_year)),
            _benchmark(benchmarks, kpi, period, la),
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
    month_of_year = (period.month - 4) % 12 + 1
    goal, note = _goal(kpi, target, benchmark, month_of_year)
    against = "target" if goal is not None else None
    if goal is None and benchmark and kpi.unit in COMPARABLE_UNITS:
        goal, against = benchmark.neighbour_mean, "statistical neighbour mean"
    numbers = [v.value for v in series]
    known = [v for v in numbers if v is not None]
    chart = spc(known) if len(known) == len(numbers) else None
    signal = spc_signal(chart, len(known) - 1, known, kpi.polarity) if chart else None
    rating = rag(latest.value, goal, kpi.polarity, kpi.unit)
    direction = travel(numbers, kpi.polarity, kpi.unit)
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
        else category(kpi.polarity, rating, direction, signal),
    )


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

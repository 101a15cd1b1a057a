"""Every assessment rule at its boundaries, with series whose signals are known."""

from __future__ import annotations

import pytest

from scrutineer.assess.rules import (
    Category,
    Rag,
    Travel,
    band,
    category,
    rag,
    run_rate,
    spc,
    spc_signal,
    tolerance,
    travel,
)


@pytest.mark.parametrize(
    "value, target, polarity, unit, expected",
    [
        (80.0, 80.0, "higher", "percent", Rag.GREEN),  # meets the target exactly
        (79.9, 80.0, "higher", "percent", Rag.AMBER),
        (75.0, 80.0, "higher", "percent", Rag.AMBER),  # 5 points short: still amber
        (74.9, 80.0, "higher", "percent", Rag.RED),
        (20.0, 20.0, "lower", "percent", Rag.GREEN),
        (25.0, 20.0, "lower", "percent", Rag.AMBER),  # lower is better: 5 points over
        (25.1, 20.0, "lower", "percent", Rag.RED),
        (105.0, 100.0, "lower", "rate_per_10k", Rag.AMBER),  # 5% of the target
        (105.1, 100.0, "lower", "rate_per_10k", Rag.RED),
        (950.0, 1000.0, "higher", "count", Rag.AMBER),
        (949.0, 1000.0, "higher", "count", Rag.RED),
        (50.0, 80.0, "context", "percent", None),  # context indicators are not rated
        (None, 80.0, "higher", "percent", None),
        (80.0, None, "higher", "percent", None),
    ],
)
def test_rag_bands_respect_polarity_and_unit(
    value: float | None, target: float | None, polarity: str, unit: str, expected: Rag | None
) -> None:
    assert rag(value, target, polarity, unit) == expected


@pytest.mark.parametrize(
    "value, target, polarity, stated, expected",
    [
        # a 100% target is met within LIMIT_TOLERANCE (2 points) unless it states its own
        (98.0, 100.0, "higher", None, Rag.GREEN),
        (97.9, 100.0, "higher", None, Rag.AMBER),
        (93.0, 100.0, "higher", None, Rag.AMBER),  # 2 + 5 points short: still amber
        (92.9, 100.0, "higher", None, Rag.RED),
        (99.0, 100.0, "higher", 0.5, Rag.AMBER),  # a stated tolerance of half a point
        (99.5, 100.0, "higher", 0.5, Rag.GREEN),
        (2.0, 0.0, "lower", None, Rag.GREEN),  # 0% to keep under: within 2 points
        (2.1, 0.0, "lower", None, Rag.AMBER),
        (79.0, 80.0, "higher", None, Rag.AMBER),  # a target short of the limit: none
        (79.0, 80.0, "higher", 1.0, Rag.GREEN),
    ],
)
def test_a_target_at_the_limit_can_be_met(
    value: float, target: float, polarity: str, stated: float | None, expected: Rag
) -> None:
    allowed = tolerance(target, "percent", polarity, stated)
    assert rag(value, target, polarity, "percent", allowed) == expected


def test_band_sizes() -> None:
    assert band(80, "percent") == 5.0
    assert band(400, "count") == pytest.approx(20.0)
    assert band(-10, "average") == pytest.approx(0.5)


@pytest.mark.parametrize(
    "series, polarity, unit, expected",
    [
        ([70, 70, 70, 71.0], "higher", "percent", Travel.STABLE),  # +1 point: a fifth of 5
        ([70, 70, 70, 71.1], "higher", "percent", Travel.IMPROVING),
        ([70, 70, 70, 68.9], "higher", "percent", Travel.WORSENING),
        ([70, 70, 70, 68.9], "lower", "percent", Travel.IMPROVING),
        ([400, 400, 400, 404.0], "lower", "count", Travel.STABLE),  # 1% of 400 = 4
        ([400, 400, 400, 404.1], "lower", "count", Travel.WORSENING),
        ([400, 400, 400, 404.1], "context", "count", Travel.UP),
        ([400, 400, 400, 395.9], "context", "count", Travel.DOWN),
        ([70, 70, 71.1], "higher", "percent", None),  # too short
        ([70, None, 70, 70, 71.1], "higher", "percent", Travel.IMPROVING),  # gaps skipped
    ],
)
def test_direction_of_travel(
    series: list[float | None], polarity: str, unit: str, expected: Travel | None
) -> None:
    assert travel(series, polarity, unit) == expected


NOISE = [50, 52, 49, 51, 50, 48, 51, 50, 52, 49, 50, 51, 49, 50, 51, 50]  # no signal


def test_common_cause_variation_has_no_signal() -> None:
    chart = spc(NOISE)
    assert chart is not None and chart.signals == ()
    assert chart.centre == pytest.approx(50.1875)
    # moving ranges 2,3,2,1,2,3,1,2,3,1,1,2,1,1,1: mean 26/15; limits centre +/- 2.66 x that
    assert chart.upper == pytest.approx(50.1875 + 2.66 * 26 / 15)
    assert chart.lower == pytest.approx(50.1875 - 2.66 * 26 / 15)


def test_a_point_outside_the_limits() -> None:
    series = [*NOISE[:12], 70, *NOISE[13:]]
    chart = spc(series)
    assert chart is not None and chart.signal_at(12) == ("outside limits",)
    assert spc_signal(chart, 12, series, "higher") == "improvement"
    assert spc_signal(chart, 12, series, "lower") == "concern"
    assert spc_signal(chart, 11, series, "higher") is None


def test_a_shift_needs_seven_points_on_one_side() -> None:
    six = [50, 51, 49, 50, 51, 49, 53, 53, 53, 53, 53, 53, 49, 50, 49, 48]
    seven = [50, 51, 49, 50, 51, 49, 53, 53, 53, 53, 53, 53, 53, 49, 48, 49]
    chart_six, chart_seven = spc(six), spc(seven)
    assert chart_six is not None and not any(r == "shift" for _, r in chart_six.signals)
    assert chart_seven is not None
    assert [i for i, r in chart_seven.signals if r == "shift"] == list(range(6, 13))


def test_a_trend_needs_six_points_each_higher() -> None:
    five = [50, 50, 51, 50, 50, 51, 50, 51, 52, 53, 54, 50, 50, 51, 50, 50]  # 50..54: 5 rising
    six = [50, 50, 51, 50, 50, 51, 50, 51, 52, 53, 54, 55, 50, 51, 50, 50]  # 50..55: 6 rising
    chart_five, chart_six = spc(five), spc(six)
    assert chart_five is not None and not any(r == "trend" for _, r in chart_five.signals)
    assert chart_six is not None
    assert [i for i, r in chart_six.signals if r == "trend"] == [6, 7, 8, 9, 10, 11]
    assert spc_signal(chart_six, 9, six, "lower") == "concern"  # rising, lower is better


def test_two_of_three_near_a_limit() -> None:
    base = [50, 51, 49, 50, 51, 49, 50, 51, 49, 50, 51, 49, 50, 51, 49, 50]
    # With two points at 55: centre 50.5, mean moving range 2.105..., upper limit 56.1;
    # two thirds of the way is 54.23, so 55 is near the limit but inside it.
    pushed = spc([*base, 55, 50, 55, 50])
    assert pushed is not None and pushed.upper == pytest.approx(56.1, abs=0.01)
    assert pushed.signals == ((16, "two of three near a limit"), (18, "two of three near a limit"))
    # At 53.5 they are not beyond two thirds of the way (about 53.69): no signal
    short = spc([*base, 53.5, 50, 53.5, 50])
    assert short is not None and short.signals == ()


def test_spc_needs_twelve_points() -> None:
    assert spc(NOISE[:11]) is None
    assert spc(NOISE[:12]) is not None


@pytest.mark.parametrize(
    "target, ytd, months, expected",
    [
        (1200, 500, 5, 100.0),
        (1200, 1300, 10, -50.0),
        (1200, 1100, 11, 100.0),
        (1200, 1200, 12, None),
    ],
)
def test_run_rate(target: float, ytd: float, months: int, expected: float | None) -> None:
    assert run_rate(target, ytd, months) == expected


@pytest.mark.parametrize(
    "polarity, rating, direction, signal, expected",
    [
        ("context", Rag.RED, Travel.WORSENING, "concern", Category.CONTEXT),
        ("higher", Rag.RED, Travel.IMPROVING, None, Category.DO_BETTER),
        ("higher", Rag.AMBER, Travel.WORSENING, None, Category.DO_BETTER),
        ("higher", Rag.AMBER, Travel.STABLE, "concern", Category.DO_BETTER),
        ("higher", Rag.AMBER, Travel.IMPROVING, None, Category.WATCH),
        ("higher", Rag.GREEN, Travel.WORSENING, None, Category.WATCH),
        ("higher", Rag.GREEN, Travel.STABLE, "concern", Category.WATCH),
        ("higher", Rag.GREEN, Travel.STABLE, None, Category.GOING_WELL),
        ("higher", Rag.GREEN, None, None, Category.GOING_WELL),
        # not rated: never going well, however it moves; one to watch if it worsens
        ("lower", None, Travel.IMPROVING, None, Category.UNRATED),
        ("lower", None, Travel.IMPROVING, "concern", Category.WATCH),
        ("lower", None, Travel.WORSENING, None, Category.WATCH),
        ("lower", None, Travel.STABLE, None, Category.UNRATED),
        ("lower", None, None, "improvement", Category.UNRATED),
    ],
)
def test_category(
    polarity: str,
    rating: Rag | None,
    direction: Travel | None,
    signal: str | None,
    expected: Category,
) -> None:
    assert category(polarity, rating, direction, signal) == expected

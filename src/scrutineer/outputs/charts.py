"""Server-rendered SVG charts, shared by the report (HTML and PDF) and, later, the dashboard.

A chart is plain SVG text: no script, no fonts to fetch, so WeasyPrint draws it exactly as a
browser does. Every chart has a title and a description for screen readers, and marks a
special-cause month by shape as well as colour.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 40
INK, MUTED, TARGET, IMPROVE, CONCERN = "#0b0c0c", "#505a5f", "#1d70b8", "#00703c", "#d4351c"
Scale = Callable[[float], float]


@dataclass(frozen=True)
class Series:
    labels: tuple[str, ...]  # one per point, e.g. "2026-03"
    values: tuple[float | None, ...]
    target: float | None = None
    centre: float | None = None
    lower: float | None = None
    upper: float | None = None
    signals: tuple[str | None, ...] = ()  # "improvement" / "concern" / None, by point
    benchmark: float | None = None  # e.g. the statistical neighbours' mean
    benchmark_label: str = "Statistical neighbours"


def line_chart(series: Series, title: str, unit: str) -> str:
    known = [v for v in series.values if v is not None]
    levels = [
        v
        for v in (*known, series.target, series.lower, series.upper, series.benchmark)
        if v is not None
    ]
    if not known:
        return f'<p class="no-chart">No figures to chart for {escape(title)}.</p>'
    low, high = _range(levels, unit)
    n = len(series.values)

    def x(i: float) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * (i / max(n - 1, 1))

    def y(v: float) -> float:
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - (v - low) / (high - low))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'class="chart" aria-labelledby="t d"><title id="t">{escape(title)}</title>'
        f'<desc id="d">{escape(_describe(series, unit))}</desc>',
        *_axes(low, high, y, unit),
        *_labels(series.labels, x),
    ]
    parts += _rule(series.upper, y, MUTED, "4 3", "upper limit")
    parts += _rule(series.lower, y, MUTED, "4 3", "lower limit")
    parts += _rule(series.centre, y, MUTED, "1 3", "average")
    parts += _rule(series.benchmark, y, "#6f72af", "8 3", series.benchmark_label)
    parts += _rule(series.target, y, TARGET, "", "target")
    points = [(x(i), y(v)) for i, v in enumerate(series.values) if v is not None]
    path = " ".join(
        f"{'M' if i == 0 else 'L'}{px:.1f},{py:.1f}" for i, (px, py) in enumerate(points)
    )
    parts.append(f'<path d="{path}" fill="none" stroke="{INK}" stroke-width="2"/>')
    parts += _points(series, x, y)
    parts.append("</svg>")
    return "".join(parts)


def _range(levels: Sequence[float], unit: str) -> tuple[float, float]:
    low, high = min(levels), max(levels)
    if unit == "percent":
        low, high = max(0.0, low - 5), min(100.0, high + 5)
    pad = (high - low) * 0.1 or max(abs(high) * 0.1, 1.0)
    top = min(100.0, high + pad) if unit == "percent" and max(levels) <= 100 else high + pad
    return (max(0.0, low - pad) if min(levels) >= 0 else low - pad), top


def _axes(low: float, high: float, y: Scale, unit: str) -> list[str]:
    parts = []
    for step in range(3):
        value = low + (high - low) * step / 2
        py = y(value)
        shown = f"{value:.0f}%" if unit == "percent" else f"{value:,.0f}"
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{py:.1f}" y2="{py:.1f}" '
            f'stroke="#e8e8e8"/><text x="{LEFT - 6}" y="{py + 4:.1f}" '
            f'text-anchor="end" font-size="11" fill="{MUTED}">{shown}</text>'
        )
    return parts


def _labels(labels: Sequence[str], x: Scale) -> list[str]:
    every = max(1, len(labels) // 4)
    return [
        f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
        f'font-size="11" fill="{MUTED}">{escape(label)}</text>'
        for i, label in enumerate(labels)
        if i % every == 0 or i == len(labels) - 1
    ]


def _rule(value: float | None, y: Scale, colour: str, dash: str, label: str) -> list[str]:
    if value is None:
        return []
    py = y(value)
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return [
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{py:.1f}" y2="{py:.1f}" '
        f'stroke="{colour}" stroke-width="1.5"{dashed}><title>{escape(label)}</title></line>'
    ]


def _points(series: Series, x: Scale, y: Scale) -> list[str]:
    parts = []
    for i, value in enumerate(series.values):
        if value is None:
            continue
        signal = series.signals[i] if i < len(series.signals) else None
        px, py = x(i), y(value)
        if signal == "improvement":  # a triangle pointing up
            parts.append(
                f'<path d="M{px:.1f},{py - 6:.1f} L{px + 6:.1f},{py + 5:.1f} '
                f'L{px - 6:.1f},{py + 5:.1f} Z" fill="{IMPROVE}"><title>special '
                "cause: improvement</title></path>"
            )
        elif signal == "concern":  # a square
            parts.append(
                f'<rect x="{px - 5:.1f}" y="{py - 5:.1f}" width="10" height="10" '
                f'fill="{CONCERN}"><title>special cause: concern</title></rect>'
            )
        elif signal:  # special cause on a context indicator: a diamond, neither good nor bad
            parts.append(
                f'<path d="M{px:.1f},{py - 6:.1f} L{px + 6:.1f},{py:.1f} '
                f'L{px:.1f},{py + 6:.1f} L{px - 6:.1f},{py:.1f} Z" fill="{TARGET}"/>'
            )
        elif i == len(series.values) - 1:  # the latest month; others are the line alone
            parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{INK}"/>')
    return parts


def _describe(series: Series, unit: str) -> str:
    known = [
        (label, v) for label, v in zip(series.labels, series.values, strict=False) if v is not None
    ]
    first, last = known[0], known[-1]
    suffix = "%" if unit == "percent" else ""
    text = (
        f"Monthly series from {first[0]} ({first[1]:,.1f}{suffix}) to {last[0]} "
        f"({last[1]:,.1f}{suffix})."
    )
    if series.target is not None:
        text += f" Target {series.target:,.1f}{suffix}."
    flagged = sum(1 for s in series.signals if s)
    if flagged:
        text += f" {flagged} month(s) marked as special cause."
    return text

"""How a figure looks, shared by the report and the dashboard: table cells and the chart of
an assessed indicator."""

from __future__ import annotations

from scrutineer.assess.assessment import COMPARABLE_UNITS, Assessment
from scrutineer.assess.rules import spc_signal
from scrutineer.calendar import Period
from scrutineer.engine.compute import Value
from scrutineer.outputs.charts import Series, line_chart

SUPPRESSED = "*"


def short(value: float, unit: str) -> str:
    """A number for a table cell: the unit is in the row's title."""
    if unit == "percent":
        return f"{value:.1f}%"
    return f"{value:,.1f}" if unit in ("rate_per_10k", "average") else f"{value:,.0f}"


def flagged(shown: str, value: Value) -> str:
    """A cell's text, marked when records it reads hold unmapped values (never hidden: the
    count is of records with values, not of children)."""
    return f"{shown} (unmapped: {value.unmapped:,})" if value.status == "unmapped" else shown


def assessment_chart(a: Assessment) -> str:
    """The indicator's monthly series as SVG, with target, neighbours' mean and SPC limits."""
    known = [v.value for v in a.series]
    numbers = [v for v in known if v is not None]
    whole = len(numbers) == len(known)  # SPC lines over a blanked month would give it back
    chart = a.chart if whole else None
    signals: tuple[str | None, ...] = ()
    if chart:
        signals = tuple(
            spc_signal(chart, i, numbers, a.polarity or a.kpi.polarity) for i in range(len(numbers))
        )
    series = Series(
        labels=tuple(Period.parse(v.period).start.strftime("%b %y") for v in a.series),
        values=tuple(known),
        target=a.target,
        centre=chart.centre if chart else None,
        lower=chart.lower if chart else None,
        upper=chart.upper if chart else None,
        signals=signals,
        # a count beside other authorities' is not like for like: no line
        benchmark=a.benchmark.neighbour_mean
        if a.benchmark and a.kpi.unit in COMPARABLE_UNITS
        else None,
    )
    return line_chart(series, a.kpi.title, a.kpi.unit)

"""What the data tells us: plain sentences from the numbers, and nothing but the numbers.

No causes are invented: analysis and actions are written by people. Each sentence states
one judgement of `rules.py` in words a councillor would use.
"""

from __future__ import annotations

from scrutineer.assess.assessment import Assessment, Standards
from scrutineer.assess.rules import LISTED, Category, Travel


def amount(value: float | None, unit: str) -> str:
    if value is None:
        return "not known"
    if unit == "percent":
        return f"{value:.1f}%"
    if unit == "rate_per_10k":
        return f"{value:,.1f} per 10,000 children"
    if unit == "average":
        return f"{value:,.1f}"
    return f"{value:,.0f}"


def difference(size: float, unit: str) -> str:
    """A gap between two figures of a unit: points for a percentage, else the unit's amount."""
    return f"{size:.1f} points" if unit == "percent" else amount(size, unit)


def neighbours_average(a: Assessment) -> str | None:
    """The neighbours' mean as set beside the figure: a count's labelled per authority."""
    mean = a.benchmark.neighbour_mean if a.benchmark else None
    if mean is None:
        return None
    return amount(mean, a.kpi.unit) + (" per authority" if a.kpi.unit == "count" else "")


def region_figure(a: Assessment) -> str | None:
    """The region's published figure, named: 'South East 23.0%'."""
    if a.region is None or a.benchmark is None:
        return None
    return f"{a.benchmark.authority.region} {amount(a.region, a.kpi.unit)}"


def place_in_words(against: Standards) -> str | None:
    """Whose region and neighbours the figures are set beside, when the authority has no
    figures of its own in DfE's data and takes another's place (the synthetic one)."""
    if against.stand_in is None:
        return None
    taken = against.stand_in
    return (
        "The authority has no figures of its own in the Department for Education's data, so "
        f"it is compared with England, the {taken.region} region and the statistical "
        f"neighbours of {taken.name}, whose place it takes."
    )


def indicator_text(a: Assessment, counts: bool = True) -> str:
    """The indicator in words; `counts` adds the numerator and denominator of a percentage."""
    kpi, latest = a.kpi, a.latest
    month = f"{a.period.start:%B %Y}"
    places = 1 if kpi.weight else 0  # a weighted share counts full-time equivalents
    if latest.status == "no data":
        return f"{kpi.title}: no data yet for {month} (recorded in the quality assurance records)."
    sentences = [
        f"{kpi.title} was {amount(latest.value, kpi.unit)} in {month}"
        + (
            f" ({latest.numerator:,.{places}f} of {latest.denominator:,.{places}f}"
            + (" FTE)" if kpi.weight else ")")
            if counts and kpi.unit == "percent" and latest.denominator
            else ""
        )
        + "."
    ]
    sentences += [s for s in (_against(a), _trend(a), _spc(a), _neighbours(a), _pace(a)) if s]
    return " ".join(s for s in (_unmapped(a), *sentences) if s)


def _unmapped(a: Assessment) -> str | None:
    """First, so no reader takes the figure at face value."""
    n = a.latest.unmapped
    if a.latest.status != "unmapped":
        return None
    records = "record it reads holds a value" if n == 1 else "records it reads hold values"
    return (
        f"Not yet reliable: {n:,} {records} the load could not map to codes, so the figure "
        "may be wrong until the council's code map is mended."
    )


def _against(a: Assessment) -> str | None:
    value = a.rated_value
    if a.rating is None or a.goal is None or value is None:
        return None
    goal = amount(a.goal, a.kpi.unit)
    what = "the target" if a.rated_against == "target" else "the statistical neighbour average"
    subject = "That" if a.rated_against == "target" else _over(a)
    met = (
        f"; a target at its limit is met within {difference(a.tolerance, a.kpi.unit)}"
        if a.tolerance
        else ""
    )
    gap = value - a.goal
    if gap == 0:
        return f"{subject} is exactly {what} of {goal} ({a.rating.value}{met})."
    side = "above" if gap > 0 else "below"
    shown = difference(abs(gap), a.kpi.unit)
    return f"{subject} is {shown} {side} {what} of {goal} ({a.rating.value}{met})."


def _over(a: Assessment) -> str:
    """What the figure set beside DfE's is: the month's, or a flow's 12 months."""
    if a.kpi.kind != "flow":
        return "That"
    return f"Over {a.compared_as}, at {amount(a.compared, a.kpi.unit)}, it"


def _trend(a: Assessment) -> str | None:
    if a.direction is None:
        return None
    known = [v.value for v in a.series if v.value is not None][-4:-1]
    before = amount(sum(known) / len(known), a.kpi.unit) if known else "not known"
    words = {
        Travel.IMPROVING: "It has improved on",
        Travel.WORSENING: "It has worsened from",
        Travel.STABLE: "It is about the same as",
        Travel.UP: "It has risen from",
        Travel.DOWN: "It has fallen from",
    }[a.direction]
    return f"{words} the average of the previous three months ({before})."


def _spc(a: Assessment) -> str | None:
    if a.chart is None:
        return None
    if a.signal is None:
        return "Month to month it is moving within its usual range (no special cause)."
    rules = ", ".join(a.chart.signal_at(len(a.series) - 1))
    kind = {"improvement": "an improvement", "concern": "a concern"}.get(a.signal, "unusual")
    return f"This month is unusual for this indicator ({rules}): {kind}."


def _neighbours(a: Assessment) -> str | None:
    """DfE's published year beside the figure, like for like: a percentage keeps its sign,
    a count is only set beside the neighbours' average per authority (never England's or the
    region's total), and the gap is said where the figures compare."""
    b, average = a.benchmark, neighbours_average(a)
    if b is None or average is None:
        return None
    year = f"{b.year - 1}/{b.year % 100:02d}"
    unit = a.kpi.unit
    mean = b.neighbour_mean
    if mean is None or (a.region is None and a.england is None):
        said = average  # a count: beside the neighbours' average per authority only
    else:
        # the unit once, at the end: "72.8, the South East 55.0 and England 67.0 per 10,000"
        parts = [_bare(mean, unit)]
        if a.region is not None:
            parts.append(f"the {b.authority.region} {_bare(a.region, unit)}")
        if a.england is not None:
            parts.append(f"England {_bare(a.england, unit)}")
        said = ", ".join(parts[:-1]) + " and " + parts[-1]
        said += " per 10,000 children" if unit == "rate_per_10k" else ""
    text = f"In {year} the statistical neighbours averaged {said} ({b.neighbour_list} list)."
    if a.neighbour_gap is not None and a.rated_against != "statistical neighbour mean":
        side = "above" if a.neighbour_gap > 0 else "below"
        gap = abs(a.neighbour_gap)
        where = "level with" if gap == 0 else f"{difference(gap, unit)} {side}"
        text += f" {_over(a).replace('That', 'This month')} is {where} the neighbours."
    elif unit == "count" and a.kpi.kind == "flow" and a.compared is not None:
        text += f" Over {a.compared_as} there were {amount(a.compared, unit)}."
    return text


def _bare(value: float, unit: str) -> str:
    """A figure whose unit is said after a list of them: a rate without its "per 10,000"."""
    return f"{value:,.1f}" if unit == "rate_per_10k" else amount(value, unit)


def _pace(a: Assessment) -> str | None:
    if a.run_rate is None or a.target is None:
        return None
    return (
        f"To keep within the year's target, about {a.run_rate:,.0f} a month are needed "
        "for the rest of the year."
    )


def theme_text(theme: str, assessments: list[Assessment], label: str | None = None) -> str:
    """A paragraph for a theme (or a report section, named by `label`): how many indicators
    are in each list, and which need work."""
    name = label or theme.replace("_", " ").capitalize()
    counts = {  # every indicator in one of them, so the counts add up to the theme's
        c: [a for a in assessments if a.category is c]
        for c in (*LISTED, Category.UNRATED, Category.CONTEXT)
    }
    if len(counts[Category.CONTEXT]) == len(assessments):
        return f"{name}: {len(assessments)} indicators, context only this month."
    parts = [f"{len(v)} {c.value}" for c, v in counts.items() if v]
    text = f"{name}: {len(assessments)} indicators, " + ", ".join(parts) + "."
    worst = counts[Category.DO_BETTER]
    if worst:
        text += (
            " Need to do better: "
            + "; ".join(f"{a.kpi.title} ({amount(a.latest.value, a.kpi.unit)})" for a in worst)
            + "."
        )
    return text

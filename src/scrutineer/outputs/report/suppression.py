"""Small-number suppression for the public edition, primary and secondary.

Primary: a count of 1 to 4; a rate whose count (numerator) is 1 to 4, since the rate and
the published population give the count back; a percentage or average from a denominator
under 5. Secondary: a year-to-date count and the same month's count differ by the previous
year-to-date figure, so where a month's count is suppressed, that month's year-to-date
figure is suppressed too (April's year to date is the month itself).
"""

from __future__ import annotations

from scrutineer.calendar import Period
from scrutineer.catalogue.model import Catalogue, Kpi
from scrutineer.engine.compute import Value
from scrutineer.outputs.disclosure import protect

SMALL = range(1, 5)


def is_small(value: Value, unit: str) -> bool:
    if value.value is None:
        return False
    if unit == "count":
        return round(value.value) in SMALL
    if unit == "rate_per_10k":
        return value.numerator is not None and round(value.numerator) in SMALL
    return value.denominator is not None and 0 < value.denominator < 5


def monthly_twin(kpi: Kpi, catalogue: Catalogue) -> Kpi | None:
    """The monthly count a year-to-date count is the running total of, if any."""
    if kpi.kind != "ytd" or kpi.unit != "count":
        return None
    for other in catalogue:
        if (
            other.kind == "flow"
            and other.unit == "count"
            and other.cohort == kpi.cohort
            and other.columns == kpi.columns
            and other.where == kpi.where
        ):
            return other
    return None


def suppressed_cells(values: dict[str, list[Value]], catalogue: Catalogue) -> set[tuple[str, str]]:
    """Every (kpi, month) the public edition must not show, primary and secondary: then,
    over every year to date shown with its months, complementary cells so that no month
    comes back from the year to date before or after it (`disclosure.protect`)."""
    hidden = {
        (v.kpi, v.period)
        for kpi_id, series in values.items()
        for v in series
        if is_small(v, catalogue.get(kpi_id).unit)
    }
    relations: list[tuple[tuple[str, str], ...]] = []
    for kpi_id, series in values.items():
        twin = monthly_twin(catalogue.get(kpi_id), catalogue)
        if twin is not None and twin.id in values:
            hidden |= {(kpi_id, v.period) for v in series if (twin.id, v.period) in hidden}
            relations += _year_to_date(kpi_id, twin.id, [v.period for v in series])
    shown = {(v.kpi, v.period): v.value or 0.0 for series in values.values() for v in series}
    return protect(shown, hidden, relations)


def _year_to_date(ytd: str, month: str, periods: list[str]) -> list[tuple[tuple[str, str], ...]]:
    """The year to date is the one before it plus its month; April's is its month."""
    found: list[tuple[tuple[str, str], ...]] = []
    for period in periods:
        day = Period.parse(period)
        if day.month == 4:
            found.append(((ytd, period), (month, period)))
        else:
            found.append(((ytd, str(day.shift(-1))), (month, period), (ytd, period)))
    return found

"""The 0-17 population behind every rate per 10,000: ONS mid-year estimates (via DfE).

The estimate for a month is the one for the middle of its financial year (April 2024 to
March 2025 uses mid-2024). Where that year is not published yet, the latest earlier one is
used; an authority with no estimate (the synthetic one) uses the configured population.
Every output states which figure it used.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

from scrutineer.calendar import Period


@dataclass(frozen=True)
class Population:
    count: int
    source: str  # e.g. "ONS mid-2024 estimate for E08000003" or "configured population"
    said: str = ""  # the same for a report's reader: no code or setting

    @property
    def in_words(self) -> str:
        return self.said or self.source


@cache
def _estimates() -> dict[str, dict[int, int]]:
    text = resources.files(__package__).joinpath("data/population_0_17.csv").read_text("utf-8")
    table: dict[str, dict[int, int]] = {}
    for row in csv.DictReader(text.splitlines()):
        if not row["population"].isdigit():  # suppressed or not available ("x", "z")
            continue
        for code in (row["code"], row["old_la_code"]):
            if code:
                table.setdefault(code, {})[int(row["year"])] = int(row["population"])
    return table


class Populations:
    def __init__(self, la_code: str, configured: int) -> None:
        self.la_code = la_code
        self.configured = configured

    def for_period(self, period: Period) -> Population:
        years = _estimates().get(self.la_code)
        if not years:
            return Population(
                self.configured,
                f"configured population ({self.la_code})",
                "0 to 17 population given for the authority (there is no ONS estimate for it)",
            )
        wanted = period.financial_year
        usable = [y for y in years if y <= wanted] or [min(years)]
        year = max(usable)
        return Population(
            years[year],
            f"ONS mid-{year} estimate for {self.la_code}",
            f"Office for National Statistics' mid-{year} estimate of the 0 to 17 population",
        )


@cache
def _old_numbers() -> dict[str, str]:
    text = resources.files(__package__).joinpath("data/population_0_17.csv").read_text("utf-8")
    return {
        row["code"]: row["old_la_code"]
        for row in csv.DictReader(text.splitlines())
        if row["old_la_code"]
    }


def old_la_number(code: str) -> str | None:
    """DfE's three-digit LA number for an ONS code (E06000045 -> 852), if known."""
    return _old_numbers().get(code)


@cache
def authority_names() -> dict[str, str]:
    """Every English authority's name by its ONS code, as the latest year names it."""
    text = resources.files(__package__).joinpath("data/population_0_17.csv").read_text("utf-8")
    rows = sorted(csv.DictReader(text.splitlines()), key=lambda r: r["year"])
    return {row["code"]: row["name"] for row in rows if row["level"] == "local authority"}

"""Working days, financial years and month periods.

Working days exclude weekends and England and Wales bank holidays. The holidays come from
the `holidays` package (maintained, computed for any year, including one-off days such as
the 2022 Platinum Jubilee, the 2022 State Funeral and the 2023 Coronation), so the calendar
never stops at the end of a hand-typed list.

Conventions used everywhere:
- `add_working_days(d, n)` is the date n working days after d (d itself is day 0), the way
  statutory timescales are counted: an assessment started on a Monday is within 45 working
  days if authorised on or before `add_working_days(start, 45)`.
- `working_days_between(a, b)` counts working days after a up to and including b.
- A financial year runs 1 April to 31 March and is named by the year it starts in.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

from scrutineer.errors import PeriodInvalid

HOLIDAY_COUNTRY = "GB"
HOLIDAY_SUBDIVISION = "ENG"  # England and Wales share the same bank holidays


_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_TIME_AFTER = re.compile(r"^([T ]\d{2}:\d{2}.*)?$")  # what may follow YYYY-MM-DD


def parse_day(text: str, iso_only: bool = False) -> date | None:
    """A day written YYYY-MM-DD (a time after it dropped) or, unless `iso_only` (a format
    that says YYYY-MM-DD, as the CIN census's XML does), DD/MM/YYYY as people in England
    write it; None if it is not one (or is empty). The one reading of a day that people or
    files give: each caller says what it expected in its own error."""
    text = text.strip()
    match = None if iso_only else _DAY_MONTH_YEAR.match(text)
    try:
        if match:
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        return date.fromisoformat(text[:10]) if _TIME_AFTER.match(text[10:]) else None
    except ValueError:
        return None


@lru_cache(maxsize=256)
def bank_holidays(year: int) -> dict[date, str]:
    """England and Wales bank holidays (including substitute days) in a calendar year."""
    table = holidays.country_holidays(HOLIDAY_COUNTRY, subdiv=HOLIDAY_SUBDIVISION, years=year)
    return {day: str(name) for day, name in sorted(table.items())}


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def add_working_days(day: date, n: int) -> date:
    """The date n working days after `day` (n < 0 goes back); `day` itself is day 0."""
    if n == 0:
        return day
    year = day.year
    days = _working_days_of(year)
    # index of the first working day after `day` (n > 0) or the last before it (n < 0)
    index = bisect_right(days, day) + n - 1 if n > 0 else bisect_left(days, day) + n
    while index >= len(days):
        index -= len(days)
        year += 1
        days = _working_days_of(year)
    while index < 0:
        year -= 1
        days = _working_days_of(year)
        index += len(days)
    return days[index]


@lru_cache(maxsize=512)
def _working_days_of(year: int) -> tuple[date, ...]:
    return tuple(d for d in _days(date(year, 1, 1), date(year, 12, 31)) if is_working_day(d))


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (negative if end < start)."""
    if end < start:
        return -working_days_between(end, start)
    return sum(1 for d in _days(start + timedelta(days=1), end) if is_working_day(d))


def _days(first: date, last: date) -> Iterator[date]:
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


def financial_year(day: date) -> int:
    """The financial year containing `day`, named by its starting year (2024 = 2024/25)."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_label(fy: int) -> str:
    return f"{fy}/{(fy + 1) % 100:02d}"


_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class Period:
    """A calendar month, the unit every indicator is reported by."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Period:
        match = _PERIOD.match(text.strip())
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise PeriodInvalid(text)
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: date) -> Period:
        return cls(day.year, day.month)

    @property
    def start(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    def next(self) -> Period:
        return self.shift(1)

    def shift(self, months: int) -> Period:
        index = self.year * 12 + (self.month - 1) + months
        return Period(index // 12, index % 12 + 1)

    @property
    def financial_year(self) -> int:
        return financial_year(self.start)

    @property
    def financial_year_start(self) -> date:
        return date(self.financial_year, 4, 1)

    def rolling12_start(self) -> date:
        """First day of the 12 months ending with this month."""
        return self.shift(-11).start

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def periods(first: Period, last: Period) -> list[Period]:
    """Every month from `first` to `last` inclusive."""
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    return [first.shift(i) for i in range(max(count, 0))]


@dataclass(frozen=True)
class CalendarDay:
    day: date
    is_working_day: bool
    working_day_number: int  # working days since the table's first day: differences count
    bank_holiday: str | None


def calendar_rows(first: date, last: date) -> list[CalendarDay]:
    """One row per day, for a `calendar` table that lets SQL count working days by subtraction."""
    rows: list[CalendarDay] = []
    number = 0
    for day in _days(first, last):
        working = is_working_day(day)
        number += working
        rows.append(CalendarDay(day, working, number, bank_holidays(day.year).get(day)))
    return rows

"""Working days, bank holidays, financial years and periods, worked out by hand."""

from datetime import date

import pytest

from scrutineer.calendar import (
    Period,
    add_working_days,
    bank_holidays,
    calendar_rows,
    financial_year,
    financial_year_label,
    is_working_day,
    parse_day,
    periods,
    working_days_between,
)
from scrutineer.errors import PeriodInvalid


@pytest.mark.parametrize(
    "day, name",
    [
        (date(2022, 6, 2), "Spring Bank Holiday"),  # moved from the last Monday of May
        (date(2022, 6, 3), "Platinum Jubilee"),  # one-off, 2022
        (date(2022, 9, 19), "State Funeral"),  # one-off, 2022
        (date(2023, 5, 8), "Coronation"),  # one-off, 2023
        (date(2024, 3, 29), "Good Friday"),  # Easter moves: 2024 in March...
        (date(2025, 4, 18), "Good Friday"),  # ...2025 in April
        (date(2022, 12, 27), "Christmas Day"),  # 25th fell on a Sunday: substitute day
        (date(2026, 12, 28), "Boxing Day"),  # 26th falls on a Saturday: substitute day
    ],
)
def test_bank_holidays_include_moving_and_one_off_days(day: date, name: str) -> None:
    assert name in bank_holidays(day.year)[day]
    assert not is_working_day(day)


def test_ordinary_days() -> None:
    assert is_working_day(date(2024, 2, 29))  # leap day, a Thursday
    assert not is_working_day(date(2024, 3, 2))  # Saturday
    assert not is_working_day(date(2024, 3, 3))  # Sunday
    assert date(2022, 5, 30) not in bank_holidays(2022)  # the usual day, moved in 2022


def test_every_year_has_eight_regular_bank_holidays() -> None:
    # England and Wales: New Year, Good Friday, Easter Monday, May Day, Spring, Summer,
    # Christmas, Boxing Day; substitute days add to the count, never subtract.
    for year in range(2015, 2031):
        assert len(bank_holidays(year)) >= 8, year


def test_add_working_days_skips_weekends_and_bank_holidays() -> None:
    # Thursday 1 June 2022 + 1 working day: Thu 2 and Fri 3 June are bank holidays,
    # then a weekend, so the answer is Monday 6 June.
    assert add_working_days(date(2022, 6, 1), 1) == date(2022, 6, 6)
    # Friday 24 Dec 2021 + 1: 25-26 weekend, 27-28 substitute holidays -> Wed 29 Dec.
    assert add_working_days(date(2021, 12, 24), 1) == date(2021, 12, 29)
    # From a Saturday, day 1 is the Monday.
    assert add_working_days(date(2024, 3, 2), 1) == date(2024, 3, 4)
    assert add_working_days(date(2024, 3, 4), 0) == date(2024, 3, 4)


def test_add_working_days_backwards_and_across_years() -> None:
    assert add_working_days(date(2022, 6, 6), -1) == date(2022, 6, 1)
    # Tue 2 Jan 2024 - 2 working days: 1 Jan holiday, 30-31 Dec weekend -> Thu 28 Dec 2023.
    assert add_working_days(date(2024, 1, 2), -2) == date(2023, 12, 28)
    # Fri 29 Dec 2023 + 2: 1 Jan holiday -> Tue 2 Jan, Wed 3 Jan.
    assert add_working_days(date(2023, 12, 29), 2) == date(2024, 1, 3)


def test_assessment_timescale_of_45_working_days() -> None:
    # Started Monday 3 April 2023. By hand: April has 17 working days after the 3rd (Good
    # Friday 7th and Easter Monday 10th excluded); May has 20 (May Day 1st, the Coronation
    # 8th and Spring 29th excluded): 37. June 1-2 and 5-9 make 44, so day 45 is Monday 12 June.
    due = add_working_days(date(2023, 4, 3), 45)
    assert due == date(2023, 6, 12)
    assert working_days_between(date(2023, 4, 3), due) == 45
    assert working_days_between(date(2023, 4, 3), date(2023, 6, 13)) == 46


def test_working_days_between_counts_after_start_up_to_end() -> None:
    assert working_days_between(date(2024, 3, 4), date(2024, 3, 4)) == 0
    assert working_days_between(date(2024, 3, 1), date(2024, 3, 4)) == 1  # Fri -> Mon
    assert working_days_between(date(2024, 3, 4), date(2024, 3, 1)) == -1


def test_financial_years_run_april_to_march() -> None:
    assert financial_year(date(2024, 3, 31)) == 2023
    assert financial_year(date(2024, 4, 1)) == 2024
    assert financial_year_label(2024) == "2024/25"
    assert financial_year_label(1999) == "1999/00"


def test_periods() -> None:
    feb = Period.parse("2024-02")
    assert (feb.start, feb.end) == (date(2024, 2, 1), date(2024, 2, 29))  # leap year
    assert Period.parse("2023-02").end == date(2023, 2, 28)
    assert Period.parse("2024-12").next() == Period(2025, 1)
    assert feb.shift(-2) == Period(2023, 12)
    assert feb.financial_year == 2023
    assert feb.financial_year_start == date(2023, 4, 1)
    assert feb.rolling12_start() == date(2023, 3, 1)
    assert str(Period(2025, 3)) == "2025-03"
    assert len(periods(Period(2023, 4), Period(2026, 3))) == 36
    assert periods(Period(2024, 5), Period(2024, 4)) == []


@pytest.mark.parametrize("text", ["2024-13", "2024-00", "24-01", "2024/01", "March 2024", ""])
def test_bad_periods_say_how_to_write_one(text: str) -> None:
    with pytest.raises(PeriodInvalid, match="YYYY-MM"):
        Period.parse(text)


def test_calendar_rows_number_working_days_so_differences_count_them() -> None:
    rows = {r.day: r for r in calendar_rows(date(2023, 4, 1), date(2023, 6, 30))}
    start, due = rows[date(2023, 4, 3)], rows[date(2023, 6, 12)]
    assert due.working_day_number - start.working_day_number == 45
    assert rows[date(2023, 5, 8)].bank_holiday is not None
    assert not rows[date(2023, 5, 8)].is_working_day
    # a non-working day carries the number of the working day before it
    assert rows[date(2023, 4, 8)].working_day_number == rows[date(2023, 4, 6)].working_day_number


def test_a_day_is_read_one_way_wherever_it_is_written() -> None:
    """The one reading of a day people and files give (QA records, targets, governance
    forms, the command line, the 903 reader; the CIN census ISO only)."""
    assert parse_day("2024-02-29") == parse_day(" 29/02/2024 ") == date(2024, 2, 29)
    assert parse_day("2024-03-01T09:30:00") == parse_day("1/3/2024") == date(2024, 3, 1)
    assert parse_day("2024-03-01 09:30") == date(2024, 3, 1)
    for wrong in ("", "29/02/2023", "2023-02-29", "31/04/2024", "03/31/2024", "2024-03-01x"):
        assert parse_day(wrong) is None, wrong
    assert parse_day("29/02/2024", iso_only=True) is None
    assert parse_day("2024-02-29", iso_only=True) == date(2024, 2, 29)

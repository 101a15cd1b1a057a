"""The population behind rates per 10,000: ONS mid-year 0-17 estimates, from DfE's file."""

from scrutineer.calendar import Period
from scrutineer.engine.population import Populations


def test_a_month_uses_the_mid_year_estimate_of_its_financial_year() -> None:
    north = Populations("E06000061", 1)  # North Northamptonshire (from 2021)
    # April 2023 to March 2024 is the 2023/24 year: mid-2023 estimate, 81,494
    assert north.for_period(Period(2024, 3)).count == 81_494
    assert north.for_period(Period(2024, 4)).count == 83_113  # mid-2024
    found = north.for_period(Period(2026, 1))  # not published yet: the latest, mid-2024
    assert (found.count, found.source) == (83_113, "ONS mid-2024 estimate for E06000061")


def test_old_codes_and_retired_authorities() -> None:
    # Cumbria (E10000006, old number 909) was abolished in 2023; its last estimate is 2022
    assert Populations("909", 1).for_period(Period(2022, 6)).count == 90_547
    assert Populations("E10000006", 1).for_period(Period(2025, 6)).count == 90_547


def test_the_synthetic_authority_uses_the_configured_population() -> None:
    found = Populations("E99000000", 51_800).for_period(Period(2025, 6))
    assert (found.count, found.source) == (51_800, "configured population (E99000000)")

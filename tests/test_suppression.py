"""Small numbers in the public edition: primary and secondary suppression."""

from __future__ import annotations

from scrutineer.catalogue.load import load_catalogue
from scrutineer.engine.compute import Value
from scrutineer.outputs.report.suppression import is_small, monthly_twin, suppressed_cells


def value(kpi: str, period: str, v: float, numerator: float, denominator: float | None) -> Value:
    return Value(kpi, period, v, numerator, denominator)


def test_primary_suppression_by_unit() -> None:
    assert [is_small(value("c", "2026-03", n, n, None), "count") for n in (0, 1, 4, 5)] == [
        False,
        True,
        True,
        False,
    ]  # a zero is published; 1 to 4 are not
    # a rate gives its count back (rate x population / 10,000): suppressed by its numerator
    assert is_small(value("r", "2026-03", 0.77, 4, 51_800), "rate_per_10k")
    assert not is_small(value("r", "2026-03", 0.97, 5, 51_800), "rate_per_10k")
    # a percentage from fewer than 5 children, however large the numerator
    assert is_small(value("p", "2026-03", 75.0, 3, 4), "percent")
    assert not is_small(value("p", "2026-03", 20.0, 1, 5), "percent")


def test_a_year_to_date_count_hides_the_month_it_would_reveal() -> None:
    catalogue = load_catalogue()
    assert monthly_twin(catalogue.get("contacts_ytd"), catalogue) == catalogue.get("contacts")
    assert monthly_twin(catalogue.get("referrals_ytd"), catalogue) == catalogue.get("referrals")
    assert monthly_twin(catalogue.get("contacts"), catalogue) is None
    values = {
        "contacts": [
            value("contacts", "2025-04", 10, 10, None),
            value("contacts", "2025-05", 3, 3, None),
        ],
        "contacts_ytd": [
            value("contacts_ytd", "2025-04", 10, 10, None),
            value("contacts_ytd", "2025-05", 13, 13, None),
        ],
    }
    # May's 3 is suppressed; May's year to date (13) less April's (10) would show it
    assert suppressed_cells(values, catalogue) == {
        ("contacts", "2025-05"),
        ("contacts_ytd", "2025-05"),
    }


def test_a_hidden_year_to_date_does_not_come_back_from_the_month_after() -> None:
    """April 10, May 3 (small), June 8 contacts: May and its year to date are hidden, but
    June's year to date (21) less June (8) gave May's (13) back, and May with it. Now the
    smallest of June's pair is hidden too, and the months cannot be solved for."""
    catalogue = load_catalogue()
    months = {"2025-04": 10, "2025-05": 3, "2025-06": 8}
    totals = {"2025-04": 10, "2025-05": 13, "2025-06": 21}
    values = {
        "contacts": [value("contacts", p, n, n, None) for p, n in months.items()],
        "contacts_ytd": [value("contacts_ytd", p, n, n, None) for p, n in totals.items()],
    }
    hidden = suppressed_cells(values, catalogue)
    assert hidden == {
        ("contacts", "2025-05"),
        ("contacts_ytd", "2025-05"),
        ("contacts", "2025-06"),  # 8 < 21
    }
    # solved by an attacker: May and June's months are known only to add up to 11
    shown_june_ytd, shown_april = totals["2025-06"], months["2025-04"]
    answers = {
        (may, june)
        for may in range(22)
        for june in range(22)
        if shown_april + may + june == shown_june_ytd
    }
    assert len(answers) > 1

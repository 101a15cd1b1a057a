"""Small numbers hidden from councillors and the public (outputs/suppression.py): primary,
complementary across the authority, its services and teams, and sums over months. Each case
is worked by hand and then attacked: the hidden cells are solved for from what is shown, as
the arithmetic of the table allows, and none may come out at one value."""

from __future__ import annotations

import itertools

import pytest

from scrutineer.catalogue.load import load_catalogue
from scrutineer.catalogue.model import Catalogue, Level
from scrutineer.engine.compute import Value
from scrutineer.outputs.suppression import Suppressed, is_small, monthly_twin, suppress

SERVICE = {"S1": "Safeguarding", "S2": "Children in care"}


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def value(kpi: str, period: str, v: float, numerator: float, denominator: float | None) -> Value:
    return Value(kpi, period, v, numerator, denominator)


def at(level: str, group: str, kpi: str, period: str, n: float, d: float | None = None) -> Value:
    """A value of a service (group S1) or team (S1-A: team A of S1); a count when `d` is
    None, else a percentage n of d."""
    service = group.split("-")[0]
    ids: tuple[tuple[str, str | None], ...] = (("service_id", service), ("service", service))
    if level == "team":
        ids += (("team_id", group), ("team", group))
    shown = n if d is None else 100 * n / d
    return Value(kpi, period, shown, n, d, group=ids)


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


def test_the_monthly_counts_a_sum_over_months_adds_up(catalogue: Catalogue) -> None:
    twin = {k.id: monthly_twin(catalogue.get(k.id), catalogue) for k in catalogue}
    assert twin["contacts_ytd"] == twin["contacts_rate_r12"] == catalogue.get("contacts")
    assert twin["referrals_rate_r12"] == twin["rereferrals_pct"] == catalogue.get("referrals")
    assert twin["s47_rate_r12"] == catalogue.get("s47_started")
    assert twin["contacts"] is None  # a month is not a sum of months
    assert twin["icpc_rate_r12"] is None  # counts transfer-in conferences; no month does


def test_a_year_to_date_is_hidden_from_its_hidden_month_on(catalogue: Catalogue) -> None:
    """April 10, May 3 (small), June 8 contacts. May's year to date (13) less April's (10)
    gives May back, and June's (21) less June's month and April's too: both are hidden."""
    months = {"2025-04": 10, "2025-05": 3, "2025-06": 8}
    totals = {"2025-04": 10, "2025-05": 13, "2025-06": 21}
    values = [value("contacts", p, n, n, None) for p, n in months.items()]
    values += [value("contacts_ytd", p, n, n, None) for p, n in totals.items()]
    hidden = suppress({"authority": values}, catalogue).authority()
    assert hidden == {
        ("contacts", "2025-05"),
        ("contacts_ytd", "2025-05"),
        ("contacts_ytd", "2025-06"),
    }
    # solved: April's 10 and June's 8 are shown; May and the two years to date are not
    answers = {
        (may, ytd_may, ytd_june)
        for may, ytd_may, ytd_june in itertools.product(range(40), repeat=3)
        if ytd_may == 10 + may and ytd_june == ytd_may + 8
    }
    assert len({a[0] for a in answers}) > 1


def test_a_rolling_year_is_hidden_for_the_twelve_windows_holding_a_hidden_month(
    catalogue: Catalogue,
) -> None:
    """20 contacts a month from April 2024 to March 2026, but 2 in June 2025. Two rolling
    12-month numbers either side of June less May 2024's month gave June back exactly (the
    demo's seven). The rolling rate is hidden for June 2025 to May 2026: the windows that
    hold June; here the series ends in March 2026, so June 2025 to March 2026. A
    population of 10,000 makes the rate its count."""
    periods = [f"{y}-{m:02d}" for y, m in itertools.product((2024, 2025, 2026), range(1, 13))]
    periods = periods[periods.index("2024-04") : periods.index("2026-03") + 1]
    counts = {p: (2 if p == "2025-06" else 20) for p in periods}
    values = [value("contacts", p, n, n, None) for p, n in counts.items()]
    for i, p in enumerate(periods[11:], start=11):
        total = sum(counts[q] for q in periods[i - 11 : i + 1])
        values.append(value("contacts_rate_r12", p, total, total, 10_000))
    hidden = suppress({"authority": values}, catalogue).authority()
    rolling = sorted(month for kpi, month in hidden if kpi == "contacts_rate_r12")
    assert rolling == periods[periods.index("2025-06") :]
    assert ("contacts", "2025-06") in hidden and len(hidden) == 1 + len(rolling)
    # May 2025's window (shown) and March 2026's (hidden) hold June 2025 either way: with
    # every rolling number from June hidden, June's month is one unknown in ten unknown sums


def services_and_teams(
    kpi: str, teams: dict[str, tuple[float, float | None]], into: dict[Level, list[Value]]
) -> dict[Level, list[Value]]:
    """An authority's services and teams for March 2026, the services the sums of teams."""
    for service in SERVICE:
        mine = {t: nd for t, nd in teams.items() if t.startswith(service)}
        n = sum(nd[0] for nd in mine.values())
        dens = [nd[1] for nd in mine.values()]
        d = None if None in dens else sum(x for x in dens if x is not None)
        into.setdefault("service", []).append(at("service", service, kpi, "2026-03", n, d))
        into.setdefault("team", []).extend(
            at("team", t, kpi, "2026-03", *nd) for t, nd in mine.items()
        )
    return into


def hidden_at(s: Suppressed, level: str) -> set[str]:
    return {group for _, lv, group, _ in s.cells if lv == level}


def test_a_hidden_team_takes_the_next_smallest_beside_it(catalogue: Catalogue) -> None:
    """Team A: 3 of 4 seen in time (hidden); B 9 of 10; C 18 of 20; S2's team D 30 of 31.
    S1 is A + B + C and shown, so B, the next smallest, goes too; S2 is untouched."""
    teams: dict[str, tuple[float, float | None]]
    teams = {"S1-A": (3.0, 4.0), "S1-B": (9.0, 10.0), "S1-C": (18.0, 20.0), "S2-D": (30, 31)}
    found = suppress(services_and_teams("cp_visits_10wd_pct", teams, {}), catalogue)
    assert hidden_at(found, "team") == {"S1-A", "S1-B"} and not hidden_at(found, "service")
    # solved from S1's 30 of 34 and C's 18 of 20: A and B seen in time add up to 12 only
    assert len({a for a in range(35) for b in range(35) if a + b == 12}) > 1


def test_a_service_of_one_team_hides_another_service_and_one_of_its_teams(
    catalogue: Catalogue,
) -> None:
    """S1's only team A has 2 contacts: S1 is A, so S1 is hidden too; then the authority
    (shown) less S2 would give S1 back, so S2 goes, and with S2 hidden alone among its teams
    (D 40, E 25), its smaller team E. Solved: S1 + S2 = 67 and D + E = S2, nothing alone."""
    teams: dict[str, tuple[float, float | None]] = {
        "S1-A": (2, None),
        "S2-D": (40, None),
        "S2-E": (25, None),
    }
    values = services_and_teams("contacts", teams, {"authority": []})
    values["authority"].append(value("contacts", "2026-03", 67, 67, None))
    found = suppress(values, catalogue)
    assert hidden_at(found, "team") == {"S1-A", "S2-E"}
    assert hidden_at(found, "service") == {"S1", "S2"} and not hidden_at(found, "authority")
    answers = {
        (a, e)
        for a, e in itertools.product(range(68), repeat=2)
        if a + 40 + e == 67  # the authority; S1 = A and S2 = D + E, both unknown
    }
    assert len(answers) > 1 and len({x[0] for x in answers}) > 1


def test_indicators_over_the_same_units_hide_the_same_cells(catalogue: Catalogue) -> None:
    """The children on a plan of a team are the count `cpp_open` and the denominator of the
    share visited in time: a count hidden under one name must not be shown as the other's
    denominator. Team A has 3 children (hidden under both), B 6, C 7: B goes under both,
    decided once for the children on plans, whatever the visits."""
    counts = {"S1-A": 3.0, "S1-B": 6.0, "S1-C": 7.0, "S2-D": 40.0}
    values = services_and_teams("cpp_open", {t: (n, None) for t, n in counts.items()}, {})
    seen = {"S1-A": 3.0, "S1-B": 2.0, "S1-C": 7.0, "S2-D": 1.0}
    services_and_teams("cp_visits_10wd_pct", {t: (seen[t], n) for t, n in counts.items()}, values)
    found = suppress(values, catalogue)
    for kpi in ("cpp_open", "cp_visits_10wd_pct"):
        assert {g for k, _, g, _ in found.cells if k == kpi} == {"S1-A", "S1-B"}, kpi

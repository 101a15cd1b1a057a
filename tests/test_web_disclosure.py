"""Everything a councillor sees, attacked (issue 18): every month they can pick of an
indicator family, its authority series and its service and team tables, read from the
dashboard's JSON as a panel member, then solved for the cells shown `*` with all the
arithmetic that ties them (the authority the sum of its services and a service of its
teams, a year to date and a rolling year the sums of their months, two indicators over the
same children equal). No hidden cell may come out at one value. The solver is this file's
own (elimination modulo a prime), not the one the product hides cells with."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from scrutineer.calendar import Period
from scrutineer.engine.session import open_session
from scrutineer.outputs.suppression import suppress_snapshot
from scrutineer.outputs.web.routes import create_app
from tests.support.web import WebData, sign_in

PRIME = 2**61 - 1
# the families attacked: monthly counts with their sums over months, and the shares over
# the same children as a count
MONTHLY = {  # a monthly count: the sums of its months (the part of each that is the sum)
    "contacts": (("contacts_ytd", "numerator"), ("contacts_rate_r12", "numerator")),
    "s47_started": (("s47_rate_r12", "numerator"),),
    "referrals": (
        ("referrals_ytd", "numerator"),
        ("referrals_rate_r12", "numerator"),
        ("rereferrals_pct", "denominator"),  # re-referrals of the year's referrals
    ),
}
SAME_CHILDREN = [  # a count, and the indicators over the same children (the part it is)
    ("cpp_open", "cp_visits_10wd_pct", "denominator"),
    ("cpp_open", "cpp_rate", "numerator"),
    ("cla_open", "cla_visits_6wk_pct", "denominator"),
    ("cla_open", "cla_rate", "numerator"),
]
KPIS = [*MONTHLY, *(kpi for sums in MONTHLY.values() for kpi, _ in sums)]
KPIS += list(dict.fromkeys(k for pair in SAME_CHILDREN for k in pair[:2]))
Var = tuple[str, str, str, str, str]  # (kpi, level, group, month, numerator|denominator)


@pytest.fixture(scope="module")
def panel(web_data: WebData) -> Iterator[TestClient]:
    app: Any = create_app(web_data.settings, web_data.records)
    yield sign_in(app, "panel", web_data.passwords["panel"])


def seen_by(panel: TestClient) -> tuple[dict[Var, bool], dict[str, str], list[str]]:
    """Every cell the panel member is shown of KPIS, hidden (True) or not; each team's
    service; the months they can pick."""
    cells: dict[Var, bool] = {}
    parents: dict[str, str] = {}
    periods = panel.get("/api/overview").json()["periods"]
    for kpi in KPIS:
        for period in periods:
            page = panel.get(f"/api/indicators/{kpi}?period={period}").json()
            for v in page["series"]:
                mark(cells, (kpi, "authority", "", v["period"]), v["shown"] == "*")
            for service in page["breakdown"]["rows"]:
                mark(cells, (kpi, "service", str(service["id"]), period), service["shown"] == "*")
                url = f"/api/indicators/{kpi}?period={period}&service={service['id']}"
                for team in panel.get(url).json()["breakdown"]["rows"]:
                    parents[str(team["id"])] = str(service["id"])
                    mark(cells, (kpi, "team", str(team["id"]), period), team["shown"] == "*")
    return cells, parents, periods


def mark(cells: dict[Var, bool], cell: tuple[str, str, str, str], hidden: bool) -> None:
    for part in ("numerator", "denominator"):
        key = (*cell, part)
        assert cells.get(key, hidden) == hidden, f"{cell} hidden on one page, shown on another"
        cells[key] = hidden


def equations(cells: dict[Var, bool], parents: dict[str, str]) -> Iterator[dict[Var, int]]:
    """What ties the cells, each as coefficients adding to a known number."""
    keys = {k[:4] for k in cells}
    yield from levels(keys, parents)
    yield from months(keys)
    for count, share, part in SAME_CHILDREN:  # the same children under two names
        for kpi, level, group, month in keys:
            if kpi == count:
                yield {
                    (kpi, level, group, month, "numerator"): 1,
                    (share, level, group, month, part): -1,
                }


def levels(
    keys: set[tuple[str, str, str, str]], parents: dict[str, str]
) -> Iterator[dict[Var, int]]:
    """The authority is the sum of its services, a service of its teams."""
    below: dict[tuple[str, str, str], list[tuple[str, str, str, str]]] = {}
    for kpi, level, group, month in keys:
        if level == "service":
            below.setdefault((kpi, "", month), []).append((kpi, level, group, month))
        elif level == "team":
            below.setdefault((kpi, parents[group], month), []).append((kpi, level, group, month))
    for kpi, level, group, month in keys:
        parts = below.get((kpi, group, month)) if level != "team" else None
        for part in ("numerator", "denominator") if parts else ():
            yield {(kpi, level, group, month, part): -1} | {(*k, part): 1 for k in parts or ()}


def months(keys: set[tuple[str, str, str, str]]) -> Iterator[dict[Var, int]]:
    """A year to date adds its year's months up to it; a rolling year its last 12."""
    for kpi, level, group, month in keys:
        found = [(m, part) for m, sums in MONTHLY.items() for k, part in sums if k == kpi]
        if not found:
            continue
        monthly, part = found[0]
        end = Period.parse(month)
        n = (end.month - 4) % 12 + 1 if kpi.endswith("_ytd") else 12
        terms = {(kpi, level, group, month, part): -1}
        for i in range(n):
            terms[(monthly, level, group, str(end.shift(-i)), "numerator")] = 1
        yield terms


def solved(shown: set[Var], hidden: set[Var], rows: Iterator[dict[Var, int]]) -> set[Var]:
    """The hidden cells the equations fix: reduced row echelon form modulo a prime over the
    cells not shown (hidden, or never shown: a team's month before those one can pick), a
    row holding one hidden cell alone."""
    pivots: dict[Var, dict[Var, int]] = {}
    for terms in rows:
        row = {k: c % PRIME for k, c in terms.items() if k not in shown and c % PRIME}
        for var in [v for v in row if v in pivots]:
            factor = row.get(var, 0)
            for k, c in pivots[var].items():
                row[k] = (row.get(k, 0) - factor * c) % PRIME
            row = {k: c for k, c in row.items() if c}
        if not row:
            continue
        var = min(row)
        inverse = pow(row[var], PRIME - 2, PRIME)
        row = {k: c * inverse % PRIME for k, c in row.items()}
        for other in pivots.values():
            if var in other:
                factor = other[var]
                for k, c in row.items():
                    other[k] = (other.get(k, 0) - factor * c) % PRIME
                for k in [k for k, c in other.items() if not c]:
                    del other[k]
        pivots[var] = row
    return {var for var, row in pivots.items() if len(row) == 1 and var in hidden}


def test_nothing_a_councillor_is_shown_gives_a_hidden_figure_back(
    panel: TestClient, web_data: WebData
) -> None:
    cells, parents, periods = seen_by(panel)
    hidden = {k for k, h in cells.items() if h}
    assert len({k[:4] for k in hidden}) > 100  # a small authority: many small teams
    assert any(k[1] == "service" for k in hidden) and any(
        k[0] == "contacts_rate_r12" for k in hidden
    )
    shown = {k for k, h in cells.items() if not h}
    assert not solved(shown, hidden, equations(cells, parents))
    # the attack finds what the rules of old left open: one hidden team alone shown beside
    # its service would be solved (the check is not blind)
    some = next(k for k in hidden if k[1] == "team")
    alone = {k for k in hidden if k[:4] != some[:4] and not (k[0] == some[0] and k[3] == some[3])}
    assert solved(shown | (hidden - alone - {some}), alone | {some}, equations(cells, parents))

    # the public report hides, of the authority, what the dashboard hides
    session = open_session(web_data.settings)
    try:
        report = suppress_snapshot(session.engine, session.latest_period).authority()
    finally:
        session.close()
    dashboard = {(k[0], k[3]) for k in hidden if k[1] == "authority"}
    published = {(k[0], k[3]) for k in cells if k[1] == "authority"}
    assert dashboard == report & published

"""Exception lists: the children in an indicator's denominator who miss it.

Read from the same attributed units as the figures, so a list always has exactly as many
children as the figure's denominator less its numerator (or its numerator, for an
indicator where being counted is the bad outcome, such as re-referrals).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from scrutineer.calendar import Period
from scrutineer.catalogue.model import Kpi
from scrutineer.catalogue.query import GROUP_COLUMNS, WINDOW_START, by_month
from scrutineer.engine.compute import Engine
from scrutineer.errors import ScrutineerError


class NoExceptionList(ScrutineerError):
    def __init__(self, kpi: Kpi) -> None:
        super().__init__(
            f"{kpi.id} has no exception list (KPIS.csv marks which indicators have one). "
            "Run `scrutineer kpis` to see them."
        )


@dataclass(frozen=True)
class ExceptionRow:
    kpi: str
    period: str
    person_id: str | None
    name: str | None
    age: int | None
    service: str
    team: str
    worker: str
    dates: tuple[tuple[str, object], ...]  # the dates (and facts) that matter, by name
    due: date | None
    days_overdue: int | None

    def as_dict(self) -> dict[str, object]:
        return {
            "kpi": self.kpi,
            "period": self.period,
            "person_id": self.person_id,
            "name": self.name,
            "age": self.age,
            "service": self.service,
            "team": self.team,
            "worker": self.worker,
            **dict(self.dates),
            "due": self.due,
            "days_overdue": self.days_overdue,
        }


def _tie_break(shown: int) -> str:
    """After most overdue, name and id, every other column in turn: a child listed twice
    (two visits late) comes in the same order each time the list is made."""
    return ", ".join(str(n) for n in (8, 1, 4, 5, 6, 7, *range(10, 10 + shown)))


def exception_list(
    engine: Engine, kpi: Kpi, period: Period, service: str | None = None, team: str | None = None
) -> list[ExceptionRow]:
    """The children who miss `kpi` in `period`, most overdue first."""
    if kpi.exceptions is None:
        raise NoExceptionList(kpi)
    if not engine.has_data(kpi):  # no data: no child to list, not every child
        return []
    rule = kpi.exceptions
    table = engine.units_for(kpi, period)
    shown = "".join(f", u.{name} AS {name}" for name in rule.show)
    due = f"CAST({rule.due} AS DATE)" if rule.due else "CAST(NULL AS DATE)"
    condition = "NOT u.counted" if rule.when == "missed" else "u.counted"
    until = f"CAST({rule.until} AS DATE)" if rule.until else "u.ref_date"
    overdue = (
        f"wdn({until}) - wdn(d._due)"
        if rule.days == "working"
        else f"date_diff('day', d._due, {until})"
    )
    window = _window(kpi, engine, period)
    filters, params = _filters(service, team)
    rows = engine.con.execute(
        f"SELECT u.period, u.person_id, trim(concat_ws(' ', pe.pers_forename, pe.pers_surname)),"
        f" age(pe.pers_dob, u.ref_date), {GROUP_COLUMNS['service']}, {GROUP_COLUMNS['team']},"
        f" {GROUP_COLUMNS['worker']}, d._due, {overdue}{shown}\n"
        f"FROM {table} AS u CROSS JOIN LATERAL (SELECT {due} AS _due) AS d\n"
        "LEFT JOIN ssd_person AS pe ON pe.pers_person_id = u.person_id\n"
        "LEFT JOIN teams AS t ON t.team_id = u._team_id\n"
        "LEFT JOIN workers AS w ON w.worker_id = u._worker_id\n"
        f"WHERE {condition} AND {window}{filters}\n"
        f"ORDER BY 9 DESC NULLS LAST, 3, 2, {_tie_break(len(rule.show))}",
        params,
    ).fetchall()
    return [
        ExceptionRow(
            kpi.id,
            str(period),
            r[1],
            r[2] or None,
            r[3],
            r[4],
            r[5],
            r[6],
            tuple(zip(rule.show, r[9:], strict=True)),
            r[7],
            r[8],
        )
        for r in rows
    ]


def _window(kpi: Kpi, engine: Engine, period: Period) -> str:
    if not by_month(kpi, engine.catalogue):
        return f"u.period = '{period}'"
    start = engine.con.execute(
        f"SELECT strftime(CAST({WINDOW_START[kpi.kind]} AS DATE), '%Y-%m') "
        f"FROM (SELECT DATE '{period.start}' AS m)"
    ).fetchone()
    return f"u.period BETWEEN '{start[0] if start else period}' AND '{period}'"


def _filters(service: str | None, team: str | None) -> tuple[str, list[str]]:
    filters, params = "", []
    if service:
        filters += " AND (t.service_id = ? OR t.service = ?)"
        params += [service, service]
    if team:
        filters += " AND (u._team_id = ? OR t.team = ?)"
        params += [team, team]
    return filters, params

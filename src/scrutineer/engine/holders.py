"""Who held a child's case on a day, for pages that show records beside the figures (a
child's audits and alerts with the team holding the case on each day): by the rule every
figure and exception list is attributed by (`catalogue.language.holds_case_on` and
`HOLDER_FIRST`), so a child is in the same team on a QA page as in the figures."""

from __future__ import annotations

from datetime import date

import duckdb

from scrutineer.catalogue import language

Holding = dict[tuple[str, date], tuple[str, str]]  # (child, day) -> (team, service id)


def teams_holding(con: duckdb.DuckDBPyConnection, pairs: list[tuple[str, date]]) -> Holding:
    """The team and service id holding each (child, day)'s case; a pair no allocation holds,
    or held by a team the extract does not name, is left out."""
    if not pairs:
        return {}
    cursor = con.cursor()  # its own temporary views: safe beside other threads
    try:
        language.install(cursor)
        rows = cursor.execute(
            "WITH q AS (SELECT unnest(?::VARCHAR[]) AS person_id, unnest(?::DATE[]) AS d),\n"
            "held AS (SELECT q.person_id, q.d, a.team_id FROM q JOIN allocations AS a\n"
            f"  ON a.person_id = q.person_id AND {language.holds_case_on('q.d')}\n"
            "  QUALIFY row_number() OVER (PARTITION BY q.person_id, q.d\n"
            f"    ORDER BY {language.HOLDER_FIRST}) = 1)\n"
            "SELECT h.person_id, h.d, t.team, t.service_id FROM held AS h\n"
            "JOIN teams AS t ON t.team_id = h.team_id",
            [[p for p, _ in pairs], [d for _, d in pairs]],
        ).fetchall()
    finally:
        cursor.close()
    return {(str(p), d): (str(team), str(service)) for p, d, team, service in rows}

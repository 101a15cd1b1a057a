"""Who held a child's case on a day, for pages that show records beside the figures (a
child's audits and alerts with the team holding the case on each day): by the rule every
figure and exception list is attributed by (`catalogue.language.holds_case_on` and
`HOLDER_FIRST`), so a child is in the same team on a QA page as in the figures."""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class ChildNow:
    """A child as the extract has them on a day: who they are, who holds the case, and the
    episodes open then (each with the day it began)."""

    name: str | None
    age: int | None  # in whole years on the day, as every figure counts it (language.age)
    worker: str | None
    team: str | None
    in_need_since: date | None  # the open referral (CIN episode)
    plan_since: date | None  # the open child protection plan
    looked_after_since: date | None  # the open period of care


def child_now(con: duckdb.DuckDBPyConnection, person_id: str, day: date) -> ChildNow | None:
    """The child on `day` (None if the extract does not hold them); the worker and team by
    the rule every figure is attributed by."""
    cursor = con.cursor()
    try:
        language.install(cursor)
        found = cursor.execute(
            "WITH holder AS (SELECT a.worker_id, a.team_id FROM allocations AS a\n"
            f"  WHERE a.person_id = $p AND {language.holds_case_on('$d')}\n"
            f"  ORDER BY {language.HOLDER_FIRST} LIMIT 1)\n"
            "SELECT trim(concat_ws(' ', p.pers_forename, p.pers_surname)), age(p.pers_dob, $d),\n"
            " (SELECT w.worker FROM holder LEFT JOIN workers AS w USING (worker_id)),\n"
            " (SELECT t.team FROM holder LEFT JOIN teams AS t USING (team_id)),\n"
            " (SELECT max(cine_referral_date) FROM ssd_cin_episodes WHERE cine_person_id = $p\n"
            "  AND cine_referral_date <= $d\n"
            "  AND (cine_close_date IS NULL OR cine_close_date > $d)),\n"
            " (SELECT max(cppl_cp_plan_start_date) FROM ssd_cp_plans WHERE cppl_person_id = $p\n"
            "  AND cppl_cp_plan_start_date <= $d\n"
            "  AND (cppl_cp_plan_end_date IS NULL OR cppl_cp_plan_end_date > $d)),\n"
            " (SELECT max(clae_cla_episode_start_date) FROM ssd_cla_episodes\n"
            "  WHERE clae_person_id = $p AND clae_cla_episode_start_date <= $d\n"
            "  AND (clae_cla_episode_ceased_date IS NULL OR clae_cla_episode_ceased_date > $d))\n"
            "FROM ssd_person AS p WHERE p.pers_person_id = $p",
            {"p": person_id, "d": day},
        ).fetchone()
    finally:
        cursor.close()
    if found is None:
        return None
    name, age, worker, team, referral, plan, care = found
    return ChildNow(name or None, age, worker, team, referral, plan, care)

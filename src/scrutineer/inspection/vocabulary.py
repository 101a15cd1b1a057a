"""The SQL the Annex A lists may use beyond the catalogue's language (catalogue.language).

- `annex_value(vocabulary, code)`: the value Annex A writes for a code (values.yaml).
- `annex_children`: one row per child with the columns every list begins with, as on the
  as-at date (`person_id, gender, ethnicity, dob, age, disabled`): made for each run.
- `team_on(person, d)`, `worker_on(person, d)`: the team and worker holding the case on day
  d by the rule every figure uses, or, if no one holds it then, who held it last.
- `looked_after_on(person, d)`, `on_cp_plan_on(person, d)`: whether the child was looked
  after, or on a protection plan (not one held for another authority), on day d.
- `visits_seen`: every visit at which the child was seen (`person_id, visit_date`), of
  children in need, on protection plans and looked after.
- `year_before(d)`: the day 12 months before d ("in the 12 months up to d" is after it).
- `on_or_before(x, d)`: the date x if it is on or before d (a later one is not yet made).
- `authority_name(code)`: an English authority's name from its ONS code.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import duckdb
import yaml

from scrutineer.catalogue.language import HOLDER_FIRST, holds_case_on
from scrutineer.engine.population import authority_names
from scrutineer.extract.contract import load_contract


def _holder(column: str) -> str:
    return (
        f"SELECT {column} FROM allocations AS a LEFT JOIN teams AS t ON t.team_id = a.team_id "
        "LEFT JOIN workers AS w ON w.worker_id = a.worker_id "
        "WHERE a.person_id = person_ AND a.a_start <= day_ "
        f"ORDER BY CASE WHEN {holds_case_on('day_')} THEN 0 ELSE 1 END, {HOLDER_FIRST} LIMIT 1"
    )


MACROS = (
    "CREATE OR REPLACE TEMP MACRO annex_value(vocabulary_, code_) AS coalesce("
    "(SELECT v.label FROM annex_values AS v WHERE v.vocabulary = vocabulary_ "
    "AND v.code = CAST(code_ AS VARCHAR)), "
    "(SELECT o.label FROM annex_otherwise AS o WHERE o.vocabulary = vocabulary_))",
    "CREATE OR REPLACE TEMP MACRO year_before(d_) AS CAST(d_ - INTERVAL 12 MONTH AS DATE)",
    "CREATE OR REPLACE TEMP MACRO on_or_before(x_, d_) AS CASE WHEN x_ <= d_ THEN x_ END",
    "CREATE OR REPLACE TEMP MACRO authority_name(code_) AS "
    "(SELECT n.name FROM annex_authorities AS n WHERE n.code = code_)",
    f"CREATE OR REPLACE TEMP MACRO team_on(person_, day_) AS ({_holder('t.team')})",
    f"CREATE OR REPLACE TEMP MACRO worker_on(person_, day_) AS ({_holder('w.worker')})",
    "CREATE OR REPLACE TEMP MACRO looked_after_on(person_, day_) AS EXISTS (SELECT 1 "
    "FROM ssd_cla_episodes AS e WHERE e.clae_person_id = person_ "
    "AND e.clae_cla_episode_start_date <= day_ "
    "AND (e.clae_cla_episode_ceased_date IS NULL OR e.clae_cla_episode_ceased_date > day_))",
    "CREATE OR REPLACE TEMP MACRO on_cp_plan_on(person_, day_) AS EXISTS (SELECT 1 "
    "FROM ssd_cp_plans AS p WHERE p.cppl_person_id = person_ "
    "AND p.cppl_cp_plan_start_date <= day_ AND coalesce(p.cppl_cp_plan_ola, 'N') <> 'Y' "
    "AND (p.cppl_cp_plan_end_date IS NULL OR p.cppl_cp_plan_end_date > day_))",
)
VIEWS = (
    "CREATE OR REPLACE TEMP VIEW visits_seen AS "
    "SELECT cinv_person_id AS person_id, cinv_cin_visit_date AS visit_date "
    "FROM ssd_cin_visits WHERE cinv_cin_visit_seen = 'Y' UNION ALL "
    "SELECT cppv_person_id, cppv_cp_visit_date FROM ssd_cp_visits WHERE cppv_cp_visit_seen = 'Y' "
    "UNION ALL SELECT clav_person_id, clav_cla_visit_date FROM ssd_cla_visits "
    "WHERE clav_cla_visit_seen = 'Y'",
)
CHILDREN = (  # $end: the as-at date
    "CREATE OR REPLACE TEMP TABLE annex_children AS "
    "SELECT p.pers_person_id AS person_id, annex_value('gender', p.pers_sex) AS gender, "
    "annex_value('ethnicity', p.pers_ethnicity) AS ethnicity, p.pers_dob AS dob, "
    "CASE WHEN p.pers_dob <= $end THEN age(p.pers_dob, $end) END AS age, "
    "CASE WHEN bool_or(d.disa_disability_code <> 'NONE') THEN 'a) Yes' "
    "WHEN count(d.disa_person_id) > 0 THEN 'b) No' ELSE 'c) Unknown' END AS disabled "
    "FROM ssd_person AS p LEFT JOIN ssd_disability AS d ON d.disa_person_id = p.pers_person_id "
    "GROUP BY ALL"
)


@cache
def vocabularies() -> dict[str, Any]:
    """values.yaml: vocabulary -> {values: {code: Annex A value}, otherwise: value or None}."""
    text = resources.files(__package__).joinpath("values.yaml").read_text("utf-8")
    return dict(yaml.safe_load(text))


def install(con: duckdb.DuckDBPyConnection, as_at: date) -> None:
    """The vocabulary on a connection that already has the catalogue's language, with the
    children as they were on `as_at`."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE annex_values "
        "(vocabulary VARCHAR, code VARCHAR, label VARCHAR)"
    )
    con.execute("CREATE OR REPLACE TEMP TABLE annex_otherwise (vocabulary VARCHAR, label VARCHAR)")
    con.execute("CREATE OR REPLACE TEMP TABLE annex_authorities (code VARCHAR, name VARCHAR)")
    found = vocabularies()
    values = [
        [name, str(code), str(label)]
        for name, spec in found.items()
        for code, label in (spec.get("values") or {}).items()
    ]
    otherwise = [
        [name, str(spec["otherwise"])] for name, spec in found.items() if spec.get("otherwise")
    ]
    con.executemany("INSERT INTO annex_values VALUES (?, ?, ?)", values)
    if otherwise:
        con.executemany("INSERT INTO annex_otherwise VALUES (?, ?)", otherwise)
    con.executemany("INSERT INTO annex_authorities VALUES (?, ?)", list(authority_names().items()))
    _absent_as_empty(con)
    for statement in (*MACROS, *VIEWS):
        con.execute(statement)
    con.execute(CHILDREN, {"end": as_at})


def _absent_as_empty(con: duckdb.DuckDBPyConnection) -> None:
    """A table the contract gained after the snapshot was made (snapshots never change) is
    empty in it, as an absent file is: the lists read it as such."""
    present = {
        str(r[0])
        for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    }
    for table in load_contract():
        if table.name not in present:
            columns = ", ".join(f'"{c.name}" {c.sql_type}' for c in table.columns)
            con.execute(f"CREATE TEMP TABLE {table.name} ({columns})")

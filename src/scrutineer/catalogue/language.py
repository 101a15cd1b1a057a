"""The SQL vocabulary KPI definitions may use, beyond the extract tables.

Installed (as temporary macros and views) on every connection the engine computes with,
and on the empty contract-shaped database the catalogue is checked against.

- `wdn(d)`: the working-day number of day d (a weekend or bank holiday has the number of
  the working day before it), so `wdn(b) - wdn(a)` counts working days after a up to b.
- `add_wd(d, n)`: the date n working days after d (n > 0).
- `age(dob, d)`: age in whole years on day d.
- `as_at()`: the snapshot's as-at date (a duty not yet due by then is not yet missed).
- `flags_set(j)`: the keys of an SSD object of flags (as stored: keys upper-cased, flags Y
  or N) whose flag is Y, e.g. `['NFA_FLAG']` for a contact's outcome; empty for an object
  with none set, null for no object.
- `with_same_carers(person, d, place)`: a placement of type `place` begun on `d` continues
  the one that ended that day with the same carers (not a move, as DfE counts moves).
- `birthday(dob, n)`: the day a child born on `dob` turns `n` (29 February: 1 March).
- `allocations`: who holds each child's case and when (`person_id, a_start, a_end,
  worker_id, team_id, role`): the allocated case worker or personal advisor.
- `teams`: every team with its service (`team_id, team, service_id, service`).
- `workers`: every worker (`worker_id, worker, agency, registered, fte`): `registered` if
  a Social Work England registration number is recorded.
- `qa_audits`, `qa_iro_alerts`, `qa_iro_alert_stages`, `qa_review_adjournments`: the
  quality-assurance records (columns as their CSV files, docs/qa-records.md), which the
  caller reads from the records store and hands the engine; empty when it has none.
"""

from __future__ import annotations

import duckdb

from scrutineer.extract import snapshot_tables
from scrutineer.extract.contract import Contract

MACROS = (
    "CREATE OR REPLACE TEMP MACRO wdn(d) AS "
    "(SELECT working_day_number FROM calendar WHERE day = d)",
    "CREATE OR REPLACE TEMP MACRO add_wd(d, n) AS (SELECT min(day) FROM calendar "
    "WHERE is_working_day AND working_day_number = wdn(d) + n)",
    "CREATE OR REPLACE TEMP MACRO as_at() AS (SELECT max(as_at) FROM scrutineer_snapshot)",
    "CREATE OR REPLACE TEMP MACRO flags_set(j) AS list_transform(list_filter(map_entries("
    """from_json(j, '"MAP(VARCHAR, VARCHAR)"')), lambda e: e.value = 'Y'), lambda e: e.key)""",
    # the child's legal status open on day d (the latest to start, if two are)
    "CREATE OR REPLACE TEMP MACRO legal_status_on(person, d) AS (SELECT "
    "arg_max(l.lega_legal_status, l.lega_legal_status_start_date) FROM ssd_legal_status AS l "
    "WHERE l.lega_person_id = person AND l.lega_legal_status_start_date <= d "
    "AND (l.lega_legal_status_end_date IS NULL OR l.lega_legal_status_end_date > d))",
    # the day a child born on dob turns n: born on 29 February, 1 March in other years, as
    # age() has it (English law: an age is attained on the anniversary's first moment)
    "CREATE OR REPLACE TEMP MACRO birthday(dob, n) AS (SELECT CASE WHEN strftime(dob, '%m%d') "
    "= '0229' AND strftime(b, '%m%d') = '0228' THEN b + 1 ELSE b END "
    "FROM (SELECT CAST(dob + to_years(CAST(n AS INTEGER)) AS DATE) AS b))",
    # a placement begun on day d that continues the one ending that day with the same
    # carers: placed for adoption with the current foster carers (A3, A5), or an episode
    # begun with reason T or U (the SSDA903's "carer(s) the same"); not a move
    "CREATE OR REPLACE TEMP MACRO with_same_carers(person, d, place) AS ((place IN ('A3', "
    "'A5') OR EXISTS (SELECT 1 FROM ssd_cla_episodes AS e WHERE e.clae_person_id = person "
    "AND e.clae_cla_episode_start_date = d AND e.clae_cla_episode_start_reason IN ('T', 'U'))) "
    "AND EXISTS (SELECT 1 FROM ssd_cla_placement AS q WHERE q.clap_person_id = person "
    "AND q.clap_cla_placement_end_date = d))",
    "CREATE OR REPLACE TEMP MACRO age(dob, d) AS "
    "(date_diff('year', dob, d) - CASE WHEN strftime(dob, '%m%d') > strftime(d, '%m%d') "
    "THEN 1 ELSE 0 END)",
)
VIEWS = (
    "CREATE OR REPLACE TEMP VIEW allocations AS SELECT invo_person_id AS person_id, "
    "invo_involvement_start_date AS a_start, invo_involvement_end_date AS a_end, "
    "invo_professional_id AS worker_id, invo_professional_team AS team_id, "
    "invo_professional_role_id AS role FROM ssd_involvements "
    "WHERE invo_professional_role_id IN ('ALLOCATED_CASE_WORKER', 'PERSONAL_ADVISOR')",
    "CREATE OR REPLACE TEMP VIEW teams AS SELECT t.dept_team_id AS team_id, "
    "t.dept_team_name AS team, coalesce(s.dept_team_id, t.dept_team_id) AS service_id, "
    "coalesce(s.dept_team_name, t.dept_team_name) AS service FROM ssd_department t "
    "LEFT JOIN ssd_department s ON s.dept_team_id = t.dept_team_parent_id",
    "CREATE OR REPLACE TEMP VIEW workers AS SELECT prof_professional_id AS worker_id, "
    "prof_professional_name AS worker, prof_agency_worker_flag = 'Y' AS agency, "
    "coalesce(prof_social_worker_registration_no, '') <> '' AS registered, "
    "prof_full_time_equivalency AS fte FROM ssd_professionals",
)


# Who holds a child's case on a day, the one rule every figure, list and page attributes by:
# an allocation (of the `allocations` view, as `a`) open that day - begun on or before it
# and not ended by it - and of two open, the one begun last; of two begun the same day, the
# lower worker id (so the answer never depends on the order rows are read in).
def holds_case_on(day: str) -> str:
    """The condition that allocation `a` holds its child's case on `day` (SQL)."""
    return f"a.a_start <= {day} AND (a.a_end IS NULL OR a.a_end > {day})"


HOLDER_FIRST = "a.a_start DESC NULLS LAST, a.worker_id"  # ORDER BY: the holder first


# The columns of the tables and views above, for resolving KPI SQL without a database.
SCHEMA: dict[str, dict[str, str]] = {
    **snapshot_tables.TABLES,
    "allocations": {
        "person_id": "VARCHAR",
        "a_start": "DATE",
        "a_end": "DATE",
        "worker_id": "VARCHAR",
        "team_id": "VARCHAR",
        "role": "VARCHAR",
    },
    "teams": {
        "team_id": "VARCHAR",
        "team": "VARCHAR",
        "service_id": "VARCHAR",
        "service": "VARCHAR",
    },
    "workers": {
        "worker_id": "VARCHAR",
        "worker": "VARCHAR",
        "agency": "BOOLEAN",
        "registered": "BOOLEAN",
        "fte": "DOUBLE",
    },
}
QA_TABLES: dict[str, dict[str, str]] = {  # table -> its columns (a records type's, by name)
    "qa_audits": {
        "audit_ref": "VARCHAR",
        "programme": "VARCHAR",
        "person_id": "VARCHAR",
        "auditor": "VARCHAR",
        "audit_date": "DATE",
        "completed_date": "DATE",
        "grade_chronology": "VARCHAR",
        "grade_assessment": "VARCHAR",
        "grade_plan": "VARCHAR",
        "grade_visiting": "VARCHAR",
        "grade_supervision": "VARCHAR",
        "grade_overall": "VARCHAR",
        "moderated_grade": "VARCHAR",
    },
    "qa_iro_alerts": {
        "alert_ref": "VARCHAR",
        "person_id": "VARCHAR",
        "iro": "VARCHAR",
        "raised_date": "DATE",
        "reasons": "VARCHAR",
        "resolved_level": "VARCHAR",
        "resolved_date": "DATE",
    },
    "qa_iro_alert_stages": {
        "alert_ref": "VARCHAR",
        "level": "VARCHAR",
        "started_date": "DATE",
        "due_date": "DATE",
        "responded_date": "DATE",
    },
    "qa_review_adjournments": {
        "person_id": "VARCHAR",
        "review_date": "DATE",
        "reason": "VARCHAR",
    },
}
SCHEMA.update(QA_TABLES)
QaRows = dict[str, list[dict[str, object]]]  # table -> rows by column name


def install(con: duckdb.DuckDBPyConnection) -> None:
    for statement in (*MACROS, *VIEWS):
        con.execute(statement)


def install_qa(con: duckdb.DuckDBPyConnection, rows: QaRows | None) -> None:
    """The QA tables on this connection, holding `rows` (columns they lack are left out)."""
    for table, columns in QA_TABLES.items():
        names = list(columns)
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {table} ("
            + ", ".join(f"{n} {t}" for n, t in columns.items())
            + ")"
        )
        found = (rows or {}).get(table, [])
        if found:
            con.executemany(
                f"INSERT INTO {table} VALUES ({', '.join('?' for _ in names)})",
                [[row.get(n) for n in names] for row in found],
            )


def empty_database(contract: Contract) -> duckdb.DuckDBPyConnection:
    """An in-memory database shaped like a snapshot, with no rows: for checking SQL."""
    con = duckdb.connect()
    for table in contract:
        columns = ", ".join(f'"{c.name}" {c.sql_type}' for c in table.columns)
        con.execute(f"CREATE TABLE {table.name} ({columns})")
    snapshot_tables.write_calendar(con, [])
    snapshot_tables.write_snapshot(con, None)
    install(con)
    install_qa(con, None)
    return con

"""Reading a snapshot's tables for a return: rows as dicts, grouped by a column."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import duckdb

Row = dict[str, Any]
IN_LIST = "(SELECT unnest(?::VARCHAR[]))"  # `x IN IN_LIST`: a list parameter, as a set
IN_CHILDREN = "(SELECT unnest($children::VARCHAR[]))"  # the same, as the named $children


# the children named in the list parameter, with what the returns take from other tables:
# the UPN (a linked identifier, the latest if several) and, for a mother, her first child's
# birth date (the SSDA903's MC_DOB)
PEOPLE = f"""
SELECT p.*,
  (SELECT arg_max(l.link_identifier_value, coalesce(l.link_valid_from_date, DATE '1900-01-01'))
     FROM ssd_linked_identifiers AS l
    WHERE l.link_person_id = p.pers_person_id AND l.link_identifier_value IS NOT NULL
      AND upper(l.link_identifier_type) IN ('UNIQUE PUPIL NUMBER', 'UPN')) AS upn,
  (SELECT min(m.moth_childs_dob) FROM ssd_mother AS m
    WHERE m.moth_person_id = p.pers_person_id) AS first_child_born,
  coalesce(p.pers_is_mother = 'Y', false)
    OR EXISTS (SELECT 1 FROM ssd_mother AS m WHERE m.moth_person_id = p.pers_person_id)
    AS is_mother
FROM ssd_person AS p WHERE p.pers_person_id IN {IN_LIST}
"""


def open_in_year(start: str, end: str) -> str:
    """SQL: a record begun by the year's last day ($end) and not ended before its first
    ($start), given its start and end columns."""
    return f"{start} <= $end AND ({end} IS NULL OR {end} >= $start)"


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: object = ()) -> list[Row]:
    if isinstance(params, dict):  # DuckDB refuses a named parameter the query does not use
        params = {k: v for k, v in params.items() if re.search(rf"\${k}\b", sql)}
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def grouped(found: Iterable[Row], column: str) -> dict[str, list[Row]]:
    by: dict[str, list[Row]] = defaultdict(list)
    for row in found:
        by[row[column]].append(row)
    return by

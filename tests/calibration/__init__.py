"""Monthly levels of a synthetic authority, measured straight from a snapshot.

The KPI engine will compute the indicators properly; until it lands, the generator's
calibration test compares these simple measures (one SQL file each, one row per month end
`d`, the month starting `s`) with the reference authority of BRIEF.md §8.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

HERE = Path(__file__).parent
MONTHS = """
    SELECT CAST(m AS DATE) AS s, CAST(m + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE) AS d
    FROM range(DATE '{first}', DATE '{last}' + INTERVAL 1 DAY, INTERVAL 1 MONTH) t(m)
"""
WORKING_DAY_OF_D = "(SELECT working_day_number FROM calendar WHERE day = d)"


def measure(con: duckdb.DuckDBPyConnection, first: str, last: str) -> dict[str, dict[str, float]]:
    """{measure: {YYYY-MM: value}} for every month from `first` to `last` (YYYY-MM-DD)."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE months AS {MONTHS.format(first=first, last=last)}")
    result: dict[str, dict[str, float]] = {}
    for path in sorted(HERE.glob("*.sql")):
        sql = path.read_text(encoding="utf-8").replace("{wdn_d}", WORKING_DAY_OF_D)
        result[path.stem] = {f"{d:%Y-%m}": float(v) for d, v in con.execute(sql).fetchall()}
    return result

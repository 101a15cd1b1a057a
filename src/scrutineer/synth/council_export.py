"""The synthetic extract as a council's SQL Server export of its SSD would write it.

What SQL Server Management Studio and a Liquidlogic deployment make of the same records
(shared/data/ssd/REAL_EXPORTS.md): the literal NULL in every empty cell, datetimes with
milliseconds, CRLF, UTF-8 with a BOM or Windows-1252, flags as 1/0, True/False or Yes/No,
and local values in coded columns:

- worker roles as the CMS's codes (CW, KAPAD) and placement types as the old F1-F6, which
  the shipped `ssd-liquidlogic` map reads;
- sex as `1 - Male`, which the shipped `annex-a` map reads;
- CP categories and legal statuses as descriptions (`Neglect`, `C2 - Full care order`),
  read as their codes without a map;
- review participation, care leavers' activity and the reasons a period of care ended in
  the CMS's own words, which the council's `code_map.csv` (written beside them) reads.

`scrutineer load` with `--codes ssd-liquidlogic --codes annex-a` must give the same figures
from it as from the clean extract (tests/test_real_export.py, bench/foundation.py).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from scrutineer.extract.codemap import FOLDER_MAP
from scrutineer.extract.contract import Contract

SHIPPED_MAPS = ("ssd-liquidlogic", "annex-a")
SHIPPED = {  # (table, column) -> {code: what the CMS writes}, mapped by a shipped map
    ("ssd_involvements", "invo_professional_role_id"): {
        "ALLOCATED_CASE_WORKER": "CW",
        "PERSONAL_ADVISOR": "KAPAD",
    },
    ("ssd_cla_placement", "clap_cla_placement_type"): {f"U{n}": f"F{n}" for n in range(1, 7)},
    ("ssd_person", "pers_sex"): {"M": "1 - Male", "F": "2 - Female", "U": "Not recorded"},
}
DESCRIBED = (  # written as the code's description (alone, or after the code)
    ("ssd_cp_plans", "cppl_cp_plan_initial_category", "{text}"),
    ("ssd_cp_plans", "cppl_cp_plan_latest_category", "{text}"),
    ("ssd_legal_status", "lega_legal_status", "{code} - {text}"),
)
COUNCILS_OWN = (  # written in the CMS's own words, which the council's map reads
    ("ssd_cla_reviews", "clar_cla_review_participation"),
    ("ext_care_leaver_status", "clst_activity"),
    ("ssd_cla_episodes", "clae_cla_episode_ceased_reason"),
)


def own_words(code: str, text: str) -> str:
    return f"{text.split(' (')[0]} [{code.lower()}]"  # "Full time in higher education [f1]"


def local_values(contract: Contract) -> dict[tuple[str, str], dict[str, str]]:
    found = {key: dict(values) for key, values in SHIPPED.items()}
    for table, column, form in DESCRIBED:
        codes = contract.codes[str(contract.table(table).column(column).codes)]
        found[(table, column)] = {c: form.format(code=c, text=t) for c, t in codes.values.items()}
    for table, column in COUNCILS_OWN:
        codes = contract.codes[str(contract.table(table).column(column).codes)]
        found[(table, column)] = {c: own_words(c, t) for c, t in codes.values.items()}
    return found


def council_map(contract: Contract, leave_out: tuple[str, str, str] | None) -> Iterator[list[str]]:
    yield ["table", "column", "local", "standard"]
    for table, column in COUNCILS_OWN:
        codes = contract.codes[str(contract.table(table).column(column).codes)]
        for code, text in codes.values.items():
            if (table, column, code) != leave_out:
                yield [table, column, own_words(code, text), code]


def sql_server_export(
    clean: Path, out: Path, contract: Contract, leave_out: tuple[str, str, str] | None = None
) -> None:
    """Write the extract in `clean` to `out` as a council's export, with its code map
    (`leave_out`: one (table, column, code) the map forgets)."""
    out.mkdir(parents=True)
    with (out / FOLDER_MAP).open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(council_map(contract, leave_out))
    local = local_values(contract)
    flag_words = iter([("1", "0"), ("True", "False"), ("Yes", "No")])
    for number, path in enumerate(sorted(clean.glob("*.csv"))):
        table = contract.table(path.stem)
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        header = rows[0]
        columns = [table.column(name) for name in header]
        yes, no = next(flag_words, ("Y", "N"))
        for row in rows[1:]:
            for i, (column, value) in enumerate(zip(columns, row, strict=True)):
                if value == "":
                    row[i] = "NULL"
                elif column.type == "date" and len(value) == 10:
                    row[i] = f"{value} 00:00:00.000"
                elif column.type == "flag":
                    row[i] = {"Y": yes, "N": no}.get(value, value)
                elif (table.name, column.name) in local:
                    row[i] = local[(table.name, column.name)].get(value, value)
        encoding = ("utf-8-sig", "cp1252", "utf-8")[number % 3]
        with (out / path.name).open("w", encoding=encoding, newline="") as handle:
            csv.writer(handle, lineterminator="\r\n").writerows(rows)

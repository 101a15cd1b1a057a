"""The contract is the SSD: every ssd_* table and column checked against the SSD's own
specification (shared/data/ssd/objects/*.yml, v1.4), so the two cannot drift apart.

Written from the specification's files, not from the contract: a column the SSD does not
have, a wrong item reference, a type of another family, a key that is not the SSD's, or a
JSON object whose keys are not those the SSD's guidance lists all fail here.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import pytest
import yaml

from scrutineer.extract.contract import Column, Table, load_contract
from tests.support.paths import SHARED

OBJECTS = SHARED / "data" / "ssd" / "objects"

# the SSD's SQL types, by the contract type families that may hold them: text holds ids,
# codes, flags and JSON; the SSD keeps some counts as text (perm_number_of_adopters,
# csdq_sdq_score), which the contract reads as whole numbers and refuses when they are not
FAMILIES = {
    "id": {"nvarchar", "nchar"},
    "text": {"nvarchar", "nchar"},
    "code": {"nvarchar", "nchar"},
    "flag": {"nvarchar", "nchar"},
    "json": {"nvarchar"},
    "date": {"datetime"},
    "integer": {"int", "nvarchar"},
    "number": {"float"},
}
# keys the SSD marks no primary key for, and what the contract keys them by instead
UNMARKED_KEYS = {
    "ssd_department": "dept_team_id",  # the SSD's "system unique identifier"
    "ssd_involvements": "invo_involvements_id",  # its "row identifier"
    "ssd_cla_immunisations": "clai_person_id",  # "Person's ID ..., Row identifier"
}
# codes the CIN census still takes that the SSD's guidance no longer lists (queried by the
# census from 2024/25: 18B/18C and 19B/19C replace them)
CENSUS_ONLY_FACTORS = {"18A", "19A"}


@cache
def specification() -> dict[str, dict[str, dict[str, Any]]]:
    assert OBJECTS.is_dir(), f"the SSD specification {OBJECTS} should be beside the checkout"
    tables: dict[str, dict[str, dict[str, Any]]] = {}
    for path in sorted(OBJECTS.glob("ssd_*.yml")):
        for node in yaml.safe_load(path.read_text(encoding="utf-8"))["nodes"]:
            tables[node["name"]] = {f["name"]: f for f in node["fields"]}
    return tables


def ssd_tables() -> list[Table]:
    return [t for t in load_contract() if not t.is_extension]


def ssd_columns() -> list[tuple[Table, Column]]:
    return [(t, c) for t in ssd_tables() for c in t.columns]


def test_every_ssd_table_of_the_contract_is_the_ssds() -> None:
    unknown = [t.name for t in ssd_tables() if t.name not in specification()]
    assert unknown == []
    # every extension says where a council takes it from, and is not an SSD table renamed
    for table in load_contract():
        if table.is_extension:
            assert table.filled_from and f"ssd_{table.name[4:]}" not in specification()


@pytest.mark.parametrize(("table", "column"), ssd_columns(), ids=lambda x: getattr(x, "name", x))
def test_a_column_is_the_ssds(table: Table, column: Column) -> None:
    fields = specification()[table.name]
    assert column.name in fields, f"{table.name} has no column {column.name} in the SSD"
    field = fields[column.name]
    assert column.item == field["item_ref"], f"{column.name}: the SSD's item is {field['item_ref']}"
    ssd_type = str(field.get("type", "")).lower()
    assert ssd_type in FAMILIES[column.type], f"{column.name}: the SSD has {ssd_type}"


@pytest.mark.parametrize("table", ssd_tables(), ids=lambda t: t.name)
def test_a_table_is_keyed_as_the_ssd_keys_it(table: Table) -> None:
    fields = specification()[table.name]
    marked = [name for name, f in fields.items() if f.get("primary_key")]
    if not marked:
        assert table.key == UNMARKED_KEYS[table.name]
    elif len(marked) == 1:
        assert table.key == marked[0]
    else:  # ssd_mother marks two: the row id comes first
        assert table.key in marked


def _guidance_keys(guidance: str) -> list[str]:
    """The keys of the object the SSD's guidance writes out: { NFA_FLAG: "", ... }."""
    found = re.search(r"\{([^{}]*)\}", guidance)
    assert found, guidance
    return re.findall(r"\"?([A-Z0-9_]+)\"?\s*:", found.group(1))


JSON_COLUMNS = [(t, c) for t, c in ssd_columns() if c.type == "json"]


def test_the_ssds_json_columns_are_all_json() -> None:
    wanted = {(t, c) for t, fields in specification().items() for c in fields if c.endswith("json")}
    read = {(t.name, c.name) for t, c in JSON_COLUMNS}
    contract = {(t.name, c.name) for t, c in ssd_columns()}
    assert wanted & contract == read


@pytest.mark.parametrize(("table", "column"), JSON_COLUMNS, ids=lambda x: getattr(x, "name", x))
def test_a_json_column_has_the_ssds_keys(table: Table, column: Column) -> None:
    guidance = specification()[table.name][column.name]["guidance"]
    codes = load_contract().codes[str(column.codes)]
    if column.shape == "list":  # a list of codes: the guidance lists them, one a line
        listed = set(re.findall(r"^(\d+[A-F]?)(?:/\d+[A-F])*\s+-", guidance, re.MULTILINE))
        expanded = set(re.findall(r"\b(\d+[A-F])\b", guidance))
        assert listed and set(codes.values) >= listed
        assert set(codes.values) - CENSUS_ONLY_FACTORS <= expanded | listed
    else:
        assert list(codes.values) == _guidance_keys(guidance)

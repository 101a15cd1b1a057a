"""The extract contract is consistent, documented, and catches its own mistakes."""

from dataclasses import replace

from scrutineer.extract.contract import Column, Reference, contract_problems, load_contract
from scrutineer.extract.docs import render_contract
from tests.support.paths import DOCS, SHARED


def test_shipped_contract_is_consistent() -> None:
    contract = load_contract()
    assert list(contract_problems(contract)) == []
    assert {"ssd_person", "ssd_cp_plans", "ext_case_supervisions", "ext_care_leaver_status"} <= set(
        contract.table_names
    )


def test_extension_tables_are_few() -> None:
    extensions = [t.name for t in load_contract() if t.is_extension]
    assert extensions == [
        "ext_cla_placement_location",
        "ext_substance_misuse_offers",
        "ext_previous_cp_plans",
        "ext_care_leaver_status",
        "ext_case_supervisions",
        "ext_adopters",  # Annex A's list 11: the SSD holds children, not adopters
    ]
    assert all(t.filled_from for t in load_contract() if t.is_extension)


def test_every_reference_points_at_a_key_or_a_period_id() -> None:
    contract = load_contract()
    for table in contract:
        for column in table.columns:
            if column.references:
                target = contract.table(column.references.table)
                assert column.references.column in (target.key, "clae_cla_id"), column.name


def test_problems_are_named() -> None:
    contract = load_contract()
    person = contract.table("ssd_person")
    broken = replace(
        person,
        key="nope",
        columns=(
            *person.columns,
            Column("pers_x", "code", "x", codes="no_such_list"),
            Column("pers_y", "text", "", references=Reference("ssd_nowhere", "id")),
            Column("pers_z", "text", "z", future=True),
            Column("pers_w", "text", "w", na=True),
        ),
    )
    doubled = replace(contract.table("ssd_contacts"), columns=(person.column("pers_dob"),))
    problems = list(contract_problems(replace(contract, tables=(broken, doubled))))
    assert "ssd_person: key nope is not one of its columns" in problems
    assert any("code list 'no_such_list'" in p for p in problems)
    assert any("pers_y: has no description" in p for p in problems)
    assert any("unknown table ssd_nowhere" in p for p in problems)
    assert any("only a date column may be `future`" in p for p in problems)
    assert any("only a flag column may allow `na`" in p for p in problems)
    assert "ssd_contacts.pers_dob: ssd_person has a column of the same name" in problems


def test_schema_types() -> None:
    schema = load_contract().schema()
    assert schema["ssd_person"]["pers_dob"] == "DATE"
    assert schema["ssd_person"]["pers_person_id"] == "VARCHAR"
    assert schema["ssd_cla_placement"]["clap_cla_placement_distance"] == "DOUBLE"


def test_docs_are_rendered_from_the_contract() -> None:
    text = (DOCS / "extract-contract.md").read_text(encoding="utf-8")
    assert text == render_contract(), (
        "docs/extract-contract.md is out of date: run `scrutineer contract > "
        "docs/extract-contract.md`"
    )
    for table in load_contract():
        assert f"### `{table.name}`" in text


def test_care_leaver_activity_codes_say_what_the_ssd_says() -> None:
    """The SSD's ssd_care_leavers.yml (the DfE's codes): F4 and P4 an apprenticeship, F5 and
    P5 training or employment that is not one."""
    spec = (SHARED / "data/ssd/objects/ssd_care_leavers.yml").read_text(encoding="utf-8")
    said = " ".join(spec.split())
    assert "F4 - Young person engaged full time in an apprenticeship" in said
    assert (
        "F5 - Young person engaged full time in training or employment (not apprenticeship)" in said
    )
    activity = load_contract().codes["care_leaver_activity"]
    assert "apprenticeship" in activity.values["F4"] and "apprenticeship" in activity.values["P4"]
    assert activity.values["F5"].endswith("(not an apprenticeship)")
    assert activity.values["P5"].endswith("(not an apprenticeship)")

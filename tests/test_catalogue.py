"""The catalogue: it matches the specification, and every mistake is named with file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scrutineer.catalogue import rules
from scrutineer.catalogue.docs import render_catalogue
from scrutineer.catalogue.load import catalogue_folder, load_catalogue, read_catalogue
from scrutineer.catalogue.rules import revisions, spec, validate
from scrutineer.errors import UnknownKpi
from tests.support.paths import DOCS, SHARED

SHARED_SPEC = SHARED / "KPIS.csv"


def test_the_shipped_catalogue_is_clean_and_complete() -> None:
    catalogue = load_catalogue(resolve=True)
    assert len(catalogue) == 77
    assert [k.id for k in catalogue].count("cp_visits_10wd_pct") == 1
    assert {k.id for k in catalogue} == set(spec())


def test_the_specification_copy_is_current() -> None:
    assert SHARED_SPEC.is_file(), f"the specification {SHARED_SPEC} should be beside the checkout"
    shipped = Path(str(catalogue_folder())) / "spec.csv"
    assert shipped.read_text(encoding="utf-8") == SHARED_SPEC.read_text(encoding="utf-8"), (
        "copy shared/KPIS.csv to src/scrutineer/catalogue/spec.csv and update the catalogue"
    )


def test_unknown_ids_say_where_to_look() -> None:
    with pytest.raises(UnknownKpi, match="scrutineer kpis"):
        load_catalogue().get("cp_visits_11wd_pct")


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    folder = tmp_path / "catalogue"
    shutil.copytree(
        Path(str(catalogue_folder())), folder, ignore=shutil.ignore_patterns("*.py", "__pycache__")
    )
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def problems(folder: Path) -> list[str]:
    catalogue, issues = read_catalogue(folder)
    return [str(i) for i in issues + validate(catalogue)]


def test_every_problem_is_reported_with_its_file_and_line(copy: Path) -> None:
    front, child = copy / "kpis" / "front_door.yaml", copy / "kpis" / "child_protection.yaml"
    edit(front, "unit: percent", "unit: percnt")  # contacts_nfa_pct
    edit(child, "v.cppv_cp_visit_seen = 'Y'", "v.cppv_cp_visit_sean = 'Y'")  # a column typo
    edit(child, "counted: >-\n    late_reviews = 0 AND", "counted: >-\n    late_reviews = = 0 AND")
    edit(front, "- id: referrals_ytd", "- id: referrals")
    found = problems(copy)
    nfa = line_of(front, "- id: contacts_nfa_pct")
    assert any(
        p.startswith(
            f"ERROR: kpis/front_door.yaml:{nfa}: contacts_nfa_pct: unit 'percnt' is not one of"
        )
        for p in found
    ), found
    visits = line_of(child, "- id: cp_visits_10wd_pct")
    assert (
        f"ERROR: kpis/child_protection.yaml:{visits}: cp_visits_10wd_pct: Unknown column: "
        "cppv_cp_visit_sean (not in the extract contract) [catalogue]" in found
    )
    assert any("cp_reviews_timely_pct: counted:" in p for p in found), found
    assert any(
        "referrals: duplicate id, first defined at kpis/front_door.yaml" in p for p in found
    ), found
    assert any("referrals_ytd: in KPIS.csv but not in the catalogue" in p for p in found)


def test_specification_and_shape_are_checked(copy: Path) -> None:
    care = copy / "kpis" / "looked_after.yaml"
    edit(care, "title: Children looked after at month end", "title: Children in care")
    edit(care, "cohort: cla_missing_children", "cohort: missing_children")
    cohorts = copy / "cohorts.yaml"
    edit(
        cohorts,
        "JOIN ssd_cp_plans AS pl ON pl.cppl_cp_plan_end_date",
        "JOIN ssd_cp_plan AS pl ON pl.cppl_cp_plan_end_date",
    )
    found = problems(copy)
    assert any("cla_open: title differs from KPIS.csv" in p for p in found), found
    assert any("cla_missing: cohort 'missing_children' is not a cohort" in p for p in found)
    ended = line_of(cohorts, "cp_ended:")
    assert any(
        p.startswith(f"ERROR: cohorts.yaml:{ended}: cp_ended:") and "ssd_cp_plan" in p
        for p in found
    ), found


def test_docs_are_rendered_from_the_catalogue() -> None:
    text = (DOCS / "catalogue.md").read_text(encoding="utf-8")
    assert text == render_catalogue(load_catalogue()), (
        "docs/catalogue.md is out of date: run `scrutineer catalogue > docs/catalogue.md`"
    )


def test_a_revision_still_to_make_is_a_warning_and_a_made_one_must_be_struck_off(
    copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # revisions.yaml as it would be with cpp_second_pct's definition still to revise (the
    # real list empties as revisions are made; the rule must hold whatever it holds)
    pending = {**revisions(), "cpp_second_pct": ("definition",)}
    monkeypatch.setattr(rules, "revisions", lambda: pending)
    child = copy / "kpis" / "child_protection.yaml"
    # the entry already says what KPIS.csv says: the line in revisions.yaml must go
    catalogue, _ = read_catalogue(copy)
    found = [str(i) for i in validate(catalogue) if i.is_error]
    assert any(
        "cpp_second_pct: definition now matches KPIS.csv: the revision is made" in p for p in found
    ), found
    # computed as before, the YAML keeps its old text: a warning, not an error
    text = child.read_text(encoding="utf-8")
    start = text.index("- id: cpp_second_pct")
    block = text[start:]
    definition = block.index("  definition: >-\n")
    end = block.index("\n  ", definition + len("  definition: >-\n") - 1)
    while block[end + 3] == " ":  # the folded text's continuation lines
        end = block.index("\n  ", end + 1)
    old = "Of CP plans started in the 12 months, the share for a child with an earlier plan."
    child.write_text(
        text[:start] + block[:definition] + f"  definition: {old!r}" + block[end:],
        encoding="utf-8",
    )
    catalogue, _ = read_catalogue(copy)
    assert next(k.definition for k in catalogue if k.id == "cpp_second_pct") == old
    warnings = [i for i in validate(catalogue) if not i.is_error]
    assert any(
        i.message.startswith("cpp_second_pct: KPIS.csv revises its definition")
        and i.column == "definition"
        for i in warnings
    ), warnings
    assert not [i for i in validate(catalogue) if i.is_error]


def test_every_pending_revision_is_a_real_difference_from_the_specification() -> None:
    catalogue = {k.id: k for k in load_catalogue()}
    for kpi_id, fields in revisions().items():
        for name in fields:
            have = " ".join(str(getattr(catalogue[kpi_id], name)).split())
            assert have != " ".join(spec()[kpi_id][name].split()), (kpi_id, name)

"""Annex A: Ofsted's columns (from the London pipeline's column map, which this project did
not write), values that map read as they are meant, the same counts as the indicators, and
hand-worked cases at the period's edges."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from scrutineer.calendar import calendar_rows
from scrutineer.catalogue.language import install
from scrutineer.engine.session import open_session
from scrutineer.inspection.annex_a import AnnexTable, MonthsInvalid, annex_a, window
from scrutineer.inspection.definitions import load_lists
from scrutineer.inspection.docs import render_annex_a
from scrutineer.inspection.summary import summarise
from scrutineer.settings import load_settings
from tests.support.cli import Cli
from tests.support.golden import snapshot_from_rows
from tests.support.paths import DOCS, SHARED

SCHEMA = SHARED / "inspection" / "annex_a_schema.yml"


@cache
def schema() -> dict[str, dict[str, Any]]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # 545 KB: the C loader if built
    return dict(yaml.load(SCHEMA.read_text(encoding="utf-8"), Loader=loader)["column_map"])


def accepted(spec: dict[str, Any]) -> dict[str, object]:
    """A category column's values as the pipeline reads them: each code and each of its
    names (compared trimmed, ignoring case) -> the code."""
    found: dict[str, object] = {}
    for entry in spec["category"]:
        for name in [entry["code"], *entry.get("name", [])]:
            found.setdefault(str(name).strip().lower(), entry["code"])
    return found


def test_each_list_has_ofsted_s_columns_in_order() -> None:
    for annex in load_lists():
        assert list(annex.columns) == list(schema()[f"list_{annex.number}"]), annex.sheet


def test_every_coded_value_is_one_ofsted_s_column_map_reads_as_that_column_s() -> None:
    """Each value the vocabulary writes for a column (values.yaml, through the SQL) is one
    of the values the pipeline accepts for it: checked on the workbook below; here, that
    every vocabulary value is some column's."""
    from scrutineer.inspection.vocabulary import vocabularies

    everything: set[str] = set()
    for columns in schema().values():
        for spec in columns.values():
            if "category" in spec:
                everything |= set(accepted(spec))
    for name, spec in vocabularies().items():
        for label in [*(spec.get("values") or {}).values(), spec.get("otherwise")]:
            if label is not None:
                assert str(label).strip().lower() in everything, f"{name}: {label!r}"


def test_the_period_runs_from_the_same_day_months_before() -> None:
    assert window(date(2026, 3, 31), 6).start == date(2025, 9, 30)  # 30 September: no 31st
    assert window(date(2026, 8, 31), 6).start == date(2026, 2, 28)
    assert window(date(2024, 8, 31), 6).start == date(2024, 2, 29)  # a leap year
    assert window(date(2026, 1, 15), 6).start == date(2025, 7, 15)  # back over a year end
    with pytest.raises(MonthsInvalid):
        window(date(2026, 1, 15), 0)


AS_AT = date(2026, 3, 31)  # the period: 30 September 2025 to 31 March 2026


def lists_of(rows: dict[str, list[dict[str, Any]]], months: int = 6) -> dict[int, AnnexTable]:
    con = snapshot_from_rows(rows, date(2026, 4, 10))
    install(con)
    return {t.annex.number: t for t in annex_a(con, window(AS_AT, months))}


def as_dicts(table: AnnexTable) -> list[dict[str, object]]:
    return [dict(zip(table.annex.columns, row, strict=True)) for row in table.rows]


CHILD = {
    "pers_person_id": "C1",
    "pers_sex": "F",
    "pers_ethnicity": "BAFR",
    "pers_dob": date(2015, 4, 1),
}


def test_a_contact_on_the_period_s_first_day_is_in_it_and_one_the_day_before_is_not() -> None:
    found = lists_of(
        {
            "ssd_person": [CHILD],
            "ssd_contacts": [
                {
                    "cont_contact_id": "K0",
                    "cont_person_id": "C1",
                    "cont_contact_date": date(2025, 9, 29),
                    "cont_contact_source_code": "2A",
                },
                {
                    "cont_contact_id": "K1",
                    "cont_person_id": "C1",
                    "cont_contact_date": date(2025, 9, 30),
                    "cont_contact_source_code": "2A",
                },
                {
                    "cont_contact_id": "K2",
                    "cont_person_id": "C1",
                    "cont_contact_date": date(2026, 3, 31),
                    "cont_contact_source_code": "6",
                },
                {
                    "cont_contact_id": "K3",
                    "cont_person_id": "C1",
                    "cont_contact_date": date(2026, 4, 1),
                    "cont_contact_source_code": "6",
                },
            ],
        }
    )
    # K1 (the first day) and K2 (the as-at date) are in; K0 (the day before) and K3 (after)
    # are not. The child is 10 on the as-at date (born 1 April 2015: 11 the next day).
    assert as_dicts(found[1]) == [
        {
            "Child Unique ID": "C1",
            "Gender": "b) Female",
            "Ethnicity": "o) BAFR",
            "Date of Birth": date(2015, 4, 1),
            "Age of Child (Years)": 10,
            "Date of Contact": date(2025, 9, 30),
            "Contact Source": "b) Schools",
        },
        {
            "Child Unique ID": "C1",
            "Gender": "b) Female",
            "Ethnicity": "o) BAFR",
            "Date of Birth": date(2015, 4, 1),
            "Age of Child (Years)": 10,
            "Date of Contact": date(2026, 3, 31),
            "Contact Source": "g) Police",
        },
    ]


def test_a_referral_re_opened_in_the_period() -> None:
    """C1 was referred in June 2025 (closed 1 July, before the period) and again on 10
    November 2025, still open at the as-at date. List 3 holds November's referral only, with
    two referrals in the 12 months to 31 March 2026 (1 April 2025 on): June's and November's.
    List 6 holds November's episode only (June's closed before 30 September); the child is on
    a CIN plan on the as-at date. Allocated on 12 November to W1 of team T1, who holds it."""
    found = lists_of(
        {
            "ssd_person": [CHILD],
            "ssd_department": [{"dept_team_id": "T1", "dept_team_name": "Assessment Team A"}],
            "ssd_professionals": [
                {"prof_professional_id": "W1", "prof_professional_name": "Sam Lee"}
            ],
            "ssd_involvements": [
                {
                    "invo_involvements_id": "I1",
                    "invo_professional_id": "W1",
                    "invo_professional_role_id": "ALLOCATED_CASE_WORKER",
                    "invo_professional_team": "T1",
                    "invo_involvement_start_date": date(2025, 11, 12),
                    "invo_person_id": "C1",
                },
            ],
            "ssd_cin_episodes": [
                {
                    "cine_referral_id": "R1",
                    "cine_person_id": "C1",
                    "cine_referral_date": date(2025, 6, 2),
                    "cine_referral_source_code": "3A",
                    "cine_referral_nfa": "N",
                    "cine_close_date": date(2025, 7, 1),
                    "cine_close_reason": "RC8",
                    "cine_cin_primary_need_code": "N4",
                },
                {
                    "cine_referral_id": "R2",
                    "cine_person_id": "C1",
                    "cine_referral_date": date(2025, 11, 10),
                    "cine_referral_source_code": "6",
                    "cine_referral_nfa": "N",
                    "cine_cin_primary_need_code": "N1",
                },
            ],
            "ssd_cin_plans": [
                {
                    "cinp_cin_plan_id": "P1",
                    "cinp_person_id": "C1",
                    "cinp_referral_id": "R2",
                    "cinp_cin_plan_start_date": date(2026, 1, 5),
                },
            ],
            "ssd_cin_visits": [
                {
                    "cinv_cin_visit_id": "V1",
                    "cinv_person_id": "C1",
                    "cinv_cin_visit_date": date(2026, 3, 2),
                    "cinv_cin_visit_seen": "Y",
                },
                {
                    "cinv_cin_visit_id": "V2",
                    "cinv_person_id": "C1",
                    "cinv_cin_visit_date": date(2026, 3, 20),
                    "cinv_cin_visit_seen": "N",
                },
            ],
        }
    )
    referrals = as_dicts(found[3])
    assert [
        (r["Date of referral"], r["Referral Source"], r["Referral NFA?"]) for r in referrals
    ] == [(date(2025, 11, 10), "g) Police", "b) No")]
    assert referrals[0]["Number of Referrals in Last 12 Months"] == 2
    assert (referrals[0]["Allocated Team"], referrals[0]["Allocated Worker"]) == (
        "Assessment Team A",
        "Sam Lee",
    )
    [episode] = as_dicts(found[6])
    assert episode["CIN Start Date"] == date(2025, 11, 10)
    assert episode["Primary Need Code"] == "a) Abuse or neglect"
    assert episode["Date Child Was Last Seen"] == date(2026, 3, 2)  # 20 March: not seen
    assert (episode["CIN Closure Date"], episode["Reason for Closure"]) == (None, None)
    assert episode["Case Status"] == "c) Child in need plan"


MISSING = (
    "Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months"
)
AGAIN = (
    "Is this a second or subsequent period of being a Looked After Child within the last "
    "12 months (Y/N)"
)


def test_a_child_who_ceased_care_in_the_period() -> None:
    """C1 entered care on 10 January 2024 (S20, V2, then a care order, C2, from 1 March
    2024), placed with an agency foster carer (U6, PR4) from 10 January 2024 to 20 December
    2025, and returned home (E4A) on 20 December 2025. List 8 describes the period of care as
    on its last day: the care order and the foster placement, both ended that day."""
    found = lists_of(
        {
            "ssd_person": [CHILD],
            "ssd_cla_episodes": [
                {
                    "clae_cla_episode_id": "E1",
                    "clae_person_id": "C1",
                    "clae_cla_episode_start_date": date(2024, 1, 10),
                    "clae_cla_episode_ceased_date": date(2024, 3, 1),
                    "clae_cla_episode_ceased_reason": "X1",
                    "clae_cla_id": "CLA1",
                    "clae_entered_care_date": date(2024, 1, 10),
                    "clae_cla_primary_need_code": "N1",
                },
                {
                    "clae_cla_episode_id": "E2",
                    "clae_person_id": "C1",
                    "clae_cla_episode_start_date": date(2024, 3, 1),
                    "clae_cla_episode_ceased_date": date(2025, 12, 20),
                    "clae_cla_episode_ceased_reason": "E4A",
                    "clae_cla_id": "CLA1",
                    "clae_entered_care_date": date(2024, 1, 10),
                    "clae_cla_primary_need_code": "N1",
                },
            ],
            "ssd_legal_status": [
                {
                    "lega_legal_status_id": "L1",
                    "lega_person_id": "C1",
                    "lega_legal_status": "V2",
                    "lega_legal_status_start_date": date(2024, 1, 10),
                    "lega_legal_status_end_date": date(2024, 3, 1),
                },
                {
                    "lega_legal_status_id": "L2",
                    "lega_person_id": "C1",
                    "lega_legal_status": "C2",
                    "lega_legal_status_start_date": date(2024, 3, 1),
                    "lega_legal_status_end_date": date(2025, 12, 20),
                },
            ],
            "ssd_cla_placement": [
                {
                    "clap_cla_placement_id": "PL1",
                    "clap_cla_id": "CLA1",
                    "clap_person_id": "C1",
                    "clap_cla_placement_start_date": date(2024, 1, 10),
                    "clap_cla_placement_end_date": date(2025, 12, 20),
                    "clap_cla_placement_type": "U6",
                    "clap_cla_placement_provider": "PR4",
                    "clap_cla_placement_postcode": "SO14 7LP",
                },
            ],
        }
    )
    [child] = as_dicts(found[8])
    assert child["Date Started to be Looked After"] == date(2024, 1, 10)
    assert (child["Start date of current legal status"], child["Child's Legal Status"]) == (
        date(2024, 3, 1),
        "b) Full care orders",
    )
    assert child["Date Ceased to be Looked After"] == date(2025, 12, 20)
    assert (
        child["Reason Ceased to be Looked After"]
        == "d) Returned home to live with parents or relatives"
    )
    assert (
        child["Start Date of Most Recent Placement"],
        child["Placement Type"],
        child["Placement Provider"],
    ) == (date(2024, 1, 10), "a) Foster placement", "b) Private")
    # one placement open in the 12 months to 31 March 2026; no missing episodes
    assert child["Number of Placements in the Last 12 months"] == 1
    assert child[MISSING] == 0
    assert child[AGAIN] == "b) No"
    # a period of care that ended before the period began is not listed
    earlier = lists_of(
        {
            "ssd_person": [CHILD],
            "ssd_cla_episodes": [
                {
                    "clae_cla_episode_id": "E9",
                    "clae_person_id": "C1",
                    "clae_cla_episode_start_date": date(2024, 1, 10),
                    "clae_cla_episode_ceased_date": date(2025, 9, 29),
                    "clae_cla_episode_ceased_reason": "E4A",
                    "clae_cla_id": "CLA9",
                    "clae_entered_care_date": date(2024, 1, 10),
                }
            ],
        }
    )
    assert earlier[8].rows == ()


def test_adoption_decisions_that_stood_in_the_period() -> None:
    """D1: decided 1 May 2025, reversed 15 August 2025 (before the period): not listed. D2:
    decided 3 June 2025, placement order 1 October 2025, matched 2 February 2026, not yet
    placed: listed, with nothing after the as-at date. D3: decided 1 April 2026, after it:
    not listed."""
    found = lists_of(
        {
            "ssd_person": [CHILD],
            "ssd_permanence": [
                {
                    "perm_table_id": "D1",
                    "perm_person_id": "C1",
                    "perm_adm_decision_date": date(2025, 5, 1),
                    "perm_decision_reversed_date": date(2025, 8, 15),
                    "perm_decision_reversed_reason": "RD1",
                },
                {
                    "perm_table_id": "D2",
                    "perm_person_id": "C1",
                    "perm_adm_decision_date": date(2025, 6, 3),
                    "perm_placement_order_date": date(2025, 10, 1),
                    "perm_matched_date": date(2026, 2, 2),
                    "perm_placed_for_adoption_date": date(2026, 4, 2),
                },
                {
                    "perm_table_id": "D3",
                    "perm_person_id": "C1",
                    "perm_adm_decision_date": date(2026, 4, 1),
                },
            ],
        }
    )
    [decision] = as_dicts(found[10])
    assert decision["Date of Decision that Child Should be Placed for Adoption"] == date(2025, 6, 3)
    assert decision["Date of Placement Order"] == date(2025, 10, 1)
    assert decision["Date of Matching Child and Prospective Adopters"] == date(2026, 2, 2)
    assert decision["Date Placed for Adoption"] is None  # 2 April 2026: after the as-at date
    assert found[11].rows == ()  # no ext_adopters: the list's columns and no rows


def test_a_snapshot_made_before_a_table_was_added_reads_it_as_empty() -> None:
    """Snapshots never change: one loaded before the contract gained ext_adopters has no
    such table, and Annex A reads it as an absent file is read, empty."""
    con = snapshot_from_rows({"ssd_person": [CHILD]}, date(2026, 4, 10))
    con.execute("DROP TABLE ext_adopters")
    install(con)
    found = {t.annex.number: t for t in annex_a(con, window(AS_AT, 6))}
    assert found[11].rows == () and len(found) == 11


def test_an_adopter_approved_but_not_matched() -> None:
    """A1 enquired 4 March 2025, was approved 20 November 2025 and is not yet matched: listed,
    with nothing after approval. A2 withdrew on 1 August 2025, before the period: not
    listed. A3 (A1's partner) is listed too; a couple's two adopters share their family."""
    found = lists_of(
        {
            "ext_adopters": [
                {
                    "adop_adopter_id": "A1",
                    "adop_family_id": "F1",
                    "adop_sex": "F",
                    "adop_ethnicity": "WBRI",
                    "adop_enquiry_date": date(2025, 3, 4),
                    "adop_stage1_start_date": date(2025, 4, 1),
                    "adop_stage1_end_date": date(2025, 6, 2),
                    "adop_stage2_start_date": date(2025, 6, 16),
                    "adop_stage2_end_date": date(2025, 10, 30),
                    "adop_application_date": date(2025, 6, 16),
                    "adop_approved_date": date(2025, 11, 20),
                    "adop_disability": "N",
                },
                {
                    "adop_adopter_id": "A2",
                    "adop_sex": "M",
                    "adop_enquiry_date": date(2025, 2, 1),
                    "adop_left_date": date(2025, 8, 1),
                    "adop_left_reason": "WITHDREW",
                },
                {
                    "adop_adopter_id": "A3",
                    "adop_family_id": "F1",
                    "adop_sex": "M",
                    "adop_ethnicity": "BCRB",
                    "adop_enquiry_date": date(2025, 3, 4),
                    "adop_approved_date": date(2025, 11, 20),
                },
            ]
        }
    )
    adopters = as_dicts(found[11])
    assert [a["Individual adopter identifier"] for a in adopters] == ["A1", "A3"]
    first = adopters[0]
    assert (first["Family identifier"], first["Gender"], first["Ethnicity"]) == (
        "F1",
        "b) Female",
        "a) WBRI",
    )
    fostering = first["Is the (prospective) adopter fostering for adoption?"]
    assert (first["Disability"], fostering) == ("b) No", "No")  # this one: "Yes" or "No"
    assert first["Date application approved"] == date(2025, 11, 20)
    unmatched = (
        "Date adopter matched with child(ren)",
        "Date child/children placed with adopter(s)",
        "No. of children placed",
        "Date of Adoption Order",
        "Date of leaving adoption process",
        "Reason for leaving adoption process",
    )
    assert all(first[column] is None for column in unmatched)
    assert adopters[1]["Disability"] == "c) Unknown"  # not recorded


@pytest.fixture(scope="module")
def inspected(small_authority: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Cli, Path]:
    cli = Cli(tmp_path_factory.mktemp("annex"))
    cli.run("load", str(small_authority))
    out = cli.home / "annex-a.xlsx"
    cli.run("annex-a", "--out", str(out))
    return cli, out


def sheets(out: Path) -> dict[str, list[dict[str, object]]]:
    book = openpyxl.load_workbook(out, read_only=True)
    found = {}
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        width = len(rows[0])  # a row's empty cells at its end are not stored
        found[sheet.title] = [
            dict(zip(rows[0], (*row, *[None] * (width - len(row))), strict=True))
            for row in rows[1:]
        ]
        found[sheet.title + " header"] = [dict.fromkeys(rows[0])]
    return found


def test_the_workbook_has_ofsted_s_sheets_headers_and_values(inspected: tuple[Cli, Path]) -> None:
    """Each sheet named as Ofsted's template names it, its header the column map's columns in
    order; every coded value one the pipeline reads as that column's; every column the map
    says cannot be blank filled; dates real dates."""
    _, out = inspected
    found = sheets(out)
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames == [f"List {n}" for n in range(1, 12)]
    for number in range(1, 12):
        columns = schema()[f"list_{number}"]
        assert list(found[f"List {number} header"][0]) == list(columns)
        rows = found[f"List {number}"]
        assert rows, f"List {number} is empty"
        for name, spec in columns.items():
            values = [r[name] for r in rows]
            if spec.get("canbeblank") is False and name != "Placement postcode":
                assert all(v not in (None, "") for v in values), f"List {number} {name}: blank"
            if "category" in spec and name != "LA of Placement":
                known = accepted(spec)
                wrong = {v for v in values if v is not None and str(v).strip().lower() not in known}
                assert not wrong, f"List {number} {name}: {wrong}"
            if "date" in spec:
                assert all(v is None or hasattr(v, "year") for v in values), f"{number} {name}"
            if "numeric" in spec:
                assert all(v is None or (isinstance(v, int) and v >= 0) for v in values)


def test_the_command_is_logged_with_the_rows_it_wrote(inspected: tuple[Cli, Path]) -> None:
    cli, _ = inspected
    log = cli.run("access-log").stdout
    assert "Annex A (command line)" in log and "rows in 11 lists, to annex-a.xlsx" in log


def test_an_as_at_after_the_snapshot_or_a_csv_is_refused(inspected: tuple[Cli, Path]) -> None:
    cli, _ = inspected
    later = cli.run("annex-a", "--out", "a.xlsx", "--as-at", "2031-01-01", check=False)
    assert later.returncode == 1 and "cannot be drawn up for a later day" in later.stderr
    csv = cli.run("annex-a", "--out", "a.csv", check=False)
    assert csv.returncode == 1 and "ending .xlsx" in csv.stderr
    assert not (cli.home / "a.xlsx").exists()


def kpi_month(cli: Cli, kpi: str, month: str) -> dict[str, Any]:
    out = cli.run("kpi", "--kpi", kpi, "--period", month, "--format", "json").stdout
    [row] = json.loads(out)["values"]
    return dict(row)


def test_the_lists_count_what_the_indicators_count(inspected: tuple[Cli, Path]) -> None:
    """For February 2026, inside the period (30 September 2025 to 31 March 2026): contacts,
    referrals and Section 47 enquiries dated in the month, conferences held in it within 15
    working days of their enquiry's start, and children looked after on 31 March 2026 (the
    as-at date: periods of care with no end), as the indicators count them."""
    cli, out = inspected
    found = sheets(out)

    def in_feb(rows: list[dict[str, object]], column: str) -> list[dict[str, object]]:
        return [r for r in rows if str(r[column])[:7] == "2026-02"]

    assert (
        len(in_feb(found["List 1"], "Date of Contact"))
        == kpi_month(cli, "contacts", "2026-02")["value"]
    )
    assert (
        len(in_feb(found["List 3"], "Date of referral"))
        == kpi_month(cli, "referrals", "2026-02")["value"]
    )
    s47 = "Strategy discussion initiating Section 47 Enquiry Start Date"
    assert len(in_feb(found["List 5"], s47)) == kpi_month(cli, "s47_started", "2026-02")["value"]
    number = {
        d.day: d.working_day_number for d in calendar_rows(date(2025, 1, 1), date(2026, 12, 31))
    }
    held = in_feb(found["List 5"], "Date of Initial Child Protection Conference")

    def working_days(row: dict[str, object]) -> int:
        conference, started = row["Date of Initial Child Protection Conference"], row[s47]
        assert isinstance(conference, datetime) and isinstance(started, datetime)
        return number[conference.date()] - number[started.date()]

    on_time = [r for r in held if working_days(r) <= 15]
    icpc = kpi_month(cli, "icpc_15wd_pct", "2026-02")
    assert (len(on_time), len(held)) == (icpc["numerator"], icpc["denominator"])
    in_care = [r for r in found["List 8"] if r["Date Ceased to be Looked After"] is None]
    assert len(in_care) == kpi_month(cli, "cla_open", "2026-03")["value"]


def test_the_workbook_opens_in_libreoffice(inspected: tuple[Cli, Path], tmp_path: Path) -> None:
    """As an inspector's spreadsheet opens it: LibreOffice Calc, headless, converts it to a
    PDF (every sheet read, none refused)."""
    _, out = inspected
    profile = tmp_path / "profile"  # LibreOffice's own settings, not the user's
    done = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    converted = tmp_path / "annex-a.pdf"
    assert done.returncode == 0 and converted.is_file(), done.stderr
    text = subprocess.run(
        ["pdftotext", "-l", "1", str(converted), "-"], capture_output=True, text=True
    ).stdout
    # the columns wide enough to read: the header whole, dates as days, never "###"
    assert "Child Unique ID" in " ".join(text.split()) and "###" not in text
    assert re.search(r"\b\d\d/\d\d/20\d\d\b", text), text[:500]


def test_the_docs_are_written_from_the_definitions() -> None:
    text = (DOCS / "annex-a.md").read_text(encoding="utf-8")
    assert text == render_annex_a(), (
        "docs/annex-a.md is out of date: run `python -m scrutineer.inspection.docs > "
        "docs/annex-a.md`"
    )


def test_the_summary_counts_each_list_by_month_as_the_indicators_do(
    inspected: tuple[Cli, Path],
) -> None:
    """Beside the workbook: each list's records month by month, and the board's indicators
    for the same months. For every whole month of the period, contacts, referrals and S47
    enquiries counted from the lists equal the indicators beside them (one computation, the
    engine's); a PDF a reader can open, saying so."""
    cli, _ = inspected
    out = cli.home / "summary.pdf"
    cli.run("annex-a", "--out", str(cli.home / "again.xlsx"), "--summary", str(out))
    text = " ".join(
        subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout.split()
    )
    assert "List 1: Contacts" in text
    adopters = re.search(r"List 11: Adopters \(([\d,]+) records\)", text)
    assert adopters and int(adopters.group(1).replace(",", "")) > 0
    session = open_session(
        load_settings({"SCRUTINEER_DATA_DIR": str(cli.home / "data")}), "latest", None
    )
    try:
        period = window(session.manifest.as_at, 6)
        found = summarise(session.engine, period, annex_a(session.engine.con, period))
    finally:
        session.close()
    assert found.first_in_part and len(found.months) == 7  # 30 September, then six months
    by_list = {part.annex.number: part for part in found.lists}
    for number, kpi in ((1, "contacts"), (3, "referrals"), (5, "s47_started")):
        part = by_list[number]
        line = next(line for line in part.indicators if line.kpi.id == kpi)
        assert part.by_month is not None
        counted = list(part.by_month[1:])  # the whole months
        assert counted == [v.value for v in line.values[1:] if v is not None], kpi
    visits = next(line for line in by_list[7].indicators if line.kpi.id == "cp_visits_10wd_pct")
    assert visits.exceptions is not None and len(visits.exceptions) == 7
    assert len(visits.latest) == visits.exceptions[-1] > 0  # March's children, listed
    assert "The exception lists, Mar 2026" in text and str(visits.latest[0].person_id) in text

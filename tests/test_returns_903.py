"""Hand-worked SSDA903 cases beyond the episodes (tests/test_returns.py): the outcomes of
children looked after for the whole year (OC2), social worker episodes, and adoption. All
for the 2024/25 collection (1 April 2024 to 31 March 2025).

OC2 (looked after for the whole year: in care on 1 April 2024 or before and still on
31 March 2025, or leaving that very day):
- 101, born 10 May 2016 (8 on 31 March): in care since 1 January 2024. SDQ 14 on
  10 October 2024; review health assessment 1 September 2024 (in the last 12 months: up to
  date) with immunisations up to date; dental check 1 June 2024. Under 10, so no conviction
  item; 5 or over, so no health and development check item.
- 102, born 29 February 2020 (a leap day; 5 on 28 February 2025, so 5 on 31 March): in care
  since 2023; last health assessment 1 August 2024 (within 12 months, so up to date);
  immunisations not up to date; no dental check. SDQ due (4 by 1 April 2024) but none
  recorded: SDQ4 (other), not SDQ1 (which is for a child who turned 4 or 17 in the year).
- 103, born 1 December 2009 (15): in care since 2022; convicted 1 December 2024; substance
  misuse identified 1 July 2024, no intervention received, one offered; last health
  assessment 30 March 2024 (more than 12 months before 31 March 2025: not up to date).
- 104: came into care on 2 April 2024: not a whole year, so no OC2 row.
- 105, born 1 June 2022 (2): in care since 2023, left on 31 March 2025 (E4A): a whole year
  (as the DfE's rules count it). Under 5: the health and development check is up to date
  with an assessment on 1 December 2024 (within 6 months); under 4: no SDQ item.

Social worker episodes (106, in care from 1 June 2024): W1 allocated from 1 March 2024 to
1 July 2024 (before care: clipped to 1 June); W2 from 30 June to 2 July (a handover day
that ends W1 on 30 June, and 2 days long, so folded into the next); W3 from 2 July, open,
"Case transferred"; W4 from 1 August to 1 September (alongside W3: left out); a family
support worker (no registration) from 1 June: not a social worker. So: W1 01/06/2024 to
30/06/2024 FCONTA; W3 from 30/06/2024, open, TSPROC.

Care leavers (OC3): 108, born 15 July 2006, turned 18 in the year; at the end of July 2024
she was in touch, in full-time education (F2) and of no fixed abode (S), which is never
suitable: S2. Not looked after in the year, so her header has no motherhood item. 109 turned
22 in the year: too old for OC3.

Previous permanence, asked of the children who began to be looked after in the year (104,
106): 104 was under a special guardianship order (P2) made by Blackpool (889) in May 2019,
day unknown (zz/05/2019); 106's row says none (Z1) yet names an authority and a date, which
a Z1 must not carry (rule 635): left out.

Unaccompanied asylum-seeking children (UASC), with the date the status ceased (DUC): 101,
still UASC on 31 March 2025, ceases on her 18th birthday, 10 May 2034; 102, born on a leap
day, on 28 February 2038 (as the DfE's rules count an 18th birthday); 103 ceased on
1 November 2024 (leave to remain granted); 104's status ends on 1 June 2025, after the
year, so not yet known on 31 March: her 18th birthday, 6 June 2030.

Adoption (107, born 1 March 2023): in care from 1 May 2023 with foster carers (U4); care
order (C2) from 1 November 2023; placement order (E1) from 1 June 2024; placed for adoption
with the same carers under the order (A5) on 1 July 2024: RNE T (carers unchanged, legal
status unchanged); adopted on 15 January 2025 (E11). The decision that the child should be
placed for adoption was on 1 March 2024, the match on 20 June 2024; adopted by the foster
carers, a man and a woman, married.
"""

from __future__ import annotations

from pathlib import Path

from scrutineer.returns.collection import Collection
from scrutineer.returns.ssda903 import HEADERS, export_903
from tests.support.extracts import write_csv
from tests.support.returns import LEGAL_STATUS, PERIOD_OF_CARE, PLACEMENT, snapshot, table

YEAR = Collection(2025)


def extract(folder: Path) -> Path:
    write_csv(
        folder,
        "ssd_person",
        ("pers_person_id", "pers_sex", "pers_dob", "pers_ethnicity"),
        ("101", "F", "2016-05-10", "WBRI"),
        ("102", "M", "2020-02-29", "WBRI"),
        ("103", "M", "2009-12-01", "WBRI"),
        ("104", "F", "2012-06-06", "WBRI"),
        ("105", "F", "2022-06-01", "WBRI"),
        ("106", "M", "2011-01-01", "WBRI"),
        ("107", "F", "2023-03-01", "WBRI"),
        ("108", "F", "2006-07-15", "WBRI"),
        ("109", "M", "2002-05-01", "WBRI"),
    )
    periods = {  # child: (start, end, reason)
        "101": ("2024-01-01", "", ""),
        "102": ("2023-05-05", "", ""),
        "103": ("2022-02-02", "", ""),
        "104": ("2024-04-02", "", ""),
        "105": ("2023-01-10", "2025-03-31", "E4A"),
        "106": ("2024-06-01", "", ""),
        "107": ("2023-05-01", "2025-01-15", "E11"),
    }
    write_csv(
        folder,
        "ssd_cla_episodes",
        PERIOD_OF_CARE,
        *((f"E{c}", c, s, "N1", e, r, f"P{c}", s) for c, (s, e, r) in periods.items()),
    )
    placements = [(f"PL{c}", f"P{c}", c, s, e, "U4", "PR1", "") for c, (s, e, _) in periods.items()]
    placements[-1] = ("PL107", "P107", "107", "2023-05-01", "2024-07-01", "U4", "PR1", "")
    placements.append(("PL107A", "P107", "107", "2024-07-01", "2025-01-15", "A5", "PR1", ""))
    write_csv(
        folder,
        "ssd_cla_placement",
        PLACEMENT,
        *placements,
    )
    statuses = [(f"L{c}", c, "C2", s, e) for c, (s, e, _) in periods.items() if c != "107"]
    statuses += [
        ("L107A", "107", "C1", "2023-05-01", "2023-11-01"),
        ("L107B", "107", "C2", "2023-11-01", "2024-06-01"),
        ("L107C", "107", "E1", "2024-06-01", "2025-01-15"),
    ]
    write_csv(
        folder,
        "ssd_legal_status",
        LEGAL_STATUS,
        *statuses,
    )
    outcomes(folder)
    social_workers(folder)
    previous_permanence(folder)
    write_csv(
        folder,
        "ext_care_leaver_status",
        ("clst_status_id", "clst_person_id", "clst_month_end", "clst_eligibility")
        + ("clst_in_touch", "clst_activity", "clst_accommodation", "clst_accom_suitable"),
        ("S1", "108", "2024-06-30", "FORMER_RELEVANT", "YES", "G5", "S", "Y"),
        ("S2", "108", "2024-07-31", "FORMER_RELEVANT", "YES", "F2", "S", "Y"),
        ("S3", "108", "2024-08-31", "FORMER_RELEVANT", "YES", "F2", "D", "Y"),
        ("S4", "109", "2024-05-31", "FORMER_RELEVANT", "YES", "F4", "U", "Y"),
    )
    write_csv(
        folder,
        "ssd_permanence",
        (
            "perm_table_id",
            "perm_person_id",
            "perm_cla_id",
            "perm_adm_decision_date",
            "perm_placement_order_date",
            "perm_matched_date",
            "perm_placed_for_adoption_date",
            "perm_adopted_by_carer_flag",
            "perm_number_of_adopters",
            "perm_adopter_sex",
            "perm_adopter_legal_status",
        ),
        ("PM1", "107", "P107", "2024-03-01", "2024-06-01", "2024-06-20", "2024-07-01")
        + ("Y", "2", "MF", "L11"),
    )
    write_csv(
        folder,
        "ssd_immigration_status",
        ("immi_immigration_status_id", "immi_person_id", "immi_immigration_status")
        + ("immi_immigration_status_start_date", "immi_immigration_status_end_date"),
        ("I1", "101", "UASC", "2024-01-01", ""),
        ("I2", "102", "UASC", "2023-05-05", ""),
        ("I3", "103", "UASC", "2022-02-02", "2024-11-01"),
        ("I4", "104", "UASC", "2024-04-02", "2025-06-01"),
    )
    return folder


def outcomes(folder: Path) -> None:
    write_csv(
        folder,
        "ssd_cla_health",
        ("clah_health_check_id", "clah_person_id", "clah_health_check_type")
        + ("clah_health_check_date",),
        ("H1", "101", "RHA", "2024-09-01"),
        ("H2", "101", "DENTAL", "2024-06-01"),
        ("H3", "102", "RHA", "2024-08-01"),
        ("H4", "103", "RHA", "2024-03-30"),
        ("H5", "105", "RHA", "2024-12-01"),
    )
    write_csv(
        folder,
        "ssd_cla_immunisations",
        ("clai_person_id", "clai_immunisations_status", "clai_immunisations_status_date"),
        ("101", "Y", "2024-09-01"),
        ("102", "N", "2024-08-01"),
    )
    write_csv(
        folder,
        "ssd_sdq_scores",
        ("csdq_table_id", "csdq_person_id", "csdq_sdq_completed_date", "csdq_sdq_score"),
        ("Q1", "101", "2024-10-10", "14"),
    )
    write_csv(
        folder,
        "ssd_cla_convictions",
        ("clac_cla_conviction_id", "clac_person_id", "clac_cla_conviction_date"),
        ("C1", "103", "2024-12-01"),
    )
    write_csv(
        folder,
        "ssd_cla_substance_misuse",
        ("clas_substance_misuse_id", "clas_person_id", "clas_substance_misuse_date")
        + ("clas_intervention_received",),
        ("S1", "103", "2024-07-01", "N"),
    )
    write_csv(
        folder,
        "ext_substance_misuse_offers",
        ("clso_substance_misuse_id", "clso_intervention_offered"),
        ("S1", "Y"),
    )


def previous_permanence(folder: Path) -> None:
    write_csv(
        folder,
        "ssd_cla_previous_permanence",
        (
            "lapp_table_id",
            "lapp_person_id",
            "lapp_previous_permanence_order_date",
            "lapp_previous_permanence_option",
            "lapp_previous_permanence_la",
        ),
        ("PP1", "104", "zz/05/2019", "P2", "889"),
        ("PP2", "106", "01/01/2020", "Z1", "800"),
    )


def social_workers(folder: Path) -> None:
    write_csv(
        folder,
        "ssd_professionals",
        ("prof_professional_id", "prof_social_worker_registration_no"),
        ("W1", "SW0001"),
        ("W2", "SW0002"),
        ("W3", "SW0003"),
        ("W4", "SW0004"),
        ("F1", ""),
    )
    write_csv(
        folder,
        "ssd_involvements",
        (
            "invo_involvements_id",
            "invo_professional_id",
            "invo_professional_role_id",
            "invo_professional_team",
            "invo_involvement_start_date",
            "invo_involvement_end_date",
            "invo_worker_change_reason",
            "invo_person_id",
        ),
        ("I1", "W1", "ALLOCATED_CASE_WORKER", "", "2024-03-01", "2024-07-01", "", "106"),
        ("I2", "W2", "ALLOCATED_CASE_WORKER", "", "2024-06-30", "2024-07-02", "", "106"),
        ("I3", "W3", "ALLOCATED_CASE_WORKER", "", "2024-07-02", "", "Case transferred", "106"),
        ("I4", "W4", "ALLOCATED_CASE_WORKER", "", "2024-08-01", "2024-09-01", "", "106"),
        ("I5", "F1", "ALLOCATED_CASE_WORKER", "", "2024-06-01", "", "", "106"),
    )


def files(tmp_path: Path) -> dict[str, str]:
    con = snapshot(tmp_path, extract(tmp_path / "extract"), Collection(2026).start)
    return export_903(con, YEAR)


def test_children_looked_after_all_year_have_their_outcomes(tmp_path: Path) -> None:
    rows = {r["CHILD"]: r for r in table(files(tmp_path), "oc2.csv")}
    assert sorted(rows) == ["101", "102", "103", "105"]  # 104 came in on 2 April
    columns = HEADERS["oc2"][2:]  # SDQ_SCORE, SDQ_REASON, CONVICTED, HEALTH_CHECK,
    # IMMUNISATIONS, TEETH_CHECK, HEALTH_ASSESSMENT, SUBSTANCE_MISUSE, INTERVENTION_RECEIVED
    # and INTERVENTION_OFFERED
    got = {child: tuple(row[c] for c in columns) for child, row in rows.items()}
    assert got["101"] == ("14", "", "", "", "1", "1", "1", "0", "", "")
    assert got["102"] == ("", "SDQ4", "", "", "0", "0", "1", "0", "", "")
    # 103 misused a substance and received no intervention; one was offered (an extension:
    # the SSD does not record offers)
    assert got["103"] == ("", "SDQ4", "1", "", "0", "0", "0", "1", "0", "1")
    assert got["105"] == ("", "", "", "1", "0", "0", "1", "0", "", "")


def test_social_worker_episodes_tile_the_time_in_care(tmp_path: Path) -> None:
    got = [
        (r["SW_ID"], r["SW_DECOM"], r["SW_DEC"], r["SW_REASON"])
        for r in table(files(tmp_path), "sw_episodes.csv")
        if r["CHILD"] == "106"
    ]
    assert got == [
        ("SW0001", "01/06/2024", "30/06/2024", "FCONTA"),
        ("SW0003", "30/06/2024", "", "TSPROC"),
    ]


def test_an_adoption_has_its_decision_placement_and_adopters(tmp_path: Path) -> None:
    written = files(tmp_path)
    episodes = [
        (e["DECOM"], e["RNE"], e["LS"], e["PLACE"], e["DEC"], e["REC"])
        for e in table(written, "episodes.csv")
        if e["CHILD"] == "107"
    ]
    assert episodes == [
        # the S episode ended on 1 November 2023, before the year: not in the return
        ("01/11/2023", "L", "C2", "U4", "01/06/2024", "X1"),
        ("01/06/2024", "L", "E1", "U4", "01/07/2024", "X1"),
        ("01/07/2024", "T", "E1", "A5", "15/01/2025", "E11"),  # same carers: T, not P
    ]
    assert [list(r.values()) for r in table(written, "placed_for_adoption.csv")] == [
        ["107", "01/03/2023", "01/03/2024", "", ""]
    ]
    assert [list(r.values()) for r in table(written, "ad1.csv")] == [
        ["107", "01/03/2023", "01/03/2024", "20/06/2024", "1", "2", "MF", "L11"]
    ]


def test_care_leavers_are_reported_on_their_birthdays(tmp_path: Path) -> None:
    written = files(tmp_path)
    assert [list(r.values()) for r in table(written, "oc3.csv")] == [
        ["108", "15/07/2006", "YES", "F2", "S2"]
    ]
    header = {r["CHILD"]: r for r in table(written, "header.csv")}
    assert "109" not in header and header["108"]["MOTHER"] == ""
    assert header["107"]["MOTHER"] == "0"  # looked after in the year: asked


def test_previous_permanence_is_read_from_the_ssd(tmp_path: Path) -> None:
    rows = {r["CHILD"]: r for r in table(files(tmp_path), "prev_perm.csv")}
    got = {c: (r["PREV_PERM"], r["LA_PERM"], r["DATE_PERM"]) for c, r in rows.items()}
    assert got["104"] == ("P2", "889", "zz/05/2019")
    assert got["106"] == ("Z1", "", "")


def test_unaccompanied_children_s_status_ceases_by_their_18th_birthday(tmp_path: Path) -> None:
    ceased = {r["CHILD"]: r["DUC"] for r in table(files(tmp_path), "uasc.csv")}
    assert ceased == {
        "101": "10/05/2034",
        "102": "28/02/2038",
        "103": "01/11/2024",
        "104": "06/06/2030",
    }

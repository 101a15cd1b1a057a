"""Returns written from small extracts worked out by hand (a real snapshot, loaded as any
extract is). The DfE's rule packs check the synthetic authority's returns in
test_returns_conformance.py; these tests pin what each return says about a few children.

Child 001 (903, collection 2024/25): looked after from Monday 10 June 2024 under section 20
(V2) in a foster placement (U6); moved on Sunday 1 September 2024 to another (U4, because
the carer asked, CREQB); a care order (C2) from 15 November 2024; home on 20 February 2025
(E4A). So three episodes: S on 10/06/2024 ending X1 with CREQB (the next begins with a new
placement); P on 01/09/2024 ending X1 with no reason (the next is a change of legal status
only); L on 15/11/2024 ending E4A.
Child 002: looked after from 1 March 2025, placement and legal status both new on 20 March
2025 (RNE B), still looked after on 31 March 2026: in 2024/25 the last episode has no end.
Child 003: a period that ended on 28 February 2024, before the year: not in the return.
Child 004: semi-independent accommodation (H5) from 1 February 2025: registered supported
accommodation (K3) in both years, as from 2024/25 (a looked-after child in supported
accommodation must be in a registered setting from 28 October 2023; 2025/26 has no H5).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import duckdb
import pytest

from scrutineer.calendar import Period
from scrutineer.catalogue.load import load_catalogue
from scrutineer.engine.compute import Engine
from scrutineer.engine.population import Populations
from scrutineer.extract.load import load_extract
from scrutineer.extract.snapshots import SnapshotStore
from scrutineer.returns import cin_import
from scrutineer.returns.cin_census import Source, export_cin
from scrutineer.returns.collection import Collection, CollectionInvalid
from scrutineer.returns.export import ReturnIncomplete, export_returns
from scrutineer.returns.findings import ReturnRejected
from scrutineer.returns.load import import_return
from scrutineer.returns.ssda903 import export_903
from scrutineer.settings import load_settings
from tests.support.extracts import write_csv
from tests.support.paths import SHARED
from tests.support.returns import LEGAL_STATUS, PERIOD_OF_CARE, PLACEMENT, snapshot, table

PERSON = ("pers_person_id", "pers_sex", "pers_dob", "pers_ethnicity")


def test_a_collection_is_named_by_the_year_it_ends() -> None:
    assert Collection.parse("2025") == Collection.parse("2024/25") == Collection.parse("2024-25")
    assert (Collection(2025).start, Collection(2025).end) == (date(2024, 4, 1), date(2025, 3, 31))
    assert str(Collection(2026)) == "2025/26"
    # the year a day falls in, and the last one over by a day (31 March ends a year)
    assert Collection.of(date(2025, 3, 31)) == Collection.of(date(2024, 4, 1)) == Collection(2025)
    assert Collection.of(date(2025, 4, 1)) == Collection(2026)
    assert Collection.ended_by(date(2026, 3, 30)) == Collection(2025)
    assert Collection.ended_by(date(2026, 3, 31)) == Collection(2026)
    assert Collection.ended_by(date(2026, 11, 26)) == Collection(2026)
    for wrong in ("2022", "2028", "2024/26", "next year"):
        with pytest.raises(CollectionInvalid, match="2025 is 2024/25"):
            Collection.parse(wrong)


def looked_after(folder: Path) -> Path:
    write_csv(
        folder,
        "ssd_person",
        PERSON,
        ("001", "M", "2010-05-15", "WBRI"),
        ("002", "F", "2012-01-20", "WBRI"),
        ("003", "F", "2009-03-03", "WBRI"),
        ("004", "M", "2008-07-07", "WBRI"),
    )
    write_csv(
        folder,
        "ssd_cla_episodes",
        PERIOD_OF_CARE,
        ("E1", "001", "2024-06-10", "N1", "2025-02-20", "E4A", "P1", "2024-06-10"),
        ("E2", "002", "2025-03-01", "N4", "", "", "P2", "2025-03-01"),
        ("E3", "003", "2023-09-01", "N1", "2024-02-28", "E4A", "P3", "2023-09-01"),
        ("E4", "004", "2025-02-01", "N6", "", "", "P4", "2025-02-01"),
    )
    placements = (
        ("PL1", "P1", "001", "2024-06-10", "2024-09-01", "U6", "PR1", "CREQB"),
        ("PL2", "P1", "001", "2024-09-01", "2025-02-20", "U4", "PR4", ""),
        ("PL3", "P2", "002", "2025-03-01", "2025-03-20", "U6", "PR1", "CARPL"),
        ("PL4", "P2", "002", "2025-03-20", "", "K2", "PR4", ""),
        ("PL5", "P3", "003", "2023-09-01", "2024-02-28", "U6", "PR1", ""),
        ("PL6", "P4", "004", "2025-02-01", "", "H5", "PR4", ""),
    )
    write_csv(
        folder,
        "ssd_cla_placement",
        PLACEMENT,
        *placements,
    )
    write_csv(
        folder,
        "ssd_legal_status",
        LEGAL_STATUS,
        ("L1", "001", "V2", "2024-06-10", "2024-11-15"),
        ("L2", "001", "C2", "2024-11-15", "2025-02-20"),
        ("L3", "002", "V2", "2025-03-01", "2025-03-20"),
        ("L4", "002", "C1", "2025-03-20", ""),
        ("L5", "003", "V2", "2023-09-01", "2024-02-28"),
        ("L6", "004", "V2", "2025-02-01", ""),
    )
    return folder


def test_periods_of_care_are_cut_into_903_episodes(tmp_path: Path) -> None:
    con = snapshot(tmp_path, looked_after(tmp_path / "extract"), date(2026, 3, 31))
    files = export_903(con, Collection(2025))
    episodes = [
        (e["CHILD"], e["DECOM"], e["RNE"], e["LS"], e["PLACE"], e["DEC"], e["REC"])
        + (e["REASON_PLACE_CHANGE"],)
        for e in table(files, "episodes.csv")
    ]
    assert episodes == [
        ("001", "10/06/2024", "S", "V2", "U6", "01/09/2024", "X1", "CREQB"),
        ("001", "01/09/2024", "P", "V2", "U4", "15/11/2024", "X1", ""),
        ("001", "15/11/2024", "L", "C2", "U4", "20/02/2025", "E4A", ""),
        ("002", "01/03/2025", "S", "V2", "U6", "20/03/2025", "X1", "CARPL"),
        ("002", "20/03/2025", "B", "C1", "K2", "", "", ""),
        ("004", "01/02/2025", "S", "V2", "K3", "", "", ""),
    ]
    assert [h["CHILD"] for h in table(files, "header.csv")] == ["001", "002", "004"]  # not 003
    assert [p["CHILD"] for p in table(files, "prev_perm.csv")] == ["001", "002", "004"]
    # every file has exactly the DfE's header, in its order
    assert files["episodes.csv"].splitlines()[0] == (
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,"
        "PL_POST,URN"
    )
    next_year = export_903(con, Collection(2026))
    assert [(e["CHILD"], e["RNE"], e["PLACE"]) for e in table(next_year, "episodes.csv")] == [
        ("002", "B", "K2"),
        ("004", "S", "K3"),  # semi-independent (H5) is registered supported (K3) from 2024/25
    ]
    assert table(next_year, "prev_perm.csv") == []  # 002 began the year before
    assert "dolo.csv" not in next_year and "dolo.csv" in export_903(con, Collection(2027))


def in_need(folder: Path) -> Path:
    """Child 010: referred 2 May 2024; assessed 3 May to 14 June 2024 (factors 3B and 16A);
    a S47 enquiry from 5 June 2024 whose conference on 19 June 2024 began a CP plan; the
    plan's review conferences on 11 September 2024 and 6 May 2025 (after the year); the plan
    and the referral end on 6 May 2025, after 31 March: both are open in 2024/25. An earlier
    plan (2021) makes this one's NumberOfPreviousCPP 1."""
    write_csv(folder, "ssd_person", PERSON, ("010", "F", "2016-02-29", "WBRI"))
    write_csv(  # the UPN is one of the SSD's linked identifiers
        folder,
        "ssd_linked_identifiers",
        ("link_table_id", "link_person_id", "link_identifier_type", "link_identifier_value"),
        ("L1", "010", "Case Number", "CASE-77"),
        ("L2", "010", "Unique Pupil Number", "A318200112345"),
    )
    write_csv(
        folder,
        "ssd_cin_episodes",
        (
            "cine_referral_id",
            "cine_person_id",
            "cine_referral_date",
            "cine_cin_primary_need_code",
            "cine_referral_source_code",
            "cine_referral_nfa",
            "cine_close_reason",
            "cine_close_date",
        ),
        ("R0", "010", "2021-01-04", "N1", "5A", "N", "RC7", "2021-12-01"),
        ("R1", "010", "2024-05-02", "N1", "5A", "N", "RC7", "2025-05-06"),
    )
    write_csv(
        folder,
        "ssd_cin_assessments",
        (
            "cina_assessment_id",
            "cina_person_id",
            "cina_referral_id",
            "cina_assessment_start_date",
            "cina_assessment_auth_date",
        ),
        ("A1", "010", "R1", "2024-05-03", "2024-06-14"),
    )
    write_csv(
        folder,
        "ssd_assessment_factors",
        ("cinf_table_id", "cinf_assessment_id", "cinf_assessment_factors_json"),
        ("F1", "A1", '["3B", "16A"]'),
    )
    write_csv(
        folder,
        "ssd_s47_enquiry",
        (
            "s47e_s47_enquiry_id",
            "s47e_referral_id",
            "s47e_person_id",
            "s47e_s47_start_date",
            "s47e_s47_end_date",
        ),
        ("S1", "R1", "010", "2024-06-05", "2024-06-19"),
    )
    write_csv(
        folder,
        "ssd_initial_cp_conference",
        (
            "icpc_icpc_id",
            "icpc_s47_enquiry_id",
            "icpc_person_id",
            "icpc_referral_id",
            "icpc_icpc_target_date",
            "icpc_icpc_date",
            "icpc_icpc_outcome_cp_flag",
        ),
        ("C1", "S1", "010", "R1", "2024-06-26", "2024-06-19", "Y"),
    )
    write_csv(
        folder,
        "ssd_cp_plans",
        (
            "cppl_cp_plan_id",
            "cppl_referral_id",
            "cppl_person_id",
            "cppl_cp_plan_start_date",
            "cppl_cp_plan_end_date",
            "cppl_cp_plan_initial_category",
            "cppl_cp_plan_latest_category",
        ),
        ("CP0", "R0", "010", "2021-02-01", "2021-11-30", "NEG", "NEG"),
        ("CP1", "R1", "010", "2024-06-19", "2025-05-06", "NEG", "EMO"),
    )
    write_csv(
        folder,
        "ssd_cp_reviews",
        ("cppr_cp_review_id", "cppr_person_id", "cppr_cp_plan_id", "cppr_cp_review_date"),
        ("V1", "010", "CP1", "2024-09-11"),
        ("V2", "010", "CP1", "2025-05-06"),
    )
    return folder


def test_the_cin_census_holds_the_year_as_it_was_on_31_march(tmp_path: Path) -> None:
    con = snapshot(tmp_path, in_need(tmp_path / "extract"), date(2026, 3, 31))
    root = ET.fromstring(export_cin(con, Collection(2025), Source("318", date(2026, 3, 31))))
    assert root.findtext("Header/CollectionDetails/ReferenceDate") == "2025-03-31"
    assert root.findtext("Header/Source/DateTime") == "2026-03-31T00:00:00"
    (child,) = root.findall("Children/Child")
    assert child.findtext("ChildIdentifiers/UPN") == "A318200112345"
    assert child.findtext("ChildIdentifiers/PersonBirthDate") == "2016-02-29"
    assert [d.text for d in child.iter("Disability")] == ["NONE"]
    (details,) = child.findall("CINdetails")  # the 2021 referral closed before the year
    assert details.find("CINclosureDate") is None and details.find("ReasonForClosure") is None
    assert details.findtext("ReferralNFA") == "0"
    factors = [f.text for f in details.iter("AssessmentFactors")]
    assert factors == ["3B", "16A"]
    s47 = details.find("Section47")
    assert s47 is not None
    assert (s47.findtext("DateOfInitialCPC"), s47.findtext("InitialCPCtarget")) == (
        "2024-06-19",
        "2024-06-26",
    )
    assert details.find("DateOfInitialCPC") is None  # recorded once, with its enquiry
    plan = details.find("ChildProtectionPlans")
    assert plan is not None
    assert plan.find("CPPendDate") is None  # ended 6 May 2025: after the reference date
    assert plan.findtext("NumberOfPreviousCPP") == "1"
    assert [r.text for r in plan.iter("CPPreviewDate")] == ["2024-09-11"]


def test_a_return_needs_a_snapshot_that_reaches_its_reference_date(tmp_path: Path) -> None:
    extract = in_need(tmp_path / "extract")
    settings = load_settings({"SCRUTINEER_DATA_DIR": str(tmp_path / "data")}, tmp_path / ".env")
    load_extract(extract, SnapshotStore(settings.snapshots_dir), date(2025, 3, 30))
    with pytest.raises(ReturnIncomplete, match="needs records to 2025-03-31"):
        export_returns(settings, Collection(2025), tmp_path / "out")
    assert not (tmp_path / "out").exists()  # nothing written
    written = export_returns(settings, Collection(2024), tmp_path / "out")
    assert {p.name for p in written} >= {"cin_2024.xml", "episodes.csv", "header.csv"}


SAMPLES = SHARED / "returns"


def test_the_dfe_minimal_census_imports_cleanly(tmp_path: Path) -> None:
    """shared/returns/cin_minimal_2025: CHILD0001 with an assessment (factors 3A, 4B), a CIN
    plan, a S47 whose conference on 1 July 2024 began a CP plan with one review; CHILD0002
    with an assessment (5A) and a CIN plan."""
    store = SnapshotStore(tmp_path / "snapshots")
    result = import_return(SAMPLES / "cin_minimal_2025" / "cin_2025.xml", store)
    assert result.manifest.as_at == date(2025, 3, 31)
    assert result.issues == []  # a census holds only its own tables: nothing to warn of
    assert result.manifest.rows["ssd_person"] == 2
    assert result.manifest.rows["ssd_cp_reviews"] == 1
    assert result.manifest.rows["ssd_assessment_factors"] == 2  # a row per assessment
    con = duckdb.connect(str(store.db_path(result.manifest.id)), read_only=True)
    conference = con.execute(
        "SELECT icpc_icpc_date, icpc_icpc_target_date, icpc_icpc_outcome_cp_flag, "
        "icpc_s47_enquiry_id IS NOT NULL FROM ssd_initial_cp_conference"
    ).fetchall()
    assert conference == [(date(2024, 7, 1), date(2024, 7, 3), "Y", True)]
    plan = con.execute("SELECT cppl_icpc_id IS NOT NULL FROM ssd_cp_plans").fetchall()
    assert plan == [(True,)]  # the plan knows the conference that began it


def test_a_census_round_trips_through_the_extract(tmp_path: Path) -> None:
    """Export, import the file, export again: the same children and records. The number
    of earlier CP plans the census states is kept with the plan (ext_previous_cp_plans),
    though the 2021 plan it counts is not in the 2024/25 return."""
    con = snapshot(tmp_path / "first", in_need(tmp_path / "extract"), date(2026, 3, 31))
    first = export_cin(con, Collection(2025), Source("318", date(2026, 3, 31)))
    (tmp_path / "cin.xml").write_bytes(first)
    store = SnapshotStore(tmp_path / "second")
    loaded = import_return(tmp_path / "cin.xml", store)
    again = duckdb.connect(str(store.db_path(loaded.manifest.id)), read_only=True)
    second = export_cin(again, Collection(2025), Source("318", loaded.manifest.as_at))
    trees = [ET.fromstring(x).find("Children") for x in (first, second)]
    assert trees[0] is not None and trees[1] is not None
    assert [e.text for e in trees[0].iter("NumberOfPreviousCPP")] == ["1"]
    assert ET.tostring(trees[0]) == ET.tostring(trees[1])
    assert again.execute("SELECT cppp_previous_cp_plans FROM ext_previous_cp_plans").fetchall() == [
        (1,)
    ]


HOSTILE = {
    "entities.xml": (
        '<?xml version="1.0"?><!DOCTYPE Message [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Message>&b;</Message>',
        "declares a document type",
    ),
    "external.xml": (
        '<?xml version="1.0"?><!DOCTYPE Message [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        "<Message>&x;</Message>",
        "declares a document type",
    ),
    "broken.xml": ("<Message><Header></Message>", "line 1, column 20: not well-formed"),
    "other.xml": ("<EXPSSDA903><CHILD/></EXPSSDA903>", "CHILD 1 has no <HEADER>"),  # a 903
    "unknown.xml": ("<Report><Row/></Report>", "no <CHILD> under <Report>"),
    "empty.xml": (
        "<Message><Header><CollectionDetails><ReferenceDate>2025-03-31"
        "</ReferenceDate></CollectionDetails></Header><Children/></Message>",
        "no <Child>",
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_and_malformed_files_are_refused_and_nothing_is_stored(
    tmp_path: Path, name: str
) -> None:
    text, message = HOSTILE[name]
    (tmp_path / name).write_text(text, encoding="utf-8")
    store = SnapshotStore(tmp_path / "snapshots")
    with pytest.raises(ReturnRejected, match=re.escape(message)):
        import_return(tmp_path / name, store)
    assert store.manifests() == []


def test_an_oversized_file_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cin_import, "MAX_BYTES", 100)  # the real limit is 200 MB
    (tmp_path / "big.xml").write_text("<Message>" + " " * 200 + "</Message>", encoding="utf-8")
    with pytest.raises(ReturnRejected, match="over the 0 MB"):
        import_return(tmp_path / "big.xml", SnapshotStore(tmp_path / "snapshots"))


def test_a_census_lists_every_child_without_an_id_at_once(tmp_path: Path) -> None:
    child = (
        "<Child><ChildIdentifiers>{}<Sex>M</Sex></ChildIdentifiers>"
        "<ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>"
        "<CINdetails><CINreferralDate>2025-05-01</CINreferralDate><ReferralSource>1A"
        "</ReferralSource><ReferralNFA>0</ReferralNFA></CINdetails></Child>"
    )
    census = (
        "<Message><Header><CollectionDetails><Collection>CIN</Collection><Year>2026</Year>"
        "<ReferenceDate>2026-03-31</ReferenceDate></CollectionDetails></Header><Children>"
        + child.format("<LAchildID>A1</LAchildID>")
        + child.format("")
        + child.format("<LAchildID> </LAchildID>")
        + "</Children></Message>"
    )
    (tmp_path / "cin_2026.xml").write_text(census, encoding="utf-8")
    store = SnapshotStore(tmp_path / "snapshots")
    with pytest.raises(ReturnRejected) as caught:
        import_return(tmp_path / "cin_2026.xml", store)
    assert [i.message for i in caught.value.issues] == [
        "<Child> 2 has no LAchildID",
        "<Child> 3 has no LAchildID",
    ]
    assert "cin_2026.xml: 2 error(s)" in str(caught.value) and store.manifests() == []


OLD_CENSUS = """<?xml version="1.0" encoding="UTF-8"?>
<Message xmlns="http://www.example.org/cin">
  <Header>
    <CollectionDetails><Collection>CIN</Collection><Year>2018</Year>
      <ReferenceDate>2018-03-31</ReferenceDate></CollectionDetails>
    <Source><SourceLevel>L</SourceLevel><LEA>999</LEA><SoftwareCode>CMS</SoftwareCode>
      <Release>4.2</Release><SerialNo>7</SerialNo><DateTime>2018-04-20T09:30:00</DateTime>
    </Source>
  </Header>
  <Children>
    <Child>
      <ChildIdentifiers><LAchildID>OLD1</LAchildID><UPNunknown>UN2</UPNunknown>
        <PersonBirthDate>2010-04-01</PersonBirthDate><GenderCurrent>1</GenderCurrent>
      </ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2017-05-02</CINreferralDate><ReferralSource>5A</ReferralSource>
        <PrimaryNeedCode>N1</PrimaryNeedCode><ReferralNFA>false</ReferralNFA>
        <Assessments><AssessmentActualStartDate>2017-05-03</AssessmentActualStartDate>
          <AssessmentAuthorisationDate>2017-06-20</AssessmentAuthorisationDate>
          <FactorsIdentifiedAtAssessment><AssessmentFactors>3A</AssessmentFactors>
          </FactorsIdentifiedAtAssessment></Assessments>
        <CINPlanDates><CINPlanStartDate>2017-06-21</CINPlanStartDate></CINPlanDates>
      </CINdetails>
    </Child>
    <Child>
      <ChildIdentifiers><LAchildID>OLD2</LAchildID><UPN>A123456789012</UPN>
        <PersonBirthDate>2012-08-15</PersonBirthDate><GenderCurrent>2</GenderCurrent>
      </ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>MWBA</Ethnicity>
        <Disabilities><Disability>NONE</Disability></Disabilities></ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2017-09-01</CINreferralDate><ReferralSource>3A</ReferralSource>
        <PrimaryNeedCode>N9</PrimaryNeedCode><ReferralNFA>true</ReferralNFA>
        <CINclosureDate>2017-09-01</CINclosureDate><ReasonForClosure>RC8</ReasonForClosure>
      </CINdetails>
    </Child>
    <Child>
      <ChildIdentifiers><LAchildID>OLD3</LAchildID><UPNunknown>UN1</UPNunknown>
        <PersonBirthDate>2015-01-20</PersonBirthDate><GenderCurrent>9</GenderCurrent>
      </ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2016-11-01</CINreferralDate><ReferralSource>1B</ReferralSource>
        <PrimaryNeedCode>N1</PrimaryNeedCode><ReferralNFA>0</ReferralNFA>
        <CINclosureDate>2018-01-15</CINclosureDate><ReasonForClosure>RC1</ReasonForClosure>
        <Section47><S47ActualStartDate>2016-11-02</S47ActualStartDate>
          <InitialCPCtarget>2016-11-23</InitialCPCtarget>
          <DateOfInitialCPC>2016-11-20</DateOfInitialCPC>
          <ICPCnotRequired>false</ICPCnotRequired></Section47>
        <ChildProtectionPlans><CPPstartDate>2016-11-20</CPPstartDate>
          <CPPendDate>2017-12-01</CPPendDate><InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>
          <LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse>
          <NumberOfPreviousCPP>0</NumberOfPreviousCPP>
          <Reviews><CPPreviewDate>2017-02-10</CPPreviewDate></Reviews>
          <Reviews><CPPreviewDate>2017-08-10</CPPreviewDate></Reviews>
        </ChildProtectionPlans>
      </CINdetails>
      <CINdetails>
        <CINreferralDate>2018-02-10</CINreferralDate><ReferralSource>1B</ReferralSource>
        <PrimaryNeedCode>N1</PrimaryNeedCode><ReferralNFA>0</ReferralNFA>
        <DateOfInitialCPC>2018-03-01</DateOfInitialCPC>
        <Section47><S47ActualStartDate>2018-02-12</S47ActualStartDate>
          <InitialCPCtarget>2018-03-05</InitialCPCtarget>
          <DateOfInitialCPC>2018-03-01</DateOfInitialCPC>
          <ICPCnotRequired>false</ICPCnotRequired></Section47>
        <ChildProtectionPlans><CPPstartDate>2018-03-01</CPPstartDate>
          <InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>
          <LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse>
          <NumberOfPreviousCPP>1</NumberOfPreviousCPP>
        </ChildProtectionPlans>
      </CINdetails>
    </Child>
    <Child>
      <ChildIdentifiers>
        <LAchildID> OLD4 </LAchildID>stray text a system left between elements
        <PersonBirthDate>
          2009-06-30
        </PersonBirthDate><GenderCurrent>0</GenderCurrent>
      </ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>NOBT</Ethnicity></ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2017-10-10</CINreferralDate><ReferralSource>2A</ReferralSource>
        <PrimaryNeedCode>N2</PrimaryNeedCode><ReferralNFA>0</ReferralNFA>
        <CINclosureDate/><ReasonForClosure/>
      </CINdetails>
    </Child>
  </Children>
</Message>
"""


def test_a_2017_18_census_as_a_system_of_the_time_wrote_it(tmp_path: Path) -> None:
    """A 2017/18 census in that year's conventions: sex as GenderCurrent (1 boy, 2 girl, 9
    not stated, 0 not known), ReferralNFA as true/false or 0/1, each CP review in its own
    <Reviews>, a conference named on the referral as well as its enquiry, a default
    namespace, values padded with spaces and newlines, text a system left between elements,
    empty elements. Counted by hand, at 31 March 2018: CIN open 3 (OLD1, OLD3's second
    referral, OLD4; OLD2's ended the day it began, OLD3's first on 15 January); referrals in
    2017/18 4 (OLD1, OLD2, OLD4, OLD3's second; OLD3's first was in November 2016); one
    child on a plan (OLD3's second, begun on 1 March 2018 at a conference that day, with
    one plan before it)."""
    (tmp_path / "cin_2018.xml").write_text(OLD_CENSUS, encoding="utf-8")
    store = SnapshotStore(tmp_path / "snapshots")
    result = import_return(tmp_path / "cin_2018.xml", store)
    assert result.manifest.as_at == date(2018, 3, 31)
    con = duckdb.connect(str(store.db_path(result.manifest.id)), read_only=True)
    people = con.execute(
        "SELECT pers_person_id, pers_sex, pers_dob FROM ssd_person ORDER BY 1"
    ).fetchall()
    assert people == [
        ("OLD1", "M", date(2010, 4, 1)),
        ("OLD2", "F", date(2012, 8, 15)),
        ("OLD3", "U", date(2015, 1, 20)),
        ("OLD4", "U", date(2009, 6, 30)),
    ]
    assert con.execute("SELECT count(*) FROM ssd_cp_reviews").fetchone() == (2,)
    assert con.execute("SELECT count(*) FROM ssd_initial_cp_conference").fetchone() == (2,)
    catalogue = load_catalogue()
    engine = Engine(con, catalogue, Populations("E09000027", 44_000))
    march = Period(2018, 3)
    values = {
        kpi: engine.kpi_values(catalogue.get(kpi), march, march)[0].value
        for kpi in ("cin_open", "referrals_ytd", "cpp_open", "icpc_held")
    }
    assert values == {"cin_open": 3, "referrals_ytd": 4, "cpp_open": 1, "icpc_held": 1}


def test_a_census_before_2016_17_is_refused(tmp_path: Path) -> None:
    census = OLD_CENSUS.replace("2018-03-31", "2016-03-31")
    (tmp_path / "cin_2016.xml").write_text(census, encoding="utf-8")
    store = SnapshotStore(tmp_path / "snapshots")
    with pytest.raises(ReturnRejected, match="2015/16: a CIN census from 2016/17 on"):
        import_return(tmp_path / "cin_2016.xml", store)
    assert store.manifests() == []

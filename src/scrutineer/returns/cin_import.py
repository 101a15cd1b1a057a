"""A CIN census XML file read into extract tables, then loaded as any extract is.

What the census does not hold is absent (no names, workers, teams, visits or enquiry end
dates): the indicators that need them say so. Ids are made from the child's id and the
position of each record in the file (`CHILD/2` is the child's second referral), so reading
the same file twice gives the same snapshot.

Unsafe files are refused before anything is read from them: a document type declaration
(which carries entity expansion and external entities), a file over 200 MB, or one that is
not well-formed XML.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import parse

from scrutineer.calendar import parse_day
from scrutineer.returns.collection import READ_FROM, Collection
from scrutineer.returns.findings import Findings, ReturnRejected

MAX_BYTES = 200 * 1024 * 1024
Tables = dict[str, list[dict[str, str]]]
SEX_BEFORE_2024 = {"1": "M", "2": "F", "0": "U", "9": "U"}  # GenderCurrent, to 2023/24


def read_cin(path: Path) -> tuple[Tables, date]:
    """The extract tables the census holds, and its reference date."""
    root = _root(path)
    reference = _date(root.findtext("Header/CollectionDetails/ReferenceDate"), "ReferenceDate")
    if reference is None:
        raise ReturnRejected(f"{path.name}: the header has no ReferenceDate.")
    collection = Collection.of(reference)
    if collection.year < READ_FROM:
        raise ReturnRejected(
            f"{path.name}: the census is for {collection}: a CIN census from "
            f"{Collection(READ_FROM)} on can be read in, in the formats checked here "
            "(docs/returns.md); earlier ones are not."
        )
    tables: Tables = defaultdict(list)
    findings = Findings()
    children = root.findall("Children/Child")
    for number, child in enumerate(children, start=1):
        if not _text(child.find("ChildIdentifiers"), "LAchildID"):  # every one, at once
            findings.error(
                "no-child-id",
                f"<Child> {number} has no LAchildID",
                path.name,
                hint="Give every child its id, as the census requires",
            )
            continue
        _child(child, tables)
    findings.refuse_if_errors(path.name)
    if not children:
        raise ReturnRejected(
            f"{path.name}: no <Child> under <Children>. A CIN census holds a <Child> for each "
            "child, under <Children>, with their <CINdetails>."
        )
    return dict(tables), reference


def _root(path: Path) -> Element:
    root = parse_safely(path)
    if root.tag != "Message":
        raise ReturnRejected(f"{path.name}: the root is <{root.tag}>, not a census <Message>.")
    return root


def parse_safely(path: Path) -> Element:
    """A return's XML, refused if too big, not well-formed, or declaring a document type;
    element names without their namespace."""
    if path.stat().st_size > MAX_BYTES:
        raise ReturnRejected(
            f"{path.name} is {path.stat().st_size / 2**20:.0f} MB: over the {MAX_BYTES // 2**20}"
            " MB a return can be. Check it is the right file."
        )
    try:
        root = parse(path, forbid_dtd=True).getroot()
    except DefusedXmlException as error:
        raise ReturnRejected(
            f"{path.name} declares a document type or entities ({type(error).__name__}): a "
            "return never needs them and they can be used to attack the reader, so it is "
            "refused. Export the return again without a DOCTYPE."
        ) from None
    except ParseError as error:
        line, column = error.position  # expat counts columns from 0
        raise ReturnRejected(
            f"{path.name}, line {line}, column {column + 1}: not well-formed XML "
            f"({str(error).split(':')[0]})."
        ) from None
    if root is None:
        raise ReturnRejected(f"{path.name} is empty.")
    for element in root.iter():  # a default namespace: read the elements by their names
        if isinstance(element.tag, str) and element.tag.startswith("{"):
            element.tag = element.tag.split("}", 1)[1]
    return root


def upn_identifier(person: str, upn: str) -> dict[str, str]:
    """A child's UPN as the SSD holds it: a row of ssd_linked_identifiers."""
    return {
        "link_table_id": f"{person}/UPN",
        "link_person_id": person,
        "link_identifier_type": "Unique Pupil Number",
        "link_identifier_value": upn,
    }


def _child(child: Element, tables: Tables) -> None:
    ids = child.find("ChildIdentifiers")
    person = _text(ids, "LAchildID")
    sex = _text(ids, "Sex") or SEX_BEFORE_2024.get(_text(ids, "GenderCurrent"), "")
    tables["ssd_person"].append(
        {
            "pers_person_id": person,
            "pers_sex": sex,
            "pers_ethnicity": _text(child.find("ChildCharacteristics"), "Ethnicity"),
            "pers_dob": _text(ids, "PersonBirthDate"),
            "pers_expected_dob": _text(ids, "ExpectedPersonBirthDate"),
            "pers_death_date": _text(ids, "PersonDeathDate"),
            "pers_upn_unknown": _text(ids, "UPNunknown"),
        }
    )
    if _text(ids, "UPN"):
        tables["ssd_linked_identifiers"].append(upn_identifier(person, _text(ids, "UPN")))
    codes = [d.text.strip() for d in child.iter("Disability") if d.text and d.text.strip()]
    for index, code in enumerate(c for c in codes if c.upper() != "NONE"):
        tables["ssd_disability"].append(
            {
                "disa_table_id": f"{person}/D{index + 1}",
                "disa_person_id": person,
                "disa_disability_code": code,
            }
        )
    for number, details in enumerate(child.findall("CINdetails"), start=1):
        _referral(person, f"{person}/{number}", details, tables)


def _referral(person: str, referral: str, details: Element, tables: Tables) -> None:
    tables["ssd_cin_episodes"].append(
        {
            "cine_referral_id": referral,
            "cine_person_id": person,
            "cine_referral_date": _text(details, "CINreferralDate"),
            "cine_cin_primary_need_code": _text(details, "PrimaryNeedCode"),
            "cine_referral_source_code": _text(details, "ReferralSource"),
            "cine_referral_nfa": _flag(_text(details, "ReferralNFA")),
            "cine_close_reason": _text(details, "ReasonForClosure"),
            "cine_close_date": _text(details, "CINclosureDate"),
        }
    )
    for index, block in enumerate(details.findall("Assessments"), start=1):
        assessment = f"{referral}/A{index}"
        tables["ssd_cin_assessments"].append(
            {
                "cina_assessment_id": assessment,
                "cina_person_id": person,
                "cina_referral_id": referral,
                "cina_assessment_start_date": _text(block, "AssessmentActualStartDate"),
                "cina_assessment_auth_date": _text(block, "AssessmentAuthorisationDate"),
            }
        )
        factors = [(f.text or "").strip() for f in block.iter("AssessmentFactors")]
        if factors:
            tables["ssd_assessment_factors"].append(
                {
                    "cinf_table_id": f"{assessment}/F",
                    "cinf_assessment_id": assessment,
                    "cinf_assessment_factors_json": json.dumps([f for f in factors if f]),
                }
            )
    for index, block in enumerate(details.findall("CINPlanDates"), start=1):
        tables["ssd_cin_plans"].append(
            {
                "cinp_cin_plan_id": f"{referral}/N{index}",
                "cinp_referral_id": referral,
                "cinp_person_id": person,
                "cinp_cin_plan_start_date": _text(block, "CINPlanStartDate"),
                "cinp_cin_plan_end_date": _text(block, "CINPlanEndDate"),
            }
        )
    plan_starts = {_text(p, "CPPstartDate") for p in details.findall("ChildProtectionPlans")}
    conferences = {}  # date -> conference id
    for index, block in enumerate(details.findall("Section47"), start=1):
        enquiry = f"{referral}/S{index}"
        tables["ssd_s47_enquiry"].append(
            {
                "s47e_s47_enquiry_id": enquiry,
                "s47e_referral_id": referral,
                "s47e_person_id": person,
                "s47e_s47_start_date": _text(block, "S47ActualStartDate"),
                "s47e_s47_end_date": "",  # the census does not hold it
                "s47e_s47_nfa": _flag(_text(block, "ICPCnotRequired")),
            }
        )
        held = _text(block, "DateOfInitialCPC")
        if held:
            conferences[held] = _conference(
                person,
                referral,
                enquiry,
                held,
                _text(block, "InitialCPCtarget"),
                plan_starts,
                tables,
            )
    held = _text(details, "DateOfInitialCPC")
    if held and held not in conferences:  # a conference whose enquiry is not in the return
        conferences[held] = _conference(person, referral, "", held, "", plan_starts, tables)
    for index, block in enumerate(details.findall("ChildProtectionPlans"), start=1):
        plan = f"{referral}/P{index}"
        start = _text(block, "CPPstartDate")
        tables["ssd_cp_plans"].append(
            {
                "cppl_cp_plan_id": plan,
                "cppl_referral_id": referral,
                "cppl_icpc_id": conferences.get(start, ""),
                "cppl_person_id": person,
                "cppl_cp_plan_start_date": start,
                "cppl_cp_plan_end_date": _text(block, "CPPendDate"),
                "cppl_cp_plan_initial_category": _text(block, "InitialCategoryOfAbuse"),
                "cppl_cp_plan_latest_category": _text(block, "LatestCategoryOfAbuse"),
            }
        )
        previous = _text(block, "NumberOfPreviousCPP")
        if previous:  # plans before the census's records began, or in another authority
            tables["ext_previous_cp_plans"].append(
                {"cppp_cp_plan_id": plan, "cppp_previous_cp_plans": previous}
            )
        for number, review in enumerate(block.iter("CPPreviewDate"), start=1):
            tables["ssd_cp_reviews"].append(
                {
                    "cppr_cp_review_id": f"{plan}/R{number}",
                    "cppr_person_id": person,
                    "cppr_cp_plan_id": plan,
                    "cppr_cp_review_date": (review.text or "").strip(),
                }
            )


def _conference(
    person: str,
    referral: str,
    enquiry: str,
    held: str,
    target: str,
    plan_starts: set[str],
    tables: Tables,
) -> str:
    conference = f"{referral}/C{len(tables['ssd_initial_cp_conference']) + 1}"
    tables["ssd_initial_cp_conference"].append(
        {
            "icpc_icpc_id": conference,
            "icpc_s47_enquiry_id": enquiry,
            "icpc_person_id": person,
            "icpc_referral_id": referral,
            "icpc_icpc_target_date": target,
            "icpc_icpc_date": held,
            "icpc_icpc_outcome_cp_flag": "Y" if held in plan_starts else "N",
        }
    )
    return conference


def _text(parent: Element | None, name: str) -> str:
    if parent is None:
        return ""
    return (parent.findtext(name) or "").strip()


def _flag(value: str) -> str:
    return "Y" if value.lower() in ("1", "true") else "N"


def _date(value: str | None, what: str) -> date | None:
    if not value:
        return None
    found = parse_day(value, iso_only=True)
    if found is None:
        raise ReturnRejected(f"{what} {value!r} is not a date (YYYY-MM-DD).")
    return found

"""The CIN census return, written from a snapshot for a collection year.

Who is in it, following the DfE's guidance for the census: every child with a referral
(a CIN episode) open at any time in the year, NFA referrals included. Within each referral:
the assessments open at any time in the year, the CIN plans and child protection plans
that overlap it (plans on behalf of another authority left out), the section 47 enquiries
started in it or whose initial conference was held in it, and the review conferences held
in it. Anything dated after the reference
date (31 March) is not yet known to the return: an end after it is left empty.

The element names and order are the census's (returns/FORMATS.md in the shared folder);
one `<Reviews>` holds one review date, which every reader takes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date

import duckdb

from scrutineer.calendar import add_working_days
from scrutineer.returns.collection import Collection
from scrutineer.returns.query import IN_LIST, PEOPLE, Row, grouped, open_in_year, rows


@dataclass(frozen=True)
class Source:
    """Who made the return: written in its header."""

    lea: str  # the DfE's three-digit number of the authority
    as_at: date  # the snapshot's as-at date: the return's DateTime, so files are reproducible
    release: str = "Scrutineer"


LAST_GENDER_CURRENT = 2024  # the last census (2023/24) with GenderCurrent in place of Sex
GENDER_CURRENT = {"M": "1", "F": "2", "U": "0"}


def export_cin(con: duckdb.DuckDBPyConnection, collection: Collection, source: Source) -> bytes:
    """The census as XML bytes (UTF-8, with its declaration)."""
    year = _Year(con, collection)
    root = ET.Element("Message")
    root.append(_header(collection, source))
    children = ET.SubElement(root, "Children")
    for person in year.children():
        children.append(year.child(person))
    ET.indent(root)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


def _header(collection: Collection, source: Source) -> ET.Element:
    header = ET.Element("Header")
    details = ET.SubElement(header, "CollectionDetails")
    _leaves(details, ("Collection", "CIN"), ("Year", collection.year))
    _leaves(details, ("ReferenceDate", collection.end))
    found = ET.SubElement(header, "Source")
    _leaves(
        found,
        ("SourceLevel", "L"),
        ("LEA", source.lea),
        ("SoftwareCode", "Scrutineer"),
        ("Release", source.release),
        ("SerialNo", "001"),
        ("DateTime", f"{source.as_at.isoformat()}T00:00:00"),
    )
    return header


class _Year:
    """The year's records, read once and grouped by child and referral."""

    def __init__(self, con: duckdb.DuckDBPyConnection, collection: Collection) -> None:
        self.collection = collection
        window = collection.window
        self.referrals = rows(
            con,
            f"""SELECT * FROM ssd_cin_episodes
               WHERE {open_in_year("cine_referral_date", "cine_close_date")}
               ORDER BY cine_person_id, cine_referral_date, cine_referral_id""",
            window,
        )
        ids = sorted({r["cine_person_id"] for r in self.referrals})
        self.people = {r["pers_person_id"]: r for r in rows(con, PEOPLE, [ids])}
        self.disabilities = grouped(
            rows(
                con,
                f"SELECT * FROM ssd_disability WHERE disa_person_id IN {IN_LIST} ORDER BY 1",
                [ids],
            ),
            "disa_person_id",
        )
        self.assessments = grouped(
            rows(
                con,
                f"""SELECT * FROM ssd_cin_assessments
                   WHERE {open_in_year("cina_assessment_start_date", "cina_assessment_auth_date")}
                   ORDER BY cina_assessment_start_date, cina_assessment_id""",
                window,
            ),
            "cina_referral_id",
        )
        self.factors = grouped(
            rows(  # one row per factor of each assessment's JSON list
                con,
                """SELECT cinf_assessment_id,
                          unnest(from_json(cinf_assessment_factors_json, '["VARCHAR"]')) AS factor
                   FROM ssd_assessment_factors ORDER BY cinf_table_id""",
                [],
            ),
            "cinf_assessment_id",
        )
        self.cin_plans = grouped(
            rows(
                con,
                f"""SELECT * FROM ssd_cin_plans
                   WHERE {open_in_year("cinp_cin_plan_start_date", "cinp_cin_plan_end_date")}
                   ORDER BY cinp_cin_plan_start_date, cinp_cin_plan_id""",
                window,
            ),
            "cinp_referral_id",
        )
        self.enquiries = grouped(
            rows(
                con,
                """SELECT * FROM ssd_s47_enquiry
                   WHERE s47e_s47_start_date BETWEEN $start AND $end
                      OR (s47e_s47_start_date < $start AND s47e_s47_enquiry_id IN (
                            SELECT icpc_s47_enquiry_id FROM ssd_initial_cp_conference
                            WHERE icpc_icpc_date BETWEEN $start AND $end))
                   ORDER BY s47e_s47_start_date, s47e_s47_enquiry_id""",
                window,
            ),
            "s47e_referral_id",
        )
        conferences = rows(
            con,
            """SELECT c.*, s.s47e_s47_start_date AS s47_start FROM ssd_initial_cp_conference c
               LEFT JOIN ssd_s47_enquiry s ON s.s47e_s47_enquiry_id = c.icpc_s47_enquiry_id
               WHERE c.icpc_icpc_date BETWEEN $start AND $end
               ORDER BY c.icpc_icpc_date, c.icpc_icpc_id""",
            window,
        )
        self.conference_of = {c["icpc_s47_enquiry_id"]: c for c in conferences}
        # an ICPC in the year is recorded with its enquiry (returned if begun the year
        # before); only one with no enquiry in the extract is recorded on the referral
        self.earlier_enquiry_conferences = grouped(
            [c for c in conferences if c["s47_start"] is None], "icpc_referral_id"
        )
        plans = rows(
            con,
            # earlier plans: those in the extract, or the count recorded with the plan
            # (plans before the records began, or in another authority) if it is more
            f"""SELECT p.*, greatest(
                             (SELECT count(*) FROM ssd_cp_plans e
                               WHERE e.cppl_person_id = p.cppl_person_id
                                 AND coalesce(e.cppl_cp_plan_ola, 'N') <> 'Y'
                                 AND e.cppl_cp_plan_start_date < p.cppl_cp_plan_start_date),
                             coalesce(r.cppp_previous_cp_plans, 0)) AS previous
               FROM ssd_cp_plans p
               LEFT JOIN ext_previous_cp_plans r ON r.cppp_cp_plan_id = p.cppl_cp_plan_id
               WHERE coalesce(p.cppl_cp_plan_ola, 'N') <> 'Y'
                 AND {open_in_year("p.cppl_cp_plan_start_date", "p.cppl_cp_plan_end_date")}
               ORDER BY p.cppl_cp_plan_start_date, p.cppl_cp_plan_id""",
            window,
        )
        self.cp_plans = grouped(plans, "cppl_referral_id")
        self.reviews = grouped(
            rows(
                con,
                """SELECT * FROM ssd_cp_reviews
                   WHERE cppr_cp_review_date BETWEEN $start AND $end
                   ORDER BY cppr_cp_review_date, cppr_cp_review_id""",
                window,
            ),
            "cppr_cp_plan_id",
        )
        self.by_child = grouped(self.referrals, "cine_person_id")

    def children(self) -> list[str]:
        return list(self.by_child)

    def sex(self, code: str) -> tuple[str, str]:
        """Sex as the year's schema has it: GenderCurrent (1 male, 2 female, 0 not recorded)
        up to 2023/24, Sex (M, F, U) from 2024/25."""
        if self.collection.year <= LAST_GENDER_CURRENT:
            return "GenderCurrent", GENDER_CURRENT.get(code, "0")
        return "Sex", code

    def known(self, day: date | None) -> date | None:
        """A date the return can know: on or before the reference date."""
        return day if day is not None and day <= self.collection.end else None

    def child(self, person_id: str) -> ET.Element:
        person = self.people[person_id]
        child = ET.Element("Child")
        identifiers = ET.SubElement(child, "ChildIdentifiers")
        _leaves(
            identifiers,
            ("LAchildID", person_id),
            ("UPN", person["upn"]),
            ("UPNunknown", person.get("pers_upn_unknown")),
            ("PersonBirthDate", person["pers_dob"]),
            (
                "ExpectedPersonBirthDate",
                None if person["pers_dob"] else person["pers_expected_dob"],
            ),
            self.sex(person["pers_sex"] or "U"),
            ("PersonDeathDate", self.known(person["pers_death_date"])),
        )
        characteristics = ET.SubElement(child, "ChildCharacteristics")
        _leaves(characteristics, ("Ethnicity", person["pers_ethnicity"]))
        disabilities = ET.SubElement(characteristics, "Disabilities")
        codes = sorted({d["disa_disability_code"] for d in self.disabilities.get(person_id, [])})
        for code in codes or ["NONE"]:
            _leaves(disabilities, ("Disability", code))
        for referral in self.by_child[person_id]:
            child.append(self.details(referral))
        return child

    def details(self, referral: Row) -> ET.Element:
        ref = referral["cine_referral_id"]
        closed = self.known(referral["cine_close_date"])
        element = ET.Element("CINdetails")
        earlier = self.earlier_enquiry_conferences.get(ref, [])
        _leaves(
            element,
            ("CINreferralDate", referral["cine_referral_date"]),
            ("ReferralSource", referral["cine_referral_source_code"]),
            ("PrimaryNeedCode", referral["cine_cin_primary_need_code"]),
            ("CINclosureDate", closed),
            ("ReasonForClosure", referral["cine_close_reason"] if closed else None),
            ("DateOfInitialCPC", earlier[0]["icpc_icpc_date"] if earlier else None),
        )
        for assessment in self.assessments.get(ref, []):
            block = ET.SubElement(element, "Assessments")
            authorised = self.known(assessment["cina_assessment_auth_date"])
            _leaves(
                block,
                ("AssessmentActualStartDate", assessment["cina_assessment_start_date"]),
                ("AssessmentAuthorisationDate", authorised),
            )
            found = self.factors.get(assessment["cina_assessment_id"], [])
            if authorised and found:  # factors belong to a completed assessment
                factors = ET.SubElement(block, "FactorsIdentifiedAtAssessment")
                for factor in found:
                    _leaves(factors, ("AssessmentFactors", factor["factor"]))
        for plan in self.cin_plans.get(ref, []):
            block = ET.SubElement(element, "CINPlanDates")
            _leaves(
                block,
                ("CINPlanStartDate", plan["cinp_cin_plan_start_date"]),
                ("CINPlanEndDate", self.known(plan["cinp_cin_plan_end_date"])),
            )
        for enquiry in self.enquiries.get(ref, []):
            element.append(self.section47(enquiry))
        # the schema's order: after the enquiries, before the plans
        _leaves(element, ("ReferralNFA", "1" if referral["cine_referral_nfa"] == "Y" else "0"))
        for plan in self.cp_plans.get(ref, []):
            element.append(self.protection_plan(plan))
        return element

    def section47(self, enquiry: Row) -> ET.Element:
        conference = self.conference_of.get(enquiry["s47e_s47_enquiry_id"])
        started = enquiry["s47e_s47_start_date"]
        target = (conference or {}).get("icpc_icpc_target_date") or add_working_days(started, 15)
        not_required = conference is None and enquiry["s47e_s47_nfa"] == "Y"
        block = ET.Element("Section47")
        _leaves(
            block,
            ("S47ActualStartDate", started),
            ("InitialCPCtarget", target),
            ("DateOfInitialCPC", conference["icpc_icpc_date"] if conference else None),
            ("ICPCnotRequired", "1" if not_required else "0"),
        )
        return block

    def protection_plan(self, plan: Row) -> ET.Element:
        block = ET.Element("ChildProtectionPlans")
        _leaves(
            block,
            ("CPPstartDate", plan["cppl_cp_plan_start_date"]),
            ("CPPendDate", self.known(plan["cppl_cp_plan_end_date"])),
            ("InitialCategoryOfAbuse", plan["cppl_cp_plan_initial_category"]),
            ("LatestCategoryOfAbuse", plan["cppl_cp_plan_latest_category"]),
            ("NumberOfPreviousCPP", plan["previous"]),
        )
        reviews = self.reviews.get(plan["cppl_cp_plan_id"], [])
        if reviews:  # one Reviews element holding every review date, as the schema has it
            held = ET.SubElement(block, "Reviews")
            for review in reviews:
                _leaves(held, ("CPPreviewDate", review["cppr_cp_review_date"]))
        return block


def _leaves(parent: ET.Element, *fields: tuple[str, object]) -> None:
    """Child elements for the fields that have a value (a missing one is left out)."""
    for name, value in fields:
        if value is None or value == "":
            continue
        ET.SubElement(parent, name).text = (
            value.isoformat() if isinstance(value, date) else str(value)
        )

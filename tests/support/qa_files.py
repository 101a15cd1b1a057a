"""Quality-assurance records as a council would write them: one CSV text per record type, with
the codes and dates in the forms people type (labels, any case, dd/mm/yyyy)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from scrutineer.records.qa import export_file, record_types

FILES = {
    "audit_programmes": (
        "name,kind,starts,ends,schedule,description\n"
        "Neglect thematic 2025,thematic,2025-04-01,2026-03-31,10 cases a month,Neglect\n"
        "Core tool,core_tool,01/04/2025,,monthly,\n"
    ),
    "audits": (
        "audit_ref,programme,person_id,auditor,audit_date,completed_date,grade_chronology,"
        "grade_assessment,grade_plan,grade_visiting,grade_supervision,grade_overall,"
        "strengths,improvements,moderated_grade,moderator,moderated_on,moderation_reasons\n"
        "A1,Core tool,000123,Ann Auditor,2026-02-03,2026-02-10,Good,good,Requires Improvement,"
        "good,inadequate,Good,Voice of the child,Supervision,requires-improvement,Pat PSW,"
        "2026-02-20,Supervision not reflective\n"
        "A2,Neglect thematic 2025,000456,Ann Auditor,14/02/2026,,,,,,,Outstanding,,,,,,\n"
    ),
    "audit_actions": (
        "audit_ref,action,owner,due_date,done_date\n"
        "A1,Update the chronology,Team Manager A,2026-03-01,2026-02-27\n"
        "A1,Reflective supervision,Team Manager A,2026-03-15,\n"
    ),
    "iro_alerts": (
        "alert_ref,person_id,iro,raised_date,reasons,resolved_level,resolved_date,impact\n"
        "I1,000789,Ian IRO,2026-01-05,visiting_frequency;permanence_drift,service_manager,"
        "2026-01-30,Visits restored\n"
        "I2,000790,Ian IRO,2026-02-02,Plan Disagreement,,,\n"
    ),
    "iro_alert_stages": (
        "alert_ref,level,started_date,due_date,responded_date,response\n"
        "I1,informal,2026-01-05,2026-01-12,2026-01-14,Late reply\n"
        "I1,service_manager,2026-01-15,2026-01-29,2026-01-28,Plan agreed\n"
    ),
    "review_adjournments": ("person_id,review_date,reason,note\n000789,2026-02-11,no_care_plan,\n"),
}


def write(folder: Path, files: dict[str, str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in files.items():
        path = folder / f"{name}.csv"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def exported(engine: Engine) -> dict[str, str]:
    """Every QA record type exported as CSV text, by name."""
    return {name: export_file(engine, name) for name in record_types()}

"""A year of quality-assurance records for a synthetic authority: case audits with their
actions, IRO alerts with the levels they reached, and adjourned reviews - all about the
authority's own (synthetic) children, read from its extract, and written as the files
`scrutineer qa import` reads (docs/qa-records.md).

The shares are set to look like the brief's authority: about half of audited cases good or
better, a third of alerts escalated past the informal stage, most responses in time.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from scrutineer.calendar import Period, add_working_days, is_working_day
from scrutineer.settings import ALERT_LEVELS
from scrutineer.synth.names import worker_name

GRADES = ("outstanding", "good", "requires_improvement", "inadequate")
OVERALL = ((0, 0.06), (1, 0.46), (2, 0.37), (3, 0.11))  # index into GRADES, share
DOMAINS = ("chronology", "assessment", "plan", "visiting", "supervision")
PROGRAMMES = (  # name, kind, schedule, audits a month, who: "open" or "looked_after"
    ("Core tool audits", "core_tool", "15 cases a month across every team", 15, "open"),
    ("Neglect thematic audit", "thematic", "4 cases a month, reported quarterly", 4, "open"),
    ("MASH multi-agency audit", "multi_agency", "3 contacts a month", 3, "open"),
    ("Fostering audit", "fostering", "2 cases a month", 2, "looked_after"),
    ("IRO peer audit", "iro_peer", "2 reviews a month", 2, "looked_after"),
)
ESCALATE = (0.33, 0.3, 0.25)  # the chance an alert goes on from each level to the next
REASONS = (
    ("visiting_frequency", 0.22),
    ("care_planning_gaps", 0.2),
    ("permanence_drift", 0.16),
    ("assessment_quality", 0.12),
    ("review_preparation", 0.12),
    ("plan_disagreement", 0.08),
    ("unregulated_placement", 0.05),
    ("other", 0.05),
)
STRENGTHS = (
    "The child's voice is clear throughout the record.",
    "Good multi-agency working with school and health.",
    "Visits are purposeful and well recorded.",
    "The assessment analyses risk and protective factors well.",
    "Management oversight is evident at key decision points.",
)
IMPROVEMENTS = (
    "The chronology is not up to date.",
    "The plan's actions are not specific or timed.",
    "Supervision records do not show reflection or challenge.",
    "Visits have not kept to the plan's frequency.",
    "The assessment does not consider the impact of neglect on the child.",
)
ACTIONS = (
    "Update the chronology",
    "Review the plan with SMART actions",
    "Reflective supervision on the case",
    "Visit within 5 working days and record the child's views",
    "Convene a core group to review progress",
)


@dataclass(frozen=True)
class Case:
    person_id: str
    start: date
    end: date | None

    def open_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or self.end > day)


def generate_qa(
    extract: Path, out: Path, as_at: date, response_days: dict[str, int], seed: int = 7
) -> dict[str, int]:
    """Write the year to `as_at` of QA records about `extract`'s children into `out`."""
    rng = random.Random(f"{seed}:quality-assurance")
    months = [Period.of(as_at).shift(-i) for i in range(11, -1, -1)]
    open_cases = _cases(extract / "ssd_cin_episodes.csv", "cine_")
    looked_after = _cases(extract / "ssd_cla_episodes.csv", "clae_")
    auditors = [worker_name(rng) for _ in range(6)]
    iros = [worker_name(rng) for _ in range(5)]
    rows: dict[str, list[dict[str, object]]] = {
        "audit_programmes": [
            {
                "name": p[0],
                "kind": p[1],
                "starts": months[0].start,
                "ends": None,
                "schedule": p[2],
                "description": None,
            }
            for p in PROGRAMMES
        ],
        "audits": [],
        "audit_actions": [],
        "iro_alerts": [],
        "iro_alert_stages": [],
        "review_adjournments": [],
    }
    for month in months:
        for name, _, _, per_month, who in PROGRAMMES:
            cases = looked_after if who == "looked_after" else open_cases
            for _ in range(_count(rng, per_month)):
                _audit(rng, rows, name, month, cases, auditors, as_at)
        for _ in range(_count(rng, 7)):
            _alert(rng, rows, month, looked_after, iros, as_at, response_days)
    rows["review_adjournments"] = list(_adjournments(rng, extract, months, as_at))
    out.mkdir(parents=True, exist_ok=True)
    for name, found in rows.items():
        if found:  # a type with no records this year has no file
            _write(out / f"{name}.csv", found)
    return {name: len(found) for name, found in rows.items()}


def _audit(
    rng: random.Random,
    rows: dict[str, list[dict[str, object]]],
    programme: str,
    month: Period,
    cases: list[Case],
    auditors: list[str],
    as_at: date,
) -> None:
    day = _working_day(rng, month, as_at)
    child = _child(rng, cases, day)
    if child is None:
        return
    overall = rng.choices([g for g, _ in OVERALL], [w for _, w in OVERALL])[0]
    grades = {d: GRADES[_near(rng, overall)] for d in DOMAINS}
    completed = add_working_days(day, rng.randint(0, 8))
    ref = f"AU{len(rows['audits']) + 1:05d}"
    audit: dict[str, object] = {
        "audit_ref": ref,
        "programme": programme,
        "person_id": child,
        "auditor": rng.choice(auditors),
        "audit_date": day,
        "completed_date": completed if completed <= as_at else None,
        **{f"grade_{d}": g for d, g in grades.items()},
        "grade_overall": GRADES[overall],
        "strengths": rng.choice(STRENGTHS),
        "improvements": rng.choice(IMPROVEMENTS) if overall >= 1 else None,
        "moderated_grade": None,
        "moderator": None,
        "moderated_on": None,
        "moderation_reasons": None,
    }
    moderated_on = completed + timedelta(days=rng.randint(3, 20))
    if audit["completed_date"] and moderated_on <= as_at and rng.random() < 0.15:
        changed = _near(rng, overall) if rng.random() < 0.4 else overall
        audit.update(
            moderated_grade=GRADES[changed],
            moderator="Principal Social Worker",
            moderated_on=moderated_on,
            moderation_reasons=_moderation(GRADES[changed], GRADES[overall]),
        )
    rows["audits"].append(audit)
    for action in rng.sample(ACTIONS, k=overall) if overall >= 2 else ():
        due = add_working_days(completed, 20)
        done = due - timedelta(days=rng.randint(-10, 15))
        rows["audit_actions"].append(
            {
                "audit_ref": ref,
                "action": action,
                "owner": "Team manager",
                "due_date": due,
                "done_date": done if done <= as_at and rng.random() < 0.75 else None,
            }
        )


def _alert(
    rng: random.Random,
    rows: dict[str, list[dict[str, object]]],
    month: Period,
    looked_after: list[Case],
    iros: list[str],
    as_at: date,
    response_days: dict[str, int],
) -> None:
    raised = _working_day(rng, month, as_at)
    child = _child(rng, looked_after, raised)
    if child is None:
        return
    ref = f"IA{len(rows['iro_alerts']) + 1:05d}"
    reasons = sorted(
        {rng.choices([r for r, _ in REASONS], [w for _, w in REASONS])[0] for _ in range(3)}
        if rng.random() < 0.35
        else {rng.choices([r for r, _ in REASONS], [w for _, w in REASONS])[0]}
    )
    start, reached, answered = raised, None, None
    for index, level in enumerate(ALERT_LEVELS):
        due = add_working_days(start, response_days[level])
        late = rng.random() < 0.22
        answered = add_working_days(
            due if late else start,
            rng.randint(1, 6) if late else rng.randint(1, response_days[level]),
        )
        answered = answered if answered <= as_at else None
        rows["iro_alert_stages"].append(
            {
                "alert_ref": ref,
                "level": level,
                "started_date": start,
                "due_date": due,
                "responded_date": answered,
                "response": "Response recorded." if answered else None,
            }
        )
        reached = level
        if answered is None or index == len(ALERT_LEVELS) - 1 or rng.random() >= ESCALATE[index]:
            break
        start = answered
    resolved = answered + timedelta(days=rng.randint(0, 5)) if answered else None
    resolved = resolved if resolved and resolved <= as_at else None
    rows["iro_alerts"].append(
        {
            "alert_ref": ref,
            "person_id": child,
            "iro": rng.choice(iros),
            "raised_date": raised,
            "reasons": ";".join(reasons),
            "resolved_level": reached if resolved else None,
            "resolved_date": resolved,
            "impact": "The plan was updated and the child's needs are being met."
            if resolved
            else None,
        }
    )


def _adjournments(
    rng: random.Random, extract: Path, months: list[Period], as_at: date
) -> Iterator[dict[str, object]]:
    """About 1 review in 25 adjourned, most for want of a plan or a social worker's report."""
    people = {
        r["clae_cla_id"]: r["clae_person_id"] for r in _read(extract / "ssd_cla_episodes.csv")
    }
    seen = set()
    for review in _read(extract / "ssd_cla_reviews.csv"):
        day = _day(review["clar_cla_review_date"])
        person = people.get(review["clar_cla_id"])
        if day is None or person is None or not months[0].start <= day <= as_at:
            continue
        if (person, day) in seen or rng.random() >= 0.04:
            continue
        seen.add((person, day))
        reason = rng.choices(
            ("no_care_plan", "no_social_worker_report", "other"), (0.45, 0.4, 0.15)
        )[0]
        yield {"person_id": person, "review_date": day, "reason": reason, "note": None}


def _moderation(moderated: str, audited: str) -> str:
    if moderated == audited:
        return "Grade agreed."
    return (
        f"Evidence in the record supports {moderated.replace('_', ' ')} "
        f"rather than {audited.replace('_', ' ')}."
    )


def _near(rng: random.Random, grade: int) -> int:
    """A grade close to `grade`: the same more often than not, else one step either way."""
    step = rng.choices((-1, 0, 1), (0.2, 0.6, 0.2))[0]
    return min(len(GRADES) - 1, max(0, grade + step))


def _child(rng: random.Random, cases: list[Case], day: date) -> str | None:
    for _ in range(50):
        case = rng.choice(cases)
        if case.open_on(day):
            return case.person_id
    return None


def _working_day(rng: random.Random, month: Period, as_at: date) -> date:
    last = min(month.end, as_at)
    days = [month.start + timedelta(days=i) for i in range((last - month.start).days + 1)]
    return rng.choice([d for d in days if is_working_day(d)])


def _count(rng: random.Random, mean: float) -> int:
    return max(0, round(rng.gauss(mean, mean**0.5)))


def _cases(path: Path, prefix: str) -> list[Case]:
    start = "cine_referral_date" if prefix == "cine_" else "clae_cla_episode_start_date"
    end = "cine_close_date" if prefix == "cine_" else "clae_cla_episode_ceased_date"
    found = []
    for row in _read(path):
        first = _day(row[start])
        if first is not None:
            found.append(Case(row[f"{prefix}person_id"], first, _day(row[end])))
    return found


def _read(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _day(text: str) -> date | None:
    return date.fromisoformat(text[:10]) if text else None


def _write(path: Path, rows: list[dict[str, object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(rows[0])
        for row in rows:
            writer.writerow(
                "" if v is None else v.isoformat() if isinstance(v, date) else v
                for v in row.values()
            )

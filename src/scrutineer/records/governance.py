"""Recommendations tracked from meeting to meeting until the panel accepts them as done.

The rules (BRIEF.md §5), worked out from the record rather than from flags people set:

- an item is on a meeting's monitoring list once it was made before that meeting;
- outstanding and partially complete items stay on it;
- an item reported complete stays until a meeting records the panel's acceptance: it is on
  the list of the meeting that accepts it, and off the lists after;
- a rejected item is reported once - on the list of the first meeting held on or after its
  rejection - and then leaves;
- an item is overdue when it is not complete or rejected and its due date has passed.

A status is the one set by the latest dated update on or before the meeting's day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from scrutineer.calendar import parse_day
from scrutineer.records import models
from scrutineer.records.governance_files import GOVERNANCE
from scrutineer.records.governance_views import UpdateView, as_update
from scrutineer.records.panels import GovernanceInvalid, meeting_of

STATUSES = GOVERNANCE.codes["progress"]  # as governance_files.yaml lists them
RECOMMENDATION_FIELDS = ("title", "action_proposed", "owner", "due_on")  # as a form sends
OPEN = ("outstanding", "partially_complete")  # still to be done: on the monitoring list
assert set(OPEN) <= set(STATUSES), "OPEN names a status governance_files.yaml does not"


@dataclass(frozen=True)
class Item:
    """A recommendation as a meeting's monitoring report shows it."""

    ref: str
    origin: str  # "Meeting of 12 March 2026" or the practice review's name
    origin_order: tuple[int, str]  # meetings first, oldest first; then reviews by name
    number: str
    title: str
    action_proposed: str
    owner: str
    due_on: date | None
    status: str
    actions_taken: tuple[tuple[date, str], ...]
    overdue: bool
    accepted_here: bool


def monitoring_list(records: Engine, meeting_id: int) -> list[Item]:
    """Every recommendation on the meeting's monitoring list, by origin then number."""
    with Session(records) as session:
        meeting = meeting_of(session, meeting_id)
        day = meeting.held_on
        held = sorted(
            m.held_on
            for m in session.scalars(
                select(models.Meeting).where(
                    models.Meeting.panel_id == meeting.panel_id,
                    models.Meeting.status != "cancelled",
                )
            )
        )
        meetings = {m.id: m for m in session.scalars(select(models.Meeting))}
        reviews = {r.id: r.name for r in session.scalars(select(models.PracticeReview))}
        items = []
        recommendations = session.scalars(
            select(models.Recommendation).where(models.Recommendation.made_on < day)
        ).all()
        for rec in recommendations:
            updates = _updates_to(session, rec, day)
            status, since = (
                (updates[-1].status, updates[-1].on) if updates else ("outstanding", rec.made_on)
            )
            accepted = meetings[rec.accepted_at].held_on if rec.accepted_at else None
            if not _on_list(status, since, accepted, day, held):
                continue
            origin, order = _origin(rec, meetings, reviews)
            items.append(
                Item(
                    rec.ref,
                    origin,
                    order,
                    rec.number,
                    rec.title,
                    rec.action_proposed,
                    rec.owner,
                    rec.due_on,
                    status,
                    tuple((u.on, u.action_taken) for u in updates if u.action_taken),
                    status in OPEN and rec.due_on is not None and rec.due_on < day,
                    accepted == day,
                )
            )
    return sorted(items, key=lambda i: (i.origin_order, _numbered(i.number), i.ref))


def _numbered(number: str) -> tuple[int, str]:
    """Recommendation 2 before 10."""
    return (int(number), "") if number.isdigit() else (0, number)


def _origin(
    rec: models.Recommendation, meetings: dict[int, models.Meeting], reviews: dict[int, str]
) -> tuple[str, tuple[int, str]]:
    if rec.review_id:
        return reviews[rec.review_id], (1, reviews[rec.review_id])
    if rec.meeting_id:
        held = meetings[rec.meeting_id].held_on
        return f"Meeting of {held:%d %B %Y}", (0, held.isoformat())
    return "Other", (2, "")


def _on_list(status: str, since: date, accepted: date | None, day: date, held: list[date]) -> bool:
    if status in OPEN:
        return True
    if status == "complete":
        return accepted is None or accepted >= day
    # rejected: reported at the first meeting held on or after the rejection, then gone
    return not any(since <= when < day for when in held)


def update(
    records: Engine, ref: str, on: date, action_taken: str, status: str, by: str, agency: str = ""
) -> None:
    """A dated update of the action taken, leaving the item in `status`."""
    if status not in STATUSES:
        raise GovernanceInvalid(f"Status {status!r} is not one of {', '.join(STATUSES)}.")
    with Session(records) as session, session.begin():
        rec = _recommendation(session, ref)
        if on < rec.made_on:
            raise GovernanceInvalid(
                f"{ref} was made on {rec.made_on}: an update cannot be earlier."
            )
        session.add(
            models.RecommendationUpdate(
                recommendation_id=rec.id,
                on=on,
                action_taken=action_taken,
                status=status,
                agency=agency,
                by=by,
            )
        )


def accept(records: Engine, ref: str, meeting_id: int) -> None:
    """Record the panel's acceptance, at a meeting, that a completed item is done."""
    with Session(records) as session, session.begin():
        rec = _recommendation(session, ref)
        meeting = meeting_of(session, meeting_id)
        updates = _updates_to(session, rec, meeting.held_on)
        if not updates or updates[-1].status != "complete":
            raise GovernanceInvalid(
                f"{ref} is not reported complete by {meeting.held_on:%d %B %Y}: record an update "
                "with status complete first."
            )
        rec.accepted_at = meeting.id


def _updates_to(
    session: Session, rec: models.Recommendation, day: date
) -> list[models.RecommendationUpdate]:
    """The item's updates on or before `day`, in order: the last sets its status."""
    return list(
        session.scalars(
            select(models.RecommendationUpdate)
            .where(
                models.RecommendationUpdate.recommendation_id == rec.id,
                models.RecommendationUpdate.on <= day,
            )
            .order_by(models.RecommendationUpdate.on, models.RecommendationUpdate.id)
        )
    )


def _recommendation(session: Session, ref: str) -> models.Recommendation:
    rec = session.scalar(select(models.Recommendation).where(models.Recommendation.ref == ref))
    if rec is None:
        raise GovernanceInvalid(f"No recommendation {ref!r}.")
    return rec


def add_resolution(
    records: Engine,
    meeting_id: int,
    text: str,
    item_number: int | None = None,
    recommendation: dict[str, str] | None = None,
) -> str | None:
    """A resolution of the meeting; with `recommendation` (title, action_proposed, owner,
    due_on) also the recommendation it makes. Returns the recommendation's reference."""
    if not text.strip():
        raise GovernanceInvalid("A resolution needs its text.")
    with Session(records) as session, session.begin():
        meeting = meeting_of(session, meeting_id)
        number = 1 + len(
            session.scalars(
                select(models.Resolution.id).where(models.Resolution.meeting_id == meeting.id)
            ).all()
        )
        resolution = models.Resolution(
            meeting_id=meeting.id, item_number=item_number, number=number, text=text.strip()
        )
        session.add(resolution)
        session.flush()
        if not recommendation:
            return None
        _complete(recommendation)
        ref = f"P{meeting.held_on:%Y%m%d}-{number}"
        due = recommendation.get("due_on") or None
        session.add(
            models.Recommendation(
                ref=ref,
                made_on=meeting.held_on,
                meeting_id=meeting.id,
                resolution_id=resolution.id,
                number=str(number),
                title=recommendation["title"],
                action_proposed=recommendation["action_proposed"],
                owner=recommendation["owner"],
                due_on=_due(due),
            )
        )
        return ref


def _due(text: str | None) -> date | None:
    """A recommendation's due date, if it has one."""
    if not text:
        return None
    found = parse_day(text)
    if found is None:
        raise GovernanceInvalid(f"The due date {text!r} is not a date: write it as YYYY-MM-DD.")
    return found


def _complete(fields: dict[str, str]) -> None:
    """A recommendation's fields: all but the due date are needed."""
    missing = [k for k in RECOMMENDATION_FIELDS[:-1] if not fields.get(k, "").strip()]
    if missing:
        raise GovernanceInvalid(f"A recommendation needs its {', '.join(missing)}.")


def statuses_on(records: Engine, day: date) -> dict[str, str]:
    """Every recommendation's status on a day (the latest update's, else outstanding)."""
    with Session(records) as session:
        return {
            rec.ref: (updates[-1].status if updates else "outstanding")
            for rec in session.scalars(select(models.Recommendation))
            for updates in [_updates_to(session, rec, day)]
        }


def owner_of(records: Engine, ref: str) -> str:
    with Session(records) as session:
        return _recommendation(session, ref).owner


REVIEW_KINDS = GOVERNANCE.codes["review_kind"]


def add_review(
    records: Engine,
    name: str,
    kind: str,
    published_on: date | None,
    lead_reviewer: str = "",
    themes: str = "",
) -> int:
    """A serious case review, child safeguarding practice review, inspection or thematic
    review, whose numbered recommendations join the tracker."""
    if not name.strip():
        raise GovernanceInvalid("A review needs its name.")
    if kind not in REVIEW_KINDS:
        raise GovernanceInvalid(f"{kind!r} is not one of {', '.join(REVIEW_KINDS)}.")
    with Session(records) as session, session.begin():
        taken = session.scalar(
            select(models.PracticeReview.id).where(models.PracticeReview.name == name.strip())
        )
        if taken:
            raise GovernanceInvalid(f"There is a review called {name.strip()!r} already.")
        review = models.PracticeReview(
            name=name.strip(),
            kind=kind,
            published_on=published_on,
            lead_reviewer=lead_reviewer.strip(),
            themes=themes.strip(),
        )
        session.add(review)
        session.flush()
        return review.id


def add_review_recommendation(
    records: Engine, review_id: int, fields: dict[str, str], made_on: date
) -> str:
    """The review's next numbered recommendation (title, action_proposed, owner, due_on);
    returns its reference, R{review}-{number}."""
    _complete(fields)
    due = fields.get("due_on", "").strip()
    with Session(records) as session, session.begin():
        review = session.get(models.PracticeReview, review_id)
        if review is None:
            raise GovernanceInvalid(f"No review {review_id}.")
        numbers = session.scalars(
            select(models.Recommendation.number).where(models.Recommendation.review_id == review.id)
        ).all()
        number = 1 + max((int(n) for n in numbers if n.isdigit()), default=0)
        ref = f"R{review.id}-{number}"
        session.add(
            models.Recommendation(
                ref=ref,
                made_on=made_on,
                review_id=review.id,
                number=str(number),
                title=fields["title"].strip(),
                action_proposed=fields["action_proposed"].strip(),
                owner=fields["owner"].strip(),
                due_on=_due(due),
            )
        )
        return ref


def responses(records: Engine, review_id: int) -> dict[str, list[UpdateView]]:
    """Each of the review's recommendations' dated updates (agencies' responses), by ref."""
    with Session(records) as session:
        found = session.execute(
            select(models.Recommendation.ref, models.RecommendationUpdate)
            .join(
                models.RecommendationUpdate,
                models.RecommendationUpdate.recommendation_id == models.Recommendation.id,
            )
            .where(models.Recommendation.review_id == review_id)
            .order_by(models.RecommendationUpdate.on, models.RecommendationUpdate.id)
        ).all()
        by_ref: dict[str, list[UpdateView]] = {}
        for ref, row in found:
            by_ref.setdefault(ref, []).append(as_update(row))
    return by_ref

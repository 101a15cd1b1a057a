"""The governance records as the pages and papers read them: frozen values, looked up by
key, so that no output holds an ORM object or writes a query of its own (issue 19).

Each view has the fields of its table that a reader needs, in the table's order; lists come
in the order of their ids (the order they were recorded) unless said otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from scrutineer.records import models

V = TypeVar("V")


@dataclass(frozen=True)
class PanelView:
    id: int
    name: str
    terms_of_reference: str
    quorum: int


@dataclass(frozen=True)
class Seat:
    """A seat on a panel: a member's, or a vacancy (no name) from `starts` to `ends`."""

    id: int
    panel_id: int
    name: str | None
    kind: str
    title: str
    starts: date
    ends: date | None


@dataclass(frozen=True)
class MeetingView:
    id: int
    panel_id: int
    held_on: date
    place: str
    status: str
    minutes: str


@dataclass(frozen=True)
class AgendaEntry:
    number: int
    title: str
    report: str
    author_role: str
    report_layout: str | None
    report_period: str | None


@dataclass(frozen=True)
class Presence:
    member_id: int
    present: str


@dataclass(frozen=True)
class DeclarationView:
    member_id: int
    item_number: int | None
    interest: str


@dataclass(frozen=True)
class ResolutionView:
    item_number: int | None
    number: int
    text: str


@dataclass(frozen=True)
class ReviewView:
    id: int
    name: str
    kind: str
    published_on: date | None
    lead_reviewer: str
    themes: str


@dataclass(frozen=True)
class RecommendationView:
    ref: str
    made_on: date
    meeting_id: int | None
    review_id: int | None
    number: str
    title: str
    action_proposed: str
    owner: str
    due_on: date | None
    accepted_at: int | None


@dataclass(frozen=True)
class UpdateView:
    """A dated update of a recommendation: the action taken, the status it leaves."""

    on: date
    action_taken: str
    status: str
    agency: str
    by: str


@dataclass(frozen=True)
class Business:
    """What a meeting did: its agenda (by number), who came, the interests declared, its
    resolutions (by number), and the recommendations it made and accepted as done."""

    agenda: tuple[AgendaEntry, ...]
    attendance: tuple[Presence, ...]
    declarations: tuple[DeclarationView, ...]
    resolutions: tuple[ResolutionView, ...]
    made: tuple[RecommendationView, ...]
    accepted: tuple[RecommendationView, ...]


def panels(records: Engine) -> list[PanelView]:
    """Every panel, by name."""
    return _all(records, models.Panel, PanelView, models.Panel.name)


def panel(records: Engine, panel_id: int) -> PanelView | None:
    return _one(records, models.Panel, PanelView, panel_id)


def seats(records: Engine) -> list[Seat]:
    """Every seat of every panel."""
    return _all(records, models.PanelMember, Seat)


def meetings(records: Engine) -> list[MeetingView]:
    return _all(records, models.Meeting, MeetingView)


def meeting(records: Engine, meeting_id: int) -> MeetingView | None:
    return _one(records, models.Meeting, MeetingView, meeting_id)


def reviews(records: Engine) -> list[ReviewView]:
    """Every practice review, by name."""
    return _all(records, models.PracticeReview, ReviewView, models.PracticeReview.name)


def review(records: Engine, review_id: int) -> ReviewView | None:
    return _one(records, models.PracticeReview, ReviewView, review_id)


def recommendations(records: Engine) -> list[RecommendationView]:
    return _all(records, models.Recommendation, RecommendationView)


def business(records: Engine, meeting_id: int) -> Business:
    with Session(records) as session:

        def of(model: Any, view: type[V], *order: Any) -> tuple[V, ...]:
            query = select(model).where(model.meeting_id == meeting_id)
            return tuple(_view(view, r) for r in session.scalars(query.order_by(*order)))

        accepted = select(models.Recommendation).where(
            models.Recommendation.accepted_at == meeting_id
        )
        return Business(
            of(models.AgendaItem, AgendaEntry, models.AgendaItem.number),
            of(models.Attendance, Presence, models.Attendance.id),
            of(models.Declaration, DeclarationView, models.Declaration.id),
            of(models.Resolution, ResolutionView, models.Resolution.number),
            of(models.Recommendation, RecommendationView, models.Recommendation.id),
            tuple(
                _view(RecommendationView, r)
                for r in session.scalars(accepted.order_by(models.Recommendation.id))
            ),
        )


def as_update(record: models.RecommendationUpdate) -> UpdateView:
    return _view(UpdateView, record)


def _all(records: Engine, model: Any, view: type[V], *order: Any) -> list[V]:
    with Session(records) as session:
        query = select(model).order_by(*order, model.id)
        return [_view(view, r) for r in session.scalars(query)]


def _one(records: Engine, model: Any, view: type[V], key: int) -> V | None:
    with Session(records) as session:
        found = session.get(model, key)
        return None if found is None else _view(view, found)


def _view(view: type[V], record: Any) -> V:
    return view(**{f.name: getattr(record, f.name) for f in fields(view)})  # type: ignore[arg-type]

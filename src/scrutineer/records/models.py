"""The records store's tables, as SQLAlchemy models. Migrations (migrations/) create them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import (
    Date,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from scrutineer.errors import ScrutineerError


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))  # admin, analyst, manager, auditor, ...
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # signed in by the council's identity provider: its issuer and the user's subject
    identity: Mapped[str] = mapped_column(String(400), default="", server_default="")


class ServiceAssignment(Base):
    """A manager sees child-level lists for the services they are assigned."""

    __tablename__ = "service_assignments"
    __table_args__ = (UniqueConstraint("user_id", "service_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    service_id: Mapped[str] = mapped_column(String(80))


class AccessLog(Base):
    """Every view of child-level data: who, when, what (never the child's details)."""

    __tablename__ = "access_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(80))
    subject: Mapped[str] = mapped_column(String(200))
    who: Mapped[str] = mapped_column(String(80), default="", server_default="")  # no user: CLI


class RecordChange(Base):
    """A change to a quality-assurance or governance record (records/record_files.py):
    created, replaced or imported, by whom (a username, or "import" for a file), when, and
    the record as text before and after (JSON)."""

    __tablename__ = "record_changes"
    __table_args__ = (Index("record_changes_by_record", "record_type", "record_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_type: Mapped[str] = mapped_column(String(40))
    record_key: Mapped[str] = mapped_column(String(400))
    action: Mapped[str] = mapped_column(String(20))
    changed_by: Mapped[str] = mapped_column(String(80))
    changed_at: Mapped[datetime] = mapped_column(DateTime)
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str] = mapped_column(Text)


class Target(Base):
    __tablename__ = "targets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kpi: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(20))
    value: Mapped[float | None] = mapped_column(Float)
    financial_year: Mapped[int] = mapped_column(Integer)
    set_by: Mapped[str] = mapped_column(String(200))
    set_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    polarity: Mapped[str] = mapped_column(String(10), default="")  # migration 0006
    tolerance: Mapped[float | None] = mapped_column(Float)


class Narrative(Base):
    """Analysis and actions for a theme and month, written by people for the reports."""

    __tablename__ = "narratives"
    __table_args__ = (UniqueConstraint("theme", "period"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    theme: Mapped[str] = mapped_column(String(80))
    period: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    analysis: Mapped[str] = mapped_column(Text, default="")
    actions: Mapped[str] = mapped_column(Text, default="")
    written_by: Mapped[str] = mapped_column(String(200))
    written_at: Mapped[datetime] = mapped_column(DateTime)


class TeamAction(Base):
    """An action a team manager's assurance clinic agreed, for a team of a service (or the
    whole service) and the month of the clinic, followed up at the next one."""

    __tablename__ = "team_actions"
    __table_args__ = (Index("team_actions_by_clinic", "service_id", "period"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[str] = mapped_column(String(80))
    team_id: Mapped[str] = mapped_column(String(80), default="")  # "": the whole service
    period: Mapped[str] = mapped_column(String(7))  # YYYY-MM: the clinic's month
    action: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open")
    written_by: Mapped[str] = mapped_column(String(200))
    written_at: Mapped[datetime] = mapped_column(DateTime)


class Snapshot(Base):
    """A loaded extract, mirrored from its folder (the folder is the record of truth)."""

    __tablename__ = "snapshots"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    as_at: Mapped[date] = mapped_column(Date)
    loaded_at: Mapped[datetime] = mapped_column(DateTime)
    fingerprint: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer)
    warnings: Mapped[int] = mapped_column(Integer)
    source_dir: Mapped[str] = mapped_column(Text)


class WebSession(Base):
    """A signed-in browser: the cookie holds a random token, this table its SHA-256."""

    __tablename__ = "web_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime)  # None: before 0008


# Quality-assurance records (migration 0004). Columns are named as in their CSV files
# (records/qa_files.yaml, which a test keeps in step with these models); references between
# them are by the records' own keys, so a file round-trips unchanged.


class AuditProgramme(Base):
    __tablename__ = "audit_programmes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    starts: Mapped[date] = mapped_column(Date)
    ends: Mapped[date | None] = mapped_column(Date)
    schedule: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)


class Audit(Base):
    __tablename__ = "audits"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    audit_ref: Mapped[str] = mapped_column(String(80), unique=True)
    programme: Mapped[str] = mapped_column(ForeignKey("audit_programmes.name"))
    person_id: Mapped[str] = mapped_column(String(80))
    auditor: Mapped[str] = mapped_column(String(200))
    audit_date: Mapped[date] = mapped_column(Date)
    completed_date: Mapped[date | None] = mapped_column(Date)
    grade_chronology: Mapped[str | None] = mapped_column(String(30))
    grade_assessment: Mapped[str | None] = mapped_column(String(30))
    grade_plan: Mapped[str | None] = mapped_column(String(30))
    grade_visiting: Mapped[str | None] = mapped_column(String(30))
    grade_supervision: Mapped[str | None] = mapped_column(String(30))
    grade_overall: Mapped[str] = mapped_column(String(30))
    strengths: Mapped[str | None] = mapped_column(Text)
    improvements: Mapped[str | None] = mapped_column(Text)
    moderated_grade: Mapped[str | None] = mapped_column(String(30))
    moderator: Mapped[str | None] = mapped_column(String(200))
    moderated_on: Mapped[date | None] = mapped_column(Date)
    moderation_reasons: Mapped[str | None] = mapped_column(Text)


class AuditAction(Base):
    __tablename__ = "audit_actions"
    __table_args__ = (UniqueConstraint("audit_ref", "action"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    audit_ref: Mapped[str] = mapped_column(ForeignKey("audits.audit_ref"))
    action: Mapped[str] = mapped_column(String(500))
    owner: Mapped[str] = mapped_column(String(200))
    due_date: Mapped[date] = mapped_column(Date)
    done_date: Mapped[date | None] = mapped_column(Date)


class IroAlert(Base):
    __tablename__ = "iro_alerts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_ref: Mapped[str] = mapped_column(String(80), unique=True)
    person_id: Mapped[str] = mapped_column(String(80))
    iro: Mapped[str] = mapped_column(String(200))
    raised_date: Mapped[date] = mapped_column(Date)
    reasons: Mapped[str] = mapped_column(String(500))  # codes separated by ";"
    resolved_level: Mapped[str | None] = mapped_column(String(30))
    resolved_date: Mapped[date | None] = mapped_column(Date)
    impact: Mapped[str | None] = mapped_column(Text)


class IroAlertStage(Base):
    __tablename__ = "iro_alert_stages"
    __table_args__ = (UniqueConstraint("alert_ref", "level"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_ref: Mapped[str] = mapped_column(ForeignKey("iro_alerts.alert_ref"))
    level: Mapped[str] = mapped_column(String(30))
    started_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date)
    responded_date: Mapped[date | None] = mapped_column(Date)
    response: Mapped[str | None] = mapped_column(Text)


class ReviewAdjournment(Base):
    __tablename__ = "review_adjournments"
    __table_args__ = (UniqueConstraint("person_id", "review_date"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[str] = mapped_column(String(80))
    review_date: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(30))
    note: Mapped[str | None] = mapped_column(Text)


# Governance (migration 0005): panels, their members and meetings, what meetings resolve,
# and every recommendation - from a panel, a practice review or an inspection - with its
# dated updates, until the panel accepts it as done.


class Panel(Base):
    __tablename__ = "panels"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    terms_of_reference: Mapped[str] = mapped_column(Text, default="")
    quorum: Mapped[int] = mapped_column(Integer)


class PanelMember(Base):
    """A seat on a panel over a period: a councillor, an appointed member or an officer; a
    vacant seat has no name."""

    __tablename__ = "panel_members"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id"))
    name: Mapped[str | None] = mapped_column(String(200))  # None: a vacant seat
    kind: Mapped[str] = mapped_column(String(20))  # councillor, appointed, officer
    title: Mapped[str] = mapped_column(String(200), default="")  # Chair, parent governor, ...
    starts: Mapped[date] = mapped_column(Date)
    ends: Mapped[date | None] = mapped_column(Date)


class Meeting(Base):
    __tablename__ = "meetings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id"))
    held_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200), default="")  # or "virtual"
    status: Mapped[str] = mapped_column(String(40))  # scheduled, held, consultation, cancelled
    minutes: Mapped[str] = mapped_column(Text, default="")


class AgendaItem(Base):
    __tablename__ = "agenda_items"
    __table_args__ = (UniqueConstraint("meeting_id", "number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    report: Mapped[str] = mapped_column(String(300), default="")
    author_role: Mapped[str] = mapped_column(String(200), default="")
    report_layout: Mapped[str | None] = mapped_column(String(40))  # a linked performance report
    report_period: Mapped[str | None] = mapped_column(String(7))


class Attendance(Base):
    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "member_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("panel_members.id"))
    present: Mapped[str] = mapped_column(String(20))  # present, apologies, absent


class Declaration(Base):
    __tablename__ = "declarations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("panel_members.id"))
    item_number: Mapped[int | None] = mapped_column(Integer)
    interest: Mapped[str] = mapped_column(Text)


class Resolution(Base):
    __tablename__ = "resolutions"
    __table_args__ = (UniqueConstraint("meeting_id", "number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"))
    item_number: Mapped[int | None] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)


class PracticeReview(Base):
    """A serious case review, a child safeguarding practice review or an inspection."""

    __tablename__ = "practice_reviews"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # scr, cspr, inspection
    published_on: Mapped[date | None] = mapped_column(Date)
    lead_reviewer: Mapped[str] = mapped_column(String(200), default="")
    themes: Mapped[str] = mapped_column(Text, default="")


class Recommendation(Base):
    __tablename__ = "recommendations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str] = mapped_column(String(40), unique=True)
    made_on: Mapped[date] = mapped_column(Date)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"))  # made at
    resolution_id: Mapped[int | None] = mapped_column(ForeignKey("resolutions.id"))
    review_id: Mapped[int | None] = mapped_column(ForeignKey("practice_reviews.id"))
    number: Mapped[str] = mapped_column(String(20), default="")  # a review's own numbering
    title: Mapped[str] = mapped_column(String(300))
    action_proposed: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date | None] = mapped_column(Date)
    accepted_at: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"))  # done, agreed


class RecommendationUpdate(Base):
    """A dated update: the action taken and the progress status it leaves the item in."""

    __tablename__ = "recommendation_updates"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id"))
    on: Mapped[date] = mapped_column(Date)
    action_taken: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(30))  # governance_files.yaml's progress codes
    agency: Mapped[str] = mapped_column(String(200), default="")  # for a review's responses
    by: Mapped[str] = mapped_column(String(200), default="")


class ValueInvalid(ScrutineerError):
    """A value no column of the records store can hold, found before it is written."""


MAX_INTEGER = 2**31 - 1  # what an INTEGER column holds, on PostgreSQL as on SQLite


@event.listens_for(Session, "before_flush")
def _values_fit(session: Session, _context: object, _instances: object) -> None:
    """Every record written checked against its columns first (a text longer than its
    column, a NUL, an integer out of range), so PostgreSQL never refuses it half-way
    with an error no one can read, and SQLite never stores what PostgreSQL would not."""
    for record in (*session.new, *session.dirty):
        if not isinstance(record, Base):
            continue
        for column in record.__table__.columns:
            value = getattr(record, column.key, None)
            what = column.name.replace("_", " ")
            if isinstance(value, str):
                length = getattr(column.type, "length", None)
                if "\x00" in value:
                    raise ValueInvalid(f"The {what} holds a NUL character: remove it.")
                if isinstance(length, int) and len(value) > length:
                    raise ValueInvalid(
                        f"The {what} is {len(value):,} characters: over the {length} it can "
                        "hold. Shorten it."
                    )
            elif isinstance(value, int) and not -MAX_INTEGER <= value <= MAX_INTEGER:
                raise ValueInvalid(f"The {what} {value} is out of range: check it.")


@event.listens_for(Engine, "before_cursor_execute")
def _no_nul(
    _connection: object,
    _cursor: object,
    _statement: str,
    parameters: object,
    _context: object,
    _many: bool,
) -> None:
    """A NUL in any value sent to the store (a search as well as a write) refused as a
    message: PostgreSQL refuses it with a DataError, a 500 to whoever sent it."""
    for given in parameters if isinstance(parameters, list) else [parameters]:
        values = given.values() if isinstance(given, dict) else given
        if isinstance(values, Iterable) and any(isinstance(v, str) and "\x00" in v for v in values):
            raise ValueInvalid("A value holds a NUL character: remove it.")

"""Governance: panels, members, meetings with agendas, attendance, declarations and
resolutions; practice reviews; recommendations and their dated updates.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer, primary_key=True)


def _ref(name: str, table: str, required: bool = True) -> sa.Column[int]:
    return sa.Column(name, sa.Integer, sa.ForeignKey(f"{table}.id"), nullable=not required)


def upgrade() -> None:
    op.create_table(
        "panels",
        _id(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("terms_of_reference", sa.Text, nullable=False),
        sa.Column("quorum", sa.Integer, nullable=False),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "panel_members",
        _id(),
        _ref("panel_id", "panels"),
        sa.Column("name", sa.String(200), nullable=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("starts", sa.Date, nullable=False),
        sa.Column("ends", sa.Date, nullable=True),
    )
    op.create_table(
        "meetings",
        _id(),
        _ref("panel_id", "panels"),
        sa.Column("held_on", sa.Date, nullable=False),
        sa.Column("place", sa.String(200), nullable=False),
        sa.Column("status", sa.String(40), nullable=False),
        sa.Column("minutes", sa.Text, nullable=False),
    )
    op.create_table(
        "agenda_items",
        _id(),
        _ref("meeting_id", "meetings"),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("report", sa.String(300), nullable=False),
        sa.Column("author_role", sa.String(200), nullable=False),
        sa.Column("report_layout", sa.String(40), nullable=True),
        sa.Column("report_period", sa.String(7), nullable=True),
        sa.UniqueConstraint("meeting_id", "number"),
    )
    op.create_table(
        "attendance",
        _id(),
        _ref("meeting_id", "meetings"),
        _ref("member_id", "panel_members"),
        sa.Column("present", sa.String(20), nullable=False),
        sa.UniqueConstraint("meeting_id", "member_id"),
    )
    op.create_table(
        "declarations",
        _id(),
        _ref("meeting_id", "meetings"),
        _ref("member_id", "panel_members"),
        sa.Column("item_number", sa.Integer, nullable=True),
        sa.Column("interest", sa.Text, nullable=False),
    )
    op.create_table(
        "resolutions",
        _id(),
        _ref("meeting_id", "meetings"),
        sa.Column("item_number", sa.Integer, nullable=True),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.UniqueConstraint("meeting_id", "number"),
    )
    op.create_table(
        "practice_reviews",
        _id(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("published_on", sa.Date, nullable=True),
        sa.Column("lead_reviewer", sa.String(200), nullable=False),
        sa.Column("themes", sa.Text, nullable=False),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "recommendations",
        _id(),
        sa.Column("ref", sa.String(40), nullable=False),
        sa.Column("made_on", sa.Date, nullable=False),
        _ref("meeting_id", "meetings", required=False),
        _ref("resolution_id", "resolutions", required=False),
        _ref("review_id", "practice_reviews", required=False),
        sa.Column("number", sa.String(20), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("action_proposed", sa.Text, nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("due_on", sa.Date, nullable=True),
        _ref("accepted_at", "meetings", required=False),
        sa.UniqueConstraint("ref"),
    )
    op.create_table(
        "recommendation_updates",
        _id(),
        _ref("recommendation_id", "recommendations"),
        sa.Column("on", sa.Date, nullable=False),
        sa.Column("action_taken", sa.Text, nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("agency", sa.String(200), nullable=False),
        sa.Column("by", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    for table in (
        "recommendation_updates",
        "recommendations",
        "practice_reviews",
        "resolutions",
        "declarations",
        "attendance",
        "agenda_items",
        "meetings",
        "panel_members",
        "panels",
    ):
        op.drop_table(table)

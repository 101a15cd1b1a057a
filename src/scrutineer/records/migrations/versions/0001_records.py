"""The first records: users and their services, the access log, targets, narratives.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(80), nullable=False, unique=True),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("failed_logins", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "service_assignments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("service_id", sa.String(80), nullable=False),
        sa.UniqueConstraint("user_id", "service_id"),
    )
    op.create_table(
        "access_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("action", sa.String(80), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
    )
    op.create_table(
        "targets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kpi", sa.String(80), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("value", sa.Float),
        sa.Column("financial_year", sa.Integer, nullable=False),
        sa.Column("set_by", sa.String(200), nullable=False),
        sa.Column("set_on", sa.Date, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
    )
    op.create_table(
        "narratives",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("theme", sa.String(80), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("analysis", sa.Text, nullable=False),
        sa.Column("actions", sa.Text, nullable=False),
        sa.Column("written_by", sa.String(200), nullable=False),
        sa.Column("written_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("theme", "period"),
    )


def downgrade() -> None:
    for table in ("narratives", "targets", "access_log", "service_assignments", "users"):
        op.drop_table(table)

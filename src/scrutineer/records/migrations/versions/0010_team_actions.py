"""The actions a team manager's assurance clinic agrees, per team (or the whole service) and
month, followed up at the next clinic.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"


def upgrade() -> None:
    op.create_table(
        "team_actions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("service_id", sa.String(80), nullable=False),
        sa.Column("team_id", sa.String(80), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("due_on", sa.Date, nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("written_by", sa.String(200), nullable=False),
        sa.Column("written_at", sa.DateTime, nullable=False),
    )
    op.create_index("team_actions_by_clinic", "team_actions", ["service_id", "period"])


def downgrade() -> None:
    op.drop_index("team_actions_by_clinic", "team_actions")
    op.drop_table("team_actions")

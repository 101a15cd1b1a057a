"""Every change to a quality-assurance or governance record kept: which record, what was
done, by whom, when, and the record before and after (issue 18: nothing changed without
trace, and only its author or an administrator replaces a record).

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    op.create_table(
        "record_changes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("record_type", sa.String(40), nullable=False),
        sa.Column("record_key", sa.String(400), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("changed_by", sa.String(80), nullable=False),
        sa.Column("changed_at", sa.DateTime, nullable=False),
        sa.Column("before", sa.Text, nullable=True),
        sa.Column("after", sa.Text, nullable=False),
    )
    op.create_index("record_changes_by_record", "record_changes", ["record_type", "record_key"])


def downgrade() -> None:
    op.drop_index("record_changes_by_record", "record_changes")
    op.drop_table("record_changes")

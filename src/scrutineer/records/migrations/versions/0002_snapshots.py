"""The snapshot registry: every extract loaded, mirrored from the snapshot folders.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.create_table(
        "snapshots",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("as_at", sa.Date, nullable=False),
        sa.Column("loaded_at", sa.DateTime, nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("warnings", sa.Integer, nullable=False),
        sa.Column("source_dir", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("snapshots")

"""Targets may give a polarity (for an indicator the catalogue leaves as context) and a
tolerance (how far short of the target still meets it).

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    with op.batch_alter_table("targets") as table:
        table.add_column(sa.Column("polarity", sa.String(10), nullable=False, server_default=""))
        table.add_column(sa.Column("tolerance", sa.Float, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("targets") as table:
        table.drop_column("tolerance")
        table.drop_column("polarity")

"""A user signed in by the council's identity provider is known by its identity (the
provider's issuer and the user's subject), not by a name that could be another's.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"


def upgrade() -> None:
    with op.batch_alter_table("users") as table:
        table.add_column(sa.Column("identity", sa.String(400), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("users") as table:
        table.drop_column("identity")

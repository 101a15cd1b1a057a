"""The access log names who ran a command on the server (a child-level list from the CLI,
a purge) where there is no signed-in user: `who`; a web session knows when it was last
used (`last_seen_at`), so one left idle ends.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"


def upgrade() -> None:
    with op.batch_alter_table("access_log") as table:
        table.add_column(sa.Column("who", sa.String(80), nullable=False, server_default=""))
    with op.batch_alter_table("web_sessions") as table:
        table.add_column(sa.Column("last_seen_at", sa.DateTime, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("web_sessions") as table:
        table.drop_column("last_seen_at")
    with op.batch_alter_table("access_log") as table:
        table.drop_column("who")

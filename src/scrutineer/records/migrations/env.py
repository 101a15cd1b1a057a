"""Alembic's environment for the records store: the URL comes from the caller's config."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from scrutineer.records.models import Base

config = context.config
engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata)
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()

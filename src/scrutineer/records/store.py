"""Open the records store and bring its schema up to date (Alembic migrations).

`SCRUTINEER_RECORDS_URL` names the database: by default a SQLite file in the data folder;
a `postgresql+psycopg://...` URL for a shared deployment. Every command that uses records
upgrades the schema first, so a new release never meets an old database.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, inspect

from scrutineer.errors import ScrutineerError
from scrutineer.settings import Settings


def records_url(settings: Settings) -> str:
    if settings.records_url:
        return settings.records_url
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(settings.data_dir / 'records.sqlite3').resolve()}"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option(
        "script_location", str(Path(str(resources.files(__package__))) / "migrations")
    )
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str) -> None:
    command.upgrade(alembic_config(url), "head")


def open_records(settings: Settings) -> Engine:
    url = records_url(settings)
    upgrade(url)
    if not url.startswith("sqlite"):
        return create_engine(url)
    engine = create_engine(url, pool_size=20, max_overflow=20)
    with engine.connect() as connection:  # kept in the file: set once
        connection.exec_driver_sql("PRAGMA journal_mode=WAL")
    event.listen(engine, "connect", _sqlite_pragmas)
    _guard_file(engine, Path(str(engine.url.database)))
    return engine


class RecordsStoreGone(ScrutineerError):
    def __init__(self, path: Path, what: str) -> None:
        super().__init__(
            f"The records store {path} was {what} while Scrutineer was running, so nothing "
            "more is read from it or saved to it (a save now would be lost). Put the file "
            "back from a backup and start Scrutineer again."
        )


def _guard_file(engine: Engine, path: Path) -> None:
    """Every transaction first checks the SQLite file is still the one opened: an open
    connection to a file removed or replaced goes on writing to the old one, acknowledging
    saves that are gone when the server restarts."""
    opened = path.stat()

    def still_there(_connection: Any) -> None:
        try:
            now = path.stat()
        except FileNotFoundError:
            raise RecordsStoreGone(path, "removed") from None
        if (now.st_dev, now.st_ino) != (opened.st_dev, opened.st_ino):
            raise RecordsStoreGone(path, "replaced by another file")

    event.listen(engine, "begin", still_there)


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    """Write-ahead logging (set once, above): readers never wait for a writer, and a commit
    syncs the log rather than the database file. A writer waits its turn for up to 10 s."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())

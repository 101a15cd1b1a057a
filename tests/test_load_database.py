"""`scrutineer load --from URL`: the SSD's tables read straight from a real PostgreSQL.

The tables are created from the SSD's own specification (shared/data/ssd/objects/*.yml):
every field it lists, with its type (nvarchar as text, datetime as a timestamp, int,
float), not from Scrutineer's contract. The small synthetic authority is written into them
typed, as a council's SSD database holds it, and loaded both ways: the snapshot's tables
must be the same (the same fingerprint of their contents).
"""

from __future__ import annotations

import csv
import os
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml

from scrutineer.errors import ExtractRejected
from scrutineer.extract.contract import load_contract
from scrutineer.extract.database import DatabaseUnreadable
from scrutineer.extract.load import load_database, load_extract
from scrutineer.extract.snapshots import SnapshotStore
from tests.support.paths import SHARED

POSTGRES = "SCRUTINEER_TEST_POSTGRES_URL"
SPEC = SHARED / "data" / "ssd" / "objects"
TYPES: dict[str, Any] = {
    "nvarchar": sa.Text,
    "nchar": sa.Text,
    "datetime": sa.DateTime,
    "int": sa.Integer,
    "float": sa.Float,
    "bit": sa.Boolean,
    "binary": sa.LargeBinary,
}


def spec_fields(table: str) -> list[tuple[str, str]]:
    """(field, SSD type) of an SSD table, from its specification file."""
    data = yaml.safe_load((SPEC / f"{table}.yml").read_text("utf-8"))
    [node] = [n for n in data["nodes"] if n["name"] == table]
    return [(f["name"], str(f["type"]).lower()) for f in node["fields"]]


def typed(value: str, kind: str) -> object:
    if value == "":
        return None
    if kind == "datetime":
        return datetime.fromisoformat(value)
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    return value


@pytest.fixture
def database() -> Iterator[tuple[str, str]]:
    url = os.environ.get(POSTGRES)
    assert url, f"set {POSTGRES} (scripts/test starts PostgreSQL with scripts/postgres)"
    schema = f"ssd_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    yield url, schema
    with engine.begin() as connection:
        connection.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()


def fill(url: str, schema: str, extract: Path) -> None:
    """Each table of the extract folder into a table made from the SSD's specification (an
    ext_* table, which the SSD lacks, from the contract's columns, as text)."""
    engine = sa.create_engine(url)
    metadata = sa.MetaData(schema=schema)
    for path in sorted(extract.glob("*.csv")):
        name = path.stem
        fields = (
            [(c, "nvarchar") for c in load_contract().table(name).column_names]
            if name.startswith("ext_")
            else spec_fields(name)
        )
        kinds = dict(fields)
        table = sa.Table(name, metadata, *(sa.Column(f, TYPES[k]) for f, k in fields))
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            rows = [{k: typed(v, kinds[k]) for k, v in row.items()} for row in reader]
        with engine.begin() as connection:
            table.create(connection)
            if rows:
                connection.execute(table.insert(), rows)
    engine.dispose()


def test_the_ssd_database_gives_the_same_snapshot_as_its_files(
    small_authority: Path, database: tuple[str, str], tmp_path: Path
) -> None:
    url, schema = database
    fill(url, schema, small_authority)
    from_files = load_extract(small_authority, SnapshotStore(tmp_path / "files"))
    store = SnapshotStore(tmp_path / "database")
    from_database = load_database(url, store, schema)
    manifest = from_database.manifest
    assert manifest.tables_fingerprint == from_files.manifest.tables_fingerprint
    assert manifest.rows == from_files.manifest.rows
    assert manifest.as_at == from_files.manifest.as_at
    assert {f.file for f in manifest.files} >= {f"{schema}.ssd_person", f"{schema}.ssd_contacts"}
    password = sa.make_url(url).password
    assert ":***@" in manifest.source_dir and f":{password}@" not in manifest.source_dir
    # the same records read again are already loaded
    with pytest.raises(Exception, match="already loaded"):
        load_database(url, store, schema)


def test_a_bad_row_in_the_database_refuses_the_load_naming_its_table(
    small_authority: Path, database: tuple[str, str], tmp_path: Path
) -> None:
    url, schema = database
    fill(url, schema, small_authority)
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                f"UPDATE {schema}.ssd_contacts SET cont_person_id = 'NOBODY' "
                f"WHERE cont_contact_id = (SELECT min(cont_contact_id) FROM {schema}.ssd_contacts)"
            )
        )
    engine.dispose()
    store = SnapshotStore(tmp_path / "database")
    with pytest.raises(ExtractRejected) as caught:
        load_database(url, store, schema)
    [issue] = [i for i in caught.value.issues if i.is_error]
    assert (issue.rule, issue.file, issue.column, issue.value) == (
        "dangling-reference",
        f"{schema}.ssd_contacts",
        "cont_person_id",
        "NOBODY",
    )
    assert store.manifests() == []


def test_a_database_that_cannot_be_read_says_so(tmp_path: Path) -> None:
    with pytest.raises(DatabaseUnreadable, match="Could not read the SSD database"):
        load_database(
            "postgresql+psycopg://nobody:secret@127.0.0.1:1/none", SnapshotStore(tmp_path)
        )
    with pytest.raises(DatabaseUnreadable, match="driver"):
        load_database("mssql+nosuchdriver://dsn", SnapshotStore(tmp_path))

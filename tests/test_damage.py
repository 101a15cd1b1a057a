"""A damaged snapshot is reported and passed over, never a crash or a dashboard stuck at 503:
a manifest that is not JSON, a database file overwritten with noise. The tiny extract is
loaded twice (as at 1 and 2 March 2024, s0001 and s0002), then the newer is damaged."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from scrutineer.engine.session import open_session
from scrutineer.errors import SnapshotDamaged
from scrutineer.extract.load import load_extract
from scrutineer.extract.snapshots import DB_NAME, MANIFEST_NAME, SnapshotStore
from scrutineer.outputs.web.routes import create_app
from scrutineer.records.store import open_records
from scrutineer.records.users import add_user
from scrutineer.settings import Settings, load_settings
from tests.support.cli import Cli
from tests.support.extracts import tiny_extract


def two_snapshots(home: Path) -> tuple[Settings, SnapshotStore]:
    settings = load_settings({"SCRUTINEER_DATA_DIR": str(home / "data")}, home / ".env")
    store = SnapshotStore(settings.snapshots_dir)
    extract = tiny_extract(home / "extract")
    load_extract(extract, store, date(2024, 3, 1))
    load_extract(extract, store, date(2024, 3, 2), force=True)
    return settings, store


def overwrite(path: Path, data: bytes) -> None:
    path.chmod(0o644)  # snapshots are read-only
    path.write_bytes(data)


def test_a_manifest_that_is_not_json_is_listed_and_passed_over(tmp_path: Path) -> None:
    settings, store = two_snapshots(tmp_path)
    overwrite(store.root / "s0002-20240302" / MANIFEST_NAME, b'{"id": "s0002-2024')
    assert [m.id for m in store.manifests()] == ["s0001-20240301"]
    assert [(d.id, d.reason) for d in store.damaged()] == [
        ("s0002-20240302", "its manifest.json is damaged (JSONDecodeError)")
    ]
    session = open_session(settings)
    assert session.manifest.id == "s0001-20240301"
    assert [d.id for d in session.passed_over] == ["s0002-20240302"]
    session.close()
    cli = Cli(tmp_path)
    listed = cli.run("snapshots").stdout.splitlines()
    assert listed[1].startswith("s0002-20240302  DAMAGED: its manifest.json is damaged")
    kpi = cli.run("kpi", "--kpi", "contacts", "--period", "2024-02")
    assert "Warning: snapshot s0002-20240302 is damaged" in kpi.stderr
    assert "using s0001-20240301" in kpi.stderr
    loaded = cli.run("load", str(tmp_path / "extract"), "--as-at", "2024-03-03", "--force")
    assert "s0003-20240303" in loaded.stdout  # a damaged snapshot's number is never reused


def test_a_database_overwritten_with_noise_is_passed_over(tmp_path: Path) -> None:
    settings, store = two_snapshots(tmp_path)
    overwrite(store.root / "s0002-20240302" / DB_NAME, b"\x13noise" * 5000)
    with pytest.raises(SnapshotDamaged, match="Snapshot s0002-20240302 is damaged"):
        store.connect("s0002-20240302")
    session = open_session(settings)
    assert session.manifest.id == "s0001-20240301"
    assert [d.id for d in session.passed_over] == ["s0002-20240302"]
    session.close()
    with pytest.raises(SnapshotDamaged):  # asked for by name, it is not replaced
        open_session(settings, "s0002")


def test_the_dashboard_serves_the_newest_good_snapshot_and_says_so(tmp_path: Path) -> None:
    settings, store = two_snapshots(tmp_path)
    overwrite(store.root / "s0002-20240302" / DB_NAME, b"\x13noise" * 5000)
    records = open_records(settings)
    add_user(records, "admin", "Admin", "admin", "admin-password-1")
    client = TestClient(create_app(settings, records), base_url="https://testserver")
    page = client.get("/login").text
    csrf = page.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    signed_in = client.post(
        "/login",
        data={"username": "admin", "password": "admin-password-1", "csrf": csrf, "next": "/"},
    )
    assert signed_in.status_code == 200, signed_in.text
    overview = client.get("/")
    assert overview.status_code == 200
    assert "Damaged, so left out: snapshot s0002-20240302" in overview.text
    assert "Figures from snapshot s0001-20240301" in overview.text
    assert client.get("/ready").status_code == 200

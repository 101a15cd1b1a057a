"""Shared fixtures: tiny hand-written extracts, synthetic authorities made once, the records
store on SQLite and PostgreSQL, a browser. Helpers that are not fixtures are in
`tests/support/`."""

from __future__ import annotations

import os
import shutil
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session as SqlSession

from scrutineer.engine.exceptions import exception_list
from scrutineer.engine.session import open_session
from scrutineer.extract.load import load_extract
from scrutineer.extract.snapshots import SnapshotStore
from scrutineer.records import models
from scrutineer.records.store import open_records
from scrutineer.settings import load_settings
from scrutineer.synth.generate import generate
from tests.support.cli import Cli
from tests.support.extracts import SMALL, tiny_extract
from tests.support.web import WebData, user_per_role

POSTGRES = "SCRUTINEER_TEST_POSTGRES_URL"


@pytest.fixture
def extract(tmp_path: Path) -> Path:
    return tiny_extract(tmp_path / "extract")


@pytest.fixture
def store(tmp_path: Path) -> SnapshotStore:
    return SnapshotStore(tmp_path / "data" / "snapshots")


@pytest.fixture(scope="session")
def small_authority(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic authority (6,000 children, one year): fast, and still realistic."""
    folder = tmp_path_factory.mktemp("small") / "extract"
    generate(folder, SMALL)
    return folder


@pytest.fixture(scope="session")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Cli, Path]:
    """The reference authority made and loaded by the commands of the README, once."""
    home = tmp_path_factory.mktemp("reference")
    cli = Cli(home)
    cli.run("generate", str(home / "la"))
    cli.run("load", str(home / "la"))
    return cli, home / "la"


@pytest.fixture(scope="session")
def web_data(small_authority: Path, tmp_path_factory: pytest.TempPathFactory) -> WebData:
    home = tmp_path_factory.mktemp("web")
    settings = load_settings({"SCRUTINEER_DATA_DIR": str(home / "data")}, home / ".env")
    load_extract(small_authority, SnapshotStore(settings.snapshots_dir))
    records = open_records(settings)
    session = open_session(settings)
    try:  # the two services with most children overdue for child protection visits
        kpi = session.engine.catalogue.get("cp_visits_10wd_pct")
        rows = exception_list(session.engine, kpi, session.latest_period)
        ids = dict(session.engine.con.execute("SELECT service, service_id FROM teams").fetchall())
    finally:
        session.close()
    busiest = Counter(ids[r.service] for r in rows if r.service in ids).most_common(2)
    child = next(str(r.person_id) for r in rows if ids.get(r.service) == busiest[0][0])
    assert len(busiest) == 2, "SMALL needs children overdue in two services: change its seed"
    service, other = str(busiest[0][0]), str(busiest[1][0])
    passwords = user_per_role(records, service)
    with SqlSession(records) as db, db.begin():
        panel = models.Panel(
            name="Children and Families Scrutiny Panel", terms_of_reference="", quorum=3
        )
        db.add(panel)
        db.flush()
        db.add_all(
            models.PanelMember(
                panel_id=panel.id, name=name, kind="councillor", starts=date(2025, 5, 1)
            )
            for name in ("Cllr One", "Cllr Two")
        )
        meeting = models.Meeting(
            panel_id=panel.id,
            held_on=date(2026, 3, 10),
            place="Town Hall",
            status="held",
            minutes="",
        )
        review = models.PracticeReview(name="Review of Child A", kind="cspr")
        db.add_all((meeting, review))
        db.flush()
        made = (meeting.id, panel.id, review.id)
    return WebData(settings, records, passwords, service, other, child, *made)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, driven by Playwright."""
    chromium = shutil.which("chromium")
    assert chromium, "install Debian's chromium (scripts/install-debian does)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A records store's URL, each test run on SQLite and on PostgreSQL (an empty schema)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'records.sqlite3'}"
        return
    found = os.environ.get(POSTGRES)
    assert found, f"set {POSTGRES} (scripts/test starts PostgreSQL with scripts/postgres)"
    engine = create_engine(found)
    with engine.begin() as connection:  # a clean schema for each test
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    yield found

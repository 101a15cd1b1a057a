"""Shared fixtures: tiny hand-written extracts, and synthetic authorities made once."""

from __future__ import annotations

import csv
import os
import shutil
import socket
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright
from sqlalchemy import Engine
from sqlalchemy.orm import Session as SqlSession

from scrutineer.engine.exceptions import exception_list
from scrutineer.engine.session import open_session
from scrutineer.extract.load import load_extract
from scrutineer.extract.snapshots import SnapshotStore
from scrutineer.records import models
from scrutineer.records.store import open_records
from scrutineer.records.users import ROLES, add_user
from scrutineer.settings import Settings, load_settings
from scrutineer.synth.generate import generate
from scrutineer.synth.params import AuthorityParams

SMALL = AuthorityParams(
    population=6_000, start=date(2025, 4, 1), end=date(2026, 3, 31), seed=2, warm_up_months=12
)


def write_csv(
    folder: Path,
    table: str,
    header: Sequence[str],
    *rows: Sequence[str],
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{table}.csv"
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


PERSON = ("pers_person_id", "pers_forename", "pers_sex", "pers_dob")
CONTACTS = ("cont_contact_id", "cont_person_id", "cont_contact_date", "cont_contact_outcome_json")
INVOLVEMENTS = (
    "invo_involvements_id",
    "invo_professional_id",
    "invo_professional_role_id",
    "invo_professional_team",
    "invo_involvement_start_date",
    "invo_involvement_end_date",
    "invo_person_id",
)
INVOLVEMENTS = (
    "invo_involvements_id",
    "invo_professional_id",
    "invo_professional_role_id",
    "invo_professional_team",
    "invo_involvement_start_date",
    "invo_involvement_end_date",
    "invo_person_id",
)
EPISODES = (
    "cine_referral_id",
    "cine_person_id",
    "cine_referral_date",
    "cine_referral_nfa",
    "cine_close_date",
    "cine_close_reason",
)


def tiny_extract(folder: Path) -> Path:
    """Three children, three contacts, two referrals: every row valid.

    Row numbers as a spreadsheet shows them (header = row 1) are used by the tests:
    ssd_person row 2 is "0123", row 3 is "0456", row 4 is "0789".
    """
    write_csv(
        folder,
        "ssd_person",
        PERSON,
        ("0123", "Ada", "F", "2015-03-01"),
        ("0456", "Ben", "m", "28/02/2016"),
        ("0789", "Cat", "U", "2020-02-29 00:00:00"),
    )
    write_csv(
        folder,
        "ssd_contacts",
        CONTACTS,
        ("C1", "0123", "2024-01-05", '{"NFA_FLAG": "Y"}'),
        ("C2", "0456", "05/02/2024", '{"NEW_REFERRAL_FLAG": "Yes", "NFA_FLAG": "No"}'),
        ("C3", "0789", "2024-02-29T09:30:00", '{"new_referral_flag": "1", "ADVICE_FLAG": ""}'),
    )
    write_csv(
        folder,
        "ssd_cin_episodes",
        EPISODES,
        ("R1", "0456", "2024-02-06", "N", "2024-03-01", "RC8"),
        ("R2", "0789", "2024-03-01", "N", "", ""),
    )
    return folder


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


@dataclass(frozen=True)
class Cli:
    home: Path

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "SCRUTINEER_DATA_DIR": str(self.home / "data")}
        done = subprocess.run(
            [sys.executable, "-m", "scrutineer", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=self.home,
            timeout=600,
        )
        if check and done.returncode != 0:
            raise AssertionError(f"scrutineer {' '.join(args)} failed:\n{done.stderr}")
        return done


@pytest.fixture(scope="session")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Cli, Path]:
    """The reference authority made and loaded by the commands of the README, once."""
    home = tmp_path_factory.mktemp("reference")
    cli = Cli(home)
    cli.run("generate", str(home / "la"))
    cli.run("load", str(home / "la"))
    return cli, home / "la"


@dataclass(frozen=True)
class WebData:
    """A loaded small authority with a records store and one user per role."""

    settings: Settings
    records: Engine
    passwords: dict[str, str]  # username (the role's name) -> password
    service: str  # the manager's service id: the one with most children overdue
    other_service: str  # a service the manager is not assigned
    child: str  # a child whose case the manager's service holds
    meeting: int  # a meeting of the scrutiny panel
    panel: int  # the scrutiny panel (two councillors, quorum 3)
    review: int  # a practice review with no recommendation yet


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
    with SqlSession(records) as session, session.begin():
        panel = models.Panel(
            name="Children and Families Scrutiny Panel", terms_of_reference="", quorum=3
        )
        session.add(panel)
        session.flush()
        session.add_all(
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
        session.add_all((meeting, review))
        session.flush()
        ids = (meeting.id, panel.id, review.id)
    return WebData(settings, records, passwords, service, other, child, *ids)


def free_port() -> int:
    """A TCP port on the loopback address that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, driven by Playwright."""
    chromium = shutil.which("chromium")
    assert chromium, "install Debian's chromium (scripts/install-debian does)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        yield launched
        launched.close()


def user_per_role(records: Engine, service: str) -> dict[str, str]:
    """A user named after each role, password `ROLE-password-1`; the manager assigned
    `service`. Returns username -> password."""
    return {
        role: add_user(
            records,
            role,
            f"Test {role}",
            role,
            f"{role}-password-1",
            (service,) if role == "manager" else (),
        )
        for role in ROLES
    }

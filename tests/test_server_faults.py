"""Faults and attacks against a real server process (issue 18): `scrutineer serve` run as
it is run in production, on SQLite and on PostgreSQL, sent real HTTP requests at once, and
killed (SIGKILL: no chance to finish) while requests are in flight. Bounded: a fixed number
of requests and rounds, every wait with a timeout; loopback only."""

from __future__ import annotations

import csv
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx2 as httpx
import pytest
from sqlalchemy import create_engine, text

from scrutineer.extract.load import load_extract
from scrutineer.extract.snapshots import SnapshotStore
from scrutineer.records.store import open_records
from scrutineer.records.users import MAX_FAILED_LOGINS, add_user
from scrutineer.settings import load_settings
from tests.support.web import free_port

START_SECONDS = 60
PER_ROUND = 120  # alerts sent at once in each round, of which a few are let through


@dataclass
class Server:
    env: dict[str, str]
    port: int
    children: list[str]  # person ids of the authority's children
    process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "scrutineer", "serve", "--port", str(self.port)],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/login", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        raise AssertionError("the server did not start")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def sign_in(self, username: str, password: str) -> httpx.Client:
        client = httpx.Client(base_url=self.base, timeout=10, follow_redirects=False)
        page = client.get("/login").text
        done = client.post(
            "/login",
            data={"username": username, "password": password, "csrf": csrf(page), "next": "/"},
        )
        assert done.status_code == 303, done.text
        return client


def csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field"
    return found.group(1)


@pytest.fixture
def server(
    url: str,
    small_authority: Path,
    tmp_path: Path,
) -> Iterator[Server]:
    env = {
        **os.environ,
        "SCRUTINEER_DATA_DIR": str(tmp_path / "data"),
        "SCRUTINEER_RECORDS_URL": url,
    }
    settings = load_settings(env, tmp_path / ".env")
    load_extract(small_authority, SnapshotStore(settings.snapshots_dir))
    records = open_records(settings)
    add_user(records, "iro", "Ian IRO", "iro", "iro-password-1")
    add_user(records, "victim", "Vic Tim", "viewer", "the-right-password-1")
    records.dispose()
    with (small_authority / "ssd_person.csv").open(encoding="utf-8") as people:
        children = [row["pers_person_id"] for row in csv.DictReader(people)][: PER_ROUND * 3]
    running = Server(env, free_port(), children)
    running.start()
    yield running
    if running.process is not None and running.process.poll() is None:
        running.kill()


def raise_alert(client: httpx.Client, form: str, child: str) -> str:
    """Send one alert through the form; what came back ('saved', or the error's name)."""
    sent = {
        "csrf": csrf(form),
        "person_id": child,
        "raised_date": "2026-03-02",
        "reasons": "visiting_frequency",
    }
    try:
        done = client.post("/qa/alerts", data=sent)
    except httpx.TransportError as error:
        return type(error).__name__
    return "saved" if done.status_code == 303 else f"HTTP {done.status_code}"


def test_a_server_killed_mid_request_leaves_no_alert_without_its_first_stage(
    server: Server,
    url: str,
) -> None:
    """Three rounds: 120 alerts raised from 8 connections at once, and the server killed
    as soon as the first few are stored, with the rest in flight. Started again, every
    alert stored has its informal stage (two transactions left alerts without one, which
    then gave 500), nothing acknowledged is lost, and the alerts and children's pages open."""
    outcomes: list[tuple[str, str]] = []  # (child, what came back)
    for round_ in range(3):
        clients = [server.sign_in("iro", "iro-password-1") for _ in range(8)]
        forms = [c.get("/qa/alerts/new").text for c in clients]
        children = server.children[PER_ROUND * round_ : PER_ROUND * (round_ + 1)]
        with ThreadPoolExecutor(max_workers=8) as pool:
            sent = [
                pool.submit(raise_alert, clients[i % 8], forms[i % 8], child)
                for i, child in enumerate(children)
            ]
            deadline = time.monotonic() + 30
            while sum(f.done() for f in sent) < 3 and time.monotonic() < deadline:
                time.sleep(0.005)
            server.kill()
            outcomes += [
                (child, f.result(timeout=30)) for child, f in zip(children, sent, strict=True)
            ]
        for c in clients:
            c.close()
        server.start()
    saved = {child for child, said in outcomes if said == "saved"}
    assert saved, outcomes  # some were stored before the kill ...
    assert len(saved) < len(outcomes), outcomes  # ... and some were cut off
    engine = create_engine(url)
    with engine.connect() as connection:
        alerts = connection.execute(text("SELECT alert_ref, person_id FROM iro_alerts")).all()
        orphans = connection.execute(
            text(
                "SELECT a.alert_ref FROM iro_alerts AS a WHERE NOT EXISTS (SELECT 1 FROM "
                "iro_alert_stages AS s WHERE s.alert_ref = a.alert_ref AND s.level = 'informal')"
            )
        ).all()
    engine.dispose()
    assert alerts and not orphans
    assert saved <= {person for _, person in alerts}  # nothing acknowledged was lost
    iro = server.sign_in("iro", "iro-password-1")
    try:
        assert iro.get("/qa/alerts?state=open").status_code == 200
        for _, person in alerts[:10]:
            assert iro.get(f"/qa/children/{person}").status_code == 200
    finally:
        iro.close()
    server.kill()


def test_wrong_passwords_sent_at_once_to_a_real_server_lock_the_account(server: Server) -> None:
    """24 wrong passwords from 24 connections at once: the account locks, no more than five
    were checked (each took a try before it was checked), and the right password is then
    refused too, until an administrator unlocks it."""

    def guess(n: int) -> int:
        with httpx.Client(base_url=server.base, timeout=30) as client:
            page = client.get("/login").text
            data = {"username": "victim", "password": f"guess-{n}", "csrf": csrf(page), "next": "/"}
            return client.post("/login", data=data).status_code

    with ThreadPoolExecutor(max_workers=24) as pool:
        codes = list(pool.map(guess, range(24)))
    assert all(code != 303 for code in codes), codes
    with httpx.Client(base_url=server.base, timeout=30) as client:
        page = client.get("/login").text
        data = {
            "username": "victim",
            "password": "the-right-password-1",
            "csrf": csrf(page),
            "next": "/",
        }
        assert client.post("/login", data=data).status_code != 303  # locked
    engine = create_engine(server.env["SCRUTINEER_RECORDS_URL"])
    with engine.connect() as connection:
        failed = connection.execute(
            text("SELECT failed_logins FROM users WHERE username = 'victim'")
        ).scalar()
    engine.dispose()
    assert failed == MAX_FAILED_LOGINS
    server.kill()


@pytest.mark.parametrize("workers", ["1", "2"])
def test_serve_on_a_busy_port_says_so_and_starts_nothing(tmp_path: Path, workers: str) -> None:
    """Another program listening on the port: `serve` says so and how to choose another,
    exits 1 (not "serving", then an abort), and makes no administrator."""
    env = {**os.environ, "SCRUTINEER_DATA_DIR": str(tmp_path / "data")}
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = str(taken.getsockname()[1])
        done = subprocess.run(
            [sys.executable, "-m", "scrutineer", "serve", "--port", port, "--workers", workers],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1, done.stderr
    assert f"Cannot serve on 127.0.0.1:{port}" in done.stderr and "--port" in done.stderr
    assert "serving" not in done.stdout and "administrator" not in done.stdout

"""The governance of the data (docs/security.md): retention of snapshots and the access
log, a purge that is itself logged, the access log exported, and the command line's lists
of children logged as the web's are. Run through the commands, as a council would."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import text

from scrutineer.records.access_log import log_access
from scrutineer.records.retention import purge
from scrutineer.records.store import open_records
from scrutineer.settings import load_settings
from tests.support.cli import Cli
from tests.support.extracts import tiny_extract


def access(cli: Cli) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(cli.run("access-log").stdout)))


def test_a_purge_removes_what_is_past_retention_and_is_logged(tmp_path: Path) -> None:
    """Snapshots as at 1 March 2024 and 1 March 2026, and an access-log entry dated
    1 January 2024; kept 12 months, purged on 1 December 2026 (the cut is 1 December 2025):
    the 2024 snapshot and the old entry go, the newest snapshot never does."""
    cli = Cli(tmp_path)
    extract = tiny_extract(tmp_path / "extract")
    cli.run("load", str(extract), "--as-at", "2024-03-01")
    cli.run("load", str(extract), "--as-at", "2026-03-01", "--force")
    env = {"SCRUTINEER_DATA_DIR": str(tmp_path / "data")}
    settings = load_settings(
        {
            **env,
            "SCRUTINEER_RETAIN_SNAPSHOT_MONTHS": "12",
            "SCRUTINEER_RETAIN_ACCESS_LOG_MONTHS": "12",
        },
        tmp_path / ".env",
    )
    records = open_records(settings)
    log_access(records, "cli:someone", "exception list (command line)", "an old list")
    with records.begin() as connection:
        connection.execute(text("UPDATE access_log SET at = :t"), {"t": datetime(2024, 1, 1)})
    planned = purge(settings, records, date(2026, 12, 1), dry_run=True)
    assert planned.snapshots == ("s0001-20240301",) and planned.access_entries == 1
    assert [line.split()[0] for line in cli.run("snapshots").stdout.splitlines()] == [
        "s0001-20240301",
        "s0002-20260301",
    ]  # a dry run removes nothing
    done = purge(settings, records, date(2026, 12, 1))
    assert done.said() == (
        "snapshots as at before 2025-12-01: s0001-20240301; 1 access-log entry before 2025-12-01"
    )
    assert [line.split()[0] for line in cli.run("snapshots").stdout.splitlines()] == [
        "s0002-20260301"
    ]
    logged = access(cli)  # the old entry gone, the purge kept: who, when, what went
    assert [r["action"] for r in logged] == ["purge"] and logged[0]["who"].startswith("cli:")
    assert "s0001-20240301" in logged[0]["subject"]
    again = purge(settings, records, date(2030, 1, 1))  # the newest is kept, however old
    assert again.snapshots == ()
    records.dispose()


def test_the_command_line_s_lists_of_children_are_logged(tmp_path: Path) -> None:
    cli = Cli(tmp_path)
    cli.run("load", str(tiny_extract(tmp_path / "extract")), "--as-at", "2024-03-31")
    shown = cli.run("exceptions", "rereferrals_pct", "--period", "2024-03")
    assert shown.returncode == 0
    logged = [r for r in access(cli) if r["action"] == "exception list (command line)"]
    assert [r["subject"] for r in logged] == ["rereferrals_pct 2024-03: 0 children"]
    assert logged[-1]["who"].startswith("cli:")


def test_users_are_enabled_unlocked_and_given_new_passwords_from_the_command_line(
    tmp_path: Path,
) -> None:
    cli = Cli(tmp_path)
    cli.run("users", "add", "aud", "--role", "auditor")
    cli.run("users", "disable", "aud")
    assert "no" in next(
        line for line in cli.run("users", "list").stdout.splitlines() if "aud" in line
    )
    assert cli.run("users", "enable", "aud").stdout.strip() == "Enabled aud."
    assert cli.run("users", "unlock", "aud").stdout.strip() == "Unlocked aud."
    reset = cli.run("users", "reset-password", "aud").stdout
    assert reset.startswith("New password for aud: ") and len(reset.split(": ")[1].strip()) >= 10
    assert cli.run("users", "unlock", "nobody", check=False).returncode != 0

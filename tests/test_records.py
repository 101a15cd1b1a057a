"""The records store on SQLite and on PostgreSQL: migrations, and targets kept in it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, create_engine, text

from scrutineer.assess.targets import Target, TargetStore
from scrutineer.catalogue.load import load_catalogue
from scrutineer.extract.load import load_extract
from scrutineer.extract.snapshots import SnapshotStore
from scrutineer.records.access_log import log_access, recent_access
from scrutineer.records.governance import add_review
from scrutineer.records.models import ValueInvalid
from scrutineer.records.narratives import narratives_for, write_narrative
from scrutineer.records.registry import registered, sync
from scrutineer.records.sessions import end_session, signed_in, start_session
from scrutineer.records.store import alembic_config, tables, upgrade
from scrutineer.records.users import (
    HASHER,
    MAX_FAILED_LOGINS,
    UserInvalid,
    add_user,
    change_password,
    check_password,
    disable_user,
    enable_user,
    list_users,
    set_password,
    sign_in_from_provider,
    unlock_user,
)
from tests.support.cli import Cli
from tests.support.extracts import tiny_extract

RECORDS = {
    "users",
    "service_assignments",
    "access_log",
    "targets",
    "narratives",
    "snapshots",
    "web_sessions",
    "audit_programmes",
    "audits",
    "audit_actions",
    "iro_alerts",
    "iro_alert_stages",
    "review_adjournments",
    "record_changes",
    "panels",
    "panel_members",
    "meetings",
    "agenda_items",
    "attendance",
    "declarations",
    "resolutions",
    "practice_reviews",
    "recommendations",
    "recommendation_updates",
    "team_actions",
}
HEAD = "0010"


def test_an_empty_database_is_brought_up_to_date(url: str) -> None:
    engine = create_engine(url)
    assert tables(engine) == set()
    upgrade(url)
    assert tables(engine) >= RECORDS | {"alembic_version"}
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD
    engine.dispose()


def test_an_existing_database_keeps_its_records_when_upgraded(url: str) -> None:
    upgrade(url)
    engine: Engine = create_engine(url)
    store = TargetStore(engine, load_catalogue())
    kept = [
        Target("cp_visits_10wd_pct", "monthly", 80.0, 2025, "Board", date(2025, 4, 10)),
        Target("contacts", "annual", 22_000.0, 2025, "Board", date(2025, 4, 10), "a note"),
    ]
    store.replace(kept)
    upgrade(url)  # again: nothing to do, nothing lost
    assert store.all() == kept
    store.replace(kept[:1])  # an import replaces the targets whole
    assert store.all() == kept[:1] and not store.empty()
    engine.dispose()


def test_targets_set_before_polarity_existed_are_kept_and_new_ones_keep_theirs(
    url: str,
) -> None:
    command.upgrade(alembic_config(url), "0005")  # a store from before migration 0006
    engine: Engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO targets (kpi, kind, value, financial_year, set_by, set_on, note) "
                "VALUES ('cla_rate', 'monthly', 95, 2025, 'Board', '2025-04-10', '')"
            )
        )
    upgrade(url)
    store = TargetStore(engine, load_catalogue())
    old = Target("cla_rate", "monthly", 95.0, 2025, "Board", date(2025, 4, 10))
    assert store.all() == [old]  # polarity "" and no tolerance: judged as before
    rated = Target("cla_rate", "monthly", 95.0, 2025, "Board", date(2025, 4, 10), "", "lower")
    limit = Target("cp_reviews_timely_pct", "monthly", 100.0, 2025, "Board", date(2025, 4, 10))
    store.replace([rated, replace(limit, tolerance=1.0)])
    assert store.all() == [rated, replace(limit, tolerance=1.0)]
    engine.dispose()


def test_narratives_are_written_and_rewritten(url: str) -> None:
    upgrade(url)
    engine = create_engine(url)
    write_narrative(engine, "purposeful_contact", "2026-03", "Visits fell.", "", "Analyst A")
    write_narrative(
        engine,
        "purposeful_contact",
        "2026-03",
        "Visits fell in two teams.",
        "Weekly clinic.",
        "Analyst B",
    )
    found = narratives_for(engine, "2026-03")
    assert list(found) == ["purposeful_contact"]
    assert (
        found["purposeful_contact"].analysis,
        found["purposeful_contact"].actions,
        found["purposeful_contact"].written_by,
    ) == ("Visits fell in two teams.", "Weekly clinic.", "Analyst B")
    assert narratives_for(engine, "2026-02") == {}
    engine.dispose()


def test_users_roles_services_and_lockout(url: str) -> None:
    upgrade(url)
    engine = create_engine(url)
    password = add_user(engine, "mgr", "A Manager", "manager", services=("SVC-PC",))
    add_user(engine, "panel1", "A Councillor", "panel", password="correct horse battery")
    assert [(u.username, u.role, u.services) for u in list_users(engine)] == [
        ("mgr", "manager", ("SVC-PC",)),
        ("panel1", "panel", ()),
    ]
    with engine.connect() as connection:  # argon2, never the password itself
        stored = connection.execute(
            text("SELECT password_hash FROM users WHERE username = 'mgr'")
        ).scalar()
    assert str(stored).startswith("$argon2") and password not in str(stored)
    assert check_password(engine, "mgr", password) is not None
    for _ in range(MAX_FAILED_LOGINS):
        assert check_password(engine, "panel1", "wrong password") is None
    assert check_password(engine, "panel1", "correct horse battery") is None  # locked
    disable_user(engine, "mgr")
    assert check_password(engine, "mgr", password) is None
    with pytest.raises(UserInvalid, match="not one of"):
        add_user(engine, "x", "X", "superuser")
    with pytest.raises(UserInvalid, match="already a user"):
        add_user(engine, "mgr", "Again", "viewer")
    with pytest.raises(UserInvalid, match="Only a manager"):
        add_user(engine, "v", "V", "viewer", services=("SVC-PC",))
    engine.dispose()


def test_users_command(tmp_path: Path) -> None:
    cli = Cli(tmp_path)
    added = cli.run("users", "add", "ana", "--role", "analyst", "--name", "An Analyst").stdout
    assert added.startswith("Added ana (analyst). Password: ")
    assert "An Analyst" in cli.run("users", "list").stdout
    cli.run("users", "disable", "ana")
    assert cli.run("users", "list").stdout.splitlines()[2].split()[-1] == "no"  # not active
    refused = cli.run("users", "add", "bob", "--role", "boss", check=False)
    assert refused.returncode == 1 and "not one of admin, analyst" in refused.stderr


def test_an_older_schema_is_upgraded_with_its_records_kept(url: str) -> None:
    command.upgrade(alembic_config(url), "0001")  # as a database made by an earlier release
    engine = create_engine(url)
    assert "snapshots" not in tables(engine)
    store = TargetStore(engine, load_catalogue())
    kept = [Target("cp_visits_10wd_pct", "monthly", 80.0, 2025, "Board", date(2025, 4, 10))]
    with engine.begin() as connection:  # written as that release wrote it
        connection.execute(
            text(
                "INSERT INTO targets (kpi, kind, value, financial_year, set_by, set_on, note) "
                "VALUES ('cp_visits_10wd_pct', 'monthly', 80, 2025, 'Board', '2025-04-10', '')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO users (username, display_name, role, password_hash, active, "
                "failed_logins, created_at) VALUES ('early', 'An Early User', 'viewer', :hash, "
                "true, 0, '2025-04-01 09:00:00')"
            ),
            {"hash": HASHER.hash("early-password")},
        )
    upgrade(url)
    assert {"snapshots", "web_sessions"} <= tables(engine) and store.all() == kept
    assert check_password(engine, "early", "early-password") is not None
    engine.dispose()


def test_web_sessions_end_on_sign_out_disable_lock_and_expiry(url: str) -> None:
    upgrade(url)
    engine = create_engine(url)
    add_user(engine, "mgr", "A Manager", "manager", "manager-pass", services=("SVC-PC",))
    token = start_session(engine, "mgr")
    found = signed_in(engine, token)
    assert found is not None
    user, csrf = found
    assert (user.username, user.services, len(csrf) >= 32) == ("mgr", ("SVC-PC",), True)
    with engine.connect() as connection:  # only the token's hash is stored
        stored = connection.execute(text("SELECT token_hash FROM web_sessions")).scalar()
    assert stored != token and len(str(stored)) == 64
    assert signed_in(engine, token + "x") is None
    end_session(engine, token)
    assert signed_in(engine, token) is None
    token = start_session(engine, "mgr")
    for _ in range(MAX_FAILED_LOGINS):
        check_password(engine, "mgr", "wrong")
    assert signed_in(engine, token) is None  # locked: the open session ends too
    unlock_user(engine, "mgr")
    assert signed_in(engine, token) is not None
    with engine.begin() as connection:  # a session past its lifetime
        connection.execute(
            text("UPDATE web_sessions SET expires_at = :t"), {"t": datetime(2020, 1, 1)}
        )
    assert signed_in(engine, token) is None
    token = start_session(engine, "mgr")
    disable_user(engine, "mgr")
    assert signed_in(engine, token) is None
    engine.dispose()


def test_the_access_log_keeps_who_what_and_when(url: str) -> None:
    upgrade(url)
    engine = create_engine(url)
    add_user(engine, "iro1", "An IRO", "iro", "iro-password")
    log_access(engine, "iro1", "exception list", "cla_reviews_timely_pct 2026-03: 4 children")
    log_access(engine, "iro1", "clinic", "SVC-LAC 2026-03: 9 children")
    entries = recent_access(engine)
    assert [(e.username, e.action) for e in entries] == [
        ("iro1", "clinic"),
        ("iro1", "exception list"),
    ]
    assert entries[1].subject == "cla_reviews_timely_pct 2026-03: 4 children"
    assert set_password(engine, "iro1", "a-new-password") == "a-new-password"
    assert check_password(engine, "iro1", "a-new-password") is not None
    engine.dispose()


def test_the_snapshot_registry_follows_the_folders(url: str, tmp_path: Path) -> None:
    upgrade(url)
    engine = create_engine(url)
    folders = SnapshotStore(tmp_path / "snapshots")
    extract = tiny_extract(tmp_path / "extract")
    first = load_extract(extract, folders).manifest
    assert sync(engine, folders) == 1 and sync(engine, folders) == 0
    second = load_extract(extract, folders, force=True).manifest
    assert sync(engine, folders) == 1
    assert registered(engine) == [first.id, second.id]
    engine.dispose()


def test_the_migrations_make_exactly_the_models_tables(url: str) -> None:
    """Hand-written migrations and the models agree: no table, column, type or nullability
    differs after upgrading an empty database."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from scrutineer.records.models import Base

    upgrade(url)
    engine = create_engine(url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = [
            d for d in compare_metadata(context, Base.metadata) if "alembic_version" not in str(d)
        ]
    assert differences == []
    engine.dispose()


def test_a_value_no_column_can_hold_is_refused_before_it_is_written(url: str) -> None:
    """A review named at 300 characters was a DataError and a 500 on PostgreSQL (and
    stored on SQLite); a NUL likewise. Refused, saying which field and why, on both."""
    upgrade(url)
    engine = create_engine(url)
    with pytest.raises(ValueInvalid, match="The name is 300 characters: over the 200"):
        add_review(engine, "R" * 300, "thematic", None)
    with pytest.raises(ValueInvalid, match="NUL character"):
        add_review(engine, "Review\x00of A", "thematic", None)
    assert add_review(engine, "R" * 200, "thematic", None) > 0  # what fits is stored
    engine.dispose()


def test_a_session_left_idle_ends_and_one_in_use_goes_on(url: str) -> None:
    """Idle for more than 30 minutes, a session ends, though within its 10 hours; used, it
    is kept alive (its last use written at most once a minute)."""
    upgrade(url)
    engine = create_engine(url)
    add_user(engine, "iro1", "An IRO", "iro", "iro-password-1")
    token = start_session(engine, "iro1")
    now = datetime.now(UTC).replace(tzinfo=None)

    def last_used(ago: timedelta) -> None:
        with engine.begin() as connection:
            connection.execute(text("UPDATE web_sessions SET last_seen_at = :t"), {"t": now - ago})

    last_used(timedelta(minutes=29))
    assert signed_in(engine, token) is not None
    with engine.connect() as connection:  # that use was written: it is fresh again
        seen = connection.execute(text("SELECT last_seen_at FROM web_sessions")).scalar()
    assert now - timedelta(minutes=1) < datetime.fromisoformat(str(seen))  # SQLite: text
    last_used(timedelta(minutes=31))
    assert signed_in(engine, token) is None
    engine.dispose()


def test_an_administrator_enables_and_a_user_changes_their_password(url: str) -> None:
    upgrade(url)
    engine = create_engine(url)
    add_user(engine, "aud", "An Auditor", "auditor", "first-password")
    disable_user(engine, "aud")
    assert check_password(engine, "aud", "first-password") is None
    enable_user(engine, "aud")
    assert check_password(engine, "aud", "first-password") is not None
    with pytest.raises(UserInvalid, match="current password is not right"):
        change_password(engine, "aud", "not-the-password", "second-password")
    change_password(engine, "aud", "first-password", "second-password")
    assert check_password(engine, "aud", "first-password") is None
    assert check_password(engine, "aud", "second-password") is not None
    engine.dispose()


def test_a_user_of_the_identity_provider_is_known_by_their_identity(url: str) -> None:
    """Made at the first sign-in; the role and services set from the provider each time;
    known by the issuer and subject, so the same name from another provider, or a local
    account's name, is not theirs; disabled by an administrator, refused."""
    upgrade(url)
    engine = create_engine(url)
    issuer = "https://login.example/tenant/v2.0"
    first = sign_in_from_provider(engine, f"{issuer} 123", "ann", "Ann", "manager", ("SVC-PC",))
    assert (first.role, first.services) == ("manager", ("SVC-PC",))
    again = sign_in_from_provider(engine, f"{issuer} 123", "ann", "Ann A", "analyst", ())
    assert (again.display_name, again.role, again.services) == ("Ann A", "analyst", ())
    assert [u.username for u in list_users(engine)] == ["ann"]
    with pytest.raises(UserInvalid, match="exists already"):
        sign_in_from_provider(engine, "https://other.example 123", "ann", "Ann", "admin", ())
    add_user(engine, "bob", "Bob", "viewer", "bob-password-1")
    with pytest.raises(UserInvalid, match="exists already"):
        sign_in_from_provider(engine, f"{issuer} 456", "bob", "Bob", "admin", ())
    assert check_password(engine, "ann", "") is None  # no password of theirs works
    disable_user(engine, "ann")
    with pytest.raises(UserInvalid, match="disabled"):
        sign_in_from_provider(engine, f"{issuer} 123", "ann", "Ann", "analyst", ())
    engine.dispose()

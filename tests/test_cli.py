"""The commands of the README, run as a user runs them."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.support.cli import Cli
from tests.support.extracts import PERSON, tiny_extract, write_csv


def test_generate_then_load_makes_a_snapshot(reference: tuple[Cli, Path]) -> None:
    cli, folder = reference
    listed = cli.run("snapshots").stdout
    assert "s0001-20260331" in listed and "as at 2026-03-31" in listed
    again = cli.run("load", str(folder))
    assert "already loaded as snapshot s0001-20260331" in again.stdout


def test_a_broken_extract_is_refused_with_every_location(tmp_path: Path) -> None:
    cli = Cli(tmp_path)
    good = tiny_extract(tmp_path / "good")
    cli.run("load", str(good))
    before = cli.run("snapshots").stdout
    broken = tmp_path / "broken"
    shutil.copytree(good, broken)
    write_csv(
        broken,
        "ssd_person",
        PERSON,
        ("0123", "A", "F", "2015-01-01"),
        ("0123", "B", "M", "2016-13-01"),
        ("0789", "C", "U", "2017-01-01"),
    )
    path = broken / "ssd_contacts.csv"
    path.write_text(path.read_text().replace("cont_contact_outcome_json", "outcome"))
    done = cli.run("load", str(broken), "--issues", str(tmp_path / "issues.csv"), check=False)
    assert done.returncode == 2
    err = done.stderr
    assert "ssd_person.csv, column pers_person_id: duplicate pers_person_id" in err
    assert "ssd_person.csv, column pers_dob: not a date" in err and "row 3" in err
    assert "ssd_contacts.csv, column cont_contact_outcome_json: required column" in err
    assert "ssd_cin_episodes.csv, column cine_person_id: not found in ssd_person" in err
    assert "nothing was loaded" in err
    assert cli.run("snapshots").stdout == before
    rows = (tmp_path / "issues.csv").read_text().splitlines()
    assert rows[0].startswith("level,file,row,column,rule")
    assert len(rows) >= 5


def test_errors_say_what_and_how(tmp_path: Path) -> None:
    cli = Cli(tmp_path)
    done = cli.run("load", str(tmp_path / "missing"), check=False)
    assert done.returncode == 1 and "No extract folder" in done.stderr
    done = cli.run("load", str(tmp_path), "--as-at", "31/03/2026", check=False)
    assert done.returncode == 1 and "YYYY-MM-DD" in done.stderr
    done = cli.run("generate", str(tmp_path / "x"), "--format", "xlsx", check=False)
    assert done.returncode == 1 and "csv or parquet" in done.stderr


def test_contract_prints_markdown(tmp_path: Path) -> None:
    out = Cli(tmp_path).run("contract").stdout
    assert out.startswith("# The extract contract") and "### `ssd_cp_plans`" in out

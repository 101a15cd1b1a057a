"""Loading an extract: each contract check, and the all-or-nothing snapshot."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb
import pytest

from scrutineer.errors import AlreadyLoaded, ExtractNotFound, ExtractRejected
from scrutineer.extract.load import load_extract
from scrutineer.extract.snapshots import SnapshotStore
from scrutineer.findings import Issue, Level
from tests.support.extracts import CONTACTS, EPISODES, PERSON, write_csv


def rejected(folder: Path, store: SnapshotStore) -> list[Issue]:
    with pytest.raises(ExtractRejected) as caught:
        load_extract(folder, store)
    return [i for i in caught.value.issues if i.is_error]


def only(issues: list[Issue], rule: str) -> Issue:
    found = [i for i in issues if i.rule == rule]
    assert len(found) == 1, issues
    return found[0]


def test_a_good_extract_becomes_a_snapshot(extract: Path, store: SnapshotStore) -> None:
    result = load_extract(extract, store)
    manifest = result.manifest
    assert manifest.id == "s0001-20240301"
    assert manifest.as_at == date(2024, 3, 1)  # the latest event date in the files
    assert manifest.as_at_source == "latest date in the extract"
    assert manifest.rows["ssd_person"] == 3 and manifest.rows["ssd_cla_episodes"] == 0
    assert {f.table: f.rows for f in manifest.files} == {
        "ssd_person": 3,
        "ssd_contacts": 3,
        "ssd_cin_episodes": 2,
    }
    person_file = next(f for f in manifest.files if f.table == "ssd_person")
    expected = hashlib.sha256((extract / "ssd_person.csv").read_bytes()).hexdigest()
    assert person_file.sha256 == expected
    assert store.latest().id == manifest.id


def test_values_are_typed_and_ids_kept_exactly(extract: Path, store: SnapshotStore) -> None:
    load_extract(extract, store)
    con = duckdb.connect(str(store.db_path("latest")), read_only=True)
    people = con.execute(
        "SELECT pers_person_id, pers_sex, pers_dob FROM ssd_person ORDER BY 1"
    ).fetchall()
    assert people == [
        ("0123", "F", date(2015, 3, 1)),
        ("0456", "M", date(2016, 2, 28)),
        ("0789", "U", date(2020, 2, 29)),
    ]
    outcomes = con.execute(
        "SELECT cont_contact_date, cont_contact_outcome_json FROM ssd_contacts ORDER BY 1"
    ).fetchall()
    # the SSD's JSON, stored canonical: keys upper-cased, Yes/1 read as Y, No as N, "" as null
    assert outcomes[1:] == [
        (date(2024, 2, 5), '{"NEW_REFERRAL_FLAG":"Y","NFA_FLAG":"N"}'),
        (date(2024, 2, 29), '{"NEW_REFERRAL_FLAG":"Y","ADVICE_FLAG":null}'),
    ]
    # absent tables exist, empty, with every contract column
    assert con.execute("SELECT count(*) FROM ssd_cp_plans").fetchone() == (0,)
    columns = {r[0] for r in con.execute("DESCRIBE ssd_cp_plans").fetchall()}
    assert "cppl_cp_plan_ola" in columns
    # the working-day calendar as known at load time travels with the snapshot
    assert con.execute(
        "SELECT bank_holiday FROM calendar WHERE day = DATE '2023-05-08'"
    ).fetchone() == ("Coronation of Charles III",)
    assert con.execute("SELECT as_at FROM scrutineer_snapshot").fetchone() == (date(2024, 3, 1),)


def test_as_at_can_be_given(extract: Path, store: SnapshotStore) -> None:
    manifest = load_extract(extract, store, as_at=date(2024, 3, 31)).manifest
    assert (manifest.as_at, manifest.as_at_source) == (date(2024, 3, 31), "given")


@pytest.mark.parametrize(
    "table, header, rows, rule, row, column",
    [
        (
            "ssd_person",
            ("pers_person_id", "pers_sex"),
            [("1", "F")],
            "missing-column",
            None,
            "pers_dob",
        ),
        ("ssd_person", PERSON, [("1", "A", "F", "31/02/2016")], "bad-date", 2, "pers_dob"),
        ("ssd_person", PERSON, [("1", "A", "F", "yesterday")], "bad-date", 2, "pers_dob"),
        ("ssd_person", PERSON, [("1", "A", "F", "1066-10-14")], "implausible-date", 2, "pers_dob"),
        (
            "ssd_person",
            PERSON,
            [("1", "A", "F", "2015-01-01"), ("1", "B", "M", "2016-01-01")],
            "duplicate-id",
            3,
            "pers_person_id",
        ),
        (
            "ssd_person",
            PERSON,
            [("123.0", "A", "F", "2015-01-01")],
            "decimal-id",
            2,
            "pers_person_id",
        ),
        ("ssd_person", PERSON, [("", "A", "F", "2015-01-01")], "empty-value", 2, "pers_person_id"),
        (
            "ssd_contacts",
            CONTACTS,
            [("C9", "9999", "2024-01-01", '{"NFA_FLAG": "Y"}')],
            "dangling-reference",
            2,
            "cont_person_id",
        ),
        (
            "ssd_cin_episodes",
            EPISODES,
            [("R9", "0123", "2024-02-01", "Maybe", "", "")],
            "bad-flag",
            2,
            "cine_referral_nfa",
        ),
        (
            "ssd_cin_episodes",
            EPISODES,
            [("R9", "0123", "2024-02-01", "N", "2024-01-31", "RC7")],
            "end-before-start",
            2,
            "cine_close_date",
        ),
        (
            "ssd_professionals",
            ("prof_professional_id", "prof_full_time_equivalency"),
            [("W1", "full")],
            "bad-number",
            2,
            "prof_full_time_equivalency",
        ),
    ],
    ids=lambda v: v if isinstance(v, str) and v.count("-") else None,
)
def test_each_check_names_file_row_and_column(
    extract: Path,
    store: SnapshotStore,
    table: str,
    header: tuple[str, ...],
    rows: list[tuple[str, ...]],
    rule: str,
    row: int | None,
    column: str,
) -> None:
    write_csv(extract, table, header, *rows)
    issue = only(rejected(extract, store), rule)
    assert (issue.file, issue.row, issue.column) == (f"{table}.csv", row, column)
    assert issue.hint, "every problem says how to fix it"
    assert store.manifests() == []


def test_every_problem_is_reported_at_once(extract: Path, store: SnapshotStore) -> None:
    write_csv(
        extract,
        "ssd_person",
        PERSON,
        ("0123", "A", "Q", "2015-02-30"),
        ("0123", "B", "F", "2016-01-01"),
    )
    write_csv(extract, "ssd_contacts", CONTACTS, ("C1", "0999", "2024-01-05", '{"NFA_FLAG": "Y"}'))
    rules = sorted(i.rule for i in rejected(extract, store))
    # the episodes of 0456 and 0789 now point at nobody, as does the contact of 0999
    assert rules == [
        "bad-date",
        "dangling-reference",
        "dangling-reference",
        "dangling-reference",
        "duplicate-id",
    ]  # the unknown sex "Q" is unmapped: a warning (tests/test_code_map.py)


def test_many_bad_rows_are_listed_then_counted(extract: Path, store: SnapshotStore) -> None:
    rows = [(f"P{i}", "A", "F", "not a date") for i in range(250)]
    write_csv(
        extract,
        "ssd_person",
        PERSON,
        *rows,
        ("0123", "A", "F", "2015-01-01"),
        ("0456", "A", "F", "2015-01-01"),
        ("0789", "A", "F", "2015-01-01"),
    )
    bad = [i for i in rejected(extract, store) if i.rule == "bad-date"]
    assert len([i for i in bad if i.row is not None]) == 200
    assert [i.message for i in bad if i.row is None] == ["not a date: 50 more rows like this"]


def test_malformed_csv_rows_are_errors(extract: Path, store: SnapshotStore) -> None:
    path = extract / "ssd_person.csv"
    path.write_text(path.read_text() + "0999,Dan,M,2015-01-01,extra\n")
    issue = only(rejected(extract, store), "malformed-row")
    assert (issue.file, issue.row) == ("ssd_person.csv", 5)


def test_a_key_the_ssd_does_not_list_is_unmapped(extract: Path, store: SnapshotStore) -> None:
    contact = ("C1", "0123", "2024-01-05", '{"SIGNPOSTED_FLAG": "Y", "NFA_FLAG": "N"}')
    write_csv(extract, "ssd_contacts", CONTACTS, contact)
    result = load_extract(extract, store)
    issue = only(result.issues, "unmapped-code")
    assert issue.level is Level.WARNING and (issue.row, issue.value) == (2, "SIGNPOSTED_FLAG")
    assert issue.message.startswith("not a code of the list contact_outcome")
    assert any("unmapped-code" in w for w in result.manifest.warnings)


@pytest.mark.parametrize(
    ("outcome", "rule", "message"),
    [
        ("NFA", "bad-json", "not JSON"),
        ("{NFA_FLAG: Y}", "bad-json", "not JSON"),
        ('["NFA_FLAG"]', "bad-json", "not a JSON object"),
        ('{"NFA_FLAG": "maybe"}', "bad-flag", "a flag in the object is not Y or N"),
        ('{"NFA_FLAG": "Y", "NFA_FLAG": "N"}', "bad-json", "a key given twice"),
        ('{"nfa_flag": "Y", "NFA_FLAG": "N"}', "bad-json", "a key given twice"),
    ],
)
def test_json_not_of_the_ssds_shape_is_an_error_at_its_row(
    extract: Path, store: SnapshotStore, outcome: str, rule: str, message: str
) -> None:
    fine = ("C1", "0123", "2024-01-05", '{"NFA_FLAG": "Y"}')
    write_csv(extract, "ssd_contacts", CONTACTS, fine, ("C2", "0456", "2024-01-06", outcome))
    issue = only(rejected(extract, store), rule)
    assert (issue.file, issue.row, issue.column, issue.message) == (
        "ssd_contacts.csv",
        3,
        "cont_contact_outcome_json",
        message,
    )
    assert "as the SSD specifies" in issue.hint


def test_assessment_factors_as_the_ssd_lists_them(extract: Path, store: SnapshotStore) -> None:
    assessments = ("cina_assessment_id", "cina_person_id", "cina_referral_id")
    write_csv(
        extract,
        "ssd_cin_assessments",
        (*assessments, "cina_assessment_start_date", "cina_assessment_auth_date"),
        ("A1", "0456", "R1", "2024-02-06", "2024-02-20"),
        ("A2", "0789", "R2", "2024-03-01", ""),
        ("A3", "0789", "R2", "2024-03-01", ""),
    )
    write_csv(
        extract,
        "ssd_assessment_factors",
        ("cinf_table_id", "cinf_assessment_id", "cinf_assessment_factors_json"),
        ("F1", "A1", '["1a", " 21"]'),  # the SSD's list, as written by hand
        ("F2", "A2", '{"2B": "Yes", "3C": "No", "4A": "yes"}'),  # its planned object form
        ("F3", "A3", "[]"),
    )
    load_extract(extract, store)
    con = duckdb.connect(str(store.db_path("latest")), read_only=True)
    factors = con.execute(
        "SELECT cinf_assessment_factors_json FROM ssd_assessment_factors ORDER BY 1"
    ).fetchall()
    assert factors == [('["1A","21"]',), ('["2B","4A"]',), ("[]",)]


def test_dates_after_the_as_at_date_are_warnings(extract: Path, store: SnapshotStore) -> None:
    result = load_extract(extract, store, as_at=date(2024, 2, 29))
    future = sorted((i.file, i.row, i.column) for i in result.issues if i.rule == "future-date")
    # R1 closed on 1 March and R2 was referred on 1 March, after the as-at date
    assert future == [
        ("ssd_cin_episodes.csv", 2, "cine_close_date"),
        ("ssd_cin_episodes.csv", 3, "cine_referral_date"),
    ]


def test_real_world_files_cp1252_bom_semicolons(extract: Path, store: SnapshotStore) -> None:
    write_csv(
        extract,
        "ssd_person",
        PERSON,
        ("0123", "Zoë", "F", "2015-03-01"),
        ("0456", "Ben’s", "M", "2016-02-28"),  # a curly apostrophe: Windows-1252, not Latin-1
        ("0789", "Cat", "U", "2020-02-29"),
        encoding="cp1252",
        delimiter=";",
    )
    bom = extract / "ssd_contacts.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + bom.read_bytes())
    result = load_extract(extract, store)
    issue = only(result.issues, "not-utf8")
    assert (issue.file, issue.message) == (
        "ssd_person.csv",
        "the file is not UTF-8; it was read as Windows-1252",
    )
    con = duckdb.connect(str(store.db_path("latest")), read_only=True)
    names = con.execute("SELECT pers_forename FROM ssd_person ORDER BY pers_person_id").fetchall()
    assert names[:2] == [("Zoë",), ("Ben’s",)]
    assert con.execute("SELECT count(*) FROM ssd_contacts").fetchone() == (3,)


def test_unknown_files_and_columns_are_warnings(extract: Path, store: SnapshotStore) -> None:
    (extract / "notes.txt").write_text("not a table")
    write_csv(
        extract,
        "ssd_person",
        (*PERSON, "pers_shoe_size"),
        ("0123", "A", "F", "2015-01-01", "3"),
        ("0456", "B", "M", "2016-01-01", "4"),
        ("0789", "C", "U", "2017-01-01", "5"),
    )
    result = load_extract(extract, store)
    assert only(result.issues, "unknown-file").file == "notes.txt"
    assert "pers_shoe_size" in only(result.issues, "unknown-column").message


def test_parquet_files_load_and_float_ids_are_refused(extract: Path, store: SnapshotStore) -> None:
    con = duckdb.connect()
    csv_path = extract / "ssd_contacts.csv"
    con.execute(
        f"COPY (SELECT * FROM read_csv('{csv_path}', all_varchar=true)) "
        f"TO '{extract / 'ssd_contacts.parquet'}' (FORMAT parquet)"
    )
    csv_path.unlink()
    assert load_extract(extract, store).manifest.rows["ssd_contacts"] == 3
    con.execute(
        "COPY (SELECT 1.0::DOUBLE AS disa_table_id, '0123' AS disa_person_id, "
        f"'AUT' AS disa_disability_code) TO '{extract / 'ssd_disability.parquet'}' "
        "(FORMAT parquet)"
    )
    assert only(rejected(extract, store), "id-stored-as-number").column == "disa_table_id"


def test_a_table_given_twice_is_refused(extract: Path, store: SnapshotStore) -> None:
    duckdb.connect().execute(
        f"COPY (SELECT * FROM read_csv('{extract / 'ssd_person.csv'}', all_varchar=true)) "
        f"TO '{extract / 'ssd_person.parquet'}' (FORMAT parquet)"
    )
    assert only(rejected(extract, store), "doubled-table").file == "ssd_person.csv"


def test_a_missing_folder_says_so(tmp_path: Path, store: SnapshotStore) -> None:
    with pytest.raises(ExtractNotFound, match="No extract folder"):
        load_extract(tmp_path / "nowhere", store)


def snapshot_state(store: SnapshotStore) -> dict[str, str]:
    return {
        str(p.relative_to(store.root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(store.root.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def test_a_rejected_load_changes_nothing(extract: Path, store: SnapshotStore) -> None:
    load_extract(extract, store)
    before = snapshot_state(store)
    write_csv(extract, "ssd_person", PERSON, ("0123", "A", "F", "2015-13-01"))
    rejected(extract, store)
    assert snapshot_state(store) == before
    assert [m.id for m in store.manifests()] == ["s0001-20240301"]
    assert not list(store.root.glob(".staging-*"))


def test_the_same_files_twice_are_detected(extract: Path, store: SnapshotStore) -> None:
    first = load_extract(extract, store).manifest
    with pytest.raises(AlreadyLoaded, match=first.id):
        load_extract(extract, store)
    again = load_extract(extract, store, force=True).manifest
    assert again.id == "s0002-20240301" and again.fingerprint == first.fingerprint
    assert store.latest().id == again.id
    assert store.get("s0001").id == first.id


def test_snapshots_are_read_only(extract: Path, store: SnapshotStore) -> None:
    load_extract(extract, store)
    db = store.db_path("latest")
    assert db.stat().st_mode & 0o222 == 0
    assert (db.parent / "manifest.json").stat().st_mode & 0o222 == 0


NOT_FILES: dict[str, tuple[Callable[[Path], None], str]] = {  # what stands in a table's
    # place, and what the error calls it
    "a link to nowhere": (lambda path: path.symlink_to("/nowhere/ssd_cp_visits.csv"), "a link"),
    "a link to a device": (lambda path: path.symlink_to("/dev/zero"), "a link"),
    "a pipe": (lambda path: os.mkfifo(path), "a pipe, socket or device"),
    "a folder": (lambda path: path.mkdir(), "a folder"),
}


@pytest.mark.parametrize("case", sorted(NOT_FILES))
def test_a_table_that_is_not_a_file_is_refused_not_taken_as_absent(
    extract: Path, store: SnapshotStore, case: str
) -> None:
    """A table with no file loads as empty; one whose file is a link, pipe, device or
    folder must not (a snapshot with no CP visits), nor block the load reading a pipe."""
    make, kind = NOT_FILES[case]
    make(extract / "ssd_cp_visits.csv")
    error = only(rejected(extract, store), "not-a-file")
    assert error.file == "ssd_cp_visits.csv" and f"is {kind}, not a file" in error.message
    assert store.manifests() == []


def test_a_link_is_never_followed(extract: Path, store: SnapshotStore, tmp_path: Path) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text("pers_person_id,pers_forename\nSECRET42:x:0:0,SECRET42\n", "utf-8")
    (extract / "ssd_person.csv").unlink()
    (extract / "ssd_person.csv").symlink_to(secret)
    (extract / "code_map.csv").symlink_to(secret)
    with pytest.raises(ExtractRejected) as caught:
        load_extract(extract, store)
    said = [str(i) for i in caught.value.issues] + [str(caught.value)]
    assert not any("SECRET42" in text for text in said), said  # nothing of it is read
    assert {i.file for i in caught.value.issues if i.rule == "not-a-file"} == {
        "code_map.csv",
        "ssd_person.csv",
    }


def test_a_line_too_long_to_read_is_refused_with_its_row(
    extract: Path, store: SnapshotStore
) -> None:
    """DuckDB drops a line longer than its buffer without a word: a 9 MB line is refused
    at its row; a 7.9 MB forename (under the 8 MB limit) is read whole."""
    people = [("0123", "Ada", "F", "2015-03-01"), ("0789", "Cat", "U", "2020-02-29")]
    write_csv(extract, "ssd_person", PERSON, *people, ("0456", "B" * 7_900_000, "M", "2016-02-28"))
    result = load_extract(extract, store)
    with duckdb.connect(str(store.db_path(result.manifest.id)), read_only=True) as con:
        named = "SELECT length(pers_forename) FROM ssd_person WHERE pers_person_id = '0456'"
        assert con.execute(named).fetchall() == [(7_900_000,)]
    write_csv(extract, "ssd_person", PERSON, *people, ("0456", "B" * 9_000_000, "M", "2016-02-28"))
    error = only(rejected(extract, store), "line-too-long")
    assert (error.file, error.row) == ("ssd_person.csv", 4)
    assert "a line of 9.0 MB" in error.message and len(store.manifests()) == 1


def test_binary_is_refused_as_not_text(extract: Path, store: SnapshotStore) -> None:
    (extract / "ssd_contacts.csv").write_bytes(
        (extract / "ssd_contacts.csv").read_bytes().replace(b"C2", b"C\x002")
    )
    assert only(rejected(extract, store), "nul-byte").row == 3
    (extract / "ssd_contacts.csv").write_bytes(bytes(range(1, 256)) * 40)  # no NUL, not CSV
    error = only(rejected(extract, store), "unreadable")
    assert error.file == "ssd_contacts.csv" and "not readable as CSV text" in error.message

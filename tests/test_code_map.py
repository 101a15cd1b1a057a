"""A council's code map, unmapped values, and files as SQL Server and Excel save them."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import duckdb
import pytest
import yaml

from scrutineer.errors import ExtractRejected
from scrutineer.extract.codemap import shipped_maps
from scrutineer.extract.load import load_extract
from scrutineer.extract.snapshots import SnapshotStore
from scrutineer.findings import Level
from tests.support.extracts import CONTACTS, INVOLVEMENTS, PERSON, write_csv
from tests.support.paths import SHARED

MAP_HEADER = ("table", "column", "local", "standard")


def people(store: SnapshotStore) -> list[tuple[str, str]]:
    con = duckdb.connect(str(store.db_path("latest")), read_only=True)
    try:
        return con.execute("SELECT pers_person_id, pers_sex FROM ssd_person ORDER BY 1").fetchall()
    finally:
        con.close()


def write_map(path: Path, *rows: tuple[str, str, str, str]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(MAP_HEADER)
        writer.writerows(rows)
    return path


def sexes(extract: Path, *values: str) -> None:
    dobs = ("2015-03-01", "2016-02-28", "2020-02-29")
    rows = [
        (pid, "A", sex, dob)
        for pid, sex, dob in zip(("0123", "0456", "0789"), values, dobs, strict=True)
    ]
    write_csv(extract, "ssd_person", PERSON, *rows)


def test_an_unmapped_value_is_listed_kept_and_loading_goes_on(
    extract: Path, store: SnapshotStore
) -> None:
    sexes(extract, "Female", "Gentleman", "Gentleman")
    result = load_extract(extract, store)
    # "Female" is the description of F in codes.yaml, so it is read as F without a map
    assert people(store) == [("0123", "F"), ("0456", "GENTLEMAN"), ("0789", "GENTLEMAN")]
    [issue] = [i for i in result.issues if i.rule == "unmapped-code"]
    assert (issue.level, issue.file, issue.row, issue.column, issue.value) == (
        Level.WARNING,
        "ssd_person.csv",
        3,
        "pers_sex",
        "GENTLEMAN",
    )
    assert "2 row(s)" in issue.message and "code_map.csv" in issue.hint
    entry = {"table": "ssd_person", "column": "pers_sex", "value": "GENTLEMAN", "rows": 2}
    assert [{k: u[k] for k in entry} for u in result.manifest.unmapped] == [entry]
    assert [(m["local"], m["standard"], m["rows"]) for m in result.manifest.mapped] == [
        ("FEMALE", "F", 1)
    ]
    con = duckdb.connect(str(store.db_path("latest")), read_only=True)
    stored = con.execute("SELECT table_name, column_name, value, rows FROM scrutineer_unmapped")
    assert stored.fetchall() == [("ssd_person", "pers_sex", "GENTLEMAN", 2)]


def test_the_folders_map_then_given_maps_later_lines_winning(
    extract: Path, store: SnapshotStore, tmp_path: Path
) -> None:
    sexes(extract, "  boy ", "Girl", "Lad")
    write_map(
        extract / "code_map.csv",
        ("ssd_person", "pers_sex", "Boy", "M"),
        ("ssd_person", "pers_sex", "girl", "F"),
        ("ssd_person", "pers_sex", "lad", "U"),
    )
    given = write_map(tmp_path / "fix.csv", ("ssd_person", "PERS_SEX", "LAD", "m"))
    result = load_extract(extract, store, codes=(str(given),))
    assert people(store) == [("0123", "M"), ("0456", "F"), ("0789", "M")]
    assert result.manifest.code_maps == ("code_map.csv", "fix.csv")
    assert not [i for i in result.issues if i.rule in ("unmapped-code", "unknown-file")]
    # the same files with a changed map are a new snapshot, not "already loaded"
    write_map(given, ("ssd_person", "pers_sex", "LAD", "U"))
    load_extract(extract, store, codes=(str(given),))
    assert people(store)[2] == ("0789", "U")


@pytest.mark.parametrize(
    ("line", "column", "message"),
    [
        (("ssd_persons", "pers_sex", "Boy", "M"), "table", "'ssd_persons' is not a table"),
        (("ssd_person", "pers_sexe", "Boy", "M"), "column", "ssd_person has no column"),
        (("ssd_person", "pers_dob", "Boy", "M"), "column", "is not a coded column"),
        (("ssd_person", "pers_sex", "", "M"), "local", "the local value is empty"),
        (("ssd_person", "pers_sex", "Boy", "B"), "standard", "'B' is not a code of the list sex"),
    ],
)
def test_a_mistake_in_a_map_refuses_the_load_at_its_line(
    extract: Path,
    store: SnapshotStore,
    line: tuple[str, str, str, str],
    column: str,
    message: str,
) -> None:
    write_map(extract / "code_map.csv", ("ssd_person", "pers_sex", "Girl", "F"), line)
    with pytest.raises(ExtractRejected) as caught:
        load_extract(extract, store)
    [issue] = [i for i in caught.value.issues if i.is_error]
    assert (issue.rule, issue.file, issue.row, issue.column) == (
        "bad-code-map",
        "code_map.csv",
        3,
        column,
    )
    assert message in issue.message
    assert store.manifests() == []


def test_a_value_mapped_two_ways_in_one_map_is_refused(extract: Path, store: SnapshotStore) -> None:
    write_map(
        extract / "code_map.csv",
        ("ssd_person", "pers_sex", "Boy", "M"),
        ("ssd_person", "pers_sex", "BOY", "U"),
    )
    with pytest.raises(ExtractRejected) as caught:
        load_extract(extract, store)
    [issue] = [i for i in caught.value.issues if i.is_error]
    assert (issue.row, issue.column) == (3, "local")
    assert "mapped twice, to M (row 2) and U" in issue.message


def test_a_map_that_is_neither_a_file_nor_shipped_is_refused(
    extract: Path, store: SnapshotStore
) -> None:
    with pytest.raises(ExtractRejected) as caught:
        load_extract(extract, store, codes=("liquid-logic",))
    assert "ssd-liquidlogic" in caught.value.issues[0].hint


def test_the_annex_a_map_holds_the_spellings_councils_use(
    extract: Path, store: SnapshotStore
) -> None:
    """Checked against the regional pipeline's own list, which this project did not write."""
    schema = yaml.safe_load((SHARED / "inspection" / "annex_a_schema.yml").read_text("utf-8"))
    gender = schema["column_map"]["list_1"]["Gender"]["category"]
    spelled = {c["code"].strip(): {str(n).upper() for n in c["name"]} for c in gender}
    assert "annex-a" in shipped_maps()
    shipped = Path(load_extract.__code__.co_filename).parent / "maps" / "annex-a.csv"
    with shipped.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    by_code = {"M": "a) Male", "F": "b) Female", "U": "c) Not stated/recorded"}
    sex_rows = [r for r in rows if r["column"] == "pers_sex"]
    assert len(sex_rows) >= 30
    for row in sex_rows:
        assert row["local"] in spelled[by_code[row["standard"]]], row
    assert "INDETERMINATE" not in {r["local"] for r in sex_rows}  # under two categories
    sexes(extract, "1 - Male", "b) Female", "Not recorded/Unborn")
    load_extract(extract, store, codes=("annex-a",))
    assert people(store) == [("0123", "M"), ("0456", "F"), ("0789", "U")]


def test_the_liquidlogic_map_reads_its_worker_roles(extract: Path, store: SnapshotStore) -> None:
    write_csv(extract, "ssd_professionals", ("prof_professional_id",), ("W1",), ("W2",))
    write_csv(extract, "ssd_department", ("dept_team_id", "dept_team_name"), ("T1", "Team"))
    header = INVOLVEMENTS
    write_csv(
        extract,
        "ssd_involvements",
        header,
        ("I1", "W1", "CW", "T1", "2024-01-01", "", "0123"),
        ("I2", "W2", "KAPAD", "T1", "2024-01-01", "", "0456"),
    )
    result = load_extract(extract, store, codes=("ssd-liquidlogic",))
    assert not result.manifest.unmapped
    con = duckdb.connect(str(store.db_path("latest")), read_only=True)
    roles = con.execute("SELECT invo_professional_role_id FROM ssd_involvements ORDER BY 1")
    assert roles.fetchall() == [("ALLOCATED_CASE_WORKER",), ("PERSONAL_ADVISOR",)]


def test_a_file_as_sql_server_management_studio_saves_it(
    extract: Path, store: SnapshotStore
) -> None:
    """NULL in every empty cell, datetimes with milliseconds, CRLF, a BOM, SSD_PH."""
    lines = [
        ",".join(CONTACTS),
        'C1,0123,2024-01-05 00:00:00.000,"{""NFA_FLAG"": ""Y""}"',
        "C2,0456,2024-02-05 14:30:00.000,NULL",
        "C3,0789,2024-02-29 00:00:00.000,SSD_PH",
    ]
    (extract / "ssd_contacts.csv").write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode())
    episodes = (extract / "ssd_cin_episodes.csv").read_text().replace(",,", ",NULL,NULL")
    (extract / "ssd_cin_episodes.csv").write_text(episodes.replace("\n", "\r\n"))
    result = load_extract(extract, store)
    assert not [i for i in result.issues if i.rule != "absent-table"]
    con = duckdb.connect(str(store.db_path("latest")), read_only=True)
    contacts = con.execute(
        "SELECT cont_contact_id, cont_contact_date::VARCHAR, cont_contact_outcome_json "
        "FROM ssd_contacts ORDER BY 1"
    ).fetchall()
    assert contacts == [
        ("C1", "2024-01-05", '{"NFA_FLAG":"Y"}'),
        ("C2", "2024-02-05", None),
        ("C3", "2024-02-29", None),
    ]
    open_episode = con.execute(
        "SELECT cine_close_date, cine_close_reason FROM ssd_cin_episodes "
        "WHERE cine_referral_id = 'R2'"
    ).fetchone()
    assert open_episode == (None, None)


def test_na_is_a_flag_only_where_the_ssd_allows_it(extract: Path, store: SnapshotStore) -> None:
    header = (
        "miss_table_id",
        "miss_person_id",
        "miss_missing_episode_start_date",
        "miss_missing_rhi_offered",
    )
    write_csv(extract, "ssd_missing", header, ("M1", "0123", "2024-01-10", "NA"))
    referral = ("cine_referral_id", "cine_person_id", "cine_referral_date", "cine_referral_nfa")
    write_csv(extract, "ssd_cin_episodes", referral, ("R1", "0456", "2024-02-06", "NA"))
    with pytest.raises(ExtractRejected) as caught:
        load_extract(extract, store)
    flags = [(i.file, i.column) for i in caught.value.issues if i.rule == "bad-flag"]
    assert flags == [("ssd_cin_episodes.csv", "cine_referral_nfa")]


def quality_of(text: str, table: str, column: str) -> dict[str, str]:
    rows = csv.DictReader(text.splitlines())
    return next(r for r in rows if (r["table"], r["column"]) == (table, column))


def test_the_data_quality_report_counts_each_column(extract: Path, store: SnapshotStore) -> None:
    """By hand: three children, one forename SSD_PH, one sex unmapped; the contacts of
    29 February and the referral of 1 March fall after the as-at date, 28 February."""
    write_csv(
        extract,
        "ssd_person",
        PERSON,
        ("0123", "SSD_PH", "F", "2015-03-01"),
        ("0456", "Ben", "Boy", "2016-02-28"),
        ("0789", "", "U", "2020-02-29"),
    )
    result = load_extract(extract, store, as_at=date(2024, 2, 28))
    text = store.quality_text(result.manifest.id)
    assert text is not None
    forename = quality_of(text, "ssd_person", "pers_forename")
    assert (forename["rows"], forename["filled"], forename["placeholders"]) == ("3", "1", "1")
    assert forename["share_filled"] == "33.3"
    assert quality_of(text, "ssd_person", "pers_sex")["unmapped"] == "1"
    assert quality_of(text, "ssd_contacts", "cont_contact_date")["dates_out_of_range"] == "1"
    surname = quality_of(text, "ssd_person", "pers_surname")
    assert (surname["in_file"], surname["filled"]) == ("False", "0")


def test_a_refused_load_still_has_its_quality_report(extract: Path, store: SnapshotStore) -> None:
    write_csv(extract, "ssd_contacts", CONTACTS, ("C1", "0999", "2024-01-05", "NULL"))
    with pytest.raises(ExtractRejected) as caught:
        load_extract(extract, store)
    person_ids = quality_of(caught.value.quality, "ssd_contacts", "cont_person_id")
    assert person_ids["references_failing"] == "1"
    outcome = quality_of(caught.value.quality, "ssd_contacts", "cont_contact_outcome_json")
    assert outcome["filled"] == "0"

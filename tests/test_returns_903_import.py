"""Importing an SSDA903: the DfE's minimal samples (shared/returns/903_minimal_YYYY) as CSV
folders and as the single XML file, what real files do that the reader forgives, and what
it refuses, storing nothing.

The 2025 sample, by hand: child 1001 looked after from 10 June 2024 (S, C2, U6), open;
child 1002 from 1 February 2022 (S, C2, U6), moved on 15 September 2024 (P, U4) because of
a change in the carer's plans (CARPL, on the episode that ended). So 2 people, 3 episodes in
2 periods of care, 3 placements, 2 legal statuses (a new placement is not a new status),
3 reviews, 1 missing episode, 2 social worker episodes; OC2 and the previous permanence
are not imported (they hold no dates).
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from xml.etree.ElementTree import Element, SubElement, tostring

import duckdb
import pytest

from scrutineer.calendar import Period
from scrutineer.catalogue.load import load_catalogue
from scrutineer.engine.compute import Engine
from scrutineer.engine.exceptions import exception_list
from scrutineer.engine.population import Populations
from scrutineer.extract.snapshots import SnapshotStore
from scrutineer.returns import ssda903_read
from scrutineer.returns.collection import Collection
from scrutineer.returns.findings import Findings, ReturnRejected
from scrutineer.returns.load import import_return
from scrutineer.returns.ssda903 import HEADERS, export_903
from scrutineer.returns.ssda903_read import read_903
from scrutineer.returns.ssda903_xml import ssda903_xml
from scrutineer.returns.supports import SUPPORTED
from tests.support.paths import SHARED
from tests.support.returns import table

SAMPLES = SHARED / "returns"
COUNTS = {
    "ssd_person": 2,
    "ssd_cla_episodes": 3,
    "ssd_cla_placement": 3,
    "ssd_legal_status": 2,
    "ssd_cla_reviews": 3,
    "ssd_missing": 1,
    "ssd_involvements": 2,
    "ssd_address": 2,
    "ssd_cla_previous_permanence": 2,  # both Z1
}
SAME_AGAIN = ("header", "episodes", "reviews", "missing", "sw_episodes", "uasc", "ad1")


def counts(store: SnapshotStore) -> dict[str, int]:
    with duckdb.connect(str(store.db_path(store.latest().id)), read_only=True) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in COUNTS}


@pytest.mark.parametrize("year", [2025, 2026, 2027])
def test_the_minimal_samples_import_cleanly(tmp_path: Path, year: int) -> None:
    store = SnapshotStore(tmp_path / "snapshots")
    loaded = import_return(SAMPLES / f"903_minimal_{year}", store)
    assert loaded.manifest.as_at == date(year, 3, 31)  # the year in the folder's name
    assert not [i for i in loaded.issues if i.is_error]
    assert counts(store) == COUNTS
    # looked after at 31 March, by hand from episodes.csv: 1001 (in since June) and 1002
    # (moved placement in September, the same period of care: X1 then P). Two children.
    catalogue = load_catalogue()
    with duckdb.connect(str(store.db_path(loaded.manifest.id)), read_only=True) as con:
        engine = Engine(con, catalogue, Populations("E09000027", 44_000))
        march = Period(year, 3)
        (value,) = engine.kpi_values(catalogue.get("cla_open"), march, march)
    assert value.value == 2


def test_the_sample_comes_back_out_as_it_went_in(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path / "snapshots")
    import_return(SAMPLES / "903_minimal_2025", store)
    with duckdb.connect(str(store.db_path(store.latest().id)), read_only=True) as con:
        again = export_903(con, Collection(2025))
    given = {p.stem: p.read_text("utf-8") for p in (SAMPLES / "903_minimal_2025").glob("*.csv")}
    for name in SAME_AGAIN:
        assert table(again, f"{name}.csv") == table(given, name), name


def forgiving_copy(tmp_path: Path) -> Path:
    """The 2025 sample as a spreadsheet might leave it: file names with the year in them;
    headers in other cases and with spaces; ids turned into numbers; blank rows; a byte
    order mark; one table in UTF-16 and one in Windows-1252 (with an id in it that is not
    ASCII)."""
    folder = tmp_path / "SSDA903 returns"
    folder.mkdir()
    for source in (SAMPLES / "903_minimal_2025").glob("*.csv"):
        text = source.read_text("utf-8")
        target = folder / f"{source.stem.title()} 2024-25.CSV"
        if source.stem == "episodes":
            lines = text.splitlines()
            lines[0] = lines[0].lower().replace("place_provider", "Place Provider ")
            lines[1] = lines[1].replace("1001,", "1001.0,", 1)
            text = "\n".join(lines[:2] + [",,,,", ""] + lines[2:]) + "\n"
            target.write_text(text.replace("1002,", "Zoë1002,"), encoding="cp1252")
        elif source.stem == "header":
            target.write_text(text.replace("1002,", "Zoë1002,"), encoding="utf-16")
        elif source.stem == "reviews":
            target.write_bytes(b"\xef\xbb\xbf" + text.replace("1002,", "Zoë1002,").encode())
        elif source.stem in ("missing", "sw_episodes", "oc2", "prev_perm"):
            target.write_text(text.replace("1002,", "Zoë1002,"), encoding="utf-8")
        else:
            target.write_text(text, encoding="utf-8")
    return folder


def test_what_real_files_do_is_forgiven(tmp_path: Path) -> None:
    folder = forgiving_copy(tmp_path)
    tables = read_903(folder, Findings())
    assert [r["CHILD"] for r in tables["episodes"]] == ["1001", "Zoë1002", "Zoë1002"]
    assert tables["episodes"][0]["DECOM"] == "2024-06-10"
    assert tables["episodes"][0]["PLACE_PROVIDER"] == "PR1"
    store = SnapshotStore(tmp_path / "snapshots")
    loaded = import_return(folder, store)
    assert loaded.manifest.as_at == date(2025, 3, 31)  # "2024-25" in the files' names
    assert counts(store) == COUNTS


def xml_return(folder: Path) -> bytes:
    """The sample as the 903's single XML file (FORMATS.md 2.5), in a default namespace."""
    given = {p.stem: table({"t": p.read_text("utf-8")}, "t") for p in folder.glob("*.csv")}
    root = Element("EXPSSDA903", xmlns="urn:example:903")
    for person in given["header"]:
        child = SubElement(root, "CHILD")
        header = SubElement(child, "HEADER")
        for column, value in person.items():
            SubElement(header, "CHILDID" if column == "CHILD" else column).text = value
        for tag, name in (
            ("AREVIEW", "reviews"),
            ("AMISSING", "missing"),
            ("PERMANENCE", "prev_perm"),
        ):
            for row in (r for r in given[name] if r["CHILD"] == person["CHILD"]):
                block = SubElement(header, tag)
                for column, value in row.items():
                    if column not in ("CHILD", "DOB"):
                        SubElement(block, column).text = value
        for row in (r for r in given["episodes"] if r["CHILD"] == person["CHILD"]):
            episode = SubElement(child, "EPISODE")
            for column, value in row.items():
                if column != "CHILD":
                    SubElement(episode, "PL" if column == "PLACE" else column).text = value
    return bytes(tostring(root, xml_declaration=True, encoding="utf-8"))


def test_the_single_xml_file_imports_as_the_folder_does(tmp_path: Path) -> None:
    (tmp_path / "ssda903_2025.xml").write_bytes(xml_return(SAMPLES / "903_minimal_2025"))
    store = SnapshotStore(tmp_path / "snapshots")
    loaded = import_return(tmp_path / "ssda903_2025.xml", store)
    assert loaded.manifest.as_at == date(2025, 3, 31)
    assert counts(store) == {**COUNTS, "ssd_involvements": 0}  # the XML has no SW episodes


def test_the_xml_scrutineer_writes_reads_back_as_its_csv_tables(tmp_path: Path) -> None:
    """The DfE's sample, 1001 made once unaccompanied (UASC ceased 1 March 2025): the XML
    of its CSV texts reads back as the tables (no social worker episodes), the open
    episodes without an end date although 1002's earlier one has one."""
    files = {p.name: p.read_text("utf-8") for p in (SAMPLES / "903_minimal_2025").glob("*.csv")}
    files["uasc.csv"] += "1001,M,15/05/2012,01/03/2025\n"
    folder = tmp_path / "903_2025"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    (tmp_path / "903_2025.xml").write_bytes(ssda903_xml(files))
    from_csv = read_903(folder, Findings())
    from_xml = read_903(tmp_path / "903_2025.xml", Findings())
    assert from_xml.pop("uasc") == [
        {"CHILD": "1001", "SEX": "M", "DOB": "2012-05-15", "DUC": "2025-03-01"}
    ]
    assert [e["DEC"] for e in from_xml["episodes"]] == ["", "2024-09-15", ""]
    assert from_csv.pop("uasc") and from_csv.pop("sw_episodes")
    assert {n: rows for n, rows in from_csv.items() if rows} == from_xml


def broken(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / "903_2025"
    shutil.copytree(SAMPLES / "903_minimal_2025", folder)
    for file in folder.iterdir():
        file.chmod(0o644)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


EPISODES = ",".join(HEADERS["episodes"]) + "\n"
BROKEN = {
    "no such table": (
        "notes.csv",
        "CHILD,NOTE,WRITTEN_BY\n1001,a note,someone\n",
        "notes.csv, row 1: its columns are not those of an SSDA903 table",
    ),
    "a date that is not one": (
        "episodes.csv",
        EPISODES + "1001,31/02/2024,S,C2,N1,U6,PR1,,,,TW9 1AA,TW1 1AA,XXXXXXX\n",
        "episodes.csv, row 2, column DECOM: not a date",
    ),
    "a row with no child": (
        "episodes.csv",
        EPISODES + ",10/06/2024,S,C2,N1,U6,PR1,,,,TW9 1AA,TW1 1AA,XXXXXXX\n",
        "episodes.csv, row 2, column CHILD: no child id",
    ),
    "the same table twice": (
        "more_episodes.csv",
        EPISODES,
        "more_episodes.csv and episodes.csv are both the episodes table",
    ),
    "a value too many": (
        "episodes.csv",
        EPISODES + "1001,10/06/2024,S,C2,N1,U6,PR1,,,,TW9 1AA,TW1 1AA,XXXXXXX,extra\n",
        "episodes.csv, row 2: 14 values for 13 columns",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_return_is_refused_and_nothing_changes(tmp_path: Path, case: str) -> None:
    store = SnapshotStore(tmp_path / "snapshots")
    import_return(SAMPLES / "903_minimal_2026", store)  # what was already there
    before = [m.id for m in store.manifests()]
    name, text, message = BROKEN[case]
    with pytest.raises(ReturnRejected, match=message):
        import_return(broken(tmp_path, name, text), store)
    assert [m.id for m in store.manifests()] == before


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    text = (
        EPISODES
        + "1001,31/02/2024,S,C2,N1,U6,PR1,,,,TW9 1AA,TW1 1AA,XXXXXXX\n"
        + ",10/06/2024,S,C2,N1,U6,PR1,,,,TW9 1AA,TW1 1AA,XXXXXXX\n"
        + "1002,01/02/2022,S,C2,N2,U6,PR1,15/13/2024,X1,CARPL,TW9 1AB,TW1 1AF,XXXXXXX\n"
    )
    with pytest.raises(ReturnRejected) as caught:
        import_return(broken(tmp_path, "episodes.csv", text), SnapshotStore(tmp_path / "s"))
    found = [(i.file, i.row, i.column, i.rule) for i in caught.value.issues]
    assert found == [
        ("episodes.csv", 2, "DECOM", "not-a-date"),
        ("episodes.csv", 3, "CHILD", "no-child"),
        ("episodes.csv", 4, "DEC", "not-a-date"),
    ]
    assert "903_2025: 3 error(s)" in str(caught.value)
    assert "scrutineer load" not in str(caught.value) and "scrutineer-return" not in str(
        caught.value
    )


def test_what_the_dfe_s_validator_only_flags_is_a_warning(tmp_path: Path) -> None:
    """LIIA's extra columns, a column an older year lacks, a review for a child with no
    episode and an episode for a child with no header: kept or left out, each said where."""
    folder = broken(
        tmp_path,
        "episodes.csv",
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,"
        "PL_POST,LA,YEAR\n"
        "1001,10/06/2024,S,C2,N1,U6,PR1,,,,TW9 1AA,TW1 1AA,E09000027,2025\n"
        "1002,01/02/2022,S,C2,N2,U6,PR1,15/09/2024,X1,CARPL,TW9 1AB,TW1 1AF,E09000027,2025\n"
        "9999,10/06/2024,S,C2,N1,U6,PR1,,,,TW9 1AA,TW1 1AA,E09000027,2025\n",
    )
    with (folder / "reviews.csv").open("a", encoding="utf-8") as file:
        file.write("1003,01/01/2012,01/06/2024,PN1\n")
    store = SnapshotStore(tmp_path / "snapshots")
    loaded = import_return(folder, store)
    found = [(i.file, i.row, i.column, i.rule) for i in loaded.issues]
    assert found == [
        ("episodes.csv", None, "LA", "extra-column"),
        ("episodes.csv", None, "YEAR", "extra-column"),
        ("episodes.csv", None, "URN", "missing-column"),
        ("episodes.csv", 4, "CHILD", "episode-no-child"),
        ("reviews.csv", 5, "CHILD", "review-no-episode"),
    ]
    assert not any(i.is_error for i in loaded.issues)
    # the two children of the sample, their reviews, and nothing of child 9999 or 1003
    assert counts(store)["ssd_cla_reviews"] == COUNTS["ssd_cla_reviews"]
    assert counts(store)["ssd_person"] == COUNTS["ssd_person"]


def test_unsafe_files_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = SnapshotStore(tmp_path / "snapshots")
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE EXPSSDA903 [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><EXPSSDA903>&b;</EXPSSDA903>'
    )
    (tmp_path / "bomb.xml").write_text(bomb, encoding="utf-8")
    with pytest.raises(ReturnRejected, match="declares a document type"):
        import_return(tmp_path / "bomb.xml", store)
    monkeypatch.setattr(ssda903_read, "MAX_BYTES", 100)
    with pytest.raises(ReturnRejected, match=r"episodes.csv is 0 MB: over the 0 MB"):
        import_return(SAMPLES / "903_minimal_2025", store)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ReturnRejected, match="no CSV files"):
        import_return(empty, store)
    assert store.manifests() == []


# A 2017/18 return as a regional pipeline writes it: LIIA's LA and YEAR columns on every
# table, sex as the years before 2023/24 coded it (1 male, 2 female), no social worker
# table (it came in 2023/24), dates DD/MM/YYYY. Looked after at 31 March 2018, counted by
# hand: A (in care since 2016), D (came in on 8 January 2018); not B (left on 12 February),
# not C (a series of short breaks, V3: not looked after as DfE counts children). Two.
OLD_RETURN = {
    "header.csv": "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB,LA,YEAR\n"
    "A,1,15/05/2008,WBRI,UN1,,,E09000027,2018\n"
    "B,2,03/09/2006,MWBC,UN1,0,,E09000027,2018\n"
    "C,1,20/01/2010,WBRI,UN1,,,E09000027,2018\n"
    "D,2,11/11/2012,ABAN,UN1,,,E09000027,2018\n",
    "episodes.csv": "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,"
    "HOME_POST,PL_POST,URN,LA,YEAR\n"
    "A,01/03/2016,S,C2,N1,U4,PR1,,,,TW9 1AA,TW1 1AA,XXXXXXX,E09000027,2018\n"
    "B,05/05/2017,S,V2,N4,U6,PR1,12/02/2018,E13,,TW9 1AB,TW1 1AF,XXXXXXX,E09000027,2018\n"
    "C,02/10/2017,S,V3,N2,U6,PR1,,,,TW9 1AC,TW1 1AG,XXXXXXX,E09000027,2018\n"
    "D,08/01/2018,S,C2,N1,U4,PR2,,,,TW9 1AD,TW1 1AH,XXXXXXX,E09000027,2018\n",
    "reviews.csv": "CHILD,DOB,REVIEW,REVIEW_CODE,LA,YEAR\n"
    "A,15/05/2008,20/09/2017,PN1,E09000027,2018\n"
    "E,01/01/2011,01/06/2017,PN1,E09000027,2018\n",
}


def test_a_2017_18_return_from_another_tool_gives_the_children_counted_by_hand(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "903_2017-18"
    folder.mkdir()
    for name, text in OLD_RETURN.items():
        (folder / name).write_text(text, encoding="utf-8")
    store = SnapshotStore(tmp_path / "snapshots")
    loaded = import_return(folder, store)
    assert loaded.manifest.as_at == date(2018, 3, 31)  # "2017-18" in the folder's name
    warned = {(i.file, i.column, i.rule) for i in loaded.issues}
    assert ("reviews.csv", "CHILD", "review-no-episode") in warned  # child E
    assert {("header.csv", "LA", "extra-column"), ("episodes.csv", "YEAR", "extra-column")} <= (
        warned
    )
    assert not any(i.is_error for i in loaded.issues)
    catalogue = load_catalogue()
    with duckdb.connect(str(store.db_path(loaded.manifest.id)), read_only=True) as con:
        engine = Engine(con, catalogue, Populations("E09000027", 44_000))
        (value,) = engine.kpi_values(catalogue.get("cla_open"), Period(2018, 3), Period(2018, 3))
        sexes = con.execute("SELECT pers_sex FROM ssd_person ORDER BY 1").fetchall()
    assert value.value == 2
    assert sexes == [("F",), ("F",), ("M",), ("M",)]  # 1 and 2 read as the codes of today


def test_an_empty_file_and_a_census_as_csv_are_told_what_they_are(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path / "snapshots")
    (tmp_path / "return.xml").write_bytes(b"")
    with pytest.raises(ReturnRejected, match="return.xml is empty. Give a CIN census's XML"):
        import_return(tmp_path / "return.xml", store)
    census = tmp_path / "cin_tables"
    census.mkdir()
    (census / "ChildIdentifiers.csv").write_text("LAchildID,UPN,PersonBirthDate\nA1,,\n", "utf-8")
    with pytest.raises(ReturnRejected, match="is a CIN census table .* as its XML file"):
        import_return(census, store)
    assert store.manifests() == []


def test_a_return_only_snapshot_says_what_it_cannot_know(tmp_path: Path) -> None:
    """Indicators an SSDA903 does not hold (child protection, visits) read "no data", never
    0, and list no child; those it holds are computed. The snapshot names the return."""
    store = SnapshotStore(tmp_path / "snapshots")
    loaded = import_return(SAMPLES / "903_minimal_2025", store)
    assert loaded.manifest.source_dir.endswith("903_minimal_2025 (an SSDA903 return)")
    assert "scrutineer-return" not in loaded.manifest.source_dir
    catalogue = load_catalogue()
    march = Period(2025, 3)
    with duckdb.connect(str(store.db_path(loaded.manifest.id)), read_only=True) as con:
        engine = Engine(con, catalogue, Populations("E09000027", 44_000))
        values = {v.kpi: v for v in engine.values(march, march)}
        visits = exception_list(engine, catalogue.get("cla_visits_6wk_pct"), march)
    assert (values["cla_open"].status, values["cla_open"].value) == ("ok", 2)
    for unsupported in ("cpp_open", "cla_visits_6wk_pct", "contacts", "caseload_avg"):
        assert (values[unsupported].status, values[unsupported].value) == ("no data", None)
    assert visits == []
    held = {k for k, v in values.items() if v.status != "no data"}
    assert held == set(SUPPORTED["ssda903"])

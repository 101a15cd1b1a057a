"""Figures that read values the load could not map are marked, with the records, by month.

Worked by hand. Two children, A and B, both held by worker W1 of team T1 from 1 January 2024
(A's involvement has the standard role; B's the CMS's own code CW, left unmapped). Contacts:

    C1  A  10 Jan  {"NFA_FLAG": "Y"}            no further action
    C2  B   5 Feb  {"NEW_REFERRAL_FLAG": "Y"}   a referral
    C3  A  20 Feb  {"LOCAL_FLAG": "Y"}          a key the SSD does not list: unmapped

- The number of contacts does not read the outcome: 1 in January and 2 in February, `ok`.
- The share ending in NFA reads it: January 1 of 1 `ok`; February 0 of 2 (C3's outcome is
  recorded, but not understood) marked `unmapped` with 1 record.
- By team every figure is attributed through worker roles: B's involvement (open all
  along) falls in both months, so each team figure is marked with it, and February's NFA
  share with C3 too (2); B's contact C2 is "Not allocated", B's worker not understood. The
  authority's figures do not depend on attribution.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from scrutineer.assess.assessment import Standards, assess_month
from scrutineer.assess.text import indicator_text
from scrutineer.calendar import Period
from scrutineer.catalogue.load import load_catalogue
from scrutineer.engine.compute import Engine, Value
from scrutineer.engine.population import Populations
from scrutineer.extract.load import load_extract
from scrutineer.extract.snapshots import SnapshotStore
from scrutineer.outputs.figures import flagged, short
from scrutineer.settings import load_settings
from tests.support.extracts import CONTACTS, INVOLVEMENTS, PERSON, write_csv

JAN, FEB = Period(2024, 1), Period(2024, 2)


def engine(tmp_path: Path) -> Engine:
    folder = tmp_path / "extract"
    write_csv(
        folder,
        "ssd_person",
        PERSON,
        ("A", "Ann", "F", "2015-01-01"),
        ("B", "Bo", "M", "2016-01-01"),
    )
    write_csv(folder, "ssd_department", ("dept_team_id", "dept_team_name"), ("T1", "Team one"))
    write_csv(folder, "ssd_professionals", ("prof_professional_id",), ("W1",))
    write_csv(
        folder,
        "ssd_involvements",
        INVOLVEMENTS,
        ("I1", "W1", "ALLOCATED_CASE_WORKER", "T1", "2024-01-01", "", "A"),
        ("I2", "W1", "CW", "T1", "2024-01-01", "", "B"),
    )
    write_csv(
        folder,
        "ssd_contacts",
        CONTACTS,
        ("C1", "A", "2024-01-10", '{"NFA_FLAG": "Y"}'),
        ("C2", "B", "2024-02-05", '{"NEW_REFERRAL_FLAG": "Y"}'),
        ("C3", "A", "2024-02-20", '{"LOCAL_FLAG": "Y"}'),
    )
    store = SnapshotStore(tmp_path / "snapshots")
    result = load_extract(folder, store)
    assert {(u["column"], u["value"], u["rows"]) for u in result.manifest.unmapped} == {
        ("invo_professional_role_id", "CW", 1),
        ("cont_contact_outcome_json", "LOCAL_FLAG", 1),
    }
    con = duckdb.connect(str(store.db_path("latest")), read_only=True)
    settings = load_settings({})
    return Engine(con, load_catalogue(), Populations(settings.la_code, settings.population))


def shown(values: list[Value]) -> list[tuple[object, ...]]:
    return [(v.period, v.numerator, v.denominator, v.status, v.unmapped) for v in values]


def test_only_figures_that_read_an_unmapped_value_are_marked(tmp_path: Path) -> None:
    computing = engine(tmp_path)
    catalogue = computing.catalogue
    contacts = computing.kpi_values(catalogue.get("contacts"), JAN, FEB)
    assert shown(contacts) == [("2024-01", 1, None, "ok", 0), ("2024-02", 2, None, "ok", 0)]
    nfa = computing.kpi_values(catalogue.get("contacts_nfa_pct"), JAN, FEB)
    assert shown(nfa) == [("2024-01", 1, 1, "ok", 0), ("2024-02", 0, 2, "unmapped", 1)]
    assert nfa[1].value == 0.0  # the figure is still given, marked
    assert computing.unmapped_counts(catalogue.get("contacts_nfa_pct"), FEB, FEB, False) == {
        "2024-02": 1
    }


def test_an_unmapped_worker_role_marks_every_team_figure(tmp_path: Path) -> None:
    computing = engine(tmp_path)
    catalogue = computing.catalogue
    by_team = computing.kpi_values(catalogue.get("contacts"), JAN, FEB, "team")
    assert [(v.period, dict(v.group)["team"], v.status, v.unmapped) for v in by_team] == [
        ("2024-01", "Team one", "unmapped", 1),
        ("2024-02", "Team one", "unmapped", 1),
        ("2024-02", "Not allocated", "unmapped", 1),  # C2: B's worker not understood
    ]
    nfa = computing.kpi_values(catalogue.get("contacts_nfa_pct"), FEB, FEB, "team")
    assert [(v.status, v.unmapped) for v in nfa] == [("unmapped", 2), ("unmapped", 2)]


def test_a_marked_cell_says_so() -> None:
    marked = Value("contacts_nfa_pct", "2024-02", 0.0, 0, 2, "unmapped", (), 1)
    assert flagged(short(0.0, "percent"), marked) == "0.0% (unmapped: 1)"
    clean = Value("contacts_nfa_pct", "2024-01", 100.0, 1, 1)
    assert flagged(short(100.0, "percent"), clean) == "100.0%"


def test_the_assessment_says_a_marked_figure_is_not_yet_reliable(tmp_path: Path) -> None:
    computing = engine(tmp_path)
    found = {a.kpi.id: a for a in assess_month(computing, FEB, Standards((), None, "E99000000"))}
    marked = found["contacts_nfa_pct"]
    assert marked.as_dict()["status"] == "unmapped" and marked.as_dict()["unmapped"] == 1
    assert indicator_text(marked).startswith(
        "Not yet reliable: 1 record it reads holds a value the load could not map to codes"
    )
    assert "Not yet reliable" not in indicator_text(found["contacts"])

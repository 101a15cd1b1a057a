"""Quality-assurance records in and out as CSV, on SQLite and PostgreSQL: checked first,
stored all or nothing, exported in the columns they are imported in."""

from __future__ import annotations

import csv
import io
import json
import time
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from scrutineer.assess.targets import Target, TargetStore
from scrutineer.catalogue.language import QA_TABLES
from scrutineer.catalogue.load import load_catalogue
from scrutineer.records import governance_files, models
from scrutineer.records.qa import (
    ENGINE_TABLES,
    count,
    engine_rows,
    export_file,
    import_files,
    record_of,
    record_types,
    records_of,
    render_files_doc,
)
from scrutineer.records.record_files import FilesRejected
from scrutineer.records.store import upgrade
from tests.support.cli import Cli
from tests.support.paths import DOCS
from tests.support.qa_files import FILES, exported, write

ENGINE_TABLES_BY_TABLE = {table: name for name, table in ENGINE_TABLES.items()}


def test_the_files_and_the_tables_agree() -> None:
    for name, kind in record_types().items():
        table = models.Base.metadata.tables[name]
        assert [c.name for c in kind.columns] == [c.name for c in table.columns][1:], name
        for column in kind.columns:
            assert table.columns[column.name].nullable is not column.required, column.name


def test_the_engine_reads_the_records_in_their_files_columns() -> None:
    """The qa_* tables the indicators read (declared in the catalogue's language, which the
    records layer is above) are record types of qa_files.yaml, each column one of the
    type's with the type's kind: a column renamed or retyped in the files fails here, not in
    a figure."""
    types = record_types()
    kinds = {"date": "DATE", "integer": "INTEGER", "text": "VARCHAR", "code": "VARCHAR"}
    kinds["codes"] = "VARCHAR"  # several codes, separated by ;
    for table, columns in QA_TABLES.items():
        kind = types[ENGINE_TABLES_BY_TABLE[table]]
        declared = {c.name: kinds[c.type] for c in kind.columns}
        assert {n: declared.get(n) for n in columns} == columns, table
        assert [n for n in declared if n in columns] == list(columns), f"{table}: in file order"
    assert set(ENGINE_TABLES_BY_TABLE.values()) <= set(types)


def test_records_round_trip_through_csv(url: str, tmp_path: Path) -> None:
    upgrade(url)
    engine = create_engine(url)
    counts = import_files(engine, write(tmp_path / "in", FILES))
    assert counts == {name: text.count("\n") - 1 for name, text in FILES.items()}
    first = exported(engine)
    assert (count(engine, "audits"), count(engine, "iro_alert_stages")) == (2, 2)
    # codes and dates come out in one spelling: what any later import reads the same way
    assert "A1,Core tool,000123,Ann Auditor,2026-02-03,2026-02-10,good,good," in first["audits"]
    assert ",Supervision,requires_improvement,Pat PSW,2026-02-20," in first["audits"]
    assert "Core tool,core_tool,2025-04-01,,monthly," in first["audit_programmes"]
    assert "I2,000790,Ian IRO,2026-02-02,plan_disagreement,,," in first["iro_alerts"]
    assert ",visiting_frequency;permanence_drift,service_manager," in first["iro_alerts"]
    import_files(engine, write(tmp_path / "again", first))
    assert exported(engine) == first  # exported, imported again: nothing changes
    engine.dispose()


def test_a_row_whose_key_is_stored_replaces_that_record(url: str, tmp_path: Path) -> None:
    upgrade(url)
    engine = create_engine(url)
    import_files(engine, write(tmp_path / "in", FILES))
    changed = FILES["audits"].replace(
        "A2,Neglect thematic 2025,000456,Ann Auditor,14/02/2026,,,,,,,Outstanding",
        "A2,Neglect thematic 2025,000456,Ann Auditor,14/02/2026,2026-02-21,,,,,,Good",
    )
    import_files(engine, write(tmp_path / "edit", {"audits": changed}))
    audits = export_file(engine, "audits").splitlines()
    assert len(audits) == 3
    assert audits[2].startswith(
        "A2,Neglect thematic 2025,000456,Ann Auditor,2026-02-14,2026-02-21,,,,,,good,"
    )
    engine.dispose()


def test_bad_rows_are_reported_with_row_and_column_and_nothing_is_stored(
    url: str,
    tmp_path: Path,
) -> None:
    upgrade(url)
    engine = create_engine(url)
    import_files(engine, write(tmp_path / "in", FILES))
    before = exported(engine)
    bad = {
        "audits": (
            "audit_ref,programme,person_id,auditor,audit_date,grade_overall,colour\n"
            "A9,Core tool,000999,Ann Auditor,2026-02-30,Good,red\n"  # no 30 February
            "A10,No such programme,000998,Ann Auditor,2026-02-03,Brilliant,\n"
            "A9,Core tool,000997,Ann Auditor,2026-02-04,Good,\n"  # the same key again
        ),
        "iro_alert_stages": ("alert_ref,level,started_date,due_date\nI404,formal,2026-01-01,\n"),
        "review_adjournments": "person_id,reason\n000789,other\n",  # no review_date column
        "notes": "anything\n",
    }
    with pytest.raises(FilesRejected) as rejected:
        import_files(engine, write(tmp_path / "bad", bad))
    found = {(i.file, i.row, i.column, i.rule) for i in rejected.value.issues}
    assert found == {
        ("audits.csv", None, "colour", "unknown-column"),
        ("audits.csv", 2, "audit_date", "date"),
        ("audits.csv", 3, "grade_overall", "code"),
        ("audits.csv", 3, "programme", "reference"),
        ("audits.csv", 4, "audit_ref", "duplicate-key"),
        ("iro_alert_stages.csv", 2, "level", "code"),
        ("iro_alert_stages.csv", 2, "due_date", "required"),
        ("iro_alert_stages.csv", 2, "alert_ref", "reference"),
        ("review_adjournments.csv", None, "review_date", "missing-column"),
        ("notes.csv", None, "", "file-name"),
    }
    message = str(rejected.value)
    assert message.startswith("Nothing was imported: 10 problem(s)")
    assert "Use outstanding, good, requires_improvement, inadequate." in message
    assert exported(engine) == before
    engine.dispose()


def test_the_files_document_is_current() -> None:
    text = (DOCS / "qa-records.md").read_text("utf-8")
    assert text == render_files_doc(), "run `scrutineer qa files > docs/qa-records.md`"


def test_an_import_keeps_each_change_and_the_history_is_exported(tmp_path: Path) -> None:
    """The CLI's `qa history`: created on the first import, replaced on the second (the
    audit's overall grade changed), by "import", each with the record before and after."""
    cli = Cli(tmp_path)
    write(tmp_path / "in", FILES)
    cli.run("qa", "import", *(str(p) for p in sorted((tmp_path / "in").glob("*.csv"))))
    changed = {**FILES, "audits": FILES["audits"].replace(",Outstanding,", ",Good,")}
    write(tmp_path / "edit", {"audits": changed["audits"]})
    cli.run("qa", "import", str(tmp_path / "edit" / "audits.csv"))
    rows = list(csv.DictReader(io.StringIO(cli.run("qa", "history").stdout)))
    audit = [r for r in rows if r["record_type"] == "audits" and '"A2"' in r["record_key"]]
    assert [(r["action"], r["changed_by"]) for r in audit] == [
        ("imported, created", "import"),
        ("imported, replaced", "import"),
    ]
    assert json.loads(audit[1]["before"])["grade_overall"] == "outstanding"
    assert json.loads(audit[1]["after"])["grade_overall"] == "good"
    assert len(rows) == sum(t.count("\n") - 1 for t in FILES.values()) + 2  # A1 again too


def test_what_a_database_column_cannot_hold_is_refused_with_its_row(
    url: str,
    tmp_path: Path,
) -> None:
    """On PostgreSQL these were 500s and tracebacks (a 300-character name in a column of
    200, a NUL, a number over INTEGER's range); a 200,000-character field stopped the CSV
    reader. Each is now an error at its row and column, on SQLite and PostgreSQL alike."""
    upgrade(url)
    engine = create_engine(url)
    header = "name,kind,starts,ends,schedule,description\n"
    cases = {
        "N" * 300 + ",thematic,2025-04-01,,,\n": ("name", "over the 200 this column holds"),
        "A\x00B,thematic,2025-04-01,,,\n": ("name", "a NUL character"),
        "Long,thematic,2025-04-01,,," + "d" * 200_000 + "\n": ("", "cannot be read as CSV"),
    }
    for line, (column, said) in cases.items():
        write(tmp_path / "in", {"audit_programmes": header + line})
        with pytest.raises(FilesRejected) as caught:
            import_files(engine, [tmp_path / "in" / "audit_programmes.csv"])
        found = caught.value.issues[0]
        assert (found.row, found.column) == (2, column) and said in found.message
    panels = "name,quorum,terms_of_reference\nPanel,100000000000000000000000,\n"
    write(tmp_path / "gov", {"panels": panels})
    with pytest.raises(FilesRejected, match="more than this column holds"):
        governance_files.import_files(engine, [tmp_path / "gov" / "panels.csv"])
    assert count(engine, "audit_programmes") == 0
    engine.dispose()


def moment() -> datetime:
    """Now, as the records store keeps times (UTC, no zone), a moment apart from the last."""
    time.sleep(0.01)
    found = datetime.now(UTC).replace(tzinfo=None)
    time.sleep(0.01)
    return found


def test_the_records_as_they_stood_at_a_time_are_rebuilt_from_their_changes(
    url: str,
    tmp_path: Path,
) -> None:
    """Alerts I1 and I2 imported; then I2 resolved and I3 raised. As they stood between,
    I2 is open and I3 not yet raised; before the first import, nothing; now, all three as
    they are. An alert stored before changes were kept (written straight to the table)
    stood as it is at any time. The engine's rows are rebuilt alike."""
    upgrade(url)
    engine = create_engine(url)
    before_any = moment()
    write(tmp_path / "one", {"iro_alerts": FILES["iro_alerts"]})
    import_files(engine, [tmp_path / "one" / "iro_alerts.csv"])
    between = moment()
    later = (
        FILES["iro_alerts"].replace(
            "Plan Disagreement,,,", "Plan Disagreement,informal,2026-02-20,"
        )
        + "I3,000791,Ian IRO,2026-03-02,other,,,\n"
    )
    write(tmp_path / "two", {"iro_alerts": later})
    import_files(engine, [tmp_path / "two" / "iro_alerts.csv"])
    with Session(engine) as session, session.begin():  # as a store from before 0007 holds it
        session.add(
            models.IroAlert(
                alert_ref="I0",
                person_id="000788",
                iro="Ian IRO",
                raised_date=date(2025, 12, 1),
                reasons="other",
                resolved_level="",
                impact="",
            )
        )

    def alerts(as_at: datetime | None) -> dict[str, str]:
        rows = records_of(engine, "iro_alerts", as_at=as_at)
        return {r["alert_ref"]: r["resolved_level"] or "open" for r in rows}

    assert alerts(before_any) == {"I0": "open"}
    assert alerts(between) == {"I0": "open", "I1": "service_manager", "I2": "open"}
    assert (
        alerts(None)
        == alerts(moment())
        == {
            "I0": "open",
            "I1": "service_manager",
            "I2": "informal",
            "I3": "open",
        }
    )
    rows = engine_rows(engine, between)
    assert rows is not None and len(rows["qa_iro_alerts"]) == 3
    assert records_of(engine, "iro_alerts", "000790", between)[0]["resolved_date"] is None
    # chosen by their columns in the database, or (as they stood) after they are rebuilt:
    # I2 is resolved informally now, and was open then
    informal = {"resolved_level": "informal"}
    assert [r["alert_ref"] for r in records_of(engine, "iro_alerts", where=informal)] == ["I2"]
    assert records_of(engine, "iro_alerts", as_at=between, where=informal) == []
    found = record_of(engine, "iro_alerts", alert_ref="I3")
    assert found is not None and found["person_id"] == alerts_person(later, "I3")
    assert record_of(engine, "iro_alerts", alert_ref="I9") is None
    with pytest.raises(ValueError, match="no column colour"):
        records_of(engine, "iro_alerts", where={"colour": "red"})
    engine.dispose()


def alerts_person(text: str, ref: str) -> str:
    """The child an alert of a CSV text is about."""
    return next(r["person_id"] for r in csv.DictReader(io.StringIO(text)) if r["alert_ref"] == ref)


def test_the_targets_as_they_stood_are_kept_with_each_replacement(url: str) -> None:
    upgrade(url)
    engine = create_engine(url)
    store = TargetStore(engine, load_catalogue())
    first = [Target("cp_visits_10wd_pct", "monthly", 80.0, 2025, "Board", date(2025, 4, 10))]
    second = [replace(first[0], value=85.0, set_on=date(2025, 9, 1))]
    before_any = moment()
    store.replace(first, "cli:analyst")
    between = moment()
    store.replace(second)
    assert store.all(before_any) == [] and store.all(between) == first
    assert store.all() == store.all(moment()) == second
    engine.dispose()


def test_the_synthetic_records_use_the_records_own_codes() -> None:
    """The generator sits below the records layer and keeps its own lists: they are the
    definitions' (one vocabulary, issue 19)."""
    from scrutineer.outputs.qa_summary import DOMAINS, GRADES
    from scrutineer.synth import qa as synth

    overall = next(c for c in record_types()["audits"].columns if c.name == "grade_overall")
    assert synth.GRADES == GRADES == overall.codes
    assert synth.DOMAINS == DOMAINS

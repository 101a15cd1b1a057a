"""`scrutineer demo`: the synthetic reference authority, generated, loaded, assessed and
reported, with a year of quality-assurance records and a demo user for every role (the
dashboard is then served by the CLI)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from scrutineer.assess.assessment import assess_month, standards
from scrutineer.assess.targets import TargetStore, read_targets
from scrutineer.engine.session import open_session
from scrutineer.errors import AlreadyLoaded
from scrutineer.extract.load import load_extract
from scrutineer.extract.snapshots import Manifest, SnapshotStore
from scrutineer.outputs.assessment import assessment_table
from scrutineer.outputs.report.make import make_report
from scrutineer.records.governance_year import record_governance_year
from scrutineer.records.qa import count, engine_rows, import_files
from scrutineer.records.roles import ROLES
from scrutineer.records.store import open_records
from scrutineer.records.users import add_user, list_users, set_password
from scrutineer.returns.collection import Collection
from scrutineer.returns.export import export_returns
from scrutineer.settings import Settings
from scrutineer.synth.generate import generate
from scrutineer.synth.params import AuthorityParams
from scrutineer.synth.qa import generate_qa


@dataclass(frozen=True)
class Demo:
    extract: Path
    snapshot: Manifest
    new: bool


def run_demo(settings: Settings, say: Callable[[str], None]) -> Demo:
    """Generate the reference authority (once), load it (once), assess its latest month and
    write the board and scrutiny reports and the statutory returns."""
    folder = settings.data_dir / "demo-extract"
    if not (folder / "ssd_person.csv").is_file():
        say(f"Generating the synthetic reference authority in {folder} ...")
        generate(folder, AuthorityParams())
    store = SnapshotStore(settings.snapshots_dir)
    try:
        manifest = load_extract(folder, store).manifest
        new = True
    except AlreadyLoaded as already:
        manifest, new = store.get(already.snapshot_id), False
    say(
        f"Snapshot {manifest.id} (as at {manifest.as_at}): {sum(manifest.rows.values()):,} rows "
        f"{'loaded' if new else 'already loaded'} into {settings.snapshots_dir}."
    )
    say(quality_assurance(settings, folder, manifest))
    made = record_governance_year(open_records(settings), manifest.as_at)
    if made:
        say(f"Recorded a year of the scrutiny panel: 6 meetings, {made} recommendations.")
    say(assessment(settings, manifest.id))
    for layout, edition in (("board", "internal"), ("scrutiny", "public")):
        out = settings.data_dir / "reports" / f"{layout}-{edition}.pdf"
        make_report(settings, out, layout, edition, snapshot=manifest.id)
        say(f"Wrote the {layout} report ({edition} edition): {out}")
    say(statutory_returns(settings, manifest))
    return Demo(folder, manifest, new)


def statutory_returns(settings: Settings, manifest: Manifest) -> str:
    """The latest whole collection year's CIN census and SSDA903."""
    collection = Collection.ended_by(manifest.as_at)
    out = settings.data_dir / "returns"
    export_returns(settings, collection, out, manifest.id)
    return f"Wrote the {collection} CIN census and SSDA903 to {out}."


def demo_users(settings: Settings, snapshot: str) -> list[tuple[str, str, str]]:
    """A user `demo-ROLE` for every role, with a fresh password each run: (user, role,
    password). The demo manager is assigned the service with the most teams (Protection
    and Court in the reference authority), as a team manager in its clinic would be."""
    records = open_records(settings)
    session = open_session(settings, snapshot)
    try:
        service = session.engine.con.execute(
            "SELECT service_id FROM teams WHERE service_id IS NOT NULL "
            "GROUP BY service_id ORDER BY count(*) DESC, service_id LIMIT 1"
        ).fetchone()
    finally:
        session.close()
    existing = {u.username for u in list_users(records)}
    made = []
    for role in ROLES:
        username = f"demo-{role}"
        if username in existing:
            password = set_password(records, username)
        else:
            services = (str(service[0]),) if role == "manager" and service else ()
            name = f"Demo {role.replace('iro', 'IRO')}"
            password = add_user(records, username, name, role, services=services)
        made.append((username, role, password))
    return made


def quality_assurance(settings: Settings, extract: Path, manifest: Manifest) -> str:
    """A year of audits, IRO alerts and adjourned reviews in the records store (once)."""
    records = open_records(settings)
    if count(records, "audits"):
        return "Quality-assurance records are already in the records store."
    folder = settings.data_dir / "demo-qa"
    generate_qa(extract, folder, manifest.as_at, settings.response_days)
    counts = import_files(records, sorted(folder.glob("*.csv")))
    return (
        "Imported a year of quality-assurance records: "
        + ", ".join(f"{n:,} {name.replace('_', ' ')}" for name, n in counts.items())
        + "."
    )


def assessment(settings: Settings, snapshot: str) -> str:
    """The latest month judged against the demo's targets (set once, if none are)."""
    records = open_records(settings)
    session = open_session(settings, snapshot, engine_rows(records))
    try:
        store = TargetStore(records, session.engine.catalogue)
        if store.empty():
            text = resources.files("scrutineer.assess").joinpath("data", "demo_targets.csv")
            store.replace(read_targets(text.read_text("utf-8"), store.catalogue))
        period = session.latest_period
        found = assess_month(
            session.engine, period, standards(settings, records, session.engine.catalogue)
        )
    finally:
        session.close()
    return f"\nThe indicators for {period}, against the demo targets:\n" + assessment_table(found)

"""The `scrutineer` command: a thin shell, one library call per command.

Each command's docstring is its --help. Errors the user can fix are ScrutineerError and
become a message on stderr and a non-zero exit code in `main`, the only place that does so.
Each command imports what it uses when it runs, so help and mistakes answer at once
(tests/test_cli_startup.py): only what option declarations need is imported here.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, cast

import typer

if TYPE_CHECKING:  # names for the type checker: each command imports what it uses
    from scrutineer.assess.benchmarks import Benchmarks
    from scrutineer.calendar import Period
    from scrutineer.engine.compute import By
    from scrutineer.engine.session import Session
    from scrutineer.extract.snapshots import SnapshotStore

from scrutineer.errors import (
    DateInvalid,
    ExtractRejected,
    FormatInvalid,
    GeneratorInvalid,
    ScrutineerError,
)
from scrutineer.records.roles import ROLES
from scrutineer.settings import load_settings
from scrutineer.synth.params import REFERENCE_POPULATION, AuthorityParams

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Children's social care performance from one definition of every figure.",
)


def _store() -> SnapshotStore:
    from scrutineer.extract.snapshots import SnapshotStore

    return SnapshotStore(load_settings().snapshots_dir)


def _date(text: str | None, what: str) -> date | None:
    return None if text is None else _day(text, what)


def _day(text: str, what: str) -> date:
    from scrutineer.calendar import parse_day

    found = parse_day(text, iso_only=True)  # the commands' dates are YYYY-MM-DD
    if found is None:
        raise DateInvalid(text, what)
    return found


def _format(fmt: str) -> str:
    if fmt not in ("csv", "parquet"):
        raise GeneratorInvalid(f"--format {fmt!r} is not csv or parquet")
    return fmt


@app.command()
def load(
    folder: Annotated[
        Path | None, typer.Argument(help="Folder of ssd_*.csv / ssd_*.parquet files")
    ] = None,
    from_url: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="Read the ssd_* tables from a database instead: a SQLAlchemy URL, e.g. "
            "mssql+pyodbc://user:pass@dsn or postgresql+psycopg://user:pass@host/db",
        ),
    ] = None,
    schema: Annotated[str | None, typer.Option(help="The database schema of --from")] = None,
    as_at: Annotated[
        str | None, typer.Option(help="Date the extract was taken (YYYY-MM-DD)")
    ] = None,
    force: Annotated[bool, typer.Option(help="Load files even if they were loaded before")] = False,
    issues: Annotated[Path | None, typer.Option(help="Write every issue found to this CSV")] = None,
    codes: Annotated[
        list[str] | None,
        typer.Option(
            help="A code map (CSV table,column,local,standard, or a shipped map's name: "
            "ssd-liquidlogic, annex-a); repeat for several, later ones win"
        ),
    ] = None,
    quality: Annotated[
        Path | None,
        typer.Option(help="Write the data-quality report (CSV) here too, even if refused"),
    ] = None,
) -> None:
    """Validate an extract (a folder, or the SSD's database with --from) and load it as a
    new snapshot, all or nothing.

    A folder's own code_map.csv, if there is one, is applied before any --codes map."""
    from scrutineer.extract.load import load_database, load_extract
    from scrutineer.extract.report import format_issues, format_unmapped, write_issues_csv
    from scrutineer.extract.snapshots import SnapshotStore
    from scrutineer.records.registry import sync
    from scrutineer.records.store import open_records

    if (folder is None) == (from_url is None):
        raise typer.BadParameter("give either an extract FOLDER or --from URL, not both")
    given = _date(as_at, "--as-at")
    maps = tuple(codes or ())
    try:
        if from_url is not None:
            result = load_database(from_url, _store(), schema, given, force, maps)
        else:
            assert folder is not None
            result = load_extract(folder, _store(), given, force, maps)
    except ExtractRejected as rejected:
        typer.echo(format_issues(rejected.issues), err=True)
        if issues:
            write_issues_csv(rejected.issues, issues)
        if quality and rejected.quality:
            quality.write_text(rejected.quality, "utf-8")
        raise
    if issues:
        write_issues_csv(result.issues, issues)
    if quality:
        quality.write_text(_store().quality_text(result.manifest.id) or "", "utf-8")
    settings = load_settings()
    sync(open_records(settings), SnapshotStore(settings.snapshots_dir))
    m = result.manifest
    typer.echo(
        f"Loaded snapshot {m.id} (as at {m.as_at}): {sum(m.rows.values()):,} rows "
        f"in {len(m.files)} files, {len(result.issues)} warning(s)."
    )
    if m.mapped:
        typer.echo(f"Code map: {sum(e['rows'] for e in m.mapped):,} local values read as codes.")
    if m.unmapped:
        typer.echo(format_unmapped(m.unmapped), err=True)


@app.command()
def generate(
    folder: Annotated[Path, typer.Argument(help="Folder to write the extract to")],
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same files")] = 7,
    children: Annotated[int, typer.Option(help="0-17 population of the authority")] = (
        REFERENCE_POPULATION
    ),
    start: Annotated[str, typer.Option(help="First day of the reporting period")] = "2023-04-01",
    end: Annotated[str, typer.Option(help="Last day, the extract's as-at date")] = "2026-03-31",
    las: Annotated[int, typer.Option(help="Number of authorities (one folder each)")] = 1,
    fmt: Annotated[str, typer.Option("--format", help="csv or parquet")] = "csv",
) -> None:
    """Write a synthetic authority's extract (children's journeys month by month) to FOLDER."""
    from scrutineer.synth import generate as synth

    params = AuthorityParams(
        population=children, seed=seed, start=_day(start, "--start"), end=_day(end, "--end")
    )
    for made in synth.generate(folder, params, las, _format(fmt)):
        typer.echo(
            f"{made.params.la_code} {made.params.name}: {sum(made.rows.values()):,} rows "
            f"in {made.folder}"
        )


@app.command()
def demo(
    serve_after: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve the dashboard afterwards")
    ] = True,
    host: Annotated[str, typer.Option(help="Address to serve on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to serve on")] = 8000,
) -> None:
    """Generate the synthetic reference authority, load it (each only once), assess and
    report its latest month, make a demo user per role, and serve the dashboard."""
    from scrutineer.demo import demo_users, run_demo
    from scrutineer.outputs.web.serve import serve as serve_dashboard

    settings = load_settings()
    made = run_demo(settings, typer.echo)
    typer.echo("\nDemo users (passwords are new each run):")
    for username, role, password in demo_users(settings, made.snapshot.id):
        typer.echo(f"  {role:<8} {username:<13} {password}")
    if serve_after:
        serve_dashboard(settings, host, port, say=typer.echo)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to serve on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to serve on")] = 8000,
    workers: Annotated[
        int, typer.Option(help="Server processes: 1 with SQLite; one per core with PostgreSQL")
    ] = 1,
) -> None:
    """Serve the dashboard (creates an administrator on first run and prints its password)."""
    from scrutineer.outputs.web.serve import serve as serve_dashboard

    serve_dashboard(load_settings(), host, port, workers, typer.echo)


@app.command()
def contract() -> None:
    """Print the extract contract (every table, column and code list) as Markdown."""
    from scrutineer.extract.docs import render_contract

    typer.echo(render_contract(), nl=False)


@app.command()
def snapshots() -> None:
    """List the snapshots loaded so far, newest last."""
    from scrutineer.extract.snapshots import Damaged

    for m in _store().listing():
        if isinstance(m, Damaged):
            typer.echo(f"{m.id}  DAMAGED: {m.reason}; left out of every command")
            continue
        typer.echo(
            f"{m.id}  as at {m.as_at}  loaded {m.loaded_at:%Y-%m-%d %H:%M}  "
            f"{sum(m.rows.values()):>9,} rows  {len(m.warnings)} warning(s)"
        )


Format = Annotated[str, typer.Option("--format", help="table, csv or json")]


def _session(snapshot: str) -> Session:
    """The snapshot, with the quality-assurance records its indicators need."""
    from scrutineer.engine.session import open_session
    from scrutineer.records.qa import engine_rows
    from scrutineer.records.store import open_records

    settings = load_settings()
    session = open_session(settings, snapshot, engine_rows(open_records(settings)))
    for damaged in session.passed_over:
        typer.echo(
            f"Warning: snapshot {damaged.id} is damaged ({damaged.reason}); using "
            f"{session.manifest.id}, the newest that can be read.",
            err=True,
        )
    return session


def _period(session: Session, period: str | None) -> Period:
    """The month asked for (the latest by default), refused if the snapshot has no data."""
    from scrutineer.calendar import Period

    return session.month(Period.parse(period)) if period else session.latest_period


def _check_format(fmt: str) -> str:
    if fmt not in ("table", "csv", "json"):
        raise FormatInvalid(fmt)
    return fmt


@app.command()
def kpi(
    period: Annotated[
        str | None, typer.Option(help="Last month, YYYY-MM (default: latest)")
    ] = None,
    months: Annotated[int, typer.Option(help="Number of months ending with --period")] = 1,
    kpi_ids: Annotated[
        list[str] | None, typer.Option("--kpi", help="Indicator id (repeat)")
    ] = None,
    by: Annotated[str | None, typer.Option(help="service, team or worker")] = None,
    snapshot: Annotated[str, typer.Option(help="Snapshot id (default: latest)")] = "latest",
    fmt: Format = "table",
) -> None:
    """Compute indicators from a snapshot: values with numerators and denominators."""
    from scrutineer.engine.table import kpi_table
    from scrutineer.outputs.text import render

    session = _session(snapshot)
    last = _period(session, period)
    first = session.month(last.shift(1 - max(months, 1)))
    result = kpi_table(session, first, last, kpi_ids or [], _by(by))
    typer.echo(render(result.rows, _check_format(fmt), result.envelope), nl=False)


@app.command()
def exceptions(
    kpi_id: Annotated[str, typer.Argument(help="Indicator id, e.g. cp_visits_10wd_pct")],
    period: Annotated[str | None, typer.Option(help="Month, YYYY-MM (default: latest)")] = None,
    service: Annotated[str | None, typer.Option(help="Only this service (id or name)")] = None,
    team: Annotated[str | None, typer.Option(help="Only this team (id or name)")] = None,
    snapshot: Annotated[str, typer.Option(help="Snapshot id (default: latest)")] = "latest",
    fmt: Format = "table",
) -> None:
    """List the children behind an indicator who miss it, most overdue first."""
    from scrutineer.engine.exceptions import exception_list
    from scrutineer.outputs.text import render
    from scrutineer.records.access_log import command_user, log_access
    from scrutineer.records.store import open_records

    session = _session(snapshot)
    month = _period(session, period)
    kpi = session.engine.catalogue.get(kpi_id)
    found = exception_list(session.engine, kpi, month, service, team)
    where = f" ({service or team})" if service or team else ""
    log_access(  # as the web logs every list of children it shows
        open_records(load_settings()),
        command_user(),
        "exception list (command line)",
        f"{kpi_id} {month}{where}: {len(found)} children",
    )
    unmapped = session.engine.unmapped_counts(kpi, month, month, bool(service or team))
    count = unmapped.get(str(month), 0)
    envelope = {
        "snapshot": session.manifest.id,
        "kpi": kpi_id,
        "status": "unmapped" if count else "ok",
        "unmapped": count,
    }
    if count and fmt == "table":
        typer.echo(
            f"Not yet reliable: {count:,} record(s) this list reads hold values the load could "
            "not map to codes; children may be missing from it (docs/code-maps.md).",
            err=True,
        )
    typer.echo(
        render([r.as_dict() for r in found], _check_format(fmt), envelope, "children"), nl=False
    )


@app.command("explain")
def explain_kpi(
    kpi_id: Annotated[str, typer.Argument(help="Indicator id")],
    period: Annotated[str, typer.Option(help="Month the SQL is written for")] = "2026-03",
) -> None:
    """Print an indicator's definition and the SQL the engine runs for it."""
    from scrutineer.calendar import Period
    from scrutineer.catalogue.load import load_catalogue
    from scrutineer.engine.explain import explain

    catalogue = load_catalogue()
    typer.echo(explain(catalogue.get(kpi_id), catalogue, Period.parse(period)), nl=False)


@app.command()
def catalogue() -> None:
    """Print the indicator catalogue (every definition and cohort) as Markdown."""
    from scrutineer.catalogue.docs import render_catalogue
    from scrutineer.catalogue.load import load_catalogue

    typer.echo(render_catalogue(load_catalogue()), nl=False)


@app.command()
def kpis(
    check: Annotated[
        bool, typer.Option("--check", help="Also bind every query against the contract")
    ] = False,
) -> None:
    """List every indicator of the catalogue; --check also resolves every query against the
    extract contract and lists the revisions of KPIS.csv still to be made."""
    from scrutineer.catalogue.load import catalogue_issues, load_catalogue
    from scrutineer.extract.report import format_issues
    from scrutineer.outputs.text import render

    if check:
        typer.echo(format_issues(catalogue_issues()) + "\n")
    rows = [
        {
            "id": k.id,
            "unit": k.unit,
            "kind": k.kind,
            "polarity": k.polarity,
            "exceptions": "yes" if k.exceptions else "",
            "title": k.title,
        }
        for k in load_catalogue()
    ]
    typer.echo(render(rows, "table"), nl=False)


@app.command()
def benchmarks(
    la: Annotated[str, typer.Option(help="LA number (852) or ONS code (E06000045)")],
    kpi_ids: Annotated[list[str] | None, typer.Option("--kpi", help="Indicator id, repeated")] = (
        None
    ),
    year: Annotated[int | None, typer.Option(help="Year ending 31 March (default: latest)")] = (
        None
    ),
    neighbours: Annotated[str | None, typer.Option(help="Neighbour list: 2021 or 2025")] = None,
    fmt: Format = "table",
) -> None:
    """DfE's published figures for an authority, its region, England and its neighbours."""
    from scrutineer.assess.benchmarks import NEIGHBOUR_LISTS, kpi_benchmarks
    from scrutineer.catalogue.load import load_catalogue
    from scrutineer.outputs.text import render

    if neighbours not in (None, *NEIGHBOUR_LISTS):
        raise FormatInvalid(str(neighbours), "--neighbours", "2021 or 2025")
    rows = kpi_benchmarks(_benchmarks(), load_catalogue(), la, kpi_ids or [], year, neighbours)
    typer.echo(render(rows, _check_format(fmt), {"source": "DfE LAIT"}, "benchmarks"), nl=False)


@app.command("import-benchmarks")
def import_benchmarks(
    lait: Annotated[Path, typer.Argument(help="DfE's LAIT indicator bank (long Parquet)")],
) -> None:
    """Import a newer release of DfE's LAIT indicator bank for `scrutineer benchmarks`."""
    from scrutineer.assess.benchmarks import EES_MEASURES, import_lait, imported_path
    from scrutineer.catalogue.load import load_catalogue

    target = imported_path(load_settings().data_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    codes = {k.benchmark for k in load_catalogue() if k.benchmark} - set(EES_MEASURES)
    rows = import_lait(lait, codes, target)
    typer.echo(f"Imported {rows:,} published figures for {len(codes)} indicators into {target}.")


@app.command("assess")
def assess_command(
    period: Annotated[str | None, typer.Option(help="Month, YYYY-MM (default: latest)")] = None,
    snapshot: Annotated[str, typer.Option(help="Snapshot id (default: latest)")] = "latest",
    fmt: Format = "table",
) -> None:
    """Judge every indicator for a month: target, benchmarks, RAG, trend, SPC, category."""
    from scrutineer.assess.assessment import assess_month, standards
    from scrutineer.outputs.assessment import assessment_table, rows, themes
    from scrutineer.outputs.text import render
    from scrutineer.records.store import open_records

    settings = load_settings()
    session = _session(snapshot)
    month = _period(session, period)
    against = standards(settings, open_records(settings), session.engine.catalogue)
    found = assess_month(session.engine, month, against)
    if fmt == "table":
        typer.echo(assessment_table(found), nl=False)
        return
    envelope = {"snapshot": session.manifest.id, "period": str(month), "themes": themes(found)}
    typer.echo(render(rows(found), _check_format(fmt), envelope, "indicators"), nl=False)


@app.command()
def report(
    out: Annotated[Path, typer.Option(help="The file to write: .pdf, .html or .xlsx")],
    period: Annotated[str | None, typer.Option(help="Month, YYYY-MM (default: latest)")] = None,
    layout: Annotated[str, typer.Option(help="board, scrutiny or partnership")] = "board",
    edition: Annotated[str, typer.Option(help="internal or public")] = "internal",
    snapshot: Annotated[str, typer.Option(help="Snapshot id (default: latest)")] = "latest",
    records_as_at: Annotated[
        str | None,
        typer.Option(
            help="QA records and targets as they stood then: YYYY-MM-DDTHH:MM[:SS], UTC "
            "(default: now; the report states the time it used)"
        ),
    ] = None,
) -> None:
    """Write the monthly performance report for a board, panel or partnership."""
    from scrutineer.calendar import Period
    from scrutineer.outputs.report.make import make_report

    month = Period.parse(period) if period else None
    as_at = _moment(records_as_at, "--records-as-at") if records_as_at else None
    written = make_report(load_settings(), out, layout, edition, month, snapshot, as_at)
    typer.echo(f"Wrote {written}.")


def _moment(text: str, option: str) -> datetime:
    """A date and time given on the command line, UTC unless it says its offset."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            f"{text!r} is not a date and time: write it as 2026-04-10T09:30 (UTC).",
            param_hint=option,
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


@app.command()
def narrative(
    theme: Annotated[
        str,
        typer.Option(help="Theme or report section, by id or as the dashboard names it"),
    ],
    period: Annotated[str, typer.Option(help="Month, YYYY-MM, one the latest snapshot covers")],
    by: Annotated[str, typer.Option(help="Who wrote it (name and role)")],
    analysis: Annotated[str, typer.Option(help="The analysis")] = "",
    actions: Annotated[str, typer.Option(help="Actions and next steps")] = "",
) -> None:
    """Write the analysis and actions for a theme and month (printed in the reports)."""
    from scrutineer.calendar import Period
    from scrutineer.engine.session import open_session
    from scrutineer.outputs.report.layouts import narrative_key, narrative_label
    from scrutineer.records.narratives import write_narrative
    from scrutineer.records.store import open_records

    settings = load_settings()
    session = open_session(settings)
    try:
        month = str(session.month(Period.parse(period)))
        key = narrative_key(theme, session.engine.catalogue)
    finally:
        session.close()
    write_narrative(open_records(settings), key, month, analysis, actions, by)
    typer.echo(f"Saved the narrative for {narrative_label(key)} ({key}), {month}.")


users_app = typer.Typer(
    no_args_is_help=True, help="Users: add, list, disable, enable, unlock, reset a password."
)
app.add_typer(users_app, name="users")


@users_app.command("add")
def users_add(
    username: Annotated[str, typer.Argument(help="Login name")],
    role: Annotated[str, typer.Option(help=", ".join(ROLES))],
    name: Annotated[str, typer.Option(help="Full name")] = "",
    service: Annotated[
        list[str] | None, typer.Option(help="A manager's service id (e.g. SVC-PC), repeated")
    ] = (None),
) -> None:
    """Add a user; prints the generated password once."""
    from scrutineer.records.store import open_records
    from scrutineer.records.users import add_user

    password = add_user(
        open_records(load_settings()),
        username,
        name or username,
        role,
        services=tuple(service or ()),
    )
    typer.echo(f"Added {username} ({role}). Password: {password}")


@users_app.command("list")
def users_list() -> None:
    """List the users, their roles and services."""
    from scrutineer.outputs.text import render
    from scrutineer.records.store import open_records
    from scrutineer.records.users import list_users

    rows = [
        {
            "username": u.username,
            "name": u.display_name,
            "role": u.role,
            "active": "yes" if u.active else "no",
            "services": ", ".join(u.services),
        }
        for u in list_users(open_records(load_settings()))
    ]
    typer.echo(render(rows, "table"), nl=False)


@users_app.command("disable")
def users_disable(username: Annotated[str, typer.Argument(help="Login name")]) -> None:
    """Disable a user: they can no longer log in; their records stay."""
    from scrutineer.records.store import open_records
    from scrutineer.records.users import disable_user

    disable_user(open_records(load_settings()), username)
    typer.echo(f"Disabled {username}.")


@users_app.command("enable")
def users_enable(username: Annotated[str, typer.Argument(help="Login name")]) -> None:
    """Let a disabled user sign in again."""
    from scrutineer.records.store import open_records
    from scrutineer.records.users import enable_user

    enable_user(open_records(load_settings()), username)
    typer.echo(f"Enabled {username}.")


@users_app.command("unlock")
def users_unlock(username: Annotated[str, typer.Argument(help="Login name")]) -> None:
    """Open an account locked by failed sign-ins."""
    from scrutineer.records.store import open_records
    from scrutineer.records.users import unlock_user

    unlock_user(open_records(load_settings()), username)
    typer.echo(f"Unlocked {username}.")


@users_app.command("reset-password")
def users_reset_password(username: Annotated[str, typer.Argument(help="Login name")]) -> None:
    """Give a user a new password (printed once; the account is unlocked too)."""
    from scrutineer.records.store import open_records
    from scrutineer.records.users import set_password

    password = set_password(open_records(load_settings()), username)
    typer.echo(f"New password for {username}: {password}")


@app.command("annex-a")
def annex_a_command(
    out: Annotated[Path, typer.Option(help="The workbook to write (.xlsx)")],
    as_at: Annotated[
        str | None,
        typer.Option(help="The lists' date, YYYY-MM-DD (default: the snapshot's as-at date)"),
    ] = None,
    months: Annotated[int, typer.Option(help="Months the lists cover, ending --as-at")] = 6,
    snapshot: Annotated[str, typer.Option(help="Snapshot id (default: latest)")] = "latest",
    summary: Annotated[
        Path | None,
        typer.Option(
            help="Also the inspection summary: counts and indicators by month (.pdf, .html)"
        ),
    ] = None,
) -> None:
    """Write Ofsted's Annex A for an inspection: the eleven child-level lists (logged)."""
    from scrutineer.outputs.annex_a import make_annex_a
    from scrutineer.records.access_log import command_user, log_access
    from scrutineer.records.store import open_records

    settings = load_settings()
    day = _day(as_at, "--as-at") if as_at else None
    drawn = make_annex_a(settings, snapshot, day, months, out, summary)
    period, tables, rows = drawn.period, drawn.tables, drawn.rows
    log_access(  # child-level, as every list of children is
        open_records(settings),
        command_user(),
        "Annex A (command line)",
        f"{period}: {rows} rows in {len(tables)} lists, to {out.name}",
    )
    for table in tables:
        typer.echo(f"{table.annex.sheet:<8} {table.annex.title}: {len(table.rows):,} rows")
    typer.echo(f"Wrote {out}: Annex A for {period}." + (f" Summary: {summary}." if summary else ""))


@app.command("access-log")
def access_log(
    since: Annotated[str | None, typer.Option(help="From this day, YYYY-MM-DD")] = None,
) -> None:
    """Print the access log as CSV: every view and refusal of child-level data, and every
    purge, with who and when."""
    from scrutineer.records.access_log import access_csv
    from scrutineer.records.store import open_records

    day = _date(since, "--since")
    start = None if day is None else datetime.combine(day, datetime.min.time())
    typer.echo(access_csv(open_records(load_settings()), start), nl=False)


@app.command()
def purge(
    dry_run: Annotated[bool, typer.Option(help="Say what would go, remove nothing")] = False,
) -> None:
    """Remove snapshots and access-log entries past their retention period
    (SCRUTINEER_RETAIN_SNAPSHOT_MONTHS, SCRUTINEER_RETAIN_ACCESS_LOG_MONTHS); logged."""
    from scrutineer.records.retention import purge as purge_past
    from scrutineer.records.store import open_records

    settings = load_settings()
    done = purge_past(settings, open_records(settings), date.today(), dry_run)
    typer.echo(("Would remove " if dry_run else "Removed ") + done.said() + ".")


targets_app = typer.Typer(no_args_is_help=True, help="Targets: import and export as CSV.")
app.add_typer(targets_app, name="targets")


@targets_app.command("import")
def targets_import(
    file: Annotated[Path, typer.Argument(help="CSV: kpi,kind,value,financial_year,set_by,...")],
) -> None:
    """Replace the targets with those in FILE (all or nothing)."""
    from scrutineer.assess.targets import TargetStore, read_targets_file
    from scrutineer.catalogue.load import load_catalogue
    from scrutineer.records.access_log import command_user
    from scrutineer.records.store import open_records

    settings = load_settings()
    store = TargetStore(open_records(settings), load_catalogue())
    targets = read_targets_file(file, store.catalogue)
    store.replace(targets, command_user())
    typer.echo(f"Imported {len(targets)} target(s) into the records store.")


@targets_app.command("export")
def targets_export() -> None:
    """Print the targets as CSV, in the format `targets import` reads."""
    from scrutineer.assess.targets import TargetStore, write_targets
    from scrutineer.catalogue.load import load_catalogue
    from scrutineer.records.store import open_records

    store = TargetStore(open_records(load_settings()), load_catalogue())
    typer.echo(write_targets(store.all()), nl=False)


@app.command()
def monitoring(
    meeting: Annotated[str, typer.Option(help="The meeting's date, YYYY-MM-DD")],
    out: Annotated[Path, typer.Option(help="File to write: .html, .pdf or .docx")],
    panel: Annotated[str | None, typer.Option(help="The panel, if several met that day")] = None,
) -> None:
    """The monitoring report of a meeting: every recommendation still on the list."""
    from scrutineer.outputs.report.monitoring import monitoring_context, write_monitoring
    from scrutineer.records.panels import find_meeting
    from scrutineer.records.store import open_records

    records = open_records(load_settings())
    meeting_id = find_meeting(records, _day(meeting, "--meeting"), panel)
    written = write_monitoring(monitoring_context(records, meeting_id), out)
    typer.echo(f"Wrote {written}.")


qa_app = typer.Typer(
    no_args_is_help=True, help="Quality-assurance records (audits, IRO alerts): CSV in and out."
)
app.add_typer(qa_app, name="qa")


@qa_app.command("import")
def qa_import(
    files: Annotated[list[Path], typer.Argument(help="CSV files named as their records")],
) -> None:
    """Check every row of every file, then store them all, or nothing (audits.csv,
    iro_alerts.csv, ...: see docs/qa-records.md)."""
    from scrutineer.records.qa import import_files
    from scrutineer.records.store import open_records

    counts = import_files(open_records(load_settings()), files)
    typer.echo("Imported " + ", ".join(f"{n:,} {name}" for name, n in counts.items()) + ".")


@qa_app.command("export")
def qa_export(
    folder: Annotated[Path, typer.Argument(help="Folder to write the CSV files to")],
) -> None:
    """Write every quality-assurance record, one CSV file per type, as `qa import` reads them."""
    from scrutineer.records.qa import export_file, record_types
    from scrutineer.records.store import open_records

    records = open_records(load_settings())
    folder.mkdir(parents=True, exist_ok=True)
    for name in record_types():
        (folder / f"{name}.csv").write_text(export_file(records, name), encoding="utf-8")
    typer.echo(f"Wrote {len(record_types())} files to {folder}.")


@qa_app.command("history")
def qa_history() -> None:
    """Print every change to a quality-assurance record as CSV: when, who, what, which
    record, before and after."""
    from scrutineer.records.qa import history_csv as qa_history_csv
    from scrutineer.records.store import open_records

    typer.echo(qa_history_csv(open_records(load_settings())), nl=False)


@qa_app.command("files")
def qa_files() -> None:
    """Print the quality-assurance files' columns and codes as Markdown."""
    from scrutineer.records.qa import render_files_doc

    typer.echo(render_files_doc(), nl=False)


governance_app = typer.Typer(
    no_args_is_help=True,
    help="Governance records (panels, meetings, reviews, recommendations): CSV in and out.",
)
app.add_typer(governance_app, name="governance")


@governance_app.command("import")
def governance_import(
    files: Annotated[list[Path], typer.Argument(help="CSV files named as their records")],
) -> None:
    """Check every row of every file, then store them all, or nothing (panels.csv,
    meetings.csv, recommendations.csv, ...: see docs/governance-records.md)."""
    from scrutineer.records import governance_files
    from scrutineer.records.store import open_records

    counts = governance_files.import_files(open_records(load_settings()), files)
    typer.echo("Imported " + ", ".join(f"{n:,} {name}" for name, n in counts.items()) + ".")


@governance_app.command("export")
def governance_export(
    folder: Annotated[Path, typer.Argument(help="Folder to write the CSV files to")],
) -> None:
    """Write every governance record, one CSV file per type, as `governance import` reads."""
    from scrutineer.records import governance_files
    from scrutineer.records.store import open_records

    written = governance_files.export_folder(open_records(load_settings()), folder)
    typer.echo(f"Wrote {len(written)} files to {folder}.")


@governance_app.command("history")
def governance_history() -> None:
    """Print every change to a governance record made by an import as CSV (who, when,
    before, after); changes made on the web are in each record's own updates."""
    from scrutineer.records import governance_files
    from scrutineer.records.store import open_records

    typer.echo(governance_files.history_csv(open_records(load_settings())), nl=False)


@governance_app.command("files")
def governance_files_doc() -> None:
    """Print the governance files' columns and codes as Markdown."""
    from scrutineer.records import governance_files

    typer.echo(governance_files.render_files_doc(), nl=False)


returns_app = typer.Typer(
    no_args_is_help=True, help="Statutory returns: the CIN census and the SSDA903, in and out."
)
app.add_typer(returns_app, name="returns")


@returns_app.command("export")
def returns_export(
    out: Annotated[Path, typer.Argument(help="Folder to write the returns to")],
    year: Annotated[str, typer.Option(help="Collection year, by its end: 2025 is 2024/25")],
    snapshot: Annotated[str, typer.Option(help="Snapshot id (default: latest)")] = "latest",
    xml_903: Annotated[
        bool,
        typer.Option(
            "--903-xml",
            help="Also write the SSDA903 as its single XML file (without the social worker "
            "episodes and deprivation of liberty, which only the CSV tables carry)",
        ),
    ] = False,
) -> None:
    """Write a snapshot's returns for a collection year, as the DfE's formats specify."""
    from scrutineer.returns.collection import Collection
    from scrutineer.returns.export import export_returns

    written = export_returns(load_settings(), Collection.parse(year), out, snapshot, xml_903)
    typer.echo("Wrote " + ", ".join(str(p) for p in written) + ".")


@returns_app.command("import")
def returns_import(
    path: Annotated[
        Path, typer.Argument(help="A CIN census XML file, or an SSDA903 CSV folder or XML file")
    ],
    year: Annotated[
        str | None,
        typer.Option(help="The SSDA903's collection year (default: from its names or dates)"),
    ] = None,
    issues: Annotated[
        Path | None,
        typer.Option(
            help="Write every finding to this CSV (default: imports/NAME-findings.csv in the "
            "data folder, when there is any)"
        ),
    ] = None,
) -> None:
    """Load a return as a snapshot, checked as an extract is: a CIN census as at its
    reference date, an SSDA903 as at the 31 March its collection ends. Every warning and
    error is listed, in the return's own tables and columns, and written to a CSV."""
    from scrutineer.extract.report import format_issues, write_issues_csv
    from scrutineer.returns.collection import READ_FROM, Collection
    from scrutineer.returns.findings import ReturnRejected
    from scrutineer.returns.load import import_return

    where = issues or load_settings().data_dir / "imports" / f"{path.name}-findings.csv"
    try:
        chosen = Collection.parse(year, READ_FROM).year if year else None
        result = import_return(path, _store(), chosen)
    except ReturnRejected as rejected:
        if rejected.issues:
            where.parent.mkdir(parents=True, exist_ok=True)
            write_issues_csv(rejected.issues, where)
            typer.echo(f"Every finding is in {where}.", err=True)
        raise
    typer.echo(f"Loaded snapshot {result.manifest.id} (as at {result.manifest.as_at}) from {path}.")
    if result.issues:
        where.parent.mkdir(parents=True, exist_ok=True)
        write_issues_csv(result.issues, where)
        typer.echo(f"{len(result.issues):,} warning(s), all in {where}:\n")
        typer.echo(format_issues(result.issues))


def _benchmarks() -> Benchmarks:
    from scrutineer.assess.benchmarks import benchmarks_for

    return benchmarks_for(load_settings().data_dir)


def _by(by: str | None) -> By | None:
    from scrutineer.engine.compute import By

    if by not in (None, "service", "team", "worker"):
        raise FormatInvalid(str(by), "--by", "service, team or worker")
    return cast(By | None, by)


def main() -> None:
    try:
        app()
    except ScrutineerError as error:
        failed = error.exit_code != 0
        typer.echo(f"Error: {error}" if failed else str(error), err=failed)
        raise SystemExit(error.exit_code) from None

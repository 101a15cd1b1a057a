"""Every page, its JSON twin and the reports, as every role sees them, are the same as they
were at the commit named in tests/pages-baseline.txt (issue 19: the web package is rebuilt
with no change of behaviour). Both versions render from copies of one prepared data folder
(tests/support/render_pages.py, run with each version's `src`); tokens and clock times aside, they
must agree byte for byte. A file that differs is rendered again from fresh copies, and only
one that differs both times counts (a page whose order of ties varies between renderings is
not a change of the code's behaviour). A deliberate change (a bug fixed) moves the baseline
forward in the commit that makes it, saying why."""

from __future__ import annotations

import difflib
import json
import os
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select
from sqlalchemy.orm import Session as SqlSession

from scrutineer.assess.targets import TargetStore, read_targets
from scrutineer.catalogue.load import load_catalogue
from scrutineer.extract.load import load_extract
from scrutineer.extract.snapshots import SnapshotStore
from scrutineer.records import models
from scrutineer.records.governance_year import record_governance_year
from scrutineer.records.narratives import write_narrative
from scrutineer.records.qa import import_files
from scrutineer.records.store import alembic_config, open_records, records_url
from scrutineer.settings import load_settings
from scrutineer.synth.qa import generate_qa
from tests.support.extracts import SMALL
from tests.support.paths import ROOT
from tests.support.web import user_per_role

BASELINE = (ROOT / "tests" / "pages-baseline.txt").read_text(encoding="utf-8").split()[0]
SERVICE = "SVC-PC"


def prepare(data: Path, extract: Path, scratch: Path) -> None:
    """A snapshot, a user per role, a year of QA records, targets, a narrative and the
    demo's year of governance (panels, meetings with their business, a practice review and
    its responses): something on every page."""
    settings = load_settings({"SCRUTINEER_DATA_DIR": str(data)}, data / ".env")
    load_extract(extract, SnapshotStore(settings.snapshots_dir))
    records = open_records(settings)
    passwords = user_per_role(records, SERVICE)
    generate_qa(extract, scratch / "qa", SMALL.end, settings.response_days)
    import_files(records, sorted((scratch / "qa").glob("*.csv")))
    demo = resources.files("scrutineer.assess").joinpath("data", "demo_targets.csv")
    targets = TargetStore(records, load_catalogue())
    targets.replace(read_targets(demo.read_text("utf-8"), targets.catalogue))
    write_narrative(records, "purposeful_contact", "2026-03", "Visits held up.", "Keep on.", "An")
    record_governance_year(records, SMALL.end)  # the demo's year: panels, meetings, reviews
    with SqlSession(records) as session:
        meetings = session.scalars(select(models.Meeting.id).order_by(models.Meeting.id)).all()
        panels = session.scalars(select(models.Panel.id)).all()
        reviews = session.scalars(select(models.PracticeReview.id)).all()
        child = session.scalar(select(models.IroAlert.person_id).order_by(models.IroAlert.id))
    records.dispose()
    urls = [
        "/",
        "/indicators/cp_visits_10wd_pct",
        "/indicators/contacts_rate_r12?service=" + SERVICE,
        "/clinics",
        f"/clinics/{SERVICE}",
        "/qa",
        "/qa/audits",
        "/qa/alerts?state=open",
        f"/qa/children/{child}",
        "/qa/audits/new",
        "/qa/alerts/new",
        "/governance",
        *(f"/governance/panels/{i}" for i in panels),
        *(f"/governance/meetings/{i}" for i in meetings),
        *(f"/governance/reviews/{i}" for i in reviews),
        "/governance/recommendations",
        "/snapshots",
        "/snapshots/latest",
        "/narratives",
        "/inspection",
        "/account",
        "/admin/users",
        "/admin/access-log",
    ]
    plan = {"passwords": passwords, "urls": urls, "month": "2026-03"}
    (data / "pages.json").write_text(json.dumps(plan), encoding="utf-8")


def rendered(data: Path, out: Path, src: Path) -> dict[str, str]:
    # one hash seed for both: what is compared is the code, not the order of a set
    env = {**os.environ, "PYTHONPATH": str(src), "PYTHONHASHSEED": "0"}
    done = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "support" / "render_pages.py"), str(data), str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, f"rendering with {src} failed:\n{done.stderr[-3000:]}"
    return {
        str(p.relative_to(out)): p.read_text(encoding="utf-8")
        for p in out.rglob("*")
        if p.is_file()
    }


def test_every_page_and_report_is_as_it_was_at_the_baseline(
    small_authority: Path, tmp_path: Path
) -> None:
    found = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--verify", f"{BASELINE}^{{commit}}"],
        capture_output=True,
        text=True,
    )
    if found.returncode != 0:
        pytest.fail(f"the baseline {BASELINE} is not in this clone's history (a full clone has it)")
    base = tmp_path / "base"
    base.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", BASELINE, "src"], capture_output=True, check=True
    )
    subprocess.run(["tar", "-x", "-C", str(base)], input=archive.stdout, check=True)
    prepare(tmp_path / "data", small_authority, tmp_path)
    pristine = tmp_path / "pristine"
    shutil.copytree(tmp_path / "data", pristine)
    changed, before, after = compared(pristine, tmp_path / "one", base / "src")
    if changed:  # again, from fresh copies: a page whose content varies from one rendering
        # to the next whatever the code (a tie in an order) is not a change of behaviour;
        # one that differs from the baseline both times is
        again, _, _ = compared(pristine, tmp_path / "two", base / "src")
        changed = [name for name in changed if name in again]
    if changed:
        report = tmp_path / "changed.txt"  # every difference, for whoever mends it
        report.write_text(
            "\n".join(
                line
                for name in changed
                for line in difflib.unified_diff(
                    before[name].splitlines(), after[name].splitlines(), name, name, lineterm=""
                )
            ),
            encoding="utf-8",
        )
        first = changed[0]
        diff = difflib.unified_diff(
            before[first].splitlines(), after[first].splitlines(), "baseline", "now", lineterm=""
        )
        pytest.fail(
            f"{len(changed)} of {len(before)} differ from {BASELINE[:10]} (all in {report}), "
            f"first {first}:\n" + "\n".join(list(diff)[:60])
        )


def as_the_baseline_had_it(data: Path, base_src: Path) -> None:
    """The records store taken down to the newest migration the baseline knows (a store a
    newer version made is one the baseline cannot open; what the later migrations add is
    empty here)."""
    versions = base_src / "scrutineer" / "records" / "migrations" / "versions"
    known = max(p.name.split("_")[0] for p in versions.glob("[0-9]*.py"))
    settings = load_settings({"SCRUTINEER_DATA_DIR": str(data)}, data / ".env")
    command.downgrade(alembic_config(records_url(settings)), known)


def compared(
    pristine: Path, work: Path, base_src: Path
) -> tuple[list[str], dict[str, str], dict[str, str]]:
    """The files that differ between the baseline's rendering and now's, each from its own
    copy of the prepared data."""
    shutil.copytree(pristine, work / "data-base")
    shutil.copytree(pristine, work / "data")
    as_the_baseline_had_it(work / "data-base", base_src)
    before = rendered(work / "data-base", work / "out-base", base_src)
    after = rendered(work / "data", work / "out", ROOT / "src")
    assert len(before) > 400 and set(before) == set(after)
    return [name for name in sorted(before) if before[name] != after[name]], before, after

"""The performance report: every layout renders; the public edition names nobody."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from scrutineer.catalogue.load import load_catalogue
from scrutineer.outputs.report.layouts import load_layout
from tests.support.cli import Cli
from tests.support.paths import ROOT

DEMO_TARGETS = ROOT / "src/scrutineer/assess/data/demo_targets.csv"


@pytest.fixture(scope="module")
def reporting(small_authority: Path, tmp_path_factory: pytest.TempPathFactory) -> Cli:
    cli = Cli(tmp_path_factory.mktemp("report"))
    cli.run("load", str(small_authority))
    cli.run("targets", "import", str(DEMO_TARGETS))
    return cli


@pytest.mark.parametrize("layout", ["board", "scrutiny", "partnership"])
def test_every_layout_renders_in_every_format(reporting: Cli, layout: str) -> None:
    for suffix in (".pdf", ".xlsx"):
        other = reporting.home / f"{layout}{suffix}"
        reporting.run("report", "--layout", layout, "--out", str(other))
        assert other.stat().st_size > 5_000, other
    out = reporting.home / f"{layout}.html"
    reporting.run("report", "--layout", layout, "--out", str(out))
    page = out.read_text()
    assert page.count("<svg") >= 10 and "What the data tells us" in page
    for heading in ("Going well", "One to watch", "Need to do better", "Glossary", "Notes"):
        assert heading in page, heading
    assert "snapshot s0001-" in page and "March 2026" in page
    assert "Where each definition comes from" in page
    # the synthetic authority is set beside the region and neighbours of the one whose
    # place it takes, and says so
    assert "the statistical neighbours of Southampton, whose place it takes" in page
    if layout == "board":  # its purposeful contact section has the statutory visits
        assert "Care Planning, Placement and Case Review (England) Regulations 2010" in page


def test_the_pdf_has_pages_a_reviewer_can_see(reporting: Cli) -> None:
    out = reporting.home / "board.pdf"
    reporting.run("report", "--layout", "board", "--out", str(out))
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "30",
            "-f",
            "1",
            "-l",
            "3",
            "-png",
            str(out),
            str(reporting.home / "page"),
        ],
        check=True,
    )
    pages = sorted(reporting.home.glob("page-*.png"))
    assert len(pages) == 3 and all(p.stat().st_size > 2_000 for p in pages)
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Improvement Board performance report" in text and "Page 1 of" in text


def test_the_public_edition_names_no_child_or_worker(reporting: Cli, small_authority: Path) -> None:
    html = reporting.home / "public.html"
    pdf = reporting.home / "public.pdf"
    reporting.run("report", "--edition", "public", "--layout", "scrutiny", "--out", str(html))
    reporting.run("report", "--edition", "public", "--layout", "scrutiny", "--out", str(pdf))
    text = (
        html.read_text()
        + subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
    )
    con = duckdb.connect()
    people = con.execute(
        f"SELECT pers_person_id, pers_forename || ' ' || pers_surname, pers_dob "
        f"FROM read_csv('{small_authority / 'ssd_person.csv'}', all_varchar=true)"
    ).fetchall()
    workers = con.execute(
        "SELECT prof_professional_name FROM "
        f"read_csv('{small_authority / 'ssd_professionals.csv'}', all_varchar=true)"
    ).fetchall()
    words = set(re.findall(r"[\w-]+", text))
    assert not [p for p, _, _ in people if p in words], "a person id is in the report"
    assert not [n for _, n, _ in people if n in text], "a child's name is in the report"
    assert not [d for _, _, d in people if d in text], "a date of birth is in the report"
    assert not [w for (w,) in workers if w in text], "a worker's name is in the report"


# what a councillor or the public must never read: a command, a file of the project, a
# setting, the stand-in code of an authority with no ONS estimate
DEVELOPER_TEXT = re.compile(
    r"\bscrutineer [a-z]|`|\b[\w./-]+\.(?:md|csv|yaml|py|duckdb)\b|\b(?:docs|src)/"
    r"|SCRUTINEER_[A-Z_]+|E99000000"
)


def test_the_reports_councillors_read_hold_no_developer_text(reporting: Cli) -> None:
    """The board pack (read by the board's councillors) and the public scrutiny report, as
    HTML and as the PDF's text: no command, file, setting or stand-in code anywhere (a
    definition's source may cite the DfE's published file, as KPIS.csv does)."""
    cited = " ".join(k.source for k in load_catalogue())
    for layout, edition in (("board", "internal"), ("scrutiny", "public")):
        html, pdf = (reporting.home / f"plain-{layout}{s}" for s in (".html", ".pdf"))
        for out in (html, pdf):
            reporting.run("report", "--layout", layout, "--edition", edition, "--out", str(out))
        shown = re.sub(r"<[^>]+>", " ", html.read_text())  # the text, not the markup
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        for where, words in (("HTML", shown), ("PDF", text)):
            found = sorted(
                {m.group(0) for m in DEVELOPER_TEXT.finditer(words) if m.group(0) not in cited}
            )
            assert not found, f"the {layout} report's {where} says {found}"


def test_the_public_edition_suppresses_small_numbers(reporting: Cli) -> None:
    internal = reporting.home / "internal.html"
    public = reporting.home / "public-board.html"
    reporting.run("report", "--layout", "board", "--out", str(internal))
    reporting.run("report", "--edition", "public", "--layout", "board", "--out", str(public))
    cells = re.compile(r"<td>(.*?)</td>")
    inside, outside = cells.findall(internal.read_text()), cells.findall(public.read_text())
    assert len(inside) == len(outside)
    small = [(i, o) for i, o in zip(inside, outside, strict=True) if i in {"1", "2", "3", "4"}]
    assert small and all(o == "*" for _, o in small)  # every count of 1-4 is suppressed
    assert "Small numbers are suppressed" in public.read_text()
    rows = [cells.findall(r) for r in re.findall(r"<tr>(.*?)</tr>", public.read_text(), re.S)]
    latest_hidden = [r for r in rows if len(r) > 5 and r[-6] == "*"]
    assert latest_hidden  # the cells: months..., target, RAG, trend, neighbours, England
    assert all((r[-4], r[-3]) == ("", "") for r in latest_hidden)  # no RAG, no trend


def test_a_bad_layout_or_format_says_what_to_do(reporting: Cli) -> None:
    done = reporting.run("report", "--layout", "council", "--out", "x.pdf", check=False)
    assert done.returncode == 1 and "board, partnership, scrutiny" in done.stderr
    done = reporting.run("report", "--out", "x.docx", check=False)
    assert done.returncode == 1 and ".html, .pdf or .xlsx" in done.stderr


def test_the_excel_workbook_has_every_table(reporting: Cli) -> None:
    from openpyxl import load_workbook

    out = reporting.home / "board.xlsx"
    reporting.run("report", "--layout", "board", "--out", str(out))
    book = load_workbook(out)
    assert book.sheetnames[0] == "Summary" and book.sheetnames[-1] == "Notes"
    assert len(book.sheetnames) == 2 + 7  # the board layout's seven sections
    sheet = book[book.sheetnames[1]]
    header = [c.value for c in sheet[1]]
    assert header[0] == "Indicator" and header[-1] == "Category" and len(header) == 19
    percents = [c.value for c in sheet[4][1:13]]  # assessments within 45 working days
    assert all(isinstance(v, int | float) and 0 <= v <= 1 for v in percents if v is not None)
    assert sheet.cell(4, 2).number_format == "0.0%"


def test_figures_revised_since_the_last_snapshot_are_listed(
    small_authority: Path, tmp_path: Path
) -> None:
    cli = Cli(tmp_path)
    cli.run("load", str(small_authority))
    first = tmp_path / "first.html"
    cli.run("report", "--layout", "partnership", "--out", str(first))
    assert "This is the first snapshot" in first.read_text()
    later = tmp_path / "later"
    shutil.copytree(small_authority, later)
    person = (later / "ssd_person.csv").read_text().splitlines()[1].split(",")[0]
    with (later / "ssd_contacts.csv").open("a", encoding="utf-8") as handle:
        # a contact recorded late
        handle.write(f'LATE1,{person},2026-03-30,,,"{{""NFA_FLAG"": ""Y""}}"\n')
    cli.run("load", str(later))
    before = json.loads(
        cli.run("kpi", "--kpi", "contacts", "--snapshot", "s0001", "--format", "json").stdout
    )["values"][0]["value"]
    second = tmp_path / "second.html"
    cli.run("report", "--layout", "partnership", "--out", str(second))
    page = second.read_text()
    assert "Figures revised since snapshot s0001-" in page
    assert (
        f"Contacts received in the month, March 2026: was {before:,.0f}, now "
        f"{before + 1:,.0f}." in page
    )


def test_written_analysis_and_actions_appear_under_their_section(reporting: Cli) -> None:
    reporting.run(
        "narrative",
        "--theme",
        "purposeful_contact",
        "--period",
        "2026-03",
        "--by",
        "Head of Performance",
        "--analysis",
        "Visits fell in two teams.",
        "--actions",
        "A weekly clinic with the two team managers.",
    )
    out = reporting.home / "narrated.html"
    reporting.run("report", "--layout", "board", "--out", str(out))
    page = out.read_text()
    assert "Visits fell in two teams." in page
    assert "A weekly clinic with the two team managers." in page
    assert "Written by Head of Performance on" in page
    assert page.count("No analysis has been written") == 6  # the other six sections


def test_a_narrative_no_report_would_print_is_refused(reporting: Cli) -> None:
    """The dashboard's own label for a theme is taken (any case); a theme no report has,
    or a month the snapshot does not cover, is refused with what to give instead - not
    "Saved" and never printed."""
    base = ("narrative", "--by", "Head of Performance", "--analysis", "Seen on the dashboard.")
    saved = reporting.run(*base, "--theme", "Purposeful CONTACT", "--period", "2026-03").stdout
    assert saved == "Saved the narrative for Purposeful contact (purposeful_contact), 2026-03.\n"
    wrong = reporting.run(*base, "--theme", "Visits", "--period", "2026-03", check=False)
    assert wrong.returncode == 1 and "No theme or report section 'Visits'" in wrong.stderr
    assert "Purposeful contact (purposeful_contact)" in wrong.stderr
    later = reporting.run(
        *base, "--theme", "purposeful_contact", "--period", "2031-03", check=False
    )
    assert later.returncode == 1 and "2031-03" in later.stderr and "as-at date" in later.stderr


def test_a_report_is_made_again_with_the_records_as_they_stood(
    small_authority: Path, tmp_path: Path
) -> None:
    """The demo's PDF said 12 IRO alerts and the same snapshot's report an hour later 14.
    A report states when it read the QA records and targets; made again for that time after
    another alert is recorded, it is the same file; made for now, it counts the new one."""
    cli = Cli(tmp_path)
    cli.run("load", str(small_authority))
    header = "alert_ref,person_id,iro,raised_date,reasons,resolved_level,resolved_date,impact\n"
    (tmp_path / "one").mkdir()
    (tmp_path / "one" / "iro_alerts.csv").write_text(
        header + "I1,000789,Ian IRO,2026-01-05,other,,,\nI2,000790,Ian IRO,2026-02-02,other,,,\n"
    )
    cli.run("qa", "import", str(tmp_path / "one" / "iro_alerts.csv"))
    first = tmp_path / "first.html"
    cli.run("report", "--out", str(first))
    stated = re.search(r"recorded as (\S+), so the report can be made again", first.read_text())
    assert stated, "the report says when it read the records"
    (tmp_path / "two").mkdir()
    (tmp_path / "two" / "iro_alerts.csv").write_text(
        header + "I3,000791,Ian IRO,2026-03-02,other,,,\n"
    )
    cli.run("qa", "import", str(tmp_path / "two" / "iro_alerts.csv"))
    again, now = tmp_path / "again.html", tmp_path / "now.html"
    cli.run("report", "--out", str(again), "--records-as-at", stated.group(1))
    cli.run("report", "--out", str(now))
    assert again.read_text() == first.read_text()
    alerts = re.compile(r"IRO alerts \((\d+) raised\)")
    assert [alerts.findall(p.read_text()) for p in (first, now)] == [["2"], ["3"]]
    done = cli.run("report", "--out", "x.html", "--records-as-at", "yesterday", check=False)
    assert done.returncode == 2 and "2026-04-10T09:30" in done.stderr


@pytest.mark.slow
def test_the_board_pack_is_concise_and_its_tables_whole(
    reference: tuple[Cli, Path], tmp_path: Path
) -> None:
    """The board pack for the reference authority's latest month (the demo's authority,
    with the demo's targets): at most 24 pages, and each section's table whole on the
    section's first page (a table split over two pages left one row on a page of its
    own)."""
    _, extract = reference
    cli = Cli(tmp_path)
    cli.run("load", str(extract))
    cli.run("targets", "import", str(DEMO_TARGETS))
    pdf = tmp_path / "board.pdf"
    cli.run("report", "--layout", "board", "--out", str(pdf))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    counted = re.search(r"Pages:\s+(\d+)", info.stdout)
    assert counted is not None
    pages = int(counted.group(1))
    assert pages <= 24, f"the board pack runs to {pages} pages"
    texts = [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, pages + 1)
    ]
    layout = load_layout("board", load_catalogue())
    firsts = [t for t in texts if "Monthly figures" in t]
    assert len(firsts) == len(layout.sections)
    for section, page in zip(layout.sections, firsts, strict=True):
        squeezed = re.sub(r"\s+", "", page)
        assert re.sub(r"\s+", "", section.title) in squeezed
        # a title's start: a title wrapped in its cell has the row's figures after its first
        # line in the PDF's text
        missing = [
            k.title for k in section.kpis if re.sub(r"\s+", "", k.title)[:24] not in squeezed
        ]
        assert not missing, f"{section.title}: rows not on the table's page: {missing}"

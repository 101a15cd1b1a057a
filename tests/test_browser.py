"""In a real browser (Debian's Chromium, headless, driven by Playwright), on a real server.

A manager drills from the overview to the children behind a figure; a councillor follows
the same path and finds figures only. Screenshots of the main pages are saved (to
$SCRUTINEER_SCREENSHOTS when set: `docs/img` for the documentation).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, ViewportSize, expect

from scrutineer.outputs.web.routes import create_app
from scrutineer.records.narratives import narratives_for
from scrutineer.records.sessions import end_session
from tests.support.web import WebData, free_port

KPI_TITLE = "Children on a CP plan visited within 10 working days"


@pytest.fixture(scope="module")
def server(web_data: WebData) -> Iterator[str]:
    port = free_port()
    app = create_app(web_data.settings, web_data.records)
    app.state.web.cache.snapshot()  # computed before the browser asks
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    for _ in range(100):
        if running.started:
            break
        time.sleep(0.05)
    assert running.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(10)


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("SCRUTINEER_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def sign_in(browser: Browser, server: str, username: str, password: str) -> Page:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server + "/")
    expect(page).to_have_url(server + "/login?next=%2F")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Performance overview")
    return page


def open_indicator(page: Page) -> None:
    """From the overview: open the theme's list of indicators and follow the link."""
    tile = page.locator("article.tile", has=page.get_by_role("heading", name="Purposeful contact"))
    tile.locator("summary").click()
    tile.get_by_role("link", name=KPI_TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(KPI_TITLE)


def test_a_manager_drills_from_the_overview_to_the_children(
    browser: Browser, server: str, web_data: WebData, app_services: Any, shots: Path
) -> None:
    page = sign_in(browser, server, "manager", web_data.passwords["manager"])
    page.screenshot(path=str(shots / "web-overview.png"), full_page=False)
    open_indicator(page)
    service = app_services[web_data.service]
    page.get_by_role("table", name=f"{KPI_TITLE} by service").get_by_role(
        "link", name=service
    ).click()
    expect(page.get_by_role("heading", name="By team")).to_be_visible()
    exceptions = page.get_by_role("table", name="Children behind the figure")
    rows = exceptions.locator("tbody tr")
    assert rows.count() >= 1
    expect(page.get_by_text(f"showing {service}")).to_be_visible()
    for team in exceptions.locator("tbody tr td:nth-child(4)").all_inner_texts():
        assert team.startswith(service.split(" (")[0]), team
    page.screenshot(path=str(shots / "web-indicator.png"), full_page=True)
    page.get_by_role("link", name="Assurance clinics").click()
    page.get_by_role("link", name=service).click()
    expect(page.get_by_role("heading", name="Most overdue children")).to_be_visible()
    page.screenshot(path=str(shots / "web-clinic.png"), full_page=False)
    page.close()


def test_a_councillor_finds_figures_only(
    browser: Browser, server: str, web_data: WebData, shots: Path
) -> None:
    page = sign_in(browser, server, "panel", web_data.passwords["panel"])
    expect(page.get_by_role("link", name="Assurance clinics")).to_have_count(0)
    open_indicator(page)
    expect(page.get_by_text("Your role sees figures only")).to_be_visible()
    expect(page.get_by_role("table", name="Children behind the figure")).to_have_count(0)
    page.screenshot(path=str(shots / "web-indicator-panel.png"), full_page=False)
    page.goto(server + "/clinics")
    expect(page.get_by_text("Your role cannot see this page.")).to_be_visible()
    page.close()


def test_the_keyboard_reaches_the_content_first(
    browser: Browser, server: str, web_data: WebData
) -> None:
    page = sign_in(browser, server, "viewer", web_data.passwords["viewer"])
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    svg_label = page.goto(server + "/indicators/cp_visits_10wd_pct")
    assert svg_label is not None and svg_label.status == 200
    expect(page.locator("svg[role=img] > title")).to_have_text(KPI_TITLE)
    page.close()


@pytest.fixture(scope="module")
def app_services(web_data: WebData) -> dict[str, str]:
    from scrutineer.engine.session import open_session

    session = open_session(web_data.settings)
    try:
        rows = session.engine.con.execute("SELECT DISTINCT service_id, service FROM teams")
        return {str(a): str(b) for a, b in rows.fetchall() if a}
    finally:
        session.close()


def test_a_scrutiny_officer_sees_a_new_recommendation_on_the_next_meetings_list(
    browser: Browser, server: str, web_data: WebData
) -> None:
    page = sign_in(browser, server, "scrutiny", web_data.passwords["scrutiny"])
    page.get_by_role("link", name="Governance").click()
    add = page.get_by_role("form", name="Add a meeting of Children and Families Scrutiny Panel")
    add.get_by_label("Date").fill("2026-04-14")
    add.get_by_role("button", name="Add the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("meeting of 2026-04-14")
    resolution = page.get_by_role("form", name="Record a resolution")
    resolution.get_by_label("Resolution").fill(
        "The panel asks for a report on placement stability."
    )
    resolution.get_by_label("Title").fill("Placement stability report")
    resolution.get_by_label("Action proposed").fill("Report to the panel in June.")
    resolution.get_by_label("Owner").fill("Head of Children in Care")
    resolution.get_by_role("button", name="Save the resolution").click()
    expect(
        page.get_by_text("Recommendations made: P20260414-1 Placement stability report")
    ).to_be_visible()

    page.get_by_role("link", name="Panels and meetings").click()
    add = page.get_by_role("form", name="Add a meeting of Children and Families Scrutiny Panel")
    add.get_by_label("Date").fill("2026-06-09")
    add.get_by_role("button", name="Add the meeting").click()
    listed = page.get_by_role(
        "table", name="Every recommendation still on the list at this meeting"
    )
    expect(listed.get_by_role("cell", name="Placement stability report")).to_be_visible()
    expect(listed.get_by_role("cell", name="P20260414-1")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Word").click()
    assert download.value.suggested_filename.endswith(".docx")
    page.close()


NARROW: ViewportSize = {"width": 375, "height": 800}  # a phone


def widest(page: Page) -> int:
    """How wide the page is drawn: wider than the window means it scrolls sideways."""
    return int(page.evaluate("document.documentElement.scrollWidth"))


def test_pages_fit_a_phone_and_charts_stay_legible(
    browser: Browser, server: str, web_data: WebData, shots: Path
) -> None:
    """At 375 px no page scrolls sideways (a wide table or chart scrolls in its own box),
    and a chart's labels are drawn at 9 px or more (the chart was scaled to fit, its labels
    to 5 px)."""
    page = sign_in(browser, server, "manager", web_data.passwords["manager"])
    page.set_viewport_size(NARROW)
    kpi = "cp_visits_10wd_pct"
    for path in ("/", f"/indicators/{kpi}", f"/clinics/{web_data.service}", "/qa", "/governance"):
        page.goto(server + path)
        assert widest(page) <= NARROW["width"], f"{path} is {widest(page)} px wide"
    page.goto(server + f"/indicators/{kpi}")
    page.screenshot(path=str(shots / "web-indicator-375.png"), full_page=False)
    sizes = page.evaluate(
        "[...document.querySelectorAll('svg.chart text')]"
        ".map(t => t.getBoundingClientRect().height)"
    )
    assert sizes and min(sizes) >= 9, f"chart labels {min(sizes):.1f} px high"


def test_a_page_prints_without_the_menu_or_its_forms(
    browser: Browser, server: str, web_data: WebData
) -> None:
    """Printed (A4), a page is its content: no menu, sign-out, picker or form controls."""
    page = sign_in(browser, server, "analyst", web_data.passwords["analyst"])
    page.goto(server + "/indicators/cp_visits_10wd_pct")
    page.emulate_media(media="print")
    for hidden in (".top nav", ".signout", ".picker", "main form"):
        shown = page.locator(hidden).evaluate_all(
            "els => els.filter(e => getComputedStyle(e).display !== 'none').length"
        )
        assert shown == 0, f"{hidden} is printed"
    assert page.get_by_role("heading", level=1).is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


def test_a_manager_runs_a_clinic_in_the_browser(
    browser: Browser, server: str, web_data: WebData, tmp_path: Path
) -> None:
    """December's clinic: the manager picks a team's overdue children, downloads them,
    records an action for the team; January's clinic shows it to follow up, and it is marked
    done there (tests/test_web.py uses February's and March's)."""
    page = sign_in(browser, server, "manager", web_data.passwords["manager"])
    page.goto(f"{server}/clinics/{web_data.service}?period=2025-12")
    overdue = page.get_by_role("region", name="Most overdue children")
    teams = overdue.get_by_label("Team", exact=True).locator("option").all_inner_texts()[1:]
    overdue.get_by_label("Team", exact=True).select_option(label=teams[0])
    overdue.get_by_role("button", name="Show").click()
    overdue = page.get_by_role("region", name="Most overdue children")
    listed = overdue.get_by_role("table")
    shown = listed.locator("tbody tr td:nth-child(4)").all_inner_texts()
    assert shown and all(team.endswith(teams[0]) for team in shown), shown
    with page.expect_download() as waiting:
        page.get_by_role("link", name="download as CSV").click()
    saved = tmp_path / "overdue.csv"
    waiting.value.save_as(saved)
    assert saved.read_text(encoding="utf-8").startswith("Indicator,Child,Name")
    agreeing = page.get_by_role("region", name="Actions agreed at this clinic")
    agreeing.get_by_label("Team", exact=True).select_option(index=1)
    page.get_by_label("Action agreed").fill("Check every visit due this week")
    page.get_by_label("Owner").fill("Team manager")
    page.get_by_role("button", name="Record the action").click()
    expect(page.get_by_text("Action recorded.")).to_be_visible()
    page.goto(f"{server}/clinics/{web_data.service}?period=2026-01")
    follow = page.get_by_role("table", name="Agreed last month: where each stands")
    expect(follow.get_by_text("Check every visit due this week")).to_be_visible()
    follow.get_by_label("Now").first.select_option("done")
    follow.get_by_role("button", name="Update").first.click()
    expect(page.get_by_text("Action marked done.")).to_be_visible()
    page.close()


def test_an_analysis_typed_as_the_session_ends_is_saved_after_signing_in(
    browser: Browser, server: str, web_data: WebData
) -> None:
    """An analyst types an analysis; the session ends before they press Save (it expired,
    or they signed out elsewhere). Signing in again shows what they typed, to be saved, and
    it is."""
    page = sign_in(browser, server, "analyst", web_data.passwords["analyst"])
    page.goto(f"{server}/narratives?period=2025-11")
    typed = "Referrals from schools rose after half-term; the front door added a worker."
    form = page.locator("form#right_service")
    form.get_by_label("Analysis").fill(typed)
    cookie = next(c for c in page.context.cookies() if c["name"] == "scrutineer_session")
    end_session(web_data.records, cookie["value"])
    form.get_by_role("button").click()
    expect(page.get_by_text("What you sent is kept")).to_be_visible()
    page.get_by_label("Username").fill("analyst")
    page.get_by_label("Password").fill(web_data.passwords["analyst"])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Save what you sent")).to_be_visible()
    expect(page.get_by_text(typed)).to_be_visible()
    page.get_by_role("button", name="Save it now").click()
    expect(page.locator("form#right_service").get_by_label("Analysis")).to_have_value(typed)
    assert narratives_for(web_data.records, "2025-11")["right_service"].analysis == typed
    page.close()


def test_a_councillor_reads_the_overview_in_a_minute(
    browser: Browser, server: str, web_data: WebData
) -> None:
    """A panel member's overview: each indicator in one line with its figure (RAG and
    direction where there are), the theme's counts adding up to its indicators, and no
    child, worker or SQL anywhere."""
    page = sign_in(browser, server, "panel", web_data.passwords["panel"])
    tile = page.locator("article.tile").first
    listed = tile.locator("li").count()
    summary = tile.locator("p").nth(1).inner_text()
    assert summary.split(": ")[1].startswith(f"{listed} indicators"), summary
    open_indicator(page)
    expect(page.get_by_text("Explain: how the figure is computed")).to_have_count(0)
    expect(page.get_by_text("SELECT")).to_have_count(0)
    page.close()

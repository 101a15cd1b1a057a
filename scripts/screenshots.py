"""Screenshots of the dashboard's main pages for docs/img, from the demo's data.

    .venv/bin/python scripts/screenshots.py [DATA_DIR]   # default: scrutineer-data

Run `./scripts/demo --no-serve` first. Resets the demo users' passwords, serves the
dashboard on a free loopback port and photographs it with Debian's Chromium.
"""

from __future__ import annotations

import shutil
import socket
import sys
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import Page, sync_playwright

from scrutineer.demo import demo_users
from scrutineer.outputs.web.routes import create_app
from scrutineer.records.store import open_records
from scrutineer.settings import load_settings

OUT = Path(__file__).parent.parent / "docs" / "img"
SHOTS = (  # (user, path, file, full page[, window width: 1280 unless given])
    ("demo-manager", "/", "web-overview.png", False),
    ("demo-manager", "/indicators/cp_visits_10wd_pct?service=SVC-PC", "web-indicator.png", False),
    (
        "demo-manager",
        "/indicators/cp_visits_10wd_pct?service=SVC-PC&team=SVC-PC-1#bd-h",
        "web-exceptions.png",
        False,
    ),
    ("demo-manager", "/clinics/SVC-PC", "web-clinic.png", False),
    ("demo-panel", "/indicators/cp_visits_10wd_pct?service=SVC-PC", "web-panel.png", False),
    ("demo-analyst", "/snapshots", "web-snapshots.png", False),
    ("demo-analyst", "/qa", "web-qa.png", False),
    ("demo-analyst", "/qa/alerts?state=open", "web-qa-alerts.png", False),
    ("demo-scrutiny", "/governance/meetings/4", "web-meeting.png", True),
    ("demo-panel", "/governance/reviews/1", "web-review.png", False),
    ("demo-manager", "/indicators/cp_visits_10wd_pct", "web-indicator-375.png", False, 375),
    ("demo-panel", "/", "web-overview-375.png", False, 375),
)


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("scrutineer-data")
    settings = load_settings({"SCRUTINEER_DATA_DIR": str(data)})
    passwords = {user: password for user, _, password in demo_users(settings, "latest")}
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = create_app(settings, open_records(settings))
    app.state.web.cache.snapshot()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium"), args=["--no-sandbox"]
        )
        pages: dict[str, Page] = {}
        for user, path, name, full, *width in SHOTS:
            if user not in pages:
                pages[user] = browser.new_page(viewport={"width": 1280, "height": 900})
                page = pages[user]
                page.goto(base + "/login")
                page.get_by_label("Username").fill(user)
                page.get_by_label("Password").fill(passwords[user])
                page.get_by_role("button", name="Sign in").click()
                page.wait_for_url(base + "/")
            pages[user].set_viewport_size({"width": width[0] if width else 1280, "height": 900})
            pages[user].goto(base + path)
            pages[user].screenshot(path=str(OUT / name), full_page=full)
            print(f"wrote {OUT / name}")
        browser.close()
    server.should_exit = True


if __name__ == "__main__":
    main()

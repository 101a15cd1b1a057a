"""Render every page, its JSON twin and the reports from a prepared data folder, to compare
two versions of the code (tests/test_pages_unchanged.py runs this file with each version's
`src` first on the path). It uses only what every version has: settings, `create_app`, the
sign-in form and `make_report`.

    python tests/support/render_pages.py DATA_DIR OUT_DIR

DATA_DIR holds the snapshot, the records store and `pages.json` (the users' passwords and
the URLs to open); OUT_DIR receives one file per role and URL, tokens and clock times
replaced so that two renderings compare.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import UTC, datetime
from importlib import import_module
from pathlib import Path
from urllib.parse import quote

from httpx2 import Response
from starlette.testclient import TestClient

from scrutineer.calendar import Period
from scrutineer.outputs.report.make import make_report
from scrutineer.records.store import open_records
from scrutineer.settings import load_settings

TOKEN = re.compile(r'(name="csrf" value=")[^"]+|("csrf": ")[^"]+')
CLOCK = re.compile(r"\b\d{2}:\d{2}(:\d{2}(\.\d+)?)?\b")
REPORTS = (("board", "internal"), ("scrutiny", "public"))
RECORDS_AS_AT = datetime(2026, 4, 10, 9, 30, tzinfo=UTC)


def normal(text: str) -> str:
    """What differs from one rendering to the next whatever the code: tokens, times."""
    return CLOCK.sub("HH:MM", TOKEN.sub(lambda m: (m.group(1) or m.group(2)) + "TOKEN", text))


def render(data: Path, out: Path) -> None:
    try:  # where the version at hand keeps it
        create_app = import_module("scrutineer.outputs.web.routes").create_app
    except ImportError:
        create_app = import_module("scrutineer.outputs.web.app").create_app

    plan = json.loads((data / "pages.json").read_text(encoding="utf-8"))
    settings = load_settings({"SCRUTINEER_DATA_DIR": str(data)}, data / ".env")
    app = create_app(settings, open_records(settings))
    stranger = TestClient(app, base_url="https://testserver", follow_redirects=False)
    for url in ("/login", "/login?next=/qa", "/no/such/page", "/qa", "/api/overview"):
        write(out / "signed-out", url, stranger.get(url))
    for role, password in plan["passwords"].items():
        client = TestClient(app, base_url="https://testserver", follow_redirects=False)
        form = client.get("/login").text
        token = re.search(r'name="csrf" value="([^"]+)"', form)
        assert token, "no sign-in form"
        done = client.post(
            "/login",
            data={"username": role, "password": password, "csrf": token.group(1), "next": "/"},
        )
        assert done.status_code == 303, f"{role} could not sign in"
        for url in plan["urls"]:
            for shown in (url, "/api/overview" if url == "/" else "/api" + url):
                write(out / role, shown, client.get(shown))
    month = Period.parse(plan["month"])
    for layout, edition in REPORTS:
        written = make_report(
            settings,
            out / f"report-{layout}-{edition}.html",
            layout,
            edition,
            month,
            records_as_at=RECORDS_AS_AT,
        )
        written.write_text(normal(written.read_text(encoding="utf-8")), encoding="utf-8")


def write(folder: Path, url: str, response: Response) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    body = f"{response.status_code} {response.headers.get('location', '')}\n{normal(response.text)}"
    (folder / quote(url, safe="")).write_text(body, encoding="utf-8")


if __name__ == "__main__":
    render(Path(sys.argv[1]), Path(sys.argv[2]))

"""The dashboard: every route as every role, sign-in and forms, suppression, one computation.

The roles each route admits are written out here by hand (not read from access.py), so a
change to the permissions that opens a page to the wrong role fails a test.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session as SqlSession
from starlette.testclient import TestClient

from scrutineer.assess.targets import TargetStore, read_targets
from scrutineer.calendar import Period
from scrutineer.catalogue.load import load_catalogue
from scrutineer.demo import demo_users
from scrutineer.engine.session import open_session
from scrutineer.outputs.web.posting import Posted
from scrutineer.outputs.web.routes import FORMS, PAGES, create_app
from scrutineer.outputs.web.serve import first_admin
from scrutineer.records import models
from scrutineer.records.access_log import recent_access
from scrutineer.records.narratives import narratives_for
from scrutineer.records.roles import ROLES
from scrutineer.records.sessions import end_session
from scrutineer.records.users import (
    MAX_FAILED_LOGINS,
    add_user,
    check_password,
    list_users,
)
from tests.support.paths import ROOT
from tests.support.web import WebData, client, csrf_of, sign_in

KPI = "cp_visits_10wd_pct"  # has an exception list
DEMO_TARGETS = ROOT / "src" / "scrutineer" / "assess" / "data" / "demo_targets.csv"
ALL = set(ROLES)
CHILD_LEVEL = {"admin", "analyst", "manager", "auditor", "iro"}  # not scrutiny, panel, viewer
ALLOWED = {  # route name -> the roles that may open it
    "overview": ALL,
    "indicator": ALL,
    "clinics": CHILD_LEVEL,
    "clinic": CHILD_LEVEL,
    "qa": ALL,
    "audits": CHILD_LEVEL,
    "alerts": CHILD_LEVEL,
    "qa_child": CHILD_LEVEL,
    "audit_form": {"admin", "auditor"},
    "alert_form": {"admin", "iro"},
    "governance": ALL,
    "meeting": ALL,
    "panel": ALL,
    "review": ALL,
    "recommendations": ALL,
    "snapshots": {"admin", "analyst"},
    "snapshot": {"admin", "analyst"},
    "narratives": {"admin", "analyst"},
    "inspection": {"admin", "analyst"},
    "users": {"admin"},
    "access_log": {"admin"},
}


@pytest.fixture(scope="module")
def app(web_data: WebData) -> Any:
    return create_app(web_data.settings, web_data.records)


@pytest.fixture(scope="module")
def clients(app: Any, web_data: WebData) -> Iterator[dict[str, TestClient]]:
    yield {role: sign_in(app, role, web_data.passwords[role]) for role in ROLES}


def paths(web_data: WebData) -> dict[str, str]:
    """A concrete URL for every page."""
    return {
        "qa": "/qa",
        "audits": "/qa/audits",
        "alerts": "/qa/alerts?state=open",
        "qa_child": f"/qa/children/{web_data.child}",
        "audit_form": "/qa/audits/new",
        "alert_form": "/qa/alerts/new",
        "governance": "/governance",
        "meeting": f"/governance/meetings/{web_data.meeting}",
        "panel": f"/governance/panels/{web_data.panel}",
        "review": f"/governance/reviews/{web_data.review}",
        "recommendations": "/governance/recommendations",
        "overview": "/",
        "indicator": f"/indicators/{KPI}",
        "clinics": "/clinics",
        "clinic": f"/clinics/{web_data.service}",
        "snapshots": "/snapshots",
        "snapshot": "/snapshots/latest",
        "narratives": "/narratives",
        "inspection": "/inspection",
        "users": "/admin/users",
        "access_log": "/admin/access-log",
    }


def api(path: str) -> str:
    return "/api/overview" if path == "/" else "/api" + path


def forbidden_strings(web_data: WebData, app: Any) -> set[str]:
    """Children's names and workers' names: never shown to councillors or the public."""
    cache = app.state.web.cache
    figures = cache.snapshot()
    names = {
        row.name
        for kpi in cache.catalogue
        if kpi.exceptions and not kpi.from_records
        for row in cache.exceptions(figures, kpi, figures.latest)
        if row.name
    }
    workers = {
        str(dict(v.group)["worker"])
        for (kpi, level), values in figures.values.items()
        if level == "worker"
        for v in values
        if dict(v.group).get("worker_id")
    }
    assert len(names) > 50 and len(workers) > 10  # the check below has something to find
    return names | workers


def test_every_page_is_in_the_matrix() -> None:
    assert {p.name for p in PAGES} == set(ALLOWED)


@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
def test_every_route_as_every_role(
    role: str, app: Any, clients: dict[str, TestClient], web_data: WebData
) -> None:
    c = clients.get(role) or client(app)
    hidden = forbidden_strings(web_data, app) if role in ("panel", "viewer") else set()
    for name, path in paths(web_data).items():
        for url in (path, api(path)):
            got = c.get(url)
            if role == "anonymous":
                expected = 401 if url.startswith("/api") else 303
                assert got.status_code == expected, url
                if expected == 303:
                    assert got.headers["location"].startswith("/login?next=")
                continue
            expected = 200 if role in ALLOWED[name] else 403
            assert got.status_code == expected, f"{role} {url}: {got.status_code}"
            if role not in CHILD_LEVEL:  # no child-level list, in either form
                assert '"person_id"' not in got.text and 'class="exceptions"' not in got.text
            leaked = [s for s in hidden if s in got.text]
            assert not leaked, f"{role} sees {leaked[:3]} on {url}"


GOVERNANCE = {"admin", "scrutiny"}
POSTED = {  # (path, the fields that pick the action) -> the roles that may post it
    ("/logout", ""): ALL,
    ("/account/password", ""): ALL,
    ("/narratives", ""): {"admin", "analyst"},
    ("/clinics/{service}/actions", ""): {"admin", "manager"},
    ("/admin/users", ""): {"admin"},
    ("/qa/audits", ""): {"admin", "auditor"},
    ("/qa/audits/moderate", ""): {"admin", "auditor"},
    ("/qa/audits/actions", "step=add"): {"admin", "auditor"},
    ("/qa/alerts", ""): {"admin", "iro"},
    ("/qa/alerts/stage", "action=escalate"): {"admin", "iro"},
    ("/qa/alerts/stage", "action=respond"): {"admin", "manager"},
    ("/qa/adjournments", ""): {"admin", "iro"},
    **{
        (f"/governance/{path}", ""): GOVERNANCE
        for path in (
            "panels",
            "seats",
            "seats/end",
            "meetings",
            "resolutions",
            "agenda",
            "attendance",
            "declarations",
            "minutes",
            "accept",
            "reviews",
            "reviews/recommendations",
        )
    },
}


def test_every_posted_form_is_in_the_matrix() -> None:
    posted = {f.path for f in FORMS if isinstance(f, Posted)}
    # an update is its item's owner's or the officer's: checked by the action once it has
    # found the item (test_governance.py)
    assert posted == {path for path, _ in POSTED} | {"/governance/updates"}


@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
def test_every_posted_form_as_every_role(role: str, app: Any, web_data: WebData) -> None:
    """With the session's token, a role the form is not for is refused (403) before the
    form is read; one it is for gets past (the empty form is then wrong: 400 or 404); no
    one signed in goes to sign in. The password form's two new passwords differ, so no
    one's password is tried."""
    c = client(app) if role == "anonymous" else sign_in(app, role, web_data.passwords[role])
    token = "" if role == "anonymous" else c.get("/api/session").json()["csrf"]
    for (path, choice), allowed in sorted(POSTED.items(), key=lambda c: c[0][0] == "/logout"):
        fields = dict([choice.split("=")] if choice else [])
        fields |= {"csrf": token, "chosen": "one-new-password", "again": "another-password"}
        got = c.post(path.replace("{service}", web_data.service), data=fields)
        if role == "anonymous":
            assert (got.status_code, got.headers["location"]) == (303, "/login?next=%2F"), path
        elif role in allowed:
            assert got.status_code in (303, 400, 404), f"{role} {path} {choice}: {got.text}"
        else:
            assert got.status_code == 403, f"{role} {path} {choice}: {got.status_code}"


def test_a_manager_sees_only_their_services_children(
    clients: dict[str, TestClient], web_data: WebData, app: Any
) -> None:
    manager = clients["manager"]
    assert manager.get(f"/clinics/{web_data.other_service}").status_code == 403
    assert manager.get(f"/api/clinics/{web_data.other_service}").status_code == 403
    services = dict(app.state.web.cache.snapshot().services())
    page = manager.get(f"/api/indicators/{KPI}").json()
    rows = page["exceptions"]["rows"]
    assert rows, "the manager's service has children overdue for this indicator"
    assert {r["service"] for r in rows} == {services[web_data.service]}
    everyone = clients["analyst"].get(f"/api/indicators/{KPI}").json()["exceptions"]["rows"]
    assert len(everyone) > len(rows)  # others' children exist, and are not shown
    # asking for another service's list by URL shows none of its children
    other = manager.get(f"/api/indicators/{KPI}?service={web_data.other_service}").json()
    assert other["exceptions"]["rows"] == []
    clinics = manager.get("/api/clinics").json()["services"]
    assert [s["id"] for s in clinics] == [web_data.service]
    # the other service's list, asked for by URL, says there are children there it does not
    # list (not "no child misses this indicator"); the page says how many
    assert other["exceptions"]["not_chosen"] == len(rows)
    page_text = manager.get(f"/indicators/{KPI}?service={web_data.other_service}").text
    assert f"None in the team or service chosen this month; {len(rows)} in the rest" in page_text
    assert page["exceptions"]["elsewhere"] == len(everyone) - len(rows)


def test_child_level_views_are_logged(clients: dict[str, TestClient], web_data: WebData) -> None:
    before = len(recent_access(web_data.records, 10_000))
    clients["iro"].get(f"/indicators/{KPI}")
    clients["manager"].get(f"/clinics/{web_data.service}")
    clients["panel"].get(f"/indicators/{KPI}")  # sees no child: nothing to log
    log = recent_access(web_data.records, 10_000)
    assert len(log) == before + 2
    assert (log[1].username, log[1].action) == ("iro", "exception list")
    assert log[1].subject.startswith(KPI)
    assert (log[0].username, log[0].action) == ("manager", "clinic")
    admin_view = clients["admin"].get("/api/admin/access-log").json()["entries"]
    assert admin_view[0]["username"] == "manager"


def test_figures_are_the_engines(
    clients: dict[str, TestClient], web_data: WebData, app: Any
) -> None:
    """The page's figure is the `kpi` command's, overall and by service."""
    page = clients["analyst"].get(f"/api/indicators/{KPI}").json()
    session = open_session(web_data.settings)
    try:
        kpi = session.engine.catalogue.get(KPI)
        month = Period.parse(page["period"])
        overall = session.engine.kpi_values(kpi, month, month)[0]
        by_service = session.engine.kpi_values(kpi, month, month, by="service")
    finally:
        session.close()
    assert page["series"][-1]["value"] == overall.value
    assert page["series"][-1]["numerator"] == overall.numerator
    assert {r["id"]: r["value"] for r in page["breakdown"]["rows"]} == {
        dict(v.group)["service_id"]: v.value for v in by_service
    }
    rows = page["exceptions"]["rows"]
    assert len(rows) == overall.denominator - overall.numerator  # type: ignore[operator]


def test_the_drill_goes_service_team_worker_and_stops_at_team_for_councillors(
    clients: dict[str, TestClient], web_data: WebData
) -> None:
    analyst, panel = clients["analyst"], clients["panel"]
    teams = analyst.get(f"/api/indicators/{KPI}?service={web_data.service}").json()
    assert teams["breakdown"]["level"] == "team"
    team = teams["breakdown"]["rows"][0]["id"]
    url = f"/api/indicators/{KPI}?service={web_data.service}&team={team}"
    workers = analyst.get(url).json()
    assert workers["breakdown"]["level"] == "worker"
    assert all(r["name"] for r in workers["breakdown"]["rows"])
    assert panel.get(url).json()["breakdown"]["level"] == "team"


def small_team_figure(app: Any) -> tuple[str, str]:
    """An indicator and service with a team whose figure comes from fewer than 5 children."""
    figures = app.state.web.cache.snapshot()
    for (kpi, level), values in sorted(figures.values.items()):
        for v in values:
            if level == "team" and v.period == str(figures.latest) and v.denominator:
                if 0 < v.denominator < 5 and v.value is not None:
                    return kpi, str(dict(v.group)["service_id"])
    raise AssertionError("no small team figure in the latest month")


def test_councillors_see_small_numbers_suppressed(clients: dict[str, TestClient], app: Any) -> None:
    kpi, service = small_team_figure(app)
    url = f"/api/indicators/{kpi}?service={service}"
    analyst_rows = clients["analyst"].get(url).json()["breakdown"]["rows"]
    panel_rows = clients["panel"].get(url).json()["breakdown"]["rows"]
    small = [r for r in analyst_rows if r["denominator"] and 0 < r["denominator"] < 5]
    hidden = [r for r in panel_rows if r["shown"] == "*"]
    assert small and len(hidden) >= len(small)
    assert all(r["value"] is None and r["denominator"] is None for r in hidden)
    assert {r["name"] for r in small} <= {r["name"] for r in hidden}
    # one hidden row among others could be worked out from the service's total
    assert len(hidden) != 1 or len(panel_rows) == 1
    assert not any(r["shown"] == "*" for r in analyst_rows)  # child-level roles see all
    html = clients["panel"].get(url.removeprefix("/api")).text
    assert '<td class="num">*</td>' in html


def test_the_period_and_snapshot_are_in_the_url(
    clients: dict[str, TestClient], web_data: WebData
) -> None:
    analyst = clients["analyst"]
    latest = analyst.get("/api/overview").json()
    earlier = latest["periods"][3]
    page = analyst.get(f"/api/overview?period={earlier}&snapshot={latest['snapshot']}").json()
    assert page["period"] == earlier and page["snapshot"] == latest["snapshot"]
    assert analyst.get("/api/overview?period=2026-13").status_code == 400
    assert analyst.get("/api/overview?period=1999-01").status_code == 404
    assert analyst.get("/api/overview?snapshot=s9999").status_code == 404
    assert analyst.get("/api/indicators/no_such_kpi").status_code == 404
    html = analyst.get(f"/?period={earlier}").text
    assert f'<option value="{earlier}" selected>' in html
    assert f'href="/indicators/{KPI}?period={earlier}"' in analyst.get(f"/?period={earlier}").text


def test_the_overview_lists_every_indicator_in_one_list(clients: dict[str, TestClient]) -> None:
    page = clients["viewer"].get("/api/overview").json()
    listed = [t["kpi"] for items in page["lists"].values() for t in items]
    tiles = [t["kpi"] for theme in page["themes"] for t in theme["indicators"]]
    assert len(tiles) == len(load_catalogue()) and len(set(tiles)) == len(tiles)
    assert set(listed) <= set(tiles) and len(set(listed)) == len(listed)
    html = clients["viewer"].get("/").text
    for theme in page["themes"]:
        assert f">{theme['title']}</h3>" in html


def test_signing_in_sets_a_safe_cookie_and_redirects_only_here(app: Any, web_data: WebData) -> None:
    c = client(app)
    token = csrf_of(c.get("/login").text)
    done = c.post(
        "/login",
        data={
            "username": "viewer",
            "password": web_data.passwords["viewer"],
            "csrf": token,
            "next": "//elsewhere.example/",
        },
    )
    assert done.headers["location"] == "/"
    cookie = done.headers["set-cookie"].lower()
    assert "scrutineer_session=" in cookie
    assert all(flag in cookie for flag in ("httponly", "secure", "samesite=lax"))
    page = c.get("/")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"


def test_sign_in_needs_the_forms_token(app: Any, web_data: WebData) -> None:
    c = client(app)
    c.get("/login")
    got = c.post("/login", data={"username": "viewer", "password": web_data.passwords["viewer"]})
    assert got.status_code == 400
    assert "scrutineer_session" not in got.headers.get("set-cookie", "")


def test_forms_need_the_sessions_csrf_token(app: Any, web_data: WebData) -> None:
    analyst = sign_in(app, "analyst", web_data.passwords["analyst"])
    fields = {"theme": "right_service", "period": "2026-02", "analysis": "Forged.", "actions": ""}
    assert analyst.post("/narratives", data=fields).status_code == 403
    assert analyst.post("/narratives", data={**fields, "csrf": "guess"}).status_code == 403
    assert "right_service" not in narratives_for(web_data.records, "2026-02")
    token = csrf_of(analyst.get("/narratives").text)
    fields["analysis"] = "Contacts rose after the schools returned."
    saved = analyst.post("/narratives", data={**fields, "csrf": token})
    assert saved.status_code == 303
    written = narratives_for(web_data.records, "2026-02")["right_service"]
    assert (written.analysis, written.written_by) == (fields["analysis"], "Test analyst")
    viewer = sign_in(app, "viewer", web_data.passwords["viewer"])
    token = csrf_of(viewer.get("/").text)  # the sign-out form carries it
    assert viewer.post("/narratives", data={**fields, "csrf": token}).status_code == 403
    # a theme no report prints, or a month the dashboard does not show: refused, not stored
    token = csrf_of(analyst.get("/narratives").text)
    for wrong in ({"theme": "front_door"}, {"period": "2031-03"}):
        refused = analyst.post("/narratives", data={**fields, **wrong, "csrf": token})
        assert refused.status_code == 400, wrong
    assert set(narratives_for(web_data.records, "2031-03")) == set()


def test_signing_out_ends_the_session(app: Any, web_data: WebData) -> None:
    c = sign_in(app, "auditor", web_data.passwords["auditor"])
    stolen = c.cookies.get("scrutineer_session")
    assert c.post("/logout", data={}).status_code == 403  # no token: still signed in
    assert c.get("/").status_code == 200
    assert c.post("/logout", data={"csrf": csrf_of(c.get("/").text)}).status_code == 303
    replay = client(app)
    replay.cookies.set("scrutineer_session", stolen or "", domain="testserver")
    assert replay.get("/").status_code == 303


def test_lockout_after_failed_logins_and_an_admin_unlocks(app: Any, web_data: WebData) -> None:
    add_user(web_data.records, "locky", "Locky", "viewer", "right-password-1")
    c = client(app)
    for _ in range(MAX_FAILED_LOGINS):
        token = csrf_of(c.get("/login").text)
        bad = c.post("/login", data={"username": "locky", "password": "wrong", "csrf": token})
        assert bad.status_code == 401
    token = csrf_of(c.get("/login").text)
    right = {"username": "locky", "password": "right-password-1", "csrf": token}
    assert c.post("/login", data=right).status_code == 401  # locked, even with the password
    admin = sign_in(app, "admin", web_data.passwords["admin"])
    users = admin.get("/api/admin/users").json()["users"]
    assert next(u for u in users if u["username"] == "locky")["locked"] is True
    token = csrf_of(admin.get("/admin/users").text)
    admin.post("/admin/users", data={"action": "unlock", "username": "locky", "csrf": token})
    sign_in(app, "locky", "right-password-1")


def test_an_admin_adds_and_disables_users(app: Any, web_data: WebData) -> None:
    admin = sign_in(app, "admin", web_data.passwords["admin"])
    token = csrf_of(admin.get("/admin/users").text)
    added = admin.post(
        "/admin/users",
        data={
            "action": "add",
            "username": "newmanager",
            "display_name": "New Manager",
            "role": "manager",
            "services": [web_data.other_service],
            "csrf": token,
        },
    )
    assert added.status_code == 200  # shown on the page, never put in a URL
    password = re.search(r"password \(shown once\): (\S+)<", added.text)
    assert password
    newcomer = sign_in(app, "newmanager", password.group(1))
    assert newcomer.get(f"/clinics/{web_data.other_service}").status_code == 200
    assert newcomer.get(f"/clinics/{web_data.service}").status_code == 403
    admin.post("/admin/users", data={"action": "disable", "username": "newmanager", "csrf": token})
    assert newcomer.get("/").status_code == 303  # the session ends at once
    assert not next(u for u in list_users(web_data.records) if u.username == "newmanager").active


def test_the_first_administrator_is_made_once(tmp_path: Any) -> None:
    from scrutineer.records.store import open_records
    from scrutineer.settings import load_settings

    records = open_records(load_settings({"SCRUTINEER_DATA_DIR": str(tmp_path)}, tmp_path / "x"))
    password = first_admin(records)
    assert password and len(password) >= 10
    assert [(u.username, u.role) for u in list_users(records)] == [("admin", "admin")]
    assert first_admin(records) is None


def test_the_demo_has_a_user_for_every_role_with_new_passwords_each_run(
    web_data: WebData,
) -> None:
    first = demo_users(web_data.settings, "latest")
    assert [role for _, role, _ in first] == list(ROLES)
    again = dict((user, password) for user, _, password in demo_users(web_data.settings, "latest"))
    users = {u.username: u for u in list_users(web_data.records)}
    for user, role, password in first:
        assert users[user].role == role
        assert check_password(web_data.records, user, password) is None  # replaced
        assert check_password(web_data.records, user, again[user]) is not None
    assert len(users["demo-manager"].services) == 1  # the service with most teams


def test_the_worker_processes_socket_sends_small_responses_at_once() -> None:
    """Named TCP, so asyncio switches Nagle's algorithm off on every connection (with it on,
    a small response waited 40 ms for the client's delayed acknowledgement)."""
    import socket

    from scrutineer.outputs.web.serve import listening_socket

    listening = listening_socket("127.0.0.1", 0)
    try:
        assert listening.proto == socket.IPPROTO_TCP
        assert listening.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    finally:
        listening.close()


def test_a_snapshots_data_quality_for_analysts(
    clients: dict[str, TestClient], web_data: WebData
) -> None:
    page = clients["analyst"].get("/snapshots/latest")
    assert page.status_code == 200
    assert "Values not mapped to a code (0)" in page.text and "pers_person_id" in page.text
    data = clients["analyst"].get("/api/snapshots/latest").json()
    person = next(t for t in data["tables"] if t["table"] == "ssd_person")
    ids = next(c for c in person["columns"] if c["column"] == "pers_person_id")
    assert ids["rows"] == ids["filled"] > 0 and ids["share_filled"] == 100.0
    download = clients["analyst"].get("/snapshots/latest/quality.csv")
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    lines = download.text.splitlines()
    assert lines[0].startswith("table,column,in_file,rows,filled,placeholders,unmapped")
    assert len(lines) - 1 == sum(len(t["columns"]) for t in data["tables"])
    assert clients["scrutiny"].get("/snapshots/latest/quality.csv").status_code == 403
    assert clients["analyst"].get("/snapshots/s9999/quality.csv").status_code == 404


def test_an_indicator_page_says_where_its_definition_comes_from(
    clients: dict[str, TestClient],
) -> None:
    page = clients["panel"].get(f"/indicators/{KPI}")
    kpi = load_catalogue().get(KPI)
    assert f"Where the definition comes from: {kpi.source}." in html.unescape(page.text)


def test_a_user_changes_their_own_password_and_an_admin_resets_and_enables(
    app: Any, web_data: WebData
) -> None:
    add_user(web_data.records, "changer", "Changer", "analyst", "changer-pass-1")
    user = sign_in(app, "changer", "changer-pass-1")
    page = user.get("/account")
    assert page.status_code == 200 and "Change your password" in page.text
    form = {"csrf": csrf_of(page.text), "current": "wrong-pass-1", "chosen": "changer-pass-2"}
    wrong = user.post("/account/password", data={**form, "again": "changer-pass-2"})
    assert wrong.status_code == 400 and "current password is not right" in wrong.text
    differ = user.post("/account/password", data={**form, "again": "something-else"})
    assert differ.status_code == 400 and "The two new passwords differ" in differ.text
    right = {**form, "current": "changer-pass-1", "again": "changer-pass-2"}
    done = user.post("/account/password", data=right)
    assert done.status_code == 303 and check_password(web_data.records, "changer", "changer-pass-2")
    # what the action said is on the page it goes to, once, as a confirmation
    said = '<div class="message" role="status">Password changed.</div>'
    assert said in user.get(done.headers["location"]).text
    assert "Password changed." not in user.get("/account").text

    admin = sign_in(app, "admin", web_data.passwords["admin"])
    token = csrf_of(admin.get("/admin/users").text)
    sent = {"csrf": token, "username": "changer"}
    assert admin.post("/admin/users", data={**sent, "action": "disable"}).status_code == 303
    assert "Enable changer" in admin.get("/admin/users").text
    assert admin.post("/admin/users", data={**sent, "action": "enable"}).status_code == 303
    reset = admin.post("/admin/users", data={**sent, "action": "reset"})
    given = re.search(r"New password for changer \(shown once\): (\S+)<", reset.text)
    assert reset.status_code == 200 and given, reset.text[-500:]
    assert check_password(web_data.records, "changer", html.unescape(given.group(1)))


def test_a_refused_request_is_logged(clients: dict[str, TestClient], web_data: WebData) -> None:
    panel = clients["panel"]
    assert panel.get("/qa/audits").status_code == 403  # a councillor: no child-level lists
    latest = recent_access(web_data.records, limit=5)
    assert ("panel", "refused", "/qa/audits") in [(a.username, a.action, a.subject) for a in latest]


def test_only_the_site_puts_words_in_its_message_box(app: Any, web_data: WebData) -> None:
    """A link cannot put words in the box the site's own confirmations use (the query
    string is not read for them); a problem is shown as a problem, not in green."""
    viewer = sign_in(app, "viewer", web_data.passwords["viewer"])
    forged = "Your account is suspended: phone 0800 000 000"
    for path in ("/", "/qa", "/governance", "/account"):
        page = viewer.get(path, params={"message": forged}).text
        assert forged not in page and 'class="message' not in page, path
    stranger = client(app)
    token = csrf_of(stranger.get("/login").text)
    wrong = {"username": "viewer", "password": "not-it", "csrf": token, "next": "/"}
    refused = stranger.post("/login", data=wrong)
    assert refused.status_code == 401
    assert '<div class="message problem" role="alert">Wrong username or password' in refused.text
    admin = sign_in(app, "admin", web_data.passwords["admin"])
    token = csrf_of(admin.get("/admin/users").text)
    nobody = {"csrf": token, "username": "nobody-at-all", "action": "disable"}
    gone = admin.post("/admin/users", data=nobody)
    assert gone.status_code == 303 and "message=" not in gone.headers["location"]
    assert 'class="message problem" role="alert"' in admin.get(gone.headers["location"]).text


def test_a_session_that_ended_is_said_and_leads_back(app: Any, web_data: WebData) -> None:
    """A browser whose session has ended (expired, or signed out elsewhere) is told so at
    the sign-in page, and sent back after it: from a page, to that page; from a form, to the
    page the form was on (what the form sent is kept: the test below)."""
    ended = sign_in(app, "analyst", web_data.passwords["analyst"])
    token = csrf_of(ended.get("/narratives").text)
    end_session(web_data.records, ended.cookies.get("scrutineer_session") or "")
    page = ended.get("/qa/audits?grade=good")
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=%2Fqa%2Faudits%3Fgrade%3Dgood&ended=1"
    told = ended.get(page.headers["location"]).text
    assert "Your session had ended" in told and 'value="/qa/audits?grade=good"' in told
    fields = {"csrf": token, "theme": "right_service", "period": "2026-02", "analysis": "Lost?"}
    posted = ended.post(
        "/narratives",
        data=fields,
        headers={"referer": "https://testserver/narratives?period=2026-02"},
    )
    assert posted.status_code == 401 and "Your session had ended" in posted.text
    assert 'name="next" value="/narratives?period=2026-02"' in html.unescape(posted.text)
    never = client(app)  # no session at all: nothing ended
    assert never.get("/qa").headers["location"] == "/login?next=%2Fqa"
    assert "Your session had ended" not in never.get("/login?next=/qa").text


def test_pages_that_are_not_there_say_so_in_plain_words(app: Any, web_data: WebData) -> None:
    """An address with no page, an indicator or snapshot that does not exist: a page in
    the site's frame that says so without a command of the server."""
    analyst = sign_in(app, "analyst", web_data.passwords["analyst"])
    for path, said in (
        ("/no/such/page", "There is no page at this address"),
        ("/indicators/no_such_kpi", "There is no indicator 'no_such_kpi'"),
        ("/?snapshot=s9999", "There is no snapshot 's9999'"),
    ):
        page = analyst.get(path)
        assert page.status_code == 404 and said in html.unescape(page.text), path
        assert "<title>Not found · Scrutineer</title>" in page.text and 'class="error"' in page.text
        assert "scrutineer " not in page.text.lower().replace("scrutineer</", ""), path
        assert "Sign out" in page.text  # the frame, with the menu
    api = analyst.get("/api/indicators/no_such_kpi")
    assert api.status_code == 404 and "Run `scrutineer" not in api.json()["error"]
    assert analyst.get("/api/no/such/page").json() == {
        "error": "There is no page at this address. The menu, or the overview, leads to every page."
    }
    stranger = client(app).get("/no/such/page")
    assert stranger.status_code == 404 and "There is no page at this address" in stranger.text


def test_what_was_typed_when_the_session_ended_is_kept_to_be_saved(
    app: Any, web_data: WebData
) -> None:
    """An analysis typed while the session ran out: the save is refused (nothing stored),
    the sign-in form keeps what was sent and says so, and once signed in it is shown with
    a form (this session's token) that saves it; a wrong password keeps it too."""
    writer = sign_in(app, "analyst", web_data.passwords["analyst"])
    token = csrf_of(writer.get("/narratives").text)
    end_session(web_data.records, writer.cookies.get("scrutineer_session") or "")
    typed = "Contacts from schools rose 14% after the half-term: a briefing to heads agreed."
    fields = {"csrf": token, "theme": "right_service", "period": "2026-01", "analysis": typed}
    ended = writer.post("/narratives", data=fields)
    assert ended.status_code == 401 and "What you sent is kept" in ended.text
    assert "right_service" not in narratives_for(web_data.records, "2026-01")
    kept = re.search(r'name="draft" value="([^"]+)"', ended.text)
    assert kept is not None
    draft = html.unescape(kept.group(1))
    assert typed in draft and token not in draft
    again = {"csrf": csrf_of(ended.text), "next": "/narratives", "draft": draft}
    wrong = writer.post("/login", data={**again, "username": "analyst", "password": "nope"})
    assert wrong.status_code == 401 and 'name="draft"' in wrong.text
    again["csrf"] = csrf_of(wrong.text)
    right = {**again, "username": "analyst", "password": web_data.passwords["analyst"]}
    shown = writer.post("/login", data=right)
    assert shown.status_code == 200 and typed in html.unescape(shown.text)
    assert 'action="/narratives"' in shown.text
    saving = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', shown.text))
    assert saving["csrf"] != token  # the new session's
    saved = writer.post("/narratives", data={k: html.unescape(v) for k, v in saving.items()})
    assert saved.status_code == 303
    assert narratives_for(web_data.records, "2026-01")["right_service"].analysis == typed


@pytest.fixture
def demo_targets(web_data: WebData) -> Iterator[None]:
    """The demo's targets, for one test; the targets before put back after it."""
    store = TargetStore(web_data.records, load_catalogue())
    before = store.all()
    store.replace(read_targets(DEMO_TARGETS.read_text("utf-8"), store.catalogue))
    yield
    store.replace(before)


def test_a_clinic_rates_each_team_against_the_target_worst_first(
    demo_targets: None, web_data: WebData
) -> None:
    """Each team's percentage against the authority's target (5 points short is amber's
    edge, PERCENT_BAND), with its direction; the indicators with most teams red come first;
    no rate per 10,000 (a team has no population) and no count judged against a target set
    for the whole authority."""
    app = create_app(web_data.settings, web_data.records)
    manager = sign_in(app, "manager", web_data.passwords["manager"])
    clinic = manager.get(f"/api/clinics/{web_data.service}").json()
    units = {k.id: k for k in app.state.web.cache.catalogue}
    rows = clinic["indicators"]
    assert rows and not [r for r in rows if units[r["kpi"]].unit == "rate_per_10k"]
    reds = [sum(c["rag"] == "red" for c in r["teams"]) for r in rows]
    assert reds == sorted(reds, reverse=True) and reds[0] > 0
    checked = 0
    for row in rows:
        kpi = units[row["kpi"]]
        if kpi.unit != "percent" or row["target"] is None:
            assert kpi.unit == "average" or all(c["rag"] is None for c in row["teams"]), row
            continue
        target = float(row["target"].rstrip("%"))
        for cell in row["teams"]:
            if not cell["shown"].endswith("%") or target in (0, 100):  # a limit: tolerance
                continue
            shown = float(cell["shown"].rstrip("%"))
            short_of = target - shown if kpi.polarity == "higher" else shown - target
            if min(abs(short_of), abs(short_of - 5)) > 0.1:  # not on an edge, once rounded
                expected = "green" if short_of <= 0 else "amber" if short_of <= 5 else "red"
                assert cell["rag"] == expected, (row["kpi"], cell, target)
                checked += 1
    assert checked > 5  # the check above had teams to judge
    page = manager.get(f"/clinics/{web_data.service}").text
    assert '<span class="rag red">red</span>' in page and '<th scope="col">Target</th>' in page


def test_a_councillor_reads_no_developer_text(clients: dict[str, TestClient]) -> None:
    """Every page a councillor opens (and its JSON twin): no command, file of the project,
    setting or stand-in code (tests/test_report.py: DEVELOPER_TEXT)."""
    from tests.test_report import DEVELOPER_TEXT

    panel = clients["panel"]
    for path in ("/", f"/indicators/{KPI}", "/qa", "/governance", "/governance/recommendations"):
        shown = re.sub(r"<[^>]+>", " ", panel.get(path).text)
        found = sorted({m.group(0) for m in DEVELOPER_TEXT.finditer(html.unescape(shown))})
        assert not found, f"{path} says {found}"


def test_a_theme_card_counts_add_up_to_its_indicators(clients: dict[str, TestClient]) -> None:
    """A theme's summary counts every one of its indicators (context ones included), so it
    agrees with the card's list (it said "of 5 indicators" above "9 indicators")."""
    for theme in clients["analyst"].get("/api/overview").json()["themes"]:
        total = len(theme["indicators"])
        summary = theme["summary"]
        assert summary.startswith(f"{theme['title']}: {total} indicators, "), summary
        counted = summary.split(" Need to do better:")[0].split(" indicators, ")[1]
        numbers = [int(n) for n in re.findall(r"(\d+) [a-z]", counted)]
        assert sum(numbers) == total or "context only this month" in counted, summary


def test_a_manager_chooses_sorts_and_downloads_the_overdue_list(
    clients: dict[str, TestClient], web_data: WebData, app: Any
) -> None:
    """The clinic's overdue children for one team or worker, in the order asked; the same
    children downloaded as CSV and Excel (formula-safe), each download logged with its rows;
    a child's id leads to their page; another service's list is refused."""
    manager = clients["manager"]
    clinic = f"/clinics/{web_data.service}"
    page = manager.get(f"/api{clinic}").json()
    every = manager.get(f"/api{clinic}?sort=team").json()
    assert page["overdue"] == every["overdue"] > 0
    teams = [r["team"] for r in every["worst"]]
    assert teams == sorted(teams)  # by team, then most overdue
    days = [r["days_overdue"] or 0 for r in page["worst"]]
    assert days == sorted(days, reverse=True)  # most overdue first unless asked
    team = next(t for t in page["teams"] if t["name"] == page["worst"][0]["team"])
    one = manager.get(f"/api{clinic}?team={team['id']}").json()
    assert {r["team"] for r in one["worst"]} == {team["name"]} and one["chosen"]["team"] == team[
        "id"
    ]
    worker = page["worst"][0]["worker"]
    theirs = manager.get(f"/api{clinic}", params={"worker": worker}).json()
    assert {r["worker"] for r in theirs["worst"]} == {worker}
    assert manager.get(f"/api{clinic}?team=NO-SUCH-TEAM").status_code == 404
    before = len(recent_access(web_data.records, 10_000))
    got = manager.get(f"{clinic}/overdue.csv?team={team['id']}")
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    lines = list(csv.DictReader(io.StringIO(got.text)))
    assert len(lines) == one["overdue"] and {r["Team"] for r in lines} == {team["name"]}
    assert set(lines[0]) == {
        "Indicator",
        "Child",
        "Name",
        "Age",
        "Service",
        "Team",
        "Worker",
        "Due",
        "Days overdue",
        "Dates",
    }
    book = manager.get(f"{clinic}/overdue.xlsx?team={team['id']}")
    sheet = load_workbook(io.BytesIO(book.content)).active
    assert sheet is not None and sheet.max_row == one["overdue"] + 1
    logged = recent_access(web_data.records, 10_000)[
        : len(recent_access(web_data.records, 10_000)) - before
    ]
    assert {
        (a.action, a.subject.split(":")[1].strip()) for a in logged if a.action == "download"
    } == {("download", f"{one['overdue']} rows")}
    html_page = manager.get(clinic).text
    assert f'<a href="/qa/children/{page["worst"][0]["person_id"]}">' in html_page
    assert f"{clinic}/overdue.csv" in html_page
    assert manager.get(f"/clinics/{web_data.other_service}/overdue.csv").status_code == 403
    assert clients["panel"].get(f"{clinic}/overdue.csv").status_code == 403
    exceptions = manager.get(f"/indicators/{KPI}/exceptions.csv")
    rows = list(csv.DictReader(io.StringIO(exceptions.text)))
    shown = manager.get(f"/api/indicators/{KPI}").json()["exceptions"]["rows"]
    assert [r["Child"] for r in rows] == [r["person_id"] for r in shown]


def test_the_overview_says_each_indicator_in_one_line(
    demo_targets: None, web_data: WebData
) -> None:
    """Each indicator on the overview with its figure, target, RAG, direction and the
    neighbours' figure where there is one; a councillor's the same, with what is suppressed
    left out."""
    app = create_app(web_data.settings, web_data.records)
    for role in ("manager", "panel"):
        overview = sign_in(app, role, web_data.passwords[role]).get("/api/overview").json()
        tiles = {t["kpi"]: t for th in overview["themes"] for t in th["indicators"]}
        visits = tiles[KPI]
        assert visits["target"] == "80.0%" and visits["rag"] in ("green", "amber", "red")
        assert visits["trend"] in ("improving", "stable", "worsening")
        listed = [t for items in overview["lists"].values() for t in items]
        assert all(set(t) == set(visits) for t in listed)
    page = sign_in(app, "panel", web_data.passwords["panel"]).get("/").text
    assert "(target 80.0%)" in page


def test_a_clinic_records_its_actions_and_follows_them_up(web_data: WebData) -> None:
    """At February's clinic the manager records an action for a team; March's clinic shows
    it to follow up, open, and the manager marks it done; every change is kept. A manager of
    another service, or a role without clinics, cannot."""
    app = create_app(web_data.settings, web_data.records)
    manager = sign_in(app, "manager", web_data.passwords["manager"])
    clinic = f"/clinics/{web_data.service}"
    page = manager.get(f"/api{clinic}?period=2026-02").json()
    team = page["teams"][0]
    token = csrf_of(manager.get(clinic).text)
    sent = {"csrf": token, "step": "add", "period": "2026-02", "team_id": team["id"]}
    sent |= {
        "action": "Weekly check of visits due",
        "owner": "Team manager",
        "due_on": "2026-03-06",
    }
    assert manager.post(f"{clinic}/actions", data={**sent, "action": " "}).status_code == 400
    done = manager.post(f"{clinic}/actions", data=sent)
    assert done.status_code == 303 and done.headers["location"].startswith(
        f"{clinic}?period=2026-02"
    )
    february = manager.get(f"/api{clinic}?period=2026-02").json()["agreed"]
    assert [(a["team"], a["action"], a["status"], a["due_on"]) for a in february] == [
        (team["name"], "Weekly check of visits due", "open", "2026-03-06")
    ]
    march = manager.get(f"/api{clinic}?period=2026-03").json()
    assert [a["action"] for a in march["followed_up"]] == ["Weekly check of visits due"]
    assert march["agreed"] == []
    update = {
        "csrf": token,
        "step": "status",
        "period": "2026-03",
        "action_id": str(february[0]["id"]),
    }
    assert manager.post(f"{clinic}/actions", data={**update, "status": "done"}).status_code == 303
    again = manager.get(f"/api{clinic}?period=2026-03").json()["followed_up"]
    assert again[0]["status"] == "done"
    assert "Weekly check of visits due" in manager.get(f"{clinic}?period=2026-03").text
    with SqlSession(web_data.records) as db:
        kept = db.scalars(
            select(models.RecordChange.action).where(
                models.RecordChange.record_type == "team_actions"
            )
        ).all()
    assert list(kept)[-2:] == ["created", "replaced"]
    other = f"/clinics/{web_data.other_service}/actions"
    assert manager.post(other, data=sent).status_code == 403
    analyst = sign_in(app, "analyst", web_data.passwords["analyst"])
    analyst_token = csrf_of(analyst.get("/narratives").text)
    assert (
        analyst.post(f"{clinic}/actions", data={**sent, "csrf": analyst_token}).status_code == 403
    )


def test_the_synthetic_authority_is_set_beside_southampton_s_region_and_neighbours(
    clients: dict[str, TestClient],
) -> None:
    """With no figures of its own in DfE's data, the synthetic authority takes Southampton's
    place (the default compare_as). LAIT's children looked after per 10,000 at 31 March 2025:
    Southampton's May 2025 neighbours Coventry 82, Derby 88, Portsmouth 93, Sheffield 54,
    Hillingdon 41, Salford 88, Peterborough 72, Leeds 85, Bolton 78, Waltham Forest 47 (mean
    728 / 10 = 72.8); the South East 55; England 67."""
    page = clients["panel"].get("/api/indicators/cla_rate").json()
    assert page["neighbours"] == "72.8 per 10,000 children"
    assert page["region"] == "South East 55.0 per 10,000 children"
    assert page["england"] == "67.0 per 10,000 children"
    assert page["target"] is None  # the neighbours' mean is not shown as a target
    shown = html.unescape(clients["panel"].get("/indicators/cla_rate").text)
    assert "the statistical neighbours of Southampton, whose place it takes" in shown
    assert "South East 55.0 per 10,000 children" in shown


def test_annex_a_on_the_web_for_admins_and_analysts_only(
    clients: dict[str, TestClient], web_data: WebData
) -> None:
    """The inspection page shows the lists and the summary for the six months to the
    snapshot's date; the workbook and the summary's PDF download for admins and analysts,
    each download logged with its rows; every other role is refused both."""
    page = clients["analyst"].get("/api/inspection").json()
    assert [entry["sheet"] for entry in page["lists"]] == [f"List {n}" for n in range(1, 12)]
    assert page["as_at"] == "2026-03-31" and page["months"] == 6
    assert page["summary"]["period"] == "30 September 2025 to 31 March 2026"
    shown = clients["analyst"].get("/inspection").text
    assert "Download Annex A (Excel)" in shown and "List 8: Children in care" in shown
    before = len(recent_access(web_data.records, 10_000))
    book = clients["analyst"].get("/inspection/annex-a.xlsx?as_at=2026-03-31&months=6")
    assert (
        book.status_code == 200
        and "annex-a-2026-03-31-6m.xlsx" in book.headers["content-disposition"]
    )
    sheets = load_workbook(io.BytesIO(book.content), read_only=True).sheetnames
    assert sheets == [f"List {n}" for n in range(1, 12)]
    pdf = clients["admin"].get("/inspection/summary.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    log = recent_access(web_data.records, 10_000)
    assert len(log) == before + 2
    rows = sum(entry["rows"] for entry in page["lists"])
    assert (log[1].username, log[1].action) == ("analyst", "download")
    assert log[1].subject == f"annex-a-2026-03-31-6m annex-a.xlsx: {rows} rows in 11 lists"
    for role in ("manager", "auditor", "iro", "scrutiny", "panel", "viewer"):
        assert clients[role].get("/inspection").status_code == 403, role
        assert clients[role].get("/inspection/annex-a.xlsx").status_code == 403, role
    later = clients["analyst"].get("/inspection?as_at=2031-01-01")
    assert later.status_code == 400 and "cannot be drawn up for a later day" in later.text

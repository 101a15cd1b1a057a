"""Sign-in through the council's identity provider, for real: a certified OpenID Connect
provider (panva's oidc-provider, run by Node from tests/oidc) and Scrutineer's server on
the loopback address, a real browser (Chromium, headless) signing in at the provider.
The provider's accounts and their groups are in tests/oidc/provider.mjs."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import httpx2
import pytest
import uvicorn
from playwright.sync_api import Browser, Page
from sqlalchemy import Engine

from scrutineer.errors import SettingInvalid
from scrutineer.outputs.web.oidc import RoleRule, role_rules
from scrutineer.outputs.web.routes import create_app
from scrutineer.records.store import open_records
from scrutineer.records.users import add_user, disable_user, list_users
from tests.support.web import WebData, free_port

PROVIDER = Path(__file__).parent / "oidc"
SECRET = "a-client-secret-for-the-tests"
ROLES = "sg-performance=analyst,sg-safeguarding-managers=manager:SVC-PC,sg-members=panel"


def started(url: str, what: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx2.get(url, timeout=2)
            return
        except httpx2.TransportError:
            time.sleep(0.1)
    raise AssertionError(f"{what} did not start")


@dataclass(frozen=True)
class Sites:
    ours: str  # Scrutineer's base URL
    provider: str
    records: Engine  # a records store of their own: the users these tests make stay here


@pytest.fixture(scope="module")
def sites(web_data: WebData, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sites]:
    node = shutil.which("node")
    assert node, "install Node (scripts/install-debian does)"
    assert (PROVIDER / "node_modules").is_dir(), "run scripts/install (npm ci in tests/oidc)"
    ours, theirs = free_port(), free_port()
    provider = subprocess.Popen(
        [node, str(PROVIDER / "provider.mjs")],
        env={
            "PORT": str(theirs),
            "CLIENT_SECRET": SECRET,
            "REDIRECT_URI": f"http://127.0.0.1:{ours}/login/oidc/callback",
            "PATH": "/usr/bin:/bin",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    issuer = f"http://127.0.0.1:{theirs}"
    started(f"{issuer}/.well-known/openid-configuration", "the identity provider")
    settings = replace(
        web_data.settings,
        oidc_issuer=issuer,
        oidc_client_id="scrutineer",
        oidc_client_secret=SECRET,
        oidc_roles=ROLES,
        records_url=f"sqlite:///{tmp_path_factory.mktemp('oidc') / 'records.sqlite3'}",
    )
    records = open_records(settings)
    app = create_app(settings, records)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=ours, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    started(f"http://127.0.0.1:{ours}/login", "Scrutineer")
    yield Sites(f"http://127.0.0.1:{ours}", issuer, records)
    server.should_exit = True
    thread.join(10)
    provider.terminate()
    provider.wait(10)


def sign_in_at_the_provider(browser: Browser, site: str, login: str) -> Page:
    """From Scrutineer's sign-in page to the provider's, as `login`, and back."""
    page = browser.new_context().new_page()
    page.goto(f"{site}/login?next=/qa")
    page.get_by_role("link", name="Sign in with the council's account").click()
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password: the test provider takes it")
    page.locator("button[type=submit]").click()
    page.wait_for_load_state()
    if "/interaction/" in page.url:  # the provider asks to share the profile: yes
        page.locator("button[type=submit]").click()
    page.wait_for_load_state()
    return page


def test_the_role_comes_from_the_providers_groups(browser: Browser, sites: Sites) -> None:
    site = sites.ours
    ann = sign_in_at_the_provider(browser, site, "ann")
    assert ann.url == f"{site}/qa"  # back where she was going, signed in
    assert "Ann Analyst" in ann.content()
    pat = sign_in_at_the_provider(browser, site, "pat")  # in two groups: the first rule's
    users = {u.username: u for u in list_users(sites.records)}
    assert (users["ann"].role, users["pat"].role) == ("analyst", "panel")
    assert "Ann Analyst" not in pat.content() and "Pat Panel" in pat.content()
    max_ = sign_in_at_the_provider(browser, site, "max")
    users = {u.username: u for u in list_users(sites.records)}
    assert (users["max"].role, users["max"].services) == ("manager", ("SVC-PC",))
    assert max_.url.endswith("/qa")


def test_those_the_provider_does_not_give_a_role_are_refused(
    browser: Browser, sites: Sites
) -> None:
    site = sites.ours
    nobody = sign_in_at_the_provider(browser, site, "nobody")
    assert "/login" in nobody.url and "not in a group that has a role" in nobody.content()
    assert "nobody" not in {u.username for u in list_users(sites.records)}
    add_user(sites.records, "clash", "A local account", "viewer", "clash-password-1")
    clash = sign_in_at_the_provider(browser, site, "clash")  # the provider's own "clash"
    assert "exists already" in clash.content()
    sign_in_at_the_provider(browser, site, "ann")
    disable_user(sites.records, "ann")
    again = sign_in_at_the_provider(browser, site, "ann")
    assert "disabled" in again.content() and "/login" in again.url


def test_a_callback_not_started_here_is_refused(sites: Sites) -> None:
    """A code and state sent straight to the callback (a forged or replayed return): no
    state of ours in the browser, so no sign-in."""
    done = httpx2.get(f"{sites.ours}/login/oidc/callback?code=stolen&state=guessed", timeout=10)
    assert done.status_code == 401 and "scrutineer_session" not in done.headers.get(
        "set-cookie", ""
    )


def test_the_roles_setting_is_read_and_a_wrong_one_is_refused() -> None:
    assert role_rules(ROLES) == (
        RoleRule("sg-performance", "analyst"),
        RoleRule("sg-safeguarding-managers", "manager", ("SVC-PC",)),
        RoleRule("sg-members", "panel"),
    )
    for wrong in ("sg-x=superuser", "=analyst", "sg-x=panel:SVC-PC"):
        with pytest.raises(SettingInvalid, match="OIDC_ROLES"):
            role_rules(wrong)

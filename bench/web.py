"""Load the dashboard: 16 concurrent signed-in clients on loopback for 30 seconds.

    .venv/bin/python bench/web.py [--clients 16] [--seconds 30] [--data DIR]

Generates and loads the reference authority (or uses the snapshots in --data), sets the
demo targets, adds a manager, an analyst and a panel member, starts `scrutineer serve` in
its own process and waits until the latest snapshot's figures are computed. Then each
client signs in (a third as each role) and requests the main pages in turn - overview,
indicator pages with a service and team drill, an assurance clinic, JSON twins - until the
time is up. Reports requests, errors and latency percentiles, overall and per page.
Target (ARCHITECTURE.md §9): p95 <= 150 ms, no errors. Traffic goes to 127.0.0.1 only,
and every loop is bounded by the deadline.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

import httpx2 as httpx

from scrutineer.assess.targets import TargetStore, read_targets
from scrutineer.catalogue.load import load_catalogue
from scrutineer.extract.load import load_extract
from scrutineer.extract.snapshots import SnapshotStore
from scrutineer.records.store import open_records
from scrutineer.records.users import add_user
from scrutineer.settings import load_settings
from scrutineer.synth.generate import generate
from scrutineer.synth.params import AuthorityParams

ROLES = ("manager", "analyst", "panel")
SERVICE = "SVC-PC"  # Protection and Court: the manager's service
PAGES = (
    ("overview", "/"),
    ("indicator", "/indicators/cp_visits_10wd_pct"),
    ("indicator by team", f"/indicators/cp_visits_10wd_pct?service={SERVICE}"),
    ("indicator by worker", f"/indicators/cla_visits_6wk_pct?service={SERVICE}&team=SVC-PC-1"),
    ("indicator, a rate", "/indicators/referrals_rate_r12"),
    ("clinic", f"/clinics/{SERVICE}"),
    ("overview JSON", "/api/overview"),
    ("indicator JSON", "/api/indicators/assessments_45wd_pct"),
)


def prepare(data: Path) -> None:
    settings = load_settings({**os.environ, "SCRUTINEER_DATA_DIR": str(data)}, data / ".env")
    store = SnapshotStore(settings.snapshots_dir)
    if not store.manifests():
        extract = data / "extract"
        generate(extract, AuthorityParams())
        load_extract(extract, store)
    records = open_records(settings)
    targets = TargetStore(records, load_catalogue())
    if targets.empty():
        text = resources.files("scrutineer.assess").joinpath("data", "demo_targets.csv")
        targets.replace(read_targets(text.read_text("utf-8"), targets.catalogue))
    for role in ROLES:
        try:
            add_user(
                records,
                f"bench-{role}",
                role,
                role,
                f"bench-{role}-password",
                (SERVICE,) if role == "manager" else (),
            )
        except Exception:  # already there from an earlier run
            pass


async def sign_in(client: httpx.AsyncClient, role: str) -> None:
    form = await client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert token, "no sign-in form"
    done = await client.post(
        "/login",
        data={
            "username": f"bench-{role}",
            "password": f"bench-{role}-password",
            "csrf": token.group(1),
            "next": "/",
        },
    )
    assert done.status_code == 303, f"sign-in failed for {role}: {done.status_code}"


async def run_client(
    base: str, index: int, deadline: float, timings: dict[str, list[float]], errors: list[str]
) -> None:
    role = ROLES[index % len(ROLES)]
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        await sign_in(client, role)
        turn = index  # clients start at different pages
        while time.perf_counter() < deadline:
            name, path = PAGES[turn % len(PAGES)]
            turn += 1
            if name == "clinic" and role == "panel":
                continue  # not a councillor's page (the access tests check the refusal)
            started = time.perf_counter()
            try:
                got = await client.get(path)
                ok = got.status_code == 200
                detail = f"{got.status_code} {path} as {role}"
            except httpx.HTTPError as error:
                ok, detail = False, f"{type(error).__name__} {path}"
            timings.setdefault(name, []).append(time.perf_counter() - started)
            if os.environ.get("BENCH_SLOW") and time.perf_counter() - started > 1:
                print(
                    f"slow: {name} {time.perf_counter() - started:.2f}s, "
                    f"{deadline - started:.1f}s before the end"
                )
            if not ok:
                errors.append(detail)


def cpu_seconds(pid: int) -> float:
    """User and system CPU of a process and its children still running (the workers)."""
    total, ticks = 0.0, os.sysconf("SC_CLK_TCK")
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.is_file():
        pids += [int(c) for c in children.read_text().split()]
    for each in pids:
        fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def load(base: str, clients: int, seconds: float) -> tuple[dict[str, list[float]], list[str]]:
    timings: dict[str, list[float]] = {}
    errors: list[str] = []
    deadline = time.perf_counter() + seconds
    await asyncio.gather(*(run_client(base, i, deadline, timings, errors) for i in range(clients)))
    return timings, errors


def wait_until_ready(base: str, server: subprocess.Popen[str], workers: int) -> float:
    """Seconds until the server answers and has computed the latest snapshot's figures."""
    started = time.perf_counter()
    with httpx.Client(base_url=base, timeout=120) as client:
        for _ in range(600):
            if server.poll() is not None:
                raise SystemExit(
                    f"the server stopped: {server.stderr.read() if server.stderr else ''}"
                )
            try:
                client.get("/login")
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        asyncio.run(_warm(base, workers))
    return time.perf_counter() - started


async def _warm(base: str, workers: int) -> None:
    """Until every worker process has its figures (each computes them once, as it starts):
    /ready, asked on new connections, answers 200 from as many processes as there are."""
    deadline, ready = time.perf_counter() + 300, set()
    while len(ready) < workers and time.perf_counter() < deadline:
        async with httpx.AsyncClient(base_url=base, timeout=10) as client:
            answer = await client.get("/ready")
        if answer.status_code == 200:
            ready.add(answer.json()["process"])
        else:
            await asyncio.sleep(0.2)
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        await sign_in(client, "analyst")
        for _ in range(4):  # each page's parts made once in each worker
            for _, path in PAGES:
                assert (await client.get(path)).status_code == 200, path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    parser.add_argument("--data", type=Path, help="a data folder with snapshots (else a new one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = args.data or Path(tmp) / "data"
        prepare(data)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        env = {**os.environ, "SCRUTINEER_DATA_DIR": str(data)}
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "scrutineer",
                "serve",
                "--port",
                str(port),
                "--workers",
                str(args.workers),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            ready = wait_until_ready(base, server, args.workers)
            print(f"server ready (figures computed) in {ready:.1f} s")
            server_cpu, client_cpu = cpu_seconds(server.pid), time.process_time()
            timings, errors = asyncio.run(load(base, args.clients, args.seconds))
            server_cpu = cpu_seconds(server.pid) - server_cpu
            client_cpu = time.process_time() - client_cpu
        finally:
            server.terminate()
            server.wait(10)
    every = [t for values in timings.values() for t in values]
    print(
        f"{args.clients} clients, {args.seconds:.0f} s: {len(every):,} requests "
        f"({len(every) / args.seconds:.0f}/s), {len(errors)} errors"
    )
    print(f"{'page':<22} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name, values in [*timings.items(), ("all", every)]:
        print(
            f"{name:<22} {len(values):>6} {1000 * statistics.median(values):>8.1f} "
            f"{1000 * percentile(values, 0.95):>8.1f} {1000 * max(values):>8.1f}"
        )
    print(
        f"CPU per request: server {1000 * server_cpu / len(every):.1f} ms, "
        f"load generator {1000 * client_cpu / len(every):.1f} ms (2 cores shared)"
    )
    for error in sorted(set(errors))[:10]:
        print("error:", error)
    p95 = 1000 * percentile(every, 0.95)
    print(f"target p95 <= 150 ms, no errors: {'met' if p95 <= 150 and not errors else 'NOT met'}")


if __name__ == "__main__":
    main()

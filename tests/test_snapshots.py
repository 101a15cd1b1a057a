"""A load killed half way leaves nothing behind; two loads never run at once."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scrutineer.extract.load import load_extract
from scrutineer.extract.snapshots import LoadInProgress, SnapshotStore


def test_a_killed_load_leaves_no_snapshot(
    small_authority: Path, extract: Path, tmp_path: Path
) -> None:
    store = SnapshotStore(tmp_path / "data" / "snapshots")
    load_extract(extract, store)  # an earlier snapshot that must survive untouched
    before = [m.id for m in store.manifests()]
    env = {**os.environ, "SCRUTINEER_DATA_DIR": str(tmp_path / "data")}
    loading = subprocess.Popen(
        [sys.executable, "-m", "scrutineer", "load", str(small_authority)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not any(store.root.glob(".staging-*/extract.duckdb")):
        assert loading.poll() is None, "the load finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    loading.send_signal(signal.SIGKILL)
    loading.wait()
    assert [m.id for m in store.manifests()] == before
    assert store.latest().id == before[-1]
    # the next load cleans up and succeeds
    made = load_extract(small_authority, store).manifest
    assert [m.id for m in store.manifests()] == [*before, made.id]
    assert not list(store.root.glob(".staging-*"))


def test_a_second_load_waits_its_turn(extract: Path, tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path / "snapshots")
    store.root.mkdir(parents=True)
    with (store.root / ".lock").open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(LoadInProgress, match="Another load is running"):
            load_extract(extract, store)
    assert store.manifests() == []

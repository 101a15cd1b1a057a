"""The SSD's looked-after tables as the return tests write them, a snapshot loaded from a small
extract, and a return's CSV read back as rows."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import duckdb

from scrutineer.extract.load import load_extract
from scrutineer.extract.snapshots import SnapshotStore

PERIOD_OF_CARE = (
    "clae_cla_episode_id",
    "clae_person_id",
    "clae_cla_episode_start_date",
    "clae_cla_primary_need_code",
    "clae_cla_episode_ceased_date",
    "clae_cla_episode_ceased_reason",
    "clae_cla_id",
    "clae_entered_care_date",
)
PLACEMENT = (
    "clap_cla_placement_id",
    "clap_cla_id",
    "clap_person_id",
    "clap_cla_placement_start_date",
    "clap_cla_placement_end_date",
    "clap_cla_placement_type",
    "clap_cla_placement_provider",
    "clap_cla_placement_change_reason",
)
LEGAL_STATUS = (
    "lega_legal_status_id",
    "lega_person_id",
    "lega_legal_status",
    "lega_legal_status_start_date",
    "lega_legal_status_end_date",
)


def snapshot(tmp_path: Path, extract: Path, as_at: date) -> duckdb.DuckDBPyConnection:
    store = SnapshotStore(tmp_path / "snapshots")
    result = load_extract(extract, store, as_at)
    return duckdb.connect(str(store.db_path(result.manifest.id)), read_only=True)


def table(files: dict[str, str], name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files[name])))

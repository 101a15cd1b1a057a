"""Every error a user can be told about, in one place.

Each message says what went wrong, where, and how to fix it. The CLI turns these into
a message on stderr and a non-zero exit code; nothing else catches them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scrutineer.findings import Issue


class ScrutineerError(Exception):
    """An error the user can fix. The message names what, where, and the next step. The
    CLI exits with `exit_code`; the web answers with `http_status`."""

    exit_code = 1
    http_status = 400  # a request that cannot be done as asked
    web_text: str | None = None  # said on the dashboard instead, where commands mean nothing

    @property
    def on_the_web(self) -> str:
        """What someone on the dashboard is told: no command, file or setting of the server."""
        return self.web_text or str(self)


class Invalid(ScrutineerError):
    """A request (a form, an action) that cannot be done as sent."""


class Forbidden(ScrutineerError):
    """Not for this user: their role, or a service they are not assigned."""

    http_status = 403


class NotShown(ScrutineerError):
    """Nothing of that name here: a month, a service, a meeting, an audit."""

    http_status = 404


class Busy(ScrutineerError):
    """Too much asked at once: try again shortly."""

    http_status = 429


class PortInUse(ScrutineerError):
    def __init__(self, host: str, port: int, why: str) -> None:
        super().__init__(
            f"Cannot serve on {host}:{port} ({why}): another program is listening there, or "
            "the address is not this machine's. Stop it, or give another with --port."
        )


class SettingInvalid(ScrutineerError):
    def __init__(self, key: str, raw: str, expected: str) -> None:
        super().__init__(
            f"Setting {key}={raw!r} is not a valid {expected}. "
            f"Fix it in the environment or in .env, or unset it to use the default."
        )


class PeriodInvalid(ScrutineerError):
    def __init__(self, text: str) -> None:
        super().__init__(f"{text!r} is not a month: write it as YYYY-MM, e.g. 2025-03.")


class MonthWithoutData(ScrutineerError):
    """A month the snapshot cannot give figures for: it has no records of it."""

    http_status = 404

    def __init__(self, month: object, first: object, last: object, snapshot: str, why: str) -> None:
        super().__init__(
            f"Snapshot {snapshot} has no figures for {month}: {why}. It gives {first} to "
            f"{last}; pick a month in that range, or load an extract that covers {month}."
        )


class DateInvalid(ScrutineerError):
    def __init__(self, text: str, what: str = "date") -> None:
        super().__init__(f"{what} {text!r} is not a date: write it as YYYY-MM-DD.")


class ContractInvalid(ScrutineerError):
    """The extract contract shipped with Scrutineer is inconsistent (a developer's error)."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("The extract contract is invalid:\n  " + "\n  ".join(problems))


class ExtractNotFound(ScrutineerError):
    def __init__(self, folder: Path) -> None:
        super().__init__(
            f"No extract folder at {folder}. Pass the folder holding ssd_*.csv or ssd_*.parquet "
            f"files, e.g. `scrutineer load ./extract`."
        )


class ExtractRejected(ScrutineerError):
    """The extract has errors; nothing was loaded and every existing snapshot is untouched."""

    exit_code = 2

    def __init__(self, source: Path | str, issues: Sequence[Issue], quality: str = "") -> None:
        self.issues = list(issues)
        self.quality = quality  # the data-quality report (CSV) of what was read
        errors = sum(1 for i in self.issues if i.is_error)
        super().__init__(
            f"The extract in {source} has {errors:,} error(s); nothing was loaded and existing "
            f"snapshots are unchanged. Fix the files and run `scrutineer load` again."
        )


class AlreadyLoaded(ScrutineerError):
    """The same files were loaded before; not an error, but nothing new was made."""

    exit_code = 0

    def __init__(self, snapshot_id: str, what: str = "These files", again: str = "") -> None:
        self.snapshot_id = snapshot_id
        again = again or " Use `--force` to load them again as a new snapshot."
        super().__init__(
            f"{what} were already loaded as snapshot {snapshot_id}; no new snapshot was "
            f"made.{again}"
        )


class SnapshotNotFound(ScrutineerError):
    http_status = 404

    def __init__(self, wanted: str) -> None:
        super().__init__(
            f"No snapshot {wanted!r}. Run `scrutineer snapshots` to list them, or "
            f"`scrutineer load DIR` to make one."
        )
        self.web_text = f"There is no snapshot {wanted!r}: pick one from the list, or the latest."


class SnapshotDamaged(ScrutineerError):
    http_status = 404

    def __init__(self, snapshot_id: str, reason: str) -> None:
        self.snapshot_id, self.reason = snapshot_id, reason
        super().__init__(
            f"Snapshot {snapshot_id} is damaged ({reason}), so it is left out. Restore its "
            "folder from a backup or move it out of the snapshots folder; `scrutineer "
            "snapshots` lists the others, and `--snapshot` picks one."
        )
        self.web_text = (
            f"Snapshot {snapshot_id} cannot be read, so it is left out: ask whoever loads the "
            "data to restore it. The other snapshots can be picked as usual."
        )


class NoSnapshot(ScrutineerError):
    http_status = 404

    def __init__(self, where: Path) -> None:
        super().__init__(
            f"No snapshot has been loaded in {where} yet. Run `scrutineer load DIR` first "
            f"(or `scrutineer generate DIR` to make a synthetic extract)."
        )
        self.web_text = "No data has been loaded yet: ask whoever loads the extract to load it."


class GeneratorInvalid(ScrutineerError):
    def __init__(self, problem: str) -> None:
        super().__init__(f"Cannot generate: {problem}.")


class UnknownKpi(ScrutineerError):
    http_status = 404

    def __init__(self, kpi_id: str) -> None:
        super().__init__(
            f"No indicator {kpi_id!r}. Run `scrutineer kpis` to list them (ids as in KPIS.csv)."
        )
        self.web_text = f"There is no indicator {kpi_id!r}: the overview lists every indicator."


class CatalogueInvalid(ScrutineerError):
    """The KPI catalogue has errors; every one is listed with its file and line."""

    def __init__(self, issues: Sequence[Issue]) -> None:
        self.issues = list(issues)
        lines = "\n  ".join(str(i) for i in self.issues)
        super().__init__(f"The KPI catalogue has {len(self.issues)} problem(s):\n  {lines}")


class FormatInvalid(ScrutineerError):
    def __init__(
        self, given: str, option: str = "--format", allowed: str = "table, csv or json"
    ) -> None:
        super().__init__(f"{option} {given!r} is not one of {allowed}.")

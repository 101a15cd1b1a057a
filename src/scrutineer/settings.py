"""Settings, declared once: environment > .env > default.

Every setting is read from `SCRUTINEER_<NAME>`. The table below is the single source for
reading, casting and docs/settings.md (a test keeps them in step).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from scrutineer.errors import SettingInvalid

PREFIX = "SCRUTINEER_"
ALERT_LEVELS = ("informal", "service_manager", "head_of_service", "director")  # as qa_files


@dataclass(frozen=True)
class Setting:
    name: str
    default: str | int | Path
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("data_dir", Path("scrutineer-data"), "Folder holding snapshots and the records store"),
    Setting("la_code", "E99000000", "ONS code of the authority (E99000000 is the synthetic one)"),
    Setting(
        "la_number",
        "999",
        "DfE three-digit number of the authority, in the returns' headers (999: synthetic)",
    ),
    Setting(
        "compare_as",
        "852",
        "For an authority DfE publishes no figures for (the synthetic one): the authority "
        "whose place in DfE's data it takes, its region and statistical neighbours (old LA "
        "number or ONS code; 852 is Southampton, a city like the reference one). Not used "
        "when la_code is in DfE's data; empty: no benchmarks",
    ),
    Setting("population", 51800, "0-17 population used when the authority has no ONS figure"),
    Setting("records_url", "", "Database URL of the records store (default: SQLite in data_dir)"),
    Setting(
        "iro_response_days",
        "informal=5,service_manager=10,head_of_service=10,director=20",
        "Working days an IRO alert's response is due in, at each level",
    ),
    Setting(
        "retain_snapshot_months",
        0,
        "`scrutineer purge` removes snapshots as at more than this many months ago, never "
        "the newest (0: keep every one)",
    ),
    Setting(
        "retain_access_log_months",
        0,
        "`scrutineer purge` deletes access-log entries older than this (0: keep every one)",
    ),
    Setting(
        "oidc_issuer",
        "",
        "The council's identity provider, for sign-in through it (OpenID Connect; Entra ID: "
        "https://login.microsoftonline.com/TENANT/v2.0). Empty: Scrutineer's passwords only",
    ),
    Setting("oidc_client_id", "", "Scrutineer's client (application) id at the provider"),
    Setting("oidc_client_secret", "", "Its client secret at the provider"),
    Setting(
        "oidc_roles",
        "",
        "Roles from the provider's groups: group=role,... (the first that names one of the "
        "user's groups wins; a manager's services after colons: group=manager:SVC-PC)",
    ),
    Setting("oidc_name", "the council's account", "What the sign-in page calls the provider"),
)


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    la_code: str
    population: int
    la_number: str = "999"
    compare_as: str = "852"
    records_url: str = ""
    iro_response_days: str = "informal=5,service_manager=10,head_of_service=10,director=20"
    retain_snapshot_months: int = 0
    retain_access_log_months: int = 0
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    oidc_roles: str = ""
    oidc_name: str = "the council's account"

    @property
    def response_days(self) -> dict[str, int]:
        """`iro_response_days` as {level: working days}."""
        found = {}
        for part in self.iro_response_days.split(","):
            level, _, days = part.partition("=")
            if not days.strip().isdigit():
                raise SettingInvalid(
                    PREFIX + "IRO_RESPONSE_DAYS", self.iro_response_days, "level=days,..."
                )
            found[level.strip()] = int(days)
        if tuple(found) != ALERT_LEVELS:
            raise SettingInvalid(
                PREFIX + "IRO_RESPONSE_DAYS",
                self.iro_response_days,
                "list of days for each of " + ", ".join(ALERT_LEVELS) + " in that order",
            )
        return found

    @property
    def snapshots_dir(self) -> Path:
        return self.data_dir / "snapshots"

    def as_environment(self) -> dict[str, str]:
        """The settings as SCRUTINEER_* variables (for processes started from this one)."""
        return {PREFIX + s.name.upper(): str(getattr(self, s.name)) for s in SETTINGS}


def load_settings(
    environ: Mapping[str, str] | None = None, env_file: Path = Path(".env")
) -> Settings:
    """Read SCRUTINEER_* values: the environment first, then .env, then the default."""
    env = os.environ if environ is None else environ
    from_file = _read_env_file(env_file) if env_file.is_file() else {}
    values: dict[str, object] = {}
    for setting in SETTINGS:
        key = PREFIX + setting.name.upper()
        raw = env.get(key, from_file.get(key))
        values[setting.name] = setting.default if raw is None else _cast(key, raw, setting.default)
    return Settings(**values)  # type: ignore[arg-type]


def _cast(key: str, raw: str, default: object) -> object:
    if isinstance(default, bool):  # pragma: no cover - no boolean settings yet
        raise TypeError(key)
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError:
            raise SettingInvalid(key, raw, "whole number") from None
    if isinstance(default, Path):
        return Path(raw).expanduser()
    return raw


def _read_env_file(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip().strip("'\"")
    return values

"""Settings: environment > .env > default, every one documented."""

from pathlib import Path

import pytest

from scrutineer.errors import SettingInvalid
from scrutineer.settings import SETTINGS, load_settings

DOCS = Path(__file__).parent.parent / "docs" / "settings.md"


def test_defaults(tmp_path: Path) -> None:
    settings = load_settings({}, tmp_path / ".env")
    assert settings.data_dir == Path("scrutineer-data")
    assert settings.snapshots_dir == Path("scrutineer-data/snapshots")
    assert settings.population == 51_800


def test_environment_beats_env_file_beats_default(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("# comment\nSCRUTINEER_LA_CODE='E08000001'\nSCRUTINEER_POPULATION=1000\n")
    settings = load_settings({"SCRUTINEER_POPULATION": "2000"}, env_file)
    assert (settings.la_code, settings.population) == ("E08000001", 2000)


def test_a_bad_value_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(SettingInvalid, match="SCRUTINEER_POPULATION='many'"):
        load_settings({"SCRUTINEER_POPULATION": "many"}, tmp_path / ".env")


def test_every_setting_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    missing = [s.name for s in SETTINGS if f"`SCRUTINEER_{s.name.upper()}`" not in text]
    assert not missing, f"document these in docs/settings.md: {missing}"

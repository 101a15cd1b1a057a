"""Settings: environment > .env > default, every one documented."""

from pathlib import Path

import pytest

from scrutineer.errors import SettingInvalid
from scrutineer.settings import SETTINGS, load_settings
from tests.support.paths import DOCS

SETTINGS_DOC = DOCS / "settings.md"


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
    text = SETTINGS_DOC.read_text(encoding="utf-8")
    missing = [s.name for s in SETTINGS if f"`SCRUTINEER_{s.name.upper()}`" not in text]
    assert not missing, f"document these in docs/settings.md: {missing}"


def test_iro_response_days_name_every_level_in_order(tmp_path: Path) -> None:
    settings = load_settings({}, tmp_path / ".env")
    assert settings.response_days == {
        "informal": 5,
        "service_manager": 10,
        "head_of_service": 10,
        "director": 20,
    }
    changed = load_settings(
        {
            "SCRUTINEER_IRO_RESPONSE_DAYS": "informal=3,service_manager=5,head_of_service=5,"
            "director=10"
        },
        tmp_path / ".env",
    )
    assert changed.response_days["informal"] == 3
    for bad in ("informal=5", "informal=five,service_manager=1,head_of_service=1,director=1"):
        wrong = load_settings({"SCRUTINEER_IRO_RESPONSE_DAYS": bad}, tmp_path / ".env")
        with pytest.raises(SettingInvalid, match="SCRUTINEER_IRO_RESPONSE_DAYS"):
            assert wrong.response_days is None  # never reached: reading it raises


def test_the_alert_levels_are_the_records_codes() -> None:
    from scrutineer.records.qa import record_types
    from scrutineer.settings import ALERT_LEVELS

    stages = record_types()["iro_alert_stages"]
    assert next(c.codes for c in stages.columns if c.name == "level") == ALERT_LEVELS

"""`scrutineer kpi`, `exceptions` and `explain`, run as a user runs them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.support.cli import Cli


@pytest.fixture(scope="module")
def loaded(small_authority: Path, tmp_path_factory: pytest.TempPathFactory) -> Cli:
    cli = Cli(tmp_path_factory.mktemp("kpi"))
    cli.run("load", str(small_authority))
    return cli


def test_kpi_json_has_the_fields_of_the_contract(loaded: Cli) -> None:
    out = json.loads(
        loaded.run(
            "kpi",
            "--kpi",
            "cpp_open",
            "--kpi",
            "cp_visits_10wd_pct",
            "--months",
            "3",
            "--format",
            "json",
        ).stdout
    )
    assert out["snapshot"].startswith("s0001-") and out["as_at"] == "2026-03-31"
    assert out["population"]["source"] == "configured population (E99000000)"
    values = out["values"]
    assert [(v["kpi"], v["period"]) for v in values] == [
        ("cpp_open", "2026-01"),
        ("cpp_open", "2026-02"),
        ("cpp_open", "2026-03"),
        ("cp_visits_10wd_pct", "2026-01"),
        ("cp_visits_10wd_pct", "2026-02"),
        ("cp_visits_10wd_pct", "2026-03"),
    ]
    visits = values[-1]
    assert {"kpi", "period", "value", "numerator", "denominator"} <= visits.keys()
    assert visits["value"] == pytest.approx(100 * visits["numerator"] / visits["denominator"])


def test_kpi_by_team_carries_the_group_keys(loaded: Cli) -> None:
    out = json.loads(
        loaded.run("kpi", "--kpi", "cpp_open", "--by", "team", "--format", "json").stdout
    )
    teams = out["values"]
    assert teams and all({"service", "team", "team_id"} <= v.keys() for v in teams)
    total = json.loads(loaded.run("kpi", "--kpi", "cpp_open", "--format", "json").stdout)
    assert sum(v["value"] for v in teams) == total["values"][0]["value"]


def test_kpi_table_and_csv(loaded: Cli) -> None:
    table = loaded.run("kpi", "--kpi", "contacts", "--period", "2026-02").stdout
    assert table.splitlines()[0].split()[:5] == [
        "kpi",
        "period",
        "value",
        "numerator",
        "denominator",
    ]
    assert "2026-02" in table
    csv = loaded.run("kpi", "--kpi", "contacts", "--format", "csv").stdout.splitlines()
    assert csv[0] == "kpi,period,value,numerator,denominator,status,unmapped"
    assert csv[1].startswith("contacts,2026-03,")


def test_exceptions_match_the_figure(loaded: Cli) -> None:
    figure = json.loads(
        loaded.run("kpi", "--kpi", "cp_visits_10wd_pct", "--format", "json").stdout
    )["values"][0]
    listed = json.loads(loaded.run("exceptions", "cp_visits_10wd_pct", "--format", "json").stdout)[
        "children"
    ]
    assert len(listed) == figure["denominator"] - figure["numerator"]
    first = listed[0]
    assert {
        "person_id",
        "name",
        "age",
        "service",
        "team",
        "worker",
        "plan_start",
        "last_visit",
        "due",
        "days_overdue",
    } <= first.keys()
    overdue = [c["days_overdue"] for c in listed if c["days_overdue"] is not None]
    assert overdue == sorted(overdue, reverse=True)


def test_exceptions_filter_by_team_and_refuse_indicators_without_a_list(loaded: Cli) -> None:
    everyone = json.loads(
        loaded.run("exceptions", "cla_visits_6wk_pct", "--format", "json").stdout
    )["children"]
    team = everyone[0]["team"]
    mine = json.loads(
        loaded.run("exceptions", "cla_visits_6wk_pct", "--team", team, "--format", "json").stdout
    )["children"]
    assert mine and {c["team"] for c in mine} == {team}
    done = loaded.run("exceptions", "contacts", check=False)
    assert done.returncode == 1 and "has no exception list" in done.stderr


def test_explain_prints_the_definition_and_the_sql_that_runs(loaded: Cli) -> None:
    out = loaded.run("explain", "assessments_45wd_pct").stdout
    assert out.startswith("-- assessments_45wd_pct: Assessments completed within 45 working")
    assert "wdn(c.auth_date) - wdn(c.start_date)" in out
    assert "CREATE TEMP TABLE units AS" in out and "FROM windows AS w JOIN grouped" in out
    records = loaded.run("explain", "audits_good_pct").stdout
    assert "records store" in records


def test_a_past_snapshot_reproduces_its_figures(
    loaded: Cli, small_authority: Path, tmp_path: Path
) -> None:
    before = loaded.run("kpi", "--kpi", "contacts", "--format", "csv").stdout
    # late recording: a contact for March arrives in a later extract
    later = tmp_path / "later"
    shutil.copytree(small_authority, later)
    with (later / "ssd_contacts.csv").open("a", encoding="utf-8") as handle:
        person = (later / "ssd_person.csv").read_text().splitlines()[1].split(",")[0]
        handle.write(f'LATE1,{person},2026-03-30,,,"{{""NFA_FLAG"": ""Y""}}"\n')
    loaded.run("load", str(later))
    revised = loaded.run("kpi", "--kpi", "contacts", "--format", "csv").stdout
    assert revised != before
    first = loaded.run("snapshots").stdout.split()[0]
    assert (
        loaded.run("kpi", "--kpi", "contacts", "--snapshot", first, "--format", "csv").stdout
        == before
    )


def test_unknown_indicator_and_bad_options(loaded: Cli) -> None:
    done = loaded.run("kpi", "--kpi", "nonsense", check=False)
    assert done.returncode == 1 and "No indicator 'nonsense'" in done.stderr
    done = loaded.run("kpi", "--by", "region", check=False)
    assert done.returncode == 1 and "service, team or worker" in done.stderr
    done = loaded.run("kpi", "--period", "March", check=False)
    assert done.returncode == 1 and "YYYY-MM" in done.stderr


def test_a_month_without_data_is_refused_by_every_command(loaded: Cli, tmp_path: Path) -> None:
    """The small authority is as at 31 March 2026, its records beginning in April 2024 (a
    year of warm-up before its year): April 2026 is after the as-at date, and March 2024
    before the first contact or referral."""
    for args in (
        ("kpi", "--period", "2026-04"),
        ("kpi", "--period", "2026-03", "--months", "36"),
        ("exceptions", "cp_visits_10wd_pct", "--period", "2026-04"),
        ("assess", "--period", "2026-05"),
        ("report", "--out", str(tmp_path / "r.html"), "--period", "2026-04"),
    ):
        done = loaded.run(*args, check=False)
        assert done.returncode == 1, args
        assert "has no figures for" in done.stderr and "pick a month in that range" in done.stderr
    after = loaded.run("kpi", "--period", "2026-04", check=False).stderr
    assert "2026-04: it is after the as-at date 2026-03-31" in after
    before = loaded.run("kpi", "--period", "2024-03", check=False).stderr
    assert "the records begin in 2024-04" in before
    assert not (tmp_path / "r.html").exists()
    ok = loaded.run("kpi", "--kpi", "contacts", "--period", "2024-04", "--format", "csv")
    assert ok.stdout.splitlines()[1].startswith("contacts,2024-04,")

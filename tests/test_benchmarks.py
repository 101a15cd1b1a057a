"""DfE's published benchmarks, pinned to values worked out by hand from shared/data/dfe."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from scrutineer.assess.benchmarks import (
    EES_SHIPPED,
    SHIPPED,
    Benchmarks,
    UnknownAuthority,
    import_ees,
    statistical_neighbours,
)
from tests.support.cli import Cli
from tests.support.paths import ROOT, SHARED

SHARED = SHARED / "data" / "dfe"


@pytest.fixture(scope="module")
def published() -> Benchmarks:
    return Benchmarks()


def test_southampton_referral_rate_2021_against_its_april_2021_neighbours(
    published: Benchmarks,
) -> None:
    # LAIT "CPP_Total_Rateper10,000", year 2021: Southampton 822.7; South East 575.6;
    # England 507.1. Its April 2021 neighbours, closest first, with their 2021 rates:
    # Portsmouth 676.5, Sheffield 481.5, Peterborough 453.9, Plymouth 694.9, Derby 793.1,
    # Bristol 356.7, Coventry 750.0, Stoke-on-Trent 910.8, Hull 821.1, Salford 623.1.
    # Sum 6,561.6: mean 656.16. Sorted, the middle two are 676.5 and 694.9: median 685.7.
    found = published.benchmark("CPP_Total_Rateper10,000", 2021, "852")
    assert (found.value, found.region_value, found.england) == (822.7, 575.6, 507.1)
    assert found.neighbour_list == "April 2021"
    assert [n for n, _, _ in found.neighbours] == [
        "851",
        "373",
        "874",
        "879",
        "831",
        "801",
        "331",
        "861",
        "810",
        "355",
    ]
    assert found.neighbour_mean == pytest.approx(656.16)
    assert found.neighbour_median == pytest.approx(685.7)


def test_the_may_2025_list_from_2025(published: Benchmarks) -> None:
    found = published.benchmark("CPP_Total_Rateper10,000", 2025, "852")
    assert found.neighbour_list == "May 2025"
    assert [n for n, _, _ in found.neighbours][:3] == ["331", "831", "851"]  # from the file
    forced = published.benchmark("CPP_Total_Rateper10,000", 2025, "852", "2021")
    assert forced.neighbour_list == "April 2021"


def test_an_abolished_neighbour_has_no_value_and_is_left_out(published: Benchmarks) -> None:
    # Derbyshire's April 2021 neighbours include Cumbria (909), abolished in 2023: no 2024
    # figure. Children looked after, 2024, the other nine: 955, 1,750, 1,307, 752, 1,043,
    # 534, 570, 733, 1,956: sum 9,600, mean 1,066.67; median (fifth of nine) 955.
    found = published.benchmark("LACnum", 2024, "830")
    assert found.as_dict()["neighbours_with_value"] == "9 of 10"
    assert ("909", "Cumbria", None) in found.neighbours
    assert found.neighbour_mean == pytest.approx(1066.6667)
    assert found.neighbour_median == 955.0


def test_a_suppressed_value_is_no_value_never_zero(published: Benchmarks) -> None:
    # Dorset's 2016 referral rate is published as "-"; Poole's mean is over the other nine.
    found = published.benchmark("CPP_Total_Rateper10,000", 2016, "836")
    assert published.value("CPP_Total_Rateper10,000", 2016, "835") is None
    assert found.as_dict()["neighbours_with_value"] == "9 of 10"
    assert 0.0 not in found.neighbour_values


def test_authorities_by_number_or_ons_code(published: Benchmarks) -> None:
    assert published.authority("E06000045").name == "Southampton"
    assert published.authority("0852").number == "852"
    with pytest.raises(UnknownAuthority, match="E06000045"):
        published.authority("E99000000")


def test_neighbour_lists_have_ten_each() -> None:
    for which in ("2021", "2025"):
        table = statistical_neighbours(which)
        assert len(table) > 140 and all(len(n) == 10 for n in table.values()), which


SOUTHAMPTON_2021 = (
    "benchmarks",
    "--la",
    "852",
    "--kpi",
    "referrals_rate_r12",
    "--year",
    "2021",
    "--format",
    "json",
)


def test_the_command_and_a_newer_release(tmp_path: Path) -> None:
    cli = Cli(tmp_path)
    out = json.loads(cli.run(*SOUTHAMPTON_2021).stdout)
    (row,) = out["benchmarks"]
    assert (row["value"], row["neighbour_mean"], row["neighbour_median"]) == (822.7, 656.16, 685.7)
    done = cli.run("import-benchmarks", str(SHARED / "lait_bds_long_0.parquet"))
    assert "Imported 47,090 published figures for 29 indicators" in done.stdout
    assert json.loads(cli.run(*SOUTHAMPTON_2021).stdout)["benchmarks"] == out["benchmarks"]
    refused = cli.run("benchmarks", "--la", "852", "--kpi", "contacts", check=False)
    assert refused.returncode == 1 and "has no DfE benchmark" in refused.stderr


def test_percentages_published_as_counts_are_told_apart(published: Benchmarks) -> None:
    assert published.looks_like_percent("Continue_Assess_Comp")
    assert not published.looks_like_percent("CPP_Reviewed_InReqTimeScl")  # LAIT holds counts


def test_care_leavers_neet_at_17_18_from_the_ees_file(published: Benchmarks) -> None:
    # ees_la_care_leavers_activity.csv, 2025, 17 to 18 years, "Total not in education,
    # employment or training": Southampton 25 of 92 (12 not known, in the total) = 27% as
    # published; South East 29%; England 30%. DfE publishes it there, not in LAIT.
    found = published.benchmark("EES_CL_NEET_17_18", 2025, "852")
    assert (found.value, found.region_value, found.england) == (27.0, 29.0, 30.0)
    assert found.neighbour_list == "May 2025" and len(found.neighbour_values) == 10


def test_the_shipped_ees_cut_is_what_the_script_makes(tmp_path: Path) -> None:
    data = ROOT / "src" / "scrutineer" / "assess" / "data"
    rows = import_ees(SHARED, data / SHIPPED, tmp_path / "ees.parquet")
    shipped, made = (
        duckdb.connect().execute(f"SELECT * FROM read_parquet('{p}') ORDER BY ALL").fetchall()
        for p in (data / EES_SHIPPED, tmp_path / "ees.parquet")
    )
    assert rows == len(made) and shipped == made, "run scripts/make-ees-benchmarks"


def test_an_authority_s_region_is_found_however_lait_spells_it(published: Benchmarks) -> None:
    # LAIT names Calderdale's region "Yorkshire and The Humber" and Camden's "Inner
    # London"; its region rows say "Yorkshire and the Humber" (982) and "London (Inner)"
    # (987). Both authorities get their region's figure.
    calderdale = published.benchmark("LAC", 2024, "381")
    camden = published.benchmark("LAC", 2024, "202")
    assert calderdale.region_value == published.value("LAC", 2024, "982") is not None
    assert camden.region_value == published.value("LAC", 2024, "987") is not None

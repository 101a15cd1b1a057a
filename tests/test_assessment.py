"""Targets, the assessment of an indicator, and the words that say it."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from scrutineer.assess.assessment import assess_kpi, assess_values, standards_of
from scrutineer.assess.benchmarks import Authority, Benchmark, Benchmarks
from scrutineer.assess.rules import Category, Rag, Travel
from scrutineer.assess.targets import Target, TargetsRejected, read_targets, write_targets
from scrutineer.assess.text import indicator_text, place_in_words, theme_text
from scrutineer.calendar import Period, periods
from scrutineer.catalogue.load import load_catalogue
from scrutineer.engine.compute import Value
from scrutineer.errors import SettingInvalid
from scrutineer.settings import Settings, load_settings
from tests.support.cli import Cli
from tests.support.paths import ROOT

DEMO_TARGETS = ROOT / "src/scrutineer/assess/data/demo_targets.csv"
HEADER = "kpi,kind,value,financial_year,set_by,set_on,note\n"


MARCH_2026 = Period(2026, 3)


def series(kpi: str, values: list[float], last: Period = MARCH_2026) -> list[Value]:
    months = periods(last.shift(1 - len(values)), last)
    return [Value(kpi, str(m), v, v, 100.0) for m, v in zip(months, values, strict=True)]


def target(kpi: str, kind: str, value: float | None) -> Target:
    return Target(kpi, kind, value, 2025, "Board", date(2025, 4, 10))


def test_targets_round_trip_and_profile() -> None:
    targets = read_targets(DEMO_TARGETS.read_text(), load_catalogue())
    assert len(targets) == 25
    assert read_targets(write_targets(targets), load_catalogue()) == targets
    annual = target("contacts", "annual", 24_000)
    assert annual.for_month(1, "count") == 2_000  # an annual count, evenly by month
    ytd = target("contacts_ytd", "ytd", 24_000)
    assert ytd.for_month(3, "count") == 6_000  # June: three months of the year
    assert target("cp_visits_10wd_pct", "annual", 80).for_month(3, "percent") == 80


def test_a_bad_targets_file_is_refused_whole_with_every_problem() -> None:
    text = HEADER + (
        "nonsense,monthly,80,2025,Board,2025-04-10,\n"
        "cp_visits_10wd_pct,weekly,80,2025,Board,2025-04-10,\n"
        "cla_visits_6wk_pct,monthly,lots,2025,Board,2025-04-10,\n"
        "cin_visits_4wk_pct,monthly,80,25,Board,31/04/2025,\n"
    )
    with pytest.raises(TargetsRejected) as caught:
        read_targets(text, load_catalogue())
    where = sorted((i.row, i.column) for i in caught.value.issues)
    assert where == [(2, "kpi"), (3, "kind"), (4, "value"), (5, "financial_year"), (5, "set_on")]
    # a day as Excel writes it in England is read as the QA records' files read it
    (kept,) = read_targets(
        HEADER + "cin_visits_4wk_pct,monthly,80,2025,Board,10/04/2025,\n", load_catalogue()
    )
    assert kept.set_on == date(2025, 4, 10)


def test_a_target_the_indicator_cannot_reach_or_a_second_for_its_year_is_refused() -> None:
    """180% (an agreed 80% mistyped), a count below nothing, a year that is no financial
    year, and two targets for one indicator and year (the assessment would use one and drop
    the other unseen): each refused at its row; 100% and 0 are kept."""
    text = HEADER + (
        "cp_visits_10wd_pct,monthly,180,2025,Board,2025-04-10,\n"
        "contacts,annual,-5,2025,Board,2025-04-10,\n"
        "cin_visits_4wk_pct,monthly,80,1925,Board,2025-04-10,\n"
        "cla_visits_6wk_pct,monthly,90,2025,Board,2025-04-10,\n"
        "cla_visits_6wk_pct,annual,85,2025,Board,2025-06-01,\n"
    )
    with pytest.raises(TargetsRejected) as caught:
        read_targets(text, load_catalogue())
    found = sorted((i.row, i.column, i.message) for i in caught.value.issues)
    assert found == [
        (2, "value", "not a possible percentage"),
        (3, "value", "not a possible count"),
        (4, "financial_year", "not a financial year"),
        (6, "kpi", "a second target for cla_visits_6wk_pct in 2025 (row 5 is the first)"),
    ]
    kept = read_targets(
        HEADER
        + "cp_visits_10wd_pct,monthly,100,2025,Board,2025-04-10,\n"
        + "contacts,annual,0,2025,Board,2025-04-10,\n"
        + "cp_visits_10wd_pct,monthly,95,2026,Board,2026-04-10,\n",
        load_catalogue(),
    )
    assert [(t.kpi, t.value, t.financial_year) for t in kept] == [
        ("cp_visits_10wd_pct", 100, 2025),
        ("contacts", 0, 2025),
        ("cp_visits_10wd_pct", 95, 2026),
    ]


def test_a_red_worsening_indicator_needs_doing_better_and_says_so() -> None:
    kpi = load_catalogue().get("cp_visits_10wd_pct")
    values = [70.0] * 23 + [60.0]
    found = assess_kpi(
        kpi, Period(2026, 3), series(kpi.id, values), target(kpi.id, "monthly", 80), None
    )
    assert (found.target, found.rating, found.direction) == (80, Rag.RED, Travel.WORSENING)
    assert found.signal == "concern"  # 60 is far outside a flat series' limits
    assert found.category is Category.DO_BETTER
    text = indicator_text(found)
    assert "was 60.0% in March 2026 (60 of 100)" in text
    assert "20.0 points below the target of 80.0% (red)" in text
    assert "worsened from the average of the previous three months (70.0%)" in text
    assert "outside limits" in text and "a concern" in text


def test_a_share_of_full_time_equivalents_says_so() -> None:
    kpi = load_catalogue().get("agency_worker_pct")  # weighted by each worker's FTE
    months = periods(MARCH_2026.shift(-23), MARCH_2026)
    values = [Value(kpi.id, str(m), 31.25, 7.0, 22.4) for m in months]
    text = indicator_text(assess_kpi(kpi, MARCH_2026, values, None, None))
    assert "was 31.2% in March 2026 (7.0 of 22.4 FTE)" in text


def southampton(code: str, published: tuple[float, float, float], neighbours: float) -> Benchmark:
    """2024/25's figures for Southampton (its own, the region's and England's), with ten
    statistical neighbours (May 2025 list) that all have `neighbours`."""
    return Benchmark(
        code,
        2025,
        Authority("852", "Southampton", "South East"),
        *published,
        "May 2025",
        tuple((str(n), f"LA {n}", neighbours) for n in range(10)),
    )


def test_without_a_target_a_share_is_rated_against_its_neighbours() -> None:
    kpi = load_catalogue().get("cpp_second_pct")  # lower is better
    bench = southampton("PrevRegCPR", (22.0, 21.0, 23.0), neighbours=20.0)
    found = assess_kpi(kpi, Period(2026, 3), series(kpi.id, [24.0] * 24), None, bench)
    # 4 points above the neighbours' 20.0: within the 5-point band, so amber
    assert (found.goal, found.rated_against, found.rating) == (
        20.0,
        "statistical neighbour mean",
        Rag.AMBER,
    )
    assert found.target is None  # the neighbours' mean is no target the council set
    assert found.direction is Travel.STABLE and found.category is Category.WATCH
    text = indicator_text(found)
    assert "4.0 points above the statistical neighbour average" in text
    assert (
        "In 2024/25 the statistical neighbours averaged 20.0%, the South East 21.0% and "
        "England 23.0% (May 2025 list)."
    ) in text


def test_a_volume_is_compared_with_its_neighbours_but_not_rated() -> None:
    kpi = load_catalogue().get("cla_rate")  # context: how many children are in care
    bench = southampton("LAC", (90.0, 80.0, 70.0), neighbours=100.0)
    found = assess_kpi(kpi, Period(2026, 3), series(kpi.id, [104.0] * 24), None, bench)
    assert (found.rated_against, found.rating) == (None, None)
    text = indicator_text(found)
    assert (
        "the statistical neighbours averaged 100.0, the South East 80.0 and England 70.0 per "
        "10,000 children (May 2025 list). This month is 4.0 per 10,000 children above the "
        "neighbours."
    ) in text
    assert "above the statistical neighbour average" not in text
    assert found.category is Category.CONTEXT and found.neighbour_gap == 4.0


def test_a_demand_measure_is_rated_only_when_the_council_says_which_way_is_better() -> None:
    kpi = load_catalogue().get("cla_rate")  # context in the catalogue: no DfE polarity
    values = series(kpi.id, [110.0] * 23 + [112.0])
    plain = assess_kpi(kpi, MARCH_2026, values, target(kpi.id, "monthly", 100), None)
    assert (plain.rating, plain.category) == (None, Category.CONTEXT)
    lower = replace(target(kpi.id, "monthly", 100), polarity="lower")
    found = assess_kpi(kpi, MARCH_2026, values, lower, None)
    # 12 over a target of 100 (band 5% = 5): red, and rising is worsening
    assert (found.polarity, found.rating, found.direction) == ("lower", Rag.RED, Travel.WORSENING)
    assert found.category is Category.DO_BETTER


def test_a_target_the_council_gives_the_wrong_polarity_is_refused() -> None:
    text = HEADER.replace("note", "note,polarity,tolerance") + (
        "cla_rate,monthly,100,2025,Board,2025-04-10,,lower,\n"
        "cp_visits_10wd_pct,monthly,80,2025,Board,2025-04-10,,lower,\n"
        "cla_visits_6wk_pct,monthly,100,2025,Board,2025-04-10,,,-1\n"
        "cin_visits_4wk_pct,monthly,nan,2025,Board,2025-04-10,,sideways,\n"
    )
    with pytest.raises(TargetsRejected) as caught:
        read_targets(text, load_catalogue())
    where = sorted((i.row, i.column) for i in caught.value.issues)
    assert where == [(3, "polarity"), (4, "tolerance"), (5, "polarity"), (5, "value")]


def test_a_100_percent_target_can_be_met_and_the_neighbour_gap_is_beside_it() -> None:
    kpi = load_catalogue().get("cp_reviews_timely_pct")  # higher is better
    bench = southampton("CPP_Reviewed_InReqTimeScl", (90.0, 91.0, 92.0), neighbours=94.0)
    values = series(kpi.id, [98.5] * 24)
    found = assess_kpi(kpi, MARCH_2026, values, target(kpi.id, "monthly", 100), bench)
    assert (found.tolerance, found.rating, found.category) == (2.0, Rag.GREEN, Category.GOING_WELL)
    assert found.neighbour_gap == 4.5
    text = indicator_text(found)
    assert (
        "1.5 points below the target of 100.0% (green; a target at its limit is met within" in text
    )
    assert "This month is 4.5 points above the neighbours." in text


def test_a_monthly_flow_is_set_beside_dfe_s_year_through_its_12_months() -> None:
    kpi = load_catalogue().get("icpc_15wd_pct")  # a monthly flow with an annual benchmark
    bench = southampton("CP_conf_15days", (80.0, 79.0, 78.0), neighbours=75.0)
    months = periods(MARCH_2026.shift(-23), MARCH_2026)
    # 12 months ago and before: 9 of 10 in time each month; the last 12: 6 of 10, then 8 of 40
    values = [Value(kpi.id, str(m), 90.0, 9.0, 10.0) for m in months[:12]]
    values += [Value(kpi.id, str(m), 60.0, 6.0, 10.0) for m in months[12:23]]
    values.append(Value(kpi.id, "2026-03", 20.0, 8.0, 40.0))
    found = assess_kpi(kpi, MARCH_2026, values, None, bench)
    # (11 x 6 + 8) / (11 x 10 + 40) = 74 / 150 = 49.33%, not March's 20%
    assert found.compared == pytest.approx(49.333333)
    assert found.compared_as == "the 12 months to March 2026"
    assert (found.rated_against, found.rating) == ("statistical neighbour mean", Rag.RED)
    text = indicator_text(found)
    assert "Over the 12 months to March 2026, at 49.3%, it is 25.7 points below" in text


def test_a_count_is_not_set_beside_england_s_total() -> None:
    kpi = load_catalogue().get("referrals")  # a monthly count; DfE publishes the year's
    bench = southampton("CPP_Total_NumRef", (2_100.0, 40_000.0, 600_000.0), neighbours=2_000.0)
    found = assess_kpi(kpi, MARCH_2026, series(kpi.id, [180.0] * 24), None, bench)
    assert (found.england, found.region, found.neighbour_gap) == (None, None, None)
    assert found.compared == 2_160.0  # the 12 months to March, beside DfE's year
    text = indicator_text(found)
    assert "averaged 2,000 per authority (May 2025 list)." in text
    assert "England" not in text
    assert "Over the 12 months to March 2026 there were 2,160." in text


def test_run_rate_for_an_annual_count() -> None:
    kpi = load_catalogue().get("contacts")
    values = [2_000.0] * 23 + [2_000.0]  # April 2025 to March 2026: 12 x 2,000 so far
    september = assess_kpi(
        kpi,
        Period(2025, 9),
        series(kpi.id, values, Period(2025, 9)),
        target(kpi.id, "annual", 21_000),
        None,
    )
    # April to September: 12,000 of 21,000; six months left: 1,500 a month
    assert september.run_rate == pytest.approx(1_500)
    assert "about 1,500 a month are needed" in indicator_text(september)


def test_theme_paragraph() -> None:
    catalogue = load_catalogue()
    visits = assess_kpi(
        catalogue.get("cp_visits_10wd_pct"),
        Period(2026, 3),
        series("cp_visits_10wd_pct", [70.0] * 23 + [60.0]),
        target("cp_visits_10wd_pct", "monthly", 80),
        None,
    )
    cla = assess_kpi(
        catalogue.get("cla_visits_6wk_pct"),
        Period(2026, 3),
        series("cla_visits_6wk_pct", [92.0] * 24),
        target("cla_visits_6wk_pct", "monthly", 90),
        None,
    )
    text = theme_text("purposeful_contact", [visits, cla])
    assert text == (
        "Purposeful contact: 2 indicators, 1 going well, 1 need to do better. "
        "Need to do better: Children on a CP plan visited within 10 working days "
        "(60.0%)."
    )


def test_assess_sorts_the_synthetic_authority_into_three_lists(
    small_authority: Path, tmp_path: Path
) -> None:
    cli = Cli(tmp_path)
    cli.run("load", str(small_authority))
    cli.run("targets", "import", str(DEMO_TARGETS))
    assert cli.run("targets", "export").stdout == DEMO_TARGETS.read_text()
    out = json.loads(cli.run("assess", "--format", "json").stdout)
    assert len(out["indicators"]) == 77
    lists = {row["category"] for row in out["indicators"]}
    assert {"going well", "one to watch", "need to do better", "context only"} <= lists
    assert set(out["themes"]) >= {"purposeful_contact", "corporate_parenting"}
    records = next(r for r in out["indicators"] if r["kpi"] == "audits_good_pct")
    assert records["category"] == "context only" and "no data yet" in records["text"]


@pytest.mark.parametrize("text", ["", HEADER, "\n\n"])
def test_an_empty_targets_file_is_refused_and_every_target_kept(tmp_path: Path, text: str) -> None:
    """An import replaces every target, so a file with none would delete them all."""
    cli = Cli(tmp_path)
    cli.run("targets", "import", str(DEMO_TARGETS))
    (tmp_path / "empty.csv").write_text(text, encoding="utf-8")
    refused = cli.run("targets", "import", str(tmp_path / "empty.csv"), check=False)
    assert refused.returncode != 0 and "holds no targets" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert cli.run("targets", "export").stdout == DEMO_TARGETS.read_text()


def test_a_targets_file_from_a_spreadsheet_s_own_encoding_is_refused_clearly(
    tmp_path: Path,
) -> None:
    cli = Cli(tmp_path)
    text = HEADER + "contacts,annual,100,2025,Boérd,2025-04-10,\n"
    (tmp_path / "targets.csv").write_bytes(text.encode("cp1252"))
    refused = cli.run("targets", "import", str(tmp_path / "targets.csv"), check=False)
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert "not UTF-8" in refused.stderr and "Save it as CSV UTF-8" in refused.stderr


def every_kpi(values: list[float], last: Period = MARCH_2026) -> list[Value]:
    return [v for kpi in load_catalogue() for v in series(kpi.id, values, last)]


def settings_for(**values: str) -> Settings:
    return replace(load_settings({}, Path("/nonexistent/.env")), **values)  # type: ignore[arg-type]


def test_the_synthetic_authority_takes_southampton_s_place_among_dfe_s_figures() -> None:
    published = Benchmarks()
    against = standards_of(settings_for(), (), published)  # E99000000, compare_as 852
    assert (against.la, against.stand_in) == (
        "852",
        Authority("852", "Southampton", "South East"),
    )
    # referrals per 10,000 in March 2021 are set beside LAIT's 2020/21 figures: the South
    # East 575.6, England 507.1 and Southampton's April 2021 neighbours' mean 656.16 (worked
    # by hand in test_benchmarks); Southampton's own 822.7 is not the synthetic authority's
    kpi = "referrals_rate_r12"
    values = every_kpi([600.0] * 24, last=Period(2021, 3))
    found = next(
        a
        for a in assess_values(load_catalogue(), Period(2021, 3), values, against)
        if a.kpi.id == kpi
    )
    assert (found.region, found.england) == (575.6, 507.1)
    assert found.benchmark is not None and found.benchmark.neighbour_mean == pytest.approx(656.16)
    assert found.target is None and found.rating is None  # a context measure: not judged
    assert place_in_words(against) == (
        "The authority has no figures of its own in the Department for Education's data, so "
        "it is compared with England, the South East region and the statistical neighbours "
        "of Southampton, whose place it takes."
    )


def test_a_council_is_compared_as_itself_whatever_compare_as_says() -> None:
    against = standards_of(settings_for(la_code="E08000025", compare_as="852"), (), Benchmarks())
    assert (against.la, against.stand_in) == ("E08000025", None)
    assert place_in_words(against) is None


def test_compare_as_empty_leaves_the_synthetic_authority_without_benchmarks() -> None:
    against = standards_of(settings_for(compare_as=""), (), Benchmarks())
    values = every_kpi([600.0] * 24)
    found = assess_values(load_catalogue(), MARCH_2026, values, against)
    assert against.stand_in is None and all(a.benchmark is None for a in found)


def test_compare_as_an_authority_dfe_does_not_know_is_refused_by_name() -> None:
    with pytest.raises(SettingInvalid, match="SCRUTINEER_COMPARE_AS='999'"):
        standards_of(settings_for(compare_as="999"), (), Benchmarks())

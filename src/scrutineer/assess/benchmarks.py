"""DfE's published benchmarks for any English authority: its own value, its region,
England, and its 10 statistical neighbours (mean and median), by indicator and year.

Data (shipped in `assess/data/`, copied from shared/data/dfe by `scrutineer benchmarks
import`): the LAIT indicator bank (long format: `Short Desc`, `Years`, `LA and Regions`,
`Values`, `LA Number`, `Region`) cut to the codes the catalogue names, and DfE's two
statistical neighbour lists (April 2021 and May 2025). Years are years ending 31 March
(2021 = 2020/21). The April 2021 list is used up to 2024, the May 2025 list from 2025, unless
one is asked for. Suppressed values (`c`, `x`, `z`, `u`, `-`) are no value, never zero; the
neighbour mean and median are over the neighbours with a value, and say how many that is.
"""

from __future__ import annotations

import csv
import statistics
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import duckdb

from scrutineer.catalogue.model import Catalogue
from scrutineer.errors import ScrutineerError

NEIGHBOUR_LISTS = {"2021": "April 2021", "2025": "May 2025"}
SHIPPED = "lait_benchmarks.parquet"
# Measures DfE publishes on Explore Education Statistics but not in LAIT, cut to the same
# long form (scripts/make-ees-benchmarks) under Scrutineer's own codes, each named by the
# catalogue entries whose KPIS.csv source is that file. Always read with the LAIT figures.
EES_SHIPPED = "ees_benchmarks.parquet"
EES_MEASURES = {  # code -> (EES file, care_leaver_age, breakdown whose percentage it is)
    "EES_CL_NEET_17_18": (
        "ees_la_care_leavers_activity.csv",
        "17 to 18 years",
        "Total not in education, employment or training",
    ),
}


class UnknownAuthority(ScrutineerError):
    def __init__(self, code: str) -> None:
        super().__init__(
            f"No English authority with code {code!r} in DfE's data. Give the old LA number "
            "(e.g. 852) or the ONS code (e.g. E06000045)."
        )


@dataclass(frozen=True)
class Authority:
    number: str  # DfE's old three-digit LA number, e.g. "852"
    name: str
    region: str


@dataclass(frozen=True)
class Benchmark:
    code: str  # LAIT short description, e.g. "CPP_Total_Rateper10,000"
    year: int
    authority: Authority
    value: float | None
    region_value: float | None
    england: float | None
    neighbour_list: str  # "April 2021" or "May 2025"
    neighbours: tuple[tuple[str, str, float | None], ...]  # (number, name, value)

    @property
    def neighbour_values(self) -> list[float]:
        return [v for _, _, v in self.neighbours if v is not None]

    @property
    def neighbour_mean(self) -> float | None:
        values = self.neighbour_values
        return round(statistics.fmean(values), 4) if values else None

    @property
    def neighbour_median(self) -> float | None:
        values = self.neighbour_values
        return round(statistics.median(values), 4) if values else None

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "year": self.year,
            "la": self.authority.number,
            "la_name": self.authority.name,
            "value": self.value,
            "region": self.authority.region,
            "region_value": self.region_value,
            "england": self.england,
            "neighbour_list": self.neighbour_list,
            "neighbour_mean": self.neighbour_mean,
            "neighbour_median": self.neighbour_median,
            "neighbours_with_value": f"{len(self.neighbour_values)} of {len(self.neighbours)}",
        }


class Benchmarks:
    """The published figures, read once into memory (48,790 rows for the catalogue's codes)."""

    def __init__(self, parquet: Path | None = None) -> None:
        path = parquet or _shipped(SHIPPED)
        con = duckdb.connect()
        rows = con.execute(
            "SELECT code, year, number, name, region, level, value FROM read_parquet(?) "
            "UNION ALL BY NAME "
            "SELECT code, year, number, name, region, level, value FROM read_parquet(?)",
            [str(path), str(_shipped(EES_SHIPPED))],
        ).fetchall()
        con.close()
        self._values: dict[tuple[str, int, str], float | None] = {}
        self._names: dict[str, tuple[str, str]] = {}
        self._regions: dict[str, str] = {}  # region name -> its number
        for code, year, number, name, region, level, value in rows:
            self._values[(code, int(year), str(number))] = value
            self._names.setdefault(str(number), (str(name), str(region)))  # LAIT's first
            if level == "region":
                self._regions[_region_key(str(name))] = str(number)

    def authority(self, code: str) -> Authority:
        number = _la_number(code.strip())
        if number not in self._names:
            raise UnknownAuthority(code)
        name, region = self._names[number]
        return Authority(number, name, region)

    def looks_like_percent(self, code: str) -> bool:
        """Whether every published value lies between 0 and 100. LAIT holds some "percentage"
        measures as counts (CPP_Reviewed_InReqTimeScl), which must not rate a percentage."""
        values = [v for (c, _, _), v in self._values.items() if c == code and v is not None]
        return bool(values) and all(0 <= v <= 100 for v in values)

    def years(self, code: str) -> list[int]:
        return sorted({y for c, y, _ in self._values if c == code})

    def value(self, code: str, year: int, number: str) -> float | None:
        return self._values.get((code, year, number))

    def benchmark(
        self, code: str, year: int, la: str, neighbour_list: str | None = None
    ) -> Benchmark:
        authority = self.authority(la)
        which = neighbour_list or ("2025" if year >= 2025 else "2021")
        neighbours = tuple(
            (n, self._names.get(n, (f"LA {n}", ""))[0], self.value(code, year, n))
            for n in statistical_neighbours(which).get(authority.number, ())
        )
        return Benchmark(
            code,
            year,
            authority,
            self.value(code, year, authority.number),
            self._region_value(code, year, authority.region),
            self.value(code, year, ENGLAND),
            NEIGHBOUR_LISTS[which],
            neighbours,
        )

    def _region_value(self, code: str, year: int, region: str) -> float | None:
        number = self._regions.get(_region_key(region))
        return self.value(code, year, number) if number else None


ENGLAND = "970"


def _region_key(name: str) -> str:
    """A region as LAIT names it in either place: its region rows say "Yorkshire and the
    Humber" and "London (Inner)", an authority's Region "Yorkshire and The Humber" and
    "Inner London"."""
    key = name.strip().lower()
    return {"london (inner)": "inner london", "london (outer)": "outer london"}.get(key, key)


def _shipped(name: str) -> Path:
    return Path(str(resources.files(__package__).joinpath("data", name)))


def import_ees(folder: Path, lait: Path, target: Path) -> int:
    """Cut the EES files of EES_MEASURES (in `folder`) to the LAIT long form: DfE's own
    published percentage, by authority (old LA number), region (LAIT's numbers, matched by
    name from the `lait` file) and England (970); suppressed values (`c`, `x`, `z`) are no
    value. Returns the rows written."""
    con = duckdb.connect()
    try:
        # regions by LAIT's names and numbers, keyed as _region_key has them (the EES files
        # name them as an authority's Region does: "Inner London")
        regions = con.execute(
            "SELECT DISTINCT name, number FROM read_parquet(?) WHERE level = 'region'",
            [str(lait)],
        ).fetchall()
        con.execute("CREATE TEMP TABLE regions (key VARCHAR, name VARCHAR, number VARCHAR)")
        con.executemany(
            "INSERT INTO regions VALUES (?, ?, ?)",
            [[_region_key(str(name)), name, number] for name, number in regions],
        )
        con.execute(
            "CREATE TEMP TABLE las AS SELECT number, any_value(region) AS region "
            "FROM read_parquet(?) WHERE level = 'la' GROUP BY number",
            [str(lait)],
        )
        parts = []
        for code, (file, age, breakdown) in EES_MEASURES.items():
            parts.append(
                f"SELECT '{code}' AS code, CAST(time_period AS INTEGER) AS year, "
                "CASE geographic_level WHEN 'National' THEN '970' "
                "  WHEN 'Regional' THEN r.number "
                "  ELSE CAST(CAST(old_la_code AS INTEGER) AS VARCHAR) END AS number, "
                "CASE geographic_level WHEN 'National' THEN 'England' "
                "  WHEN 'Regional' THEN r.name ELSE la_name END AS name, "
                "CASE geographic_level WHEN 'Local authority' "
                "  THEN coalesce(l.region, e.region_name) ELSE 'NA' END AS region, "
                "CASE geographic_level WHEN 'National' THEN 'england' "
                "  WHEN 'Regional' THEN 'region' ELSE 'la' END AS level, "
                "TRY_CAST(care_leaver_percent AS DOUBLE) AS value, "
                "care_leaver_percent AS published "
                f"FROM read_csv('{folder / file}', all_varchar = true) AS e "
                "LEFT JOIN las AS l "
                "ON l.number = CAST(TRY_CAST(old_la_code AS INTEGER) AS VARCHAR) "
                "LEFT JOIN regions AS r ON r.key = lower(trim(e.region_name)) "
                f"WHERE care_leaver_age = '{age}' AND breakdown = '{breakdown}' "
                "AND time_identifier = 'Reporting year'"
            )
        con.execute(
            f"COPY (SELECT * FROM ({' UNION ALL '.join(parts)}) WHERE number IS NOT NULL "
            f"ORDER BY 1, 2, 3) TO '{target}' (FORMAT parquet)"
        )
        found = con.execute("SELECT count(*) FROM read_parquet(?)", [str(target)]).fetchone()
    finally:
        con.close()
    return int(found[0]) if found else 0


def import_lait(source: Path, codes: set[str], target: Path) -> int:
    """Cut DfE's LAIT indicator bank (long format) to `codes`, typed; returns the rows kept.

    `Values` is text: numbers (some in scientific notation) or suppression codes, which
    become no value. An LA's region is its `Region`; a row whose `Region` is `NA` is a region
    (or England, number 970).
    """
    con = duckdb.connect()
    try:
        listed = ", ".join("'" + c.replace("'", "''") + "'" for c in sorted(codes))
        con.execute(
            'COPY (SELECT "Short Desc" AS code, CAST(Years AS INTEGER) AS year,'
            ' CAST(CAST("LA Number" AS INTEGER) AS VARCHAR) AS number,'
            ' "LA and Regions" AS name, Region AS region,'
            " CASE WHEN CAST(\"LA Number\" AS INTEGER) = 970 THEN 'england'"
            "      WHEN Region = 'NA' THEN 'region' ELSE 'la' END AS level,"
            ' TRY_CAST(trim("Values") AS DOUBLE) AS value, "Values" AS published'
            f' FROM read_parquet(?) WHERE "Short Desc" IN ({listed})'
            ' AND "LA Number" IS NOT NULL ORDER BY 1, 2, 3)'
            f" TO '{target}' (FORMAT parquet)",
            [str(source)],
        )
        found = con.execute("SELECT count(*) FROM read_parquet(?)", [str(target)]).fetchone()
    finally:
        con.close()
    return int(found[0]) if found else 0


@cache
def statistical_neighbours(which: str) -> dict[str, tuple[str, ...]]:
    """DfE's statistical neighbours: LA number -> its 10 neighbours, closest first."""
    name = {"2021": "sn_april_2021.csv", "2025": "sn_may_2025.csv"}[which]
    text = resources.files(__package__).joinpath("data", name).read_text("utf-8-sig")
    table: dict[str, tuple[str, ...]] = {}
    for row in csv.reader(text.splitlines()[1:]):
        if row and row[0].strip():
            table[row[0].strip()] = tuple(
                row[i].strip()
                for i in range(_first_neighbour(which), len(row), 2)
                if row[i].strip()
            )[:10]
    return table


def _first_neighbour(which: str) -> int:
    # April 2021: LA num, LA Name, LA number, GOInd, GOReg, SN1, SNP, ...
    # May 2025: old_la_code, la_name, region_ind, region_name, SN_1, SN_1P, ...
    return 5 if which == "2021" else 4


def _la_number(code: str) -> str:
    if code.isdigit():
        return str(int(code))
    from scrutineer.engine.population import old_la_number

    return old_la_number(code) or code


def kpi_benchmarks(
    benchmarks: Benchmarks,
    catalogue: Catalogue,
    la: str,
    kpi_ids: list[str],
    year: int | None,
    neighbour_list: str | None,
) -> list[dict[str, object]]:
    """One row per benchmarked KPI: the published figures for the year (default: latest)."""
    kpis = [catalogue.get(k) for k in kpi_ids] if kpi_ids else [k for k in catalogue if k.benchmark]
    rows = []
    for kpi in kpis:
        if not kpi.benchmark:
            raise NoBenchmark(kpi.id)
        chosen = year or max(benchmarks.years(kpi.benchmark), default=0)
        found = benchmarks.benchmark(kpi.benchmark, chosen, la, neighbour_list)
        rows.append({"kpi": kpi.id, **found.as_dict()})
    return rows


class NoBenchmark(ScrutineerError):
    def __init__(self, kpi_id: str) -> None:
        super().__init__(
            f"{kpi_id} has no DfE benchmark (KPIS.csv names the ones that do). "
            "Run `scrutineer benchmarks --la CODE` to see them all."
        )


def benchmarks_for(data_dir: Path) -> Benchmarks:
    """The benchmarks every command and page uses: a newer DfE release imported into
    `data_dir` if there is one, else the release shipped with Scrutineer."""
    imported = imported_path(data_dir)
    return Benchmarks(imported if imported.is_file() else None)


def imported_path(data_dir: Path) -> Path:
    """Where `scrutineer import-benchmarks` puts a newer DfE release (used when present)."""
    return data_dir / "benchmarks" / SHIPPED

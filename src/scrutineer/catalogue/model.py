"""The catalogue's shapes: a cohort (who or what is counted), a KPI over a cohort.

A **cohort** is a SQL query over the extract tables and `periods` (one row per month, with
the month's start `p_start`, end `p_end` and the start of the indicator's window
`w_start`). It returns one row per unit counted (a child at a month end, a contact in a
window) with at least `period`, `ref_date` (the date the unit belongs to a worker) and
`person_id`.

A **KPI** takes a cohort, adds named columns (SQL expressions over the cohort row `c`),
keeps the rows its `where` allows (the denominator), and counts those its `counted`
condition holds for (the numerator). The engine writes the rest of the query.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

Unit = Literal["count", "rate_per_10k", "percent", "average"]
Kind = Literal["snapshot", "flow", "ytd", "rolling12"]
Polarity = Literal["higher", "lower", "context"]
Level = Literal["authority", "service", "team", "worker"]  # where figures are given
LEVELS: tuple[Level, ...] = ("authority", "service", "team", "worker")  # coarsest first
UNITS: tuple[str, ...] = ("count", "rate_per_10k", "percent", "average")
KINDS: tuple[str, ...] = ("snapshot", "flow", "ytd", "rolling12")
POLARITIES: tuple[str, ...] = ("higher", "lower", "context")
# the fields of a KPI that KPIS.csv fixes (its columns of the same names)
SPEC_FIELDS = (
    "title",
    "area",
    "theme",
    "unit",
    "kind",
    "polarity",
    "definition",
    "benchmark",
    "source",
)


@dataclass(frozen=True)
class Location:
    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


NOWHERE = Location("", 0)


@dataclass(frozen=True)
class Cohort:
    name: str
    description: str
    sql: str
    additive: bool = True  # events (one month each): windows add months up
    records: bool = False  # reads the quality-assurance records (qa_* tables), not the extract
    location: Location = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class Exceptions:
    """Which units an exception list shows, and what it shows about them."""

    when: Literal["missed", "counted"]  # missed: not in the numerator; counted: in it
    show: tuple[str, ...]  # columns of the unit (dates that matter) shown in the list
    due: str | None = None  # SQL: the date the duty fell due; days overdue count from it
    days: Literal["calendar", "working"] = "calendar"  # how days overdue are counted, as the
    # standard is written (10 working days, 28 days)
    # SQL: the day days overdue are counted to, if not the unit's ref_date (the month end, or
    # the day the late conference was held): for a flow of starts, the day the duty was done
    # or, not yet done, the as-at date
    until: str | None = None


@dataclass(frozen=True)
class Kpi:
    id: str
    title: str
    area: str
    theme: str
    unit: Unit
    kind: Kind
    polarity: Polarity
    definition: str
    benchmark: str | None
    cohort: str  # a cohort's name
    source: str = ""  # where the definition comes from (KPIS.csv's `source`)
    # how the definition is counted where its words leave a choice (a day count, a code
    # list), and any difference from DfE's figure that remains, with why
    note: str = ""
    differs: str = ""  # how the figure still differs from the DfE one it is compared with, why
    columns: tuple[tuple[str, str], ...] = ()  # (name, SQL expression over `c`)
    where: str | None = None
    counted: str | None = None  # percent: the numerator's condition
    weight: str | None = None  # percent: SQL of each unit's weight (an FTE), if not 1 each
    numerator: str | None = None  # average: aggregate SQL
    denominator: str | None = None  # average: aggregate SQL
    exceptions: Exceptions | None = None
    location: Location = field(default=NOWHERE, compare=False)
    records: bool = False  # its cohort reads the records store's QA tables (set on loading)

    @property
    def from_records(self) -> bool:
        """Computed from quality-assurance records, which the caller hands the engine."""
        return self.records


@dataclass(frozen=True)
class Catalogue:
    kpis: tuple[Kpi, ...]
    cohorts: dict[str, Cohort]

    def __iter__(self) -> Iterator[Kpi]:
        return iter(self.kpis)

    def __len__(self) -> int:
        return len(self.kpis)

    def get(self, kpi_id: str) -> Kpi:
        for kpi in self.kpis:
            if kpi.id == kpi_id:
                return kpi
        from scrutineer.errors import UnknownKpi

        raise UnknownKpi(kpi_id)

    def only(self, *kpi_ids: str) -> Catalogue:
        return Catalogue(tuple(self.get(k) for k in kpi_ids), self.cohorts)

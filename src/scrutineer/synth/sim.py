"""The simulation's shared state: randomness, time, the children, and how duties recur.

Journeys (frontdoor.py, protection.py, care.py) are computed one child at a time, each
stage sampling its own length and what follows it, in the order referrals arrive.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from itertools import accumulate
from typing import TypeVar

from scrutineer.calendar import Period, add_working_days, is_working_day, periods
from scrutineer.synth.names import child_name
from scrutineer.synth.params import AuthorityParams, Cadence
from scrutineer.synth.records import Records
from scrutineer.synth.returns_fields import second_disability, upn
from scrutineer.synth.workforce import Allocation, Workforce

T = TypeVar("T")

# Contacts and referrals by calendar month: fewer in August and late December (school
# holidays), more in the autumn and spring terms.
SEASON = {
    1: 1.03,
    2: 1.04,
    3: 1.07,
    4: 0.95,
    5: 1.02,
    6: 1.06,
    7: 1.01,
    8: 0.87,
    9: 1.00,
    10: 1.08,
    11: 1.06,
    12: 0.89,
}
ETHNICITY = (
    ("WBRI", 55),
    ("WOTH", 5),
    ("WIRT", 1),
    ("WROM", 1),
    ("MWBC", 4),
    ("MWBA", 1),
    ("MWAS", 1),
    ("MOTH", 3),
    ("AIND", 2),
    ("APKN", 8),
    ("ABAN", 2),
    ("AOTH", 3),
    ("BCRB", 3),
    ("BAFR", 6),
    ("BOTH", 1),
    ("CHNE", 1),
    ("OOTH", 2),
    ("NOBT", 1),
)


@dataclass(slots=True)
class Child:
    id: str
    dob: date
    sex: str
    locality: int
    disabled: bool
    busy_until: date = date.min  # end of the open CIN episode; free to be referred after
    early_help_until: date = date.min
    last_referral: date | None = None
    cp_plans: int = 0  # plans so far: children who had one are referred back more often

    def age(self, day: date) -> int:
        return day.year - self.dob.year - ((day.month, day.day) < (self.dob.month, self.dob.day))

    def birthday(self, years: int) -> date:
        try:
            return self.dob.replace(year=self.dob.year + years)
        except ValueError:  # born on 29 February
            return date(self.dob.year + years, 3, 1)


@dataclass
class Sim:
    params: AuthorityParams
    records: Records
    rng: random.Random
    workforce: Workforce
    history_start: date
    horizon: date  # the day after the as-at date: "still open"
    performance: dict[Period, float] = field(default_factory=dict)
    children: list[Child] = field(default_factory=list)
    former_cp: list[Child] = field(default_factory=list)  # whose CP plan has ended
    addressed: set[str] = field(default_factory=set)  # children with a home address written
    _carried: dict[str, float] = field(default_factory=dict)

    @property
    def as_at(self) -> date:
        return self.params.end

    # --- children -------------------------------------------------------------------------

    def new_child(self, day: date, age: int | None = None) -> Child:
        years = self.random_age() if age is None else age
        dob = day - timedelta(days=years * 365 + self.rng.randint(0, 364))
        sex = "F" if self.rng.random() < 0.49 else "M"
        child = Child(
            self.records.next_id(""), dob, sex, self.rng.randrange(12), self.rng.random() < 0.06
        )
        forename, surname = child_name(self.rng, sex)
        self.records.add(
            "ssd_person",
            pers_person_id=child.id,
            pers_forename=forename,
            pers_surname=surname,
            pers_sex=sex,
            pers_dob=dob,
            pers_ethnicity=self.weighted(ETHNICITY),
            # younger than four: UN1, not yet at school (the UPN itself is a linked identifier)
            pers_upn_unknown="UN1" if child.birthday(4) > self.as_at else None,
        )
        if child.birthday(4) <= self.as_at:
            self.records.add(
                "ssd_linked_identifiers",
                link_table_id=self.records.next_id("LI"),
                link_person_id=child.id,
                link_identifier_type="Unique Pupil Number",
                link_identifier_value=upn(child.id, dob),
                link_valid_from_date=child.birthday(4),
            )
        if child.disabled:
            first = self.rng.choice(("LD", "AUT", "COMM", "MOB", "BEH"))
            for code in (first, *second_disability(child.id, first)):
                self.records.add(
                    "ssd_disability",
                    disa_table_id=self.records.next_id("D"),
                    disa_person_id=child.id,
                    disa_disability_code=code,
                )
        self.children.append(child)
        return child

    def random_age(self) -> int:
        # more babies and teenagers than middle childhood, as in referral statistics
        return self.weighted(
            (
                (0, 12),
                (1, 5),
                (2, 5),
                (3, 5),
                (4, 5),
                (5, 5),
                (6, 5),
                (7, 5),
                (8, 5),
                (9, 5),
                (10, 5),
                (11, 5),
                (12, 6),
                (13, 6),
                (14, 6),
                (15, 6),
                (16, 5),
                (17, 2),
            )
        )

    # --- randomness -----------------------------------------------------------------------

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def weighted(self, options: tuple[tuple[T, float], ...]) -> T:
        values, cumulative = _cumulative(options)
        chosen: T = values[bisect_right(cumulative, self.rng.random() * cumulative[-1])]
        return chosen

    def count(self, mean: float) -> int:
        """A Poisson count: exact for small means, the normal approximation for large ones."""
        if mean > 30:
            return max(0, round(self.rng.gauss(mean, math.sqrt(mean))))
        limit, product, count = math.exp(-mean), self.rng.random(), 0
        while product > limit:
            product *= self.rng.random()
            count += 1
        return count

    def steady_count(self, stream: str, mean: float) -> int:
        """A count that keeps to its mean month after month (what is owed carries over).

        For small flows into long stays (unaccompanied children, entries to care before the
        extract) whose Poisson noise would swing the stock far from the authority's level.
        """
        owed = self._carried.get(stream, self.rng.random()) + mean
        count = int(owed)
        self._carried[stream] = owed - count
        return count

    def days(self, mean: float, minimum: int = 1) -> int:
        return minimum + int(self.rng.expovariate(1 / max(mean - minimum, 1)))

    # --- time -----------------------------------------------------------------------------

    def months(self, first: date, last: date) -> list[Period]:
        return periods(Period.of(first), Period.of(last))

    def working_day_in(self, month: Period) -> date:
        return self.rng.choice(_working_days(month))

    def wd(self, day: date, n: int) -> date:
        return add_working_days(day, n)

    def next_working_day(self, day: date) -> date:
        while not is_working_day(day):
            day += timedelta(days=1)
        return day

    def performance_at(self, day: date) -> float:
        return self.performance.get(Period.of(day), 0.0)

    def on_time_share(self, cadence_share: float, swing: float, day: date) -> float:
        return min(0.99, max(0.02, cadence_share + swing * self.performance_at(day)))

    def recurring(
        self, cadence: Cadence, start: date, end: date, first_due: int | None = None
    ) -> Iterator[date]:
        """Dates a recurring duty is done between start and end (exclusive)."""
        day = start
        due = cadence.due if first_due is None else first_due
        while True:
            if self.chance(self.on_time_share(cadence.on_time, cadence.swing, day)):
                gap = self.rng.randint(min(cadence.early_min, due), due)
            else:
                gap = self.rng.randint(due + 1, max(cadence.late_max, due + 2))
            day += timedelta(days=gap)
            if day >= min(end, self.horizon):
                return
            yield day
            due = cadence.due

    # --- allocations ----------------------------------------------------------------------

    def allocate(
        self,
        child: Child,
        kind: str,
        start: date,
        end: date | None,
        referral: str | None,
        role: str = "ALLOCATED_CASE_WORKER",
    ) -> list[Allocation]:
        runs = self.workforce.allocate(kind, child.locality, start, end)
        for run in runs:
            self.records.span(
                "ssd_involvements",
                run.start,
                self.open_end(run.end),
                invo_involvements_id=self.records.next_id("I"),
                invo_professional_id=run.worker,
                invo_professional_role_id=role,
                invo_professional_team=run.team,
                invo_involvement_start_date=run.start,
                invo_involvement_end_date=self.records.ended(self.open_end(run.end)),
                invo_worker_change_reason="Case transferred" if run is not runs[0] else None,
                invo_person_id=child.id,
                invo_referral_id=referral,
            )
        return runs

    def open_end(self, end: date | None) -> date | None:
        return None if end is None or end >= self.horizon else end

    def ended(self, end: date | None) -> date | None:
        """An end as the extract shows it: none while open (at the horizon or after)."""
        return self.records.ended(self.open_end(end))

    def write_referral(
        self,
        child: Child,
        referral: str,
        day: date,
        end: date,
        reason: str,
        need: str,
        source: str,
        nfa: str = "N",
        team: str | None = None,
        worker: str | None = None,
    ) -> None:
        """The CIN episode of a referral, once its journey (and so its end) is known."""
        closed = self.ended(end)
        self.records.span(
            "ssd_cin_episodes",
            day,
            closed,
            cine_referral_id=referral,
            cine_person_id=child.id,
            cine_referral_date=day,
            cine_cin_primary_need_code=need,
            cine_referral_source_code=source,
            cine_referral_nfa=nfa,
            cine_close_reason=reason if closed else None,
            cine_close_date=closed,
            cine_referral_team=team,
            cine_referral_worker_id=worker,
        )

    def supervise(self, child: Child, runs: list[Allocation], cadence: Cadence) -> None:
        if not runs:
            return
        for day in self.recurring(cadence, runs[0].start, runs[-1].end):
            run = next((r for r in runs if r.start <= day < r.end), runs[-1])
            self.records.event(
                "ext_case_supervisions",
                day,
                csup_supervision_id=self.records.next_id("SUP"),
                csup_person_id=child.id,
                csup_supervision_date=day,
                csup_worker_id=run.worker,
                csup_supervisor_id=self.workforce.manager_of(run.team),
                csup_team=run.team,
            )

    def worker_at(self, runs: list[Allocation], day: date) -> tuple[str | None, str | None]:
        for run in runs:
            if run.start <= day < run.end:
                return run.worker, run.team
        return (runs[-1].worker, runs[-1].team) if runs else (None, None)


@lru_cache(maxsize=256)
def _cumulative(options: tuple[tuple[T, float], ...]) -> tuple[tuple[T, ...], tuple[float, ...]]:
    return tuple(v for v, _ in options), tuple(accumulate(w for _, w in options))


@lru_cache(maxsize=1024)
def _working_days(month: Period) -> tuple[date, ...]:
    days = [month.start + timedelta(days=i) for i in range((month.end - month.start).days + 1)]
    return tuple(d for d in days if is_working_day(d))


def performance_series(rng: random.Random, months: list[Period]) -> dict[Period, float]:
    """A slowly wandering practice quality in [-1, 1]: good months and bad months, as in life."""
    level, series = 0.0, {}
    for month in months:
        level = max(-1.0, min(1.0, 0.75 * level + rng.gauss(0, 0.35)))
        series[month] = level
    return series

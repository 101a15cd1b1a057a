"""Services, teams and workers, and who holds each child's case when.

Each team has a manager (who supervises) and case-holding worker posts. A post is filled
by a run of workers: one leaves, the post stays empty for a few weeks, the next starts;
agency workers stay for shorter spells. Cases of a worker who leaves are reallocated.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from scrutineer.synth.names import worker_name
from scrutineer.synth.records import Records

# (service id, service name, kind of case it holds, number of teams, workers per team)
SERVICES: tuple[tuple[str, str, str, int, int], ...] = (
    ("SVC-FD", "Front Door (MASH)", "front_door", 2, 6),
    ("SVC-AS", "Assessment", "assessment", 4, 7),
    ("SVC-PC", "Protection and Court", "safeguarding", 6, 7),
    ("SVC-CWD", "Children with Disabilities", "disability", 1, 7),
    ("SVC-YOS", "Youth Offending", "youth", 1, 5),
    ("SVC-LAC", "Looked After Children", "looked_after", 4, 7),
    ("SVC-CL", "Care Leavers (Pathways)", "care_leavers", 2, 8),
    ("SVC-EH", "Early Help", "early_help", 5, 8),
)
AGENCY_SHARE = 0.5  # of new starters; agency workers stay less long, so ~17% at a time
MEAN_TENURE_DAYS = {False: 4 * 365, True: 300}  # permanent, agency
MEAN_DAYS_BEFORE_WORKER_CHANGE = 300


@dataclass
class Worker:
    id: str
    team: str
    start: date
    end: date | None
    agency: bool

    def active(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


@dataclass
class Team:
    id: str
    name: str
    kind: str
    manager: str
    workers: list[Worker] = field(default_factory=list)


@dataclass(frozen=True)
class Allocation:
    start: date
    end: date  # exclusive; the horizon stands for "still open"
    worker: str
    team: str


class Workforce:
    def __init__(
        self, rng: random.Random, records: Records, scale: float, first: date, horizon: date
    ) -> None:
        self.rng = rng
        self.records = records
        self.horizon = horizon
        self.teams: dict[str, list[Team]] = {}
        self._managers: dict[str, str] = {}
        for service_id, name, kind, teams, posts in SERVICES:
            count = max(1, round(teams * scale))
            self._add_service(service_id, name, kind, count, posts, first)

    def _add_service(
        self, service_id: str, name: str, kind: str, teams: int, posts: int, first: date
    ) -> None:
        self.records.add("ssd_department", dept_team_id=service_id, dept_team_name=name)
        self.teams[kind] = []
        for index in range(teams):
            team_id = f"{service_id}-{index + 1}"
            team_name = f"{name.split(' (')[0]} Team {chr(65 + index)}"
            self.records.add(
                "ssd_department",
                dept_team_id=team_id,
                dept_team_name=team_name,
                dept_team_parent_id=service_id,
                dept_team_parent_name=name,
            )
            manager = self._professional(team_name, "Team Manager", False)
            team = Team(team_id, team_name, kind, manager)
            self._managers[team_id] = manager
            for _ in range(posts):
                self._fill_post(team, first)
            self.teams[kind].append(team)

    def _fill_post(self, team: Team, first: date) -> None:
        start = first - timedelta(days=self.rng.randint(0, 5 * 365))
        while start < self.horizon:
            agency = self.rng.random() < AGENCY_SHARE
            tenure = int(self.rng.expovariate(1 / MEAN_TENURE_DAYS[agency])) + 30
            end = start + timedelta(days=tenure)
            title = "Social Worker" if team.kind != "early_help" else "Family Support Worker"
            worker_id = self._professional(team.name, title, agency)
            team.workers.append(
                Worker(worker_id, team.id, start, end if end < self.horizon else None, agency)
            )
            start = end + timedelta(days=self.rng.randint(7, 60))

    def _professional(self, team_name: str, title: str, agency: bool) -> str:
        worker_id = self.records.next_id("W")
        self.records.add(
            "ssd_professionals",
            prof_professional_id=worker_id,
            prof_staff_id=f"S{worker_id[1:]}",
            prof_professional_name=worker_name(self.rng),
            # Social Work England's form; family support workers are not social workers
            prof_social_worker_registration_no=(
                None if title == "Family Support Worker" else f"SW{worker_id[1:]}"
            ),
            prof_professional_job_title=title,
            prof_professional_department=team_name,
            prof_full_time_equivalency=1.0 if self.rng.random() < 0.85 else 0.8,
            prof_agency_worker_flag="Y" if agency else "N",
        )
        return worker_id

    def team_for(self, kind: str, locality: int) -> Team:
        teams = self.teams[kind]
        return teams[locality % len(teams)]

    def manager_of(self, team_id: str) -> str:
        return self._managers[team_id]

    def allocate(self, kind: str, locality: int, start: date, end: date | None) -> list[Allocation]:
        """Who holds the case from start to end: a run of workers in one team."""
        team = self.team_for(kind, locality)
        stop = min(end or self.horizon, self.horizon)
        runs: list[Allocation] = []
        day = start
        while day < stop:
            worker = self._pick(team, day)
            change = day + timedelta(
                days=int(self.rng.expovariate(1 / MEAN_DAYS_BEFORE_WORKER_CHANGE)) + 14
            )
            until = min(stop, change, worker.end or self.horizon)
            runs.append(Allocation(day, until, worker.id, team.id))
            day = until
        return runs

    def _pick(self, team: Team, day: date) -> Worker:
        active = [w for w in team.workers if w.active(day)]
        if active:
            return self.rng.choice(active)
        # every post is between workers: the case waits with whoever starts next
        return min(
            (w for w in team.workers if w.start > day),
            key=lambda w: w.start,
            default=team.workers[-1],
        )

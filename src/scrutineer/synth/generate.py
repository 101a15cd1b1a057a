"""Generate one or many synthetic authorities as extract folders."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from scrutineer.calendar import Period
from scrutineer.errors import GeneratorInvalid
from scrutineer.extract.contract import load_contract
from scrutineer.synth import care, frontdoor
from scrutineer.synth.params import AuthorityParams
from scrutineer.synth.records import Records
from scrutineer.synth.sim import Sim, performance_series
from scrutineer.synth.workforce import Workforce

PERSON_COLUMNS = {  # every column naming a child, so only children with records are written
    c.name
    for t in load_contract()
    for c in t.columns
    if c.references is not None and str(c.references) == "ssd_person.pers_person_id"
}


@dataclass(frozen=True)
class Generated:
    folder: Path
    params: AuthorityParams
    rows: dict[str, int]


def generate_authority(params: AuthorityParams, folder: Path, fmt: str = "csv") -> Generated:
    """Simulate one authority from `params` and write its extract to `folder`."""
    _check(params)
    rng = random.Random(params.seed)
    history_start = Period.of(params.start).shift(-params.warm_up_months).start
    horizon = params.end + timedelta(days=1)
    records = Records(load_contract(), history_start, params.end)
    workforce = Workforce(rng, records, params.scale, history_start, horizon)
    sim = Sim(params, records, rng, workforce, history_start, horizon)
    sim.performance = performance_series(rng, sim.months(history_start, params.end))
    # separate random streams, so that tuning one part does not reshuffle the others
    sim.rng = random.Random(f"{params.seed}:before-history")
    care.before_history(sim)
    sim.rng = random.Random(f"{params.seed}:front-door")
    frontdoor.run(sim)
    records.keep_people_with_records(PERSON_COLUMNS)
    records.write(folder, fmt)
    return Generated(folder, params, {t.name: records.count(t.name) for t in load_contract()})


def generate(
    folder: Path, params: AuthorityParams, authorities: int = 1, fmt: str = "csv"
) -> list[Generated]:
    """One authority in `folder`, or several in `folder/<LA code>/`, each with its own seed."""
    if authorities < 1:
        raise GeneratorInvalid("--las must be at least 1")
    if authorities == 1:
        return [generate_authority(params, folder, fmt)]
    made = []
    for index in range(authorities):
        la = replace(
            params,
            la_code=f"E99{index + 1:06d}",
            name=f"Synthetic Authority {index + 1}",
            seed=params.seed * 1000 + index,
            population=_population(params, index),
        )
        made.append(generate_authority(la, folder / la.la_code, fmt))
    return made


def _population(params: AuthorityParams, index: int) -> int:
    """Authorities vary in size as English ones do: from a third to three times the reference."""
    spread = random.Random(params.seed * 7919 + index).lognormvariate(0, 0.45)
    return max(1_000, int(min(3.0, max(0.3, spread)) * params.population))


def _check(params: AuthorityParams) -> None:
    if params.end <= params.start:
        raise GeneratorInvalid(f"--end {params.end} must come after --start {params.start}")
    if params.population < 1_000:
        raise GeneratorInvalid(f"--children {params.population} is too few: give at least 1000")
    if params.end > date(2099, 12, 31):
        raise GeneratorInvalid("--end must be before 2100")

"""The dashboard's pages as plain data: the JSON twin is this, the HTML lays it out.

Every figure comes from `Figures` (one computation per snapshot); every judgement from the
assessment. What a viewer may see is decided here, once, for both the page and its twin:
roles with aggregates only get suppressed figures and never a child or a worker.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NotRequired, TypedDict

from scrutineer.assess.assessment import Assessment
from scrutineer.assess.rules import LISTED, rag, travel
from scrutineer.assess.text import (
    amount,
    difference,
    indicator_text,
    neighbours_average,
    region_figure,
    theme_text,
)
from scrutineer.calendar import Period
from scrutineer.catalogue.model import Kpi, Level
from scrutineer.engine.compute import Value
from scrutineer.engine.exceptions import ExceptionRow
from scrutineer.errors import Forbidden, NotShown
from scrutineer.outputs.disclosure import disclosed
from scrutineer.outputs.figures import SUPPRESSED, assessment_chart, flagged, short
from scrutineer.outputs.web.access import Viewer
from scrutineer.outputs.web.figures import Figures, SnapshotFigures, Team
from scrutineer.outputs.web.pages.request import Choice, Header, PageRequest
from scrutineer.records.access_log import log_access
from scrutineer.records.narratives import narratives_for
from scrutineer.records.team_actions import STATUSES, actions_of

CATEGORIES = tuple(c.value for c in LISTED)  # the three lists, by their names
WORST_EXCEPTIONS = 25


class Tile(TypedDict):
    """An indicator in one line: its figure, target, RAG, direction and neighbours."""

    kpi: str
    title: str
    value: str
    target: str | None
    rag: str | None
    trend: str | None
    neighbours: str | None
    category: str


class Theme(TypedDict):
    theme: str
    title: str
    summary: str
    counts: dict[str, int]
    indicators: list[Tile]


class OverviewFigures(TypedDict):
    lists: dict[str, list[Tile]]  # by category: going well, one to watch, need to do better
    themes: list[Theme]


class OverviewPage(Header, OverviewFigures):
    """/: the three lists and a tile per theme."""


class Figure(TypedDict):
    period: str
    shown: str  # as the page writes it: a value, "no data", "–" or the suppressed mark
    value: float | None
    numerator: float | None
    denominator: float | None
    status: str
    unmapped: int


class BreakdownRow(Figure):
    id: str | None
    name: str | None
    service_id: str | None


class Breakdown(TypedDict):
    level: Level
    service: str | None
    team: str | None
    rows: list[BreakdownRow]


class Definition(TypedDict):
    id: str
    title: str
    definition: str
    theme: str
    area: str
    unit: str
    kind: str
    polarity: str
    benchmark: str | None
    source: str
    note: str
    differs: str
    has_exceptions: bool


class Child(TypedDict):
    """A child on an exception list."""

    person_id: str | None
    name: str | None
    age: int | None
    service: str | None
    team: str | None
    worker: str | None
    dates: dict[str, str | None]
    facts: str
    due: str | None
    days_overdue: int | None


class Exceptions(TypedDict):
    allowed: bool
    reason: NotRequired[str]  # why there is no list, when there is none
    scope: NotRequired[str]  # whose children it lists
    elsewhere: NotRequired[int]  # children on the list in services the viewer does not see
    not_chosen: NotRequired[int]  # the viewer's, in other teams or services than those chosen
    rows: list[Child]


class IndicatorFigures(TypedDict):
    kpi: Definition
    value: str
    target: str | None
    target_note: str | None
    rag: str | None
    trend: str | None
    spc: str | None
    category: str
    neighbours: str | None
    neighbour_gap: str | None
    region: str | None
    england: str | None
    compared_with: str | None
    text: str
    chart: str
    series: list[Figure]
    explain: str | None
    breakdown: Breakdown


class IndicatorPage(Header, IndicatorFigures):
    """/indicators/ID: the figure and its judgement, breakdown and exception list."""

    exceptions: Exceptions


class Named(TypedDict):
    id: str
    name: str


class ClinicsPage(Header):
    """/clinics: the services whose clinic this viewer may open."""

    services: list[Named]


class ClinicTeam(Named):
    short: str  # the team's name without its service's


class ClinicCell(TypedDict):
    shown: str  # the figure as written
    rag: str | None  # against the authority's target (percentages and averages only)
    trend: str | None  # the month against the three before it


class ClinicRow(TypedDict):
    kpi: str
    title: str
    target: str | None
    service: ClinicCell
    teams: list[ClinicCell]  # each of the service's teams, in `teams` order


class Overdue(Child):
    kpi: str
    title: str


class ClinicAction(TypedDict):
    theme: str
    actions: str
    written_by: str


class OverdueChoice(TypedDict):
    """Which overdue children a clinic lists, and in what order (from its URL)."""

    team: str | None  # a team's id
    worker: str | None  # a worker's name
    sort: str  # one of SORTS


class AgreedAction(TypedDict):
    id: int
    team: str  # the team's name, or the service's for the whole service
    action: str
    owner: str
    due_on: str | None
    status: str
    written_by: str


class ClinicPage(Header):
    """/clinics/SERVICE: the service's indicators by team, its most overdue children, the
    actions its clinic agrees this month and last month's to follow up."""

    service: Named
    teams: list[ClinicTeam]
    indicators: list[ClinicRow]
    worst: list[Overdue]  # the first WORST_EXCEPTIONS of those chosen
    chosen: OverdueChoice
    overdue: int  # how many children are chosen (every one is in the download)
    workers: list[str]  # the workers of the service's overdue children, for choosing
    agreed: list[AgreedAction]  # at this month's clinic
    followed_up: list[AgreedAction]  # agreed at last month's, with where they stand
    statuses: list[str]
    actions_period: str
    actions: list[ClinicAction]


def overview(p: PageRequest) -> OverviewPage:
    viewer, cache, choice = p.viewer, p.cache, p.choice
    key = (
        "overview",
        choice.figures.manifest.id,
        str(choice.period),
        viewer.aggregates_only,
        cache.version(),
    )
    return {**choice.header(), **cache.memo(key, lambda: _overview(viewer, cache, choice))}


def _overview(viewer: Viewer, cache: Figures, choice: Choice) -> OverviewFigures:
    whole = cache.assessments(choice.figures, choice.period)
    hidden = _hidden(viewer, cache, choice.figures)
    found = [disclosed(a, hidden) for a in whole]  # in the list a suppressed one is not
    themes: dict[str, list[Assessment]] = {}
    for a in found:
        themes.setdefault(a.kpi.theme, []).append(a)
    return {
        "lists": {
            name: [_tile(a, hidden) for a in found if a.category.value == name]
            for name in CATEGORIES
        },
        "themes": [
            {
                "theme": theme,
                "title": theme.replace("_", " ").capitalize(),
                "summary": _theme_summary(theme, items, hidden),
                "counts": {n: sum(a.category.value == n for a in items) for n in CATEGORIES},
                "indicators": [_tile(a, hidden) for a in items],
            }
            for theme, items in themes.items()
        ],
    }


def indicator(p: PageRequest) -> IndicatorPage:
    viewer, cache, choice, kpi_id = p.viewer, p.cache, p.choice, p.path("kpi")
    service, team = p.query("service") or None, p.query("team") or None
    kpi = cache.catalogue.get(kpi_id)
    figures, period = choice.figures, choice.period
    key = (
        "indicator",
        figures.manifest.id,
        str(period),
        kpi.id,
        service,
        team,
        viewer.aggregates_only,
        viewer.can("workers"),
        cache.version(),
    )
    figures_shown = cache.memo(
        key, lambda: _indicator_figures(viewer, cache, figures, period, kpi, service, team)
    )
    return {
        **choice.header(),
        **figures_shown,
        "exceptions": _exceptions(viewer, cache, choice, kpi, service, team),
    }


def _indicator_figures(
    viewer: Viewer,
    cache: Figures,
    figures: SnapshotFigures,
    period: Period,
    kpi: Kpi,
    service: str | None,
    team: str | None,
) -> IndicatorFigures:
    """Everything on an indicator's page but the children: the same for every viewer who
    sees the same kind of figures."""
    whole = next(x for x in cache.assessments(figures, period) if x.kpi.id == kpi.id)
    hidden = _hidden(viewer, cache, figures)
    a = disclosed(whole, hidden)  # no RAG, trend or SPC line telling of a suppressed figure
    return {
        "kpi": _definition(kpi),
        "value": _cell(whole.latest, kpi.unit, hidden),
        "target": short(a.target, kpi.unit) if a.target is not None else None,
        "target_note": a.target_note,
        "rag": a.rating.value if a.rating else None,
        "trend": a.direction.value if a.direction else None,
        "spc": a.signal,
        "category": a.category.value,
        "neighbours": neighbours_average(a),
        "neighbour_gap": _gap(a),
        "region": region_figure(a),
        "england": amount(a.england, kpi.unit) if a.england is not None else None,
        "compared_with": cache.compared_with if a.benchmark else None,
        "text": _text(whole, hidden, counts=not viewer.aggregates_only),
        "chart": assessment_chart(a),
        "series": [_figure(v, kpi, (v.kpi, v.period) in hidden) for v in whole.series],
        # the SQL and where it is written and tested: for those who work the figures, not
        # for councillors or the public (the definition above is in words)
        "explain": None if viewer.aggregates_only else cache.explain(kpi, period),
        "breakdown": _breakdown(viewer, cache, figures, kpi, period, service, team),
    }


def clinics(p: PageRequest) -> ClinicsPage:
    """The services whose assurance clinic this viewer may open."""
    viewer, choice = p.viewer, p.choice
    allowed = viewer.child_services()
    return {
        **choice.header(),
        "services": [
            {"id": sid, "name": name}
            for sid, name in choice.figures.services()
            if allowed is None or sid in allowed
        ],
    }


def clinic(p: PageRequest) -> ClinicPage:
    """A service's indicators by team, its most overdue children, last month's actions."""
    viewer, cache, choice = p.viewer, p.cache, p.choice
    figures, period = choice.figures, choice.period
    service, name, teams = _clinic_service(p)
    rows = cache.memo(
        ("clinic", figures.manifest.id, str(period), service, cache.version()),
        lambda: _service_table(cache, figures, period, service, teams),
    )
    listed, chosen, every = overdue_chosen(p)
    log_access(
        cache.records, viewer.user.username, "clinic", f"{service} {period}: {len(listed)} children"
    )
    previous = narratives_for(cache.records, str(period.shift(-1)))
    return {
        **choice.header(),
        "service": {"id": service, "name": name},
        "teams": [
            {"id": t.id, "name": t.name, "short": t.name.removeprefix(t.service).strip() or t.name}
            for t in teams
        ],
        "indicators": rows,
        "worst": listed[:WORST_EXCEPTIONS],
        "chosen": chosen,
        "overdue": len(listed),
        "workers": sorted({r["worker"] for r in every if r["worker"]}),
        "agreed": _agreed(cache, service, name, teams, period),
        "followed_up": _agreed(cache, service, name, teams, period.shift(-1)),
        "statuses": list(STATUSES),
        "actions_period": f"{period.shift(-1).start:%B %Y}",
        "actions": [
            {"theme": n.theme, "actions": n.actions, "written_by": n.written_by}
            for n in previous.values()
            if n.actions
        ],
    }


def _service_table(
    cache: Figures,
    figures: SnapshotFigures,
    period: Period,
    service: str,
    teams: list[Team],
) -> list[ClinicRow]:
    """The service's indicators (those with figures in its teams this month), by team, each
    figure rated against the authority's target and with its direction; those with most
    teams red first, then amber. Rates per 10,000 are left out: a team has no population."""
    judged = {a.kpi.id: a for a in cache.assessments(figures, period)}
    months = [period.shift(-n) for n in range(3, -1, -1)]  # the month and the three before
    rows: list[tuple[tuple[int, int, int], ClinicRow]] = []
    for order, kpi in enumerate(cache.catalogue):
        if kpi.unit == "rate_per_10k":
            continue
        by_team = [_by(figures.at(kpi.id, "team", m), "team_id") for m in months]
        cells = [by_team[-1].get(t.id) for t in teams]
        if not any(v is not None and (v.denominator or v.numerator) for v in cells):
            continue  # not this service's work
        by_service = [_by(figures.at(kpi.id, "service", m), "service_id") for m in months]
        a = judged.get(kpi.id)
        target = _team_target(kpi, a)
        team_cells = [_clinic_cell([b.get(t.id) for b in by_team], kpi, a, target) for t in teams]
        worst = [c["rag"] for c in team_cells]
        rank = (-worst.count("red"), -worst.count("amber"), order)
        row: ClinicRow = {
            "kpi": kpi.id,
            "title": kpi.title,
            "target": short(target, kpi.unit) if target is not None else None,
            "service": _clinic_cell([b.get(service) for b in by_service], kpi, a, target),
            "teams": team_cells,
        }
        rows.append((rank, row))
    return [row for _, row in sorted(rows, key=lambda pair: pair[0])]


def _team_target(kpi: Kpi, a: Assessment | None) -> float | None:
    """The authority's target, when a team's figure is rated against it: a share or an
    average (a count target is the authority's: no team is meant to reach it)."""
    rated = kpi.unit in ("percent", "average") and kpi.polarity != "context"
    return a.target if rated and a is not None and a.rated_against == "target" else None


def _clinic_cell(
    months: list[Value | None], kpi: Kpi, a: Assessment | None, target: float | None
) -> ClinicCell:
    """A team's (or the service's) month: its figure, its RAG against `target` (the
    authority's, if the figure is rated), and its direction over the month and the three
    before."""
    latest = months[-1]
    value = latest.value if latest is not None else None
    polarity = a.polarity if a else kpi.polarity
    found = rag(value, target, polarity, kpi.unit, a.tolerance if a else 0.0)
    series = [v.value if v is not None else None for v in months]
    way = travel(series, polarity, kpi.unit)
    return {
        "shown": _cell(latest, kpi.unit, set()),
        "rag": found.value if found else None,
        "trend": way.value if way else None,
    }


def _most_overdue(
    cache: Figures, figures: SnapshotFigures, period: Period, service_name: str
) -> list[Overdue]:
    """Every child on one of the service's exception lists this month, most overdue first."""
    worst = sorted(
        (
            (kpi, row)
            for kpi in cache.catalogue
            if kpi.exceptions
            for row in cache.exceptions(figures, kpi, period)
            if row.service == service_name
        ),
        key=lambda pair: -(pair[1].days_overdue or 0),
    )
    return [{"kpi": kpi.id, "title": kpi.title, **_child(row)} for kpi, row in worst]


SORTS: dict[str, Callable[[Overdue], tuple[object, ...]]] = {  # how an overdue list is ordered
    "overdue": lambda r: (-(r["days_overdue"] or 0), r["name"] or "", r["person_id"] or ""),
    "due": lambda r: (r["due"] or "9999", r["name"] or "", r["person_id"] or ""),
    "team": lambda r: (r["team"] or "", -(r["days_overdue"] or 0), r["person_id"] or ""),
    "worker": lambda r: (r["worker"] or "", -(r["days_overdue"] or 0), r["person_id"] or ""),
    "child": lambda r: (r["name"] or "", r["person_id"] or "", r["kpi"]),
    "indicator": lambda r: (r["title"], -(r["days_overdue"] or 0), r["person_id"] or ""),
}


def _agreed(
    cache: Figures, service: str, name: str, teams: list[Team], period: Period
) -> list[AgreedAction]:
    """The actions the service's clinic of `period` agreed."""
    names = {t.id: t.name for t in teams} | {"": name}
    return [
        {
            "id": a.id,
            "team": names.get(a.team_id, a.team_id),
            "action": a.action,
            "owner": a.owner,
            "due_on": a.due_on.isoformat() if a.due_on else None,
            "status": a.status,
            "written_by": a.written_by,
        }
        for a in actions_of(cache.records, service, str(period))
    ]


def _clinic_service(p: PageRequest) -> tuple[str, str, list[Team]]:
    """The clinic's service (its id, name and teams), if there is one and the viewer holds it."""
    figures, service = p.choice.figures, p.path("service")
    names = dict(figures.services())
    if service not in names:
        raise NotShown(f"No service {service!r} in snapshot {figures.manifest.id}.")
    if not p.viewer.sees_children_of(service):
        raise Forbidden(f"You are not assigned the service {names[service]}.")
    return service, names[service], [t for t in figures.teams if t.service_id == service]


def overdue_chosen(p: PageRequest) -> tuple[list[Overdue], OverdueChoice, list[Overdue]]:
    """A clinic's overdue children as its URL chooses them (team, worker, order), the
    choice, and every one of the service's (for the page and its downloads alike)."""
    cache, figures, period = p.cache, p.choice.figures, p.choice.period
    service, name, teams = _clinic_service(p)
    every = cache.memo(
        ("overdue", figures.manifest.id, str(period), service),
        lambda: _most_overdue(cache, figures, period, name),
    )
    chosen = _overdue_choice(p, teams)
    team_name = next((t.name for t in teams if t.id == chosen["team"]), None)
    listed = sorted(
        (
            r
            for r in every
            if (team_name is None or r["team"] == team_name)
            and (chosen["worker"] is None or r["worker"] == chosen["worker"])
        ),
        key=SORTS[chosen["sort"]],
    )
    return listed, chosen, every


def _overdue_choice(p: PageRequest, teams: list[Team]) -> OverdueChoice:
    """The team, worker and order the URL asks for (a team not the service's is refused)."""
    team = p.query("team") or None
    if team is not None and team not in {t.id for t in teams}:
        raise NotShown(f"No team {team!r} in this service.")
    sort = p.query("sort") or "overdue"
    if sort not in SORTS:
        raise NotShown(f"No order {sort!r}: use {', '.join(SORTS)}.")
    return {"team": team, "worker": p.query("worker") or None, "sort": sort}


def _hidden(viewer: Viewer, cache: Figures, figures: SnapshotFigures) -> set[tuple[str, str]]:
    """(kpi, month) cells of the authority this viewer must not see: none for child-level
    roles; for the rest, the snapshot's one set (`Figures.suppressed`)."""
    if not viewer.aggregates_only:
        return set()
    return cache.suppressed(figures).authority()


def _cell(value: Value | None, unit: str, hidden: set[tuple[str, str]]) -> str:
    if value is None:
        return "–"
    if value.status == "no data":
        return "no data"
    if value.value is None:
        return "–"
    if (value.kpi, value.period) in hidden:
        return SUPPRESSED
    return flagged(short(value.value, unit), value)


def _figure(value: Value, kpi: Kpi, hidden: bool) -> Figure:
    return {
        "period": value.period,
        "shown": SUPPRESSED if hidden else _cell(value, kpi.unit, set()),
        "value": None if hidden else value.value,
        "numerator": None if hidden else value.numerator,
        "denominator": None if hidden else value.denominator,
        "status": value.status,
        "unmapped": value.unmapped,
    }


def _tile(whole: Assessment, hidden: set[tuple[str, str]]) -> Tile:
    a = disclosed(whole, hidden)
    return {
        "kpi": a.kpi.id,
        "title": a.kpi.title,
        "value": _cell(a.latest, a.kpi.unit, hidden),
        "target": short(a.target, a.kpi.unit) if a.target is not None else None,
        "rag": a.rating.value if a.rating else None,
        "trend": a.direction.value if a.direction else None,
        "neighbours": neighbours_average(a),
        "category": a.category.value,
    }


def _theme_summary(theme: str, items: list[Assessment], hidden: set[tuple[str, str]]) -> str:
    text = theme_text(theme, items)
    if any((a.kpi.id, a.latest.period) in hidden for a in items):
        return text.split(" Need to do better:")[0]  # the counts, without small figures
    return text


def _text(a: Assessment, hidden: set[tuple[str, str]], counts: bool) -> str:
    """In words; with the numerator and denominator only for child-level roles (as the
    report's internal edition)."""
    if (a.kpi.id, a.latest.period) in hidden:
        return f"{a.kpi.title}: the figure is too small to publish."
    return indicator_text(a, counts=counts)


def _gap(a: Assessment) -> str | None:
    """The figure set beside DfE's against the neighbours' mean, signed: '+4.5 points'."""
    if a.neighbour_gap is None:
        return None
    sign = "+" if a.neighbour_gap > 0 else "−" if a.neighbour_gap < 0 else ""
    shown = difference(abs(a.neighbour_gap), a.kpi.unit)
    over = f" over {a.compared_as}" if a.kpi.kind == "flow" else ""
    return f"{sign}{shown}{over}"


def _definition(kpi: Kpi) -> Definition:
    return {
        "id": kpi.id,
        "title": kpi.title,
        "definition": kpi.definition,
        "theme": kpi.theme,
        "area": kpi.area,
        "unit": kpi.unit,
        "kind": kpi.kind,
        "polarity": kpi.polarity,
        "benchmark": kpi.benchmark,
        "source": kpi.source,
        "note": kpi.note,
        "differs": kpi.differs,
        "has_exceptions": kpi.exceptions is not None,
    }


def _by(values: list[Value], key: str) -> dict[str | None, Value]:
    return {dict(v.group).get(key): v for v in values}


def _breakdown(
    viewer: Viewer,
    cache: Figures,
    figures: SnapshotFigures,
    kpi: Kpi,
    period: Period,
    service: str | None,
    team: str | None,
) -> Breakdown:
    """One level of service -> team -> worker, under the service or team chosen."""
    parent: tuple[str, str | None] | None
    level: Level
    if team and viewer.can("workers"):
        level, parent, key = "worker", ("team_id", team), "worker_id"
    elif service or team:
        level, parent, key = "team", ("service_id", service), "team_id"
    else:
        level, parent, key = "service", None, "service_id"
    values = [
        v
        for v in figures.at(kpi.id, level, period)
        if parent is None or parent[1] is None or dict(v.group).get(parent[0]) == parent[1]
    ]
    values.sort(key=lambda v: str(dict(v.group).get(level)))
    suppressed = cache.suppressed(figures) if viewer.aggregates_only else None
    rows: list[BreakdownRow] = []
    for v in values:
        group = dict(v.group)
        rows.append(
            {
                "id": group.get(key),
                "name": group.get(level),
                "service_id": group.get("service_id"),
                **_figure(v, kpi, suppressed is not None and suppressed.hides(v, level)),
            }
        )
    return {"level": level, "service": service, "team": team, "rows": rows}


def _exceptions(
    viewer: Viewer,
    cache: Figures,
    choice: Choice,
    kpi: Kpi,
    service: str | None,
    team: str | None,
) -> Exceptions:
    if kpi.exceptions is None:
        return {"allowed": False, "reason": "This indicator has no exception list.", "rows": []}
    if not viewer.can("children"):
        return {
            "allowed": False,
            "reason": "Your role sees figures only, not the children behind them.",
            "rows": [],
        }
    figures, period = choice.figures, choice.period
    services = dict(figures.services())
    teams = {t.id: t.name for t in figures.teams}
    allowed = viewer.child_services()
    names = {services[s] for s in (allowed if allowed is not None else services) if s in services}
    every = cache.memo(
        ("children", figures.manifest.id, str(period), kpi.id),
        lambda: [_child(r) for r in cache.exceptions(figures, kpi, period)],
    )
    theirs = [r for r in every if allowed is None or r["service"] in names]
    rows = [  # a role that sees every service sees the unallocated children too
        r
        for r in theirs
        if (not service or r["service"] == services.get(service))
        and (not team or r["team"] == teams.get(team))
    ]
    scope = ", ".join(sorted(names)) if allowed is not None else "every service"
    log_access(
        cache.records,
        viewer.user.username,
        "exception list",
        f"{kpi.id} {period} {service or ''} {team or ''}: {len(rows)} children".replace("  ", " "),
    )
    return {
        "allowed": True,
        "scope": scope,
        "elsewhere": len(every) - len(theirs),
        "not_chosen": len(theirs) - len(rows),
        "rows": rows,
    }


def _child(row: ExceptionRow) -> Child:
    return {
        "person_id": row.person_id,
        "name": row.name,
        "age": row.age,
        "service": row.service,
        "team": row.team,
        "worker": row.worker,
        "dates": {k: str(v) if v is not None else None for k, v in row.dates},
        "facts": "; ".join(f"{k.replace('_', ' ')}: {v or '–'}" for k, v in row.dates),
        "due": row.due.isoformat() if row.due else None,
        "days_overdue": row.days_overdue,
    }

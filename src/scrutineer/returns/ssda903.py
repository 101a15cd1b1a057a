"""The SSDA903 return (looked-after children), written from a snapshot for a collection year.

A 903 episode is a stretch of care with one placement and one legal status: a period of
care is cut into episodes wherever a placement or a legal status begins. Each episode says
why it began (RNE: S, the period began; P, a new placement; L, a new legal status; T, both
at once) and why it ended (REC: X1 when another follows the same day; the period's reason
for the last). The return holds every episode open at any time in the year, as the return
would have seen it on 31 March: an end after that is left empty.

Tables and headers are the DfE's (shared returns/FORMATS.md, section 2.2); dates are
DD/MM/YYYY. Tables whose records Scrutineer does not yet write (OC2, OC3, AD1, placed for
adoption) are written with their header only.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import duckdb

from scrutineer.returns.collection import Collection
from scrutineer.returns.query import IN_CHILDREN, IN_LIST, Row, grouped, rows

HEADERS: dict[str, tuple[str, ...]] = {
    "header": ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"),
    "episodes": (
        "CHILD",
        "DECOM",
        "RNE",
        "LS",
        "CIN",
        "PLACE",
        "PLACE_PROVIDER",
        "DEC",
        "REC",
        "REASON_PLACE_CHANGE",
        "HOME_POST",
        "PL_POST",
        "URN",
    ),  # fmt: skip
    "reviews": ("CHILD", "DOB", "REVIEW", "REVIEW_CODE"),
    "uasc": ("CHILD", "SEX", "DOB", "DUC"),
    "oc2": (
        "CHILD",
        "DOB",
        "SDQ_SCORE",
        "SDQ_REASON",
        "CONVICTED",
        "HEALTH_CHECK",
        "IMMUNISATIONS",
        "TEETH_CHECK",
        "HEALTH_ASSESSMENT",
        "SUBSTANCE_MISUSE",
        "INTERVENTION_RECEIVED",
        "INTERVENTION_OFFERED",
    ),  # fmt: skip
    "oc3": ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"),
    "ad1": (
        "CHILD",
        "DOB",
        "DATE_INT",
        "DATE_MATCH",
        "FOSTER_CARE",
        "NB_ADOPTR",
        "SEX_ADOPTR",
        "LS_ADOPTR",
    ),  # fmt: skip
    "placed_for_adoption": (
        "CHILD",
        "DOB",
        "DATE_PLACED",
        "DATE_PLACED_CEASED",
        "REASON_PLACED_CEASED",
    ),  # fmt: skip
    "prev_perm": ("CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"),
    "missing": ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"),
    "sw_episodes": ("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"),
}
DOLO = ("CHILD", "DOB", "DOLO_START", "DOLO_END")  # from the 2026/27 collection
# codes withdrawn from a collection, and what a return reports instead: semi-independent
# accommodation (H5) must be registered supported accommodation (K3) from 2025/26
SUCCESSORS = {2026: {"H5": "K3"}, 2027: {"H5": "K3"}}
TEMPORARY = ("T0", "T1", "T2", "T3", "T4")  # no reason for a change to or from these
PLACEMENT_CHANGED = ("P", "T")  # episodes that begin with a new placement
# why a child's social worker changed, from the words a case management system records
WORKER_CHANGE = (
    ("transfer", "TSPROC"),
    ("left", "LEFTRL"),
    ("leav", "LEFTRL"),
    ("restructur", "ORGRST"),
    ("absen", "ABSENC"),
    ("sick", "ABSENC"),
    ("manage", "MANAGE"),
    ("circumstance", "CHCHAN"),
    ("died", "SWDIED"),
)


@dataclass(frozen=True)
class Episode:
    child: str
    start: date
    reason_new: str
    legal_status: str | None
    need: str | None
    placement: Row | None
    end: date | None
    reason_ended: str | None
    change_reason: str | None
    home_postcode: str | None


def export_903(con: duckdb.DuckDBPyConnection, collection: Collection) -> dict[str, str]:
    """Each table's CSV text, by file name (header.csv, episodes.csv, ...)."""
    year = _Year(con, collection)
    episodes = year.episodes()
    children = sorted({e.child for e in episodes})
    tables: dict[str, list[tuple[object, ...]]] = {
        "header": [year.header(c) for c in children],
        "episodes": [year.episode_row(e) for e in episodes],
        "reviews": year.reviews(children),
        "uasc": year.uasc(children),
        # previous permanence is asked of a child who began to be looked after in the year;
        # the extract does not hold it, so Z1 (none, or not known)
        "prev_perm": [(c, year.dob(c), "Z1", None, None) for c in year.started(episodes)],
        "missing": year.missing(children),
        "sw_episodes": year.social_workers(children),
    }
    files = {f"{name}.csv": _csv(HEADERS[name], tables.get(name, [])) for name in HEADERS}
    if collection.year >= 2027:
        files["dolo.csv"] = _csv(DOLO, [])
    return files


class _Year:
    def __init__(self, con: duckdb.DuckDBPyConnection, collection: Collection) -> None:
        self.con = con
        self.collection = collection
        window = {"start": collection.start, "end": collection.end}
        self.periods = grouped(
            rows(
                con,
                """SELECT * FROM ssd_cla_episodes
                   WHERE clae_cla_id IN (
                     SELECT clae_cla_id FROM ssd_cla_episodes GROUP BY clae_cla_id
                     HAVING min(clae_cla_episode_start_date) <= $end
                        AND (bool_or(clae_cla_episode_ceased_date IS NULL)
                             OR max(clae_cla_episode_ceased_date) >= $start))
                   ORDER BY clae_cla_id, clae_cla_episode_start_date""",
                window,
            ),
            "clae_cla_id",
        )
        people = sorted({period[0]["clae_person_id"] for period in self.periods.values()})
        self.people = {
            r["pers_person_id"]: r
            for r in rows(
                con, f"SELECT * FROM ssd_person WHERE pers_person_id IN {IN_LIST}", [people]
            )
        }
        self.placements = grouped(
            rows(con, "SELECT * FROM ssd_cla_placement ORDER BY clap_cla_placement_start_date", []),
            "clap_cla_id",
        )
        self.statuses = grouped(
            rows(con, "SELECT * FROM ssd_legal_status ORDER BY lega_legal_status_start_date", []),
            "lega_person_id",
        )
        self.addresses = grouped(
            rows(con, "SELECT * FROM ssd_address ORDER BY addr_address_start_date", []),
            "addr_person_id",
        )

    def started(self, episodes: list[Episode]) -> list[str]:
        """Children who began to be looked after in the year."""
        span = (self.collection.start, self.collection.end)
        return sorted(
            {e.child for e in episodes if e.reason_new == "S" and span[0] <= e.start <= span[1]}
        )

    def dob(self, child: str) -> str | None:
        return _day(self.people[child]["pers_dob"])

    def known(self, day: date | None) -> date | None:
        return day if day is not None and day <= self.collection.end else None

    def current(self, code: str | None) -> str | None:
        """A code as this year's return writes it (a withdrawn one as its successor)."""
        return SUCCESSORS.get(self.collection.year, {}).get(code or "", code)

    def episodes(self) -> list[Episode]:
        found = []
        for period_id, period in self.periods.items():
            for episode in self._cut(period_id, period):
                ends = episode.end
                if episode.start <= self.collection.end and (
                    ends is None or ends >= self.collection.start
                ):
                    found.append(episode)
        return sorted(found, key=lambda e: (e.child, e.start))

    def _cut(self, period_id: str, period: list[Row]) -> list[Episode]:
        """The period of care as 903 episodes: a new one at each placement or status."""
        child = period[0]["clae_person_id"]
        entry = min(r["clae_cla_episode_start_date"] for r in period)
        last = period[-1]
        exit_day = last["clae_cla_episode_ceased_date"]
        placements = self.placements.get(period_id, [])
        statuses = [
            s
            for s in self.statuses.get(child, [])
            if s["lega_legal_status_start_date"] < (exit_day or date.max)
            and (s["lega_legal_status_end_date"] is None or s["lega_legal_status_end_date"] > entry)
        ]
        placed = {p["clap_cla_placement_start_date"] for p in placements}
        legal = {s["lega_legal_status_start_date"] for s in statuses}
        starts = sorted({entry} | {d for d in placed | legal if entry < d < (exit_day or date.max)})
        episodes = []
        for index, start in enumerate(starts):
            following = starts[index + 1] if index + 1 < len(starts) else None
            placement = _open_on(placements, "clap_cla_placement", start)
            status = _open_on(statuses, "lega_legal_status", start)
            next_placement = _open_on(placements, "clap_cla_placement", following)
            changes_placement = following is not None and following in placed
            change_reason = None
            if changes_placement and next_placement and placement:
                kinds = (
                    placement["clap_cla_placement_type"],
                    next_placement["clap_cla_placement_type"],
                )
                if not any(k in TEMPORARY for k in kinds):
                    change_reason = next_placement["clap_cla_placement_change_reason"] or "OTHER"
            episodes.append(
                Episode(
                    child,
                    start,
                    "S" if index == 0 else _reason_new(start in placed, start in legal),
                    status["lega_legal_status"] if status else None,
                    period[0]["clae_cla_primary_need_code"],
                    placement,
                    following if following is not None else exit_day,
                    "X1" if following is not None else last["clae_cla_episode_ceased_reason"],
                    change_reason,
                    self._home(child, start),
                )
            )
        return episodes

    def _home(self, child: str, day: date) -> str | None:
        found = [
            a["addr_address_postcode"]
            for a in self.addresses.get(child, [])
            if (a["addr_address_start_date"] or date.min) <= day
            and (a["addr_address_end_date"] is None or a["addr_address_end_date"] >= day)
        ]
        return found[-1] if found else None

    def header(self, child: str) -> tuple[object, ...]:
        person = self.people[child]
        sex = person["pers_sex"] or "U"
        upn = person.get("pers_upn") or person.get("pers_upn_unknown")
        return (child, sex, self.dob(child), person["pers_ethnicity"], upn, _mother(sex), None)

    def episode_row(self, episode: Episode) -> tuple[object, ...]:
        placement = episode.placement or {}
        ended = self.known(episode.end)
        return (
            episode.child,
            _day(episode.start),
            episode.reason_new,
            episode.legal_status,
            episode.need,
            self.current(placement.get("clap_cla_placement_type")),
            placement.get("clap_cla_placement_provider"),
            _day(ended),
            episode.reason_ended if ended else None,
            episode.change_reason if ended else None,
            episode.home_postcode,
            placement.get("clap_cla_placement_postcode"),
            placement.get("clap_cla_placement_urn"),
        )

    def reviews(self, children: list[str]) -> list[tuple[object, ...]]:
        found = rows(
            self.con,
            f"""SELECT p.clae_person_id AS child, r.clar_cla_review_date AS held,
                      r.clar_cla_review_participation AS code
               FROM ssd_cla_reviews r
               JOIN (SELECT DISTINCT clae_cla_id, clae_person_id FROM ssd_cla_episodes) p
                 ON p.clae_cla_id = r.clar_cla_id
               WHERE r.clar_cla_review_date BETWEEN $start AND $end
                 AND coalesce(r.clar_cla_review_cancelled, 'N') <> 'Y'
                 AND p.clae_person_id IN {IN_CHILDREN}
               ORDER BY 1, 2""",
            {**self._window(), "children": children},
        )
        return [(r["child"], self.dob(r["child"]), _day(r["held"]), r["code"]) for r in found]

    def uasc(self, children: list[str]) -> list[tuple[object, ...]]:
        found = rows(
            self.con,
            f"""SELECT immi_person_id AS child, max(immi_immigration_status_end_date) AS ended,
                      bool_or(immi_immigration_status_end_date IS NULL) AS still
               FROM ssd_immigration_status
               WHERE immi_immigration_status = 'UASC'
                 AND (immi_immigration_status_start_date IS NULL
                      OR immi_immigration_status_start_date <= $end)
                 AND (immi_immigration_status_end_date IS NULL
                      OR immi_immigration_status_end_date >= $start)
                 AND immi_person_id IN {IN_CHILDREN}
               GROUP BY 1 ORDER BY 1""",
            {**self._window(), "children": children},
        )
        return [
            (
                r["child"],
                self.people[r["child"]]["pers_sex"] or "U",
                self.dob(r["child"]),
                None if r["still"] else _day(self.known(r["ended"])),
            )
            for r in found
        ]

    def missing(self, children: list[str]) -> list[tuple[object, ...]]:
        found = rows(
            self.con,
            f"""SELECT * FROM ssd_missing
               WHERE miss_missing_episode_start_date BETWEEN $start AND $end
                 AND miss_person_id IN {IN_CHILDREN}
               ORDER BY miss_person_id, miss_missing_episode_start_date""",
            {**self._window(), "children": children},
        )
        return [
            (
                r["miss_person_id"],
                self.dob(r["miss_person_id"]),
                r["miss_missing_episode_type"],
                _day(r["miss_missing_episode_start_date"]),
                _day(self.known(r["miss_missing_episode_end_date"])),
            )
            for r in found
        ]

    def social_workers(self, children: list[str]) -> list[tuple[object, ...]]:
        """Each child's allocated social workers over the year; the first ever is FCONTA."""
        found = rows(
            self.con,
            f"""SELECT i.*, p.prof_social_worker_registration_no AS sw_id,
                      i.invo_involvement_start_date = min(i.invo_involvement_start_date)
                        OVER (PARTITION BY i.invo_person_id) AS first
               FROM ssd_involvements i
               JOIN ssd_professionals p ON p.prof_professional_id = i.invo_professional_id
               WHERE i.invo_professional_role_id = 'ALLOCATED_CASE_WORKER'
                 AND i.invo_person_id IN {IN_CHILDREN}
               ORDER BY i.invo_person_id, i.invo_involvement_start_date""",
            {"children": children},
        )
        start, end = self.collection.start, self.collection.end
        return [
            (
                r["invo_person_id"],
                self.dob(r["invo_person_id"]),
                r["sw_id"],
                _day(r["invo_involvement_start_date"]),
                _day(self.known(r["invo_involvement_end_date"])),
                "FCONTA" if r["first"] else _worker_change(r["invo_worker_change_reason"]),
            )
            for r in found
            if r["invo_involvement_start_date"] <= end
            and (r["invo_involvement_end_date"] is None or r["invo_involvement_end_date"] >= start)
        ]

    def _window(self) -> dict[str, date]:
        return {"start": self.collection.start, "end": self.collection.end}


def _reason_new(placement: bool, legal: bool) -> str:
    return "T" if placement and legal else "P" if placement else "L"


def _open_on(rows: list[Row], prefix: str, day: date | None) -> Row | None:
    """The record open on `day`: begun on or before it and not ended by it."""
    if day is None:
        return None
    found = [
        r
        for r in rows
        if r[f"{prefix}_start_date"] <= day
        and (r[f"{prefix}_end_date"] is None or r[f"{prefix}_end_date"] > day)
    ]
    return found[-1] if found else None


def _mother(sex: str) -> str | None:
    """Whether the young woman is a mother: not recorded in the extract, so 0 (no)."""
    return "0" if sex == "F" else None


def _worker_change(text: str | None) -> str:
    words = (text or "").lower()
    return next((code for key, code in WORKER_CHANGE if key in words), "OTHERS")


def _day(day: date | None) -> str | None:
    return f"{day:%d/%m/%Y}" if day is not None else None


def _csv(header: tuple[str, ...], rows: Iterable[tuple[object, ...]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow("" if v is None else v for v in row)
    return out.getvalue()

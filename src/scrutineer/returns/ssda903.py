"""The SSDA903 return (looked-after children), written from a snapshot for a collection year.

Periods of care are cut into the return's episodes by `ssda903_episodes.py`. The return
holds every episode open at any time in the year, as the return would have seen it on 31
March: an end after that is left empty.

Tables and headers are the DfE's (shared returns/FORMATS.md, section 2.2); dates are
DD/MM/YYYY.
"""

from __future__ import annotations

import calendar
import csv
import io
from collections.abc import Iterable
from datetime import date
from typing import Any

import duckdb

from scrutineer.returns.collection import Collection
from scrutineer.returns.query import (
    IN_CHILDREN,
    PEOPLE,
    Row,
    grouped,
    open_in_year,
    rows,
)
from scrutineer.returns.ssda903_episodes import Episode, care_spans, cut_period

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
XML_BLOCKS = {  # the single XML file's repeated blocks under <HEADER>, and their tables
    "AREVIEW": "reviews",
    "AMISSING": "missing",
    "PERMANENCE": "prev_perm",
    "OC2": "oc2",
    "AD_PLACED": "placed_for_adoption",
}
# codes a collection's return reports as their successors. Semi-independent accommodation
# (H5) as registered supported accommodation (K3) from 2024/25, K3's first year: a looked-
# after child in supported accommodation must be in a registered setting from 28 October
# 2023, and the DfE's rule 503D lets last year's open H5 become this year's K3 in the
# 2024/25 collection only (H5 is withdrawn from 2025/26)
SUCCESSORS = {year: {"H5": "K3"} for year in (2025, 2026, 2027)}
MIN_SW_DAYS = 3  # a shorter social worker episode is an error (SW09)
NEVER_SUITABLE = ("S", "X")  # no fixed abode, custody: ACCOM has S2 and X2 only
RESPITE = ("V3", "V4")  # short breaks: not continuous care
Line = tuple[object, ...]  # a row of a return's table
Tile = tuple[str, date, date | None, str | None]  # a worker, from, to, why the change
ADOPTED = ("E11", "E12")  # reasons a period of care ends in adoption
SW_REASONS = (
    "MANAGE", "FCONTA", "LEFTRL", "ORGRST", "TSPROC", "ABSENC", "CHCHAN", "PCCHAN", "SWDIED",
    "OTHERS",
)  # fmt: skip
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


def export_903(con: duckdb.DuckDBPyConnection, collection: Collection) -> dict[str, str]:
    """Each table's CSV text, by file name (header.csv, episodes.csv, ...)."""
    year = _Year(con, collection)
    episodes = year.episodes()
    children = sorted({e.child for e in episodes})
    leavers = year.care_leavers(set(children))
    tables: dict[str, list[tuple[object, ...]]] = {
        # children looked after in the year, and care leavers on their birthdays (OC3)
        "header": sorted(
            [year.header(c) for c in children]
            + [year.header(str(r[0]), mother=False) for r in leavers],
            key=lambda row: str(row[0]),
        ),
        "episodes": [year.episode_row(e) for e in episodes],
        "reviews": year.reviews(children),
        "uasc": year.uasc(children),
        # asked of every child who began to be looked after in the year
        "prev_perm": year.previous_permanence(year.started(episodes)),
        "oc2": year.outcomes(year.looked_after_a_year(episodes)),
        "oc3": leavers,
        "missing": year.missing(children),
        "placed_for_adoption": year.placed_for_adoption(children),
        "ad1": year.adoptions(episodes),
        "sw_episodes": year.social_workers(episodes),
    }
    files = {f"{name}.csv": _csv(HEADERS[name], tables.get(name, [])) for name in HEADERS}
    if collection.year >= 2027:
        files["dolo.csv"] = _csv(DOLO, [])
    return files


class _Year:
    def __init__(self, con: duckdb.DuckDBPyConnection, collection: Collection) -> None:
        self.con = con
        self.collection = collection
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
                collection.window,
            ),
            "clae_cla_id",
        )
        people = sorted({period[0]["clae_person_id"] for period in self.periods.values()})
        self.people = {r["pers_person_id"]: r for r in rows(con, PEOPLE, [people])}
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
        return sorted(
            {e.child for e in episodes if e.reason_new == "S" and self.collection.contains(e.start)}
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
            cut = cut_period(period_id, period, self.placements, self.statuses, self._home)
            for episode in cut:
                ends = episode.end
                if episode.start <= self.collection.end and (
                    ends is None or ends >= self.collection.start
                ):
                    found.append(episode)
        return sorted(found, key=lambda e: (e.child, e.start))

    def _home(self, child: str, day: date) -> str | None:
        found = [
            a["addr_address_postcode"]
            for a in self.addresses.get(child, [])
            if (a["addr_address_start_date"] or date.min) <= day
            and (a["addr_address_end_date"] is None or a["addr_address_end_date"] >= day)
        ]
        return found[-1] if found else None

    def header(self, child: str, mother: bool = True) -> tuple[object, ...]:
        """A child's header row; whether she is a mother is not asked of a care leaver who
        was not looked after in the year (rule 628)."""
        person = self.people[child]
        sex = person["pers_sex"] or "U"
        upn = person["upn"] or person["pers_upn_unknown"]
        asked = mother and sex == "F"
        is_mother = asked and person["is_mother"]
        return (
            child,
            sex,
            self.dob(child),
            person["pers_ethnicity"],
            upn,
            ("1" if is_mother else "0") if asked else None,
            _day(person["first_child_born"]) if is_mother else None,
        )

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
            {**self.collection.window, "children": children},
        )
        return [(r["child"], self.dob(r["child"]), _day(r["held"]), r["code"]) for r in found]

    def previous_permanence(self, children: list[str]) -> list[tuple[object, ...]]:
        """Each child's latest ssd_cla_previous_permanence row; Z1 (none) for a child without
        one, since an option other than Z1 needs the authority and the date (rule 630)."""
        found = {
            r["child"]: r
            for r in rows(
                self.con,
                f"""SELECT lapp_person_id AS child,
                          arg_max(lapp_previous_permanence_option, lapp_table_id) AS option,
                          arg_max(lapp_previous_permanence_la, lapp_table_id) AS la,
                          arg_max(lapp_previous_permanence_order_date, lapp_table_id) AS day
                   FROM ssd_cla_previous_permanence WHERE lapp_person_id IN {IN_CHILDREN}
                   GROUP BY 1""",
                {"children": children},
            )
        }
        lines: list[tuple[object, ...]] = []
        for child in children:
            row = found.get(child)
            option = (row["option"] if row else None) or "Z1"
            given = option != "Z1"
            lines.append(
                (
                    child,
                    self.dob(child),
                    option,
                    row["la"] if row and given else None,
                    row["day"] if row and given else None,
                )
            )
        return lines

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
            {**self.collection.window, "children": children},
        )
        return [
            (
                r["child"],
                self.people[r["child"]]["pers_sex"] or "U",
                self.dob(r["child"]),
                _day(self._uasc_ceased(r["child"], None if r["still"] else r["ended"])),
            )
            for r in found
        ]

    def _uasc_ceased(self, child: str, ended: date | None) -> date | None:
        """The day UASC status ceased, or for a child still unaccompanied at the year's end
        the day it will: the 18th birthday, when it ends at the latest (a UASC is a child;
        the DfE's rule 205B wants it for a child UASC in both years, 209 never later)."""
        born = self.people[child]["pers_dob"]
        at_18 = None if born is None else _birthday(born, 18)
        ended = self.known(ended)
        return min(ended, at_18) if ended and at_18 else ended or at_18

    def looked_after_a_year(self, episodes: list[Episode]) -> list[str]:
        """Children looked after on 31 March who had been for the whole year: in care since
        1 April or before, and not in a series of short breaks (V3, V4) in the year."""
        start, end = self.collection.start, self.collection.end
        first: dict[str, date] = {}
        broken: set[str] = set()
        for e in episodes:
            first[e.child] = min(first.get(e.child, e.start), e.start)
            began = e.reason_new == "S" and e.start > start
            # leaving on 31 March itself still counts as a whole year (as the DfE's rules do)
            left = e.end is not None and e.end < end and e.reason_ended != "X1"
            if began or left or e.legal_status in RESPITE:
                broken.add(e.child)
        return sorted(c for c, day in first.items() if day <= start and c not in broken)

    def outcomes(self, children: list[str]) -> list[tuple[object, ...]]:
        """OC2: the year's health, SDQ, substance misuse and offending for each child."""
        if not children:
            return []
        end = self.collection.end
        ask = {**self.collection.window, "children": children}
        checks = grouped(
            rows(
                self.con,
                f"""SELECT clah_person_id AS child, clah_health_check_type AS kind,
                          clah_health_check_date AS day
                   FROM ssd_cla_health WHERE clah_health_check_date <= $end
                     AND clah_person_id IN {IN_CHILDREN} ORDER BY day""",
                ask,
            ),
            "child",
        )
        immunised = self._latest("ssd_cla_immunisations", "clai", "immunisations_status_date", ask)
        sdq = self._latest("ssd_sdq_scores", "csdq", "sdq_completed_date", ask, since=True)
        misuse = self._latest(  # with whether an intervention was offered (an extension)
            "ssd_cla_substance_misuse LEFT JOIN ext_substance_misuse_offers "
            "ON clso_substance_misuse_id = clas_substance_misuse_id",
            "clas",
            "substance_misuse_date",
            ask,
            True,
        )
        convicted = self._latest("ssd_cla_convictions", "clac", "cla_conviction_date", ask, True)
        found: list[Line] = []
        for child in children:
            born = self.people[child]["pers_dob"]
            days = {
                kind: [r["day"] for r in checks.get(child, []) if r["kind"] == kind]
                for kind in ("IHA", "RHA", "DENTAL")
            }
            assessed = max(days["IHA"] + days["RHA"], default=None)
            under_five = _birthday(born, 5) > end
            # up to date: an assessment in the last 12 months, 6 if under 5 (as cla_health_pct)
            up_to_date = assessed is not None and assessed > _months_before(
                end, 6 if under_five else 12
            )
            score, reason = self._sdq(born, sdq.get(child))
            problem = misuse.get(child)
            received = _flag01(problem["clas_intervention_received"]) if problem else None
            found.append(
                (
                    child,
                    self.dob(child),
                    score,
                    reason,
                    (1 if child in convicted else 0) if _birthday(born, 10) <= end else None,
                    int(up_to_date) if under_five else None,
                    _flag01((immunised.get(child) or {}).get("clai_immunisations_status")) or 0,
                    int(any(self.collection.contains(d) for d in days["DENTAL"])),
                    int(up_to_date),
                    1 if problem else 0,
                    received,
                    _flag01(problem["clso_intervention_offered"])
                    if problem and received == 0
                    else None,
                )
            )
        return found

    def _sdq(self, born: date, latest: Row | None) -> tuple[int | None, str | None]:
        """The SDQ score, or why there is none, for a child aged 4 to 16 in the year."""
        start, end = self.collection.start, self.collection.end
        if _birthday(born, 4) > end or _birthday(born, 17) < start:
            return None, None  # not asked
        if latest and latest["csdq_sdq_score"] is not None:
            return latest["csdq_sdq_score"], None
        if latest and latest["csdq_sdq_reason"]:
            return None, latest["csdq_sdq_reason"]
        turned = _birthday(born, 4) > start or _birthday(born, 16) < end
        return None, "SDQ1" if turned else "SDQ4"  # SDQ1: under 4 or over 16 when due

    def _latest(
        self, table: str, prefix: str, dated: str, ask: dict[str, object], since: bool = False
    ) -> dict[str, Row]:
        """Each child's latest record up to 31 March (in the year, if `since`)."""
        day = f"{prefix}_{dated}"
        found = rows(
            self.con,
            f"""SELECT * FROM {table} WHERE {day} <= $end
                  {f"AND {day} >= $start" if since else ""}
                  AND {prefix}_person_id IN {IN_CHILDREN}
               ORDER BY {day}""",
            ask,
        )
        return {r[f"{prefix}_person_id"]: r for r in found}

    def _permanence(self, children: list[str]) -> list[Row]:
        return rows(
            self.con,
            f"""SELECT * FROM ssd_permanence
               WHERE {open_in_year("perm_adm_decision_date", "perm_decision_reversed_date")}
                 AND (perm_cla_id IS NULL  -- of a period of care open in the year
                      OR perm_cla_id IN (SELECT unnest($periods::VARCHAR[])))
                 AND perm_person_id IN {IN_CHILDREN}
               ORDER BY perm_person_id, perm_adm_decision_date""",
            {**self.collection.window, "children": children, "periods": list(self.periods)},
        )

    def placed_for_adoption(self, children: list[str]) -> list[tuple[object, ...]]:
        """Decisions that a child should be placed for adoption, open at any time in the year,
        with the day and reason (RD1 to RD4) of any reversal."""
        found: list[Line] = []
        for r in self._permanence(children):
            ended = self.known(r["perm_decision_reversed_date"])
            found.append(
                (
                    r["perm_person_id"],
                    self.dob(r["perm_person_id"]),
                    _day(r["perm_adm_decision_date"]),
                    _day(ended),
                    r["perm_decision_reversed_reason"] if ended else None,
                )
            )
        return found

    def adoptions(self, episodes: list[Episode]) -> list[tuple[object, ...]]:
        """AD1: the children adopted in the year (a period of care ended E11 or E12)."""
        adopted = sorted(
            {
                e.child
                for e in episodes
                if e.reason_ended in ADOPTED and e.end and self.collection.contains(e.end)
            }
        )
        latest = {r["perm_person_id"]: r for r in self._permanence(adopted)}
        found: list[Line] = []
        for child in adopted:
            r = latest.get(child)
            if r is None:
                continue  # adopted with no permanence record: the DfE's rule 601 says so
            found.append(
                (
                    child,
                    self.dob(child),
                    _day(r["perm_adm_decision_date"]),
                    _day(r["perm_matched_date"]),
                    _flag01(r["perm_adopted_by_carer_flag"]),
                    r["perm_number_of_adopters"],
                    r["perm_adopter_sex"],
                    r["perm_adopter_legal_status"],
                )
            )
        return found

    def care_leavers(self, looked_after: set[str]) -> list[Line]:
        """OC3: care leavers (relevant and former relevant) whose 17th to 21st birthday falls
        in the year, as they were at the end of their birthday's month."""
        found = grouped(
            rows(
                self.con,
                """SELECT s.*, p.* FROM ext_care_leaver_status s
                   JOIN ssd_person p ON p.pers_person_id = s.clst_person_id
                   WHERE s.clst_month_end BETWEEN $start AND $end
                     AND s.clst_eligibility IN ('RELEVANT', 'FORMER_RELEVANT')
                   ORDER BY s.clst_person_id, s.clst_month_end""",
                self.collection.window,
            ),
            "clst_person_id",
        )
        leavers: list[Line] = []
        for child, months in found.items():
            born = months[0]["pers_dob"]
            if child in looked_after or born is None:
                continue
            birthdays = [_birthday(born, age) for age in range(17, 22)]
            day = next((b for b in birthdays if self.collection.contains(b)), None)
            status = next((m for m in months if day and m["clst_month_end"] >= day), None)
            if status is None:
                continue
            leavers.append(
                (
                    child,
                    _day(born),
                    status["clst_in_touch"],
                    status["clst_activity"],
                    _accommodation(status["clst_accommodation"], status["clst_accom_suitable"]),
                )
            )
        new = sorted({str(leaver[0]) for leaver in leavers} - self.people.keys())
        for person in rows(self.con, PEOPLE, [new]):  # for header(): not in care this year
            self.people[person["pers_person_id"]] = person
        return leavers

    def missing(self, children: list[str]) -> list[tuple[object, ...]]:
        found = rows(
            self.con,
            f"""SELECT * FROM ssd_missing
               WHERE miss_missing_episode_start_date BETWEEN $start AND $end
                 AND miss_person_id IN {IN_CHILDREN}
               ORDER BY miss_person_id, miss_missing_episode_start_date""",
            {**self.collection.window, "children": children},
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

    def social_workers(self, episodes: list[Episode]) -> list[tuple[object, ...]]:
        """Each child's social workers while looked after, as SW episodes.

        The DfE's rules (SW08 to SW17) read the table as the child's time in care tiled by
        workers: an episode begins no earlier than the period of care (SW12), each lasts 3
        days or more (SW09), the next begins as the last ends (SW08, SW10, SW10a), and the
        last is left open, its end being the care episode's (SW17). So allocations are
        clipped to each period of care, a handover day ends the outgoing worker's episode,
        an allocation held alongside a longer one is left out, an allocation of under 3 days
        is folded into the next, and the first episode of a period of care (from its start,
        or with no reason recorded) is first contact (FCONTA).
        """
        children = sorted({e.child for e in episodes})
        allocated = grouped(
            rows(
                self.con,
                f"""SELECT i.invo_person_id AS child, i.invo_involvement_start_date AS start,
                          i.invo_involvement_end_date AS "end",
                          i.invo_worker_change_reason AS why,
                          p.prof_social_worker_registration_no AS sw_id
                   FROM ssd_involvements i
                   JOIN ssd_professionals p ON p.prof_professional_id = i.invo_professional_id
                   WHERE i.invo_professional_role_id = 'ALLOCATED_CASE_WORKER'
                     AND p.prof_social_worker_registration_no IS NOT NULL
                     AND i.invo_person_id IN {IN_CHILDREN}
                   ORDER BY 1, 2""",
                {"children": children},
            ),
            "child",
        )
        spans = care_spans(episodes)
        found: list[tuple[object, ...]] = []
        for child in children:
            child_spans = spans[child]
            for index, (began, ended) in enumerate(child_spans):
                tiles = _tile(allocated.get(child, []), began, ended)
                last_span = index == len(child_spans) - 1
                for number, (sw_id, start, end, why) in enumerate(tiles):
                    final = number == len(tiles) - 1
                    shown_end = None if final and last_span else self.known(end)
                    if start > self.collection.end or (
                        shown_end is not None and shown_end < self.collection.start
                    ):
                        continue
                    first = number == 0 and (start == began or not why)
                    reason = "FCONTA" if first else _worker_change(why)
                    found.append(
                        (child, self.dob(child), sw_id, _day(start), _day(shown_end), reason)
                    )
        return found


def _tile(allocations: list[Row], began: date, ended: date | None) -> list[Tile]:
    """Allocations within [began, ended] as (worker, start, end, why change), end to end."""
    last = ended or date.max
    pieces = [
        [a["sw_id"], max(a["start"], began), min(a["end"] or date.max, last), a["why"]]
        for a in allocations
        if a["start"] < last and (a["end"] is None or a["end"] > began)
    ]
    tiled: list[list[Any]] = []
    for piece in sorted(pieces, key=lambda p: p[1]):
        if tiled and piece[2] <= tiled[-1][2]:
            continue  # held alongside a longer one (a parallel assessment): the longer stays
        if tiled and piece[1] < tiled[-1][2]:
            tiled[-1][2] = piece[1]  # the handover day ends the outgoing worker's episode
        if tiled and (tiled[-1][2] - tiled[-1][1]).days < MIN_SW_DAYS:
            piece[1] = tiled.pop()[1]  # too short to be an episode: the next worker's
        tiled.append(piece)
    ends = [None if p[2] == date.max else p[2] for p in tiled]
    return [(p[0], p[1], end, p[3]) for p, end in zip(tiled, ends, strict=True)]


def _birthday(born: date, years: int) -> date:
    """The day a child turns `years` (28 February for a 29 February birthday)."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return born.replace(year=born.year + years, day=28)


def _months_before(day: date, months: int) -> date:
    """The same day `months` earlier (the month's last day where it has fewer)."""
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def _accommodation(kind: str | None, suitable: str | None) -> str:
    """The 903's ACCOM: the kind's letter, then 1 if suitable and 2 if not (homeless and in
    custody are never suitable); 0 if not known."""
    if not kind or kind == "0":
        return "0"
    return kind + ("1" if suitable == "Y" and kind not in NEVER_SUITABLE else "2")


def _flag01(flag: str | None) -> int | None:
    return None if flag is None else int(flag == "Y")


def _worker_change(text: str | None) -> str:
    """The 903's reason for a change of social worker: the code itself (from a return
    imported), or the code the recorded words suggest."""
    if (text or "").strip().upper() in SW_REASONS:
        return (text or "").strip().upper()
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

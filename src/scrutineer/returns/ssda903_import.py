"""An SSDA903 return turned into extract tables, to be loaded as any extract is (as at the
collection's 31 March).

A period of care is the run of episodes from one that began it (RNE S) to one that ended
it (REC other than X1); within it a placement is the run of episodes from a new placement
(S, P, B, T, U) and a legal status the run from a new status (S, L, B, U). Ids are made
from the child's id and the day each record began, so the same return always makes the
same snapshot.

What the return does not hold is absent. A period that began before the return's first
episode is taken to begin with it (the 903 holds only episodes open in the year). OC2 and
OC3 hold answers for the year without dates, which the extract's dated records cannot
take, and deprivation of liberty has no table yet: these are not imported (`NOT_IMPORTED`).
Previous permanence goes to the SSD's ssd_cla_previous_permanence, its date as the 903
writes it (zz for a part not known).
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from pathlib import Path

from scrutineer.returns.cin_import import Tables, upn_identifier
from scrutineer.returns.collection import Collection
from scrutineer.returns.findings import Findings, ReturnRejected
from scrutineer.returns.ssda903_read import Rows, read_903

NOT_IMPORTED = ("oc2", "oc3", "dolo")
NEW_PLACEMENT = ("S", "P", "B", "T", "U")
NEW_STATUS = ("S", "L", "B", "U")
SEX_BEFORE_2024 = {"1": "M", "2": "F"}
UPN_UNKNOWN = re.compile(r"^UN[1-5]$")
YEAR_IN_NAME = re.compile(r"(?<!\d)(20\d\d)(?:[-_/ ]?(\d\d))?(?!\d)")


def read_903_extract(
    path: Path, year: int | None = None, findings: Findings | None = None
) -> tuple[Tables, date]:
    """The extract tables an SSDA903 return holds, and the day it is as at (31 March); what
    was found on the way goes to `findings`, and any error refuses the return."""
    found = findings if findings is not None else Findings()
    tables = read_903(path, found)
    found.refuse_if_errors(path.name)
    collection = Collection(year) if year else _collection(path, tables)
    extract = _Extract(tables, found)
    return extract.tables(), collection.end


def _collection(path: Path, tables: dict[str, Rows]) -> Collection:
    """The collection the return is for: the year its names give (903_2025, "episodes
    2024-25.csv": the year ending 31 March 2025), else the year of its latest date."""
    names = [path.name] + ([p.name for p in path.iterdir()] if path.is_dir() else [])
    named = {_year(found) for name in names for found in YEAR_IN_NAME.findall(name)}
    if len(named) > 1:
        years = " and ".join(str(Collection(y)) for y in sorted(named))
        raise ReturnRejected(f"{path.name}: its names say {years}; give the year with --year.")
    if named:
        return Collection(named.pop())
    days = [
        date.fromisoformat(row[c])
        for row in tables["episodes"]
        for c in ("DECOM", "DEC")
        if row.get(c)
    ]
    if not days:
        raise ReturnRejected(f"{path.name}: no episode dates; give the year with --year.")
    return Collection.of(max(days))


def _year(found: tuple[str, str]) -> int:
    """2025 from "2025"; 2025 from "2024-25" (a collection year named by both its years)."""
    first, second = int(found[0]), found[1]
    return first + 1 if second and int(second) == (first + 1) % 100 else first


class _Extract:
    def __init__(self, tables: dict[str, Rows], findings: Findings) -> None:
        self.source = tables
        self.findings = findings
        self.out: Tables = defaultdict(list)
        self.periods: dict[str, list[tuple[str, str, str]]] = defaultdict(list)  # id, from, to
        self.people = {row["CHILD"]: row for row in tables["header"]}

    def tables(self) -> Tables:
        for row in self.source["header"]:
            self._person(row)
        episodes: dict[str, Rows] = defaultdict(list)
        for number, row in enumerate(self.source["episodes"], start=2):
            if row["CHILD"] not in self.people:
                self.findings.warn(
                    "episode-no-child",
                    "the child is not in the header table: the episode is left out",
                    self.findings.file("episodes"),
                    number,
                    "CHILD",
                    "Add the child to the header table",
                    row["CHILD"],
                )
                continue
            episodes[row["CHILD"]].append(row)
        for child, rows in episodes.items():
            self._care(child, sorted(rows, key=lambda r: r["DECOM"]))
        self._reviews()
        self._missing()
        self._uasc()
        self._previous_permanence()
        self._permanence()
        self._social_workers()
        return dict(self.out)

    def _person(self, row: dict[str, str]) -> None:
        upn = row.get("UPN", "")
        self.out["ssd_person"].append(
            {
                "pers_person_id": row["CHILD"],
                "pers_sex": SEX_BEFORE_2024.get(row.get("SEX", ""), row.get("SEX", "")),
                "pers_dob": row.get("DOB", ""),
                "pers_ethnicity": row.get("ETHNIC", ""),
                "pers_upn_unknown": upn if UPN_UNKNOWN.match(upn) else "",
                "pers_is_mother": {"1": "Y", "0": "N"}.get(row.get("MOTHER", "").strip(), ""),
            }
        )
        if upn and not UPN_UNKNOWN.match(upn):
            self.out["ssd_linked_identifiers"].append(upn_identifier(row["CHILD"], upn))
        if row.get("MC_DOB", "").strip():  # her first child's birth date: the child unknown
            self.out["ssd_mother"].append(
                {
                    "moth_table_id": f"{row['CHILD']}/M",
                    "moth_person_id": row["CHILD"],
                    "moth_childs_dob": row["MC_DOB"],
                }
            )

    def _care(self, child: str, rows: Rows) -> None:
        """Periods of care, placements, legal statuses and home postcodes from episodes."""
        runs: list[Rows] = []
        for row in rows:
            ended = runs and runs[-1][-1]["REC"] not in ("X1", "")
            if not runs or row["RNE"] == "S" or ended:
                runs.append([])
            runs[-1].append(row)
        homes: list[tuple[str, str]] = []  # (postcode, from)
        for run in runs:
            period = f"{child}/{run[0]['DECOM']}"
            self.periods[child].append((period, run[0]["DECOM"], run[-1]["DEC"]))
            placement = ""
            for index, row in enumerate(run):
                if index == 0 or row["RNE"] in NEW_PLACEMENT:
                    placement = self._placement(child, period, run, index)
                if index == 0 or row["RNE"] in NEW_STATUS:
                    self._status(child, run, index)
                self.out["ssd_cla_episodes"].append(
                    {
                        "clae_cla_episode_id": f"{period}/E{index + 1}",
                        "clae_person_id": child,
                        "clae_cla_episode_start_date": row["DECOM"],
                        "clae_cla_episode_start_reason": row["RNE"],
                        "clae_cla_primary_need_code": row["CIN"],
                        "clae_cla_episode_ceased_date": row["DEC"],
                        "clae_cla_episode_ceased_reason": row["REC"] if row["DEC"] else "",
                        "clae_cla_id": period,
                        "clae_cla_placement_id": placement,
                        "clae_entered_care_date": run[0]["DECOM"],
                    }
                )
                if row["HOME_POST"] and (not homes or homes[-1][0] != row["HOME_POST"]):
                    homes.append((row["HOME_POST"], row["DECOM"]))
        for index, (postcode, start) in enumerate(homes):
            self.out["ssd_address"].append(
                {
                    "addr_table_id": f"{child}/{start}/H",
                    "addr_person_id": child,
                    "addr_address_postcode": postcode,
                    "addr_address_start_date": start if index else "",  # lived there before
                    "addr_address_end_date": homes[index + 1][1] if index + 1 < len(homes) else "",
                }
            )

    def _placement(self, child: str, period: str, run: Rows, first: int) -> str:
        last = _last_of(run, first, NEW_PLACEMENT)
        row = run[first]
        placement = f"{period}/PL{row['DECOM']}"
        self.out["ssd_cla_placement"].append(
            {
                "clap_cla_placement_id": placement,
                "clap_cla_id": period,
                "clap_person_id": child,
                "clap_cla_placement_start_date": row["DECOM"],
                "clap_cla_placement_end_date": run[last]["DEC"],
                "clap_cla_placement_type": row["PLACE"],
                "clap_cla_placement_provider": row["PLACE_PROVIDER"],
                "clap_cla_placement_urn": row["URN"],
                "clap_cla_placement_postcode": row["PL_POST"],
                "clap_cla_placement_change_reason": run[last]["REASON_PLACE_CHANGE"],
            }
        )
        return placement

    def _status(self, child: str, run: Rows, first: int) -> None:
        last = _last_of(run, first, NEW_STATUS)
        row = run[first]
        self.out["ssd_legal_status"].append(
            {
                "lega_legal_status_id": f"{child}/{row['DECOM']}/LS",
                "lega_person_id": child,
                "lega_legal_status": row["LS"],
                "lega_legal_status_start_date": row["DECOM"],
                "lega_legal_status_end_date": run[last]["DEC"],
            }
        )

    def _period_on(self, child: str, day: str) -> str:
        """The period of care open on `day`, else the last begun before it, else the first."""
        periods = self.periods.get(child, [])
        if not periods:
            return ""
        begun = [p for p in periods if p[1] <= day]
        open_then = [p for p in begun if not p[2] or p[2] >= day]
        if open_then:
            return open_then[-1][0]
        return begun[-1][0] if begun else periods[0][0]

    def _reviews(self) -> None:
        for number, row in enumerate(self.source.get("reviews", []), start=2):
            period = self._period_on(row["CHILD"], row["REVIEW"])
            if not period:  # the DfE's validator flags it; the review has no period to join
                self.findings.warn(
                    "review-no-episode",
                    "the child has no episode in the return: the review is left out",
                    self.findings.file("reviews"),
                    number,
                    "CHILD",
                    "Add the child's episodes, or remove the review",
                    row["CHILD"],
                )
                continue
            self.out["ssd_cla_reviews"].append(
                {
                    "clar_cla_review_id": f"{period}/R{row['REVIEW']}/{number}",
                    "clar_cla_id": period,
                    "clar_cla_review_date": row["REVIEW"],
                    "clar_cla_review_participation": row["REVIEW_CODE"],
                }
            )

    def _missing(self) -> None:
        for number, row in enumerate(self.source.get("missing", []), start=2):
            self.out["ssd_missing"].append(
                {
                    "miss_table_id": f"{row['CHILD']}/M{row['MIS_START']}/{number}",
                    "miss_person_id": row["CHILD"],
                    "miss_missing_episode_start_date": row["MIS_START"],
                    "miss_missing_episode_type": row["MISSING"],
                    "miss_missing_episode_end_date": row["MIS_END"],
                }
            )

    def _uasc(self) -> None:
        for row in self.source.get("uasc", []):
            self.out["ssd_immigration_status"].append(
                {
                    "immi_immigration_status_id": f"{row['CHILD']}/UASC",
                    "immi_person_id": row["CHILD"],
                    "immi_immigration_status": "UASC",
                    "immi_immigration_status_start_date": "",  # not in the return
                    "immi_immigration_status_end_date": row["DUC"],
                }
            )

    def _previous_permanence(self) -> None:
        for number, row in enumerate(self.source.get("prev_perm", []), start=2):
            self.out["ssd_cla_previous_permanence"].append(
                {
                    "lapp_table_id": f"{row['CHILD']}/PP/{number}",
                    "lapp_person_id": row["CHILD"],
                    "lapp_previous_permanence_order_date": row.get("DATE_PERM", "").lower(),
                    "lapp_previous_permanence_option": row.get("PREV_PERM", ""),
                    "lapp_previous_permanence_la": row.get("LA_PERM", ""),
                }
            )

    def _permanence(self) -> None:
        """Decisions that a child should be placed for adoption, with the adopters (AD1)
        joined to the decision of the same day, or the child's latest."""
        adopted = {row["CHILD"]: row for row in self.source.get("ad1", [])}
        decisions = self.source.get("placed_for_adoption", [])
        decided = {(row["CHILD"], row["DATE_PLACED"]) for row in decisions}
        for row in adopted.values():
            if (row["CHILD"], row["DATE_INT"]) not in decided and row["DATE_INT"]:
                decisions = [*decisions, {"CHILD": row["CHILD"], "DATE_PLACED": row["DATE_INT"]}]
        latest = {row["CHILD"]: row["DATE_PLACED"] for row in sorted(decisions, key=_placed)}
        for row in decisions:
            child = row["CHILD"]
            ad1 = adopted.get(child, {})
            if (ad1.get("DATE_INT") or latest[child]) != row["DATE_PLACED"]:
                ad1 = {}  # the adopters go with the decision they followed
            self.out["ssd_permanence"].append(
                {
                    "perm_table_id": f"{child}/{row['DATE_PLACED']}/PM",
                    "perm_person_id": child,
                    "perm_cla_id": self._period_on(child, row["DATE_PLACED"]),
                    "perm_adm_decision_date": row["DATE_PLACED"],
                    "perm_matched_date": ad1.get("DATE_MATCH", ""),
                    "perm_decision_reversed_date": row.get("DATE_PLACED_CEASED", ""),
                    "perm_decision_reversed_reason": row.get("REASON_PLACED_CEASED", ""),
                    "perm_adopted_by_carer_flag": {"1": "Y", "0": "N"}.get(
                        ad1.get("FOSTER_CARE", ""), ""
                    ),
                    "perm_number_of_adopters": ad1.get("NB_ADOPTR", ""),
                    "perm_adopter_sex": ad1.get("SEX_ADOPTR", ""),
                    "perm_adopter_legal_status": ad1.get("LS_ADOPTR", ""),
                }
            )

    def _social_workers(self) -> None:
        seen: set[str] = set()
        for number, row in enumerate(self.source.get("sw_episodes", []), start=2):
            worker = row["SW_ID"]
            if worker not in seen:
                seen.add(worker)
                self.out["ssd_professionals"].append(
                    {"prof_professional_id": worker, "prof_social_worker_registration_no": worker}
                )
            self.out["ssd_involvements"].append(
                {
                    "invo_involvements_id": f"{row['CHILD']}/SW{row['SW_DECOM']}/{number}",
                    "invo_professional_id": worker,
                    "invo_professional_role_id": "ALLOCATED_CASE_WORKER",
                    "invo_professional_team": "",
                    "invo_involvement_start_date": row["SW_DECOM"],
                    "invo_involvement_end_date": row["SW_DEC"],
                    "invo_worker_change_reason": row["SW_REASON"],
                    "invo_person_id": row["CHILD"],
                }
            )


def _last_of(run: Rows, first: int, starts: tuple[str, ...]) -> int:
    """The last episode of the run from `first` before one whose RNE is in `starts`."""
    last = first
    while last + 1 < len(run) and run[last + 1]["RNE"] not in starts:
        last += 1
    return last


def _placed(row: dict[str, str]) -> str:
    return row["DATE_PLACED"]

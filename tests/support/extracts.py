"""Small extracts written by hand: CSV files in the SSD's shape, and the tiny authority of
three children many tests start from."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from scrutineer.synth.params import AuthorityParams

SMALL = AuthorityParams(
    population=6_000, start=date(2025, 4, 1), end=date(2026, 3, 31), seed=2, warm_up_months=12
)


def write_csv(
    folder: Path,
    table: str,
    header: Sequence[str],
    *rows: Sequence[str],
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> Path:
    """`folder/table.csv` with `header` and `rows`, as a council's export would be."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{table}.csv"
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


PERSON = ("pers_person_id", "pers_forename", "pers_sex", "pers_dob")
CONTACTS = ("cont_contact_id", "cont_person_id", "cont_contact_date", "cont_contact_outcome_json")
INVOLVEMENTS = (
    "invo_involvements_id",
    "invo_professional_id",
    "invo_professional_role_id",
    "invo_professional_team",
    "invo_involvement_start_date",
    "invo_involvement_end_date",
    "invo_person_id",
)
EPISODES = (
    "cine_referral_id",
    "cine_person_id",
    "cine_referral_date",
    "cine_referral_nfa",
    "cine_close_date",
    "cine_close_reason",
)


def tiny_extract(folder: Path) -> Path:
    """Three children, three contacts, two referrals: every row valid.

    Row numbers as a spreadsheet shows them (header = row 1) are used by the tests:
    ssd_person row 2 is "0123", row 3 is "0456", row 4 is "0789".
    """
    write_csv(
        folder,
        "ssd_person",
        PERSON,
        ("0123", "Ada", "F", "2015-03-01"),
        ("0456", "Ben", "m", "28/02/2016"),
        ("0789", "Cat", "U", "2020-02-29 00:00:00"),
    )
    write_csv(
        folder,
        "ssd_contacts",
        CONTACTS,
        ("C1", "0123", "2024-01-05", '{"NFA_FLAG": "Y"}'),
        ("C2", "0456", "05/02/2024", '{"NEW_REFERRAL_FLAG": "Yes", "NFA_FLAG": "No"}'),
        ("C3", "0789", "2024-02-29T09:30:00", '{"new_referral_flag": "1", "ADVICE_FLAG": ""}'),
    )
    write_csv(
        folder,
        "ssd_cin_episodes",
        EPISODES,
        ("R1", "0456", "2024-02-06", "N", "2024-03-01", "RC8"),
        ("R2", "0789", "2024-03-01", "N", "", ""),
    )
    return folder

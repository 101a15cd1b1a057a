"""What the statutory returns need that the journey model does not decide: a child's
Unique Pupil Number, home postcode and a second disability for some disabled children; the
factors an assessment identified; a placement's postcode and Ofsted URN.

Both are worked out from the record's id (a hash), not drawn from the simulation's random
stream, so adding them changed no other synthetic value.
"""

from __future__ import annotations

import hashlib
from datetime import date
from functools import cache
from importlib import resources

HOME_LA = "318"  # the DfE number the synthetic authority's pupils mostly carry
OTHER_LAS = ("319", "314", "212", "936")  # children who started school elsewhere
CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
# factors at assessment by the referral's primary need (CIN census codes), most likely first
FACTORS = {
    "N1": ("16A", "3B", "4B", "17A", "2B", "1B"),
    "N2": ("6A", "5A", "7A"),
    "N3": ("4B", "6B", "7A"),
    "N4": ("3B", "4B", "2B", "14A"),
    "N5": ("14A", "10A", "15A"),
    "N6": ("14A", "10A", "23A", "11A", "13A"),
    "N7": ("14A", "4A"),
    "N8": ("9A",),
    "N9": ("21",),
}


def _digest(kind: str, record_id: str) -> bytes:
    return hashlib.sha256(f"{kind}:{record_id}".encode()).digest()


def upn(child_id: str, dob: date) -> str:
    """A well-formed UPN: check letter, LA number, year of allocation (the year the child
    turned four), six digits from the child's id (so no two children share one), a digit."""
    digest = _digest("upn", child_id)
    la = HOME_LA if digest[0] < 220 else OTHER_LAS[digest[1] % len(OTHER_LAS)]
    number = "".join(ch for ch in child_id if ch.isdigit())[-6:].zfill(6)
    body = f"{la}{(dob.year + 4) % 100:02d}{number}{digest[2] % 10}"
    return check_letter(body) + body


def check_letter(body: str) -> str:
    """The DfE's check letter for a UPN's twelve digits (weights 2 to 13, modulo 23)."""
    total = sum(int(ch) * weight for weight, ch in enumerate(body, start=2))
    return CHECK_LETTERS[total % 23]


def assessment_factors(assessment_id: str, need: str) -> list[str]:
    """One to three factors, the likelier ones for the need more often."""
    digest = _digest("factors", assessment_id)
    choices = FACTORS.get(need, FACTORS["N1"])
    count = 1 + digest[0] % 3 if len(choices) > 1 else 1
    picked: list[str] = []
    for byte in digest[1:]:
        factor = choices[min(byte % (len(choices) + 2), len(choices) - 1)]
        if factor not in picked:
            picked.append(factor)
        if len(picked) == count:
            break
    return picked


# disabilities that often come with another (the CIN census expects several per child)
ALONG_WITH = {"LD": "COMM", "AUT": "COMM", "COMM": "LD", "MOB": "HAND", "BEH": "LD"}


def second_disability(child_id: str, first: str) -> list[str]:
    """A second disability for about a third of disabled children."""
    return [ALONG_WITH[first]] if _digest("disability", child_id)[0] < 85 else []


@cache
def postcodes() -> dict[str, tuple[str, ...]]:
    """Real postcodes the synthetic authority borrows: {"in": ..., "out": ...} (postcodes.txt)."""
    found: dict[str, list[str]] = {"in": [], "out": []}
    text = resources.files(__package__).joinpath("postcodes.txt").read_text("utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            where, code = line.split(" ", 1)
            found[where].append(code)
    return {where: tuple(codes) for where, codes in found.items()}


def postcode(record_id: str, inside: bool, not_these: tuple[str | None, ...] = ()) -> str:
    """A postcode inside the authority or in a neighbouring one for a placement; never the
    child's home (a child placed at home is placed with parents, P1) or the last placement's
    (new carers live elsewhere), given in `not_these`."""
    choices = [c for c in postcodes()["in" if inside else "out"] if c not in not_these]
    return choices[int.from_bytes(_digest("postcode", record_id)[:4], "big") % len(choices)]


def home_postcode(child_id: str) -> str:
    """The home a child lived in before care: inside the authority."""
    return postcode(child_id, inside=True)


# placements an Ofsted URN is not reported for (SSDA903 rules 218 and 222); foster and
# adoption placements report "XXXXXXX"; the others, registered settings, their own URN
NO_URN = ("P1", "P2", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z1")


def urn(placement_id: str, place: str) -> str | None:
    if place in NO_URN or place.startswith("Z"):
        return None
    if place[0] in "UA":
        return "XXXXXXX"
    return "SC" + str(int.from_bytes(_digest("urn", placement_id)[:4], "big") % 1_000_000).zfill(6)


def share(kind: str, key: str) -> float:
    """A number in [0, 1) fixed by `kind` and `key`: a chance that uses no random draw."""
    return int.from_bytes(_digest(kind, key)[:4], "big") / 2**32

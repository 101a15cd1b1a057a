"""A collection year, named as the DfE names it: by the year it ends ("2025" is 2024/25,
1 April 2024 to 31 March 2025)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from scrutineer.calendar import financial_year
from scrutineer.errors import ScrutineerError

FIRST, LAST = 2023, 2027  # the years DfE's rule packs cover: the returns Scrutineer writes
READ_FROM = 2017  # the first return that can be read in (2016/17), for a council's history


class CollectionInvalid(ScrutineerError):
    pass


@dataclass(frozen=True)
class Collection:
    year: int  # the end year

    @classmethod
    def parse(cls, text: str, earliest: int = FIRST) -> Collection:
        """ "2025" or "2024/25" or "2024-25", from `earliest` (FIRST for a return written,
        READ_FROM for one read in) to LAST."""
        cleaned = text.strip().replace("-", "/")
        if "/" in cleaned:
            start, _, end = cleaned.partition("/")
            if start.isdigit() and end.isdigit() and (int(start) + 1) % 100 == int(end) % 100:
                cleaned = str(int(start) + 1)
        if not cleaned.isdigit() or not earliest <= int(cleaned) <= LAST:
            raise CollectionInvalid(
                f"Collection year {text!r}: give the year it ends, {earliest} to {LAST} "
                f"(2025 is 2024/25)."
            )
        return cls(int(cleaned))

    @classmethod
    def of(cls, day: date) -> Collection:
        """The collection year `day` falls in."""
        return cls(financial_year(day) + 1)

    @classmethod
    def ended_by(cls, day: date) -> Collection:
        """The latest collection year whose 31 March is on or before `day`."""
        return cls(financial_year(day + timedelta(days=1)))

    @property
    def start(self) -> date:
        return date(self.year - 1, 4, 1)

    @property
    def end(self) -> date:
        """The reference date: 31 March."""
        return date(self.year, 3, 31)

    @property
    def window(self) -> dict[str, date]:
        """The year's first and last days, as the returns' queries name them."""
        return {"start": self.start, "end": self.end}

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return f"{self.year - 1}/{self.year % 100:02d}"

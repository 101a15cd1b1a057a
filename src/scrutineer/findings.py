"""One shape for every finding: a problem in a file, a catalogue entry or a record."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Level(IntEnum):
    WARNING = 1
    ERROR = 2


@dataclass(frozen=True)
class Issue:
    """A problem found in an input, with where it is and how to fix it.

    `row` counts as a spreadsheet does: the header is row 1, the first record row 2.
    `value` is the offending cell (never written to logs: it may identify a child).
    """

    level: Level
    rule: str
    message: str
    hint: str = ""
    file: str = ""
    row: int | None = None
    column: str = ""
    value: str | None = None

    @property
    def is_error(self) -> bool:
        return self.level is Level.ERROR

    @property
    def location(self) -> str:
        parts = [self.file or "extract"]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        text = f"{self.level.name}: {self.location}: {self.message} [{self.rule}]"
        return f"{text}. {self.hint}" if self.hint else text


def errors_first(issues: list[Issue]) -> list[Issue]:
    """Errors before warnings, then by file, row and column, so reports read top to bottom."""
    return sorted(issues, key=lambda i: (-i.level, i.file, i.row or 0, i.column, i.rule))

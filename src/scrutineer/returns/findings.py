"""What reading a return found, in the return's own words: its tables and columns
(`episodes.csv`, `REC`, row 5), every finding at once.

Only what makes a file unreadable or ambiguous is an error and refuses the return (two files
for one table, no header table, a date that is not one); what the DfE's own validator only
flags is a warning, and the record is kept or left out as the warning says.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scrutineer.errors import ScrutineerError
from scrutineer.findings import Issue, Level

SHOWN = 20  # findings printed in a refusal's message; the CSV holds every one


class ReturnRejected(ScrutineerError):
    """The return cannot be read as it is: nothing was loaded."""

    def __init__(self, message: str, issues: list[Issue] | None = None) -> None:
        self.issues = issues or []
        listed = "".join(f"\n  {i}" for i in self.issues[:SHOWN])
        more = len(self.issues) - SHOWN
        tail = f"\n  ... and {more:,} more" if more > 0 else ""
        super().__init__(message + listed + tail)


@dataclass
class Findings:
    issues: list[Issue] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # a return's table -> its file's name

    def file(self, table: str) -> str:
        return self.files.get(table, table)

    def warn(
        self, rule: str, message: str, file: str = "", row: int | None = None,
        column: str = "", hint: str = "", value: str | None = None,
    ) -> None:  # fmt: skip
        self.issues.append(Issue(Level.WARNING, rule, message, hint, file, row, column, value))

    def error(
        self, rule: str, message: str, file: str = "", row: int | None = None,
        column: str = "", hint: str = "", value: str | None = None,
    ) -> None:  # fmt: skip
        self.issues.append(Issue(Level.ERROR, rule, message, hint, file, row, column, value))

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.is_error]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if not i.is_error]

    def refuse_if_errors(self, name: str) -> None:
        """Raise ReturnRejected with every finding, errors first, if any is an error."""
        if self.errors:
            raise ReturnRejected(
                f"{name}: {len(self.errors):,} error(s) and {len(self.warnings):,} warning(s); "
                "nothing was loaded.",
                self.errors + self.warnings,
            )

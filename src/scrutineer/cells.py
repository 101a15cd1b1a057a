"""Spreadsheet cells that cannot run. A value a spreadsheet would take for a formula (one
starting `=`, `+`, `-`, `@`, a tab or a carriage return, as OWASP lists them) is written with
a leading apostrophe, so the analyst who opens an export sees the text and nothing runs;
a number ("-2.5") stays a number. A value that itself starts with an apostrophe before such
a character gets one more, so reading a cell back (`read_cell`, on every import of a file
Scrutineer exports) gives exactly what was written: export, edit, import loses nothing.
"""

from __future__ import annotations

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def safe_cell(value: str) -> str:
    """`value` as a cell a spreadsheet shows as text."""
    return "'" + value if _guarded(value) else value


def read_cell(text: str) -> str:
    """The value `safe_cell` wrote as `text`."""
    return text[1:] if text.startswith("'") and _guarded(text[1:]) else text


def _guarded(value: str) -> bool:
    """Whether a cell holding `value` needs the apostrophe: it would start a formula, or
    it already starts with an apostrophe that reading would take away."""
    if value.startswith(FORMULA_START):
        return not NUMBER.match(value)
    return value.startswith("'") and _guarded(value[1:])

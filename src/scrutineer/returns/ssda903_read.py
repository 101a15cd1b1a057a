"""Reading an SSDA903 return as the DfE's tables: a folder of CSV files, or the single XML
file. Rows come out as {DfE column: text}, dates as YYYY-MM-DD, codes upper-cased (as the
DfE's own reader does), ids as written.

Real files are forgiving in ways this reader forgives too: a table is known by its columns
(in any order, any case, spaces for underscores), not by its file's name, which may carry
the year; a byte order mark, UTF-16, or Windows-1252 from a spreadsheet; blank rows; and
ids a spreadsheet turned into numbers ("1001.0"); columns a regional pipeline adds (LIIA's
`LA` and `YEAR`: a warning, ignored) or an older year lacks (a warning, read as empty). It
refuses what is unsafe or cannot be read, every finding at once (`Findings`), with where
and how to fix it: an XML file with a document type (entity expansion, external entities),
a file over 200 MB, a file that is no SSDA903 table or a second file for one, a date that
is not one.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element

from scrutineer.calendar import parse_day
from scrutineer.returns.cin_import import MAX_BYTES, parse_safely
from scrutineer.returns.findings import Findings, ReturnRejected
from scrutineer.returns.ssda903 import DOLO, HEADERS, XML_BLOCKS

Rows = list[dict[str, str]]
TABLES: dict[str, tuple[str, ...]] = {**HEADERS, "dolo": DOLO}
DATES = {
    "DOB", "MC_DOB", "DECOM", "DEC", "REVIEW", "DUC", "DATE_INT", "DATE_MATCH", "DATE_PLACED",
    "DATE_PLACED_CEASED", "MIS_START", "MIS_END", "SW_DECOM", "SW_DEC", "DOLO_START",
    "DOLO_END",
}  # fmt: skip
AS_WRITTEN = {"CHILD"}  # ids keep their case; every other value is upper-cased
NUMBER_ID = re.compile(r"^(\d+)\.0+$")  # 1001.0: an id a spreadsheet took for a number
KNOWN_BY = 0.6  # the share of a table's columns a file must have to be taken for it


def read_903(path: Path, findings: Findings) -> dict[str, Rows]:
    """Every table the return holds, by the names of `ssda903.HEADERS` (header, episodes, ...),
    with what was found on the way in `findings` (the caller refuses the return on errors)."""
    if path.is_dir():
        return _folder(path, findings)
    if path.suffix.lower() == ".xml":
        return _xml(path, findings)
    raise ReturnRejected(
        f"{path}: give an SSDA903 return as the folder of its CSV files or as its XML file."
    )


def _folder(folder: Path, findings: Findings) -> dict[str, Rows]:
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".csv")
    if not files:
        what = ", ".join(sorted(p.name for p in folder.iterdir())[:5]) or "nothing"
        raise ReturnRejected(
            f"{folder.name}: no CSV files (it holds {what}). An SSDA903 return is a folder of "
            "CSV tables (header.csv, episodes.csv, ...) or one XML file; a CIN census is one "
            "XML file."
        )
    tables: dict[str, Rows] = {}
    for file in files:
        name, rows = _csv(file, findings)
        if name is None:
            continue
        if name in findings.files:
            findings.error(
                "two-files",
                f"{file.name} and {findings.files[name]} are both the {name} table",
                file.name,
                hint="Keep one of them",
            )
            continue
        findings.files[name] = file.name
        tables[name] = rows
    for needed in ("header", "episodes"):
        if needed not in tables:
            findings.error(
                "no-table",
                f"no {needed} table",
                folder.name,
                hint=f"Add a CSV whose first line is {','.join(TABLES[needed])}",
            )
    return tables


def _csv(file: Path, findings: Findings) -> tuple[str | None, Rows]:
    text = _decode(file)
    if not text.strip():
        findings.error("empty-file", "the file is empty", file.name, hint="Remove it or fill it")
        return None, []
    reader = csv.reader(io.StringIO(text))
    header = [_column(c) for c in next(reader, [])]
    if "LACHILDID" in header:  # the CIN census as CSV tables, each keyed by LAchildID
        raise ReturnRejected(
            f"{file.parent.name}: {file.name} is a CIN census table (it has LAchildID), "
            "not an SSDA903 one. Give a CIN census as its XML file (the one uploaded to "
            "the DfE), and an SSDA903 as its folder of CSV tables or its XML file."
        )
    name = _identify(file.name, header, findings)
    if name is None:
        return None, []
    rows: Rows = []
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue  # a blank line, or a spreadsheet's empty rows
        if len(values) > len(header) and any(v.strip() for v in values[len(header) :]):
            findings.error(
                "too-many-values",
                f"{len(values)} values for {len(header)} columns",
                file.name,
                line,
                hint="Check for a comma inside a value that is not in quotes",
            )
            continue
        cells = dict(zip(header, [v.strip() for v in values] + [""] * len(header), strict=False))
        kept = {c: cells.get(c, "") for c in TABLES[name]}  # extra columns left out
        row = _clean(kept, file.name, line, findings)
        if row is not None:
            rows.append(row)
    return name, rows


def _decode(file: Path) -> str:
    size = file.stat().st_size
    if size > MAX_BYTES:
        raise ReturnRejected(
            f"{file.name} is {size / 2**20:.0f} MB: over the {MAX_BYTES // 2**20} MB a return's "
            "table can be. Check it is the right file."
        )
    data = file.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # saved by a spreadsheet on Windows


def _column(name: str) -> str:
    return re.sub(r"[\s_]+", "_", name.replace("\ufeff", "").strip().upper())


def _identify(file: str, header: list[str], findings: Findings) -> str | None:
    """The table whose columns these are, in any order: the one with the largest share of its
    columns here (at least KNOWN_BY, and no other as large). A column it does not have is a
    warning and left out (LIIA adds LA and YEAR); one it has that the file lacks is read as
    empty, with a warning (an older year's format, or a pipeline that dropped it)."""
    given = set(header)
    share = {n: len(given & set(c)) / len(c) for n, c in TABLES.items()}
    best = max(share.values())
    nearest = [n for n, s in share.items() if s == best]
    if best < KNOWN_BY or len(nearest) > 1:
        findings.error(
            "not-a-table",
            f"its columns are not those of an SSDA903 table (nearest: {' or '.join(nearest)})",
            file,
            1,
            hint=f"The {nearest[0]} table's first line is {','.join(TABLES[nearest[0]])}",
        )
        return None
    name = nearest[0]
    for column in sorted(given - set(TABLES[name])):
        findings.warn(
            "extra-column",
            f"not a column of the SSDA903's {name} table: ignored",
            file,
            None,
            column,
        )
    for column in (c for c in TABLES[name] if c not in given):
        findings.warn("missing-column", "not in the file: read as empty", file, None, column)
    return name


def _clean(
    cells: dict[str, str], file: str, row: int | None, findings: Findings
) -> dict[str, str] | None:
    """The row as the DfE's reader has it; None (and an error) if it cannot be read."""
    clean = {}
    readable = True
    for column, value in cells.items():
        if column in DATES:
            parsed = _date(value)
            if parsed is None:
                findings.error(
                    "not-a-date", "not a date", file, row, column, "Write it DD/MM/YYYY", value
                )
                readable = False
            value = parsed or ""
        elif column not in AS_WRITTEN:
            value = value.upper()
        else:
            value = NUMBER_ID.sub(r"\1", value)
        clean[column] = value
    if "CHILD" in clean and not clean["CHILD"]:
        findings.error(
            "no-child", "no child id", file, row, "CHILD", "Fill it in or remove the row"
        )
        readable = False
    return clean if readable else None


def _date(value: str) -> str | None:
    """YYYY-MM-DD from DD/MM/YYYY or ISO (a time after it dropped); "" if empty; None if
    it is not a date."""
    if not value:
        return ""
    found = parse_day(value)
    return found.isoformat() if found else None


def _xml(path: Path, findings: Findings) -> dict[str, Rows]:
    """The single-file 903: <CHILD> elements, each with a <HEADER> and its <EPISODE>s."""
    root = parse_safely(path)
    children = root.findall("CHILD")
    if not children:
        raise ReturnRejected(
            f"{path.name}: no <CHILD> under <{root.tag}>. An SSDA903 XML file holds a <CHILD> "
            "for each child, with a <HEADER> and its <EPISODE>s; a CIN census's root is "
            "<Message>."
        )
    tables: dict[str, Rows] = defaultdict(list)
    for number, child in enumerate(children, start=1):
        _xml_child(child, path.name, f"CHILD {number}", tables, findings)
    return dict(tables)


def _xml_child(
    child: Element, file: str, where: str, tables: dict[str, Rows], findings: Findings
) -> None:
    header = child.find("HEADER")
    if header is None:
        findings.error("no-header", f"{where} has no <HEADER>", file, hint="Add it, or remove it")
        return
    leaves = {_column(e.tag): (e.text or "").strip() for e in header if len(e) == 0}
    leaves["CHILD"] = leaves.pop("CHILDID", leaves.get("CHILD", ""))
    person = _clean(leaves, file, None, findings)
    if person is None:
        return
    add = _Adder(tables, findings, f"{file}, ", person["CHILD"], person.get("DOB", ""))
    add("header", person, where)
    if person.get("UASC") in ("1", "TRUE") or child.find(".//DUC") is not None:
        add("uasc", {**person, "DUC": child.findtext(".//DUC") or ""}, where)
    for tag, table in XML_BLOCKS.items():
        for index, block in enumerate(header.iter(tag), start=1):
            add(table, _leaves(block), f"{where}, {tag} {index}")
    for index, episode in enumerate(child.findall("EPISODE"), start=1):
        fields = _leaves(episode)
        fields["PLACE"] = fields.pop("PL", fields.get("PLACE", ""))
        add("episodes", fields, f"{where}, EPISODE {index}")
    for table in ("oc3", "ad1"):  # their fields may sit anywhere under <CHILD>
        fields = {c: child.findtext(f".//{c}") or "" for c in TABLES[table][2:]}
        if any(fields.values()):  # its own fields, not the child's id and date of birth
            add(table, fields, where)


@dataclass(frozen=True)
class _Adder:
    """Adds a row of one child's XML to a table, with the child's id and date of birth."""

    tables: dict[str, Rows]
    findings: Findings
    file: str
    child_id: str
    dob: str

    def __call__(self, table: str, fields: dict[str, str], at: str) -> None:
        cells = {c: fields.get(c, "") for c in TABLES[table]}
        cells["CHILD"] = self.child_id
        if "DOB" in cells:
            cells["DOB"] = self.dob
        row = _clean(cells, f"{self.file}{at}", None, self.findings)
        if row is not None:
            self.tables[table].append(row)


def _leaves(block: Element) -> dict[str, str]:
    return {_column(e.tag): (e.text or "").strip() for e in block.iter() if len(e) == 0}

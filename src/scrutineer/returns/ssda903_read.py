"""Reading an SSDA903 return as the DfE's tables: a folder of CSV files, or the single XML
file. Rows come out as {DfE column: text}, dates as YYYY-MM-DD, codes upper-cased (as the
DfE's own reader does), ids as written.

Real files are forgiving in ways this reader forgives too: a table is known by its columns
(in any order, any case, spaces for underscores), not by its file's name, which may carry
the year; a byte order mark, UTF-16, or Windows-1252 from a spreadsheet; blank rows; and
ids a spreadsheet turned into numbers ("1001.0"). It refuses what is unsafe or wrong, with
where and how to fix it: an XML file with a document type (entity expansion, external
entities), a file over 200 MB, an unknown or repeated table, a date that is not one.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from datetime import date
from pathlib import Path
from xml.etree.ElementTree import Element

from scrutineer.returns.cin_import import MAX_BYTES, ReturnRejected, parse_safely
from scrutineer.returns.ssda903 import DOLO, HEADERS

Rows = list[dict[str, str]]
TABLES: dict[str, tuple[str, ...]] = {**HEADERS, "dolo": DOLO}
DATES = {
    "DOB", "MC_DOB", "DECOM", "DEC", "REVIEW", "DUC", "DATE_INT", "DATE_MATCH", "DATE_PLACED",
    "DATE_PLACED_CEASED", "MIS_START", "MIS_END", "SW_DECOM", "SW_DEC", "DOLO_START",
    "DOLO_END",
}  # fmt: skip
AS_WRITTEN = {"CHILD"}  # ids keep their case; every other value is upper-cased
NUMBER_ID = re.compile(r"^(\d+)\.0+$")  # 1001.0: an id a spreadsheet took for a number
DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
XML_GROUPS = {  # blocks under <HEADER> and the table each one's fields go to
    "AREVIEW": "reviews",
    "AMISSING": "missing",
    "PERMANENCE": "prev_perm",
    "OC2": "oc2",
    "AD_PLACED": "placed_for_adoption",
}


def read_903(path: Path) -> dict[str, Rows]:
    """Every table the return holds, by the names of `ssda903.HEADERS` (header, episodes, ...)."""
    if path.is_dir():
        return _folder(path)
    if path.suffix.lower() == ".xml":
        return _xml(path)
    raise ReturnRejected(
        f"{path}: give an SSDA903 return as the folder of its CSV files or as its XML file."
    )


def _folder(folder: Path) -> dict[str, Rows]:
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".csv")
    if not files:
        raise ReturnRejected(f"{folder}: no CSV files. Put the return's tables in the folder.")
    tables: dict[str, Rows] = {}
    found_in: dict[str, str] = {}
    for file in files:
        name, rows = _csv(file)
        if name in found_in:
            raise ReturnRejected(
                f"{file.name} and {found_in[name]} are both the {name} table. Keep one."
            )
        found_in[name] = file.name
        tables[name] = rows
    for needed in ("header", "episodes"):
        if needed not in tables:
            raise ReturnRejected(
                f"{folder}: no {needed} table (a CSV whose first line is "
                f"{','.join(TABLES[needed])})."
            )
    return tables


def _csv(file: Path) -> tuple[str, Rows]:
    reader = csv.reader(io.StringIO(_decode(file)))
    header = [_column(c) for c in next(reader, [])]
    name = _identify(file.name, header)
    rows: Rows = []
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue  # a blank line, or a spreadsheet's empty rows
        if len(values) > len(header) and any(v.strip() for v in values[len(header) :]):
            raise ReturnRejected(
                f"{file.name}, row {line}: {len(values)} values for {len(header)} columns. "
                "Check for a comma inside a value that is not in quotes."
            )
        cells = dict(zip(header, [v.strip() for v in values] + [""] * len(header), strict=False))
        rows.append(_clean(cells, f"{file.name}, row {line}"))
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


def _identify(file: str, header: list[str]) -> str:
    """The table whose columns are exactly these, in any order."""
    given = set(header)
    for name, columns in TABLES.items():
        if given == set(columns):
            return name
    nearest = max(TABLES, key=lambda n: len(given & set(TABLES[n])))
    missing = [c for c in TABLES[nearest] if c not in given]
    extra = sorted(given - set(TABLES[nearest]))
    raise ReturnRejected(
        f"{file}: its columns are not those of an SSDA903 table. Nearest is {nearest} "
        f"({','.join(TABLES[nearest])}): missing {missing or 'none'}, not expected "
        f"{extra or 'none'}. Correct the first line."
    )


def _clean(cells: dict[str, str], where: str) -> dict[str, str]:
    row = {}
    for column, value in cells.items():
        if column in DATES:
            value = _date(value, f"{where}, column {column}")
        elif column not in AS_WRITTEN:
            value = value.upper()
        else:
            value = NUMBER_ID.sub(r"\1", value)
        row[column] = value
    if "CHILD" in row and not row["CHILD"]:
        raise ReturnRejected(f"{where}, column CHILD: no child id. Fill it in or remove the row.")
    return row


def _date(value: str, where: str) -> str:
    if not value:
        return ""
    found = DAY_MONTH_YEAR.match(value)
    try:
        if found:
            day, month, year = (int(part) for part in found.groups())
            return date(year, month, day).isoformat()
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        raise ReturnRejected(f"{where}: {value!r} is not a date. Write it DD/MM/YYYY.") from None


def _xml(path: Path) -> dict[str, Rows]:
    """The single-file 903: <CHILD> elements, each with a <HEADER> and its <EPISODE>s."""
    root = parse_safely(path)
    children = root.findall("CHILD")
    if not children:
        raise ReturnRejected(f"{path.name}: no <CHILD> under <{root.tag}>: is it an SSDA903?")
    tables: dict[str, Rows] = defaultdict(list)
    for number, child in enumerate(children, start=1):
        _xml_child(child, f"{path.name}, CHILD {number}", tables)
    return dict(tables)


def _xml_child(child: Element, where: str, tables: dict[str, Rows]) -> None:
    header = child.find("HEADER")
    if header is None:
        raise ReturnRejected(f"{where}: no <HEADER>.")
    leaves = {_column(e.tag): (e.text or "").strip() for e in header if len(e) == 0}
    leaves["CHILD"] = leaves.pop("CHILDID", leaves.get("CHILD", ""))
    person = _clean(leaves, where)
    child_id, dob = person["CHILD"], person.get("DOB", "")

    def add(table: str, fields: dict[str, str], at: str) -> None:
        cells = {c: fields.get(c, "") for c in TABLES[table]}
        cells["CHILD"] = child_id
        if "DOB" in cells:
            cells["DOB"] = dob
        tables[table].append(_clean(cells, at))

    add("header", person, where)
    if person.get("UASC") in ("1", "TRUE") or child.find(".//DUC") is not None:
        add("uasc", {**person, "DUC": child.findtext(".//DUC") or ""}, where)
    for tag, table in XML_GROUPS.items():
        for index, block in enumerate(header.iter(tag), start=1):
            add(table, _leaves(block), f"{where}, {tag} {index}")
    for index, episode in enumerate(child.findall("EPISODE"), start=1):
        fields = _leaves(episode)
        fields["PLACE"] = fields.pop("PL", fields.get("PLACE", ""))
        add("episodes", fields, f"{where}, EPISODE {index}")
    for table in ("oc3", "ad1"):  # their fields may sit anywhere under <CHILD>
        fields = {c: child.findtext(f".//{c}") or "" for c in TABLES[table]}
        if any(fields.values()):
            add(table, fields, where)


def _leaves(block: Element) -> dict[str, str]:
    return {_column(e.tag): (e.text or "").strip() for e in block.iter() if len(e) == 0}

"""The SSDA903 as its single XML file, the DfE's alternative to the CSV tables (shared
returns/FORMATS.md, section 2.5), made from the CSV export's own texts so the two cannot
disagree: a <CHILD> for each child in header.csv, holding its <HEADER> (the child's fields,
UASC and DUC for a child once unaccompanied, the OC3 and AD1 fields, and an <AREVIEW>,
<AMISSING>, <PERMANENCE>, <OC2> or <AD_PLACED> block for each row of those tables) and an
<EPISODE> for each episode (PLACE written PL).

Every field of a block is written, an empty one as an empty element, because the DfE's
reader flattens a child's whole element and fills a field a block leaves out from another
block of the same child: an open episode would take an earlier episode's DEC. The XML has
no place for social worker episodes or (from 2026/27) deprivation of liberty, which only the
CSV tables carry.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from scrutineer.returns.ssda903 import XML_BLOCKS

Rows = list[dict[str, str]]
LEAVES = ("oc3", "ad1")  # one row a child at most: their fields sit in the <HEADER> itself
CHILDS_OWN = ("CHILD", "DOB", "SEX")  # in every table's row; the <HEADER> has them once


def ssda903_xml(files: dict[str, str]) -> bytes:
    """The XML file of the return whose CSV texts are `files` ({"header.csv": text, ...})."""
    tables = {name.removesuffix(".csv"): _rows(text) for name, text in files.items()}
    by_child: dict[str, dict[str, Rows]] = defaultdict(lambda: defaultdict(list))
    for name, rows in tables.items():
        for row in rows:
            by_child[row["CHILD"]][name].append(row)
    root = Element("EXPSSDA903")
    for person in tables["header"]:
        root.append(_child(person, by_child[person["CHILD"]]))
    indent(root)
    text: bytes = tostring(root, encoding="utf-8", xml_declaration=True)
    return text + b"\n"


def _child(person: dict[str, str], records: dict[str, Rows]) -> Element:
    child = Element("CHILD")
    header = SubElement(child, "HEADER")
    for column, value in person.items():
        _leaf(header, "CHILDID" if column == "CHILD" else column, value)
    for row in records.get("uasc", []):
        _leaf(header, "UASC", "1")
        _leaf(header, "DUC", row["DUC"])
    for table in LEAVES:
        for row in records.get(table, []):
            _fields(header, row)
    for tag, table in XML_BLOCKS.items():
        for row in records.get(table, []):
            _fields(SubElement(header, tag), row)
    for row in records.get("episodes", []):
        episode = SubElement(child, "EPISODE")
        for column, value in row.items():
            if column != "CHILD":
                _leaf(episode, "PL" if column == "PLACE" else column, value)
    return child


def _fields(parent: Element, row: dict[str, str]) -> None:
    for column, value in row.items():
        if column not in CHILDS_OWN:
            _leaf(parent, column, value)


def _leaf(parent: Element, tag: str, value: str) -> None:
    SubElement(parent, tag).text = value or None


def _rows(text: str) -> Rows:
    return list(csv.DictReader(io.StringIO(text)))

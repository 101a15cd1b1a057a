"""The extract contract, read from tables.yaml and codes.yaml into frozen dataclasses.

The YAML files are the single definition of every table, column, type and code list: the
loader checks extracts against them, the generator writes to them, docs/extract-contract.md
is rendered from them, and the catalogue resolves KPI columns against them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Literal, cast, get_args

import yaml

from scrutineer.errors import ContractInvalid

ColumnType = Literal["id", "text", "date", "integer", "number", "flag", "code", "json"]
# A JSON column's shape, as the SSD writes it: a list of codes (["1A", "2B"], or the planned
# form {"1A": "Yes"}), an object whose every value is a flag (a care plan's permanence
# options), or an object of named parts whose *_FLAG parts are flags (an outcome).
JsonShape = Literal["list", "flags", "object"]
JSON_SHAPES: tuple[str, ...] = get_args(JsonShape)
COLUMN_TYPES: tuple[str, ...] = get_args(ColumnType)
SQL_TYPES: dict[str, str] = {
    "id": "VARCHAR",
    "text": "VARCHAR",
    "date": "DATE",
    "integer": "BIGINT",
    "number": "DOUBLE",
    "flag": "VARCHAR",
    "code": "VARCHAR",
    "json": "VARCHAR",
}


@dataclass(frozen=True)
class CodeList:
    name: str
    source: str
    strict: bool
    values: Mapping[str, str]


@dataclass(frozen=True)
class Reference:
    table: str
    column: str

    def __str__(self) -> str:
        return f"{self.table}.{self.column}"


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    description: str
    required: bool = False
    not_null: bool = False
    codes: str | None = None
    references: Reference | None = None
    future: bool = False
    shape: JsonShape | None = None  # a json column's shape; `codes` lists its codes or keys
    item: str = ""  # the SSD's item reference (CONT005A), empty for an extension
    na: bool = False  # a flag that may say NA (not applicable), as the SSD allows for some

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.type]


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    key: str
    columns: tuple[Column, ...]
    sequences: tuple[tuple[str, str], ...] = ()
    filled_from: str = ""  # an ext_* table: where a council takes it from

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"{self.name} has no column {name}")

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def is_extension(self) -> bool:
        return self.name.startswith("ext_")


@dataclass(frozen=True)
class Contract:
    tables: tuple[Table, ...]
    codes: Mapping[str, CodeList] = field(default_factory=dict)

    def __iter__(self) -> Iterator[Table]:
        return iter(self.tables)

    def table(self, name: str) -> Table:
        for table in self.tables:
            if table.name == name:
                return table
        raise KeyError(f"no table {name} in the extract contract")

    @property
    def table_names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.tables)

    def schema(self) -> dict[str, dict[str, str]]:
        """{table: {column: SQL type}}, the shape sqlglot resolves KPI queries against."""
        return {t.name: {c.name: c.sql_type for c in t.columns} for t in self.tables}


@cache
def load_contract() -> Contract:
    """The contract shipped with Scrutineer, checked for consistency."""
    folder = resources.files(__package__)
    codes = _parse_codes(_yaml(folder.joinpath("codes.yaml").read_text("utf-8")))
    tables = _parse_tables(_yaml(folder.joinpath("tables.yaml").read_text("utf-8")))
    contract = Contract(tables=tables, codes=codes)
    problems = list(contract_problems(contract))
    if problems:
        raise ContractInvalid(problems)
    return contract


def _yaml(text: str) -> Any:
    """Safe YAML, with libyaml's parser where PyYAML has it (the contract is read by every
    command: 0.12 s in Python, 0.014 s in C)."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _parse_codes(raw: Mapping[str, Any]) -> dict[str, CodeList]:
    return {
        name: CodeList(
            name=name,
            source=str(spec["source"]),
            strict=bool(spec["strict"]),
            values={str(k).upper(): str(v) for k, v in spec["values"].items()},
        )
        for name, spec in raw.items()
    }


def _parse_tables(raw: Mapping[str, Any]) -> tuple[Table, ...]:
    return tuple(
        Table(
            name=name,
            description=" ".join(str(spec["description"]).split()),
            key=str(spec["key"]),
            columns=tuple(_parse_column(c, s) for c, s in spec["columns"].items()),
            sequences=tuple((str(a), str(b)) for a, b in spec.get("sequences", ())),
            filled_from=" ".join(str(spec.get("filled_from", "")).split()),
        )
        for name, spec in raw.items()
    )


def _parse_column(name: str, spec: Mapping[str, Any]) -> Column:
    ref = spec.get("references")
    table, _, column = str(ref).partition(".") if ref else ("", "", "")
    return Column(
        name=name,
        type=cast(ColumnType, spec["type"]),
        description=str(spec.get("description", "")),
        required=bool(spec.get("required", False)),
        not_null=bool(spec.get("not_null", False)),
        codes=spec.get("codes"),
        references=Reference(table, column) if ref else None,
        future=bool(spec.get("future", False)),
        shape=spec.get("shape"),
        item=str(spec.get("item", "")),
        na=bool(spec.get("na", False)),
    )


def contract_problems(contract: Contract) -> Iterator[str]:
    """Every inconsistency in the contract: unknown types, codes, keys and references."""
    yield from _names_shared(contract)
    for table in contract:
        names = set(table.column_names)
        if table.is_extension != bool(table.filled_from):
            yield f"{table.name}: an ext_* table needs `filled_from`, and only such a table"
        if table.key not in names:
            yield f"{table.name}: key {table.key} is not one of its columns"
        for start, end in table.sequences:
            for col in (start, end):
                if col not in names:
                    yield f"{table.name}: sequence column {col} is not one of its columns"
        for column in table.columns:
            yield from _column_problems(contract, table, column)


def _names_shared(contract: Contract) -> Iterator[str]:
    """A column name used by two tables: a figure's SQL names a column, and
    engine/unmapped.py takes the name for the column."""
    seen: dict[str, str] = {}
    for table in contract:
        for name in table.column_names:
            if name in seen:
                yield f"{table.name}.{name}: {seen[name]} has a column of the same name"
            seen.setdefault(name, table.name)


def _column_problems(contract: Contract, table: Table, column: Column) -> Iterator[str]:
    where = f"{table.name}.{column.name}"
    if column.type not in COLUMN_TYPES:
        yield f"{where}: type {column.type!r} is not one of {list(COLUMN_TYPES)}"
    if not column.description:
        yield f"{where}: has no description"
    yield from _shape_problems(where, column)
    if table.is_extension == bool(column.item):
        yield f"{where}: an SSD column needs its `item` reference, and an extension has none"
    if column.codes is not None and column.codes not in contract.codes:
        yield f"{where}: code list {column.codes!r} is not in codes.yaml"
    if column.future and column.type != "date":
        yield f"{where}: only a date column may be `future`"
    if column.na and column.type != "flag":
        yield f"{where}: only a flag column may allow `na`"
    ref = column.references
    if ref is not None:
        if ref.table not in contract.table_names:
            yield f"{where}: references unknown table {ref.table}"
        elif ref.column not in contract.table(ref.table).column_names:
            yield f"{where}: references unknown column {ref}"


def _shape_problems(where: str, column: Column) -> Iterator[str]:
    if (column.type in ("code", "json")) != (column.codes is not None):
        yield f"{where}: a code or json column needs `codes`, and only those may have it"
    if (column.type == "json") != (column.shape is not None):
        yield f"{where}: a json column needs a `shape`, and only a json column may have it"
    if column.shape is not None and column.shape not in JSON_SHAPES:
        yield f"{where}: shape {column.shape!r} is not one of {list(JSON_SHAPES)}"

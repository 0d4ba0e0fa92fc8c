"""How a declared table becomes SQL: its DDL, bulk inserts of its records and typed reads.

A table is declared once (``tables.py``) as a dataclass whose fields are its columns, each with
its SQL type and a one-line doc (``column``); the DDL, the writers and the readers below derive
from that declaration, so adding a column is one line in one place.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import MISSING, dataclass
from operator import attrgetter
from typing import Any, Generic, TypeVar, cast

import duckdb
import numpy as np

R = TypeVar("R")
_COLUMN = "wholeads.column"


@dataclass(frozen=True)
class Column:
    """One column of a table: its name, SQL type and what it holds."""

    name: str
    sql: str
    doc: str
    key: bool = False
    """The table's primary key."""


def column(sql: str, doc: str, *, default: Any = MISSING, key: bool = False) -> Any:
    """A record field that is a table column (``default``: the field may be left out)."""
    return dataclasses.field(default=default, metadata={_COLUMN: (sql, doc, key)})


@dataclass(frozen=True)
class Table(Generic[R]):
    """A table: its name, the record type of its rows, and its indexes (name -> columns)."""

    name: str
    row: type[R]
    indexes: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def columns(self) -> tuple[Column, ...]:
        out = []
        for f in dataclasses.fields(self.row):  # type: ignore[arg-type]
            sql, doc, key = f.metadata[_COLUMN]
            out.append(Column(f.name, sql, doc, key))
        return tuple(out)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def doc(self) -> str:
        return (self.row.__doc__ or "").strip()

    def create_sql(self, *, if_not_exists: bool = False) -> list[str]:
        """The statements that create the table and its indexes."""
        cols = ", ".join(
            f"{quote(c.name)} {c.sql}" + (" PRIMARY KEY" if c.key else "") for c in self.columns
        )
        exists = " IF NOT EXISTS" if if_not_exists else ""
        out = [f"CREATE TABLE{exists} {self.name} ({cols})"]
        out += [
            f"CREATE INDEX {name} ON {self.name} ({', '.join(quote(c) for c in on)})"
            for name, on in self.indexes
        ]
        return out

    def select_list(self, alias: str | None = None) -> str:
        """The declared columns, in order, for a SELECT (``alias``: the table's alias)."""
        prefix = f"{alias}." if alias else ""
        return ", ".join(prefix + quote(n) for n in self.names)


def quote(name: str) -> str:
    """A column name quoted for SQL ('row' is a keyword)."""
    return f'"{name}"'


def insert(con: duckdb.DuckDBPyConnection, table: Table[R], rows: Sequence[R]) -> None:
    """Bulk insert records (None = NULL) through numpy object arrays, one per column: an order of
    magnitude faster than row-by-row parameters on a build's hundreds of thousands of rows."""
    if not rows:
        return
    names = table.names
    arrays = {
        n: np.fromiter(map(attrgetter(n), rows), dtype=object, count=len(rows)) for n in names
    }
    con.register("_rows", arrays)
    try:
        cols = ", ".join(quote(n) for n in names)
        con.execute(f"INSERT INTO {table.name} ({cols}) SELECT {cols} FROM _rows")
    finally:
        con.unregister("_rows")


STAGING = "staging"
"""An in-memory database attached to a build's connection: tables that are written, read and
dropped within the build (never written to the file), visible to every cursor of it."""


def create_staging(con: duckdb.DuckDBPyConnection, table: Table[Any]) -> None:
    """Create ``table`` (its name ``staging.<name>``) in the staging database."""
    schema, _, _ = table.name.rpartition(".")
    if schema != STAGING:
        raise ValueError(f"{table.name}: a staging table is named '{STAGING}.<name>'")
    attached = con.execute(
        "SELECT count(*) FROM duckdb_databases() WHERE database_name = ?", [STAGING]
    )
    if not (attached.fetchone() or (0,))[0]:
        con.execute(f"ATTACH ':memory:' AS {STAGING}")
    for statement in table.create_sql():
        con.execute(statement)


def insert_coded(
    con: duckdb.DuckDBPyConnection,
    table: Table[Any],
    numbers: Mapping[str, np.ndarray],
    coded: Mapping[str, tuple[Sequence[Any], np.ndarray]],
    constants: Mapping[str, Any],
) -> None:
    """Bulk insert rows given as arrays: ``numbers`` as they are (NaN is NULL), a ``coded``
    column as its distinct values and a 0-based code per row, a constant once. No Python object
    is read per row, so DuckDB runs the insert without holding the interpreter: a thread can
    write while the build goes on."""
    given = {**numbers, **coded, **constants}
    unknown = set(given) - set(table.names)
    if unknown:
        raise ValueError(f"not columns of {table.name}: {', '.join(sorted(unknown))}")
    names = [n for n in table.names if n in given]
    arrays = {**numbers, **{n: codes for n, (_, codes) in coded.items()}}
    params = {f"v{i}": list(coded[n][0]) if n in coded else constants[n]
              for i, n in enumerate(names) if n not in numbers}  # fmt: skip
    exprs = [
        quote(n) if n in numbers
        else f"list_extract($v{i}, {quote(n)} + 1)" if n in coded
        else f"$v{i}"
        for i, n in enumerate(names)
    ]  # fmt: skip
    con.register("_coded", arrays)
    try:
        cols = ", ".join(quote(n) for n in names)
        con.execute(
            f"INSERT INTO {table.name} ({cols}) SELECT {', '.join(exprs)} FROM _coded", params
        )
    finally:
        con.unregister("_coded")


def select(
    con: duckdb.DuckDBPyConnection,
    table: Table[R],
    where: str = "",
    params: Sequence[Any] = (),
    order: str = "",
    limit: int | None = None,
) -> list[R]:
    """The table's rows as records (``where`` and ``order``: SQL with ``?`` parameters)."""
    sql = f"SELECT {table.select_list()} FROM {table.name}"
    sql += f" WHERE {where}" if where else ""
    sql += f" ORDER BY {order}" if order else ""
    sql += f" LIMIT {int(limit)}" if limit is not None else ""
    names = table.names
    return [
        table.row(**dict(zip(names, r, strict=True)))
        for r in con.execute(sql, list(params)).fetchall()
    ]


def record_from(kind: type[R], other: object, /, **given: Any) -> R:
    """A ``kind`` record whose fields are ``given``, else the same-named attributes of ``other``
    (a field with a default keeps it unless given): copying a record into a table's row, or a
    row back into a record, spells out only the fields whose names differ."""
    names, get = _copier(cast(type, kind), frozenset(given))
    return kind(**dict(zip(names, get(other), strict=True)), **given)


@functools.cache
def _copier(kind: type, given: frozenset[str]) -> tuple[tuple[str, ...], Callable[[Any], tuple]]:
    """The fields of a dataclass without a default that are not given, and their getter (a
    build copies hundreds of thousands of records: one C-level getter per call site)."""
    names = tuple(
        f.name
        for f in dataclasses.fields(kind)
        if f.name not in given and f.default is MISSING and f.default_factory is MISSING
    )
    if not names:
        return names, lambda _: ()
    if len(names) == 1:
        one = attrgetter(names[0])
        return names, lambda o: (one(o),)
    return names, attrgetter(*names)

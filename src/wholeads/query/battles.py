"""Battle logs on disk -> sufficient statistics (the I/O edge of the ratings).

Reads arena battle logs (`model_a`, `model_b`, `winner`, ...) from CSV, JSON Lines, JSON arrays or
Parquet and aggregates them to counts per (model_a, model_b, outcome) inside DuckDB, out of core:
a file of any size becomes at most 3 * models^2 rows before Python sees it. Only built-in DuckDB
readers are used (no extension downloads). An unfiltered Parquet file is first offered to
`battles_parquet`, which counts its dictionary codes without DuckDB and hands back any file it is
not sure of, so the rules and the error messages below stay the only ones.

Rows are numbered from 1 in file order, header excluded (a CSV's row 3 is its line 4; a JSON
array's row 3 is its third object), before any filter is applied.

User filters ("language = 'Chinese' AND anony = true") are parsed here with a strict tokenizer
into (column, operator, literal) triples; columns must exist in the file and literals are bound as
query parameters, so no user text ever reaches the SQL string.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from wholeads.analysis.ratings import OUTCOMES, PairCounts
from wholeads.errors import DataError, NotFittableError, UserError

if TYPE_CHECKING:  # DuckDB loads only when a file needs it (see `battles_parquet`)
    import duckdb

REQUIRED = ("model_a", "model_b", "winner")

_READERS = {
    ".csv": "read_csv({path}, header = true)",
    ".tsv": "read_csv({path}, header = true, delim = '\t')",
    ".jsonl": "read_json({path}, format = 'newline_delimited')",
    ".ndjson": "read_json({path}, format = 'newline_delimited')",
    ".json": "read_json({path}, format = 'auto')",
    ".parquet": "read_parquet({path})",
    ".pq": "read_parquet({path})",
}
_COMPRESSED = (".gz", ".zst")
_PARQUET = (".parquet", ".pq")


@dataclass(frozen=True)
class Condition:
    """One parsed filter condition: `column operator literal`."""

    column: str
    operator: str
    value: str | int | float | bool


def read_counts(path: Path | str, filters: Sequence[str] = (), *, threads: int = 2) -> PairCounts:
    """Aggregate a battle log to counts per (model_a, model_b, outcome), after the filters.

    Raises UserError for a missing/unsupported file or a bad filter, DataError (naming the file
    and the first offending row) for malformed battles, NotFittableError if nothing is left.
    """
    path = Path(path)
    if not path.is_file():
        raise UserError(f"battle file {path} does not exist")
    if not filters and path.suffix.lower() in _PARQUET:
        from wholeads.query.battles_parquet import count_parquet

        counts = count_parquet(path)
        if counts is not None:
            return counts
    return read_counts_duckdb(path, filters, threads=threads)


def read_counts_duckdb(path: Path, filters: Sequence[str] = (), *, threads: int = 2) -> PairCounts:
    """`read_counts` through DuckDB, the path every file can take (and the one that explains)."""
    import duckdb

    con = duckdb.connect(
        config={
            "threads": threads,
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
        }
    )
    try:
        source = _reader(path)
        columns = _columns(con, source, path)
        missing = [c for c in REQUIRED if c not in columns]
        if missing:
            raise DataError(
                f"missing column(s) {', '.join(missing)}; found {', '.join(columns)}",
                file=str(path),
                field=missing[0],
            )
        conditions = [c for text in filters for c in parse_filter(text, columns)]
        where, params = _where(conditions)
        _aggregate(con, source, where, params, path)
        return _fetch_counts(con)
    finally:
        con.close()


def parse_filter(text: str, columns: Sequence[str]) -> list[Condition]:
    """Parse "col OP literal [AND col OP literal ...]"; anything else is a UserError."""
    tokens = _tokenize(text)
    by_lower = {c.lower(): c for c in columns}
    conditions: list[Condition] = []
    pos = 0
    while True:
        if pos + 3 > len(tokens):
            raise UserError(f"filter {text!r}: expected `column operator value`")
        (kind_c, col), (kind_o, op), (kind_v, raw) = tokens[pos : pos + 3]
        if kind_c not in ("word", "qid") or col.lower() in ("and", "or", "not"):
            raise UserError(f"filter {text!r}: expected a column name, got {col!r}")
        name = col[1:-1] if kind_c == "qid" else col
        if name.lower() not in by_lower:
            raise UserError(
                f"filter {text!r}: unknown column {name!r}; columns are {', '.join(columns)}"
            )
        if kind_o != "op":
            raise UserError(f"filter {text!r}: expected an operator (= != < <= > >=), got {op!r}")
        conditions.append(
            Condition(
                by_lower[name.lower()], "!=" if op == "<>" else op, _literal(kind_v, raw, text)
            )
        )
        pos += 3
        if pos == len(tokens):
            return conditions
        kind, word = tokens[pos]
        if kind != "word" or word.lower() != "and":
            raise UserError(f"filter {text!r}: only AND may join conditions, got {word!r}")
        pos += 1


_TOKEN = re.compile(
    r"""\s*(?:
        (?P<str>'(?:[^']|'')*')
      | (?P<num>[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)(?![A-Za-z_])
      | (?P<op><=|>=|<>|!=|=|<|>)
      | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<qid>"[^"]+")
    )\s*""",
    re.VERBOSE,
)


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise UserError(
                f"filter {text!r}: unexpected {text[pos : pos + 10]!r} at position {pos}"
            )
        kind = match.lastgroup
        assert kind is not None
        tokens.append((kind, match.group(kind)))
        pos = match.end()
    if not tokens:
        raise UserError("empty filter")
    return tokens


def _literal(kind: str, raw: str, text: str) -> str | int | float | bool:
    if kind == "str":
        return raw[1:-1].replace("''", "'")
    if kind == "num":
        return float(raw) if any(ch in raw for ch in ".eE") else int(raw)
    if kind == "word" and raw.lower() in ("true", "false"):
        return raw.lower() == "true"
    raise UserError(f"filter {text!r}: expected a value ('text', number, true/false), got {raw!r}")


def _where(conditions: Sequence[Condition]) -> tuple[str, list[object]]:
    if not conditions:
        return "TRUE", []
    sql = " AND ".join(f"{_quote_ident(c.column)} {c.operator} ?" for c in conditions)
    return sql, [c.value for c in conditions]


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _reader(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] in _COMPRESSED:
        suffixes = suffixes[:-1]
    suffix = suffixes[-1] if suffixes else ""
    if suffix not in _READERS:
        raise UserError(
            f"{path}: unsupported battle file type {suffix!r}; use {', '.join(_READERS)}"
        )
    return _READERS[suffix].format(path="'" + str(path).replace("'", "''") + "'")


def _columns(con: duckdb.DuckDBPyConnection, source: str, path: Path) -> list[str]:
    import duckdb

    try:
        rows = con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
    except duckdb.Error as exc:
        raise DataError(f"cannot read battles: {_first_line(exc)}", file=str(path)) from exc
    return [str(r[0]) for r in rows]


_BAD = """
    __a IS NULL OR __b IS NULL OR trim(__a) = '' OR trim(__b) = ''
    OR __w IS NULL OR __w NOT IN ('model_a', 'model_b', 'tie', 'tie (bothbad)') OR __a = __b
"""


def _aggregate(
    con: duckdb.DuckDBPyConnection, source: str, where: str, params: list[object], path: Path
) -> None:
    """One scan: grouped counts into a temp table; on bad groups, locate the first bad row."""
    import duckdb

    typed = (
        "CAST(model_a AS VARCHAR) AS __a, CAST(model_b AS VARCHAR) AS __b, "
        "CAST(winner AS VARCHAR) AS __w"
    )
    try:
        con.execute(
            f"CREATE TEMP TABLE cells AS SELECT __a, __b, __w, count(*) AS n "
            f"FROM (SELECT {typed}, * FROM {source} WHERE {where}) GROUP BY __a, __b, __w",
            params,
        )
        bad_groups = con.execute(f"SELECT count(*) FROM cells WHERE {_BAD}").fetchone()
        if bad_groups and bad_groups[0]:
            row = con.execute(
                f"SELECT __row, __a, __b, __w FROM (SELECT row_number() OVER () AS __row, {typed}, "
                f"* FROM {source}) WHERE ({where}) AND ({_BAD}) ORDER BY __row LIMIT 1",
                params,
            ).fetchone()
            assert row is not None
            _raise_bad_row(path, int(row[0]), row[1], row[2], row[3])
    except duckdb.Error as exc:
        raise UserError(
            f"{path}: cannot apply the filter or read the battles: {_first_line(exc)}"
        ) from exc


def _raise_bad_row(path: Path, row: int, a: str | None, b: str | None, w: str | None) -> None:
    if a is None or not a.strip():
        field, problem = "model_a", "model_a is empty"
    elif b is None or not b.strip():
        field, problem = "model_b", "model_b is empty"
    elif a == b:
        field, problem = "model_b", f"model {a!r} plays itself"
    else:
        field = "winner"
        problem = f"unknown winner {w!r}; expected one of {', '.join(map(repr, OUTCOMES))}"
    raise DataError(f"row {row}: {problem}", file=str(path), field=field)


def _fetch_counts(con: duckdb.DuckDBPyConnection) -> PairCounts:
    """Index models in DuckDB so Python only receives integer arrays and the model names."""
    con.execute(
        "CREATE TEMP TABLE models AS SELECT model, "
        "(row_number() OVER (ORDER BY model) - 1)::BIGINT AS idx "
        "FROM (SELECT __a AS model FROM cells UNION SELECT __b FROM cells)"
    )
    names = [str(r[0]) for r in con.execute("SELECT model FROM models ORDER BY idx").fetchall()]
    if not names:
        raise NotFittableError("no battles left after filtering")
    data = con.execute(
        "SELECT ma.idx AS a, mb.idx AS b, "
        "CASE __w WHEN 'model_a' THEN 0 WHEN 'model_b' THEN 1 ELSE 2 END::BIGINT AS outcome, "
        "n::BIGINT AS n FROM cells "
        "JOIN models ma ON __a = ma.model JOIN models mb ON __b = mb.model"
    ).fetchnumpy()
    return PairCounts(
        models=tuple(names),
        a=np.asarray(data["a"], dtype=np.int64),
        b=np.asarray(data["b"], dtype=np.int64),
        outcome=np.asarray(data["outcome"], dtype=np.int64),
        count=np.asarray(data["n"], dtype=np.int64),
    )


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__

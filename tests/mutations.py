"""Ways an upstream file goes bad, as pure functions ``(data, path, rng) -> bytes | None``.

``None`` means the mutation does not apply to the file's format (deep nesting in a CSV). Each is
what a flaky upstream or an attacker could serve: a truncated or empty file, random bytes, another
encoding, a key or column gone, values of the wrong type, 1e308, infinity, a negative value, a
date in 2099, a duplicated row, a large file, deep nesting. Shared by the property test
(``test_mutations.py``, where Hypothesis picks the file, the mutation and the seed) and the table
of outcomes (``bench/bench_mutations.py``, fixed seeds); nothing here imports wholeads.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
from collections.abc import Callable
from typing import Any

import yaml

Mutation = Callable[[bytes, str, random.Random], bytes | None]
Path_ = tuple[Any, ...]
"""Keys and indexes from a document's root to one value."""

DEPTH = 100_000
LARGE_BYTES = 4 * 2**20
"""Size of the 'large file' mutation (the table passes 50 MB; the tests keep runs short)."""
DEEP = "__wholeads_deep__"


def file_format(path: str) -> str:
    """csv, json, yaml or toml, by the file name."""
    suffix = path.rsplit(".", 1)[-1].lower()
    return {"yml": "yaml", "yaml": "yaml", "json": "json", "toml": "toml"}.get(suffix, "csv")


# -- documents (JSON, YAML) -----------------------------------------------------------------


def _load(data: bytes, fmt: str) -> Any:
    body = data.decode("utf-8-sig")
    return json.loads(body) if fmt == "json" else yaml.safe_load(body)


def _dump(doc: Any, fmt: str) -> bytes:
    if fmt == "json":
        return json.dumps(doc, ensure_ascii=False).encode()
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode()


def _leaves(doc: Any, path: Path_ = ()) -> list[Path_]:
    """Paths to every scalar of a document, in document order."""
    if isinstance(doc, dict):
        return [p for k, v in doc.items() for p in _leaves(v, (*path, k))]
    if isinstance(doc, list):
        return [p for i, v in enumerate(doc) for p in _leaves(v, (*path, i))]
    return [path]


def _get(doc: Any, path: Path_) -> Any:
    for step in path:
        doc = doc[step]
    return doc


def _set(doc: Any, path: Path_, value: Any) -> None:
    _get(doc, path[:-1])[path[-1]] = value


def _keys(doc: Any) -> set[str]:
    if isinstance(doc, dict):
        return {str(k) for k in doc} | {k for v in doc.values() for k in _keys(v)}
    if isinstance(doc, list):
        return {k for v in doc for k in _keys(v)}
    return set()


def _map_key(doc: Any, key: str, change: Callable[[dict[str, Any]], None]) -> None:
    """Apply ``change`` to every object of the document that has ``key``."""
    if isinstance(doc, dict):
        for value in doc.values():
            _map_key(value, key, change)
        if key in doc:
            change(doc)
    elif isinstance(doc, list):
        for value in doc:
            _map_key(value, key, change)


def _is_number_text(value: Any) -> bool:
    return isinstance(value, str) and bool(
        re.fullmatch(r"\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*", value)
    )


def _numbers(doc: Any) -> list[Path_]:
    """Paths to numbers, and to strings that hold one ('0.00003', as OpenRouter writes prices)."""
    out = []
    for path in _leaves(doc):
        value = _get(doc, path) if path else doc
        if (isinstance(value, int | float) and not isinstance(value, bool)) or _is_number_text(
            value
        ):
            out.append(path)
    return out


# -- CSV --------------------------------------------------------------------------------------


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _write(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def _numeric_cells(rows: list[list[str]]) -> list[tuple[int, int]]:
    return [
        (r, c)
        for r in range(1, len(rows))
        for c, cell in enumerate(rows[r])
        if _is_number_text(cell)
    ]


# -- TOML (no writer in the standard library: edited as text) -------------------------------

_TOML_KEY = re.compile(r"(?m)^([ \t]*[A-Za-z0-9_.\"-]+[ \t]*=[ \t]*)(.+)$")
_TOML_NUMBER = re.compile(r"-?\d[\d_]*(\.\d+)?([eE][-+]?\d+)?")


def _toml_lines(text: str, numeric: bool | None = None) -> list[re.Match[str]]:
    lines = list(_TOML_KEY.finditer(text))
    if numeric is None:
        return lines
    return [m for m in lines if bool(_TOML_NUMBER.fullmatch(m.group(2).strip())) == numeric]


def _replace(text: str, match: re.Match[str], value: str) -> str:
    return text[: match.start(2)] + value + text[match.end(2) :]


# -- the mutations ----------------------------------------------------------------------------


def truncated(data: bytes, path: str, rng: random.Random) -> bytes | None:
    """Cut somewhere inside the file, as an interrupted download leaves it."""
    return data[: rng.randrange(1, len(data))] if len(data) > 1 else None


def empty(data: bytes, path: str, rng: random.Random) -> bytes | None:
    return b""


def random_bytes(data: bytes, path: str, rng: random.Random) -> bytes | None:
    return rng.randbytes(max(1, min(len(data), 2**20)))


def other_encoding(data: bytes, path: str, rng: random.Random) -> bytes | None:
    """The same text in UTF-16 or UTF-32 (with a byte-order mark), or Latin-1 when not ASCII."""
    text = data.decode("utf-8-sig")
    choices = ["utf-16", "utf-32"] + (["latin-1"] if not text.isascii() else [])
    return text.encode(rng.choice(choices), errors="replace")


def missing_key(data: bytes, path: str, rng: random.Random) -> bytes | None:
    """A key (or CSV column) gone from every record, as when upstream renames a field."""
    fmt = file_format(path)
    if fmt == "csv":
        rows = _rows(data)
        if not rows or not rows[0]:
            return None
        col = rng.randrange(len(rows[0]))
        return _write([r[:col] + r[col + 1 :] for r in rows])
    if fmt == "toml":
        text = data.decode()
        lines = _toml_lines(text)
        if not lines:
            return None
        line = rng.choice(lines)
        return (text[: line.start()] + text[line.end() :]).encode()
    doc = _load(data, fmt)
    keys = sorted(_keys(doc))
    if not keys:
        return None
    key = rng.choice(keys)
    _map_key(doc, key, lambda obj: obj.pop(key))
    return _dump(doc, fmt)


def _wrong(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes"
    if isinstance(value, int | float) or _is_number_text(value):
        return "abc"
    if isinstance(value, str):
        return 12345
    if isinstance(value, list):
        return {"x": 1}
    if isinstance(value, dict):
        return [1, 2]
    return []


def wrong_types(data: bytes, path: str, rng: random.Random) -> bytes | None:
    """Every value of one key (or CSV column) of another type: numbers as words, text as numbers."""
    fmt = file_format(path)
    if fmt == "csv":
        rows = _rows(data)
        if len(rows) < 2 or not rows[0]:
            return None
        col = rng.randrange(len(rows[0]))
        numeric = sum(_is_number_text(r[col]) for r in rows[1:] if col < len(r)) > len(rows) // 2
        for r in rows[1:]:
            if col < len(r):
                r[col] = "abc" if numeric else "12345"
        return _write(rows)
    if fmt == "toml":
        text = data.decode()
        lines = _toml_lines(text)
        if not lines:
            return None
        line = rng.choice(lines)
        value = line.group(2).strip()
        return _replace(text, line, '"abc"' if not value.startswith('"') else "12345").encode()
    doc = _load(data, fmt)
    keys = sorted(_keys(doc))
    if not keys:
        return None
    key = rng.choice(keys)
    _map_key(doc, key, lambda obj: obj.__setitem__(key, _wrong(obj[key])))
    return _dump(doc, fmt)


def _one_number(
    data: bytes, path: str, rng: random.Random, make: Callable[[str], str]
) -> bytes | None:
    """One numeric value replaced by ``make(old text)`` (written as the format writes numbers)."""
    fmt = file_format(path)
    if fmt == "csv":
        rows = _rows(data)
        cells = _numeric_cells(rows)
        if not cells:
            return None
        r, c = rng.choice(cells)
        rows[r][c] = make(rows[r][c])
        return _write(rows)
    if fmt == "toml":
        text = data.decode()
        lines = _toml_lines(text, numeric=True)
        if not lines:
            return None
        line = rng.choice(lines)
        new = make(line.group(2).strip())
        return _replace(text, line, "inf" if new == "inf" else new).encode()
    doc = _load(data, fmt)
    numbers = _numbers(doc)
    if not numbers:
        return None
    where = rng.choice(numbers)
    old = _get(doc, where)
    new = make(str(old))
    if isinstance(old, str):
        _set(doc, where, new)
    else:
        _set(doc, where, float(new))
    return _dump(doc, fmt)


def huge(data: bytes, path: str, rng: random.Random) -> bytes | None:
    """One number replaced by 1e308 (one Elo cell of 1e308 once made CN the general leader)."""
    return _one_number(data, path, rng, lambda old: "1e308")


def infinite(data: bytes, path: str, rng: random.Random) -> bytes | None:
    """One number replaced by infinity (JSON 'Infinity', YAML '.inf', TOML and CSV 'inf')."""
    return _one_number(data, path, rng, lambda old: "inf")


def negative(data: bytes, path: str, rng: random.Random) -> bytes | None:
    """One number made negative (-5000 where it was 0), as a price of -5000 once was stored."""

    def make(old: str) -> str:
        value = abs(float(old.strip()))
        return "-5000" if value == 0 else f"-{value:g}"

    return _one_number(data, path, rng, make)


_ISO_DATE = re.compile(r"(?<!\d)(19|20)\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?!\d)")
_UNIX_TIME = re.compile(r"(?<![\d.])1[5-7]\d{8}(?![\d.])")


def date_2099(data: bytes, path: str, rng: random.Random) -> bytes | None:
    """One date moved to 2099 (a single such date once moved the default 'as of' to 2099)."""
    text = data.decode("utf-8-sig")
    dates = list(_ISO_DATE.finditer(text))
    if dates:
        m = rng.choice(dates)
        return (text[: m.start()] + "2099" + text[m.start() + 4 :]).encode()
    stamps = list(_UNIX_TIME.finditer(text))
    if stamps:
        m = rng.choice(stamps)
        return (text[: m.start()] + "4070908800" + text[m.end() :]).encode()
    return None


def duplicated_row(data: bytes, path: str, rng: random.Random) -> bytes | None:
    """One record twice: a CSV row, a list element, or a repeated key of a JSON object."""
    fmt = file_format(path)
    if fmt == "csv":
        rows = _rows(data)
        if len(rows) < 2:
            return None
        r = rng.randrange(1, len(rows))
        return _write([*rows[: r + 1], rows[r], *rows[r + 1 :]])
    if fmt == "toml":
        text = data.decode()
        lines = _toml_lines(text)
        if not lines:
            return None
        line = rng.choice(lines)
        return (text[: line.end()] + "\n" + line.group(0) + text[line.end() :]).encode()
    doc = _load(data, fmt)
    lists = [p for p in _containers(doc) if isinstance(_get(doc, p), list) and _get(doc, p)]
    if lists:
        items = _get(doc, max(lists, key=lambda p: len(_get(doc, p))))
        i = rng.randrange(len(items))
        items.insert(i + 1, items[i])
        return _dump(doc, fmt)
    if fmt == "json" and isinstance(doc, dict) and doc:
        key = rng.choice(sorted(doc))
        pairs = [*doc.items(), (key, doc[key])]
        return ("{" + ",".join(f"{json.dumps(k)}:{json.dumps(v)}" for k, v in pairs) + "}").encode()
    return None


def _containers(doc: Any, path: Path_ = ()) -> list[Path_]:
    out = [path] if isinstance(doc, dict | list) else []
    items = (
        doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else []
    )
    for k, v in items:
        out += _containers(v, (*path, k))
    return out


def large(data: bytes, path: str, rng: random.Random, size: int = LARGE_BYTES) -> bytes | None:
    """The file grown to ``size`` bytes: CSV rows repeated, other formats padded (comments or
    whitespace), as a misbehaving server might send."""
    fmt = file_format(path)
    if fmt == "csv":
        lines = data.decode("utf-8-sig").splitlines(keepends=True)
        body = "".join(lines[1:]) or "\n"
        if not body.endswith("\n"):
            body += "\n"
        repeat = max(1, (size - len(data)) // max(1, len(body.encode())) + 1)
        return (data if data.endswith(b"\n") else data + b"\n") + body.encode() * repeat
    if fmt == "json":
        return data.rstrip() + b" " * max(0, size - len(data)) + b"\n"
    line = b"# " + b"x" * 1000 + b"\n"
    return data + line * max(1, (size - len(data)) // len(line) + 1)


def deep_nesting(data: bytes, path: str, rng: random.Random) -> bytes | None:
    """One value replaced by 100,000 nested lists (recursion in a parser, or after it)."""
    fmt = file_format(path)
    deep = "[" * DEPTH + "]" * DEPTH
    if fmt == "csv":
        return None
    if fmt == "toml":
        text = data.decode()
        lines = _toml_lines(text)
        if not lines:
            return None
        return _replace(text, rng.choice(lines), deep).encode()
    doc = _load(data, fmt)
    leaves = _leaves(doc)
    if not leaves or leaves == [()]:
        return None
    _set(doc, rng.choice(leaves), DEEP)
    body = _dump(doc, fmt).decode()
    marker = json.dumps(DEEP) if fmt == "json" else DEEP
    return body.replace(marker, deep, 1).encode()


MUTATIONS: dict[str, Mutation] = {
    "truncated": truncated,
    "empty": empty,
    "random bytes": random_bytes,
    "other encoding": other_encoding,
    "missing key": missing_key,
    "wrong types": wrong_types,
    "1e308": huge,
    "inf": infinite,
    "negative": negative,
    "date in 2099": date_2099,
    "duplicated row": duplicated_row,
    "large file": large,
    "deep nesting": deep_nesting,
}

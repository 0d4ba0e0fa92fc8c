"""The layers stay where ARCHITECTURE.md draws them: SQL only in the store and the read layer,
and every module named there."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "wholeads"
SQL_HOMES = ("store", "query")
"""The packages that may talk to the database in SQL: the store (tables, migrations, derived
columns) and the read layer (catalog, evidence, replay, claim sizes, sources)."""
SQL_CALL = re.compile(r"\.(execute|executemany|sql)\(")


def test_sql_lives_only_in_the_store_and_the_read_layer() -> None:
    offenders = [
        f"{path.relative_to(SRC)}:{n}: {line.strip()}"
        for path in sorted(SRC.rglob("*.py"))
        if path.relative_to(SRC).parts[0] not in SQL_HOMES
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if SQL_CALL.search(line)
    ]
    assert not offenders, "move these queries into store/ or query/:\n" + "\n".join(offenders)


def test_the_sql_homes_exist() -> None:
    assert all((SRC / home / "__init__.py").is_file() for home in SQL_HOMES)


def test_every_module_is_named_in_the_architecture() -> None:
    """ARCHITECTURE.md names every module with its job (a source module stands as <source>.py)."""
    text = (SRC.parents[1] / "ARCHITECTURE.md").read_text()
    sources = SRC / "ingest" / "sources"
    missing = [
        str(path.relative_to(SRC))
        for path in sorted(SRC.rglob("*.py"))
        if path.name not in text and not (path.parent == sources and not path.name.startswith("_"))
    ]
    assert not missing, f"add these modules to ARCHITECTURE.md: {missing}"

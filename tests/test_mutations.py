"""Bad upstream files for every source, chosen by Hypothesis: one real snapshot file of the source
is truncated, emptied, replaced by random bytes, re-encoded, loses a key, gets values of the wrong
type, 1e308, infinity, a negative value, a date in 2099, a duplicated row, grows large or nests
deeply (``mutations.py``). Then ``wholeads update --only SOURCE`` must either

- fail with exit code 2 and an error naming the source's files, leaving the previous database
  byte for byte as it was (and with ``--keep-going`` exit 3, the source marked failed and its
  previous rows kept), or
- succeed with only plausible values stored (by limits independent of the gates), having lost no
  more of the source's rows than its declared ``max_row_loss``;

never a traceback (an exception escaping the command fails the test with it). Bounded: a fixed
number of examples per source, derandomized, so every run tries the same mutations.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import random
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from conftest import run_cli
from mutations import MUTATIONS
from wholeads.ingest.sources import SOURCE_IDS
from wholeads.ingest.sources.limits import limits_of
from wholeads.store.files import open_readonly

EXAMPLES_PER_SOURCE = 2


def _mirror(shared: Path, source: str, dest: Path) -> Path:
    """A mirror of one source made of symlinks to the real files (which are never written)."""
    for path in (shared / source).rglob("*"):
        if path.is_file():
            link = dest / source / path.relative_to(shared / source)
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(path)
    return dest


@contextlib.contextmanager
def _cache_at(folder: Path) -> Iterator[None]:
    """The user cache (last good data) in ``folder`` for the duration."""
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(folder)
    try:
        yield
    finally:
        if old is None:
            del os.environ["XDG_CACHE_HOME"]
        else:
            os.environ["XDG_CACHE_HOME"] = old


def _update(mirror: Path, source: str, db: Path, *extra: str) -> int:
    import pytest as _pytest

    with _pytest.MonkeyPatch.context() as patch:
        return run_cli(
            patch, "update", "--mirror", str(mirror), "--only", source, "--db", str(db), *extra
        )


def _rows(db: Path, source: str) -> dict[str, int]:
    with contextlib.closing(open_readonly(db)) as con:
        row = con.execute(
            "SELECT models, scores, prices FROM sources WHERE id = ?", [source]
        ).fetchone()
    return dict(zip(("models", "scores", "prices"), row or (0, 0, 0), strict=True))


def _implausible(db: Path) -> list[str]:
    """Stored values no source can mean, by generous limits of this test's own."""
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    checks = {
        "score": "SELECT count(*) FROM scores WHERE NOT isfinite(value) "
        "OR value NOT BETWEEN 0 AND 1e5",
        "price": "SELECT count(*) FROM prices WHERE NOT isfinite(input_per_mtok) "
        "OR NOT isfinite(output_per_mtok) OR least(input_per_mtok, output_per_mtok) < 0 "
        "OR greatest(input_per_mtok, output_per_mtok) > 1e5",
        "score date": f"SELECT count(*) FROM scores WHERE as_of > DATE '{tomorrow}'",
        "price date": f"SELECT count(*) FROM prices WHERE valid_from > DATE '{tomorrow}'",
        "release date": f"SELECT count(*) FROM models WHERE release_date > DATE '{tomorrow}'",
        "context": "SELECT count(*) FROM models WHERE context_window NOT BETWEEN 1 AND 1e10",
    }
    with contextlib.closing(open_readonly(db)) as con:
        return [k for k, q in checks.items() if (con.execute(q).fetchone() or (0,))[0]]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def baseline(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """A folder per source holding a database and a last-good cache built from its real files."""
    built: dict[str, Path] = {}

    def get(source: str) -> Path:
        if source not in built:
            folder = tmp_path_factory.mktemp(f"base-{source}")
            mirror = _mirror(shared_data, source, folder / "mirror")
            with _cache_at(folder / "cache"):
                assert _update(mirror, source, folder / "w.duckdb") == 0
            built[source] = folder
        return built[source]

    return get


def _files(shared: Path, source: str) -> list[str]:
    folder = shared / source
    return sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and p.name != "LICENSE.txt"
    )


def _names(position: int) -> list[str]:
    """The mutation names, rotated so that each source starts with a different one."""
    names = sorted(MUTATIONS)
    k = position % len(names)
    return names[k:] + names[:k]


@pytest.mark.parametrize("source", SOURCE_IDS)
def test_a_bad_file_is_a_clean_error_or_plausible_data_never_a_traceback(
    source: str,
    shared_data: Path,
    baseline: Callable[[str], Path],
    tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
) -> None:
    base = baseline(source)
    files = _files(shared_data, source)
    limits = limits_of(source)
    before_rows = _rows(base / "w.duckdb", source)

    @settings(
        max_examples=EXAMPLES_PER_SOURCE,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(
        file=st.sampled_from(files),
        mutation=st.sampled_from(_names(SOURCE_IDS.index(source))),
        seed=st.integers(0, 2**32 - 1),
    )
    def check(file: str, mutation: str, seed: int) -> None:
        original = (shared_data / source / file).read_bytes()
        try:
            mutated = MUTATIONS[mutation](original, file, random.Random(seed))
        except (UnicodeDecodeError, ValueError):
            mutated = None  # the mutation does not apply to this file's content
        assume(mutated is not None and mutated != original)
        assert mutated is not None
        work = tmp_path_factory.mktemp("case")
        try:
            mirror = _mirror(shared_data, source, work / "mirror")
            target = mirror / source / file
            target.unlink()  # a symlink to the real file: replaced, never written through
            target.write_bytes(mutated)
            db = work / "w.duckdb"
            shutil.copy(base / "w.duckdb", db)
            shutil.copytree(base / "cache", work / "cache")
            before = _sha(db)
            with _cache_at(work / "cache"):
                capsys.readouterr()
                code = _update(mirror, source, db)
                err = " ".join(capsys.readouterr().err.split())
                assert code in (0, 2), f"{mutation} of {file}: exit {code}"
                if code == 2:
                    assert err.startswith(f"error: source '{source}' "), err
                    assert _sha(db) == before, f"{mutation} of {file}: failed but changed the DB"
                    assert sorted(p.name for p in work.glob(".w.duckdb.building*")) == []
                    assert _update(mirror, source, db, "--keep-going") == 3
                    assert _rows(db, source) == before_rows
                    return
            assert _implausible(db) == [], f"{mutation} of {file}"
            after = _rows(db, source)
            for kind, count in before_rows.items():
                assert after[kind] >= count * (1 - limits.max_row_loss), (mutation, file, kind)
        finally:
            shutil.rmtree(work, ignore_errors=True)

    check()

"""A fresh, non-editable install answers every domain it can offline, from the bundle alone.

The wheel is built from a copy of the working tree, installed with no dependencies into a new
virtual environment (which borrows this environment's installed dependencies through a ``.pth``
line, so nothing is downloaded), and ``wholeads leaders --json`` runs there with no mirror, no
database and the network off. About a minute; deselect with ``-m 'not install'``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml

from conftest import REPO
from wholeads.ingest import bundle

pytestmark = pytest.mark.install


def _answerable_domains() -> tuple[set[str], set[str]]:
    """From domains.yaml and the bundle's Parquet alone: the domains with an evidence entry the
    bundle can feed, and the others. A benchmark feeds a comparison when the bundle holds two
    models on one board (an arena snapshot: same source and date) or two models at all (a
    static benchmark); a model field, fact or price needs no benchmark of its own."""
    boards: dict[str, int] = {}
    names: dict[str, set[str]] = {}
    for path in bundle.bundle_root().glob("*/scores.parquet"):
        table = pq.read_table(path, columns=["benchmark", "name", "as_of", "source_id"])
        sizes: dict[tuple[str, object, str], int] = {}
        for row in table.to_pylist():
            key = (row["benchmark"], row["as_of"], row["source_id"])
            sizes[key] = sizes.get(key, 0) + 1
            names.setdefault(row["benchmark"], set()).add(row["name"])
        for (benchmark, _, _), size in sizes.items():
            boards[benchmark] = max(boards.get(benchmark, 0), size)

    def feeds(entry: dict[str, str]) -> bool:
        if entry.get("kind", "score") != "score":
            return True
        benchmark = entry["benchmark"]
        if entry.get("combine") == "snapshot":
            return boards.get(benchmark, 0) >= 2
        return len(names.get(benchmark, ())) >= 2

    domains = yaml.safe_load((REPO / "src/wholeads/kb/domains.yaml").read_text(encoding="utf-8"))
    fed = {d for d, spec in domains.items() if any(feeds(e) for e in spec["evidence"])}
    return fed, set(domains) - fed


def _copy_tree(target: Path) -> Path:
    """The files a wheel is built from, copied (a build never writes into the repository)."""
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, target / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    shutil.copytree(REPO / "src", target / "src", ignore=ignore)
    return target


def test_a_wheel_installed_in_a_fresh_venv_answers_offline(tmp_path: Path) -> None:
    (tmp_path / "tree").mkdir()
    tree = _copy_tree((tmp_path / "tree").resolve())
    wheels = tmp_path / "wheels"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    build = [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(tree)]
    subprocess.run(build, check=True, capture_output=True)
    (wheel,) = wheels.glob("wholeads-*.whl")

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    # The dependencies come from this environment (appended after the venv's own packages).
    (Path(site) / "borrowed-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    # --ignore-installed: a non-editable wholeads in the borrowed environment (as in CI) must not
    # count as already installed, or the venv would run that copy instead of the wheel
    install = [*pip, "--python", str(python), "install", "--no-deps", "--no-index",
               "--ignore-installed", str(wheel)]  # fmt: skip
    subprocess.run(install, check=True, capture_output=True)

    env = {k: v for k, v in os.environ.items() if not k.startswith("WHOLEADS_")}
    env.pop("PYTHONPATH", None)
    env |= {
        "WHOLEADS_OFFLINE": "1",
        "WHOLEADS_DB": str(tmp_path / "db" / "wholeads.duckdb"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    where = subprocess.run(
        [str(python), "-c", "import wholeads; print(wholeads.__file__)"],
        check=True, capture_output=True, text=True, env=env, cwd=tmp_path,
    ).stdout  # fmt: skip
    assert where.startswith(site), where  # the installed copy, not the working tree
    done = subprocess.run(
        [str(venv / "bin" / "wholeads"), "leaders", "--json"],
        capture_output=True, text=True, env=env, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    answers = {a["domain"]: a["status"] for a in json.loads(done.stdout)}
    fed, unfed = _answerable_domains()
    assert {d for d, status in answers.items() if status == "ok"} == fed
    # Bundled Chinese-prompt rows are only the HF space's one leader per date (no comparison);
    # the boards that compare are lmarena-category-ratings', which has no licence file.
    assert unfed == {"chinese_language"}
    assert len(fed) == 13 and "days old" in " ".join(done.stderr.split())

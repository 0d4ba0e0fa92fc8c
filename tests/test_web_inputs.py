"""Hostile inputs to the interactive tools get a clear 422 (or exit 2), never a 500: a claims file
whose YAML key is a list or mapping, and advisor limits that are not finite numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI

from conftest import asgi_request as request
from conftest import run_cli
from wholeads.web import create_app

# A YAML key may be any node; a list or mapping key is unhashable in Python.
NON_SCALAR_KEYS = ["- {[1]: 2}\n", "claims:\n  - {? {a: 1} : 2}\n", "{[x]: 1}\n"]


@pytest.fixture(scope="module")
def app(real_db: Path) -> FastAPI:
    return create_app(real_db)


@pytest.mark.parametrize("text", NON_SCALAR_KEYS)
def test_non_scalar_yaml_key_is_a_clear_422(app: FastAPI, text: str) -> None:
    api = request(app, "POST", "/api/claims", content=text, headers={"content-type": "text/plain"})
    assert api.status_code == 422, api.text
    assert "a key must be plain text, a number or a date" in api.json()["detail"]
    assert "<web>:" in api.json()["detail"]  # names the input, with its line
    form = request(app, "POST", "/claims", data={"yaml": text})
    assert form.status_code == 422 and form.headers["content-type"].startswith("text/html")
    assert "a key must be plain text" in form.text
    assert form.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("text", NON_SCALAR_KEYS)
def test_non_scalar_yaml_key_in_check_exits_2(
    text: str, real_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    assert run_cli(monkeypatch, "check", str(bad), "--db", str(real_db)) == 2
    err = capsys.readouterr().err
    assert f"{bad}:" in err and "a key must be plain text" in err and "Traceback" not in err


def test_kb_loader_names_the_file_for_a_non_scalar_key(tmp_path: Path) -> None:
    from wholeads.errors import DataError
    from wholeads.kb import read_yaml

    path = tmp_path / "lab.yaml"
    path.write_text("id: x\n[a, b]: 1\n")
    with pytest.raises(DataError, match=r"lab\.yaml:2: invalid YAML: a key must be plain"):
        read_yaml(path)


NOT_FINITE = [("max_price", "nan"), ("max_price", "1e309"), ("vram_gb", "inf"),
              ("vram_gb", "-inf"), ("max_price", "NaN")]  # fmt: skip


@pytest.mark.parametrize(("field", "value"), NOT_FINITE)
def test_advisor_refuses_numbers_that_are_not_finite(app: FastAPI, field: str, value: str) -> None:
    for path in (f"/api/advisor?task=coding&{field}={value}", f"/api/advisor?{field}={value}"):
        r = request(app, "GET", path)
        assert r.status_code == 422, r.text
        assert r.json()["detail"] == f"{field}: '{float(value)}' is not a finite number"
    page = request(app, "GET", f"/advisor?task=coding&{field}={value}")
    assert page.status_code == 422 and "is not a finite number" in page.text


@pytest.mark.parametrize(("flag", "value"), [("--max-price", "nan"), ("--vram", "inf"),
                                             ("--max-price", "1e309")])  # fmt: skip
def test_advise_cli_refuses_numbers_that_are_not_finite(
    flag: str, value: str, real_db: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    code = run_cli(monkeypatch, "advise", "--task", "coding", flag, value, "--db", str(real_db))
    assert code == 2
    assert f"{flag}: '{float(value)}' is not a finite number" in capsys.readouterr().err


def test_advisor_finite_limits_still_work(app: FastAPI) -> None:
    """The paired positive case: a large but finite limit is a limit that keeps everything."""
    r = request(app, "GET", "/api/advisor?task=coding&max_price=1e300&vram_gb=1e300")
    assert r.status_code == 200, r.text
    assert r.json()["query"]["max_price"] == 1e300

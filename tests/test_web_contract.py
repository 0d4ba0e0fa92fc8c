"""The API keeps its contract: one error shape for every 4xx/5xx (declared in the OpenAPI
document), every status a route answers declared, 405 with Allow for undeclared methods, HEAD
wherever GET is; and schemathesis, against the in-process app, finds nothing.

Generic on purpose: the checks walk the app's own OpenAPI document, so a route added later is
covered without touching this file.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation import GenerationMode

from conftest import asgi_request as request
from wholeads.web import create_app
from wholeads.web.errors import ErrorBody

METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}
MAX_EXAMPLES = int(os.environ.get("WHOLEADS_CONTRACT_EXAMPLES", "15"))
SHARDS = 4
"""Per operation and mode (valid, invalid): 12 operations in about half a minute. Set the variable
for a deeper run (the figures in the report used 100)."""


@pytest.fixture(scope="module")
def app(real_db: Path) -> FastAPI:
    return create_app(real_db)


@pytest.fixture(scope="module")
def spec(app: FastAPI) -> dict[str, Any]:
    return app.openapi()


def concrete(path: str) -> str:
    """A template path with each {parameter} filled by a value that names nothing."""
    while "{" in path:
        start, end = path.index("{"), path.index("}")
        path = path[:start] + "no-such-thing" + path[end + 1 :]
    return path


def assert_error_shape(r: httpx.Response, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = ErrorBody.model_validate(r.json())  # the declared shape, nothing more
    assert set(r.json()) == {"status", "detail", "errors"}
    assert body.status == status and body.detail
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'none'" in r.headers["content-security-policy"]
    return dict(r.json())


def test_every_error_status_is_declared_with_the_one_shape(spec: dict[str, Any]) -> None:
    """Each operation declares 405, 413, 422, 500 and 503 (entity routes also 404), each with
    ErrorBody; FastAPI's own list-form 422 schema is gone from the document."""
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    assert spec["components"]["schemas"]["ErrorBody"]["required"] == ["status", "detail"]
    operations = [(p, m, op) for p, ops in spec["paths"].items() for m, op in ops.items()]
    assert len(operations) >= 12
    for path, method, op in operations:
        codes = set(op["responses"])
        assert {"200", "405", "413", "422", "500", "503"} <= codes, (method, path)
        assert ("404" in codes) == ("{" in path and "domain" not in path and "eco" not in path)
        for code, response in op["responses"].items():
            if code.startswith(("4", "5")):
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorBody"}, (method, path, code)


@pytest.mark.parametrize(
    ("path", "status", "loc"),
    [
        ("/api/leaders?as_of=" + "9" * 11, 422, ["query", "as_of"]),  # FastAPI's own check
        ("/api/search?q=a&limit=500", 422, ["query", "limit"]),
        ("/api/leaders?as_of=2025-13-01", 422, None),  # ours (a UserError)
        ("/api/model/no-such-model", 404, None),
        ("/api/nothing-here", 404, None),
    ],
)
def test_errors_have_one_shape(app: FastAPI, path: str, status: int, loc: list[str]) -> None:
    body = assert_error_shape(request(app, "GET", path), status)
    assert [e["loc"] for e in body["errors"]] == ([loc] if loc else [])
    if loc:  # the sentence says the same as the list
        assert f"{loc[1]}: {body['errors'][0]['msg']}" == body["detail"]


def test_body_over_the_limit_has_the_shape(app: FastAPI) -> None:
    r = request(app, "POST", "/api/claims", content="#" * (64 * 1024 + 1))
    assert assert_error_shape(r, 413)["detail"] == "request body over 64 KiB"


def test_undeclared_methods_are_405_with_allow(app: FastAPI, spec: dict[str, Any]) -> None:
    """Every path of the document, every method it does not declare: 405, Allow listing exactly
    the declared methods (plus HEAD where GET is), the error shape."""
    for template, ops in spec["paths"].items():
        declared = {m.upper() for m in ops}
        allow = declared | ({"HEAD"} if "GET" in declared else set())
        for method in sorted(METHODS - declared):
            r = request(app, method, concrete(template))
            assert_error_shape(r, 405)
            assert set(r.headers["allow"].split(", ")) == allow, (method, template)


@pytest.mark.parametrize("path", ["/", "/api/leaders", "/api/search?q=deepseek", "/labs",
                                  "/api/model/deepseek-r1", "/model/deepseek-r1", "/nope",
                                  "/static/style.css"])  # fmt: skip
def test_head_is_answered_wherever_get_is(app: FastAPI, path: str) -> None:
    get, head = request(app, "GET", path), request(app, "HEAD", path)
    assert head.status_code == get.status_code and head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["content-length"] == str(len(get.content))
    assert head.headers["content-security-policy"] == get.headers["content-security-policy"]


def test_head_where_only_post_is_declared_is_405(app: FastAPI) -> None:
    r = request(app, "HEAD", "/api/claims")
    assert r.status_code == 405 and r.headers["allow"] == "POST" and r.content == b""


@contextlib.contextmanager
def failing(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The labs query fails with a bug-like exception (not one of ours)."""

    def boom(*_: Any) -> Any:
        raise RuntimeError("simulated bug")

    from wholeads.web import views

    with monkeypatch.context() as m:
        m.setattr(views, "labs_data", boom)
        yield


def test_an_unexpected_error_is_a_500_in_the_shape_with_headers(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    with failing(monkeypatch):  # a query string of its own: not an answer kept from before
        api = request(app, "GET", "/api/labs?for=the-500-test")
        page = request(app, "GET", "/labs?for=the-500-test")
    body = assert_error_shape(api, 500)
    assert "simulated bug" not in api.text and "Traceback" not in api.text
    assert body["detail"] == "unexpected error (logged on the server)"
    assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")
    assert page.headers["x-frame-options"] == "DENY" and "Back to the leaders" in page.text
    assert "simulated bug" in caplog.text  # the traceback is in the server's log instead
    assert request(app, "GET", "/api/labs").status_code == 200  # and the server carries on


@pytest.mark.parametrize("shard", range(SHARDS))
def test_schemathesis_finds_nothing(app: FastAPI, shard: int) -> None:
    """Schemathesis's data, valid and invalid, for every operation of the document, through every
    check it has except positive_data_acceptance: a schema-valid date may still be out of range
    (before 2000, in the future, 31 February) and a schema-valid string may name no domain,
    ecosystem or source; those are 422s with a message, by design. Derandomized, so a run is the
    same run every time; bounded by MAX_EXAMPLES per operation and mode. The operations are dealt
    into SHARDS parts (every SHARDS-th one), so parallel test workers share the work."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    excluded = [schemathesis.checks.positive_data_acceptance]
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == len(
        [m for ops in app.openapi()["paths"].values() for m in ops]
    )  # every operation of the document is exercised
    for operation in operations[shard::SHARDS]:
        for mode in GenerationMode:

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck))  # fmt: skip
            def run(case: Any) -> None:
                case.call_and_validate(excluded_checks=excluded)

            try:
                run()
            except Unsatisfiable:  # no invalid request exists for an operation without inputs
                assert mode is GenerationMode.NEGATIVE and not list(operation.iter_parameters())
            except (Exception, BaseExceptionGroup) as exc:
                failures.append(f"{operation.label} ({mode.value}): {exc}")
    assert not failures, "\n\n".join(failures)

"""/openapi.json describes every answer: each 2xx has a schema, each fan-out write its
207/202 partial body and its 400/404/409/422 failure bodies."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dnsmate.main import create_app
from tests.conftest import make_settings

# Writes that fan out to the target servers (answer 207 on partial success).
FAN_OUT_WRITES = {
    ("post", "/api/zones"),
    ("delete", "/api/zones/{zone}"),
    ("post", "/api/records/{zone}"),
    ("put", "/api/records/{zone}/{name}/{type}"),
    ("delete", "/api/records/{zone}/{name}/{type}"),
    ("post", "/api/records/{zone}/bulk"),
    ("post", "/api/records/{zone}/bulk/delete"),
    ("post", "/api/zones/{zone}/dnssec"),
    ("delete", "/api/zones/{zone}/dnssec"),
    ("post", "/api/zones/{zone}/import"),
    ("post", "/api/zones/{zone}/import/axfr"),
    ("post", "/api/zones/{zone}/versions/{version_id}/rollback"),
    ("put", "/api/zones/{zone}/soa"),
    ("put", "/api/records/{zone}/{name}/{type}/disabled"),
    ("put", "/api/records/{zone}/{name}/{type}/comments"),
    ("put", "/api/zones/{zone}/settings"),
    ("post", "/api/zones/{zone}/notify"),
    ("post", "/api/zones/{zone}/axfr-retrieve"),
    ("post", "/api/tsigkeys"),
    ("put", "/api/tsigkeys/{name}"),
    ("delete", "/api/tsigkeys/{name}"),
}


@pytest.fixture(scope="module")
def openapi(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp: Path = tmp_path_factory.mktemp("openapi")
    app = create_app(make_settings(tmp, f"sqlite+aiosqlite:///{tmp / 'unused.sqlite3'}"))
    return app.openapi()


def operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, op)
        for path, item in doc["paths"].items()
        for method, op in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]


def untyped(schema: dict[str, Any] | None) -> bool:
    """No schema, ``{}``, or an object that allows anything and names no property."""
    if not schema:
        return True
    if "$ref" in schema or "anyOf" in schema or "properties" in schema:
        return False
    if schema.get("type") == "array":
        return untyped(schema.get("items"))
    if schema.get("type") == "object":
        return schema.get("additionalProperties", True) is True
    return False


def response_schemas(op: dict[str, Any], status: str) -> list[dict[str, Any] | None]:
    content = op["responses"].get(status, {}).get("content") or {None: {}}
    return [media.get("schema") for media in content.values()]


def test_every_success_answer_has_a_schema(openapi: dict[str, Any]) -> None:
    missing = {
        (method, path, status)
        for method, path, op in operations(openapi)
        for status in op["responses"]
        if status.startswith("2") and status != "204"
        # An answer declared without content has no body (PowerDNS's 201 for autoprimaries).
        if "content" in op["responses"][status]
        if any(untyped(s) for s in response_schemas(op, status))
    }
    assert missing == set(), "2xx answers without a schema"


def test_fan_out_writes_declare_every_outcome(openapi: dict[str, Any]) -> None:
    found = {(m, p) for m, p, _ in operations(openapi) if (m, p) in FAN_OUT_WRITES}
    assert found == FAN_OUT_WRITES
    for method, path, op in operations(openapi):
        if (method, path) not in FAN_OUT_WRITES:
            continue
        for status in ("207", "202", "400", "404", "409", "422"):
            schemas = response_schemas(op, status)
            assert not any(untyped(s) for s in schemas), (method, path, status)
        partial = response_schemas(op, "207")[0]
        assert partial is not None
        assert response_schemas(op, "202")[0] == partial
        body = openapi["components"]["schemas"][partial["$ref"].rsplit("/", 1)[1]]
        assert {"servers", "success_servers", "failed_servers", "partial_success"} <= set(
            body["required"]
        ), (method, path)
        failure = {ref["$ref"] for ref in response_schemas(op, "400")[0]["anyOf"]}  # type: ignore[index]
        assert failure == {"#/components/schemas/Failed", "#/components/schemas/RolledBack"}


def test_the_server_outcome_is_one_schema(openapi: dict[str, Any]) -> None:
    outcome = openapi["components"]["schemas"]["ServerOutcome"]
    assert set(outcome["required"]) == {"server", "success", "error", "duration_ms", "skipped"}
    assert outcome["additionalProperties"] is False


def test_authenticated_routes_declare_401_and_403(openapi: dict[str, Any]) -> None:
    for method, path, op in operations(openapi):
        # Health and readiness are public; login answers its own 401; DynDNS2 answers in its
        # protocol's words (badauth with 401, nohost where others say 403).
        if path.startswith(("/api/health", "/api/ready", "/api/auth", "/nic/update")):
            continue
        assert {"401", "403"} <= set(op["responses"]), (method, path)


def test_compat_routes_declare_powerdns_errors(openapi: dict[str, Any]) -> None:
    compat = [(m, p, op) for m, p, op in operations(openapi) if p in ("/api", "/api/v1")
              or p.startswith("/api/v1/")]  # fmt: skip
    assert len(compat) > 10
    for method, path, op in compat:
        for status in ("401", "403", "404", "422"):
            [schema] = response_schemas(op, status)
            assert schema == {"$ref": "#/components/schemas/PdnsError"}, (method, path, status)

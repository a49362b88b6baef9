"""A standing defence: property-based fuzzing of every operation in the OpenAPI document
(schemathesis), as an admin and as a reader, against a live DNSMate with a real PowerDNS
server. Checks: no 5xx, and every documented answer matches its schema.

Bounded: ``DNSMATE_FUZZ_EXAMPLES`` examples per operation and caller (default 8), a few
minutes in all. A failure lists each operation with its first bad request, as a curl line.
"""

from __future__ import annotations

import os
from typing import Any

import httpx
import pytest

# A dev dependency (pyproject.toml); `make test` installs it through scripts/setup.sh.
schemathesis = pytest.importorskip("schemathesis", reason="run scripts/setup.sh (dev extras)")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.checks import (  # noqa: E402
    not_a_server_error,
    response_schema_conformance,
)

from dnsmate.dev.pdns_local import LocalPowerDNS  # noqa: E402
from tests.conftest import USER_PASSWORD, LiveServer  # noqa: E402
from tests.integration.conftest import unique_zone  # noqa: E402

EXAMPLES = int(os.environ.get("DNSMATE_FUZZ_EXAMPLES", "8"))
# Operations that would end the run's own session, or remove or deactivate its PowerDNS
# server (every later write would then rightly answer 503), rather than test input.
SKIPPED = {
    ("POST", "/api/users/me/password"),
    ("POST", "/api/auth/2fa/setup"),
    ("POST", "/api/auth/2fa/enable"),
    ("PUT", "/api/settings/powerdns/{server_id}"),
    ("DELETE", "/api/settings/powerdns/{server_id}"),
}


def _credentials(server: LiveServer, email: str, password: str) -> dict[str, str]:
    login = httpx.post(
        f"{server.url}/api/auth/login", json={"email": email, "password": password}, timeout=60
    )
    assert login.status_code == 200, login.text
    bearer = {"Authorization": f"Bearer {login.json()['access_token']}"}
    token = httpx.post(
        f"{server.url}/api/tokens", json={"name": "fuzz"}, headers=bearer, timeout=60
    )
    assert token.status_code == 201, token.text
    return {**bearer, "X-API-Key": token.json()["token"]}


def _set_up(server: LiveServer, pdns: LocalPowerDNS) -> dict[str, dict[str, str]]:
    admin = {"Authorization": f"Bearer {server.login()}"}
    with httpx.Client(base_url=server.url, headers=admin, timeout=60) as client:
        created = client.post(
            "/api/settings/powerdns",
            json={"name": pdns.name, "api_url": pdns.api_url, "api_key": pdns.api_key},
        )
        assert created.status_code == 201, created.text
        zone = client.post(
            "/api/zones",
            json={"name": unique_zone("fuzz"), "nameservers": ["ns1.example.net."]},
        )
        assert zone.status_code == 201, zone.text
        reader = {"email": "reader@example.com", "password": USER_PASSWORD, "role": "reader"}
        assert client.post("/api/users", json=reader).status_code == 201
    return {
        "reader": _credentials(server, "reader@example.com", USER_PASSWORD),
        "admin": _credentials(server, "admin@example.com", "correct horse battery staple"),
    }


def _fuzz(
    server: LiveServer, operation: Any, headers: dict[str, str], failures: dict[str, str]
) -> None:
    """Run EXAMPLES generated requests against one operation; keep its first failure."""
    key = f"{operation.method.upper()} {operation.path}"

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        if key in failures:
            return
        response = case.call(base_url=server.url, headers=headers, timeout=60)
        try:
            case.validate_response(
                response, checks=[not_a_server_error, response_schema_conformance]
            )
        except (Exception, BaseExceptionGroup) as exc:
            failures[key] = f"{response.status_code}: {exc}\n{case.as_curl_command(headers)}"

    run()


@pytest.mark.live_settings(max_body_bytes=256 * 1024)
def test_no_5xx_and_answers_match_their_schemas(
    live_server: LiveServer, pdns_servers: list[LocalPowerDNS]
) -> None:
    callers = _set_up(live_server, pdns_servers[0])
    schema = schemathesis.openapi.from_url(f"{live_server.url}/openapi.json")
    operations = [
        result.ok()
        for result in schema.get_all_operations()
        if (result.ok().method.upper(), result.ok().path) not in SKIPPED
    ]
    assert len(operations) > 60
    failures: dict[str, str] = {}
    for role in ("reader", "admin"):  # the admin's deletions must not end the reader's run
        for operation in operations:
            _fuzz(live_server, operation, callers[role], failures)
    assert not failures, "\n\n".join(f"{key}\n{text}" for key, text in sorted(failures.items()))

"""Behind nginx, throttling and the audit log see the client nginx saw; nobody can name
another address by sending X-Forwarded-For or X-Real-IP, through nginx or directly.

Linux routes all of 127.0.0.0/8 to loopback, so the test's clients connect from distinct
addresses (127.0.0.3, .4, .5) while nginx reaches DNSMate from 127.0.0.1, the one address in
DNSMATE_TRUSTED_PROXIES (as in deploy/dnsmate.env.example).
"""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.deploy.layout import deployed, deployment_environment

FORGED = {"X-Forwarded-For": "203.0.113.9", "X-Real-IP": "203.0.113.9"}
WRONG = "not the password"


async def test_throttling_and_audit_see_the_real_client_and_forged_headers_are_ignored(
    tmp_path: Path,
) -> None:
    environment = deployment_environment(f"sqlite+aiosqlite:///{tmp_path / 'dnsmate.sqlite3'}")
    assert environment["DNSMATE_TRUSTED_PROXIES"] == "127.0.0.1/32,::1/128"
    with deployed(tmp_path, count=1, environment=environment) as deployment:
        nginx, (process,) = deployment.nginx, deployment.processes
        async with nginx.client(source="127.0.0.3") as attacker:
            failures = 0
            while True:  # throttling counts per (account, client address)
                answer = await attacker.post(
                    "/api/auth/login",
                    json={"email": ADMIN_EMAIL, "password": WRONG},
                    headers=FORGED,
                )
                if answer.status_code == 429:
                    break
                assert answer.status_code == 401, answer.text
                failures += 1
                assert failures < 100, "never throttled"
            blocked = await attacker.post(
                "/api/auth/login",
                json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD},
                headers=FORGED,
            )
            assert blocked.status_code == 429, blocked.text

        # Another client behind the same nginx is not throttled with the first one, for the
        # same account: had DNSMate seen nginx's address (or the forged one), it would be.
        token = deployment.login(source="127.0.0.4")

        # A client that reaches DNSMate directly cannot claim another address.
        direct_transport = httpx.AsyncHTTPTransport(local_address="127.0.0.5")
        async with httpx.AsyncClient(base_url=process.url, transport=direct_transport) as direct:
            answer = await direct.post(
                "/api/auth/login",
                json={"email": "direct@example.com", "password": WRONG},
                headers=FORGED,
            )
            assert answer.status_code == 401, answer.text

        async with nginx.client(source="127.0.0.4", token=token) as admin:
            listed = await admin.get("/api/audit", params={"action": "auth", "per_page": 500})
            assert listed.status_code == 200, listed.text
    addresses = {(e["action"], e["target"]): e["client_ip"] for e in listed.json()["items"]}
    assert addresses[("auth.login_failed", ADMIN_EMAIL)] == "127.0.0.3"
    assert addresses[("auth.login", ADMIN_EMAIL)] == "127.0.0.4"
    assert addresses[("auth.login_failed", "direct@example.com")] == "127.0.0.5"
    assert "203.0.113.9" not in addresses.values()

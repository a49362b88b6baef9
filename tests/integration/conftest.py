"""Fixtures that run real PowerDNS Authoritative servers for the integration tests.

``pdns_servers`` starts three servers once per session. Tests that stop servers
(to simulate an outage) use ``pdns`` instead, which restarts them afterwards.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator

import httpx
import pytest

from dnsmate.pdns_local import SCHEMA_PATH, LocalPowerDNS, find_pdns_server

PDNS_SERVER_NAMES = ("Primary PowerDNS", "Secondary PowerDNS", "Legacy PowerDNS")


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


@pytest.fixture(scope="session")
def pdns_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[LocalPowerDNS]]:
    """Three running PowerDNS servers (Primary, Secondary, Legacy), shared by the session.

    Each has its own port pair, API key and SQLite database. Skips the test when
    pdns_server or the gsqlite3 schema is not installed (run scripts/setup.sh).
    """
    if find_pdns_server() is None:
        pytest.skip("pdns_server not installed (apt-get install pdns-server pdns-backend-sqlite3)")
    if not SCHEMA_PATH.exists():
        pytest.skip(f"{SCHEMA_PATH} missing (apt-get install pdns-backend-sqlite3)")
    base = tmp_path_factory.mktemp("pdns")
    servers = [
        LocalPowerDNS(name=name, workdir=base / _slug(name), api_key=secrets.token_urlsafe(16))
        for name in PDNS_SERVER_NAMES
    ]
    try:
        for server in servers:
            server.start()
        yield servers
    finally:
        for server in servers:
            server.stop()


@pytest.fixture
def pdns(pdns_servers: list[LocalPowerDNS]) -> Iterator[list[LocalPowerDNS]]:
    """The session servers, for a test that may stop some: they are restarted afterwards."""
    yield pdns_servers
    for server in pdns_servers:
        if not server.running:
            server.start()


async def register_servers(
    client: httpx.AsyncClient,
    servers: list[LocalPowerDNS],
    multi: tuple[bool, ...],
    *,
    api_keys: dict[str, str] | None = None,
) -> list[dict[str, object]]:
    """Add ``servers`` to DNSMate (the first is the default) with the given multi modes."""
    created = []
    for server, mode in zip(servers, multi, strict=True):
        key = (api_keys or {}).get(server.name, server.api_key)
        response = await client.post(
            "/api/settings/powerdns",
            json={
                "name": server.name,
                "api_url": server.api_url,
                "api_key": key,
                "multi_server_mode": mode,
                "timeout_seconds": 3,
            },
        )
        assert response.status_code == 201, response.text
        created.append(response.json())
    return created


def unique_zone(prefix: str = "t") -> str:
    """A zone name no other test uses (the PowerDNS servers live for the whole session)."""
    return f"{prefix}-{secrets.token_hex(4)}.example"

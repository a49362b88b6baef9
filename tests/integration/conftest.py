"""Helpers for the integration tests. The PowerDNS fixtures (``pdns_servers``, ``pdns``) live
in tests/conftest.py so the browser tests in tests/e2e share the same servers.
"""

from __future__ import annotations

import secrets

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import PDNS_SERVER_NAMES, Api

__all__ = ["PDNS_SERVER_NAMES", "register_servers", "unique_zone", "write_engines"]


async def register_servers(
    client: httpx.AsyncClient,
    servers: list[LocalPowerDNS],
    multi: tuple[bool, ...],
    *,
    api_keys: dict[str, str] | None = None,
) -> list[dict[str, object]]:
    """Add ``servers`` to DNSMate (the first is the default) with the given multi modes.

    Multi-server mode is switched on after adding each: these servers live for the whole
    session and already hold zones, and a server added with it on while the targets hold
    zones would be added pending (to onboard) instead (``fleet.join``); ``force_join``
    switches it on although it lacks zones the others hold (each test makes its own)."""
    created = []
    for server, mode in zip(servers, multi, strict=True):
        key = (api_keys or {}).get(server.name, server.api_key)
        response = await client.post(
            "/api/settings/powerdns",
            json={
                "name": server.name,
                "api_url": server.api_url,
                "api_key": key,
                "timeout_seconds": 3,
            },
        )
        assert response.status_code == 201, response.text
        if mode:
            response = await client.put(
                f"/api/settings/powerdns/{response.json()['id']}",
                json={"multi_server_mode": True, "force_join": True},
            )
            assert response.status_code == 200, response.text
        created.append(response.json())
    return created


def unique_zone(prefix: str = "t") -> str:
    """A zone name no other test uses (the PowerDNS servers live for the whole session)."""
    return f"{prefix}-{secrets.token_hex(4)}.example"


def write_engines(api: Api) -> list[AsyncEngine]:
    """The engines a write's SQL goes to: the request engine and the record step's own."""
    recording: AsyncEngine = api.context.pipeline.recorder.sessions.kw["bind"]
    return [api.context.engine, recording]

"""Helpers for the consistency tests: an app without the background worker, direct
PowerDNS API access (to make drift on purpose), probing and draining on demand."""

from __future__ import annotations

from typing import Any

import httpx

from dnsmate.dev.pdns_local import LocalPowerDNS
from dnsmate.services.sync.queue import DrainReport, drain_queue
from dnsmate.services.sync.worker import probe_servers
from tests.conftest import Api, ApiFactory

NS = ["ns1.example.net.", "ns2.example.net."]


async def sync_api(api_factory: ApiFactory, database_url: str, **settings: object) -> Api:
    """An app whose queue is drained only when the test says so (no background worker)."""
    defaults: dict[str, object] = {"sync_worker": False, "breaker_cooldown_seconds": 0}
    return await api_factory(database_url, **(defaults | settings))


async def recover(api: Api) -> DrainReport:
    """What the worker does in one round: probe every server, then replay the queue."""
    await probe_servers(runtime=api.context.sync)
    return await drain_queue(runtime=api.context.sync)


def pdns_api(server: LocalPowerDNS) -> httpx.AsyncClient:
    """A client for the server's own API (for changes made behind DNSMate's back)."""
    return httpx.AsyncClient(
        base_url=f"{server.api_url}/api/v1/servers/localhost",
        headers={"X-API-Key": server.api_key},
    )


async def pdns_zone(server: LocalPowerDNS, zone: str) -> dict[str, Any]:
    async with pdns_api(server) as client:
        response = await client.get(f"/zones/{zone}.")
        response.raise_for_status()
        data: dict[str, Any] = response.json()
        return data


def rrsets_without_serial(zone: dict[str, Any]) -> dict[tuple[str, str], Any]:
    """A zone's RRsets keyed by (name, type), SOA serial blanked, for exact comparison."""
    out: dict[tuple[str, str], Any] = {}
    for rrset in zone["rrsets"]:
        contents = sorted(r["content"] for r in rrset["records"])
        if rrset["type"] == "SOA":
            contents = [" ".join(p if i != 2 else "-" for i, p in enumerate(c.split()))
                        for c in contents]  # fmt: skip
        out[(rrset["name"], rrset["type"])] = (rrset["ttl"], contents)
    return out


async def create_zone(api: Api, zone: str, **params: str) -> httpx.Response:
    return await api.client.post(
        "/api/zones", params=params, json={"name": zone, "kind": "Native", "nameservers": NS}
    )


async def add(
    api: Api, zone: str, name: str, rtype: str, content: str, ttl: int = 300, **params: str
) -> httpx.Response:
    return await api.client.post(
        f"/api/records/{zone}",
        params=params,
        json={"name": name, "type": rtype, "content": content, "ttl": ttl},
    )

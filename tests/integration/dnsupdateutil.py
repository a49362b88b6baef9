"""Helpers for the RFC 2136 tests: DNSMate with its DNS UPDATE listener on a free port,
TSIG keys made through the API, and the real ``nsupdate`` run against it."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from dnsmate.dev.pdns_local import LocalPowerDNS, free_port
from tests.conftest import Api, ApiFactory
from tests.integration.conftest import register_servers
from tests.integration.syncutil import sync_api


async def gateway_api(
    api_factory: ApiFactory, database_url: str, pdns: list[LocalPowerDNS], **settings: Any
) -> tuple[Api, int]:
    """DNSMate with the listener on a free port (returned), three servers registered
    (multi mode)."""
    port = free_port()
    api = await sync_api(
        api_factory, database_url, dns_update_listen=f"127.0.0.1:{port}", **settings
    )
    await register_servers(api.client, pdns, (True, True, True))
    listener = api.app.state.dns_update
    await asyncio.wait_for(listener.listening.wait(), 30)
    return api, port


@dataclass
class Key:
    name: str
    algorithm: str
    secret: str

    @property
    def nsupdate(self) -> str:
        """The key as nsupdate's ``-y`` takes it."""
        return f"{self.algorithm}:{self.name}:{self.secret}"


async def make_key(api: Api, name: str, zones: list[str] | None = None, **headers: str) -> Key:
    body: dict[str, Any] = {"name": name, "algorithm": "hmac-sha256"}
    if zones is not None:
        body["zones"] = zones
    response = await api.client.post("/api/dns-update/keys", json=body, headers=headers)
    assert response.status_code == 201, response.text
    data = response.json()
    return Key(data["name"], data["algorithm"], data["secret"])


@dataclass
class Run:
    returncode: int
    output: str


async def nsupdate(port: int, key: Key | None, script: str, *, tcp: bool = False) -> Run:
    """Run the real nsupdate against the listener; ``script`` without the server line."""
    args = ["nsupdate", "-t", "10"]
    if tcp:
        args.append("-v")
    if key is not None:
        args += ["-y", key.nsupdate]
    process = await asyncio.create_subprocess_exec(
        *args,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    text = f"server 127.0.0.1 {port}\n{script.strip()}\nsend\nanswer\n"
    out, _ = await asyncio.wait_for(process.communicate(text.encode()), 60)
    return Run(process.returncode or 0, out.decode())

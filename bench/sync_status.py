"""Drift-status benchmark: ``GET /api/sync/status`` for 1,000 zones on 3 servers.

Starts three real PowerDNS servers on loopback, creates 1,000 zones (6 RRsets each) on
every server straight through the PowerDNS API, then times DNSMate's status check (run
in-process over ASGI) in its two modes:

- serial (default): list zones on each server, diff only zones whose serials differ or
  that have queued changes;
- deep (``?deep=true``): fetch and diff every zone on every server.

Then it makes drift behind DNSMate's back: 10 zones changed on one server (serials
differ: both modes find them), and 1 zone changed differently on two servers with one
change each (serials stay equal: only deep finds it).

Run: ``.venv/bin/python bench/sync_status.py``.
"""

from __future__ import annotations

import asyncio
import secrets
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from dnsmate.config import Settings
from dnsmate.dev.pdns_local import LocalPowerDNS
from dnsmate.main import create_app
from dnsmate.migrations import upgrade

ZONES = 1000
EMAIL, PASSWORD = "bench@example.com", "benchmark-password-123"


def zone_payload(zone: str) -> dict[str, Any]:
    rrsets = [
        {"name": f"{host}.{zone}", "type": "A", "ttl": 300,
         "records": [{"content": f"192.0.2.{i + 1}", "disabled": False}]}
        for i, host in enumerate(("www", "mail", "api", "db", "cdn"))
    ]  # fmt: skip
    return {"name": zone, "kind": "Native", "nameservers": ["ns1.example.net."],
            "api_rectify": False, "rrsets": rrsets}  # fmt: skip


async def populate(server: LocalPowerDNS, zones: list[str]) -> None:
    async with httpx.AsyncClient(
        base_url=f"{server.api_url}/api/v1/servers/localhost",
        headers={"X-API-Key": server.api_key},
        timeout=30,
    ) as http:
        for zone in zones:
            (await http.post("/zones", json=zone_payload(zone))).raise_for_status()


async def patch(server: LocalPowerDNS, zone: str, content: str) -> None:
    async with httpx.AsyncClient(headers={"X-API-Key": server.api_key}) as http:
        response = await http.patch(
            f"{server.api_url}/api/v1/servers/localhost/zones/{zone}",
            json={"rrsets": [{"name": f"www.{zone}", "type": "A", "ttl": 300,
                              "changetype": "REPLACE",
                              "records": [{"content": content, "disabled": False}]}]},
        )  # fmt: skip
        response.raise_for_status()


async def status(client: httpx.AsyncClient, deep: bool) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    response = await client.get("/api/sync/status", params={"deep": str(deep).lower()})
    response.raise_for_status()
    return time.perf_counter() - started, response.json()


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        servers = [
            LocalPowerDNS(name=f"pdns{i}", workdir=base / f"pdns{i}",
                          api_key=secrets.token_urlsafe(16))
            for i in range(3)
        ]  # fmt: skip
        for server in servers:
            server.start()
        try:
            zones = [f"z{i:04d}.bench.example." for i in range(ZONES)]
            started = time.perf_counter()
            await asyncio.gather(*(populate(s, zones) for s in servers))
            print(f"created {ZONES} zones on 3 servers in {time.perf_counter() - started:.1f} s")
            url = f"sqlite+aiosqlite:///{base / 'dnsmate.sqlite3'}"
            await asyncio.to_thread(upgrade, url)  # alembic runs its own event loop
            settings = Settings(
                data_dir=base, database_url=url, secret_key="b" * 48,  # type: ignore[arg-type]
                admin_email=EMAIL, admin_password=PASSWORD,  # type: ignore[arg-type]
                sync_worker=False,
            )  # fmt: skip
            app = create_app(settings)
            async with (
                app.router.lifespan_context(app),
                httpx.AsyncClient(
                    transport=httpx.ASGITransport(app=app), base_url="http://bench", timeout=120
                ) as client,
            ):
                login = await client.post(
                    "/api/auth/login", json={"email": EMAIL, "password": PASSWORD}
                )
                client.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
                for server in servers:
                    # Added, then switched on: added in multi-server mode to targets that
                    # hold zones, a server would be pending (to onboard); these are in sync.
                    added = await client.post("/api/settings/powerdns", json={
                        "name": server.name, "api_url": server.api_url,
                        "api_key": server.api_key})  # fmt: skip
                    added.raise_for_status()
                    joined = await client.put(
                        f"/api/settings/powerdns/{added.json()['id']}",
                        json={"multi_server_mode": True},
                    )
                    joined.raise_for_status()
                for deep in (False, True):
                    seconds, body = await status(client, deep)
                    print(f"in sync, deep={deep}: {seconds:.2f} s, {body['summary']}")
                for zone in zones[:10]:
                    await patch(servers[1], zone, "203.0.113.1")
                await patch(servers[0], zones[500], "203.0.113.2")
                await patch(servers[1], zones[500], "203.0.113.3")
                await patch(servers[2], zones[500], "203.0.113.2")
                for deep in (False, True):
                    seconds, body = await status(client, deep)
                    print(f"drifted, deep={deep}: {seconds:.2f} s, {body['summary']}")
        finally:
            for server in servers:
                server.stop()


if __name__ == "__main__":
    asyncio.run(main())

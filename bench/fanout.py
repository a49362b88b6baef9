"""Fan-out benchmark: 200 record creations through DNSMate (1 and 3 servers) and direct.

Run with ``make bench``. Starts three real PowerDNS servers and a real DNSMate (uvicorn in
a subprocess) on loopback, then times, one request at a time:

- direct-1 / direct-3: a PATCH REPLACE straight to PowerDNS with httpx (for 3 servers the
  three PATCHes run concurrently): the floor for what fan-out can cost on this machine;
- dnsmate-1 / dnsmate-3: ``POST /api/records/{zone}`` through DNSMate.

Prints p50/p95 per series and the ratios the core issue sets goals for.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

from dnsmate.dev.pdns_local import LocalPowerDNS, free_port

N = 200
EMAIL, PASSWORD = "bench@example.com", "benchmark-password-123"


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def timed(n: int, call: Callable[[int], Awaitable[None]]) -> list[float]:
    samples = []
    for i in range(n):
        started = time.perf_counter()
        await call(i)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


async def create_zone_direct(server: LocalPowerDNS, zone: str) -> None:
    async with httpx.AsyncClient(headers={"X-API-Key": server.api_key}) as http:
        response = await http.post(
            f"{server.api_url}/api/v1/servers/localhost/zones",
            json={
                "name": zone,
                "kind": "Native",
                "nameservers": ["ns1.example.net."],
                "api_rectify": False,
            },
        )
        response.raise_for_status()


async def direct_series(servers: list[LocalPowerDNS], zone: str) -> list[float]:
    for server in servers:
        await create_zone_direct(server, zone)
    clients = [httpx.AsyncClient(headers={"X-API-Key": s.api_key}) for s in servers]

    async def one(i: int) -> None:
        rrsets = {
            "rrsets": [
                {
                    "name": f"r{i}.{zone}",
                    "type": "A",
                    "ttl": 300,
                    "changetype": "REPLACE",
                    "records": [{"content": "192.0.2.1", "disabled": False}],
                }
            ]
        }
        responses = await asyncio.gather(
            *(
                c.patch(f"{s.api_url}/api/v1/servers/localhost/zones/{zone}", json=rrsets)
                for c, s in zip(clients, servers, strict=True)
            )
        )
        for response in responses:
            response.raise_for_status()

    try:
        return await timed(N, one)
    finally:
        for client in clients:
            await client.aclose()


async def add_server(
    http: httpx.AsyncClient, server: LocalPowerDNS, *, multi: bool, **fields: Any
) -> dict[str, Any]:
    """Register ``server`` in DNSMate; with ``multi``, as a write target at once.

    A server added as a target while the targets hold zones would wait for onboarding
    ("pending"), and the bench's servers keep the zones of earlier series, so it is added
    first and then switched on with ``force_join``.
    """
    body = {"name": server.name, "api_url": server.api_url, "api_key": server.api_key}
    added = await http.post("/api/settings/powerdns", json={**body, **fields})
    added.raise_for_status()
    if not multi:
        return dict(added.json())
    switched = await http.put(
        f"/api/settings/powerdns/{added.json()['id']}",
        json={"multi_server_mode": True, "force_join": True},
    )
    switched.raise_for_status()
    return dict(switched.json())


async def dnsmate_series(url: str, servers: list[LocalPowerDNS], zone: str) -> list[float]:
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        login = await http.post("/api/auth/login", json={"email": EMAIL, "password": PASSWORD})
        http.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
        for existing in (await http.get("/api/settings/powerdns")).json():
            await http.delete(f"/api/settings/powerdns/{existing['id']}")
        for server in servers:
            await add_server(http, server, multi=len(servers) > 1)
        created = await http.post(
            "/api/zones", json={"name": zone, "nameservers": ["ns1.example.net."]}
        )
        assert created.status_code == 201, created.text

        async def one(i: int) -> None:
            response = await http.post(
                f"/api/records/{zone}",
                json={"name": f"r{i}", "type": "A", "content": "192.0.2.1", "ttl": 300},
            )
            assert response.status_code == 201, response.text

        await one(-1)  # warm-up: first connection, first client
        return await timed(N, one)


def start_dnsmate(
    data_dir: Path, extra_env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``dnsmate serve`` on a free loopback port; ``extra_env`` adds DNSMATE_* settings."""
    port = free_port()
    env = os.environ | {
        "DNSMATE_DATA_DIR": str(data_dir),
        "DNSMATE_ADMIN_EMAIL": EMAIL,
        "DNSMATE_ADMIN_PASSWORD": PASSWORD,
        **(extra_env or {}),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "dnsmate.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/health").status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("DNSMate did not start")


def summary(name: str, samples: list[float]) -> str:
    return (
        f"{name:<10} p50 {percentile(samples, 0.5):6.2f} ms   p95 "
        f"{percentile(samples, 0.95):6.2f} ms   mean {statistics.mean(samples):6.2f} ms"
    )


async def main() -> None:
    with tempfile.TemporaryDirectory(prefix="dnsmate-bench-") as tmp:
        base = Path(tmp)
        servers = [
            LocalPowerDNS(
                name=f"Bench {i}", workdir=base / f"pdns{i}", api_key=secrets.token_urlsafe(16)
            )
            for i in range(3)
        ]
        for server in servers:
            server.start()
        process, url = start_dnsmate(base / "dnsmate")
        try:
            results = {
                "direct-1": await direct_series(servers[:1], "direct1.bench."),
                "direct-3": await direct_series(servers, "direct3.bench."),
                "dnsmate-1": await dnsmate_series(url, servers[:1], "dnsmate1.bench"),
                "dnsmate-3": await dnsmate_series(url, servers, "dnsmate3.bench"),
            }
        finally:
            process.terminate()
            process.wait(10)
            for server in servers:
                server.stop()
    p50 = {name: percentile(samples, 0.5) for name, samples in results.items()}
    print(f"{N} single-record creations, one at a time, on {os.cpu_count()} cores")
    for name, samples in results.items():
        print(summary(name, samples))
    print(f"direct  3 servers / 1 server (floor): {p50['direct-3'] / p50['direct-1']:.2f}")
    print(
        f"DNSMate 3 servers / 1 server:         {p50['dnsmate-3'] / p50['dnsmate-1']:.2f}"
        "  (goal <= 1.3)"
    )
    print(
        f"DNSMate / direct PowerDNS, 1 server:  {p50['dnsmate-1'] / p50['direct-1']:.2f}"
        "  (goal <= 2.0)"
    )


if __name__ == "__main__":
    asyncio.run(main())

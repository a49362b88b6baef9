"""Bulk benchmark: 10,000 record operations in one request, three PowerDNS servers.

Run with ``make bench`` (or ``.venv/bin/python bench/bulk.py``). Starts three real PowerDNS
servers and a real DNSMate (uvicorn in a subprocess, SQLite), registers the servers in
multi-server mode, and times ``POST /api/records/{zone}/bulk``:

- adds: 10,000 adds of new names in a fresh zone (one atomic PATCH per server);
- mixed: 10,000 operations on that zone (5,000 updates, 2,500 deletes, 2,500 adds);
- replay: the adds again (nothing changes: each server reads its zone and sends no PATCH);
- floor: the same 10,000 RRsets as one PATCH straight to the three servers at once.

Besides the wall time of each request it prints the CPU time the DNSMate process spent on
it (from /proc): on a shared machine the wall time follows the load, the CPU time much less.

Goal (issue 6): 10,000 operations on 3 servers in under 5 s.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from fanout import EMAIL, PASSWORD, add_server, start_dnsmate

from dnsmate.dev.pdns_local import LocalPowerDNS

OPERATIONS = 10_000
RUNS = 3
GOAL_S = 5.0


def address(i: int) -> str:
    return f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}"


def adds() -> list[dict[str, Any]]:
    return [{"op": "add", "name": f"h{i}", "type": "A", "content": address(i), "ttl": 300}
            for i in range(OPERATIONS)]  # fmt: skip


def mixed() -> list[dict[str, Any]]:
    half, quarter = OPERATIONS // 2, OPERATIONS // 4
    ops: list[dict[str, Any]] = [
        {"op": "update", "name": f"h{i}", "type": "A", "old_content": address(i),
         "content": address(i + OPERATIONS)}
        for i in range(half)
    ]  # fmt: skip
    ops += [{"op": "delete", "name": f"h{i}", "type": "A"} for i in range(half, half + quarter)]
    ops += [{"op": "add", "name": f"n{i}", "type": "TXT", "content": f"new {i}"}
            for i in range(quarter)]  # fmt: skip
    return ops


async def setup(http: httpx.AsyncClient, servers: list[LocalPowerDNS]) -> None:
    login = await http.post("/api/auth/login", json={"email": EMAIL, "password": PASSWORD})
    http.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
    for server in servers:
        await add_server(http, server, multi=True, timeout_seconds=60)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def bulk(http: httpx.AsyncClient, zone: str, ops: list[dict[str, Any]], pid: int,
               cpu: list[float]) -> float:  # fmt: skip
    cpu_before = cpu_seconds(pid)
    started = time.perf_counter()
    response = await http.post(f"/api/records/{zone}/bulk", json=ops)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.text[:500]
    cpu.append(cpu_seconds(pid) - cpu_before)
    return elapsed


async def floor(servers: list[LocalPowerDNS], zone: str) -> float:
    """One PATCH of the same RRsets straight to every server concurrently."""
    rrsets = [{"name": f"h{i}.{zone}", "type": "A", "ttl": 300, "changetype": "REPLACE",
               "records": [{"content": address(i), "disabled": False}]}
              for i in range(OPERATIONS)]  # fmt: skip

    async def one(server: LocalPowerDNS) -> None:
        async with httpx.AsyncClient(headers={"X-API-Key": server.api_key}, timeout=60) as c:
            base = f"{server.api_url}/api/v1/servers/localhost/zones"
            created = await c.post(base, json={"name": zone, "kind": "Native", "api_rectify": False,
                                               "nameservers": ["ns1.example.net."]})  # fmt: skip
            created.raise_for_status()
            (await c.patch(f"{base}/{zone}", json={"rrsets": rrsets})).raise_for_status()

    started = time.perf_counter()
    await asyncio.gather(*(one(s) for s in servers))
    return time.perf_counter() - started


async def run(url: str, servers: list[LocalPowerDNS], pid: int) -> dict[str, list[float]]:
    results: dict[str, list[float]] = {"adds": [], "mixed": [], "replay": [], "floor": []}
    cpu: dict[str, list[float]] = {"adds": [], "mixed": [], "replay": []}
    async with httpx.AsyncClient(base_url=url, timeout=300) as http:
        await setup(http, servers)
        for n in range(RUNS):
            zone = f"bulk{n}.bench"
            body = {"name": zone, "nameservers": ["ns1.example.net."]}
            created = await http.post("/api/zones", json=body)
            assert created.status_code == 201, created.text
            for name, ops in (("adds", adds()), ("mixed", mixed()), ("replay", mixed())):
                results[name].append(await bulk(http, zone, ops, pid, cpu[name]))
            results["floor"].append(await floor(servers, f"floor{n}.bench."))
    results |= {f"{name} cpu": samples for name, samples in cpu.items()}
    return results


async def main() -> None:
    with tempfile.TemporaryDirectory(prefix="dnsmate-bench-") as tmp:
        base = Path(tmp)
        servers = [LocalPowerDNS(name=f"Bench {i}", workdir=base / f"pdns{i}",
                                 api_key=secrets.token_urlsafe(16)) for i in range(3)]  # fmt: skip
        for server in servers:
            server.start()
        process, url = start_dnsmate(base / "dnsmate")
        load = os.getloadavg()[0]
        try:
            results = await run(url, servers, process.pid)
        finally:
            process.terminate()
            process.wait(10)
            for server in servers:
                server.stop()
    print(f"{OPERATIONS} operations per request, 3 servers, {RUNS} runs, {os.cpu_count()} cores, "
          f"load average {load:.1f} before, {os.getloadavg()[0]:.1f} after")  # fmt: skip
    for name, samples in results.items():
        runs = ", ".join(f"{s:.2f}" for s in samples)
        print(f"{name:<10} median {statistics.median(samples):5.2f} s   runs: {runs}")
    worst = max(max(results["adds"]), max(results["mixed"]))
    print(f"slowest bulk request {worst:.2f} s (goal < {GOAL_S:.0f} s): "
          f"{'met' if worst < GOAL_S else 'NOT met'}")  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())

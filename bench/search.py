"""Search benchmark: ``GET /api/search`` over 1,000 zones and 100,000 records.

Run with ``make bench`` (or ``.venv/bin/python bench/search.py``). Starts one real PowerDNS
server, fills it straight through its API (1,000 zones of 100 records each: 70 A, 20 TXT,
10 CNAME), starts a real DNSMate (uvicorn in a subprocess), and times, one request at a
time, a set of searches as the admin and as a manager granted 10 of the zones. The raw
PowerDNS ``search-data`` call for the same term is timed too, as the floor.

Goal (issue 6): every search answers in under 300 ms.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import tempfile
import time
from pathlib import Path

import httpx
from fanout import EMAIL, PASSWORD, percentile, start_dnsmate

from dnsmate.dev.pdns_local import LocalPowerDNS

ZONES = 1000
RECORDS_PER_ZONE = 100
RUNS = 30
GOAL_MS = 300.0
MANAGER = ("manager@example.com", "search bench manager pass phrase")


def zone_name(j: int) -> str:
    return f"z{j:04d}.bench.example."


def zone_body(j: int) -> dict[str, object]:
    zone = zone_name(j)

    def rrset(name: str, rtype: str, content: str) -> dict[str, object]:
        record = {"content": content, "disabled": False}
        return {"name": f"{name}.{zone}", "type": rtype, "ttl": 300, "records": [record]}

    rrsets = [rrset(f"host{i:03d}", "A", f"10.{j // 256}.{j % 256}.{i}") for i in range(70)]
    rrsets += [
        rrset(f"svc{i}", "TXT", f'"service=svc{i} owner=team{j % 50}"') for i in range(70, 90)
    ]
    rrsets += [rrset(f"alias{i}", "CNAME", f"host{i - 90:03d}.{zone}") for i in range(90, 100)]
    return {
        "name": zone,
        "kind": "Native",
        "nameservers": ["ns1.bench.example.", "ns2.bench.example."],
        "api_rectify": False,
        "rrsets": rrsets,
    }


async def fill(server: LocalPowerDNS) -> float:
    """Create the zones through the PowerDNS API; returns the seconds it took."""
    started = time.perf_counter()
    async with httpx.AsyncClient(
        base_url=f"{server.api_url}/api/v1/servers/localhost",
        headers={"X-API-Key": server.api_key},
        timeout=60,
    ) as http:
        for j in range(ZONES):
            response = await http.post("/zones", json=zone_body(j))
            response.raise_for_status()
    return time.perf_counter() - started


async def add_manager(admin: httpx.AsyncClient) -> None:
    """A manager granted 10 of the zones, through the users API."""
    created = await admin.post(
        "/api/users", json={"email": MANAGER[0], "password": MANAGER[1], "role": "manager"}
    )
    created.raise_for_status()
    zones = [zone_name(j) for j in range(0, ZONES, 100)]
    granted = await admin.put(f"/api/users/{created.json()['id']}/zones", json={"zones": zones})
    granted.raise_for_status()


async def login(url: str, email: str, password: str) -> httpx.AsyncClient:
    http = httpx.AsyncClient(base_url=url, timeout=60)
    response = await http.post("/api/auth/login", json={"email": email, "password": password})
    response.raise_for_status()
    http.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
    return http


async def timed(
    http: httpx.AsyncClient, path: str, params: dict[str, str]
) -> tuple[list[float], dict[str, object]]:
    response = await http.get(path, params=params)  # warm-up
    response.raise_for_status()
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = await http.get(path, params=params)
        samples.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    body = response.json()
    return samples, body if isinstance(body, dict) else {"items": body}


SEARCHES: list[tuple[str, dict[str, str]]] = [
    ("one record by name", {"q": "host042.z0500"}),
    ("one zone + its records", {"q": "z0999.bench"}),
    ("common term, page 1", {"q": "svc", "per_page": "50"}),
    ("common term, page 20", {"q": "svc", "per_page": "50", "page": "20"}),
    ("content wildcard", {"q": "10.1.?.42"}),
    ("name wildcard (+dot)", {"q": "*.z0123.bench.example"}),
    ("TXT content term", {"q": "owner=team7", "record_type": "TXT"}),
    ("no match", {"q": "nomatch-xyz"}),
]


async def main() -> None:
    with tempfile.TemporaryDirectory(prefix="dnsmate-bench-search-") as tmp:
        base = Path(tmp)
        server = LocalPowerDNS(
            name="Search bench", workdir=base / "pdns", api_key=secrets.token_urlsafe(16)
        )
        server.start()
        process = None
        try:
            seconds = await fill(server)
            print(
                f"filled {ZONES} zones x {RECORDS_PER_ZONE} records "
                f"({ZONES * RECORDS_PER_ZONE} records) in {seconds:.1f} s"
            )
            process, url = start_dnsmate(base / "dnsmate")
            admin = await login(url, EMAIL, PASSWORD)
            registered = await admin.post(
                "/api/settings/powerdns",
                json={"name": server.name, "api_url": server.api_url, "api_key": server.api_key},
            )
            registered.raise_for_status()
            await add_manager(admin)
            manager = await login(url, *MANAGER)
            direct = httpx.AsyncClient(
                base_url=f"{server.api_url}/api/v1/servers/localhost",
                headers={"X-API-Key": server.api_key},
                timeout=60,
            )
            rows = []
            for label, params in SEARCHES:
                raw, _ = await timed(direct, "/search-data", {"q": f"*{params['q']}*", "max": "51"})
                ours, body = await timed(admin, "/api/search", params)
                rows.append((label, "admin", raw, ours, body))
            for label, params in SEARCHES[:4]:
                ours, body = await timed(manager, "/api/search", params)
                rows.append((label, "manager", [], ours, body))
            for http in (admin, manager, direct):
                await http.aclose()
        finally:
            if process is not None:
                process.terminate()
                process.wait(10)
            server.stop()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{RUNS} runs each, one at a time; ms; goal < {GOAL_MS:.0f} ms; load average {load}")
    print(f"{'search':<24} {'as':<8} {'items':>5} {'total':>6} {'pdns p50':>9} {'pdns p95':>9} "
          f"{'p50':>8} {'p95':>8}")  # fmt: skip
    worst = 0.0
    for label, who, raw, ours, body in rows:
        items = body.get("items")
        count = len(items) if isinstance(items, list) else 0
        floor = (
            f"{percentile(raw, 0.5):9.1f} {percentile(raw, 0.95):9.1f}" if raw else f"{'-':>9} " * 2
        )
        p50 = percentile(ours, 0.5)
        worst = max(worst, p50)
        print(f"{label:<24} {who:<8} {count:>5} {body.get('total')!s:>6} {floor.rstrip():>19} "
              f"{p50:8.1f} {percentile(ours, 0.95):8.1f}")  # fmt: skip
    verdict = "met" if worst < GOAL_MS else "NOT met"
    print(f"worst p50 {worst:.1f} ms: goal < {GOAL_MS:.0f} ms {verdict} (p95 shows machine noise)")


if __name__ == "__main__":
    asyncio.run(main())

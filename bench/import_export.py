"""Import, export and version storage for a 100,000-record zone on three PowerDNS servers.

Run with ``make bench`` (or ``.venv/bin/python bench/import_export.py``). Starts three real
PowerDNS servers and a real DNSMate (uvicorn in a subprocess, SQLite) in multi-server mode,
then times, one request at a time:

- plan: ``POST /api/zones/{zone}/import`` (dry run) of a 100,000-record zone file;
- import: the same with ``dry_run=false`` into a new zone (created, then chunked PATCHes);
- export: ``GET /api/zones/{zone}/export``;
- edits: 1,000 single-record additions (each records a version);
- version: ``GET /versions/{id}`` of the import (rebuilt from snapshot + deltas, one page);
- compare: ``GET /versions/compare`` from the import to the latest version;
- rollback plan: ``POST /versions/{id}/rollback?dry_run=true`` back to the import;

and reports the bytes the zone's versions take in DNSMate's database.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import sqlite3
import tempfile
import time
from pathlib import Path

import httpx
from bulk import address, setup
from fanout import start_dnsmate

from dnsmate.dev.pdns_local import LocalPowerDNS

RECORDS = 100_000
EDITS = 1_000


async def timed(label: str, call: object) -> httpx.Response:
    started = time.perf_counter()
    response: httpx.Response = await call  # type: ignore[misc]
    print(f"{label:<14} {time.perf_counter() - started:7.2f} s   HTTP {response.status_code}")
    if response.status_code == 207:
        print(f"{'':<14} failed: {response.json()['failed_servers']}")
    assert response.status_code < 300, response.text[:500]
    return response


async def run(url: str, servers: list[LocalPowerDNS], data_dir: Path) -> None:
    zone = "big.bench"
    lines = [f"$ORIGIN {zone}.", "$TTL 300", "@ NS ns1.example.net."]
    lines += [f"h{i} A {address(i)}" for i in range(RECORDS)]
    text = ("\n".join(lines) + "\n").encode()
    print(f"zone file: {RECORDS} records, {len(text) / 1e6:.1f} MB")
    async with httpx.AsyncClient(base_url=url, timeout=900) as http:
        await setup(http, servers)
        path = f"/api/zones/{zone}/import"
        headers = {"Content-Type": "text/plain"}
        await timed("plan", http.post(path, content=text, headers=headers))
        imported = await timed("import", http.post(path, content=text, headers=headers,
                                                   params={"dry_run": False}))  # fmt: skip
        print(f"{'':<14} PATCHes per server: {imported.json()['patches']}")
        exported = await timed("export", http.get(f"/api/zones/{zone}/export"))
        print(f"{'':<14} {len(exported.content) / 1e6:.1f} MB")
        version = (await http.get(f"/api/zones/{zone}/versions")).json()["items"][0]["id"]
        started = time.perf_counter()
        for i in range(EDITS):
            response = await http.post(f"/api/records/{zone}", json={
                "name": f"edit{i}", "type": "TXT", "content": f"edit {i}"})  # fmt: skip
            assert response.status_code == 201, response.text
        elapsed = time.perf_counter() - started
        print(
            f"{'edits':<14} {elapsed:7.2f} s   ({EDITS} adds, {elapsed / EDITS * 1000:.1f} ms each)"
        )
        await timed("version", http.get(f"/api/zones/{zone}/versions/{version}",
                                        params={"page": 1, "per_page": 100}))  # fmt: skip
        await timed("compare", http.get(f"/api/zones/{zone}/versions/compare",
                                        params={"from": version}))  # fmt: skip
        await timed("rollback plan", http.post(f"/api/zones/{zone}/versions/{version}/rollback",
                                               params={"dry_run": True}))  # fmt: skip
    with sqlite3.connect(data_dir / "dnsmate.sqlite3") as db:
        count, deltas, snapshots, full = db.execute(
            "SELECT count(*), sum(length(delta)), coalesce(sum(length(snapshot)), 0),"
            " count(snapshot) FROM zone_versions WHERE zone = ?", (f"{zone}.",)
        ).fetchone()  # fmt: skip
    print(f"versions: {count} rows, {deltas / 1e6:.2f} MB of deltas, {snapshots / 1e6:.2f} MB "
          f"in {full} snapshots")  # fmt: skip


async def main() -> None:
    with tempfile.TemporaryDirectory(prefix="dnsmate-bench-") as tmp:
        base = Path(tmp)
        servers = [LocalPowerDNS(name=f"Bench {i}", workdir=base / f"pdns{i}",
                                 api_key=secrets.token_urlsafe(16)) for i in range(3)]  # fmt: skip
        for server in servers:
            server.start()
        # Keep every version of the run (the default keeps 1,000 per zone).
        os.environ["DNSMATE_VERSION_MAX_PER_ZONE"] = str(EDITS + 10)
        process, url = start_dnsmate(base / "dnsmate")
        print(f"3 servers, {os.cpu_count()} cores")
        try:
            await run(url, servers, base / "dnsmate")
        finally:
            process.terminate()
            process.wait(10)
            for server in servers:
                server.stop()


if __name__ == "__main__":
    asyncio.run(main())

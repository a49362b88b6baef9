"""Write-path benchmark (issue 11): every goal beside the raw PowerDNS figure of the same run.

Run with ``make bench`` or ``.venv/bin/python bench/write_path.py [--quick]``. Starts three
real PowerDNS servers (gsqlite3) and real ``dnsmate serve`` processes on loopback, one on
SQLite and, when ``DNSMATE_BENCH_POSTGRES_URL`` is set, one on PostgreSQL (that database is
emptied first: never point it at a database you use). Then measures:

1. single-record create, one target, one at a time: DNSMate p50 vs raw GET + PATCH;
2. the same with three targets: DNSMate's 3/1 ratio vs the raw concurrent PATCH ratio;
3. SQL statements per steady-state record write (in-process app, ``before_cursor_execute``);
4. PostgreSQL vs SQLite per-write latency, one writer and 16 concurrent writers;
5. 10,000 records to three servers in one bulk request vs three parallel direct PATCHes;
6. 16 writers on different names, three targets: DNSMate writes/s vs raw GET + PATCH
   serialized per server (and unserialized, with its failures);
7. PostgreSQL, one process, 64 concurrent writers: requests over 5 s and 5xx answers;
8. a write in a 20,000-record zone at its version-retention cap vs one with few versions.

Prints the series, then one table of goals. Ratios measured in one run are what count:
on a shared machine the absolute times follow the load.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from bulk import address, cpu_seconds
from fanout import percentile, start_dnsmate, timed
from write_load import (
    Crowd,
    DNSMate,
    RawServer,
    a_rrset,
    crowd,
    must,
    must_add,
    raw_patch,
    raw_write,
)
from write_report import report
from write_sql import count_statements, reset_postgres

from dnsmate.pdns_local import LocalPowerDNS

PG_ENV = "DNSMATE_BENCH_POSTGRES_URL"


@dataclass(frozen=True)
class Sizes:
    single: int  # sequential writes per latency series
    crowd_seconds: float  # how long the 16 writers write
    stall_seconds: float  # how long the 64 writers write
    bulk_runs: int
    cap: int  # version-retention cap (DNSMATE_VERSION_MAX_PER_ZONE)
    cap_writes: int  # writes measured in each 20,000-record zone
    sql_writes: int


FULL = Sizes(single=200, crowd_seconds=15, stall_seconds=20, bulk_runs=3, cap=1000,
             cap_writes=100, sql_writes=20)  # fmt: skip
QUICK = Sizes(single=40, crowd_seconds=5, stall_seconds=8, bulk_runs=1, cap=100,
              cap_writes=30, sql_writes=10)  # fmt: skip


def p50(samples: list[float]) -> float:
    return percentile(samples, 0.5)


async def raw_latency(raws: list[RawServer], zone: str, n: int, *, patch_only: bool) -> list[float]:
    for raw in raws:
        await raw.create_zone(zone)

    async def one(i: int) -> None:
        name = f"r{i}.{zone}"
        await must(
            await (raw_patch(raws, zone, name) if patch_only else raw_write(raws, zone, name))
        )

    return await timed(n, one)


async def dnsmate_latency(dm: DNSMate, zone: str, n: int) -> list[float]:
    await dm.zone(zone)
    await must(await dm.add(zone, "warm-up"))
    return await timed(n, lambda i: must_add(dm, zone, f"r{i}"))


async def raw_crowd(raws: list[RawServer], zone: str, seconds: float, *, serialize: bool) -> Crowd:
    for raw in raws:
        await raw.create_zone(zone)

    async def write(i: int, n: int) -> str:
        done = await raw_write(raws, zone, f"w{i}-{n}.{zone}", serialize=serialize)
        return "ok" if done else "error"

    return await crowd(16, seconds, write)


async def dnsmate_crowd(dm: DNSMate, zone: str, writers: int, seconds: float) -> Crowd:
    await dm.zone(zone)
    return await crowd(writers, seconds, lambda i, n: dm.add(zone, f"w{i}-{n}"))


async def floor(raws: list[RawServer], zone: str, count: int) -> float:
    """One PATCH of ``count`` new A RRsets to every server at once (zones made beforehand)."""
    for raw in raws:
        await raw.create_zone(zone)
    rrsets = [a_rrset(f"h{i}.{zone}", [{"content": address(i), "disabled": False}])
              for i in range(count)]  # fmt: skip
    started = time.perf_counter()
    responses = await asyncio.gather(*(raw.patch(zone, rrsets) for raw in raws))
    assert all(r.status_code == 204 for r in responses)
    return time.perf_counter() - started


async def write_cost(dm: DNSMate, zone: str, n: int) -> tuple[list[float], float]:
    """p50 samples (ms) and CPU ms of the DNSMate process per write, ``n`` writes in ``zone``."""
    assert dm.pid is not None
    cpu = cpu_seconds(dm.pid)
    samples = await timed(n, lambda i: must_add(dm, zone, f"m{i}"))
    await asyncio.sleep(0.5)  # let the background work these writes started finish
    return samples, (cpu_seconds(dm.pid) - cpu) * 1000 / n


Results = dict[str, object]


async def sqlite_scenarios(dm: DNSMate, raws: list[RawServer], size: Sizes) -> Results:
    r: Results = {}
    n = size.single
    await dm.targets(1)
    r["raw GET+PATCH 1"] = await raw_latency(raws[:1], "raw1.bench.", n, patch_only=False)
    r["raw PATCH 1"] = await raw_latency(raws[:1], "rawp1.bench.", n, patch_only=True)
    r["sqlite 1 target"] = await dnsmate_latency(dm, "lite1.bench", n)
    await dm.targets(3)
    r["raw GET+PATCH 3"] = await raw_latency(raws, "raw3.bench.", n, patch_only=False)
    r["raw PATCH 3"] = await raw_latency(raws, "rawp3.bench.", n, patch_only=True)
    r["sqlite 3 targets"] = await dnsmate_latency(dm, "lite3.bench", n)
    secs = size.crowd_seconds
    r["raw serialized x16"] = await raw_crowd(raws, "crowds.bench.", secs, serialize=True)
    r["raw unserialized x16"] = await raw_crowd(raws, "crowdu.bench.", secs, serialize=False)
    r["sqlite x16"] = await dnsmate_crowd(dm, "crowd.lite.bench", 16, secs)
    bulk, floors = [], []
    for run in range(size.bulk_runs):
        zone = f"bulk{run}.bench"
        await dm.zone(zone)
        bulk.append(await dm.bulk(zone, 10_000))
        floors.append(await floor(raws, f"floor{run}.bench.", 10_000))
    r["bulk 10k"], r["floor 10k"] = bulk, floors
    await dm.targets(1)
    for zone in ("young.bench", "aged.bench"):
        await dm.zone(zone)
        await dm.bulk(zone, 20_000)
    for i in range(size.cap):  # fill the aged zone's versions up to the cap
        await must_add(dm, "aged.bench", f"f{i}")
    r["few versions"] = await write_cost(dm, "young.bench", size.cap_writes)
    r["at the cap"] = await write_cost(dm, "aged.bench", size.cap_writes)
    return r


async def postgres_scenarios(dm: DNSMate, size: Sizes) -> Results:
    r: Results = {}
    await dm.targets(1)
    r["pg 1 target"] = await dnsmate_latency(dm, "pg1.bench", size.single)
    await dm.targets(3)
    r["pg x16"] = await dnsmate_crowd(dm, "crowd.pg.bench", 16, size.crowd_seconds)
    r["pg x64"] = await dnsmate_crowd(dm, "stall.pg.bench", 64, size.stall_seconds)
    return r


async def with_dnsmate(
    data_dir: Path, servers: list[LocalPowerDNS], env: dict[str, str]
) -> tuple[subprocess.Popen[bytes], DNSMate]:
    process, url = start_dnsmate(data_dir, env)
    http = httpx.AsyncClient(base_url=url, timeout=300, limits=httpx.Limits(max_connections=200))
    dm = DNSMate(http, process.pid)
    await dm.sign_in(servers)
    return process, dm


async def stop(process: subprocess.Popen[bytes], dm: DNSMate) -> None:
    await dm.http.aclose()
    process.terminate()
    process.wait(30)


async def run(size: Sizes, pg_url: str | None) -> Results:
    results: Results = {}
    with tempfile.TemporaryDirectory(prefix="dnsmate-wp-") as tmp:
        base = Path(tmp)
        servers = [LocalPowerDNS(name=f"Bench {i}", workdir=base / f"pdns{i}",
                                 api_key=secrets.token_urlsafe(16)) for i in range(3)]  # fmt: skip
        raws = [RawServer(s) for s in servers]
        for server in servers:
            server.start()
        try:
            lite = f"sqlite+aiosqlite:///{base / 'sql.sqlite3'}"
            results["sql sqlite"] = await count_statements(lite, base, servers[0], size.sql_writes)
            env = {"DNSMATE_VERSION_MAX_PER_ZONE": str(size.cap)}
            process, dm = await with_dnsmate(base / "lite", servers, env)
            try:
                results |= await sqlite_scenarios(dm, raws, size)
            finally:
                await stop(process, dm)
            if pg_url:
                await reset_postgres(pg_url)
                sql = await count_statements(pg_url, base / "pgsql", servers[0], size.sql_writes)
                results["sql postgresql"] = sql
                await reset_postgres(pg_url)
                env |= {"DNSMATE_DATABASE_URL": pg_url}
                process, dm = await with_dnsmate(base / "pg", servers, env)
                try:
                    results |= await postgres_scenarios(dm, size)
                finally:
                    await stop(process, dm)
        finally:
            for raw in raws:
                await raw.aclose()
            for server in servers:
                server.stop()
    return results


def commit() -> str:
    here = Path(__file__).resolve().parent
    described = subprocess.run(["git", "-C", str(here), "describe", "--always", "--dirty"],
                               capture_output=True, text=True, check=False)  # fmt: skip
    return described.stdout.strip() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer and shorter series")
    args = parser.parse_args()
    size = QUICK if args.quick else FULL
    pg_url = os.environ.get(PG_ENV)
    load = os.getloadavg()[0]
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    results = asyncio.run(run(size, pg_url))
    quick = " (--quick)" if args.quick else ""
    print(f"{started}, commit {commit()}, {os.cpu_count()} cores, load average {load:.1f} "
          f"before, {os.getloadavg()[0]:.1f} after{quick}")  # fmt: skip
    if not pg_url:
        print(f"PostgreSQL rows skipped: set {PG_ENV} to an empty database it may wipe")
    report(results)


if __name__ == "__main__":
    main()

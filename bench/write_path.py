"""Write-path benchmark (issue 11): every goal beside the raw PowerDNS figure of the same run.

Run with ``make bench`` or ``.venv/bin/python bench/write_path.py [--quick]``. Starts three
real PowerDNS servers (gsqlite3) and real ``dnsmate serve`` processes on loopback: two on
SQLite (one with one target, one with the three servers in multi-server mode) and, when
``DNSMATE_BENCH_POSTGRES_URL`` is set, one on PostgreSQL (that database is emptied first:
never point it at a database you use). Series that are compared run interleaved (one
request of each in turn, or the concurrent ones in alternating slices), so that a change
of the machine's load hits both sides of a ratio alike. Then measures:

1. single-record create, one target, one at a time: DNSMate p50 vs raw GET + PATCH;
2. the same with three targets: DNSMate's 3/1 ratio vs the raw concurrent PATCH ratio;
3. SQL statements per steady-state record write (in-process app, ``before_cursor_execute``
   on every engine; the median of the writes: see ``write_sql``);
4. PostgreSQL vs SQLite per-write latency, one writer and 16 concurrent writers;
5. 10,000 records to three servers in one bulk request vs three parallel direct PATCHes
   (a run answered 207 is reported and left out of the median);
6. 16 writers on different names, three targets: DNSMate writes/s vs raw GET + PATCH
   serialized per server (and unserialized, with its failures);
7. PostgreSQL, one process, 64 concurrent writers: requests over 5 s and 5xx answers;
8. a write in a 20,000-record zone at its version-retention cap vs one with few versions
   (CPU per write with the batched prunes these writes start, see ``version_cap``);
9. single creates in a small zone of a server holding 100,000 more records vs raw GET+PATCH
   on that server (``big_database``).

Each writer of a crowd (4, 6, 7), raw or through DNSMate, is an independent client with
httpx clients of its own (``write_load.WriterClients``: one client shared by 64 writers
was itself the bottleneck).

Prints the series, then one table of goals. Ratios measured in one run are what count:
on a shared machine the absolute times follow the load.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import os
import secrets
import subprocess
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from bulk import address, cpu_seconds
from fanout import start_dnsmate, timed
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

from dnsmate.dev.pdns_local import LocalPowerDNS
from dnsmate.services.history.version_retention import prune_slack

PG_ENV = "DNSMATE_BENCH_POSTGRES_URL"
# Records added to the first server before the big-database series (besides every earlier
# series' own records).
BIG_DATABASE = 100_000


@dataclass(frozen=True)
class Sizes:
    single: int  # sequential writes per latency series
    crowd_seconds: float  # how long the 16 writers write, in all
    crowd_rounds: int  # ... in this many turns per series
    stall_seconds: float  # how long the 64 writers write
    bulk_runs: int
    cap: int  # version-retention cap (DNSMATE_VERSION_MAX_PER_ZONE)
    cap_writes: int  # writes measured in each 20,000-record zone (whole prune batches)
    sql_writes: int


FULL = Sizes(single=200, crowd_seconds=15, crowd_rounds=3, stall_seconds=20, bulk_runs=3,
             cap=1000, cap_writes=100, sql_writes=20)  # fmt: skip
QUICK = Sizes(single=40, crowd_seconds=5, crowd_rounds=1, stall_seconds=8, bulk_runs=1,
              cap=100, cap_writes=30, sql_writes=10)  # fmt: skip

Write = Callable[[int], Awaitable[None]]
Results = dict[str, object]


async def paired(n: int, calls: dict[str, Write]) -> dict[str, list[float]]:
    """``n`` rounds of each call in turn (ms per call): every series sees the same load."""
    samples: dict[str, list[float]] = {name: [] for name in calls}
    for i in range(n):
        for name, call in calls.items():
            started = time.perf_counter()
            await call(i)
            samples[name].append((time.perf_counter() - started) * 1000)
    return samples


async def raw_series(raws: list[RawServer], zone: str, patch_only: bool) -> Write:
    for raw in raws:
        await raw.create_zone(zone)

    async def one(i: int) -> None:
        name = f"r{i}.{zone}"
        await must(
            await (raw_patch(raws, zone, name) if patch_only else raw_write(raws, zone, name))
        )

    return one


async def dnsmate_series(dm: DNSMate, zone: str) -> Write:
    await dm.zone(zone)
    await must(await dm.add(zone, "warm-up"))
    return lambda i: must_add(dm, zone, f"r{i}")


async def latencies(apps: dict[str, DNSMate], raws: list[RawServer], n: int) -> Results:
    """Single-record creates, one at a time, raw to one and three servers and through each
    app (named "<database> <targets>"), interleaved."""
    calls = {}
    for targets in (1, 3):
        picked = raws[:targets]
        calls[f"raw GET+PATCH {targets}"] = await raw_series(picked, f"rgp{targets}.bench.", False)
        calls[f"raw PATCH {targets}"] = await raw_series(picked, f"rp{targets}.bench.", True)
    for name, dm in apps.items():
        calls[name] = await dnsmate_series(dm, f"lat.{name.replace(' ', '-')}.bench")
    cpu = {name: cpu_seconds(dm.pid) for name, dm in apps.items() if dm.pid}
    r: Results = dict(await paired(n, calls))
    for name, dm in apps.items():
        if dm.pid:
            r[f"{name} cpu"] = (cpu_seconds(dm.pid) - cpu[name]) * 1000 / n
    return r


async def crowds(apps: dict[str, DNSMate], raws: list[RawServer], size: Sizes) -> Results:
    """16 writers on three targets, raw (serialized per server, and not) and each app, taking
    turns in ``crowd_rounds`` slices so that a change of load hits every series alike."""
    for raw in raws:
        await raw.create_zone("crowds.bench.")
        await raw.create_zone("crowdu.bench.")
    for label, dm in apps.items():
        await dm.zone(f"crowd.{label}.bench")

    def raw_writer(rnd: int, serialize: bool) -> Callable[[int, int], Awaitable[str]]:
        zone = "crowds.bench." if serialize else "crowdu.bench."

        async def write(i: int, n: int) -> str:
            name = f"w{rnd}-{i}-{n}.{zone}"
            done = await raw_write(raws, zone, name, serialize=serialize, writer=i)
            return "ok" if done else "error"

        return write

    def app_writer(rnd: int, dm: DNSMate, zone: str) -> Callable[[int, int], Awaitable[str]]:
        return lambda i, n: dm.add(zone, f"w{rnd}-{i}-{n}", writer=i)

    merged: dict[str, Crowd] = {}
    seconds = size.crowd_seconds / size.crowd_rounds
    for rnd in range(size.crowd_rounds):
        writers = {"raw serialized x16": raw_writer(rnd, True),
                   "raw unserialized x16": raw_writer(rnd, False)}  # fmt: skip
        for label, dm in apps.items():
            writers[f"{label} x16"] = app_writer(rnd, dm, f"crowd.{label}.bench")
        for name, write in writers.items():
            got = await crowd(16, seconds, write)
            merged[name] = merged[name].merge(got) if name in merged else got
    return dict(merged)


def hosts(zone: str, count: int) -> list[dict[str, Any]]:
    """``count`` A RRsets ``h0``, ``h1``, ... of ``zone``, one address each."""
    return [a_rrset(f"h{i}.{zone}", [{"content": address(i), "disabled": False}])
            for i in range(count)]  # fmt: skip


async def floor(raws: list[RawServer], zone: str, count: int) -> float:
    """One PATCH of ``count`` new A RRsets to every server at once (zones made beforehand)."""
    for raw in raws:
        await raw.create_zone(zone)
    rrsets = hosts(zone, count)
    started = time.perf_counter()
    responses = await asyncio.gather(*(raw.patch(zone, rrsets) for raw in raws))
    assert all(r.status_code == 204 for r in responses)
    return time.perf_counter() - started


async def bulk(dm: DNSMate, raws: list[RawServer], runs: int) -> Results:
    """10,000 adds in one bulk request to three targets, and the same RRsets PATCHed directly."""
    times, floors, partial = [], [], []
    for run in range(runs):
        zone = f"bulk{run}.bench"
        await dm.zone(zone)
        seconds, status = await dm.bulk(zone, 10_000)
        # A 207 (a server did not take it in time) is reported, not timed as a bulk write.
        (times if status == 200 else partial).append(seconds)
        floors.append(await floor(raws, f"floor{run}.bench.", 10_000))
    return {"bulk 10k": times, "floor 10k": floors, "bulk 10k 207": partial}


async def write_cost(dm: DNSMate, zone: str, n: int) -> tuple[list[float], float]:
    """p50 samples (ms) and CPU ms of the DNSMate process per write, ``n`` writes in ``zone``,
    the background work they started (a batched prune) counted whole."""
    assert dm.pid is not None
    cpu = cpu_seconds(dm.pid)
    samples = await timed(n, lambda i: must_add(dm, zone, f"m{i}"))
    await idle(dm.pid)
    return samples, (cpu_seconds(dm.pid) - cpu) * 1000 / n


async def idle(pid: int, quiet: float = 0.01, limit: float = 60) -> None:
    """Wait until process ``pid`` uses under ``quiet`` s of CPU in half a second (its
    timers use less), at most ``limit`` s: the work the last writes started is done."""
    deadline = time.monotonic() + limit
    last = cpu_seconds(pid)
    while time.monotonic() < deadline:
        await asyncio.sleep(0.5)
        now = cpu_seconds(pid)
        if now - last < quiet:
            return
        last = now


async def version_cap(dm: DNSMate, size: Sizes) -> Results:
    """Writes in a 20,000-record zone filled to the version cap, and in one with few versions.

    The aged zone is filled to its cap plus half a prune batch (``prune_slack``): a zone is
    pruned once per batch, so the measured writes (a whole number of batches) hold exactly
    as many prunes as batches, none of them at the edge of the series, where it would have
    counted or not by chance.
    """
    for zone in ("young.bench", "aged.bench"):
        await dm.zone(zone)
        _seconds, status = await dm.bulk(zone, 20_000)
        assert status == 200, f"filling {zone} answered {status}"  # one target: 200 or 400
    for i in range(size.cap + prune_slack(size.cap) // 2):  # the aged zone's versions
        await must_add(dm, "aged.bench", f"f{i}")
    return {"few versions": await write_cost(dm, "young.bench", size.cap_writes),
            "at the cap": await write_cost(dm, "aged.bench", size.cap_writes)}  # fmt: skip


async def big_database(dm: DNSMate, raw: RawServer, size: Sizes) -> Results:
    """Single creates in small zones of a server that holds BIG_DATABASE more records (in
    zones of 20,000), through DNSMate (one target) and raw GET+PATCH, interleaved: a read
    of one name through search-data scans every record of the server."""
    for z in range(BIG_DATABASE // 20_000):
        zone = f"big{z}.bench."
        await raw.create_zone(zone)
        rrsets = hosts(zone, 20_000)
        for start in range(0, len(rrsets), 5_000):
            assert (await raw.patch(zone, rrsets[start : start + 5_000])).status_code == 204
    calls = {"big db raw GET+PATCH 1": await raw_series([raw], "bigr.bench.", False),
             "big db sqlite 1": await dnsmate_series(dm, "bigd.bench")}  # fmt: skip
    return dict(await paired(size.single, calls))


async def scenarios(apps: dict[str, DNSMate], raws: list[RawServer], size: Sizes) -> Results:
    """Every measurement; ``apps``: "sqlite 1", "sqlite 3" (targets) and maybe "pg"."""
    lite1, lite3, pg = apps["sqlite 1"], apps["sqlite 3"], apps.get("pg")
    await lite1.targets(1)
    await lite3.targets(3)
    single = {"sqlite 1": lite1, "sqlite 3": lite3}
    if pg is not None:
        await pg.targets(1)
        single["pg 1"] = pg
    r = await latencies(single, raws, size.single)
    if pg is not None:
        await pg.targets(3)
    r |= await crowds({"sqlite": lite3} | ({"pg": pg} if pg else {}), raws, size)
    if pg is not None:
        await pg.zone("stall.pg.bench")
        stall = functools.partial(pg.add, "stall.pg.bench")
        r["pg x64"] = await crowd(64, size.stall_seconds,
                                  lambda i, n: stall(f"w{i}-{n}", writer=i))  # fmt: skip
    r |= await bulk(lite3, raws, size.bulk_runs)
    r |= await version_cap(lite1, size)
    r |= await big_database(lite1, raws[0], size)
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
    await dm.aclose()
    process.terminate()
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        # A process stuck in a stall does not stop: the figures measured so far still count.
        print(f"DNSMate (pid {process.pid}) did not stop within 30 s: killed")
        process.kill()
        process.wait()


async def run(size: Sizes, pg_url: str | None) -> Results:
    results: Results = {}
    with tempfile.TemporaryDirectory(prefix="dnsmate-wp-") as tmp:
        base = Path(tmp)
        servers = [LocalPowerDNS(name=f"Bench {i}", workdir=base / f"pdns{i}",
                                 api_key=secrets.token_urlsafe(16)) for i in range(3)]  # fmt: skip
        raws = [RawServer(s) for s in servers]
        for server in servers:
            server.start()
        running: list[tuple[subprocess.Popen[bytes], DNSMate]] = []
        try:
            lite = f"sqlite+aiosqlite:///{base / 'sql.sqlite3'}"
            results["sql sqlite"] = await count_statements(lite, base, servers[0], size.sql_writes)
            if pg_url:
                await reset_postgres(pg_url)
                sql = await count_statements(pg_url, base / "pgsql", servers[0], size.sql_writes)
                results["sql postgresql"] = sql
                await reset_postgres(pg_url)
            env = {"DNSMATE_VERSION_MAX_PER_ZONE": str(size.cap)}
            running.append(await with_dnsmate(base / "lite1", servers, env))
            running.append(await with_dnsmate(base / "lite3", servers, env))
            if pg_url:
                pg_env = env | {"DNSMATE_DATABASE_URL": pg_url}
                running.append(await with_dnsmate(base / "pg", servers, pg_env))
            names = ("sqlite 1", "sqlite 3", "pg")
            apps = dict(zip(names, (dm for _p, dm in running), strict=False))
            results |= await scenarios(apps, raws, size)
        finally:
            for process, dm in running:
                await stop(process, dm)
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

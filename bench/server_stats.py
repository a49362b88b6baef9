"""Operation statistics benchmark: recording cost, flush, and the dashboard's query.

Run with ``.venv/bin/python bench/server_stats.py`` (part of ``make bench``). On a fresh
SQLite database (and on PostgreSQL when ``DNSMATE_BENCH_POSTGRES_URL`` names a database it
may empty: it is downgraded to base first), with three servers:

- record: the cost of ``SyncMetrics.observe`` per operation (Prometheus and statistics);
- backlog: one flush of two days of per-minute rows (3 servers x 4 kinds x 2,880 minutes,
  what a process would hold after a long database outage), then a typical periodic flush
  (12 rows added onto existing ones);
- query: ``GET /api/servers/stats`` for 1 h and 24 h over those two days of rows;
- accuracy: the p95 estimated from the histogram against the exact p95 of the samples.
"""

from __future__ import annotations

import asyncio
import math
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

from dnsmate.db import make_engine, make_session_factory
from dnsmate.migrations import downgrade, upgrade
from dnsmate.models import PowerDNSSettings
from dnsmate.services.sync import histogram
from dnsmate.services.sync.metrics import SyncMetrics
from dnsmate.services.sync.stats import StatsBuffer, flush, prune, server_stats_view

SERVERS = ("s0", "s1", "s2")
KINDS = ("read", "record.create", "replay", "health")
MINUTES = 2 * 24 * 60


def record_cost() -> float:
    """Microseconds per SyncMetrics.observe call."""
    metrics = SyncMetrics()
    n = 100_000
    started = time.perf_counter()
    for _ in range(n):
        metrics.observe(
            server="s1", server_id=1, kind="record.create", outcome="success", seconds=0.004
        )
    return (time.perf_counter() - started) / n * 1e6


async def database(url: str) -> None:
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    async with sessions() as session:
        rows = [PowerDNSSettings(name=name, api_url=f"http://127.0.0.1:{9000 + i}",
                                 api_key_encrypted="-", is_default=i == 0)
                for i, name in enumerate(SERVERS)]  # fmt: skip
        session.add_all(rows)
        await session.commit()
        ids = [row.id for row in rows]
    now = time.time()
    clock = [now]
    buffer = StatsBuffer(clock=lambda: clock[0])
    rng = random.Random(1)
    for minute in range(MINUTES):
        clock[0] = now - minute * 60
        for server_id in ids:
            for kind in KINDS:
                seconds = rng.lognormvariate(math.log(0.005), 0.7)
                buffer.record(server_id=server_id, kind=kind, outcome="success", seconds=seconds)
    count = len(buffer)
    clock[0] = now
    async with sessions() as session:
        started = time.perf_counter()
        await flush(session=session, buffer=buffer)
        backlog = time.perf_counter() - started
        for server_id in ids:
            for kind in KINDS:
                buffer.record(server_id=server_id, kind=kind, outcome="success", seconds=0.003)
        started = time.perf_counter()
        await flush(session=session, buffer=buffer)
        periodic = time.perf_counter() - started
        queries = {}
        for window in ("1h", "24h"):
            times = []
            for _ in range(5):
                started = time.perf_counter()
                await server_stats_view(session=session, buffer=buffer, window=window, now=now)
                times.append(time.perf_counter() - started)
            queries[window] = statistics.median(times)
        await prune(session=session, now=now)
    await engine.dispose()
    print(f"  flush of {count:,} rows: {backlog * 1000:,.0f} ms; periodic flush of 12 rows: "
          f"{periodic * 1000:.1f} ms")  # fmt: skip
    print(f"  stats over {count:,} rows: 1h {queries['1h'] * 1000:.1f} ms, "
          f"24h {queries['24h'] * 1000:.1f} ms (median of 5)")  # fmt: skip


def accuracy() -> tuple[float, float, float]:
    """Relative p95 error (median, 90th percentile, max) over 200 lognormal sample sets."""
    errors = []
    for seed in range(200):
        rng = random.Random(seed)
        size = rng.choice([50, 500, 5000])
        mu, sigma = math.log(rng.uniform(2, 200)), rng.uniform(0.2, 1.2)
        samples = [rng.lognormvariate(mu, sigma) for _ in range(size)]
        counts = histogram.empty()
        for sample in samples:
            counts[histogram.bucket_index(sample)] += 1
        estimate = histogram.quantile(counts, 0.95)
        exact = sorted(samples)[math.ceil(0.95 * size) - 1]
        assert estimate is not None
        errors.append(abs(estimate / exact - 1))
    errors.sort()
    return errors[len(errors) // 2], errors[int(len(errors) * 0.9)], errors[-1]


def main() -> None:
    print(f"record: {record_cost():.1f} us per SyncMetrics.observe")
    median, p90, worst = accuracy()
    print(f"p95 estimate error: median {median:.1%}, 90th percentile {p90:.1%}, max {worst:.1%}")
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.sqlite3'}"
        upgrade(url)
        print("SQLite:")
        asyncio.run(database(url))
    postgres = os.environ.get("DNSMATE_BENCH_POSTGRES_URL")
    if postgres:
        downgrade(postgres, "base")
        upgrade(postgres)
        print("PostgreSQL:")
        asyncio.run(database(postgres))
        downgrade(postgres, "base")


if __name__ == "__main__":
    main()

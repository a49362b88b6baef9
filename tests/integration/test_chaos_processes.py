"""Chaos with two DNSMate processes on one PostgreSQL database.

Two ``dnsmate serve`` processes (own port, engine, pools, in-process locks and background
worker each; shared database and secret key) start together on an empty database, take the
chaos scenario of chaosutil with every zone's changes alternating between them over HTTP,
while PowerDNS servers stop and start at random. Only PostgreSQL keeps them apart: advisory
locks (one writer per PowerDNS server, one replayer per server's queue) and
``SELECT ... FOR UPDATE SKIP LOCKED`` claims of queue rows.

Proven at the end, after the last restart and the workers draining the queue on their own:
identical servers holding exactly the accepted changes (PowerDNS API, DNS, diff, deep
status); every queued change replayed exactly once (the replay counters of both processes'
/metrics and their logs, per queue row); no PowerDNS write retried for "database is locked",
which gsqlite3 answers to most concurrent writes to one server; no error in either log (a
worker round that fails is only logged).
"""

from __future__ import annotations

import asyncio
import re
import secrets
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from dnsmate.dev.pdns_local import LocalPowerDNS
from dnsmate.migrations import downgrade
from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, POSTGRES_URL
from tests.integration.chaosutil import (
    ZONES,
    ZoneModel,
    assert_servers_hold_models,
    chaos_seed,
    run_chaos,
    summary,
)
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.processes import DNSMateProcess
from tests.integration.syncutil import NS

DRAIN_TIMEOUT = 180.0
START_TIMEOUT = 90.0
REPLAYED = re.compile(r"dnsmate\.services\.sync\.queue: (.+?): replayed queued change (\d+) ")
# The client's retry of a write PowerDNS failed with a 5xx (gsqlite3 "database is locked").
WRITE_RETRIED = re.compile(r": (PATCH|POST|PUT|DELETE) \S+ got 5\d\d, retrying")
# Failures nobody sees in an answer: a worker round that crashed, an unhandled exception.
LOGGED_ERROR = re.compile(r"^(?:ERROR|.*Traceback).*$", re.MULTILINE)


@pytest.fixture
def dnsmate_pair(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[list[DNSMateProcess]]:
    """Two DNSMate processes started at once on the emptied PostgreSQL test database.

    They race to migrate it and to create the bootstrap admin, as two processes started
    together by an operator would. Killed at teardown whatever happened; their logs are
    printed when the test failed.
    """
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL not available: DNSMATE_TEST_POSTGRES_URL is unset")
    downgrade(POSTGRES_URL, "base")
    environment = {
        "DNSMATE_DATABASE_URL": POSTGRES_URL,
        "DNSMATE_SECRET_KEY": secrets.token_urlsafe(48),
        "DNSMATE_ADMIN_EMAIL": ADMIN_EMAIL,
        "DNSMATE_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "DNSMATE_SYNC_WORKER": "true",
        "DNSMATE_HEALTH_INTERVAL_SECONDS": "0.5",
        "DNSMATE_BREAKER_FAILURE_THRESHOLD": "2",
        "DNSMATE_BREAKER_COOLDOWN_SECONDS": "0.5",
        "DNSMATE_WRITE_RETRY_BASE_SECONDS": "0.02",
        "DNSMATE_FRONTEND_DIST": str(tmp_path / "no-frontend"),
    }
    processes = [
        DNSMateProcess(name=f"dnsmate-{x}", workdir=tmp_path / x, environment=environment)
        for x in ("a", "b")
    ]
    failed_before = request.session.testsfailed
    try:
        for process in processes:
            process.start()
        deadline = time.monotonic() + START_TIMEOUT
        for process in processes:
            process.wait_healthy(deadline)
        yield processes
    finally:
        for process in processes:
            process.stop()
        # The call phase's report is counted before teardown runs.
        if request.session.testsfailed > failed_before:
            for process in processes:
                print(f"\n{process.name} ({process.url}):\n{process.log_tail(200)}")


async def wait_until_drained(client: httpx.AsyncClient, seed: int) -> dict[str, object]:
    """Poll the queue until nothing is pending (the processes' workers replay it)."""
    deadline = time.monotonic() + DRAIN_TIMEOUT
    while True:
        queue: dict[str, object] = (await client.get("/api/sync/queue")).json()
        if queue["pending"] == 0:
            return queue
        if time.monotonic() > deadline:
            breakers = (await client.get("/api/sync/servers")).json()
            items = queue["items"]
            assert isinstance(items, list)
            pytest.fail(
                f"seed {seed}: {queue['pending']} changes still pending {DRAIN_TIMEOUT:.0f} s "
                f"after the last restart; breakers {breakers}; oldest {items[:3]}"
            )
        await asyncio.sleep(0.25)


async def replay_successes(client: httpx.AsyncClient) -> Counter[str]:
    """Server name -> queued changes this process replayed successfully (its /metrics)."""
    response = await client.get("/metrics")
    assert response.status_code == 200, response.text
    counts: Counter[str] = Counter()
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            labels = sample.labels
            if (
                sample.name == "dnsmate_powerdns_operations_total"
                and labels.get("kind") == "replay"
                and labels.get("outcome") == "success"
            ):
                counts[labels["server"]] += int(sample.value)
    return counts


async def test_two_processes_on_postgres_end_with_identical_servers_and_one_replay_per_change(
    dnsmate_pair: list[DNSMateProcess], pdns: list[LocalPowerDNS]
) -> None:
    seed = chaos_seed()
    print(f"\nchaos seed {seed} (DNSMATE_CHAOS_SEED={seed} replays its choices)")
    first, second = dnsmate_pair
    async with first.client() as a, second.client() as b:
        await register_servers(a, pdns, (True, True, True))
        policy = await b.put("/api/settings/consistency", json={"on_partial_failure": "retry"})
        assert policy.status_code == 200, policy.text
        models = [ZoneModel(unique_zone(f"chaos{i}")) for i in range(ZONES)]
        for i, model in enumerate(models):  # zones created through both processes
            response = await (a, b)[i % 2].post(
                "/api/zones", json={"name": model.zone, "kind": "Native", "nameservers": NS}
            )
            assert response.status_code == 201, response.text
        stats: Counter[str] = Counter()
        started = time.perf_counter()
        # Each zone's changes alternate between the processes, half the zones starting on each.
        await run_chaos([[a, b], [b, a]], models, pdns, seed=seed, stats=stats)
        writes_done = time.perf_counter()
        queue = await wait_until_drained(a, seed)
        print(  # figures for docs/benchmarks.md (pytest -s), and for a failure's report
            f"chaos, two processes: {summary(stats)}, writes {writes_done - started:.1f} s, "
            f"final drain {time.perf_counter() - writes_done:.1f} s"
        )
        assert queue["parked"] == 0, (seed, queue)
        assert stats["stops"] > 0 and stats["queued"] > 0, (seed, stats)
        await assert_servers_hold_models(a, pdns, models, seed)

        # Exactly once: a queue row disappears only after a successful replay and the queue
        # is empty, so each row was replayed at least once; these counts say at most once.
        queued = Counter({s.name: stats[f"queued for {s.name}"] for s in pdns})
        by_process = [await replay_successes(c) for c in (a, b)]
        assert by_process[0] + by_process[1] == +queued, (seed, queued, by_process)
    logs = [p.log_text() for p in dnsmate_pair]
    rows = Counter(int(m[2]) for log in logs for m in REPLAYED.finditer(log))
    assert sum(rows.values()) == queued.total(), (seed, sum(rows.values()), queued)
    assert [row for row, n in rows.items() if n > 1] == [], seed
    retried = [m[0] for log in logs for m in WRITE_RETRIED.finditer(log)]
    assert retried == [], (seed, retried[:10])
    errors = [m[0] for log in logs for m in LOGGED_ERROR.finditer(log)]
    assert errors == [], (seed, errors[:10])
    print(f"replays by process: {[sum(c.values()) for c in by_process]}")

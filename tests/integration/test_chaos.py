"""Chaos in one DNSMate process on SQLite: hundreds of record changes while servers stop
and start at random moments (the scenario is in chaosutil; the two-process PostgreSQL run
is test_chaos_processes.py).

After the last restart and the queue draining, all three servers must hold identical zones
(no drift) containing exactly the records the accepted changes describe.
"""

from __future__ import annotations

import time
from collections import Counter

from dnsmate.dev.pdns_local import LocalPowerDNS
from dnsmate.services.sync.queue import drain_queue
from dnsmate.services.sync.worker import probe_servers
from tests.conftest import ApiFactory
from tests.integration.chaosutil import (
    ZONES,
    ZoneModel,
    assert_servers_hold_models,
    chaos_seed,
    run_chaos,
    summary,
)
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.syncutil import create_zone, sync_api


async def test_chaos_ends_with_identical_servers_holding_exactly_the_accepted_changes(
    api_factory: ApiFactory, sqlite_url: str, pdns: list[LocalPowerDNS]
) -> None:
    seed = chaos_seed()
    print(f"\nchaos seed {seed} (DNSMATE_CHAOS_SEED={seed} replays its choices)")
    api = await sync_api(
        api_factory,
        sqlite_url,
        sync_worker=True,
        health_interval_seconds=0.5,
        breaker_failure_threshold=2,
        breaker_cooldown_seconds=0.5,
    )
    await register_servers(api.client, pdns, (True, True, True))
    models = [ZoneModel(unique_zone(f"chaos{i}")) for i in range(ZONES)]
    for model in models:
        assert (await create_zone(api, model.zone)).status_code == 201
    stats: Counter[str] = Counter()
    started = time.perf_counter()
    await run_chaos([[api.client]], models, pdns, seed=seed, stats=stats)
    writes_done = time.perf_counter()
    await api.context.sync_worker.stop()  # from here on, drains happen when the test says
    for _ in range(10):
        await probe_servers(runtime=api.context.sync)
        await drain_queue(runtime=api.context.sync, include_open=True)
        queue = (await api.client.get("/api/sync/queue")).json()
        if queue["pending"] == 0:
            break
    print(  # figures for docs/benchmarks.md (pytest -s), and for a failure's report
        f"chaos: {summary(stats)}, writes {writes_done - started:.1f} s, "
        f"final drain {time.perf_counter() - writes_done:.1f} s"
    )

    assert queue["pending"] == 0 and queue["parked"] == 0, (seed, queue)
    assert stats["stops"] > 0 and stats["queued"] > 0, (seed, stats)
    await assert_servers_hold_models(api.client, pdns, models, seed)

"""One runner per background task with several DNSMate processes on PostgreSQL.

Each app below has its own engine, so its own PostgreSQL sessions: to the database they are
separate processes. The periodic tasks (health probes and queue replay, drift check,
version retention) run in the one process that leads each; the others skip their rounds;
when the leader shuts down another takes over. The statistics flush is per process (each
adds its own counts) and runs everywhere.
"""

from __future__ import annotations

import asyncio

import pytest

from dnsmate.dev.pdns_local import free_port
from dnsmate.migrations import downgrade, upgrade
from tests.conftest import POSTGRES_URL, Api, ApiFactory

pytestmark = pytest.mark.skipif(
    not POSTGRES_URL, reason="PostgreSQL not available: DNSMATE_TEST_POSTGRES_URL is unset"
)


async def three_processes(api_factory: ApiFactory) -> list[Api]:
    await asyncio.to_thread(downgrade, POSTGRES_URL, "base")
    await asyncio.to_thread(upgrade, POSTGRES_URL)
    # No background loops: the test runs each process's rounds itself, in a known order.
    return [
        await api_factory(POSTGRES_URL, sync_worker=False, breaker_failure_threshold=2)
        for _ in range(3)
    ]


async def breaker(api: Api) -> dict[str, object]:
    (server,) = (await api.client.get("/api/sync/servers")).json()
    assert isinstance(server, dict)
    return server


async def add_dead_server(api: Api) -> None:
    """A PowerDNS server nobody listens for: every probe and check of it fails."""
    created = await api.client.post(
        "/api/settings/powerdns",
        json={"name": "Down", "api_url": f"http://127.0.0.1:{free_port()}", "api_key": "k",
              "multi_server_mode": True, "timeout_seconds": 2},
    )  # fmt: skip
    assert created.status_code == 201, created.text


async def test_one_process_probes_so_a_dead_server_needs_threshold_rounds(
    api_factory: ApiFactory,
) -> None:
    apis = await three_processes(api_factory)
    await add_dead_server(apis[0])
    workers = [api.context.sync_worker for api in apis]

    # Every process's timer fires: only the leader probes (one failure, not three).
    assert [await w.round() for w in workers] == [True, False, False]
    first = await breaker(apis[1])
    assert (first["state"], first["failures"]) == ("closed", 1), first
    assert [await w.round() for w in workers] == [True, False, False]
    second = await breaker(apis[2])
    assert (second["state"], second["failures"]) == ("open", 2), second

    # The leader shuts down; the next process to try leads from then on.
    await workers[0].stop()
    assert [await w.round() for w in workers[1:]] == [True, False]
    assert [await w.round() for w in workers[1:]] == [True, False]


async def test_drift_check_and_version_retention_run_in_one_process(
    api_factory: ApiFactory,
) -> None:
    apis = await three_processes(api_factory)
    await add_dead_server(apis[0])
    retention = [api.app.state.versions for api in apis]
    assert [await r.periodic_round() for r in retention] == [True, False, False]
    monitors = [api.app.state.monitor for api in apis]
    assert [await m.drift_round() for m in monitors] == [True, False, False]
    await monitors[0].stop()
    assert [await m.drift_round() for m in monitors[1:]] == [True, False]
    await retention[0].aclose()
    assert [await r.periodic_round() for r in retention[1:]] == [True, False]

"""GET /metrics: Prometheus text with per-server outcomes, queue depth and breakers."""

from __future__ import annotations

import asyncio

import httpx

from dnsmate.dev.pdns_local import LocalPowerDNS
from dnsmate.services.sync.drift import sync_status
from dnsmate.services.sync.queue import drain_queue
from tests.conftest import ApiFactory
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query
from tests.integration.syncutil import add, create_zone, pdns_api, sync_api

LEGACY = 'server="Legacy PowerDNS"'


async def test_metrics_count_outcomes_and_show_the_queue(
    api_factory: ApiFactory, sqlite_url: str, pdns: list[LocalPowerDNS]
) -> None:
    api = await sync_api(
        api_factory, sqlite_url, breaker_failure_threshold=1, breaker_cooldown_seconds=600
    )
    await register_servers(api.client, pdns, (True, True, True))
    zone = unique_zone("metrics")
    await create_zone(api, zone)
    pdns[2].stop()
    await add(api, zone, "a", "A", "192.0.2.1")
    await add(api, zone, "b", "A", "192.0.2.2")

    anonymous = await api.client.get("/metrics", headers={"Authorization": ""})
    response = await api.client.get("/metrics")

    assert anonymous.status_code == 401
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    for line in (
        'dnsmate_powerdns_operations_total{kind="record.create",outcome="success",'
        'server="Primary PowerDNS"} 2.0',
        f'dnsmate_powerdns_operations_total{{kind="record.create",outcome="failure",{LEGACY}}} 1.0',
        f'dnsmate_powerdns_operations_total{{kind="record.create",outcome="skipped",{LEGACY}}} 1.0',
        f'dnsmate_sync_queue_depth{{{LEGACY},status="pending"}} 2.0',
        f'dnsmate_sync_queue_depth{{{LEGACY},status="parked"}} 0.0',
        f"dnsmate_breaker_state{{{LEGACY}}} 2.0",
        'dnsmate_breaker_state{server="Primary PowerDNS"} 0.0',
    ):
        assert line in text, line
    assert 'dnsmate_powerdns_operation_seconds_count{kind="record.create",' in text

    pdns[2].start()
    await drain_queue(runtime=api.context.sync, include_open=True)
    after = (await api.client.get("/metrics")).text
    assert f'dnsmate_sync_queue_depth{{{LEGACY},status="pending"}} 0.0' in after
    assert f"dnsmate_breaker_state{{{LEGACY}}} 0.0" in after
    assert (
        f'dnsmate_powerdns_operations_total{{kind="replay",outcome="success",{LEGACY}}} 2.0'
        in after
    )
    # The counters agree with what Legacy itself now answers.
    assert dns_query(pdns[2], f"a.{zone}.", "A") == ["192.0.2.1"]
    assert dns_query(pdns[2], f"b.{zone}.", "A") == ["192.0.2.2"]


async def test_metrics_can_be_opened_by_configuration(
    api_factory: ApiFactory, sqlite_url: str
) -> None:
    api = await sync_api(api_factory, sqlite_url, metrics_public=True, login=False)

    response = await api.client.get("/metrics")

    assert response.status_code == 200
    assert "dnsmate_zones_drifted" in response.text
    # Open means open to the same host only: a client from elsewhere still needs a token.
    remote = httpx.ASGITransport(app=api.app, client=("192.0.2.10", 40000))
    async with httpx.AsyncClient(transport=remote, base_url="http://dnsmate.test") as client:
        assert (await client.get("/metrics")).status_code == 401


def drifted_gauge(text: str) -> float | None:
    for line in text.splitlines():
        if line.startswith("dnsmate_zones_drifted "):
            return float(line.split()[1])
    return None


async def test_periodic_drift_check_updates_the_gauge_without_a_status_call(
    api_factory: ApiFactory, sqlite_url: str, pdns_servers: list[LocalPowerDNS]
) -> None:
    api = await sync_api(api_factory, sqlite_url, drift_check_interval_seconds=0.5)
    await register_servers(api.client, pdns_servers, (True, True, True))
    zone = unique_zone("gauge")
    await create_zone(api, zone)
    # The servers live for the whole session: other tests' zones count too, so the
    # expectation is relative to a check made now (that does not set the gauge itself).
    async with api.context.sessions() as session:
        before = await sync_status(session=session, pool=api.context.pool)
    baseline = before["summary"]["drifted"] + before["summary"]["missing"]
    assert next(z for z in before["zones"] if z["zone"] == zone)["status"] == "in_sync"

    async with pdns_api(pdns_servers[1]) as direct:
        record = {"content": "198.51.100.7", "disabled": False}
        rrset = {"name": f"x.{zone}.", "type": "A", "ttl": 60, "changetype": "REPLACE",
                 "records": [record]}  # fmt: skip
        response = await direct.patch(f"/zones/{zone}.", json={"rrsets": [rrset]})
        assert response.status_code == 204, response.text

    seen: list[float | None] = []
    for _ in range(200):  # the check runs every 0.5 s; give a loaded machine time
        seen.append(drifted_gauge((await api.client.get("/metrics")).text))
        if seen[-1] == baseline + 1:
            break
        await asyncio.sleep(0.3)
    assert seen[-1] == baseline + 1, seen[-5:]

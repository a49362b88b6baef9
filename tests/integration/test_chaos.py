"""Chaos: hundreds of record changes while servers stop and start at random moments.

After the last restart and the queue draining, all three servers must hold identical zones
(no drift) containing exactly the records the accepted changes describe. The expected
state is a model updated only from DNSMate's answers: a 2xx (201, 200, 207, 202) means
the change was accepted and must end up on every server; a 400 means no server took it.
At most two servers are down at once, so every change reaches at least one server.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from dnsmate.pdns_local import LocalPowerDNS
from dnsmate.services.sync.queue import drain_queue
from dnsmate.services.sync.worker import probe_servers
from tests.conftest import Api, ApiFactory
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query
from tests.integration.syncutil import NS, add, create_zone, pdns_zone, sync_api

CHANGES = 520
ZONES = 4
NAMES = 12
TTL = 300
ACCEPTED = {200, 201, 202, 207}


@dataclass
class ZoneModel:
    """The records a zone must hold: (name, type) -> contents."""

    zone: str
    rrsets: dict[tuple[str, str], set[str]] = field(default_factory=dict)

    def contents(self, name: str, rtype: str) -> set[str]:
        return self.rrsets.setdefault((name, rtype), set())


async def one_change(api: Api, model: ZoneModel, rng: random.Random, stats: Counter[str]) -> None:
    zone = model.zone
    name = f"n{rng.randrange(NAMES)}"
    existing = [(k, c) for k, v in model.rrsets.items() for c in v]
    roll = rng.random()
    url = f"/api/records/{zone}"
    if roll < 0.45 or not existing:
        content = f"192.0.2.{rng.randrange(1, 255)}"
        response = await add(api, zone, name, "A", content, ttl=TTL)
        apply = lambda: model.contents(name, "A").add(content)  # noqa: E731
    elif roll < 0.55:
        text = f'"chaos {rng.randrange(10_000)}"'
        response = await add(api, zone, name, "TXT", text, ttl=TTL)
        apply = lambda: model.contents(name, "TXT").add(text)  # noqa: E731
    elif roll < 0.75:
        (rname, rtype), old = rng.choice(existing)
        new = f"198.51.100.{rng.randrange(1, 255)}" if rtype == "A" else f'"upd {rng.random()}"'
        response = await api.client.put(
            f"{url}/{rname}/{rtype}", json={"old_content": old, "content": new, "ttl": TTL}
        )

        def apply() -> None:
            model.contents(rname, rtype).discard(old)
            model.contents(rname, rtype).add(new)

    elif roll < 0.95:
        (rname, rtype), old = rng.choice(existing)
        response = await api.client.delete(f"{url}/{rname}/{rtype}", params={"content": old})
        apply = lambda: model.contents(rname, rtype).discard(old)  # noqa: E731
    else:
        (rname, rtype), _ = rng.choice(existing)
        response = await api.client.delete(f"{url}/{rname}/{rtype}")
        apply = lambda: model.contents(rname, rtype).clear()  # noqa: E731
    stats[str(response.status_code)] += 1
    body = response.json()
    stats["queued"] += len(body.get("queued_servers", []))
    stats["skipped"] += len(body.get("skipped_servers", []))
    assert response.status_code in ACCEPTED | {400}, response.text
    for error in body.get("errors", []) if response.status_code == 400 else []:
        stats["400: " + error.split(": ", 1)[1]] += 1
    if response.status_code in ACCEPTED:
        apply()


async def writer(api: Api, model: ZoneModel, count: int, seed: int, stats: Counter[str]) -> None:
    rng = random.Random(seed)
    for _ in range(count):
        await one_change(api, model, rng, stats)


async def chaos(servers: list[LocalPowerDNS], done: asyncio.Event, seed: int,
                stats: Counter[str]) -> None:  # fmt: skip
    """Stop or start a random server every 50-400 ms; never more than two down at once."""
    rng = random.Random(seed)
    while not done.is_set():
        await asyncio.sleep(rng.uniform(0.05, 0.4))
        server = rng.choice(servers)
        if server.running and sum(not s.running for s in servers) < 2:
            await asyncio.to_thread(server.stop)
            stats["stops"] += 1
        elif not server.running:
            await asyncio.to_thread(server.start)
            stats["starts"] += 1


def served(zone: dict[str, Any]) -> dict[tuple[str, str], set[str]]:
    return {
        (r["name"], r["type"]): {x["content"] for x in r["records"]}
        for r in zone["rrsets"]
        if r["type"] != "SOA" and r["records"]
    }


async def test_chaos_ends_with_identical_servers_holding_exactly_the_accepted_changes(
    api_factory: ApiFactory, database_url: str, pdns: list[LocalPowerDNS]
) -> None:
    """On SQLite one DNSMate app; on PostgreSQL two apps on one database, each with its own
    engine, connection pool, in-process locks and background worker, writers spread over
    both: only the database's advisory locks and SKIP LOCKED claims keep them apart."""
    apps = [
        await sync_api(
            api_factory,
            database_url,
            sync_worker=True,
            health_interval_seconds=0.5,
            breaker_failure_threshold=2,
            breaker_cooldown_seconds=0.5,
        )
        for _ in range(1 if database_url.startswith("sqlite") else 2)
    ]
    api = apps[0]
    await register_servers(api.client, pdns, (True, True, True))
    models = [ZoneModel(unique_zone(f"chaos{i}")) for i in range(ZONES)]
    for model in models:
        assert (await create_zone(api, model.zone)).status_code == 201
    stats: Counter[str] = Counter()
    done = asyncio.Event()
    started = time.perf_counter()

    monkey = asyncio.create_task(chaos(pdns, done, seed=7, stats=stats))
    try:
        await asyncio.gather(
            *(
                writer(apps[i % len(apps)], m, CHANGES // ZONES, seed=i, stats=stats)
                for i, m in enumerate(models)
            )
        )
    finally:
        done.set()
        await monkey
    writes_done = time.perf_counter()
    for server in pdns:
        await asyncio.to_thread(server.start)
    for app in apps:  # from here on, drains happen when the test says
        await app.context.sync_worker.stop()
    for _ in range(10):
        for app in apps:
            await probe_servers(runtime=app.context.sync)
            await drain_queue(runtime=app.context.sync, include_open=True)
        queue = (await api.client.get("/api/sync/queue")).json()
        if queue["pending"] == 0:
            break
    drained = time.perf_counter()

    assert queue["pending"] == 0 and queue["parked"] == 0, queue
    assert stats["stops"] > 0 and stats["queued"] > 0, stats
    for model in models:
        diff = (await api.client.get(f"/api/sync/zones/{model.zone}/diff")).json()
        assert diff["in_sync"] is True, diff
        expected = {
            (f"{name}.{model.zone}.", rtype): contents
            for (name, rtype), contents in model.rrsets.items()
            if contents
        }
        expected[(f"{model.zone}.", "NS")] = set(NS)
        for server in pdns:
            assert served(await pdns_zone(server, model.zone)) == expected, server.name
        for (name, rtype), contents in list(model.rrsets.items())[:5]:
            for server in pdns:
                answer = dns_query(server, f"{name}.{model.zone}.", rtype)
                assert answer == sorted(contents), (server.name, name, rtype)
    status = (await api.client.get("/api/sync/status", params={"deep": "true"})).json()
    for model in models:
        assert next(z for z in status["zones"] if z["zone"] == model.zone)["status"] == "in_sync"
    print(  # figures for docs/benchmarks.md (pytest -s)
        f"\nchaos: {sum(int(stats[c]) for c in ('200', '201', '202', '207', '400'))} changes, "
        f"statuses { {c: stats[c] for c in ('200', '201', '202', '207', '400')} }, "
        f"queued {stats['queued']}, skipped {stats['skipped']}, stops {stats['stops']}, "
        f"writes {writes_done - started:.1f} s, final drain {drained - writes_done:.1f} s, "
        f"why 400: { {k[5:]: v for k, v in stats.items() if k.startswith('400: ')} }"
    )

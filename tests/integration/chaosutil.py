"""The chaos scenario shared by the in-process and the two-process chaos tests.

A stream of record changes on several zones while servers stop and start at random
moments. The expected state is a model updated only from DNSMate's answers: a 2xx (201,
200, 207, 202) means the change was accepted and must end up on every server; a 400 means
no server took it. At most two servers are down at once, so every change can reach one.
"""

from __future__ import annotations

import asyncio
import os
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.integration.dnsutil import dns_query
from tests.integration.syncutil import NS, pdns_zone

CHANGES = 520
ZONES = 4
NAMES = 12
TTL = 300
ACCEPTED = {200, 201, 202, 207}
STATUSES = ("200", "201", "202", "207", "400")


def chaos_seed() -> int:
    """``DNSMATE_CHAOS_SEED`` to replay a run's random choices, else a fresh seed.

    Timing (which request meets which outage) still differs between runs.
    """
    return int(os.environ.get("DNSMATE_CHAOS_SEED") or random.randrange(1_000_000))


@dataclass
class ZoneModel:
    """The records a zone must hold: (name, type) -> contents."""

    zone: str
    rrsets: dict[tuple[str, str], set[str]] = field(default_factory=dict)

    def contents(self, name: str, rtype: str) -> set[str]:
        return self.rrsets.setdefault((name, rtype), set())

    def expected(self) -> dict[tuple[str, str], set[str]]:
        """The zone's RRsets as PowerDNS must serve them (SOA aside)."""
        rrsets = {
            (f"{name}.{self.zone}.", rtype): contents
            for (name, rtype), contents in self.rrsets.items()
            if contents
        }
        rrsets[(f"{self.zone}.", "NS")] = set(NS)
        return rrsets


async def one_change(
    client: httpx.AsyncClient, model: ZoneModel, rng: random.Random, stats: Counter[str]
) -> None:
    """Send one random add, update or delete; update the model when DNSMate accepted it."""
    name = f"n{rng.randrange(NAMES)}"
    existing = [(k, c) for k, v in model.rrsets.items() for c in v]
    roll = rng.random()
    url = f"/api/records/{model.zone}"
    if roll < 0.45 or not existing:
        content = f"192.0.2.{rng.randrange(1, 255)}"
        response = await client.post(
            url, json={"name": name, "type": "A", "content": content, "ttl": TTL}
        )
        apply = lambda: model.contents(name, "A").add(content)  # noqa: E731
    elif roll < 0.55:
        text = f'"chaos {rng.randrange(10_000)}"'
        response = await client.post(
            url, json={"name": name, "type": "TXT", "content": text, "ttl": TTL}
        )
        apply = lambda: model.contents(name, "TXT").add(text)  # noqa: E731
    elif roll < 0.75:
        (rname, rtype), old = rng.choice(existing)
        new = f"198.51.100.{rng.randrange(1, 255)}" if rtype == "A" else f'"upd {rng.random()}"'
        response = await client.put(
            f"{url}/{rname}/{rtype}", json={"old_content": old, "content": new, "ttl": TTL}
        )

        def apply() -> None:
            model.contents(rname, rtype).discard(old)
            model.contents(rname, rtype).add(new)

    elif roll < 0.95:
        (rname, rtype), old = rng.choice(existing)
        response = await client.delete(f"{url}/{rname}/{rtype}", params={"content": old})
        apply = lambda: model.contents(rname, rtype).discard(old)  # noqa: E731
    else:
        (rname, rtype), _ = rng.choice(existing)
        response = await client.delete(f"{url}/{rname}/{rtype}")
        apply = lambda: model.contents(rname, rtype).clear()  # noqa: E731
    stats[str(response.status_code)] += 1
    body = response.json()
    for server in body.get("queued_servers", []):
        stats["queued"] += 1
        stats[f"queued for {server}"] += 1
    stats["skipped"] += len(body.get("skipped_servers", []))
    assert response.status_code in ACCEPTED | {400}, response.text
    for error in body.get("errors", []) if response.status_code == 400 else []:
        stats["400: " + error.split(": ", 1)[1]] += 1
    if response.status_code in ACCEPTED:
        apply()


async def writer(
    clients: Sequence[httpx.AsyncClient],
    model: ZoneModel,
    count: int,
    seed: int,
    stats: Counter[str],
) -> None:
    """``count`` changes to one zone, one after the other, taking turns over ``clients``.

    One zone's changes are sequential (each waits for the answer to the previous one), so
    the order DNSMate accepted them in is the model's order.
    """
    rng = random.Random(seed)
    for i in range(count):
        await one_change(clients[i % len(clients)], model, rng, stats)


async def monkey(
    servers: list[LocalPowerDNS], done: asyncio.Event, seed: int, stats: Counter[str]
) -> None:
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


async def run_chaos(
    writers: Sequence[Sequence[httpx.AsyncClient]],
    models: Sequence[ZoneModel],
    servers: list[LocalPowerDNS],
    *,
    seed: int,
    stats: Counter[str],
) -> None:
    """One writer per zone (zone i through ``writers[i % len(writers)]``) under the monkey;
    every server runs again when this returns."""
    done = asyncio.Event()
    task = asyncio.create_task(monkey(servers, done, seed=seed, stats=stats))
    try:
        await asyncio.gather(
            *(
                writer(writers[i % len(writers)], m, CHANGES // len(models), seed + i + 1, stats)
                for i, m in enumerate(models)
            )
        )
    finally:
        done.set()
        await task
        for server in servers:
            await asyncio.to_thread(server.start)


def served(zone: dict[str, Any]) -> dict[tuple[str, str], set[str]]:
    """A zone from the PowerDNS API as (name, type) -> contents, SOA aside."""
    return {
        (r["name"], r["type"]): {x["content"] for x in r["records"]}
        for r in zone["rrsets"]
        if r["type"] != "SOA" and r["records"]
    }


async def assert_servers_hold_models(
    client: httpx.AsyncClient, servers: list[LocalPowerDNS], models: Sequence[ZoneModel], seed: int
) -> None:
    """No drift (diff and deep status), every server's zones equal the models exactly
    (PowerDNS API), and DNS answers agree on a sample of RRsets."""
    for model in models:
        diff = (await client.get(f"/api/sync/zones/{model.zone}/diff")).json()
        assert diff["in_sync"] is True, (seed, diff)
        expected = model.expected()
        for server in servers:
            assert served(await pdns_zone(server, model.zone)) == expected, (seed, server.name)
        for (name, rtype), contents in list(model.rrsets.items())[:5]:
            for server in servers:
                answer = dns_query(server, f"{name}.{model.zone}.", rtype)
                assert answer == sorted(contents), (seed, server.name, name, rtype)
    status = (await client.get("/api/sync/status", params={"deep": "true"})).json()
    for model in models:
        zone = next(z for z in status["zones"] if z["zone"] == model.zone)
        assert zone["status"] == "in_sync", (seed, zone)


def summary(stats: Counter[str]) -> str:
    """The run's figures, for docs/benchmarks.md (pytest -s prints them)."""
    why = {k[5:]: v for k, v in stats.items() if k.startswith("400: ")}
    return (
        f"{sum(stats[c] for c in STATUSES)} changes, "
        f"statuses { {c: stats[c] for c in STATUSES} }, queued {stats['queued']}, "
        f"skipped {stats['skipped']}, stops {stats['stops']}, why 400: {why}"
    )

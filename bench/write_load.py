"""Helpers for ``bench/write_path.py``: raw PowerDNS writes and a crowd of concurrent writers.

The raw side is what a careful client of PowerDNS does without DNSMate: read the RRset
(``GET ?rrset_name=&rrset_type=``), merge the new record, ``PATCH`` REPLACE. It is the
floor every DNSMate figure of the write-path benchmark is compared with, measured in the
same run on the same servers.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from bulk import address
from fanout import EMAIL, PASSWORD, percentile

from dnsmate.dev.pdns_local import LocalPowerDNS

STALL_SECONDS = 5.0


class WriterClients:
    """One client per crowd writer, made like ``template`` (its base URL, headers and
    timeout): a keep-alive connection of its own, as each of many independent clients has.

    A crowd sharing one httpx client measured that client: httpcore 1.0.9 closes every
    connection that goes idle while its pool holds more than 20 (it counts all of them as
    idle), and 64 writers sharing one client to DNSMate waited up to 3 s in it before their
    request's first byte was sent (httpx's trace), with DNSMate's rate half what it was with
    a client per writer.
    """

    def __init__(self, template: httpx.AsyncClient) -> None:
        self.template = template
        self._clients: dict[int, httpx.AsyncClient] = {}

    def __call__(self, writer: int | None) -> httpx.AsyncClient:
        """Writer ``writer``'s client (None: the template itself)."""
        if writer is None:
            return self.template
        client = self._clients.get(writer)
        if client is None:
            client = httpx.AsyncClient(base_url=self.template.base_url,
                                       headers=self.template.headers,
                                       timeout=self.template.timeout)  # fmt: skip
            self._clients[writer] = client
        return client

    async def aclose(self) -> None:
        for client in [self.template, *self._clients.values()]:
            await client.aclose()


class RawServer:
    """One PowerDNS server spoken to directly, with an optional per-server write lock."""

    def __init__(self, server: LocalPowerDNS) -> None:
        self.server = server
        self.http = httpx.AsyncClient(
            base_url=f"{server.api_url}/api/v1/servers/localhost",
            headers={"X-API-Key": server.api_key, "Accept": "application/json"},
            timeout=120,
            limits=httpx.Limits(max_connections=200),
        )
        self.client = WriterClients(self.http)
        self.lock = asyncio.Lock()

    async def aclose(self) -> None:
        await self.client.aclose()

    async def create_zone(self, zone: str) -> None:
        """A new unsigned zone (``api_rectify`` off, as DNSMate creates them)."""
        body = {"name": zone, "kind": "Native", "nameservers": ["ns1.example.net."],
                "api_rectify": False}  # fmt: skip
        (await self.http.post("/zones", json=body)).raise_for_status()

    async def patch(
        self, zone: str, rrsets: list[dict[str, Any]], *, writer: int | None = None
    ) -> httpx.Response:
        return await self.client(writer).patch(f"/zones/{zone}", json={"rrsets": rrsets})

    async def add_record(
        self, zone: str, name: str, content: str, *, serialize: bool, writer: int | None = None
    ) -> bool:
        """GET the RRset, PATCH it with ``content`` added; True if PowerDNS took it
        (``writer``: on that crowd writer's own client)."""
        if serialize:
            async with self.lock:
                return await self._get_patch(zone, name, content, writer)
        return await self._get_patch(zone, name, content, writer)

    async def _get_patch(self, zone: str, name: str, content: str, writer: int | None) -> bool:
        params = {"rrset_name": name, "rrset_type": "A"}
        read = await self.client(writer).get(f"/zones/{zone}", params=params)
        if read.status_code != 200:
            return False
        records = [
            {"content": r["content"], "disabled": r["disabled"]}
            for rrset in read.json().get("rrsets", [])
            if rrset["name"] == name and rrset["type"] == "A"
            for r in rrset["records"]
        ]
        if all(r["content"] != content for r in records):
            records.append({"content": content, "disabled": False})
        response = await self.patch(zone, [a_rrset(name, records)], writer=writer)
        return response.status_code == 204


def a_rrset(name: str, records: list[dict[str, Any]]) -> dict[str, Any]:
    return {"name": name, "type": "A", "ttl": 300, "changetype": "REPLACE", "records": records}


async def raw_write(
    servers: list[RawServer],
    zone: str,
    name: str,
    *,
    serialize: bool = True,
    writer: int | None = None,
) -> bool:
    """One record added on every server concurrently (GET + PATCH each); True if all took it
    (``writer``: on that crowd writer's own clients)."""
    adds = (s.add_record(zone, name, "192.0.2.1", serialize=serialize, writer=writer)
            for s in servers)  # fmt: skip
    done = await asyncio.gather(*adds)
    return all(done)


async def raw_patch(servers: list[RawServer], zone: str, name: str) -> bool:
    """A bare PATCH REPLACE of one new RRset on every server concurrently (no read)."""
    rrset = a_rrset(name, [{"content": "192.0.2.1", "disabled": False}])
    responses = await asyncio.gather(*(s.patch(zone, [rrset]) for s in servers))
    return all(r.status_code == 204 for r in responses)


@dataclass
class Crowd:
    """What a crowd of concurrent writers got: per-request latencies and outcomes."""

    writers: int
    elapsed: float = 0.0
    latencies: list[float] = field(default_factory=list)
    ok: int = 0
    failed: int = 0
    server_errors: int = 0
    statuses: dict[str, int] = field(default_factory=dict)

    @property
    def per_second(self) -> float:
        return self.ok / self.elapsed if self.elapsed else 0.0

    @property
    def stalls(self) -> int:
        return sum(1 for s in self.latencies if s > STALL_SECONDS)

    def merge(self, other: Crowd) -> Crowd:
        """Both crowds' requests as one (the same writers, one after the other)."""
        statuses = dict(self.statuses)
        for key, count in other.statuses.items():
            statuses[key] = statuses.get(key, 0) + count
        return Crowd(self.writers, self.elapsed + other.elapsed,
                     self.latencies + other.latencies, self.ok + other.ok,
                     self.failed + other.failed, self.server_errors + other.server_errors,
                     statuses)  # fmt: skip

    def p(self, q: float) -> float:
        """Latency percentile in milliseconds."""
        return percentile(self.latencies, q) * 1000 if self.latencies else float("nan")

    def describe(self) -> str:
        codes = ", ".join(f"{k}: {v}" for k, v in sorted(self.statuses.items()))
        return (
            f"{self.ok} ok / {self.ok + self.failed} in {self.elapsed:.1f} s "
            f"({self.per_second:.1f}/s), p50 {self.p(0.5):.0f} ms, p99 {self.p(0.99):.0f} ms, "
            f"max {max(self.latencies, default=0) * 1000:.0f} ms, stalls >5 s: {self.stalls}"
            + (f" [{codes}]" if codes else "")
        )


async def crowd(writers: int, seconds: float, write: Callable[[int, int], Awaitable[str]]) -> Crowd:
    """``writers`` tasks each writing until ``seconds`` have passed.

    ``write(writer, n)`` returns an outcome: ``"ok"``, or anything else for a failure (an
    HTTP status such as ``"500"`` counts as a server error). Requests in flight when time
    is up are awaited and counted.
    """
    result = Crowd(writers)
    started = time.perf_counter()
    deadline = started + seconds

    async def writer(index: int) -> None:
        n = 0
        while time.perf_counter() < deadline:
            begun = time.perf_counter()
            try:
                outcome = await write(index, n)
            except httpx.HTTPError as exc:
                outcome = type(exc).__name__
            result.latencies.append(time.perf_counter() - begun)
            if outcome == "ok":
                result.ok += 1
            else:
                result.failed += 1
                result.server_errors += outcome.startswith("5")
                result.statuses[outcome] = result.statuses.get(outcome, 0) + 1
            n += 1

    await asyncio.gather(*(writer(i) for i in range(writers)))
    result.elapsed = time.perf_counter() - started
    return result


class DNSMate:
    """A running ``dnsmate serve`` (or an in-process app) driven over HTTP as the admin."""

    def __init__(self, http: httpx.AsyncClient, pid: int | None = None) -> None:
        self.http = http
        self.pid = pid
        self.server_ids: list[int] = []
        # Made after the sign-in, so a writer's client carries its token.
        self.client = WriterClients(http)

    async def aclose(self) -> None:
        await self.client.aclose()

    async def sign_in(self, servers: list[LocalPowerDNS]) -> None:
        """Log in and register ``servers`` (the first is the default), none in multi mode."""
        login = await self.http.post("/api/auth/login", json={"email": EMAIL, "password": PASSWORD})
        self.http.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
        for server in servers:
            response = await self.http.post("/api/settings/powerdns", json={
                "name": server.name, "api_url": server.api_url, "api_key": server.api_key,
                "multi_server_mode": False, "timeout_seconds": 60})  # fmt: skip
            response.raise_for_status()
            self.server_ids.append(response.json()["id"])

    async def targets(self, count: int) -> None:
        """One target (the default alone) or all servers in multi-server mode."""
        for server_id in self.server_ids:
            body = {"multi_server_mode": count > 1, "force_join": True}
            (
                await self.http.put(f"/api/settings/powerdns/{server_id}", json=body)
            ).raise_for_status()

    async def zone(self, name: str) -> None:
        body = {"name": name, "nameservers": ["ns1.example.net."]}
        created = await self.http.post("/api/zones", json=body)
        assert created.status_code == 201, created.text

    async def add(self, zone: str, name: str, *, writer: int | None = None) -> str:
        """Add one A record (``writer``: on that crowd writer's own client); ``"ok"`` on 201,
        else the status code."""
        body = {"name": name, "type": "A", "content": "192.0.2.1", "ttl": 300}
        response = await self.client(writer).post(f"/api/records/{zone}", json=body)
        return "ok" if response.status_code == 201 else str(response.status_code)

    async def bulk(self, zone: str, count: int) -> tuple[float, int]:
        """``count`` adds in one bulk request: its time and HTTP status (200: every target
        took it; a 207 under load, e.g. a server cut as a straggler, is the caller's to report)."""
        ops = [{"op": "add", "name": f"h{i}", "type": "A", "content": address(i), "ttl": 300}
               for i in range(count)]  # fmt: skip
        started = time.perf_counter()
        response = await self.http.post(f"/api/records/{zone}/bulk", json=ops)
        seconds = time.perf_counter() - started
        assert response.status_code in (200, 207), response.text[:300]
        return seconds, response.status_code


async def must(outcome: object) -> None:
    assert outcome in (True, "ok"), outcome


async def must_add(dm: DNSMate, zone: str, name: str) -> None:
    await must(await dm.add(zone, name))

"""The group commit of one-RRset changes (fakes only; real PowerDNS in
tests/integration/test_coalesce.py)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, cast

import pytest

from dnsmate.powerdns.client import JSON, PowerDNSClient
from dnsmate.powerdns.errors import (
    PowerDNSError,
    PowerDNSRejected,
    PowerDNSServerError,
    RecordConflict,
)
from dnsmate.services.write.coalesce import Coalescer


@dataclass
class FakeServer:
    """Records every PATCH; refuses (422) any PATCH holding a name in ``bad``, or fails
    every PATCH with ``down``, as PowerDNS would (a refused PATCH applies nothing)."""

    write_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    coalescer: Any = None
    patches: list[list[str]] = field(default_factory=list)
    applied: list[str] = field(default_factory=list)
    bad: set[str] = field(default_factory=set)
    down: PowerDNSError | None = None

    async def patch_rrsets(self, zone: str, rrsets: list[JSON]) -> None:
        names = [r["name"] for r in rrsets]
        self.patches.append(names)
        await asyncio.sleep(0)
        if self.down is not None:
            raise self.down
        if self.bad & set(names):
            raise PowerDNSRejected("Not in expected format", status=422)
        self.applied.extend(names)


@dataclass(frozen=True)
class Edit:
    name: str
    send: bool = True
    conflict: bool = False

    async def read(self, client: PowerDNSClient) -> str:
        await asyncio.sleep(0)
        return f"data of {self.name}"

    def plan(self, data: str) -> tuple[JSON | None, str]:
        if self.conflict:
            raise RecordConflict(f"{self.name} changed by someone else")
        entry = {"name": self.name, "type": "A", "changetype": "REPLACE"}
        return (entry if self.send else None), f"{self.name}: {data}"


async def crowd(server: FakeServer, edits: list[Edit]) -> list[str | BaseException]:
    """Submit ``edits`` while the server's lock is held, then free it: they all wait."""
    coalescer = Coalescer(server.write_lock)
    client = cast(PowerDNSClient, server)
    async with server.write_lock:
        tasks = [asyncio.create_task(coalescer.submit(client, "z.test.", e)) for e in edits]
        await asyncio.sleep(0.01)
        assert server.patches == []
    return list(await asyncio.gather(*tasks, return_exceptions=True))


async def test_changes_waiting_for_the_lock_go_out_as_one_patch_each_with_its_result() -> None:
    server = FakeServer()
    results = await crowd(server, [Edit("a."), Edit("b."), Edit("c.")])
    assert server.patches == [["a.", "b.", "c."]]
    assert results == ["a.: data of a.", "b.: data of b.", "c.: data of c."]


async def test_a_change_alone_is_one_patch() -> None:
    server = FakeServer()
    coalescer = Coalescer(server.write_lock)
    result = await coalescer.submit(cast(PowerDNSClient, server), "z.test.", Edit("a."))
    assert (result, server.patches) == ("a.: data of a.", [["a."]])


async def test_the_same_name_is_never_merged_and_keeps_its_order() -> None:
    server = FakeServer()
    edits = [Edit("a."), Edit("b."), Edit("a."), Edit("c."), Edit("b.")]
    results = await crowd(server, edits)
    # A batch ends before a name it holds already: [a b] [a c b].
    assert server.patches == [["a.", "b."], ["a.", "c.", "b."]]
    assert all(isinstance(r, str) for r in results)


async def test_a_refused_combined_patch_is_sent_one_by_one_and_only_the_bad_change_fails() -> None:
    server = FakeServer(bad={"bad."})
    results = await crowd(server, [Edit("a."), Edit("bad."), Edit("c.")])
    assert server.patches == [["a.", "bad.", "c."], ["a."], ["bad."], ["c."]]
    assert results[0] == "a.: data of a." and results[2] == "c.: data of c."
    assert isinstance(results[1], PowerDNSRejected)
    assert server.applied == ["a.", "c."]


async def test_a_server_failure_is_every_changes_result() -> None:
    down = PowerDNSServerError("database is locked")
    server = FakeServer(down=down)
    results = await crowd(server, [Edit("a."), Edit("b.")])
    assert server.patches == [["a.", "b."]]  # not retried one by one: the server is at fault
    assert results == [down, down]


async def test_a_change_that_cannot_apply_fails_alone_and_a_no_op_sends_nothing() -> None:
    server = FakeServer()
    results = await crowd(server, [Edit("a.", conflict=True), Edit("b.", send=False), Edit("c.")])
    assert isinstance(results[0], RecordConflict)
    assert results[1:] == ["b.: data of b.", "c.: data of c."]
    assert server.patches == [["c."]]


async def test_a_batch_never_exceeds_its_limit() -> None:
    server = FakeServer()
    coalescer = Coalescer(server.write_lock, max_batch=2)
    client = cast(PowerDNSClient, server)
    async with server.write_lock:
        tasks = [coalescer.submit(client, "z.test.", Edit(f"n{i}.")) for i in range(5)]
        gathered = asyncio.gather(*tasks)
        await asyncio.sleep(0.01)
    await gathered
    assert server.patches == [["n0.", "n1."], ["n2.", "n3."], ["n4."]]


async def test_a_caller_that_gives_up_while_waiting_sends_nothing() -> None:
    server = FakeServer()
    coalescer = Coalescer(server.write_lock)
    client = cast(PowerDNSClient, server)
    async with server.write_lock:
        kept = asyncio.create_task(coalescer.submit(client, "z.test.", Edit("a.")))
        dropped = asyncio.create_task(coalescer.submit(client, "z.test.", Edit("b.")))
        await asyncio.sleep(0.01)
        dropped.cancel()
        await asyncio.sleep(0)
    assert await kept == "a.: data of a."
    with pytest.raises(asyncio.CancelledError):
        await dropped
    assert server.patches == [["a."]]


async def test_zones_have_their_own_batches() -> None:
    server = FakeServer()
    coalescer = Coalescer(server.write_lock)
    client = cast(PowerDNSClient, server)
    async with server.write_lock:
        tasks = [
            coalescer.submit(client, zone, Edit(f"{n}.{zone}"))
            for zone in ("x.test.", "y.test.")
            for n in ("a", "b")
        ]
        gathered = asyncio.gather(*tasks)
        await asyncio.sleep(0.01)
    await gathered
    assert sorted(server.patches) == [["a.x.test.", "b.x.test."], ["a.y.test.", "b.y.test."]]

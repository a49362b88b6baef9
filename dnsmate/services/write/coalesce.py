"""Group commit: one-RRset changes waiting for one server and zone go out as ONE PATCH.

PowerDNS with gsqlite3 takes one write at a time, so a server's writes are serialized by
its write lock, and with many concurrent writers the lock is the limit (issue 11: 16
writers reached 0.8 of raw GET+PATCH serialized per server). While the lock is busy,
changes for the same (server, zone) gather in a queue; when it frees, one drain task takes
them all, reads each change's RRset (a few reads at once), lets each change compute its
PATCH entry from its own read, and sends every entry in one PATCH. Each change still gets
its own per-server result, so audit, versions and the 201/207/400/202 answer stay per
change.

Rules:
- A batch holds at most one change per owner name: a change at a name already in the batch
  ends the batch, so changes to one RRset (or to one name, where the CNAME rule couples the
  types) are applied in the order they arrived, each on the data the previous one left.
- A change whose read or plan fails (its RRset changed meanwhile, the CNAME rule) fails
  alone; the others go on.
- A combined PATCH that PowerDNS refuses as a data error (422 and other 4xx: one bad
  RRset rejects the whole PATCH, and nothing is applied) is sent again one change at a
  time, so one bad change never fails its neighbours. Any other failure (5xx after the
  client's retries, a timeout, no connection) is every change's result, as it would have
  been for each alone; the write pipeline then queues or reports it per its policy.
- The lock is taken per batch and given back between batches, so other writers of the
  server (zone changes, bulk, other zones) keep their turn.
- A caller that gives up (cancelled) while its change still waits takes it out of the
  queue; once a batch holds it, it is sent like a request already on the wire.

A change taking part implements ``Edit``: ``name``, ``read(client)`` and a pure
``plan(data)``. With a single change waiting, a batch costs exactly what the change cost
alone: its read and one PATCH.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from dnsmate.powerdns.client import JSON, PowerDNSClient
from dnsmate.powerdns.errors import PowerDNSError
from dnsmate.services.write.multi_powerdns import is_unavailable
from dnsmate.services.zonedata.records import chunk_patch

log = logging.getLogger(__name__)

R = TypeVar("R")
R_co = TypeVar("R_co", covariant=True)

# Changes per PATCH (PowerDNS handles hundreds of RRsets in one PATCH in about the time of one).
MAX_BATCH = 64
# Reads in flight at once per batch: each is one or two requests (see
# ``PowerDNSClient.read_name``), and PowerDNS's webserver has a listen backlog of 10.
READS_AT_ONCE = 4


class Edit(Protocol[R_co]):
    """A change to the RRsets at one name, computed from that server's own data."""

    @property
    def name(self) -> str:
        """The owner name it reads and writes (absolute)."""

    async def read(self, client: PowerDNSClient) -> Any:
        """What ``plan`` needs from the server (called with the write lock held)."""

    def plan(self, data: Any) -> tuple[JSON | None, R_co]:
        """The PATCH entry to send (None: nothing to send) and the result once it is applied.

        Raises a ``PowerDNSError`` when the change cannot apply to ``data``: only this
        change fails.
        """


@dataclass(eq=False)
class _Waiting(Generic[R]):
    edit: Edit[R]
    client: PowerDNSClient
    future: asyncio.Future[R]


@dataclass(eq=False)
class _Planned(Generic[R]):
    waiting: _Waiting[R]
    entry: JSON
    result: R


class Coalescer:
    """The group commit of one PowerDNS server: a queue and a drain task per zone.

    Shared by every client of the server (``ClientPool`` makes one per write lock, with
    that lock); ``coalescer_of`` makes one for a client built outside the pool.
    """

    def __init__(
        self,
        lock: AbstractAsyncContextManager[Any],
        *,
        max_batch: int = MAX_BATCH,
        reads_at_once: int = READS_AT_ONCE,
    ) -> None:
        # The server's write lock (``PowerDNSClient.write_lock``), taken for each batch.
        self.lock = lock
        self.max_batch = max_batch
        self.reads_at_once = reads_at_once
        self._queues: dict[str, deque[_Waiting[Any]]] = {}
        self._drains: dict[str, asyncio.Task[None]] = {}

    async def submit(self, client: PowerDNSClient, zone: str, edit: Edit[R]) -> R:
        """Apply ``edit`` to ``zone`` on the server of ``client`` (with whatever else waits)."""
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        waiting = _Waiting(edit, client, future)
        self._queues.setdefault(zone, deque()).append(waiting)
        if zone not in self._drains:
            self._drains[zone] = asyncio.create_task(self._drain(zone))
        try:
            return await asyncio.shield(future)
        except asyncio.CancelledError:
            queue = self._queues.get(zone)
            if queue is not None and waiting in queue:
                queue.remove(waiting)  # never sent: as if the caller had never asked
            raise

    def waiting(self, zone: str) -> int:
        """How many changes to ``zone`` wait for the next batch."""
        return len(self._queues.get(zone, ()))

    async def aclose(self) -> None:
        """Stop the drain tasks (at shutdown); changes still waiting are cancelled."""
        drains = list(self._drains.values())
        for task in drains:
            task.cancel()
        await asyncio.gather(*drains, return_exceptions=True)

    async def _drain(self, zone: str) -> None:
        queue = self._queues[zone]
        batch: list[_Waiting[Any]] = []
        try:
            while queue:
                async with self.lock:
                    batch = take_batch(queue, self.max_batch)
                    if batch:
                        await self._send(zone, batch)
                batch = []
        except BaseException as exc:
            # A lock that could not be taken (database down) or a bug: every change that
            # waits here gets the error instead of waiting for ever.
            for waiting in [*batch, *queue]:
                _fail(waiting, exc)
            queue.clear()
            if not isinstance(exc, Exception):
                raise
            log.warning("Coalesced writes to %s failed: %s", zone, exc)
        finally:
            del self._drains[zone]
            if not queue:
                self._queues.pop(zone, None)

    async def _send(self, zone: str, batch: list[_Waiting[Any]]) -> None:
        client = batch[0].client
        planned = await self._plan(client, batch)
        if not planned:
            return
        entries = [p.entry for p in planned]
        if len(planned) == 1 or len(chunk_patch(entries)) > 1:
            # One change, or too big for one request: each its own PATCH.
            await self._one_by_one(client, zone, planned)
            return
        try:
            await client.patch_rrsets(zone, entries)
        except PowerDNSError as exc:
            if is_unavailable(exc) or exc.maybe_applied:
                for p in planned:
                    _fail(p.waiting, exc)
                return
            # One entry's data refused the whole PATCH (nothing applied): find which.
            log.info("Coalesced PATCH of %d changes to %s refused (%s); sending them one by one",
                     len(planned), zone, exc)  # fmt: skip
            await self._one_by_one(client, zone, planned)
            return
        for p in planned:
            _succeed(p.waiting, p.result)

    async def _plan(
        self, client: PowerDNSClient, batch: list[_Waiting[Any]]
    ) -> list[_Planned[Any]]:
        """Read and plan every change of ``batch``; a change that fails here fails alone."""
        limit = asyncio.Semaphore(self.reads_at_once)

        async def read(waiting: _Waiting[Any]) -> Any:
            async with limit:
                return await waiting.edit.read(client)

        reads = await asyncio.gather(*(read(w) for w in batch), return_exceptions=True)
        planned: list[_Planned[Any]] = []
        for waiting, data in zip(batch, reads, strict=True):
            if isinstance(data, BaseException):
                _fail(waiting, data)
                continue
            try:
                entry, result = waiting.edit.plan(data)
            except Exception as exc:
                _fail(waiting, exc)
                continue
            if entry is None:
                _succeed(waiting, result)
            else:
                planned.append(_Planned(waiting, entry, result))
        return planned

    async def _one_by_one(
        self, client: PowerDNSClient, zone: str, planned: list[_Planned[Any]]
    ) -> None:
        # The names differ, so each read still holds after the PATCHes before it.
        for p in planned:
            try:
                await client.patch_rrsets(zone, [p.entry])
            except PowerDNSError as exc:
                _fail(p.waiting, exc)
            else:
                _succeed(p.waiting, p.result)


def take_batch(queue: deque[_Waiting[Any]], limit: int) -> list[_Waiting[Any]]:
    """The longest prefix of ``queue`` (at most ``limit``) with one change per owner name."""
    batch: list[_Waiting[Any]] = []
    names: set[str] = set()
    while queue and len(batch) < limit:
        name = queue[0].edit.name.lower()
        if name in names:
            break  # the same name again: it waits for the next PATCH, so order is kept
        names.add(name)
        batch.append(queue.popleft())
    return batch


def coalescer_of(client: PowerDNSClient) -> Coalescer:
    """The coalescer of ``client``'s server (one is made for a client outside the pool)."""
    coalescer = client.coalescer
    if not isinstance(coalescer, Coalescer):
        coalescer = client.coalescer = Coalescer(client.write_lock)
    return coalescer


async def apply_edit(client: PowerDNSClient, zone: str, edit: Edit[R]) -> R:
    """Apply one change at one name through its server's coalescer (``Change.apply``)."""
    return await coalescer_of(client).submit(client, zone, edit)


def _succeed(waiting: _Waiting[R], result: R) -> None:
    if not waiting.future.done():
        waiting.future.set_result(result)


def _fail(waiting: _Waiting[Any], exc: BaseException) -> None:
    if waiting.future.done():
        return
    if isinstance(exc, asyncio.CancelledError):
        waiting.future.cancel()
    else:
        waiting.future.set_exception(exc)

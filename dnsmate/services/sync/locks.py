"""Named locks that also hold across DNSMate processes when the database is PostgreSQL.

PowerDNS with gsqlite3 fails concurrent writes, so one write at a time per server; the
retry queue replays one server at a time; the drift check runs in one process at a time.
Each such lock is an ``asyncio.Lock`` in this process plus, on PostgreSQL, a session-level
advisory lock that extends it to every process.

The advisory lock lives on a connection of its own, held by the lock and never taken from
the request pool: a request holds a pooled connection from authentication on, so a lock
that asked the same pool for a second one could wait for ever once the pool is full of
requests waiting for that lock. Only the holder of the in-process lock touches the lock's
connection, so one connection per lock name suffices (a process keeps about two per server
open). A connection that died (PostgreSQL restarted, the session was terminated) took its
advisory lock with it: the next acquire opens a new one. A lock lost that way while held
only lets another process write to that server at the same time, which PowerDNS answers
with a retried 500 at worst.

SQLite has no such lock: one DNSMate process is the supported limit there.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import AsyncIterator
from types import TracebackType

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

log = logging.getLogger(__name__)


def advisory_key(name: str) -> int:
    """A stable signed 64-bit key for ``pg_advisory_lock`` derived from ``name``."""
    digest = hashlib.sha256(name.encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def is_postgres(engine: AsyncEngine) -> bool:
    return engine.dialect.name == "postgresql"


class ProcessLock:
    """One named lock: in this process, and across processes on PostgreSQL.

    ``async with lock`` waits for it; ``acquire(wait=False)`` returns False at once when
    another task or process holds it.
    """

    def __init__(self, name: str, engine: AsyncEngine | None) -> None:
        self.name = name
        self._local = asyncio.Lock()
        # An engine without a pool: the connection is kept here, not in a pool.
        self._engine = engine
        self._key = advisory_key(name)
        self._connection: AsyncConnection | None = None

    def locked(self) -> bool:
        """True while a task of this process holds the lock."""
        return self._local.locked()

    async def acquire(self, *, wait: bool = True) -> bool:
        """Take the lock; without ``wait``, False when someone else has it."""
        if not wait and self._local.locked():
            return False
        await self._local.acquire()
        try:
            owned = await self._acquire_shared(wait)
        except BaseException:
            self._local.release()
            raise
        if not owned:
            self._local.release()
        return owned

    async def release(self) -> None:
        """Give the lock back (the caller holds it)."""
        try:
            if self._connection is not None:
                try:
                    await self._connection.execute(
                        text("SELECT pg_advisory_unlock(:k)"), {"k": self._key}
                    )
                except DBAPIError:
                    # A dead session released its advisory locks as it ended.
                    await self._discard()
                except BaseException:
                    # Closing the session releases its advisory locks in any case.
                    await self._discard()
                    raise
        finally:
            self._local.release()

    async def __aenter__(self) -> None:
        await self.acquire()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.release()

    async def _acquire_shared(self, wait: bool) -> bool:
        if self._engine is None:
            return True
        sql = "SELECT pg_advisory_lock(:k)" if wait else "SELECT pg_try_advisory_lock(:k)"
        for attempt in (1, 2):
            fresh = self._connection is None
            try:
                if self._connection is None:
                    self._connection = await self._engine.connect()
                value = await self._connection.scalar(text(sql), {"k": self._key})
            except DBAPIError as exc:
                await self._discard()
                # A kept connection may have died since its last use: one new one is tried.
                if fresh or attempt == 2 or not exc.connection_invalidated:
                    raise
                log.info("Lock %s: its database connection was gone, reconnecting", self.name)
                continue
            except BaseException:
                # Cancelled while waiting: whether PostgreSQL granted the lock is unknown,
                # so drop the session (and any lock it holds).
                await self._discard()
                raise
            return True if wait else bool(value)
        raise AssertionError("unreachable")

    async def _discard(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(Exception):
                await connection.invalidate()
            with contextlib.suppress(Exception):
                await connection.close()

    async def aclose(self) -> None:
        """Close the lock's connection (at shutdown, when nobody holds it)."""
        await self._discard()


class Locks:
    """Every named lock of one app; on PostgreSQL each has a connection of its own."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine: AsyncEngine | None = None
        if is_postgres(engine):
            self._engine = create_async_engine(
                engine.url, poolclass=NullPool, isolation_level="AUTOCOMMIT"
            )
        self._locks: dict[str, ProcessLock] = {}

    @property
    def spans_processes(self) -> bool:
        """True on PostgreSQL: the locks exclude other DNSMate processes too."""
        return self._engine is not None

    def get(self, name: str) -> ProcessLock:
        """The lock called ``name`` (made on first use, then the same object)."""
        lock = self._locks.get(name)
        if lock is None:
            lock = self._locks[name] = ProcessLock(name, self._engine)
        return lock

    def write_lock(self, server_key: str) -> ProcessLock:
        """The lock one PowerDNS server's writes take (``ClientPool``'s lock factory)."""
        return self.get(f"write:{server_key}")

    @contextlib.asynccontextmanager
    async def exclusive(self, name: str, *, wait: bool = False) -> AsyncIterator[bool]:
        """Own ``name``; yields False when another task or process owns it.

        With ``wait`` it waits for the other owner instead (and always yields True).
        """
        lock = self.get(f"own:{name}")
        owned = await lock.acquire(wait=wait)
        try:
            yield owned
        finally:
            if owned:
                await lock.release()

    async def aclose(self) -> None:
        """Close every lock connection (at shutdown)."""
        for lock in self._locks.values():
            await lock.aclose()
        if self._engine is not None:
            await self._engine.dispose()

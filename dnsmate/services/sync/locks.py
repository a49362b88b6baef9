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

**The write locks' lease.** A process writing steadily to a server would lock and unlock
PostgreSQL around every write (two of a write's five statements). A write lock therefore
keeps its advisory lock for a short *linger* after a release (the in-process lock is free
at once; ``DNSMATE_WRITE_LOCK_LINGER_SECONDS``, 0.5): an acquire in this process during
the linger takes it with no SQL. The lease ends with a real ``pg_advisory_unlock``, always
run holding the in-process lock so that it never races an acquirer:
- after the linger with no new acquire (a timer);
- at a release once the advisory lock has been held ``max_tenure`` in one go
  (``DNSMATE_WRITE_LOCK_MAX_TENURE_SECONDS``, 1), or when the timer reaches that point
  first: a process that waits without saying so (an older DNSMate, a lost announcement)
  waits at most that long plus one write, as PostgreSQL grants waiters in queue order;
- when another process asks for it: a process whose ``pg_try_advisory_lock`` fails sends
  ``NOTIFY`` on the lock's channel, then waits in ``pg_advisory_lock``. Each write lock's
  connection LISTENs on its channel, and the holder unlocks at once when idle, or at the
  release of the write in progress (the waiter waits for that one write, as before).
  An announcement that arrived up to ``ANNOUNCE_GRACE`` before the holder took the lock
  still counts: its sender may not have queued yet when the holder's try won. (So just
  after two processes took turns, a lease does not linger: a few more statements.)
A lease whose connection is seen closed is not used: the next acquire locks afresh. The
lock a killed session held is free as soon as PostgreSQL ends the session, and this process
learns it when the socket closes, so for that moment both may write to the server (a
retried 500 at worst, as above). ``aclose`` unlocks a lingering lease before it closes the
connection. The replay, ``exclusive`` and leadership locks never linger.

SQLite has no such lock: one DNSMate process is the supported limit there.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import math
import time
from collections.abc import AsyncIterator
from types import TracebackType
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

log = logging.getLogger(__name__)

# How long before a lease began another process's announcement still counts against it.
ANNOUNCE_GRACE = 1.0


def advisory_key(name: str) -> int:
    """A stable signed 64-bit key for ``pg_advisory_lock`` derived from ``name``."""
    digest = hashlib.sha256(name.encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def is_postgres(engine: AsyncEngine) -> bool:
    return engine.dialect.name == "postgresql"


class ProcessLock:
    """One named lock: in this process, and across processes on PostgreSQL.

    ``async with lock`` waits for it; ``acquire(wait=False)`` returns False at once when
    another task or process holds it. With ``linger`` > 0 (write locks on PostgreSQL) the
    advisory lock is leased as the module docstring tells.
    """

    def __init__(
        self,
        name: str,
        engine: AsyncEngine | None,
        *,
        linger: float = 0.0,
        max_tenure: float = 0.0,
    ) -> None:
        self.name = name
        self._local = asyncio.Lock()
        # An engine without a pool: the connection is kept here, not in a pool.
        self._engine = engine
        self._key = advisory_key(name)
        self._connection: AsyncConnection | None = None
        self._linger = linger if engine is not None else 0.0
        self._max_tenure = max_tenure
        self._channel = f"dnsmate_lock_{self._key & 0xFFFF_FFFF_FFFF_FFFF:016x}"
        # The asyncpg connection under ``_connection`` (lease locks only): its listener
        # and whether it is still open.
        self._driver: Any = None
        # The advisory lock is ours (in use or lingering), since ``_held_since``.
        self._held = False
        self._held_since = 0.0
        # When another process last announced that it waits for this lock.
        self._wanted_at = -math.inf
        # The end of the linger, and the task that unlocks (linger over, or asked for).
        self._timer: asyncio.TimerHandle | None = None
        self._closer: asyncio.Task[None] | None = None

    def locked(self) -> bool:
        """True while a task of this process holds the lock."""
        return self._local.locked()

    async def acquire(self, *, wait: bool = True) -> bool:
        """Take the lock; without ``wait``, False when someone else has it."""
        if not wait and self._local.locked():
            return False
        await self._local.acquire()
        # Whatever was to end the lease waits for this holder's release to decide anew.
        self._stop_linger()
        try:
            owned = await self._keep_lease() or await self._acquire_shared(wait)
        except BaseException:
            self._local.release()
            raise
        if not owned:
            self._local.release()
        return owned

    async def release(self) -> None:
        """Give the lock back (the caller holds it)."""
        try:
            if self._held and self._may_linger():
                delay = min(self._linger, self._held_since + self._max_tenure - time.monotonic())
                self._timer = asyncio.get_running_loop().call_later(delay, self._end_lease)
            else:
                await self._unlock()
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

    async def _keep_lease(self) -> bool:
        """True when the advisory lock is still ours from an earlier holder (no SQL)."""
        if not self._held:
            return False
        if self._driver is not None and not self._driver.is_closed():
            return True
        log.info("Lock %s: its database connection closed while leased", self.name)
        await self._discard()
        return False

    def _may_linger(self) -> bool:
        """Whether a release keeps the advisory lock (the lease goes on)."""
        held_for = time.monotonic() - self._held_since
        asked = self._wanted_at >= self._held_since - ANNOUNCE_GRACE
        return self._linger > 0 and held_for < self._max_tenure and not asked

    async def _acquire_shared(self, wait: bool) -> bool:
        if self._engine is None:
            return True
        for attempt in (1, 2):
            fresh = self._connection is None
            try:
                if self._connection is None:
                    self._connection = await self._connect()
                owned = await self._lock(self._connection, wait)
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
            if owned:
                self._held, self._held_since = True, time.monotonic()
            return owned
        raise AssertionError("unreachable")

    async def _lock(self, connection: AsyncConnection, wait: bool) -> bool:
        key = {"k": self._key}
        if wait and not self._linger:
            await connection.execute(text("SELECT pg_advisory_lock(:k)"), key)
            return True
        if await connection.scalar(text("SELECT pg_try_advisory_lock(:k)"), key):
            return True
        if not wait:
            return False
        # Taken: say so, so that a holder lingering on it lets go, then queue for it.
        await connection.execute(text("SELECT pg_notify(:c, '')"), {"c": self._channel})
        await connection.execute(text("SELECT pg_advisory_lock(:k)"), key)
        return True

    async def _connect(self) -> AsyncConnection:
        assert self._engine is not None
        connection = await self._engine.connect()
        if self._linger:
            try:
                raw = await connection.get_raw_connection()
                self._driver = raw.driver_connection
                await self._driver.add_listener(self._channel, self._on_notify)
            except BaseException:
                self._driver = None
                await connection.close()
                raise
        return connection

    def _on_notify(self, driver: Any, pid: int, _channel: str, _payload: str) -> None:
        if driver is not self._driver or pid == driver.get_server_pid():
            return  # an old connection's, or this lock's own announcement
        self._wanted_at = time.monotonic()
        if self._held and not self._local.locked():
            self._end_lease()  # lingering: let go now (when busy, the release does)

    def _end_lease(self) -> None:
        """Unlock for real once nobody holds the in-process lock (timer or notification)."""
        self._cancel_timer()  # asked for before the linger ran out: no second unlock
        if self._closer is None or self._closer.done():
            self._closer = asyncio.get_running_loop().create_task(self._close_idle_lease())

    async def _close_idle_lease(self) -> None:
        async with self._local:
            # No acquirer got here first (it would have cancelled this task): idle.
            await self._unlock()

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _stop_linger(self) -> None:
        self._cancel_timer()
        if self._closer is not None:
            self._closer.cancel()
            self._closer = None

    async def _unlock(self) -> None:
        """Give the advisory lock back (with the in-process lock held)."""
        if not self._held or self._connection is None:
            return
        self._held = False
        try:
            await self._connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self._key})
        except DBAPIError:
            # A dead session released its advisory locks as it ended.
            await self._discard()
        except BaseException:
            # Closing the session releases its advisory locks in any case.
            await self._discard()
            raise

    async def _discard(self) -> None:
        connection, self._connection = self._connection, None
        self._held, self._driver = False, None
        if connection is not None:
            with contextlib.suppress(Exception):
                await connection.invalidate()
            with contextlib.suppress(Exception):
                await connection.close()

    async def aclose(self) -> None:
        """Close the lock's connection (at shutdown, when nobody holds it).

        A lingering lease is unlocked first, so another process gets it at once rather than
        when PostgreSQL notices the session ended.
        """
        closer = self._closer
        self._stop_linger()
        if closer is not None:
            await asyncio.wait([closer])  # its unlock cancelled: its session is dropped
        if not self._local.locked():
            with contextlib.suppress(Exception):
                await self._unlock()
        await self._discard()


class Locks:
    """Every named lock of one app; on PostgreSQL each has a connection of its own."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        linger_seconds: float = 0.0,
        max_tenure_seconds: float = 1.0,
    ) -> None:
        self._engine: AsyncEngine | None = None
        if is_postgres(engine):
            self._engine = create_async_engine(
                engine.url, poolclass=NullPool, isolation_level="AUTOCOMMIT"
            )
        self._locks: dict[str, ProcessLock] = {}
        # The write locks' lease (``DNSMATE_WRITE_LOCK_LINGER_SECONDS``; 0: none).
        self._linger = linger_seconds
        self._max_tenure = max_tenure_seconds

    @property
    def spans_processes(self) -> bool:
        """True on PostgreSQL: the locks exclude other DNSMate processes too."""
        return self._engine is not None

    @property
    def engine(self) -> AsyncEngine | None:
        """The engine of the lock connections (None on SQLite)."""
        return self._engine

    def get(self, name: str, *, lease: bool = False) -> ProcessLock:
        """The lock called ``name`` (made on first use, then the same object).

        ``lease``: its advisory lock lingers after a release (the write locks' lease).
        """
        lock = self._locks.get(name)
        if lock is None:
            linger = self._linger if lease else 0.0
            lock = ProcessLock(name, self._engine, linger=linger, max_tenure=self._max_tenure)
            self._locks[name] = lock
        return lock

    def write_lock(self, server_key: str) -> ProcessLock:
        """The lock one PowerDNS server's writes take (``ClientPool``'s lock factory)."""
        return self.get(f"write:{server_key}", lease=True)

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

"""The write locks' lease on real PostgreSQL (services/sync/locks.py).

Two ``Locks`` on two engines stand for two DNSMate processes. A lease lingers for an hour
here, so every test that expects the other process to get in depends on the lease letting
go when asked (or at its tenure bound), never on the linger running out; the 30 s of
``asyncio.wait_for`` are a safety net that only a broken lease reaches. Who holds the
advisory lock is read from ``pg_locks``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine
from sqlalchemy.pool import NullPool

from dnsmate.services.sync.locks import Locks, ProcessLock, advisory_key
from tests.conftest import POSTGRES_URL

pytestmark = pytest.mark.skipif(
    not POSTGRES_URL, reason="PostgreSQL not available: DNSMATE_TEST_POSTGRES_URL is unset"
)

HOUR = 3600.0
SAFETY = 30.0
SERVER = "http://127.0.0.1:8081|localhost"


@asynccontextmanager
async def process(*, linger: float = HOUR, max_tenure: float = HOUR) -> AsyncIterator[Locks]:
    """The locks of one DNSMate process (an engine of its own)."""
    engine = create_async_engine(POSTGRES_URL, poolclass=NullPool)
    locks = Locks(engine, linger_seconds=linger, max_tenure_seconds=max_tenure)
    try:
        yield locks
    finally:
        await locks.aclose()
        await engine.dispose()


@pytest.fixture
async def observer() -> AsyncIterator[AsyncConnection]:
    """A connection outside every ``Locks`` to look at ``pg_locks`` (and to wait in one)."""
    engine = create_async_engine(POSTGRES_URL, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        yield connection
    await engine.dispose()


async def holders(observer: AsyncConnection, lock: ProcessLock) -> dict[int, bool]:
    """The sessions that hold (True) or wait for (False) ``lock``'s advisory lock."""
    key = advisory_key(lock.name) & 0xFFFF_FFFF_FFFF_FFFF
    rows = await observer.execute(
        text(
            "SELECT pid, granted FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 1"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            " AND classid::bigint = :high AND objid::bigint = :low"
        ),
        {"high": key >> 32, "low": key & 0xFFFF_FFFF},
    )
    return {pid: granted for pid, granted in rows}


async def until(condition: Callable[[], Awaitable[bool]], what: str) -> None:
    """Wait for ``condition`` (polled; a bound against a hang, not a timing)."""
    for _ in range(int(SAFETY / 0.01)):
        if await condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"never happened: {what}")


async def until_queued(observer: AsyncConnection, lock: ProcessLock) -> None:
    """Wait until a session waits for ``lock``'s advisory lock (another process queued)."""

    async def queued() -> bool:
        return False in (await holders(observer, lock)).values()

    await until(queued, "the other process queued")


async def lingering(observer: AsyncConnection, lock: ProcessLock) -> int:
    """The pid that holds ``lock``'s advisory lock although nobody holds ``lock`` now."""
    assert not lock.locked()
    held = [pid for pid, granted in (await holders(observer, lock)).items() if granted]
    assert len(held) == 1, "the advisory lock was given back at the release: no lease"
    return held[0]


@asynccontextmanager
async def a_lease(
    observer: AsyncConnection,
) -> AsyncIterator[tuple[Locks, ProcessLock, ProcessLock, int]]:
    """Two processes' write locks of one server, the first's lingering after one write:
    (its Locks, its lock, the other's lock, the pid holding the lease)."""
    async with process() as one, process() as two:
        mine, theirs = one.write_lock(SERVER), two.write_lock(SERVER)
        async with mine:
            pass
        yield one, mine, theirs, await lingering(observer, mine)


async def test_a_steady_writer_locks_postgresql_once(observer: AsyncConnection) -> None:
    async with process() as locks:
        lock = locks.write_lock(SERVER)
        assert locks.engine is not None
        statements: list[str] = []

        def count(_c: object, _cursor: object, sql: str, *_args: object) -> None:
            statements.append(sql)

        event.listen(locks.engine.sync_engine, "before_cursor_execute", count)
        try:
            for _ in range(20):
                async with lock:
                    pass
        finally:
            event.remove(locks.engine.sync_engine, "before_cursor_execute", count)

        assert statements == ["SELECT pg_try_advisory_lock($1)"]
        await lingering(observer, lock)


async def test_a_lingering_holder_lets_another_process_in_at_once(
    observer: AsyncConnection,
) -> None:
    async with a_lease(observer) as (_one, mine, theirs, first):
        # The other process announces itself; the idle holder lets go (not in an hour).
        await asyncio.wait_for(theirs.acquire(), SAFETY)
        await theirs.release()
        second = await lingering(observer, theirs)
        assert second != first

        # And back. (This lease does not linger: the other process asked a moment ago.)
        await asyncio.wait_for(mine.acquire(), SAFETY)
        await mine.release()


async def test_a_busy_holder_lets_go_at_its_release(observer: AsyncConnection) -> None:
    async with process() as one, process() as two:
        mine, theirs = one.write_lock(SERVER), two.write_lock(SERVER)
        await mine.acquire()
        waiting = asyncio.create_task(theirs.acquire())

        # It announced itself while this process was busy, and waits.
        await until_queued(observer, mine)
        await mine.release()

        assert await asyncio.wait_for(waiting, SAFETY)
        await theirs.release()


async def test_a_silent_waiter_gets_the_lock_after_the_tenure_of_a_steady_writer(
    observer: AsyncConnection,
) -> None:
    """A process that waits without announcing itself (an older DNSMate, a notification
    lost) still gets its turn: a steady writer lets go once its tenure is over."""
    async with process(max_tenure=0.2) as one:
        mine = one.write_lock(SERVER)
        async with mine:
            pass
        key = {"k": advisory_key(mine.name)}
        silent = asyncio.create_task(observer.execute(text("SELECT pg_advisory_lock(:k)"), key))

        async def writer() -> None:
            while not silent.done():
                async with mine:
                    await asyncio.sleep(0.01)

        writing = asyncio.create_task(writer())
        await asyncio.wait_for(silent, SAFETY)
        await observer.execute(text("SELECT pg_advisory_unlock(:k)"), key)
        await asyncio.wait_for(writing, SAFETY)


async def test_an_idle_lease_ends_at_its_tenure_for_a_silent_waiter(
    observer: AsyncConnection,
) -> None:
    async with process(max_tenure=0.2) as one:
        mine = one.write_lock(SERVER)
        async with mine:
            pass
        key = {"k": advisory_key(mine.name)}
        await asyncio.wait_for(observer.execute(text("SELECT pg_advisory_lock(:k)"), key), SAFETY)
        await observer.execute(text("SELECT pg_advisory_unlock(:k)"), key)


async def test_shutdown_gives_a_lingering_lease_back(observer: AsyncConnection) -> None:
    async with a_lease(observer) as (one, _mine, theirs, _pid):
        await one.aclose()

        assert await theirs.acquire(wait=False)  # at once, without asking
        await theirs.release()


async def test_a_lease_whose_connection_was_killed_is_not_used(
    observer: AsyncConnection,
) -> None:
    async with a_lease(observer) as (_one, mine, theirs, pid):
        await observer.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
        await asyncio.wait_for(theirs.acquire(), SAFETY)  # the dead session's lock is free

        async def refused() -> bool:
            # Until this process sees its lock connection closed, the lease looks alive.
            if not await mine.acquire(wait=False):
                return True
            await mine.release()
            return False

        await until(refused, "the dead lease refused")
        await theirs.release()
        await asyncio.wait_for(mine.acquire(), SAFETY)  # a new connection takes it
        await mine.release()


async def test_a_waiter_cancelled_in_pg_advisory_lock_can_ask_again(
    observer: AsyncConnection,
) -> None:
    async with process() as one, process() as two:
        mine, theirs = one.write_lock(SERVER), two.write_lock(SERVER)
        await mine.acquire()
        waiting = asyncio.create_task(theirs.acquire())

        await until_queued(observer, mine)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        await mine.release()

        assert await asyncio.wait_for(theirs.acquire(), SAFETY)
        await theirs.release()


async def test_replay_and_exclusive_locks_do_not_linger(observer: AsyncConnection) -> None:
    async with process() as one, process() as two:
        replay = one.get("replay:1")
        async with replay:
            pass
        assert await holders(observer, replay) == {}
        assert await two.get("replay:1").acquire(wait=False)
        await two.get("replay:1").release()

        async with one.exclusive("drift-check") as owned:
            assert owned
        async with two.exclusive("drift-check") as owned:
            assert owned

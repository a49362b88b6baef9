"""Per-server locks that also hold across DNSMate processes when the database is PostgreSQL.

PowerDNS with gsqlite3 fails concurrent writes, so one write at a time per server; with
several DNSMate processes on one PostgreSQL database, a session-level advisory lock keyed by
the server's address extends the in-process ``asyncio.Lock`` to every process. SQLite has no
such lock: one DNSMate process is the supported limit there.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from types import TracebackType
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine


def advisory_key(name: str) -> int:
    """A stable signed 64-bit key for ``pg_advisory_lock`` derived from ``name``."""
    digest = hashlib.sha256(name.encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def is_postgres(engine: AsyncEngine) -> bool:
    return engine.dialect.name == "postgresql"


class AdvisoryWriteLock:
    """An asyncio.Lock plus ``pg_advisory_lock``: one holder across all processes."""

    def __init__(self, engine: AsyncEngine, name: str) -> None:
        self._local = asyncio.Lock()
        self._engine = engine
        self._key = advisory_key(f"write:{name}")
        self._connection: AsyncConnection | None = None

    async def __aenter__(self) -> None:
        await self._local.acquire()
        try:
            connection = await self._engine.connect()
            try:
                await connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": self._key})
            except BaseException:
                await connection.close()
                raise
        except BaseException:
            self._local.release()
            raise
        self._connection = connection

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        connection, self._connection = self._connection, None
        try:
            if connection is not None:
                try:
                    await connection.execute(
                        text("SELECT pg_advisory_unlock(:k)"), {"k": self._key}
                    )
                finally:
                    # Closing returns the connection; a dead one takes its lock with it.
                    await connection.close()
        finally:
            self._local.release()


def write_lock_factory(engine: AsyncEngine) -> Any:
    """The ClientPool lock factory for this database (None: plain asyncio locks)."""
    if not is_postgres(engine):
        return None

    def make(name: str) -> AbstractAsyncContextManager[Any]:
        return AdvisoryWriteLock(engine, name)

    return make


@asynccontextmanager
async def exclusive(engine: AsyncEngine, name: str, *, wait: bool = False) -> AsyncIterator[bool]:
    """Own ``name`` across processes; yields False when another process owns it.

    With ``wait`` it waits for the other owner instead (and always yields True). On SQLite
    (one process) it always yields True; in-process exclusion is the caller's.
    """
    if not is_postgres(engine):
        yield True
        return
    key = advisory_key(f"own:{name}")
    async with engine.connect() as connection:
        if wait:
            await connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": key})
            owned = True
        else:
            owned = bool(
                await connection.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": key})
            )
        try:
            yield owned
        finally:
            if owned:
                await connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})

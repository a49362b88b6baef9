"""One runner per background task across DNSMate processes: leadership by advisory lock.

A periodic task (health probes and queue replay, the drift check, version retention) that
every process runs on its own timer would run once per process per interval: three
processes probe each server three times as often, and a dead server's breaker opens after
a third of the configured failures. ``exclusive`` (locks.py) keeps two rounds from
overlapping but not from following each other. A :class:`Leadership` instead holds a
session-level ``pg_advisory_lock`` on its own connection for as long as the process lives:
the holder runs the task, the others skip their rounds. When the leader dies (SIGKILL
included) PostgreSQL ends its session and frees the lock, and the next process to try takes
it; when PostgreSQL restarts, every session ends and the first process back leads.

With SQLite (one process) every process leads.
"""

from __future__ import annotations

import contextlib
import logging

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from dnsmate.services.sync.locks import advisory_key, is_postgres

log = logging.getLogger(__name__)


class Leadership:
    """Whether this process runs the task ``name``; ``held()`` before each round."""

    def __init__(self, engine: AsyncEngine, name: str) -> None:
        # Its own connection, outside the app's pool: held for hours, it must not take one
        # of the pool's few connections away from requests.
        self._postgres = is_postgres(engine)
        self._engine = (
            create_async_engine(engine.url, poolclass=NullPool) if self._postgres else engine
        )
        self.name = name
        self._key = advisory_key(f"lead:{name}")
        self._connection: AsyncConnection | None = None

    async def held(self) -> bool:
        """True when this process leads: it keeps the lock, or takes it if it is free."""
        if not self._postgres:
            return True
        if self._connection is not None:
            try:
                await self._connection.execute(text("SELECT 1"))
                return True
            except (DBAPIError, OSError):  # session gone (database restarted): lock gone too
                log.warning("lost the lead of %s: its database session ended", self.name)
                await self._drop()
        connection = await self._engine.connect()
        try:
            connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
            owned = await connection.scalar(
                text("SELECT pg_try_advisory_lock(:k)"), {"k": self._key}
            )
        except BaseException:
            await connection.close()
            raise
        if not owned:
            await connection.close()
            return False
        log.info("this process now runs %s", self.name)
        self._connection = connection
        return True

    async def release(self) -> None:
        """Give the lead up (shutdown): another process takes it at its next round."""
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                await connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self._key})
            except (SQLAlchemyError, OSError):
                # The session is gone (the lock with it), or a round cancelled in the middle
                # of a statement left the connection unusable ("invalid transaction"):
                # ending the session gives the lock up.
                with contextlib.suppress(SQLAlchemyError, OSError):
                    await connection.invalidate()
            finally:
                await connection.close()
        if self._postgres:
            await self._engine.dispose()

    async def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(DBAPIError, OSError):
                await connection.invalidate()

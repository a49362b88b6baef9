"""What in-memory caches hold, and how they learn that it changed (in every process).

Writes consult the servers' settings, breakers and retry backlog, and every request its
caller; reading them from the database each time costs most of a write's statements. They
are held in memory (``Memo``) and dropped whenever a transaction that changed the tables
behind them commits:

- in this process, a ``TrackedSession`` notices the change (any ORM flush or bulk statement
  on a watched table) and, after the commit, tells the app's ``Invalidator``;
- on PostgreSQL the same transaction sends ``NOTIFY dnsmate_changed, '<topic>'``, delivered
  at its commit to every DNSMate process (and to command-line changes' listeners), whose
  ``Invalidator`` listens on a connection of its own. While that connection is down (a
  PostgreSQL restart) nothing is served from memory; after it reconnects everything is
  dropped once, since notifications sent meanwhile were lost.

Every entry also expires after its time to live, the bound for anything that changes
without a notification (a breaker's cool-down ends by the clock, and that is computed on
use; a row edited by hand in the database).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Generic, TypeVar

from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction
from sqlalchemy.pool import NullPool

log = logging.getLogger(__name__)

CHANNEL = "dnsmate_changed"
SERVERS = "servers"  # server settings, circuit breakers, the retry queue's backlog
AUTH = "auth"  # users and API tokens
WEBHOOKS = "webhooks"  # webhook endpoints and their subscriptions
RECORD_DEFAULTS = "record_defaults"  # Settings > Record defaults (automatic PTR upkeep)

# Table -> the topic whose caches it feeds.
WATCHED = {
    "powerdns_settings": SERVERS,
    "server_breakers": SERVERS,
    "sync_queue": SERVERS,
    "users": AUTH,
    "api_tokens": AUTH,
    "webhooks": WEBHOOKS,
    "record_settings": RECORD_DEFAULTS,
}
_INVALIDATOR = "dnsmate.invalidator"
_PENDING = "dnsmate.changed"  # topics changed by the open transaction
_NOTIFIED = "dnsmate.notified"  # of those, the ones already sent with NOTIFY

T = TypeVar("T")


class Invalidator:
    """One app's invalidation: callbacks per topic, and the PostgreSQL listener."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._callbacks: dict[str, list[Callable[[], None]]] = {}
        self._postgres = engine.dialect.name == "postgresql"
        self._url = engine.url
        self._task: asyncio.Task[None] | None = None
        # SQLite: one process, every change is seen here. PostgreSQL: once listening.
        self.live = not self._postgres

    def subscribe(self, topic: str, callback: Callable[[], None]) -> None:
        """Call ``callback`` whenever ``topic`` changed (here or, on PostgreSQL, anywhere)."""
        self._callbacks.setdefault(topic, []).append(callback)

    def changed(self, topics: Iterable[str]) -> None:
        """``topics`` changed: drop what the caches of those topics hold."""
        for topic in set(topics):
            for callback in self._callbacks.get(topic, []):
                callback()

    def _everything_changed(self) -> None:
        self.changed(self._callbacks)

    def start(self) -> None:
        """Listen for other processes' changes (PostgreSQL; call from the app's lifespan)."""
        if self._postgres and self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._listen())

    async def _listen(self) -> None:
        engine = create_async_engine(self._url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
        try:
            while True:
                try:
                    await self._listen_once(engine)
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    log.warning("Cache invalidation listener lost its connection: %s", exc)
                self.live = False
                self._everything_changed()
                await asyncio.sleep(1)
        finally:
            self.live = False
            await engine.dispose()

    async def _listen_once(self, engine: AsyncEngine) -> None:
        async with engine.connect() as connection:
            raw = (await connection.get_raw_connection()).driver_connection
            assert raw is not None
            lost = asyncio.Event()

            def notified(_conn: object, _pid: int, _channel: str, payload: str) -> None:
                self.changed([payload])

            raw.add_termination_listener(lambda _conn: lost.set())
            await raw.add_listener(CHANNEL, notified)
            # Changes made before the listener was in place were not heard: forget all.
            self._everything_changed()
            self.live = True
            while not lost.is_set():
                # A dead peer is not always noticed without traffic: ask now and then.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(lost.wait(), timeout=5)
                if not lost.is_set():
                    await asyncio.wait_for(raw.fetchval("SELECT 1"), timeout=5)

    async def aclose(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None


class Memo(Generic[T]):
    """One cached value (or one per key) with a time to live, dropped on invalidation.

    A value loaded while an invalidation happened is returned but not kept: it may have
    been read before the change committed.
    """

    def __init__(self, invalidator: Invalidator, topic: str, *, ttl_seconds: float) -> None:
        self._invalidator = invalidator
        self._ttl = ttl_seconds
        self._values: dict[object, tuple[float, T]] = {}
        self._generation = 0
        invalidator.subscribe(topic, self.clear)

    def clear(self) -> None:
        """Forget every value."""
        self._generation += 1
        self._values.clear()

    def get(self, key: object = None) -> T | None:
        """The value for ``key`` if it is still good."""
        if not self._invalidator.live or self._ttl <= 0:
            return None
        found = self._values.get(key)
        if found is None:
            return None
        if found[0] <= time.monotonic():
            del self._values[key]
            return None
        return found[1]

    async def get_or_load(
        self, load: Callable[[], Awaitable[T]], key: object = None, *, ttl: float | None = None
    ) -> T:
        """The value for ``key``, loaded with ``load`` when not held."""
        held = self.get(key)
        if held is not None:
            return held
        generation = self._generation
        value = await load()
        self.put(key, value, generation=generation, ttl=ttl)
        return value

    @property
    def generation(self) -> int:
        """Changes with every invalidation (pass it back to ``put``)."""
        return self._generation

    def put(self, key: object, value: T, *, generation: int, ttl: float | None = None) -> None:
        """Keep ``value`` unless an invalidation happened since ``generation`` was read."""
        lifetime = self._ttl if ttl is None else min(ttl, self._ttl)
        if generation == self._generation and lifetime > 0:
            self._values[key] = (time.monotonic() + lifetime, value)


class TrackedSession(Session):
    """A Session that reports committed changes of watched tables (see the module doc)."""


def session_info(invalidator: Invalidator | None) -> dict[str, Any]:
    """The ``info`` a session factory gives its sessions so that they report to the app."""
    return {} if invalidator is None else {_INVALIDATOR: invalidator}


def _mark(session: Session, tables: Iterable[str]) -> None:
    topics = {WATCHED[t] for t in tables if t in WATCHED}
    if not topics:
        return
    session.info.setdefault(_PENDING, set()).update(topics)
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return
    sent: set[str] = session.info.setdefault(_NOTIFIED, set())
    for topic in sorted(topics - sent):
        # Delivered when (and only if) this transaction commits.
        session.connection().execute(
            text("SELECT pg_notify(:channel, :topic)"), {"channel": CHANNEL, "topic": topic}
        )
        sent.add(topic)


@event.listens_for(TrackedSession, "after_flush")
def _after_flush(session: Session, _flush: UOWTransaction) -> None:
    changed = [*session.new, *session.dirty, *session.deleted]
    tables = {getattr(type(obj), "__tablename__", "") for obj in changed}
    _mark(session, tables)


@event.listens_for(TrackedSession, "do_orm_execute")
def _bulk_statement(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    if name in WATCHED:
        _mark(state.session, [name])


@event.listens_for(TrackedSession, "after_commit")
def _after_commit(session: Session) -> None:
    session.info.pop(_NOTIFIED, None)
    topics = session.info.pop(_PENDING, None)
    invalidator = session.info.get(_INVALIDATOR)
    if topics and isinstance(invalidator, Invalidator):
        invalidator.changed(topics)


@event.listens_for(TrackedSession, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_NOTIFIED, None)
    session.info.pop(_PENDING, None)

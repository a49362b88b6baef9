"""Database engine, sessions and the declarative base shared by every table."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import AsyncIterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from dnsmate.services.invalidation import Invalidator, TrackedSession, session_info

# Named constraints keep Alembic migrations portable between SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


def secure_sqlite_file(database_url: str) -> Path | None:
    """Make a SQLite database private before SQLite opens it: the file (and its -wal and
    -shm files, which SQLite creates with the database's mode) 0600, a new directory 0700.
    Answers the file's path (None for an in-memory or URI database).

    The database holds password hashes and the encrypted PowerDNS keys.
    """
    path = database_url.split(":///", 1)[-1].split("?", 1)[0]
    if not path or path == ":memory:" or path.startswith("file:"):
        return None
    database = Path(path)
    if not database.parent.exists():
        database.parent.mkdir(parents=True, mode=0o700)
    database.touch(mode=0o600, exist_ok=True)
    for file in (database, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if file.exists():
            file.chmod(0o600)
    return database


def use_wal(database: Path) -> None:
    """Switch the database file to write-ahead logging (a lasting property of the file), so
    that readers never wait for a writer.

    Done once, before the engine's first connection: switching needs the file to itself,
    and SQLite answers "database is locked" at once (without waiting its busy timeout) to
    one of two connections switching together, as two processes starting on a new file do.
    """
    for attempt in range(100):
        try:
            with closing(sqlite3.connect(database, timeout=30)) as connection:
                connection.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or attempt == 99:
                raise
            time.sleep(0.05)


def make_engine(
    database_url: str, *, pool_size: int = 5, max_overflow: int = 10, reset_on_return: bool = True
) -> AsyncEngine:
    """Create the async engine; SQLite gets WAL (see ``use_wal``) and a busy timeout for
    concurrent requests.

    ``reset_on_return=False``: a connection going back to the pool is not rolled back
    again, for an engine whose every session ends its transaction itself (a commit, or the
    rollback ``Session.close`` does of one still open). After a commit that rollback does
    nothing but, on SQLite, costs a hand-off to aiosqlite's thread and back.
    """
    pool: dict[str, Any] = {"pool_size": pool_size, "max_overflow": max_overflow}
    if not reset_on_return:
        pool["pool_reset_on_return"] = None
    if database_url.startswith("sqlite"):
        database = secure_sqlite_file(database_url)
        if database is not None:
            use_wal(database)
        engine = create_async_engine(database_url, connect_args={"timeout": 30}, **pool)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(database_url, pool_pre_ping=True, **pool)


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def dialect_insert(dialect: str, table: Any) -> postgresql.Insert | sqlite.Insert:
    """An INSERT with the dialect's ``ON CONFLICT`` support (PostgreSQL or SQLite)."""
    if dialect == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def make_session_factory(
    engine: AsyncEngine, *, invalidator: Invalidator | None = None
) -> async_sessionmaker[AsyncSession]:
    """Sessions that report committed changes of cached tables (to ``invalidator``, and on
    PostgreSQL to every process: see ``dnsmate.services.invalidation``)."""
    return async_sessionmaker(
        engine,
        expire_on_commit=False,
        sync_session_class=TrackedSession,
        info=session_info(invalidator),
    )


async def session_scope(factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    async with factory() as session:
        yield session


__all__ = [
    "Base",
    "Engine",
    "TimestampMixin",
    "as_utc",
    "dialect_insert",
    "make_engine",
    "make_session_factory",
    "utcnow",
]


def as_utc(moment: datetime) -> datetime:
    """``moment`` as an aware UTC datetime (SQLite hands back naive ones)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)

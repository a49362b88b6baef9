"""One PostgreSQL database per test run, so that two suites on one machine never collide.

``DNSMATE_TEST_POSTGRES_URL`` names the base database: it gives the connection (host, role,
password) and is the database the maintenance statements run in. Each run creates
``<base>_run_<UTC yyyymmddHHMMSS>_<pid>`` beside it, uses that for every PostgreSQL test
(including the DNSMate processes the tests start), and drops it at the end. A run that was
killed cannot drop its database; the next run drops those of the same base that are more
than a day old (no suite runs that long). The role needs CREATEDB (scripts/setup.sh grants
it).
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

STALE_AFTER = timedelta(days=1)
_STAMP = "%Y%m%d%H%M%S"
# PostgreSQL truncates identifiers at 63 bytes: leave room for "_run_", stamp and pid.
_MAX_BASE = 30


class DatabaseSetupError(RuntimeError):
    """The per-run database could not be created (typically: the role lacks CREATEDB)."""


def run_database_name(base_url: str, *, now: datetime, pid: int | None = None) -> str:
    """The per-run database name for the base database of ``base_url``, created at ``now``."""
    base = _base_name(base_url)
    return f"{base}_run_{now.astimezone(UTC).strftime(_STAMP)}_{pid or os.getpid()}"


def with_database(url: str, database: str) -> str:
    """``url`` pointing at ``database`` instead (password kept)."""
    return make_url(url).set(database=database).render_as_string(hide_password=False)


def create_run_database(base_url: str, database: str, *, now: datetime) -> list[str]:
    """Drop this base's databases left by killed runs, then create ``database``.

    Returns the names of the stale databases dropped.
    """
    return asyncio.run(_create(base_url, database, now))


def drop_database(base_url: str, database: str) -> None:
    """Drop ``database``, ending any connection still open to it (a child process's)."""
    asyncio.run(_drop(base_url, database))


def stale_databases(base_url: str, names: list[str], *, now: datetime) -> list[str]:
    """The per-run databases of ``base_url``'s base among ``names`` older than STALE_AFTER."""
    pattern = re.compile(re.escape(_base_name(base_url)) + r"_run_(\d{14})_\d+")
    stale = []
    for name in names:
        match = pattern.fullmatch(name)
        if match is None:
            continue
        created = datetime.strptime(match.group(1), _STAMP).replace(tzinfo=UTC)
        if now - created > STALE_AFTER:
            stale.append(name)
    return stale


def _base_name(base_url: str) -> str:
    database = make_url(base_url).database
    if not database:
        raise DatabaseSetupError(f"no database name in DNSMATE_TEST_POSTGRES_URL {base_url!r}")
    return re.sub(r"[^a-z0-9_]", "_", database.lower())[:_MAX_BASE]


async def _create(base_url: str, database: str, now: datetime) -> list[str]:
    try:
        async with _maintenance(base_url) as connection:
            names = list(await connection.scalars(text("SELECT datname FROM pg_database")))
            stale = stale_databases(base_url, names, now=now)
            for name in stale:
                await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            await connection.execute(text(f'CREATE DATABASE "{database}"'))
            return stale
    except Exception as exc:
        raise DatabaseSetupError(
            f"cannot create the test database {database}: {exc}. The role needs CREATEDB: "
            "run `scripts/setup.sh --with-postgres` as root, or "
            "`runuser -u postgres -- psql -c 'ALTER ROLE dnsmate CREATEDB'`"
        ) from exc


async def _drop(base_url: str, database: str) -> None:
    async with _maintenance(base_url) as connection:
        await connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))


@asynccontextmanager
async def _maintenance(base_url: str) -> AsyncIterator[AsyncConnection]:
    """A connection to the base database outside any transaction (CREATE/DROP DATABASE)."""
    engine = create_async_engine(base_url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            yield connection
    finally:
        await engine.dispose()

"""Each test run has its own PostgreSQL database, and the next run drops those left behind
by killed runs (tests/pgdatabase.py)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from dnsmate.db import make_engine
from tests.conftest import POSTGRES_BASE_URL, POSTGRES_DATABASE, POSTGRES_URL
from tests.pgdatabase import (
    create_run_database,
    drop_database,
    run_database_name,
    stale_databases,
)

BASE = "postgresql+asyncpg://u:p@127.0.0.1:5432/dnsmate_x"
NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)

needs_postgres = pytest.mark.skipif(
    not POSTGRES_URL, reason="PostgreSQL not available: DNSMATE_TEST_POSTGRES_URL is unset"
)


def test_only_this_bases_runs_older_than_a_day_are_stale() -> None:
    names = [
        "dnsmate_x",
        "dnsmate_x_run_20261203115959_17",  # a day and a second old
        "dnsmate_x_run_20261203120001_18",  # just under a day
        "dnsmate_xy_run_20261101000000_19",  # another base's run
        "other_run_20261101000000_20",
        "dnsmate_x_run_2026120_21",
    ]
    assert stale_databases(BASE, names, now=NOW) == ["dnsmate_x_run_20261203115959_17"]
    assert run_database_name(BASE, now=NOW, pid=42) == "dnsmate_x_run_20261204120000_42"


@needs_postgres
async def test_this_run_works_in_its_own_database() -> None:
    assert make_url(POSTGRES_URL).database == POSTGRES_DATABASE
    assert make_url(POSTGRES_BASE_URL).database != POSTGRES_DATABASE
    assert POSTGRES_DATABASE in await _databases()


@needs_postgres
def test_a_new_run_drops_databases_left_by_killed_runs_of_its_base() -> None:
    now = datetime.now(UTC)
    old = run_database_name(POSTGRES_BASE_URL, now=now - timedelta(days=2), pid=1)
    recent = run_database_name(POSTGRES_BASE_URL, now=now - timedelta(hours=1), pid=2)
    new = run_database_name(POSTGRES_BASE_URL, now=now, pid=3)
    try:
        # Leftovers of two killed runs (the recent one first: it would drop the old one).
        create_run_database(POSTGRES_BASE_URL, recent, now=now - timedelta(hours=1))
        create_run_database(POSTGRES_BASE_URL, old, now=now - timedelta(days=2))

        assert create_run_database(POSTGRES_BASE_URL, new, now=now) == [old]

        names = asyncio.run(_databases())
        assert (old in names, recent in names, new in names) == (False, True, True)
        assert POSTGRES_DATABASE in names
    finally:
        for name in (old, recent, new):
            drop_database(POSTGRES_BASE_URL, name)
    assert not {old, recent, new} & asyncio.run(_databases())


async def _databases() -> set[str]:
    engine = make_engine(POSTGRES_BASE_URL)
    try:
        async with engine.connect() as connection:
            return set(await connection.scalars(text("SELECT datname FROM pg_database")))
    finally:
        await engine.dispose()

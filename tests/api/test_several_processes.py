"""Several DNSMate processes on one database: the races between them, made on purpose.

Each process runs the migrations and creates the configured first admin at start-up, and
every process updates the shared circuit breakers; the loser of a race must wait or step
aside, never crash or lose a count. (The full scenario: tests/integration/
test_chaos_processes.py.)
"""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from dnsmate.db import make_engine, make_session_factory, use_wal
from dnsmate.migrations import downgrade
from dnsmate.models import ServerBreaker, User
from dnsmate.services.access.users import bootstrap_admin
from dnsmate.services.sync.health import BreakerPolicy, Outcome, record_outcomes
from tests.api.test_migrations import HEAD
from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, POSTGRES_URL, ApiFactory

MIGRATE = "import sys; from dnsmate.migrations import upgrade; upgrade(sys.argv[1])"


@pytest.mark.skipif(
    not POSTGRES_URL, reason="PostgreSQL not available: DNSMATE_TEST_POSTGRES_URL is unset"
)
def test_three_processes_migrating_an_empty_postgres_database_at_once_all_succeed() -> None:
    downgrade(POSTGRES_URL, "base")
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", MIGRATE, POSTGRES_URL],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        for _ in range(3)
    ]
    outputs = [run.communicate(timeout=120)[0].decode(errors="replace") for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], "\n".join(outputs)
    assert asyncio.run(_heads(POSTGRES_URL)) == {HEAD}


def test_two_processes_opening_a_new_sqlite_file_at_once_both_switch_it_to_wal(
    tmp_path: Path,
) -> None:
    # SQLite refuses one of two simultaneous switches at once ("database is locked", no
    # busy wait); a quarter of the rounds here hit that without use_wal's retry.
    with ThreadPoolExecutor(2) as pool:
        for round_ in range(20):
            database = tmp_path / f"round-{round_}.sqlite3"
            database.touch()
            start = threading.Barrier(2)
            both = [pool.submit(_use_wal_after, start, database) for _ in range(2)]
            for opened in both:
                opened.result()  # raises what use_wal raised
            with closing(sqlite3.connect(database)) as connection:
                assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def _use_wal_after(start: threading.Barrier, database: Path) -> None:
    start.wait()
    use_wal(database)


async def _heads(database_url: str) -> set[str]:
    engine = make_engine(database_url)
    try:
        async with engine.connect() as connection:
            return set(await connection.scalars(text("SELECT version_num FROM alembic_version")))
    finally:
        await engine.dispose()


async def test_two_processes_bootstrapping_the_admin_at_once_create_one(database_url: str) -> None:
    engines = [make_engine(database_url) for _ in range(2)]
    try:
        sessions = [make_session_factory(engine)() for engine in engines]
        created = await asyncio.gather(
            *(
                bootstrap_admin(session=session, email=ADMIN_EMAIL, password=ADMIN_PASSWORD)
                for session in sessions
            )
        )
        for session in sessions:
            await session.close()
        async with make_session_factory(engines[0])() as session:
            users = await session.scalar(select(func.count()).select_from(User))
    finally:
        for engine in engines:
            await engine.dispose()
    assert users == 1
    assert sum(user is not None for user in created) == 1


async def test_two_processes_counting_failures_of_one_server_at_once_lose_no_count(
    api_factory: ApiFactory, database_url: str
) -> None:
    api = await api_factory(database_url, sync_worker=False)
    server = await api.client.post(
        "/api/settings/powerdns",
        json={"name": "Primary PowerDNS", "api_url": "http://127.0.0.1:1", "api_key": "k"},
    )
    assert server.status_code == 201, server.text
    server_id = server.json()["id"]
    policy = BreakerPolicy(threshold=4, cooldown_seconds=30)
    engines = [make_engine(database_url) for _ in range(2)]
    try:
        for _ in range(2):  # first without a breaker row (both create it), then with one
            sessions = [make_session_factory(engine)() for engine in engines]
            for session in sessions:  # connected already, so both calls interleave
                await session.execute(text("SELECT 1"))
            await asyncio.gather(
                *(
                    record_outcomes(
                        session=session,
                        outcomes=[Outcome(server_id, False, "unreachable")],
                        policy=policy,
                    )
                    for session in sessions
                )
            )
            for session in sessions:
                await session.close()
        async with make_session_factory(engines[0])() as session:
            breaker = await session.get(ServerBreaker, server_id)
    finally:
        for engine in engines:
            await engine.dispose()
    assert breaker is not None
    assert (breaker.failures, breaker.state) == (4, "open")
    breakers = (await api.client.get("/api/sync/servers")).json()
    assert [(b["name"], b["state"], b["failures"]) for b in breakers] == [
        ("Primary PowerDNS", "open", 4)
    ]

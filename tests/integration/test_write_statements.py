"""A steady-state record write issues at most three SQL statements, in one transaction.

Counted with SQLAlchemy's engine events on the app's request engine, on the record step's
own engine and, on PostgreSQL, on the engine of the lock connections (a count, not a
timing): the caller, the servers, their breakers and backlog come from memory once known,
the servers' write locks are leased (no lock or unlock per write), and the write's record
step (version, audit, queue) commits once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import Api, ApiFactory
from tests.integration.conftest import register_servers, unique_zone, write_engines
from tests.integration.dnsutil import dns_query
from tests.integration.test_record_group import assert_chained, versions_of

NS = ["ns1.example.net.", "ns2.example.net."]


@dataclass
class Counted:
    statements: list[str] = field(default_factory=list)
    commits: int = 0
    # DBAPI rollbacks, the pool's reset of a returned connection included (on SQLite each is
    # a hand-off to aiosqlite's thread and back).
    rollbacks: int = 0


@contextmanager
def counting(api: Api) -> Iterator[Counted]:
    """Count the statements, commits and rollbacks of the app's engines while inside."""
    engines = write_engines(api)
    if api.context.sync.locks.engine is not None:
        engines.append(api.context.sync.locks.engine)
    counted = Counted()

    def statement(_conn: object, _cursor: object, sql: str, *_args: object) -> None:
        counted.statements.append(" ".join(sql.split())[:120])

    def commit(_conn: object) -> None:
        counted.commits += 1

    def counting_rollback(do_rollback: Callable[[Any], None]) -> Callable[[Any], None]:
        def rollback(dbapi_connection: Any) -> None:
            counted.rollbacks += 1
            do_rollback(dbapi_connection)

        return rollback

    for engine in engines:
        event.listen(engine.sync_engine, "before_cursor_execute", statement)
        event.listen(engine.sync_engine, "commit", commit)
        dialect = engine.sync_engine.dialect
        dialect.do_rollback = counting_rollback(dialect.do_rollback)  # type: ignore[method-assign]
    try:
        yield counted
    finally:
        for engine in engines:
            event.remove(engine.sync_engine, "before_cursor_execute", statement)
            event.remove(engine.sync_engine, "commit", commit)
            del engine.sync_engine.dialect.do_rollback


async def test_a_steady_state_record_write_issues_three_statements_in_one_transaction(
    api_factory: ApiFactory, database_url: str, pdns_servers: list[LocalPowerDNS]
) -> None:
    # The write locks' lease neither runs out nor reaches its tenure during the test.
    api = await api_factory(
        database_url,
        server_cache_seconds=600,
        auth_cache_seconds=600,
        write_lock_linger_seconds=600,
        write_lock_max_tenure_seconds=600,
    )
    await register_servers(api.client, pdns_servers, (True, True, True))
    zone = unique_zone("sql")
    created = await api.client.post("/api/zones", json={"name": zone, "nameservers": NS})
    assert created.status_code == 201, created.text

    async def write(name: str) -> None:
        response = await api.client.post(
            f"/api/records/{zone}",
            json={"name": name, "type": "A", "content": "192.0.2.7", "ttl": 300},
        )
        assert response.status_code == 201, response.text

    # Warm up until the servers are held in memory (on PostgreSQL, once this process
    # listens for other processes' changes).
    for attempt in range(100):
        await write(f"warm{attempt}")
        if api.context.pool.state is not None and api.context.pool.state.held() is not None:
            break
        await asyncio.sleep(0.1)

    with counting(api) as counted:
        await write("steady")

    assert len(counted.statements) <= 3, counted.statements
    assert counted.commits == 1, counted.statements
    # The record step's connection goes back to its pool as its commit left it.
    assert counted.rollbacks == 0, counted.statements
    if database_url.startswith("sqlite"):
        # One process: the zone's newest version is remembered from its commit, not read.
        reads = [s for s in counted.statements if s.startswith("SELECT") and "zone_versions" in s]
        assert reads == [], counted.statements
    assert_chained(await versions_of(api, zone))  # each version built on the one before
    for server in pdns_servers:
        assert dns_query(server, f"steady.{zone}.", "A") == ["192.0.2.7"]

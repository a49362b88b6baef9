"""SQL statements per steady-state record write, counted in an in-process DNSMate app.

A ``before_cursor_execute`` listener on every engine counts what the database is asked
while ``n`` single-record creates run one after another (after warm-up writes, so the
zone's first version and the first connection are not counted), including the background
work each write starts. ``commit`` events are counted beside them.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from fanout import EMAIL, PASSWORD
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import create_async_engine
from write_load import DNSMate

from dnsmate.config import Settings
from dnsmate.dev.pdns_local import LocalPowerDNS
from dnsmate.main import create_app
from dnsmate.migrations import upgrade

WARM_UP = 5
SETTLE_SECONDS = 0.05


@dataclass
class SqlCount:
    """Statements and commits per write, by kind, and the statements of the last write."""

    writes: int
    statements: int = 0
    commits: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    last_write: list[str] = field(default_factory=list)

    @property
    def per_write(self) -> float:
        return self.statements / self.writes

    def describe(self) -> str:
        kinds = ", ".join(f"{k} {v / self.writes:.1f}" for k, v in self.kinds.most_common())
        return (f"{self.per_write:.1f} statements and {self.commits / self.writes:.1f} commits "
                f"per write ({kinds})")  # fmt: skip


async def reset_postgres(url: str) -> None:
    """Empty the PostgreSQL database at ``url`` (drops and recreates its public schema)."""
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.exec_driver_sql("DROP SCHEMA public CASCADE")
        await connection.exec_driver_sql("CREATE SCHEMA public")
    await engine.dispose()


async def count_statements(url: str, data_dir: Path, server: LocalPowerDNS, n: int) -> SqlCount:
    """Count what ``n`` single-record creates (one target: ``server``) ask the database."""
    await asyncio.to_thread(upgrade, url)  # Alembic runs its own event loop
    settings = Settings(
        data_dir=data_dir, database_url=url, secret_key="b" * 48,  # type: ignore[arg-type]
        admin_email=EMAIL, admin_password=PASSWORD,  # type: ignore[arg-type]
        sync_worker=False, stats_flush_seconds=0, drift_check_interval_seconds=0,
    )  # fmt: skip
    app = create_app(settings)
    result = SqlCount(writes=n)
    current: list[str] = []

    def on_statement(_c: Any, _cur: Any, statement: str, *_args: Any) -> None:
        result.statements += 1
        result.kinds[statement.split(None, 1)[0].upper()] += 1
        current.append(" ".join(statement.split())[:160])

    def on_commit(_connection: Any) -> None:
        result.commits += 1
        current.append("COMMIT")

    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://bench", timeout=60) as http,
    ):
        dm = DNSMate(http)
        await dm.sign_in([server])
        zone = f"sql{server.api_port}-{len(url)}.bench"
        await dm.zone(zone)
        for i in range(WARM_UP):
            assert await dm.add(zone, f"warm{i}") == "ok"
        await asyncio.sleep(0.5)
        event.listen(Engine, "before_cursor_execute", on_statement)
        event.listen(Engine, "commit", on_commit)
        try:
            for i in range(n):
                current.clear()
                assert await dm.add(zone, f"s{i}") == "ok"
                await asyncio.sleep(SETTLE_SECONDS)  # background work started by the write
        finally:
            event.remove(Engine, "before_cursor_execute", on_statement)
            event.remove(Engine, "commit", on_commit)
    result.last_write = list(current)
    return result

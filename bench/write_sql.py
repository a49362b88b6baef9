"""SQL statements per steady-state record write, counted in an in-process DNSMate app.

A ``before_cursor_execute`` listener on every engine counts what the database is asked
while ``n`` single-record creates run one after another (after warm-up writes, so the
zone's first version and the first connection are not counted), each write with the
background work it starts. ``commit`` events are counted beside them.

The figure is the MEDIAN count of one write: a timer's statement (a health check, a
statistics flush) that happens to fall inside one write's window lands in that write
alone, where a total divided by ``n`` spread it over every write (3.05 for 3 per write,
printed "3.0" and judged "NO"). The range is printed beside it.

``bench/write_path.py`` reports this as its SQL rows; to count alone (one PowerDNS server,
SQLite, and PostgreSQL when ``DNSMATE_BENCH_POSTGRES_URL`` names a database it may empty):
``.venv/bin/python bench/write_sql.py [--writes 20]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import statistics
import tempfile
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
    # Per write: its statements and its commits.
    statements: list[int] = field(default_factory=list)
    commits: list[int] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)
    last_write: list[str] = field(default_factory=list)

    @property
    def per_write(self) -> float:
        """The median count of one write's statements."""
        return statistics.median(self.statements)

    def describe(self) -> str:
        kinds = ", ".join(f"{k} {v / self.writes:.2f}" for k, v in self.kinds.most_common())
        return (f"median {self.per_write:g} statements (range {min(self.statements)}-"
                f"{max(self.statements)}, mean {statistics.mean(self.statements):.2f}) and "
                f"median {statistics.median(self.commits):g} commits per write "
                f"(mean per write by kind: {kinds})")  # fmt: skip


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
        result.kinds[statement.split(None, 1)[0].upper()] += 1
        current.append(" ".join(statement.split())[:160])

    def on_commit(_connection: Any) -> None:
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
                result.commits.append(current.count("COMMIT"))
                result.statements.append(len(current) - result.commits[-1])
        finally:
            event.remove(Engine, "before_cursor_execute", on_statement)
            event.remove(Engine, "commit", on_commit)
    result.last_write = list(current)
    return result


async def run(writes: int, pg_url: str | None) -> None:
    """Print the count on SQLite and, with ``pg_url``, on PostgreSQL (emptied before and after)."""
    with tempfile.TemporaryDirectory(prefix="dnsmate-sql-") as tmp:
        base = Path(tmp)
        server = LocalPowerDNS(name="Bench", workdir=base / "pdns",
                               api_key=secrets.token_urlsafe(16))  # fmt: skip
        server.start()
        try:
            lite = f"sqlite+aiosqlite:///{base / 'sql.sqlite3'}"
            print("sqlite:", (await count_statements(lite, base, server, writes)).describe())
            if pg_url:
                await reset_postgres(pg_url)
                counted = await count_statements(pg_url, base / "pgsql", server, writes)
                print("postgresql:", counted.describe())
                print("  the last write:", *counted.last_write, sep="\n    ")
                await reset_postgres(pg_url)
        finally:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writes", type=int, default=20, help="writes counted (median)")
    args = parser.parse_args()
    asyncio.run(run(args.writes, os.environ.get("DNSMATE_BENCH_POSTGRES_URL")))


if __name__ == "__main__":
    main()

"""Readiness: the database answers and its schema is the one this code expects."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.exc import OperationalError, ProgrammingError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from dnsmate.migrations import head_revisions

# A readiness probe must answer quickly even when the database hangs.
DATABASE_TIMEOUT_SECONDS = 5.0


@dataclass
class Readiness:
    """What the probe found; ``errors`` say what is wrong in words."""

    database: str = "ok"
    revision: str | None = None
    head: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.errors

    def public(self) -> dict[str, object]:
        return {
            "status": "ready" if self.ready else "not ready",
            "database": self.database,
            "migration": self.revision,
            "migration_head": self.head,
            "errors": self.errors,
        }


async def check_readiness(engine: AsyncEngine) -> Readiness:
    """Check the database connection and that its migration revision is at head."""
    heads = head_revisions()
    report = Readiness(head=",".join(sorted(heads)))
    try:
        async with asyncio.timeout(DATABASE_TIMEOUT_SECONDS):
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
                current = await _revisions(connection)
    except (SQLAlchemyError, OSError, TimeoutError) as exc:
        report.database = "unavailable"
        first_line = (str(exc) or "timed out").splitlines()[0]
        report.errors.append(f"database: {type(exc).__name__}: {first_line}"[:300])
        return report
    report.revision = ",".join(sorted(current)) or None
    if current != heads:
        report.errors.append(
            f"migrations: database at {report.revision or 'no revision'}, code expects "
            f"{report.head} (run `dnsmate db upgrade`)"
        )
    return report


async def _revisions(connection: AsyncConnection) -> set[str]:
    """The database's migration revisions; none when it was never migrated."""
    try:
        async with connection.begin_nested():
            rows = await connection.execute(text("SELECT version_num FROM alembic_version"))
    except (ProgrammingError, OperationalError):  # no alembic_version table
        return set()
    return {row[0] for row in rows}

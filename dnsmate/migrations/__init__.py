"""Alembic migrations, run programmatically (no alembic.ini needed)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from dnsmate.db import secure_sqlite_file

SCRIPT_LOCATION = str(Path(__file__).parent)


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "heads") -> None:
    """Apply pending migrations. Blocking: call it outside a running event loop."""
    if database_url.startswith("sqlite"):
        secure_sqlite_file(database_url)
    command.upgrade(alembic_config(database_url), revision)


@cache
def head_revisions() -> frozenset[str]:
    """The revisions a fully migrated database is at (read once from the scripts)."""
    return frozenset(ScriptDirectory(SCRIPT_LOCATION).get_heads())


def downgrade(database_url: str, revision: str) -> None:
    command.downgrade(alembic_config(database_url), revision)

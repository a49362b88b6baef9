"""The migration history: one head, and every database (new, old, at the former six heads)
upgrades to a schema identical to the models on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

import dnsmate.models  # noqa: F401  (registers the tables)
from dnsmate.db import Base, make_engine
from dnsmate.migrations import SCRIPT_LOCATION, alembic_config, downgrade, upgrade
from tests.conftest import POSTGRES_URL

HEAD = "0022_fleet_job_cancel"
# The merge of the six branches that grew from 0002.
MERGE = "0009_one_history"


def _merge_parents() -> list[str]:
    """The six revisions that all descended from 0002 (0003 ... 0008): a database migrated
    before the merge recorded each of them as a head."""
    merge = ScriptDirectory.from_config(alembic_config("sqlite://")).get_revision(MERGE)
    assert merge is not None and isinstance(merge.down_revision, tuple)
    return sorted(merge.down_revision)


FORMER_HEADS = _merge_parents()


def test_history_has_one_head_and_a_new_revision_goes_after_it(tmp_path: Path) -> None:
    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert scripts.get_heads() == [HEAD]
    assert len(FORMER_HEADS) == 6
    # `alembic revision` on a copy of the history (it refused with "Multiple heads").
    copy = tmp_path / "migrations"
    shutil.copytree(SCRIPT_LOCATION, copy, ignore=shutil.ignore_patterns("__pycache__"))
    config = alembic_config("sqlite://")
    config.set_main_option("script_location", str(copy))
    created = command.revision(config, message="next", rev_id="0010_next")
    assert not isinstance(created, list) and created is not None
    assert created.down_revision == HEAD
    assert ScriptDirectory.from_config(config).get_heads() == ["0010_next"]


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param(
            "postgresql",
            marks=pytest.mark.skipif(
                not POSTGRES_URL, reason="PostgreSQL not available: DNSMATE_TEST_POSTGRES_URL"
            ),
        ),
    ]
)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database with no DNSMate tables yet."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'dnsmate.sqlite3'}"
    downgrade(POSTGRES_URL, "base")
    return POSTGRES_URL


def test_upgrade_from_base_matches_the_models(empty_database_url: str) -> None:
    upgrade(empty_database_url)
    assert asyncio.run(_versions(empty_database_url)) == {HEAD}
    assert asyncio.run(_schema_differences(empty_database_url)) == []


@pytest.mark.parametrize(
    "applied",
    [FORMER_HEADS, FORMER_HEADS[:4], ["0005_zone_versions"], []],
    ids=["six-heads", "older-four-heads", "one-branch", "at-0002"],
)
def test_database_from_before_the_merge_upgrades_and_keeps_its_rows(
    empty_database_url: str, applied: list[str]
) -> None:
    url = empty_database_url
    upgrade(url, "0002_multi_server_mode")
    for revision in applied:
        upgrade(url, revision)
    assert asyncio.run(_versions(url)) == (set(applied) or {"0002_multi_server_mode"})
    asyncio.run(_execute(url, _INSERT_SERVER))

    upgrade(url)

    assert asyncio.run(_versions(url)) == {HEAD}
    assert asyncio.run(_schema_differences(url)) == []
    assert asyncio.run(_execute(url, "SELECT name FROM powerdns_settings")) == ["Legacy"]
    downgrade(url, "base")
    assert asyncio.run(_versions(url)) == set()


_INSERT_SERVER = (
    "INSERT INTO powerdns_settings (name, api_url, api_key, server_id, is_default, is_active,"
    " multi_server_mode, timeout_seconds, verify_ssl, created_at, updated_at) VALUES"
    " ('Legacy', 'http://127.0.0.1:8081', 'enc', 'localhost', true, true, false, 10, true,"
    " '2024-01-01', '2024-01-01')"
)


async def _execute(url: str, sql: str) -> list[object]:
    engine = make_engine(url)
    try:
        async with engine.begin() as connection:
            result = await connection.execute(text(sql))
            return list(result.scalars()) if result.returns_rows else []
    finally:
        await engine.dispose()


async def _versions(url: str) -> set[str]:
    return {str(row) for row in await _execute(url, "SELECT version_num FROM alembic_version")}


async def _schema_differences(url: str) -> list[object]:
    """What Alembic's autogenerate would change to reach the models (nothing, if in step)."""
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"compare_type": True}), Base.metadata
                )
            )
    finally:
        await engine.dispose()

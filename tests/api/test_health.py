"""Liveness (/api/health) and readiness (/api/ready: database and migrations)."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from alembic.script import ScriptDirectory

from dnsmate.migrations import SCRIPT_LOCATION, downgrade, head_revisions, upgrade
from tests.conftest import ApiFactory


async def test_ready_when_migrated_and_not_ready_one_migration_behind(
    api_factory: ApiFactory, database_url: str
) -> None:
    api = await api_factory(database_url, login=False)
    heads = ",".join(sorted(head_revisions()))
    live = await api.client.get("/api/health")
    assert live.status_code == 200 and live.json()["status"] == "ok"
    ready = await api.client.get("/api/ready")
    assert ready.status_code == 200, ready.text
    assert ready.json()["status"] == "ready"
    assert ready.json()["migration"] == heads == ready.json()["migration_head"]

    newest = max(head_revisions())
    below = ScriptDirectory(SCRIPT_LOCATION).get_revision(newest).down_revision
    earlier = below if isinstance(below, str) else sorted(below)[-1]  # a merge has several
    # Alembic runs its own event loop: in a thread, beside this test's.
    await asyncio.to_thread(downgrade, database_url, earlier)
    try:
        behind = await api.client.get("/api/ready")
        assert behind.status_code == 503
        body = behind.json()
        assert body["status"] == "not ready" and newest not in body["migration"]
        assert "dnsmate db upgrade" in body["errors"][0]
        # Liveness does not depend on the database: the process is fine, only not ready.
        assert (await api.client.get("/api/health")).status_code == 200
    finally:
        await asyncio.to_thread(upgrade, database_url)
    assert (await api.client.get("/api/ready")).status_code == 200


async def test_not_ready_when_the_database_is_gone(api_factory: ApiFactory, tmp_path: Path) -> None:
    directory = tmp_path / "db"
    url = f"sqlite+aiosqlite:///{directory / 'dnsmate.sqlite3'}"
    await asyncio.to_thread(upgrade, url)
    api = await api_factory(url, login=False)
    await api.context.engine.dispose()
    await api.context.sync.engine.dispose()  # the background pool holds the file open too
    shutil.rmtree(directory)
    ready = await api.client.get("/api/ready")
    assert ready.status_code == 503, ready.text
    assert ready.json()["database"] == "unavailable"
    assert ready.json()["errors"][0].startswith("database: ")
    assert (await api.client.get("/api/health")).status_code == 200
    # Requests that need the database say so (503, retry), not "internal server error".
    login = await api.client.post(
        "/api/auth/login", json={"email": "a@example.com", "password": "whatever"}
    )
    assert login.status_code == 503, login.text
    assert login.headers["retry-after"] == "1"
    assert "database is unavailable" in login.json()["message"]

"""Secrets on disk are the owner's only: the SQLite database with its WAL, the demo's state
and pdns.conf files; the demo does not print its admin password."""

from __future__ import annotations

import asyncio
import json
import os
import stat
from pathlib import Path

import pytest

from dnsmate.cli.main import _start_demo
from dnsmate.config import Settings
from dnsmate.dev.pdns_local import find_pdns_server
from dnsmate.migrations import upgrade
from tests.conftest import ApiFactory


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_sqlite_database_and_wal_are_private(api_factory: ApiFactory, tmp_path: Path) -> None:
    old_umask = os.umask(0o022)
    try:
        database = tmp_path / "fresh" / "dnsmate.sqlite3"
        url = f"sqlite+aiosqlite:///{database}"
        await asyncio.to_thread(upgrade, url)
        api = await api_factory(url)
        assert (await api.client.get("/api/users/me")).status_code == 200
    finally:
        os.umask(old_umask)
    assert modes(database) == (0o700, 0o600, 0o600)


def modes(database: Path) -> tuple[int, int, int | None]:
    """The modes of the database's directory, the database and its WAL (None: no WAL)."""
    wal = Path(f"{database}-wal")
    return mode(database.parent), mode(database), mode(wal) if wal.exists() else None


def test_demo_files_are_private_and_the_password_is_not_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if find_pdns_server() is None:
        pytest.skip("pdns_server not installed")
    data = tmp_path / "data"
    url = f"sqlite+aiosqlite:///{data / 'dnsmate.sqlite3'}"
    upgrade(url)
    settings = Settings(data_dir=data, database_url=url, secret_key="s" * 40)  # type: ignore[arg-type]
    old_umask = os.umask(0o022)
    try:
        servers = _start_demo(settings)
    finally:
        os.umask(old_umask)
    try:
        printed = capsys.readouterr()
        state = (data / "demo" / "state.json").read_text()
        password = json.loads(state)["password"]
        assert password not in printed.out + printed.err
        assert "jq -r .password" in printed.out.replace("\n", "")
        assert mode(data / "demo" / "state.json") == 0o600
        assert mode(data / "demo") == 0o700
        assert len(servers) == 3
        for server in servers:
            assert mode(server.config_path) == 0o600
            assert mode(server.workdir) == 0o700
            assert server.api_key in server.config_path.read_text()
    finally:
        for server in servers:
            server.stop()

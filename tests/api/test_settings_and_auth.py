"""Server settings, login and secrets on both databases (SQLite and PostgreSQL)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from dnsmate.config import ConfigError, Settings
from dnsmate.migrations import upgrade
from dnsmate.models import PowerDNSSettings
from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, Api, ApiFactory

SERVER = {
    "name": "Primary PowerDNS",
    "api_url": "http://127.0.0.1:1",
    "api_key": "s3cr3t-key-value",
}


async def test_every_api_route_needs_a_token(api_factory: ApiFactory, database_url: str) -> None:
    api = await api_factory(database_url, login=False)
    for method, path in [
        ("GET", "/api/zones"),
        ("GET", "/api/settings/powerdns"),
        ("POST", "/api/records/example.com"),
        ("GET", "/api/auth/me"),
    ]:
        response = await api.client.request(method, path)
        assert response.status_code == 401, path
    assert (await api.client.get("/api/health")).status_code == 200
    bad = await api.client.get("/api/zones", headers={"Authorization": "Bearer not-a-token"})
    assert bad.status_code == 401


async def test_login(api_factory: ApiFactory, database_url: str) -> None:
    api = await api_factory(database_url, login=False)
    good = await api.client.post(
        "/api/auth/login", json={"email": ADMIN_EMAIL.upper(), "password": ADMIN_PASSWORD}
    )
    wrong = await api.client.post(
        "/api/auth/login", json={"email": ADMIN_EMAIL, "password": "wrong password!"}
    )
    assert good.status_code == 200 and good.json()["token_type"] == "bearer"
    assert wrong.status_code == 401
    me = await api.client.get(
        "/api/auth/me", headers={"Authorization": f"Bearer {good.json()['access_token']}"}
    )
    assert me.json()["email"] == ADMIN_EMAIL


async def test_api_key_is_write_only_and_encrypted(
    api_factory: ApiFactory, database_url: str
) -> None:
    api = await api_factory(database_url)
    created = await api.client.post("/api/settings/powerdns", json=SERVER)
    server_id = created.json()["id"]
    responses = [
        created,
        await api.client.get("/api/settings/powerdns"),
        await api.client.get(f"/api/settings/powerdns/{server_id}"),
        await api.client.put(
            f"/api/settings/powerdns/{server_id}", json={"multi_server_mode": True}
        ),
        await api.client.get("/api/settings/powerdns/health"),
        await api.client.post(f"/api/settings/powerdns/{server_id}/test"),
    ]
    for response in responses:
        assert response.status_code < 300, response.text
        assert "api_key" not in response.text
        assert SERVER["api_key"] not in response.text
        assert SERVER["api_key"][:6] not in response.text
    async with api.context.sessions() as session:
        row = await session.scalar(select(PowerDNSSettings))
    assert row is not None and SERVER["api_key"] not in row.api_key_encrypted
    assert api.context.box.decrypt(row.api_key_encrypted) == SERVER["api_key"]


async def test_stored_keys_stay_readable_after_a_restart(
    api_factory: ApiFactory, database_url: str
) -> None:
    first = await api_factory(database_url)
    await first.client.post("/api/settings/powerdns", json=SERVER)
    second = await api_factory(database_url)  # a new app: new process state, same secret key
    async with second.context.sessions() as session:
        row = await session.scalar(select(PowerDNSSettings))
    assert row is not None
    assert second.context.box.decrypt(row.api_key_encrypted) == SERVER["api_key"]


async def test_exactly_one_default_server(api_factory: ApiFactory, database_url: str) -> None:
    api = await api_factory(database_url)
    ids = []
    for i in range(3):
        response = await api.client.post("/api/settings/powerdns", json=SERVER | {"name": f"S{i}"})
        ids.append(response.json()["id"])

    async def defaults() -> list[str]:
        servers = (await api.client.get("/api/settings/powerdns")).json()
        return [s["name"] for s in servers if s["is_default"]]

    assert await defaults() == ["S0"]
    await api.client.put(f"/api/settings/powerdns/{ids[2]}", json={"is_default": True})
    assert await defaults() == ["S2"]
    unset = await api.client.put(f"/api/settings/powerdns/{ids[2]}", json={"is_default": False})
    assert unset.status_code == 409
    assert (await api.client.delete(f"/api/settings/powerdns/{ids[2]}")).status_code == 204
    assert await defaults() == ["S0"]


async def test_duplicate_names_and_bad_urls_are_refused(api: Api) -> None:
    assert (await api.client.post("/api/settings/powerdns", json=SERVER)).status_code == 201
    duplicate = await api.client.post("/api/settings/powerdns", json=SERVER)
    bad_url = await api.client.post(
        "/api/settings/powerdns", json=SERVER | {"name": "x", "api_url": "ftp://host"}
    )
    missing = await api.client.get("/api/settings/powerdns/999")
    assert duplicate.status_code == 409 and "already exists" in duplicate.json()["message"]
    assert bad_url.status_code == 422
    assert missing.status_code == 404


async def test_connection_test_reports_unreachable_server(api: Api) -> None:
    created = await api.client.post("/api/settings/powerdns", json=SERVER)
    result = await api.client.post(f"/api/settings/powerdns/{created.json()['id']}/test")
    assert result.json()["healthy"] is False
    assert result.json()["error"] == "Server unreachable"


def test_single_server_database_upgrades_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    url = f"sqlite+aiosqlite:///{path}"
    upgrade(url, "0001_initial")
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO powerdns_settings (name, api_url, api_key, server_id, is_default,"
            " is_active, timeout_seconds, verify_ssl, created_at, updated_at) VALUES"
            " ('Legacy', 'http://127.0.0.1:8081', 'enc', 'localhost', 1, 1, 10, 1,"
            " '2024-01-01', '2024-01-01')"
        )
    upgrade(url)
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT name, is_default, multi_server_mode FROM powerdns_settings")
        assert rows.fetchall() == [("Legacy", 1, 0)]


def test_production_requires_a_secret_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="DNSMATE_SECRET_KEY"):
        Settings(environment="production", data_dir=tmp_path).resolved_secret_key()


def test_development_secret_key_is_generated_once_and_persisted(tmp_path: Path) -> None:
    first = Settings(data_dir=tmp_path).resolved_secret_key()
    assert Settings(data_dir=tmp_path).resolved_secret_key() == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0

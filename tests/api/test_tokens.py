"""API token lifecycle on both databases: secret shown once, hash stored, expiry, revocation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from dnsmate.models import ApiToken
from tests.conftest import ApiFactory


async def test_token_lifecycle(api_factory: ApiFactory, database_url: str) -> None:
    api = await api_factory(database_url)
    created = await api.client.post("/api/tokens", json={"name": "ci deploy"})
    assert created.status_code == 201, created.text
    body = created.json()
    secret = body["token"]
    assert secret.startswith("dnsmate_") and len(secret) > 40
    assert body["name"] == "ci deploy" and body["last_used_at"] is None
    assert body["read_only"] is False and body["zones"] is None

    listed = await api.client.get("/api/tokens")
    assert listed.status_code == 200
    assert [t["name"] for t in listed.json()] == ["ci deploy"]
    assert secret not in listed.text and "token" not in listed.json()[0]
    async with api.context.sessions() as session:
        row = await session.scalar(select(ApiToken))
    assert row is not None and secret not in (row.token_hash, row.prefix)

    bearer = {"Authorization": f"Bearer {secret}"}
    me = await api.client.get("/api/auth/me", headers=bearer)
    assert me.status_code == 200 and me.json()["email"] == "admin@example.com"
    used = (await api.client.get("/api/tokens")).json()[0]
    assert used["last_used_at"] is not None

    revoked = await api.client.delete(f"/api/tokens/{body['id']}")
    assert revoked.status_code == 204
    after = await api.client.get("/api/auth/me", headers=bearer)
    assert after.status_code == 401
    assert after.json()["detail"] == "Invalid, expired or revoked API token"
    assert (await api.client.get("/api/tokens")).json() == []
    assert (await api.client.delete(f"/api/tokens/{body['id']}")).status_code == 404


async def test_expired_and_unknown_tokens_get_401(
    api_factory: ApiFactory, database_url: str
) -> None:
    api = await api_factory(database_url)
    soon = datetime.now(UTC) + timedelta(days=1)
    created = await api.client.post(
        "/api/tokens", json={"name": "short", "expires_at": soon.isoformat()}
    )
    assert created.status_code == 201, created.text
    assert created.json()["expires_at"].startswith(soon.strftime("%Y-%m-%dT%H:%M"))
    bearer = {"Authorization": f"Bearer {created.json()['token']}"}
    assert (await api.client.get("/api/zones/x.example", headers=bearer)).status_code != 401
    async with api.context.sessions() as session:
        past = datetime.now(UTC) - timedelta(minutes=1)
        await session.execute(update(ApiToken).values(expires_at=past))
        await session.commit()
    assert (await api.client.get("/api/auth/me", headers=bearer)).status_code == 401
    unknown = {"Authorization": "Bearer dnsmate_" + "A" * 43}
    assert (await api.client.get("/api/auth/me", headers=unknown)).status_code == 401

    past_expiry = await api.client.post(
        "/api/tokens", json={"name": "old", "expires_at": "2001-01-01T00:00:00Z"}
    )
    assert past_expiry.status_code == 422 and past_expiry.json()["field"] == "expires_at"


async def test_tokens_cannot_mint_tokens_and_read_only_tokens_write_nothing(
    api_factory: ApiFactory, database_url: str
) -> None:
    api = await api_factory(database_url)
    full = (await api.client.post("/api/tokens", json={"name": "full"})).json()
    ro = (await api.client.post("/api/tokens", json={"name": "ro", "read_only": True})).json()
    as_full = {"Authorization": f"Bearer {full['token']}"}
    as_ro = {"Authorization": f"Bearer {ro['token']}"}

    minted = await api.client.post("/api/tokens", json={"name": "child"}, headers=as_full)
    assert minted.status_code == 403

    assert (await api.client.get("/api/settings/powerdns", headers=as_ro)).status_code == 200
    server = {"name": "x", "api_url": "http://127.0.0.1:1", "api_key": "k"}
    denied = await api.client.post("/api/settings/powerdns", json=server, headers=as_ro)
    assert denied.status_code == 403 and "read-only" in denied.json()["detail"]
    allowed = await api.client.post("/api/settings/powerdns", json=server, headers=as_full)
    assert allowed.status_code == 201


async def test_zone_limited_admin_token_is_no_admin(
    api_factory: ApiFactory, database_url: str
) -> None:
    api = await api_factory(database_url)
    assert (await api.client.post("/api/tokens", json={"name": "admin's"})).status_code == 201
    zone_limited = await api.client.post(
        "/api/tokens", json={"name": "one zone", "zones": ["Example.COM"]}
    )
    assert zone_limited.status_code == 201
    assert zone_limited.json()["zones"] == ["example.com"]
    as_limited = {"Authorization": f"Bearer {zone_limited.json()['token']}"}
    # A zone-limited admin token is not an admin beyond its zones.
    server = {"name": "x", "api_url": "http://127.0.0.1:1", "api_key": "k"}
    denied = await api.client.post("/api/settings/powerdns", json=server, headers=as_limited)
    assert denied.status_code == 403

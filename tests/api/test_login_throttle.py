"""Login throttling on both databases: 429 after 10 failures per account or per address."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import update

from dnsmate.models import LoginAttempt
from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, Api, ApiFactory, make_user


def client_from(api: Api, address: str) -> httpx.AsyncClient:
    """A client of ``api``'s app whose requests come from ``address``."""
    transport = httpx.ASGITransport(app=api.app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://dnsmate.test")


async def login(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await client.post("/api/auth/login", json={"email": email, "password": password})


async def age_attempts(api: Api, minutes: int) -> None:
    async with api.context.sessions() as session:
        await session.execute(
            update(LoginAttempt).values(
                created_at=LoginAttempt.created_at - timedelta(minutes=minutes)
            )
        )
        await session.commit()


async def test_account_lockout_and_recovery(api_factory: ApiFactory, database_url: str) -> None:
    api = await api_factory(database_url)
    # Failures from ten addresses: the account counter trips, no address counter does.
    for n in range(10):
        async with client_from(api, f"192.0.2.{n + 1}") as client:
            assert (await login(client, ADMIN_EMAIL, "wrong password!")).status_code == 401
    async with client_from(api, "198.51.100.7") as client:
        blocked = await login(client, ADMIN_EMAIL, ADMIN_PASSWORD)
    assert blocked.status_code == 429
    assert 1 <= int(blocked.headers["Retry-After"]) <= 15 * 60
    assert "Too many failed logins" in blocked.json()["detail"]
    # Another account from the same addresses is not affected.
    await make_user(api, "ed@example.com", "editor")
    async with client_from(api, "192.0.2.1") as client:
        assert (
            await login(client, "ed@example.com", "a long enough pass phrase")
        ).status_code == 200

    # Another app process on the same database sees the same lockout.
    other = await api_factory(database_url, login=False)
    assert (await login(other.client, ADMIN_EMAIL, ADMIN_PASSWORD)).status_code == 429

    await age_attempts(api, 16)
    assert (await login(other.client, ADMIN_EMAIL, ADMIN_PASSWORD)).status_code == 200


async def test_success_resets_the_account_counter(
    api_factory: ApiFactory, database_url: str
) -> None:
    api = await api_factory(database_url, login=False)
    for round_ in range(2):
        for n in range(9):
            async with client_from(api, f"203.0.113.{round_ * 10 + n + 1}") as client:
                assert (await login(client, ADMIN_EMAIL, "wrong password!")).status_code == 401
        assert (await login(api.client, ADMIN_EMAIL, ADMIN_PASSWORD)).status_code == 200


async def test_address_lockout(api_factory: ApiFactory, database_url: str) -> None:
    api = await api_factory(database_url, login=False)
    async with client_from(api, "192.0.2.50") as client:
        for n in range(10):
            response = await login(client, f"nobody{n}@example.com", "wrong password!")
            assert response.status_code == 401
        blocked = await login(client, ADMIN_EMAIL, ADMIN_PASSWORD)
        assert blocked.status_code == 429 and "Retry-After" in blocked.headers
    async with client_from(api, "192.0.2.51") as client:
        assert (await login(client, ADMIN_EMAIL, ADMIN_PASSWORD)).status_code == 200

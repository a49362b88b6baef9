"""Login throttling on both databases: progressive delays per (account, address), never a
lock-out; an address that logged in stays usable; concurrent guesses counted atomically."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
from sqlalchemy import select

from dnsmate.db import as_utc
from dnsmate.models import LoginAttempt
from dnsmate.services.access import throttle
from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, USER_PASSWORD, Api, ApiFactory, make_user

WRONG = "wrong password!"


def client_from(api: Api, address: str) -> httpx.AsyncClient:
    """A client of ``api``'s app whose requests come from ``address``."""
    transport = httpx.ASGITransport(app=api.app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://dnsmate.test")


async def login(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await client.post("/api/auth/login", json={"email": email, "password": password})


async def age_attempts(api: Api, seconds: float) -> None:
    """Move every stored attempt ``seconds`` into the past (as if that time had passed)."""
    async with api.context.sessions() as session:
        # Row by row in Python: SQLite has no date arithmetic on its stored text.
        for attempt in (await session.scalars(select(LoginAttempt))).all():
            attempt.created_at = as_utc(attempt.created_at) - timedelta(seconds=seconds)
        await session.commit()


async def test_progressive_delays_per_account_and_address(
    api_factory: ApiFactory, database_url: str
) -> None:
    api = await api_factory(database_url, login=False)
    await make_user(await api_factory(database_url), "ed@example.com", "editor")
    async with client_from(api, "192.0.2.1") as client:
        for _ in range(throttle.PAIR_FREE):
            assert (await login(client, ADMIN_EMAIL, WRONG)).status_code == 401
        waits = []
        for _ in range(3):
            blocked = await login(client, ADMIN_EMAIL, ADMIN_PASSWORD)
            assert blocked.status_code == 429, blocked.text
            assert "Too many failed logins" in blocked.json()["detail"]
            waits.append(int(blocked.headers["Retry-After"]))
            await age_attempts(api, waits[-1])
            assert (await login(client, ADMIN_EMAIL, WRONG)).status_code == 401
        # Doubling with each further failure (the first wait is counted from the last failure).
        first = throttle.PAIR_FIRST_DELAY.total_seconds()
        assert [first / 2 < w <= first * 2**n for n, w in enumerate(waits)] == [True] * 3, waits
        # The same address for another account, and another address for this one: unaffected.
        assert (await login(client, "ed@example.com", USER_PASSWORD)).status_code == 200
    async with client_from(api, "192.0.2.2") as other:
        assert (await login(other, ADMIN_EMAIL, ADMIN_PASSWORD)).status_code == 200
    # Another app process on the same database sees the same counts.
    second = await api_factory(database_url, login=False)
    async with client_from(second, "192.0.2.1") as client:
        assert (await login(client, ADMIN_EMAIL, ADMIN_PASSWORD)).status_code == 429


async def test_failures_from_elsewhere_never_lock_the_account(
    api_factory: ApiFactory, database_url: str
) -> None:
    api = await api_factory(database_url, login=False)
    async with client_from(api, "198.51.100.7") as usual:
        assert (await login(usual, ADMIN_EMAIL, ADMIN_PASSWORD)).status_code == 200
    for n in range(3 * throttle.ACCOUNT_FREE):  # an attacker with many addresses
        async with client_from(api, f"203.0.113.{n + 1}") as attacker:
            for _ in range(throttle.PAIR_FREE):
                response = await login(attacker, ADMIN_EMAIL, WRONG)
                if response.status_code == 429:
                    # At most the account-wide delay: a wait, never a lock-out.
                    limit = throttle.ACCOUNT_MAX_DELAY.total_seconds()
                    assert int(response.headers["Retry-After"]) <= limit
                    break
                assert response.status_code == 401
    # The address that logged in before is not slowed down at all.
    async with client_from(api, "198.51.100.7") as usual:
        assert (await login(usual, ADMIN_EMAIL, ADMIN_PASSWORD)).status_code == 200
    # A new address waits at most ACCOUNT_MAX_DELAY, then gets in.
    async with client_from(api, "198.51.100.99") as new:
        response = await login(new, ADMIN_EMAIL, ADMIN_PASSWORD)
        if response.status_code == 429:
            await age_attempts(api, int(response.headers["Retry-After"]))
            response = await login(new, ADMIN_EMAIL, ADMIN_PASSWORD)
        assert response.status_code == 200, response.text


async def test_success_clears_the_address_failures(
    api_factory: ApiFactory, database_url: str
) -> None:
    api = await api_factory(database_url, login=False)
    async with client_from(api, "192.0.2.9") as client:
        for _ in range(3):
            for _ in range(throttle.PAIR_FREE - 1):
                assert (await login(client, ADMIN_EMAIL, WRONG)).status_code == 401
            assert (await login(client, ADMIN_EMAIL, ADMIN_PASSWORD)).status_code == 200


async def test_concurrent_guesses_are_counted_atomically(
    api_factory: ApiFactory, database_url: str
) -> None:
    api = await api_factory(database_url, login=False)
    async with client_from(api, "192.0.2.77") as client:
        answers = await asyncio.gather(*(login(client, ADMIN_EMAIL, WRONG) for _ in range(20)))
    statuses = sorted(r.status_code for r in answers)
    assert statuses.count(401) <= throttle.PAIR_FREE, statuses
    assert set(statuses) <= {401, 429}, statuses

"""The authenticated caller is held in memory briefly; no change to an account waits for it.

In the process that made the change, a role change, a deactivation, a password change and a
revoked API token apply to the very next request. Another process (a second app on the same
PostgreSQL database) learns it from a notification: its cache is set to hold entries for
five minutes here, so only the notification can make the change apply there.
"""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from dnsmate.models import User
from dnsmate.security import create_access_token
from tests.conftest import (
    POSTGRES_URL,
    USER_PASSWORD,
    Api,
    ApiFactory,
    login_headers,
    make_user,
)


async def _admin_user(api: Api) -> tuple[int, dict[str, str]]:
    user_id = await make_user(api, "second-admin@example.com", "admin")
    return user_id, await login_headers(api, "second-admin@example.com")


async def _token(api: Api, headers: dict[str, str]) -> tuple[int, dict[str, str]]:
    created = await api.client.post("/api/tokens", json={"name": "script"}, headers=headers)
    assert created.status_code == 201, created.text
    body = created.json()
    return body["id"], {"Authorization": f"Bearer {body['token']}"}


async def test_role_change_applies_to_the_next_request(api: Api) -> None:
    user_id, headers = await _admin_user(api)
    _, token = await _token(api, headers)
    assert (await api.client.get("/api/users", headers=headers)).status_code == 200
    assert (await api.client.get("/api/users", headers=token)).status_code == 200

    demoted = await api.client.put(f"/api/users/{user_id}", json={"role": "reader"})

    assert demoted.status_code == 200, demoted.text
    assert (await api.client.get("/api/users", headers=headers)).status_code == 403
    assert (await api.client.get("/api/users", headers=token)).status_code == 403


async def test_deactivation_applies_to_the_next_request(api: Api) -> None:
    user_id, headers = await _admin_user(api)
    _, token = await _token(api, headers)
    assert (await api.client.get("/api/users/me", headers=headers)).status_code == 200
    assert (await api.client.get("/api/users/me", headers=token)).status_code == 200

    deactivated = await api.client.put(f"/api/users/{user_id}", json={"is_active": False})

    assert deactivated.status_code == 200, deactivated.text
    assert (await api.client.get("/api/users/me", headers=headers)).status_code == 401
    assert (await api.client.get("/api/users/me", headers=token)).status_code == 401


async def test_password_change_ends_other_sessions_at_once(api: Api) -> None:
    _, headers = await _admin_user(api)
    other_session = await login_headers(api, "second-admin@example.com")
    assert (await api.client.get("/api/users/me", headers=other_session)).status_code == 200

    changed = await api.client.post(
        "/api/users/me/password",
        json={"current_password": USER_PASSWORD, "new_password": "another long pass phrase"},
        headers=headers,
    )

    assert changed.status_code == 200, changed.text
    ended = await api.client.get("/api/users/me", headers=other_session)
    assert ended.status_code == 401
    assert "password was changed" in ended.text


async def test_revoked_token_is_refused_at_once(api: Api) -> None:
    _, headers = await _admin_user(api)
    token_id, token = await _token(api, headers)
    assert (await api.client.get("/api/users/me", headers=token)).status_code == 200

    revoked = await api.client.delete(f"/api/tokens/{token_id}", headers=headers)

    assert revoked.status_code == 204, revoked.text
    assert (await api.client.get("/api/users/me", headers=token)).status_code == 401


async def _status_within(
    client: httpx.AsyncClient, headers: dict[str, str], expected: int, seconds: float
) -> int:
    """Poll GET /api/users/me until it answers ``expected`` or ``seconds`` pass."""
    deadline = time.monotonic() + seconds
    while True:
        status = (await client.get("/api/users/me", headers=headers)).status_code
        if status == expected or time.monotonic() > deadline:
            return status
        await asyncio.sleep(0.05)


@pytest.mark.skipif(
    not POSTGRES_URL, reason="PostgreSQL not available: DNSMATE_TEST_POSTGRES_URL is unset"
)
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_another_process_learns_of_deactivation_and_revocation(
    api_factory: ApiFactory, database_url: str
) -> None:
    first = await api_factory(database_url)
    second = await api_factory(database_url, auth_cache_seconds=300)
    user_id, headers = await _admin_user(first)
    token_id, token = await _token(first, headers)
    other_id = await make_user(first, "third@example.com", "admin")
    other = await login_headers(first, "third@example.com")
    for credentials in (headers, token, other):
        # Wait for the second app's listener; from then on its answers come from memory.
        assert await _status_within(second.client, credentials, 200, 10) == 200

    revoked = await first.client.delete(f"/api/tokens/{token_id}", headers=headers)
    deactivated = await first.client.put(f"/api/users/{other_id}", json={"is_active": False})

    assert (revoked.status_code, deactivated.status_code) == (204, 200)
    assert await _status_within(second.client, token, 401, 10) == 401
    assert await _status_within(second.client, other, 401, 10) == 401
    assert (await second.client.get("/api/users/me", headers=headers)).status_code == 200
    assert user_id != other_id


async def test_a_remembered_login_token_still_ends_when_it_expires(
    api_factory: ApiFactory, sqlite_url: str
) -> None:
    # The cache would keep the caller for five minutes; the token is valid for two seconds.
    api = await api_factory(sqlite_url, auth_cache_seconds=300)
    user_id = await make_user(api, "short-lived@example.com", "admin")
    async with api.context.sessions() as session:
        user = await session.get(User, user_id)
        assert user is not None
        secret = create_access_token(
            subject=str(user_id),
            stamp=api.context.password_stamp(user),
            secret_key=api.context.secret_key,
            minutes=2 / 60,
        )
    expires = time.time() + 2
    headers = {"Authorization": f"Bearer {secret}"}
    assert (await api.client.get("/api/users/me", headers=headers)).status_code == 200
    assert api.context.callers.get(secret) is not None  # remembered

    # Past the token's expiry, whatever the clock's grain.
    await asyncio.sleep(max(0.0, expires + 1 - time.time()))

    refused = await api.client.get("/api/users/me", headers=headers)
    assert refused.status_code == 401
    assert "expired" in refused.text


async def test_the_compatible_api_remembers_tokens_and_forgets_them_on_revocation(
    api: Api,
) -> None:
    _, headers = await _admin_user(api)
    token_id, token = await _token(api, headers)
    api_key = {"X-API-Key": token["Authorization"].removeprefix("Bearer ")}
    # No PowerDNS is configured here: past authentication, that is what the answer says.
    # (The first use records the token's time of use, a change to tokens that forgets
    # every caller; the second is remembered.)
    for _ in range(2):
        answer = await api.client.get("/api/v1/servers", headers=api_key)
        assert "No PowerDNS server is configured" in answer.text
    assert api.context.callers.get(api_key["X-API-Key"]) is not None  # remembered

    revoked = await api.client.delete(f"/api/tokens/{token_id}", headers=headers)

    assert revoked.status_code == 204, revoked.text
    assert (await api.client.get("/api/v1/servers", headers=api_key)).status_code == 401


async def test_a_remembered_login_token_is_no_api_key(api: Api) -> None:
    _, headers = await _admin_user(api)
    assert (await api.client.get("/api/users/me", headers=headers)).status_code == 200
    login_token = headers["Authorization"].removeprefix("Bearer ")
    assert api.context.callers.get(login_token) is not None  # remembered

    answer = await api.client.get("/api/v1/servers", headers={"X-API-Key": login_token})

    assert answer.status_code == 401, answer.text

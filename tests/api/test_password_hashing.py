"""argon2 runs in a worker thread: other requests are answered while a password is hashed."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable

import httpx
import pytest
from argon2 import PasswordHasher

from dnsmate import security
from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, Api, make_user


class HeldHasher:
    """A real hasher that holds each call until the test releases it.

    Whether each call was released (True) or gave up waiting (False: nothing else could be
    answered meanwhile, the event loop was blocked) is recorded in ``released``.
    """

    def __init__(self) -> None:
        self.real = PasswordHasher()
        self.started = threading.Event()
        self.release = threading.Event()
        self.released: list[bool] = []

    def _hold(self) -> None:
        self.started.set()
        self.released.append(self.release.wait(timeout=10))

    def hash(self, password: str) -> str:
        self._hold()
        return self.real.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        self._hold()
        return self.real.verify(password_hash, password)


async def _login(client: httpx.AsyncClient) -> httpx.Response:
    return await client.post(
        "/api/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
    )


async def _create_user(client: httpx.AsyncClient) -> httpx.Response:
    body = {"email": "new@example.com", "password": "another long pass phrase", "role": "reader"}
    return await client.post("/api/users", json=body)


async def _change_password(client: httpx.AsyncClient) -> httpx.Response:
    body = {"current_password": ADMIN_PASSWORD, "new_password": "a brand new pass phrase"}
    return await client.post("/api/users/me/password", json=body)


@pytest.mark.parametrize(
    ("request_", "status"),
    [(_login, 200), (_create_user, 201), (_change_password, 200)],
    ids=["login", "create-user", "change-password"],
)
async def test_health_answers_while_a_password_is_hashed(
    api: Api,
    monkeypatch: pytest.MonkeyPatch,
    request_: Callable[[httpx.AsyncClient], Awaitable[httpx.Response]],
    status: int,
) -> None:
    await make_user(api, "warm@example.com", "reader")  # the timing-equaliser hash exists
    hasher = HeldHasher()
    monkeypatch.setattr(security, "_hasher", hasher)
    pending = asyncio.create_task(request_(api.client))
    assert await asyncio.to_thread(hasher.started.wait, 10)
    health = await api.client.get("/api/health")
    hasher.release.set()
    response = await pending
    assert health.status_code == 200
    assert response.status_code == status, response.text
    assert hasher.released and all(hasher.released)

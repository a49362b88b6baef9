"""The last admin cannot be lost to a race: two admins demoting (or deleting) each other at
the same moment, through two app processes, leave one admin (both databases)."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from sqlalchemy import select

from dnsmate.models import User
from tests.conftest import ADMIN_EMAIL, USER_PASSWORD, Api, ApiFactory, make_user


async def as_user(api: Api, email: str) -> httpx.AsyncClient:
    response = await api.client.post(
        "/api/auth/login", json={"email": email, "password": USER_PASSWORD}
    )
    assert response.status_code == 200, response.text
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=api.app),
        base_url="http://dnsmate.test",
        headers={"Authorization": f"Bearer {response.json()['access_token']}"},
    )


@pytest.mark.parametrize("how", ["demote", "deactivate", "delete"])
async def test_two_admins_removing_each_other_leave_one(
    api_factory: ApiFactory, database_url: str, how: str
) -> None:
    first = await api_factory(database_url)
    second_admin = await make_user(first, "second@example.com", "admin")
    me = (await first.client.get("/api/users/me")).json()["id"]
    other_process = await api_factory(database_url, login=False)
    async with await as_user(other_process, "second@example.com") as second:

        async def remove(client: httpx.AsyncClient, user_id: int) -> httpx.Response:
            if how == "delete":
                return await client.delete(f"/api/users/{user_id}")
            change = {"role": "reader"} if how == "demote" else {"is_active": False}
            return await client.put(f"/api/users/{user_id}", json=change)

        answers = await asyncio.gather(remove(first.client, second_admin), remove(second, me))
    statuses = sorted(a.status_code for a in answers)
    admins = await _active_admins(first)
    assert len(admins) == 1, (statuses, admins)
    # One removal went through; the other was refused (409), or found its caller removed.
    assert statuses[0] in (200, 204) and statuses[1] in (401, 409), statuses


async def _active_admins(api: Api) -> list[str]:
    async with api.context.sessions() as session:
        rows = await session.scalars(select(User.email).where(User.role == "admin", User.is_active))
        return list(rows.all())


async def test_the_last_admin_still_cannot_demote_themselves(api: Api) -> None:
    me = (await api.client.get("/api/users/me")).json()
    response = await api.client.put(f"/api/users/{me['id']}", json={"role": "editor"})
    assert response.status_code == 409 and "last admin" in response.json()["detail"]
    assert (await api.client.get("/api/users/me")).json()["email"] == ADMIN_EMAIL

"""Users API on both databases: administration, the last admin, the password policy, me."""

from __future__ import annotations

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, USER_PASSWORD, ApiFactory, login_headers


async def test_admin_manages_users(api_factory: ApiFactory, database_url: str) -> None:
    api = await api_factory(database_url)
    created = await api.client.post(
        "/api/users", json={"email": "Ed@Example.com", "password": USER_PASSWORD, "role": "editor"}
    )
    assert created.status_code == 201, created.text
    ed = created.json()
    assert ed["email"] == "ed@example.com" and ed["role"] == "editor" and ed["zones"] == []
    assert "password" not in created.text and "hash" not in created.text
    duplicate = await api.client.post(
        "/api/users", json={"email": "ed@example.com", "password": USER_PASSWORD}
    )
    assert duplicate.status_code == 409
    bad_role = await api.client.post(
        "/api/users", json={"email": "x@example.com", "password": USER_PASSWORD, "role": "root"}
    )
    assert bad_role.status_code == 422 and bad_role.json()["field"] == "role"

    listed = await api.client.get("/api/users")
    assert [u["email"] for u in listed.json()] == [ADMIN_EMAIL, "ed@example.com"]
    assert (await api.client.get(f"/api/users/{ed['id']}")).json()["role"] == "editor"
    assert (await api.client.get("/api/users/99999")).status_code == 404

    changed = await api.client.put(f"/api/users/{ed['id']}", json={"role": "reader"})
    assert changed.status_code == 200 and changed.json()["role"] == "reader"
    as_ed = await login_headers(api, "ed@example.com")
    assert (await api.client.get("/api/users/me", headers=as_ed)).json()["role"] == "reader"
    assert (await api.client.get("/api/users", headers=as_ed)).status_code == 403

    # A password set by an admin ends the user's login sessions.
    reset = await api.client.put(f"/api/users/{ed['id']}", json={"password": "a new long phrase"})
    assert reset.status_code == 200
    assert (await api.client.get("/api/users/me", headers=as_ed)).status_code == 401
    as_ed = await login_headers(api, "ed@example.com", "a new long phrase")
    assert (await api.client.get("/api/users/me", headers=as_ed)).status_code == 200

    deactivated = await api.client.put(f"/api/users/{ed['id']}", json={"is_active": False})
    assert deactivated.status_code == 200
    assert (await api.client.get("/api/users/me", headers=as_ed)).status_code == 401
    refused = await api.client.post(
        "/api/auth/login", json={"email": "ed@example.com", "password": "a new long phrase"}
    )
    assert refused.status_code == 401

    assert (await api.client.delete(f"/api/users/{ed['id']}")).status_code == 204
    assert (await api.client.get(f"/api/users/{ed['id']}")).status_code == 404


async def test_last_admin_is_protected(api_factory: ApiFactory, database_url: str) -> None:
    api = await api_factory(database_url)
    me = (await api.client.get("/api/users/me")).json()
    demote = await api.client.put(f"/api/users/{me['id']}", json={"role": "editor"})
    assert demote.status_code == 409 and "last admin" in demote.json()["detail"]
    deactivate = await api.client.put(f"/api/users/{me['id']}", json={"is_active": False})
    assert deactivate.status_code == 409
    second = await api.client.post(
        "/api/users", json={"email": "two@example.com", "password": USER_PASSWORD, "role": "admin"}
    )
    as_two = await login_headers(api, "two@example.com")
    assert (await api.client.delete(f"/api/users/{me['id']}", headers=as_two)).status_code == 204
    last = await api.client.delete(f"/api/users/{second.json()['id']}", headers=as_two)
    assert last.status_code == 409
    demote_last = await api.client.put(
        f"/api/users/{second.json()['id']}", json={"role": "reader"}, headers=as_two
    )
    assert demote_last.status_code == 409
    assert (await api.client.get("/api/users/me", headers=as_two)).json()["role"] == "admin"


async def test_password_policy_and_own_password_change(
    api_factory: ApiFactory, database_url: str
) -> None:
    api = await api_factory(database_url)
    for weak in ("short pass", "password1234", "aaaaaaaaaaaaaaa", "Qwerty123456"):
        response = await api.client.post(
            "/api/users", json={"email": "w@example.com", "password": weak}
        )
        assert response.status_code == 422, weak
        assert response.json()["field"] == "password"

    wrong = await api.client.post(
        "/api/users/me/password",
        json={"current_password": "not my password", "new_password": "another long phrase"},
    )
    assert wrong.status_code == 403
    weak = await api.client.post(
        "/api/users/me/password",
        json={"current_password": ADMIN_PASSWORD, "new_password": "password1234"},
    )
    assert weak.status_code == 422 and weak.json()["field"] == "new_password"
    other_device = await login_headers(api, ADMIN_EMAIL, ADMIN_PASSWORD)
    changed = await api.client.post(
        "/api/users/me/password",
        json={"current_password": ADMIN_PASSWORD, "new_password": "another long phrase"},
    )
    assert changed.status_code == 200
    # Every earlier login session ends, this one continues with the token in the answer.
    for headers in (other_device, {}):
        ended = await api.client.get("/api/users/me", headers=headers)
        assert ended.status_code == 401 and "password was changed" in ended.json()["detail"]
    fresh = {"Authorization": f"Bearer {changed.json()['access_token']}"}
    assert (await api.client.get("/api/users/me", headers=fresh)).json()["email"] == ADMIN_EMAIL
    assert (
        await api.client.post(
            "/api/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
        )
    ).status_code == 401
    await login_headers(api, ADMIN_EMAIL, "another long phrase")

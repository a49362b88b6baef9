"""Nobody gains powers they were not given: login-only powers, two-factor sessions, tokens
without expiry, zone-limited tokens, server URLs and keys, the password policy."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import jwt
import pyotp
import pytest

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, USER_PASSWORD, Api, make_user


async def token_client(api: Api, **body: object) -> httpx.AsyncClient:
    """A client of ``api``'s app authenticated with a new API token of the admin."""
    created = await api.client.post("/api/tokens", json={"name": "script", **body})
    assert created.status_code == 201, created.text
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=api.app),
        base_url="http://dnsmate.test",
        headers={"Authorization": f"Bearer {created.json()['token']}"},
    )


async def login(api: Api, email: str, password: str, otp: str | None = None) -> httpx.Response:
    body = {"email": email, "password": password} | ({"otp": otp} if otp else {})
    return await api.client.post("/api/auth/login", json=body, headers={"Authorization": ""})


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_api_tokens_cannot_use_login_only_powers(api: Api) -> None:
    reader = await make_user(api, "reader@example.com", "reader")
    async with await token_client(api) as script:
        new_admin = {"email": "new@example.com", "password": USER_PASSWORD, "role": "admin"}
        assert (await script.post("/api/users", json=new_admin)).status_code == 403
        for change in ({"role": "admin"}, {"password": "another pass phrase"},
                       {"totp_enabled": False}):  # fmt: skip
            response = await script.put(f"/api/users/{reader}", json=change)
            assert response.status_code == 403, (change, response.text)
            assert "log in with your password" in response.json()["detail"]
        # What is not an account power still works with the admin's token.
        editor = {"email": "ed@example.com", "password": USER_PASSWORD, "role": "editor"}
        assert (await script.post("/api/users", json=editor)).status_code == 201
    assert (await login(api, "reader@example.com", USER_PASSWORD)).status_code == 200
    users = {u["email"]: u["role"] for u in (await api.client.get("/api/users")).json()}
    assert users == {ADMIN_EMAIL: "admin", "reader@example.com": "reader",
                     "ed@example.com": "editor"}  # fmt: skip
    # The same changes by a logged-in admin are allowed.
    promoted = await api.client.put(f"/api/users/{reader}", json={"role": "admin"})
    assert promoted.status_code == 200, promoted.text


async def test_two_factor_sessions_and_own_reset(api: Api) -> None:
    other = (await login(api, ADMIN_EMAIL, ADMIN_PASSWORD)).json()["access_token"]
    assert (await api.client.get("/api/auth/me", headers=bearer(other))).status_code == 200
    secret = (await api.client.post("/api/auth/2fa/setup")).json()["secret"]
    enabled = await api.client.post("/api/auth/2fa/enable", json={"code": pyotp.TOTP(secret).now()})
    assert enabled.status_code == 200, enabled.text
    # The other session (opened with the password alone) has ended; this one continues
    # with the token of the answer.
    assert (await api.client.get("/api/auth/me", headers=bearer(other))).status_code == 401
    assert (await api.client.get("/api/auth/me")).status_code == 401
    api.client.headers["Authorization"] = f"Bearer {enabled.json()['access_token']}"
    me = (await api.client.get("/api/users/me")).json()
    assert me["totp_enabled"] is True
    # An admin cannot turn their own second factor off through the user update.
    reset = await api.client.put(f"/api/users/{me['id']}", json={"totp_enabled": False})
    assert reset.status_code == 403, reset.text
    assert "/api/auth/2fa/disable" in reset.json()["detail"]
    assert (await api.client.get("/api/users/me")).json()["totp_enabled"] is True


async def test_login_tokens_without_expiry_are_refused(api: Api) -> None:
    me = (await api.client.get("/api/users/me")).json()
    stamp = api.context.password_stamp(await _user(api, me["id"]))
    claims = {"sub": str(me["id"]), "pwd": stamp, "iat": datetime.now(UTC)}
    forever = jwt.encode(claims, api.context.secret_key, algorithm="HS256")
    response = await api.client.get("/api/auth/me", headers=bearer(forever))
    assert response.status_code == 401, response.text


async def _user(api: Api, user_id: int) -> object:
    from dnsmate.models import User

    async with api.context.sessions() as session:
        user = await session.get(User, user_id)
        assert user is not None
        return user


async def test_zone_limited_tokens_reach_only_zone_routes(api: Api) -> None:
    await api.client.post(
        "/api/settings/powerdns",
        json={"name": "one", "api_url": "http://10.0.0.5:8081", "api_key": "secret"},
    )
    async with await token_client(api, name="other") as _other:
        pass
    async with await token_client(api, zones=["limited.example"]) as limited:
        refused = ("/api/settings/powerdns", "/api/settings/powerdns/health", "/api/tokens",
                   "/api/users/me", "/api/templates", "/api/servers/stats",
                   "/api/users")  # fmt: skip
        for path in refused:
            response = await limited.get(path)
            assert response.status_code == 403, (path, response.text)
        tokens = (await api.client.get("/api/tokens")).json()
        other_id = next(t["id"] for t in tokens if t["name"] == "other")
        assert (await limited.delete(f"/api/tokens/{other_id}")).status_code == 403
        assert (await limited.get("/api/auth/me")).status_code == 200
    names = {t["name"] for t in (await api.client.get("/api/tokens")).json()}
    assert "other" in names


async def test_readers_see_server_names_and_health_not_urls(api: Api) -> None:
    created = await api.client.post(
        "/api/settings/powerdns",
        json={"name": "internal", "api_url": "http://127.0.0.1:9", "api_key": "secret",
              "timeout_seconds": 1},
    )  # fmt: skip
    assert created.status_code == 201, created.text
    server_id = created.json()["id"]
    await make_user(api, "reader@example.com", "reader")
    token = (await login(api, "reader@example.com", USER_PASSWORD)).json()["access_token"]
    listed = (await api.client.get("/api/settings/powerdns", headers=bearer(token))).json()
    assert [(s["name"], s["api_url"]) for s in listed] == [("internal", None)]
    one = await api.client.get(f"/api/settings/powerdns/{server_id}", headers=bearer(token))
    assert one.json()["api_url"] is None
    health = await api.client.get("/api/settings/powerdns/health", headers=bearer(token))
    assert health.status_code == 200
    assert health.json()[0]["healthy"] is False and "127.0.0.1" not in health.text
    admin_view = (await api.client.get("/api/settings/powerdns")).json()
    assert admin_view[0]["api_url"] == "http://127.0.0.1:9"


@pytest.mark.parametrize(
    "change", [{"api_url": "http://127.0.0.1:9999"}, {"verify_ssl": False}], ids=["url", "tls"]
)
async def test_the_stored_key_never_follows_a_url_or_tls_change(
    api: Api, change: dict[str, object]
) -> None:
    created = await api.client.post(
        "/api/settings/powerdns",
        json={"name": "one", "api_url": "https://127.0.0.1:8081", "api_key": "real key"},
    )
    server_id = created.json()["id"]
    refused = await api.client.put(f"/api/settings/powerdns/{server_id}", json=change)
    assert refused.status_code == 422, refused.text
    assert refused.json()["field"] == "api_key"
    unchanged = (await api.client.get(f"/api/settings/powerdns/{server_id}")).json()
    assert unchanged["api_url"] == "https://127.0.0.1:8081" and unchanged["verify_ssl"] is True
    # Other fields, or the same URL again, need no key.
    same = {"api_url": "https://127.0.0.1:8081", "timeout_seconds": 5}
    assert (
        await api.client.put(f"/api/settings/powerdns/{server_id}", json=same)
    ).status_code == 200
    with_key = {**change, "api_key": "the new server's key"}
    accepted = await api.client.put(f"/api/settings/powerdns/{server_id}", json=with_key)
    assert accepted.status_code == 200, accepted.text


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("long.name@example.com", "long.name@example.com"),
        ("long.name@example.com", "LONG.NAME@EXAMPLE.COM"),
        ("averylongname@example.com", "averylongname"),
        ("someone@example.com", "ab" + " " * 20 + "cd"),
        ("someone@example.com", " x y z w v u t s r q "),
    ],
)
async def test_password_policy(api: Api, email: str, password: str) -> None:
    body = {"email": email, "password": password, "role": "reader"}
    response = await api.client.post("/api/users", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["field"] == "password"


@pytest.mark.parametrize(
    "email", ["a b@example.com", "a@@example.com", "<a>@example.com", "a@", "a@-x.com",
              "a@example..com", ".a@example.com", "a@exa mple.com", "a\n@example.com"],
)  # fmt: skip
async def test_email_addresses_are_validated(api: Api, email: str) -> None:
    body = {"email": email, "password": USER_PASSWORD, "role": "reader"}
    response = await api.client.post("/api/users", json=body)
    assert response.status_code == 422, response.text
    valid = {"email": "first.last+dns@corp.internal", "password": USER_PASSWORD}
    assert (await api.client.post("/api/users", json=valid)).status_code == 201

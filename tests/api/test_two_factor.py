"""Two-factor login on both databases: setup, enable, login with and without a code,
replay refusal, recovery codes, disable, and an admin's reset."""

from __future__ import annotations

import time

import pyotp

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, USER_PASSWORD, Api, ApiFactory, make_user


async def login(api: Api, email: str, password: str, otp: str | None = None) -> int:
    body = {"email": email, "password": password} | ({"otp": otp} if otp else {})
    response = await api.client.post("/api/auth/login", json=body, headers={"Authorization": ""})
    return response.status_code


async def test_two_factor_lifecycle(api_factory: ApiFactory, database_url: str) -> None:
    api = await api_factory(database_url)
    password_only = {"Authorization": api.client.headers["Authorization"]}
    setup = await api.client.post("/api/auth/2fa/setup")
    assert setup.status_code == 200, setup.text
    secret = setup.json()["secret"]
    uri = setup.json()["otpauth_uri"]
    assert uri.startswith("otpauth://totp/DNSMate:admin%40example.com?secret=" + secret)
    totp = pyotp.TOTP(secret)
    # Set up but not enabled: login still needs only the password.
    assert await login(api, ADMIN_EMAIL, ADMIN_PASSWORD) == 200

    wrong = await api.client.post("/api/auth/2fa/enable", json={"code": "000000"})
    assert wrong.status_code == 422
    code = totp.now()
    enabled = await api.client.post("/api/auth/2fa/enable", json={"code": code})
    assert enabled.status_code == 200, enabled.text
    recovery = enabled.json()["recovery_codes"]
    assert len(recovery) == 10 and len(set(recovery)) == 10
    # Enabling ends the sessions opened with the password alone; the answer has a new token.
    api.client.headers["Authorization"] = f"Bearer {enabled.json()['access_token']}"
    assert (await api.client.get("/api/users/me")).json()["totp_enabled"] is True
    assert (await api.client.get("/api/users/me", headers=password_only)).status_code == 401
    assert (await api.client.post("/api/auth/2fa/setup")).status_code == 409

    missing = await api.client.post(
        "/api/auth/login",
        json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD},
        headers={"Authorization": ""},
    )
    assert missing.status_code == 401
    assert "Two-factor code required" in missing.json()["detail"]
    assert missing.headers["X-DNSMate-OTP"] == "required"
    assert await login(api, ADMIN_EMAIL, "wrong password!", totp.now()) == 401
    assert await login(api, ADMIN_EMAIL, ADMIN_PASSWORD, code) == 401  # replayed code
    assert await login(api, ADMIN_EMAIL, ADMIN_PASSWORD, totp.at(time.time() + 30)) == 200

    assert await login(api, ADMIN_EMAIL, ADMIN_PASSWORD, recovery[0].lower()) == 200
    assert await login(api, ADMIN_EMAIL, ADMIN_PASSWORD, recovery[0]) == 401  # used up

    # API tokens cannot change the account's second factor.
    token = (await api.client.post("/api/tokens", json={"name": "t"})).json()["token"]
    as_token = {"Authorization": f"Bearer {token}"}
    assert (await api.client.post("/api/auth/2fa/setup", headers=as_token)).status_code == 403

    refused = await api.client.post(
        "/api/auth/2fa/disable", json={"password": "wrong password!", "code": recovery[1]}
    )
    assert refused.status_code == 403
    disabled = await api.client.post(
        "/api/auth/2fa/disable", json={"password": ADMIN_PASSWORD, "code": recovery[1]}
    )
    assert disabled.status_code == 200
    api.client.headers["Authorization"] = f"Bearer {disabled.json()['access_token']}"
    assert (await api.client.get("/api/users/me")).status_code == 200
    # Turning it off does not bring back the session opened before it was on.
    assert (await api.client.get("/api/users/me", headers=password_only)).status_code == 401
    assert await login(api, ADMIN_EMAIL, ADMIN_PASSWORD) == 200
    actions = [e["action"] for e in (await api.client.get("/api/audit")).json()["items"]]
    assert "auth.2fa.enable" in actions and "auth.2fa.disable" in actions
    assert secret not in (await api.client.get("/api/audit")).text


async def test_admin_resets_a_lost_authenticator(
    api_factory: ApiFactory, database_url: str
) -> None:
    api = await api_factory(database_url)
    user_id = await make_user(api, "ed@example.com", "editor")
    response = await api.client.post(
        "/api/auth/login", json={"email": "ed@example.com", "password": USER_PASSWORD}
    )
    as_ed = {"Authorization": f"Bearer {response.json()['access_token']}"}
    secret = (await api.client.post("/api/auth/2fa/setup", headers=as_ed)).json()["secret"]
    enable = await api.client.post(
        "/api/auth/2fa/enable", json={"code": pyotp.TOTP(secret).now()}, headers=as_ed
    )
    assert enable.status_code == 200
    assert await login(api, "ed@example.com", USER_PASSWORD) == 401

    reset = await api.client.put(f"/api/users/{user_id}", json={"totp_enabled": False})
    assert reset.status_code == 200 and reset.json()["totp_enabled"] is False
    # The session Ed opened with the password alone, before two-factor login, stays ended.
    assert (await api.client.get("/api/users/me", headers=as_ed)).status_code == 401
    assert await login(api, "ed@example.com", USER_PASSWORD) == 200
    turn_on = await api.client.put(f"/api/users/{user_id}", json={"totp_enabled": True})
    assert turn_on.status_code == 422

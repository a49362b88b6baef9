"""OpenID Connect sign-in against a real provider process (tests/oidcprovider.py): the
redirect to the provider with PKCE, state and nonce, the callback, the token handed over
through a one-time cookie, group -> role mapping at every sign-in, deny by default, and
refusals (tampered state, no pending sign-in, unverified e-mail, a replayed code)."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import parse_qs, urlsplit

import httpx

from dnsmate.services.access import throttle
from tests.api.test_login_throttle import client_from
from tests.conftest import Api, ApiFactory, oidc_settings
from tests.oidcprovider import Provider

BASE = "http://dnsmate.test"


async def at_provider(api: Api, subject: str) -> str:
    """Start at DNSMate, sign in as ``subject`` at the provider; the callback URL it sends."""
    start = await api.client.get("/api/auth/oidc/example/start")
    assert start.status_code == 302, start.text
    authorize = start.headers["location"]
    async with httpx.AsyncClient(timeout=30) as browser:
        chosen = await browser.post(authorize, data={"sub": subject})
    assert chosen.status_code == 302, chosen.text
    callback: str = chosen.headers["location"]
    assert callback.startswith(f"{BASE}/api/auth/oidc/example/callback?")
    return callback


async def come_back(api: Api, callback: str) -> httpx.Response:
    return await api.client.get(callback.removeprefix(BASE))


async def collect(api: Api) -> str:
    session = await api.client.post("/api/auth/sso/session", headers={"Authorization": ""})
    assert session.status_code == 200, session.text
    token: str = session.json()["access_token"]
    return token


async def sign_in_as(api: Api, subject: str) -> dict[str, object]:
    back = await come_back(api, await at_provider(api, subject))
    assert (back.status_code, back.headers["location"]) == (303, "/login?sso=done")
    token = await collect(api)
    me = await api.client.get("/api/users/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200, me.text
    body: dict[str, object] = me.json()
    return body


async def refusal(client: httpx.AsyncClient, response: httpx.Response) -> str:
    """Why the sign-on was refused, as the login page learns it: from DNSMate, never from
    the URL (which carries no text a link could choose)."""
    assert (response.status_code, response.headers["location"]) == (303, "/login?sso=done")
    collected = await client.post("/api/auth/sso/session", headers={"Authorization": ""})
    assert collected.status_code == 401, collected.text
    reason: str = collected.json()["detail"]
    return reason


async def test_a_provider_sign_in_creates_the_user_with_the_mapped_role(
    api_factory: ApiFactory, database_url: str, openid_provider: Provider
) -> None:
    api = await api_factory(database_url, **oidc_settings(openid_provider, BASE))
    methods = (await api.client.get("/api/auth/methods", headers={"Authorization": ""})).json()
    assert methods["providers"] == [
        {"id": "example", "name": "Example SSO", "start_url": "/api/auth/oidc/example/start"}
    ]
    assert "client_secret" not in str(methods)

    start = await api.client.get("/api/auth/oidc/example/start")
    query = parse_qs(urlsplit(start.headers["location"]).query)
    assert query["response_type"] == ["code"] and query["code_challenge_method"] == ["S256"]
    assert {"state", "nonce", "code_challenge"} <= query.keys()
    assert query["redirect_uri"] == [f"{BASE}/api/auth/oidc/example/callback"]
    # The pending sign-in is in an encrypted cookie: no verifier, state or nonce in clear.
    pending = start.headers["set-cookie"]
    assert "HttpOnly" in pending and "Path=/api/auth/oidc" in pending
    assert query["state"][0] not in pending and query["nonce"][0] not in pending
    challenge = query["code_challenge"][0]
    assert len(base64.urlsafe_b64decode(challenge + "=")) == len(hashlib.sha256().digest())

    alice = await sign_in_as(api, "alice")
    assert (alice["email"], alice["role"], alice["auth_provider"]) == (
        "alice@example.org",
        "admin",
        "oidc:example",
    )
    assert (await sign_in_as(api, "bob"))["role"] == "manager"
    # The token was handed over once.
    again = await api.client.post("/api/auth/sso/session", headers={"Authorization": ""})
    assert again.status_code == 404

    events = (await api.client.get("/api/audit", params={"action": "auth.login"})).json()
    event = next(e for e in events["items"] if e["user_email"] == "alice@example.org")
    assert event["via"] == "oidc:example"
    assert event["after"]["provider"] == "oidc:example"
    assert (event["after"]["subject"], event["after"]["role"]) == ("alice", "admin")


async def test_nobody_without_a_mapped_group_gets_in_unless_a_default_role_is_set(
    api_factory: ApiFactory, sqlite_url: str, openid_provider: Provider
) -> None:
    api = await api_factory(sqlite_url, **oidc_settings(openid_provider, BASE))
    carol = await come_back(api, await at_provider(api, "carol"))
    assert "not in any group" in await refusal(api.client, carol)
    assert (await api.client.post("/api/auth/sso/session")).status_code == 404
    fields = oidc_settings(openid_provider, BASE, default_role="reader")
    readers = await api_factory(sqlite_url, login=False, **fields)
    assert (await sign_in_as(readers, "carol"))["role"] == "reader"


async def test_the_role_follows_the_groups_at_every_sign_in(
    api_factory: ApiFactory, sqlite_url: str, openid_provider: Provider
) -> None:
    api = await api_factory(sqlite_url, **oidc_settings(openid_provider, BASE))
    bob = await sign_in_as(api, "bob")
    fields = oidc_settings(openid_provider, BASE, group_roles={"team-a": "editor"})
    later = await api_factory(sqlite_url, login=False, **fields)
    again = await sign_in_as(later, "bob")
    assert (again["id"], again["role"]) == (bob["id"], "editor")


async def test_tampered_state_missing_sign_in_and_replayed_codes_are_refused(
    api_factory: ApiFactory, sqlite_url: str, openid_provider: Provider
) -> None:
    api = await api_factory(sqlite_url, **oidc_settings(openid_provider, BASE))
    callback = await at_provider(api, "alice")
    tampered = callback.replace("state=", "state=x")
    assert "does not match" in await refusal(api.client, await come_back(api, tampered))
    # The refusal ended the pending sign-in: the genuine callback finds none now.
    assert "No sign-in in progress" in await refusal(api.client, await come_back(api, callback))

    callback = await at_provider(api, "alice")
    assert (await come_back(api, callback)).headers["location"] == "/login?sso=done"
    # The same code again, with a new pending sign-in's cookie: state and code both fail.
    await api.client.get("/api/auth/oidc/example/start")
    assert await refusal(api.client, await come_back(api, callback))
    denied = await api.client.get("/api/auth/oidc/example/callback?error=access_denied")
    assert "did not sign you in" in await refusal(api.client, denied)
    # A refusal cookie DNSMate did not seal says nothing of its own.
    api.client.cookies.set("dnsmate_sso_refused", "Call +1 555 0100", path="/api/auth/sso")
    forged = await api.client.post("/api/auth/sso/session", headers={"Authorization": ""})
    assert forged.status_code == 401
    assert forged.json()["detail"] == "The single sign-on did not finish: sign in again"
    assert (await api.client.get("/api/auth/oidc/nope/start")).status_code == 404


async def test_an_unverified_e_mail_does_not_open_the_account(
    api_factory: ApiFactory, sqlite_url: str, openid_provider: Provider
) -> None:
    api = await api_factory(sqlite_url, **oidc_settings(openid_provider, BASE))
    assert (await sign_in_as(api, "alice"))["role"] == "admin"
    mallory = await come_back(api, await at_provider(api, "mallory"))
    assert "has not verified" in await refusal(api.client, mallory)
    failed = (await api.client.get("/api/audit", params={"action": "auth.login_failed"})).json()
    assert failed["items"][0]["via"] == "oidc:example"


async def test_failed_callbacks_from_elsewhere_never_slow_other_peoples_sign_ins(
    api_factory: ApiFactory, sqlite_url: str, openid_provider: Provider
) -> None:
    """Callbacks are counted under ``oidc:<provider>``, an account everyone shares: anyone
    can fail one (``?error=...`` needs nothing), so failures from other addresses must not
    add the account-wide delay a password account gets, or a few addresses would keep
    every new sign-in out."""
    api = await api_factory(sqlite_url, **oidc_settings(openid_provider, BASE))
    for n in range(throttle.ACCOUNT_FREE // throttle.PAIR_FREE + 1):
        async with client_from(api, f"203.0.113.{n + 1}") as attacker:
            for _ in range(throttle.PAIR_FREE):
                failed = await attacker.get("/api/auth/oidc/example/callback?error=access_denied")
                assert "did not sign you in" in await refusal(attacker, failed)
    # The attacker's own address does wait.
    async with client_from(api, "203.0.113.1") as attacker:
        again = await attacker.get("/api/auth/oidc/example/callback?error=access_denied")
        assert "Too many failed logins" in await refusal(attacker, again)
    # Someone else, from an address that never signed in, is not slowed down.
    assert (await sign_in_as(api, "bob"))["role"] == "manager"


async def test_out_of_every_group_the_account_keeps_nothing(
    api_factory: ApiFactory, sqlite_url: str, openid_provider: Provider
) -> None:
    api = await api_factory(sqlite_url, **oidc_settings(openid_provider, BASE))
    alice = await sign_in_as(api, "alice")
    assert alice["role"] == "admin"
    fields = oidc_settings(openid_provider, BASE, group_roles={})
    later = await api_factory(sqlite_url, login=False, **fields)
    refused = await refusal(later.client, await come_back(later, await at_provider(later, "alice")))
    assert "not in any group" in refused and "withdrawn" in refused
    users = {u["email"]: u for u in (await api.client.get("/api/users")).json()}
    assert users["alice@example.org"]["role"] == "manager"

"""LDAP sign-in against a real slapd (tests/ldapserver.py): service bind, search, bind as
the person, groups within groups mapped to roles, deny by default, TLS verification, the
audit log and the Security page's recent sign-ins, and no secret in answers or logs."""

from __future__ import annotations

import logging

import httpx
import pytest
from pydantic import SecretStr

from tests import ldapserver
from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, USER_PASSWORD, Api, ApiFactory, make_user
from tests.conftest import ldap_settings as directory
from tests.ldapserver import Slapd, password_of


async def sign_in(api: Api, login: str, password: str) -> httpx.Response:
    return await api.client.post(
        "/api/auth/login",
        json={"email": login, "password": password},
        headers={"Authorization": ""},
    )


async def me(api: Api, response: httpx.Response) -> dict[str, object]:
    assert response.status_code == 200, response.text
    token = response.json()["access_token"]
    answer = await api.client.get("/api/users/me", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.text
    body: dict[str, object] = answer.json()
    return body


async def test_directory_people_sign_in_with_the_role_of_their_groups(
    api_factory: ApiFactory, database_url: str, slapd: Slapd
) -> None:
    api = await api_factory(database_url, **directory(slapd))
    alice = await me(api, await sign_in(api, "alice", password_of("alice")))
    assert (alice["email"], alice["role"], alice["auth_provider"]) == (
        "alice@example.org",
        "admin",
        "ldap",
    )
    # Signing in by e-mail address finds the same person and the same account.
    again = await me(api, await sign_in(api, "Alice@Example.org", password_of("alice")))
    assert again["id"] == alice["id"]
    # bob: team-a, which is a member of dns-managers.
    assert (await me(api, await sign_in(api, "bob", password_of("bob"))))["role"] == "manager"
    # dave: ops, in sre, in dns-editors (two levels of nesting).
    assert (await me(api, await sign_in(api, "dave", password_of("dave"))))["role"] == "editor"

    # The audit log names the provider, the directory's id for the person and the role.
    events = (await api.client.get("/api/audit", params={"action": "auth.login"})).json()
    dave = next(e for e in events["items"] if e["user_email"] == "dave@example.org")
    assert dave["via"] == "ldap"
    assert dave["after"]["provider"] == "ldap" and dave["after"]["role"] == "editor"
    assert len(dave["after"]["subject"]) == 36  # entryUUID


async def test_wrong_or_empty_passwords_and_filter_characters_are_refused(
    api_factory: ApiFactory, sqlite_url: str, slapd: Slapd
) -> None:
    api = await api_factory(sqlite_url, **directory(slapd))
    assert (await sign_in(api, "alice", "not her password")).status_code == 401
    # An empty password would be an unauthenticated bind, which slapd accepts.
    assert (await sign_in(api, "alice", "")).status_code == 422
    assert (await sign_in(api, "alice", " ")).status_code == 401
    assert (await sign_in(api, "*)(uid=*", password_of("alice"))).status_code == 401
    assert (await sign_in(api, "al*", password_of("alice"))).status_code == 401
    assert (await sign_in(api, "nobody", "whatever it is")).status_code == 401
    # The local admin still signs in with the DNSMate password.
    assert (await sign_in(api, ADMIN_EMAIL, ADMIN_PASSWORD)).status_code == 200


async def test_nobody_without_a_mapped_group_gets_in_unless_a_default_role_is_set(
    api_factory: ApiFactory, sqlite_url: str, slapd: Slapd
) -> None:
    api = await api_factory(sqlite_url, **directory(slapd))
    refused = await sign_in(api, "carol", password_of("carol"))
    assert refused.status_code == 403
    assert "not in any group" in refused.json()["detail"]
    users = (await api.client.get("/api/users")).json()
    assert "carol@example.org" not in {u["email"] for u in users}

    fields = directory(slapd, ldap_default_role="reader")
    reader = await api_factory(sqlite_url, login=False, **fields)
    carol = await me(reader, await sign_in(reader, "carol", password_of("carol")))
    assert carol["role"] == "reader"


async def test_direct_groups_only_when_nesting_is_off(
    api_factory: ApiFactory, sqlite_url: str, slapd: Slapd
) -> None:
    api = await api_factory(sqlite_url, **directory(slapd, ldap_nested_groups="off"))
    assert (await sign_in(api, "dave", password_of("dave"))).status_code == 403
    assert (await me(api, await sign_in(api, "alice", password_of("alice"))))["role"] == "admin"


async def test_the_role_follows_the_directory_at_every_sign_in(
    api_factory: ApiFactory, sqlite_url: str, slapd: Slapd
) -> None:
    first = await api_factory(sqlite_url, **directory(slapd))
    bob = await me(first, await sign_in(first, "bob", password_of("bob")))
    assert bob["role"] == "manager"
    # The admin's mapping changes: team-a now gives editor.
    rules = {ldapserver.group_dn("team-a"): "editor"}
    second = await api_factory(sqlite_url, login=False, **directory(slapd, ldap_group_roles=rules))
    again = await me(second, await sign_in(second, "bob", password_of("bob")))
    assert (again["id"], again["role"]) == (bob["id"], "editor")
    # Out of every mapped group: refused, and the account keeps no more than it had.
    third = await api_factory(sqlite_url, login=False, **directory(slapd, ldap_group_roles={}))
    assert (await sign_in(third, "bob", password_of("bob"))).status_code == 403


async def test_out_of_every_group_the_account_loses_what_its_groups_gave(
    api_factory: ApiFactory, sqlite_url: str, slapd: Slapd
) -> None:
    """Refusing the sign-in is not enough: the person's API tokens (and DNS update keys)
    act with the account's role, which must not stay admin once no group gives it."""
    first = await api_factory(sqlite_url, **directory(slapd))
    signed = await sign_in(first, "alice", password_of("alice"))
    assert (await me(first, signed))["role"] == "admin"
    as_alice = {"Authorization": f"Bearer {signed.json()['access_token']}"}
    created = await first.client.post("/api/tokens", json={"name": "ci"}, headers=as_alice)
    assert created.status_code == 201, created.text
    token = {"Authorization": f"Bearer {created.json()['token']}"}
    assert (await first.client.get("/api/users", headers=token)).status_code == 200

    rules = {"ldap_group_roles": {}, "ldap_group_zones": {}}
    second = await api_factory(sqlite_url, login=False, **directory(slapd, **rules))
    refused = await sign_in(second, "alice", password_of("alice"))
    assert refused.status_code == 403 and "not in any group" in refused.json()["detail"]
    assert (await second.client.get("/api/users", headers=token)).status_code == 403
    mine = (await second.client.get("/api/users/me", headers=token)).json()
    assert (mine["role"], mine["is_active"]) == ("manager", True)

    # Back in her group, her next sign-in gives the role back.
    third = await api_factory(sqlite_url, login=False, **directory(slapd))
    assert (await me(third, await sign_in(third, "alice", password_of("alice"))))["role"] == "admin"


async def test_a_local_account_with_the_same_e_mail_is_not_taken_over(
    api_factory: ApiFactory, sqlite_url: str, slapd: Slapd
) -> None:
    api = await api_factory(sqlite_url, **directory(slapd))
    await make_user(api, "alice@example.org", "reader")
    # The local account keeps its own password; the directory's is not tried for it.
    assert (await sign_in(api, "alice@example.org", password_of("alice"))).status_code == 401
    assert (await sign_in(api, "alice@example.org", USER_PASSWORD)).status_code == 200
    taken = await sign_in(api, "alice", password_of("alice"))
    assert taken.status_code == 403
    assert "signs in another way" in taken.json()["detail"]


async def test_certificates_are_verified_on_starttls_and_ldaps(
    api_factory: ApiFactory, sqlite_url: str, slapd: Slapd, caplog: pytest.LogCaptureFixture
) -> None:
    # No CA given: slapd's certificate (from the test's own CA) is not trusted.
    untrusted = await api_factory(sqlite_url, **directory(slapd, ldap_ca_file=None))
    answer = await sign_in(untrusted, "alice", password_of("alice"))
    assert answer.status_code == 503
    assert "certificate verify failed" in answer.json()["detail"]
    # ldaps:// with the CA works, and so does StartTLS with it (the default fixture).
    ldaps = await api_factory(sqlite_url, login=False, **directory(slapd, ldap_url=slapd.ldaps_url))
    assert (await me(ldaps, await sign_in(ldaps, "alice", password_of("alice"))))["role"] == "admin"
    # Verification off (documented as unsafe) accepts the unknown CA.
    unchecked = await api_factory(
        sqlite_url, login=False, **directory(slapd, ldap_ca_file=None, ldap_verify_tls=False)
    )
    assert (await sign_in(unchecked, "alice", password_of("alice"))).status_code == 200


async def test_a_wrong_service_password_says_so_without_the_password(
    api_factory: ApiFactory, sqlite_url: str, slapd: Slapd, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = SecretStr("wrong-service-secret")
    api = await api_factory(sqlite_url, **directory(slapd, ldap_bind_password=wrong))
    answer = await sign_in(api, "alice", password_of("alice"))
    assert answer.status_code == 503
    assert "refused the service account" in answer.json()["detail"]
    assert "wrong-service-secret" not in answer.text
    assert "wrong-service-secret" not in caplog.text
    assert password_of("alice") not in caplog.text
    settings = (await api.client.get("/api/users/me")).text
    assert "service-secret" not in settings


async def test_recent_sign_ins_are_listed_for_their_owner(
    api_factory: ApiFactory, sqlite_url: str, slapd: Slapd
) -> None:
    api = await api_factory(sqlite_url, **directory(slapd))
    assert (await sign_in(api, "alice@example.org", "a wrong password")).status_code == 401
    token = (await sign_in(api, "alice", password_of("alice"))).json()["access_token"]
    mine = await api.client.get(
        "/api/users/me/sign-ins", headers={"Authorization": f"Bearer {token}"}
    )
    assert mine.status_code == 200, mine.text
    latest, failed = mine.json()[:2]
    assert (latest["succeeded"], latest["method"], latest["role"]) == (True, "ldap", "admin")
    assert failed["succeeded"] is False
    # The admin's own list has only the admin's sign-ins.
    admins = (await api.client.get("/api/users/me/sign-ins")).json()
    assert {s["method"] for s in admins} == {"password"}


async def test_break_glass_keeps_one_local_admin_and_turns_other_passwords_off(
    api_factory: ApiFactory, sqlite_url: str, slapd: Slapd
) -> None:
    api = await api_factory(sqlite_url, **directory(slapd))
    await make_user(api, "local@example.com", "editor")
    limited = await api_factory(
        sqlite_url,
        login=False,
        **directory(slapd, local_login="break-glass", break_glass_emails=ADMIN_EMAIL),
    )
    refused = await sign_in(limited, "local@example.com", USER_PASSWORD)
    assert refused.status_code == 403
    assert "single sign-on" in refused.json()["detail"]
    # A wrong password still says only that it is wrong.
    assert (await sign_in(limited, "local@example.com", "not the password")).status_code == 401
    assert (await sign_in(limited, ADMIN_EMAIL, ADMIN_PASSWORD)).status_code == 200
    assert (await sign_in(limited, "alice", password_of("alice"))).status_code == 200

"""Directory groups granting zones to managers, against slapd and real PowerDNS servers: the
manager writes in the mapped zone (the DNS answer shows it), not elsewhere; a mapped zone
that does not exist is not granted; grants follow the mapping at the next sign-in."""

from __future__ import annotations

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests import ldapserver
from tests.conftest import ApiFactory, ldap_settings
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.test_zone_grants import make_zone, writes_only_in
from tests.ldapserver import Slapd, password_of


async def test_group_zones_are_granted_to_managers_at_every_sign_in(
    api_factory: ApiFactory, sqlite_url: str, slapd: Slapd, pdns_servers: list[LocalPowerDNS]
) -> None:
    team, other, missing = unique_zone("team"), unique_zone("other"), unique_zone("missing")
    groups = {ldapserver.group_dn("dns-managers"): [team, missing]}
    api = await api_factory(
        sqlite_url, **ldap_settings(slapd, ldap_group_roles={}, ldap_group_zones=groups)
    )
    await register_servers(api.client, pdns_servers, (True, True, True))
    for zone in (team, other):
        await make_zone(api, zone)

    login = {"email": "bob", "password": password_of("bob")}
    signed = await api.client.post("/api/auth/login", json=login, headers={"Authorization": ""})
    assert signed.status_code == 200, signed.text
    as_bob = {"Authorization": f"Bearer {signed.json()['access_token']}"}
    bob = (await api.client.get("/api/users/me", headers=as_bob)).json()
    assert (bob["role"], bob["zones"]) == ("manager", [team])

    await writes_only_in(api, as_bob, team, other, pdns_servers, "192.0.2.44")

    # The mapping moves bob's group to the other zone: the next sign-in follows it.
    moved = {ldapserver.group_dn("team-a"): [other]}
    later = await api_factory(
        sqlite_url, login=False, **ldap_settings(slapd, ldap_group_roles={}, ldap_group_zones=moved)
    )
    again = await later.client.post("/api/auth/login", json=login)
    assert again.status_code == 200, again.text
    as_bob = {"Authorization": f"Bearer {again.json()['access_token']}"}
    assert (await later.client.get("/api/users/me", headers=as_bob)).json()["zones"] == [other]
    await writes_only_in(later, as_bob, other, team, pdns_servers, "192.0.2.45", name="moved")

"""Record limits hold on the protocols too: an RFC 2136 UPDATE or a DynDNS2 call that the
user's limits forbid is refused in the protocol's own terms (REFUSED, ``nohost``), audited,
and writes nothing; the allowed RRsets still go through."""

from __future__ import annotations

import httpx

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import ApiFactory, login_headers, make_user
from tests.integration.conftest import unique_zone
from tests.integration.dnsupdateutil import gateway_api, make_key, nsupdate
from tests.integration.dnsutil import dns_query
from tests.integration.syncutil import create_zone
from tests.integration.test_audit import events

ACME = {"types": ["TXT"], "names": ["_acme-challenge", "_acme-challenge.*"]}


async def test_record_limits_answer_refused_and_nohost_and_are_audited(
    api_factory: ApiFactory, sqlite_url: str, pdns: list[LocalPowerDNS]
) -> None:
    api, port = await gateway_api(api_factory, sqlite_url, pdns)
    zone = unique_zone("limits")
    assert (await create_zone(api, zone)).status_code == 201
    certbot = await make_user(api, "acme@example.com", "manager")
    assert (await api.client.put(f"/api/users/{certbot}/zones", json={"zones": [zone]})).is_success
    as_certbot = await login_headers(api, "acme@example.com")
    key = await make_key(api, "acme-key", **as_certbot)
    created = await api.client.post(
        "/api/tokens", json={"name": "acme-router", "hosts": [f"www.{zone}"]}, headers=as_certbot
    )
    assert created.status_code == 201, created.text
    token = created.json()["token"]
    # Limits set after the key and the token were made apply to them.
    limited = await api.client.put(f"/api/users/{certbot}", json={"record_limits": ACME})
    assert limited.status_code == 200, limited.text

    www = f"www.{zone}."
    refused = await nsupdate(port, key, f"zone {zone}\nupdate add {www} 300 A 192.0.2.1")
    assert refused.returncode != 0 and "status: REFUSED" in refused.output, refused.output
    challenge = f"_acme-challenge.{zone}."
    allowed = await nsupdate(port, key, f'zone {zone}\nupdate add {challenge} 60 TXT "tok"')
    assert allowed.returncode == 0, allowed.output
    mixed = await nsupdate(
        port,
        key,
        f'zone {zone}\nupdate add {challenge} 60 TXT "two"\nupdate add {www} 300 A 192.0.2.2',
        tcp=True,
    )
    assert "status: REFUSED" in mixed.output, mixed.output

    dyn = await api.client.get(
        "/nic/update",
        params={"hostname": f"www.{zone}", "myip": "192.0.2.3"},
        auth=httpx.BasicAuth("user", token),
        headers={"Authorization": ""},
    )
    assert (dyn.status_code, dyn.text) == (200, "nohost")

    for server in pdns:
        assert dns_query(server, www, "A") == []
        assert dns_query(server, challenge, "TXT") == ['"tok"']
    log = await events(api.client, zone=zone, action="record.dnsupdate")
    outcomes = sorted(e["outcome"] for e in log)
    assert outcomes == ["failed", "failed", "success"], log
    failed = [e for e in log if e["outcome"] == "failed"]
    assert all("acme@example.com's limits" in e["detail"] for e in failed), failed
    assert await events(api.client, zone=zone, action="record.dyndns") == []


async def test_a_deleted_zone_leaves_the_keys_limited_to_it_and_a_new_one_is_not_theirs(
    api_factory: ApiFactory, sqlite_url: str, pdns: list[LocalPowerDNS]
) -> None:
    """As zone-limited API tokens: a DNS update key limited to a zone that is deleted must
    not reach a zone created later under the same name (someone else's, perhaps)."""
    api, port = await gateway_api(api_factory, sqlite_url, pdns)
    zone, kept = unique_zone("gone"), unique_zone("kept")
    for name in (zone, kept):
        assert (await create_zone(api, name)).status_code == 201
    key = await make_key(api, "gone-key", zones=[zone, kept])
    assert (await api.client.delete(f"/api/zones/{zone}")).status_code == 200
    listed = (await api.client.get("/api/dns-update/keys")).json()
    assert [k["zones"] for k in listed if k["name"] == "gone-key"] == [[kept]]

    assert (await create_zone(api, zone)).status_code == 201  # the name again, a new zone
    www = f"www.{zone}."
    refused = await nsupdate(port, key, f"zone {zone}\nupdate add {www} 300 A 192.0.2.1")
    assert "status: REFUSED" in refused.output, refused.output
    for server in pdns:
        assert dns_query(server, www, "A") == []
    still = await nsupdate(port, key, f"zone {kept}\nupdate add www.{kept}. 300 A 192.0.2.1")
    assert still.returncode == 0, still.output

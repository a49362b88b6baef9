"""Names with RFC 1035 escapes or "/" are refused on both APIs: PowerDNS would decode
``\\119ww`` to ``www`` (replacing that RRset) while DNSMate's permissions, audit and versions
compare the text, and a zone named with "/" could be created but never opened."""

from __future__ import annotations

from urllib.parse import quote

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import Api
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query

COMPAT = "/api/v1/servers/localhost/zones"


async def test_escaped_and_slashed_names_are_refused(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers[:2], (True, True))
    zone = unique_zone("esc")
    body = {"name": zone, "kind": "Native", "nameservers": ["ns1.example.net."]}
    assert (await api.client.post("/api/zones", json=body)).status_code == 201
    www = {"name": "www", "type": "A", "content": "192.0.2.1", "ttl": 300}
    assert (await api.client.post(f"/api/records/{zone}", json=www)).status_code == 201
    www2 = {**www, "content": "192.0.2.2"}
    assert (await api.client.post(f"/api/records/{zone}", json=www2)).status_code == 201

    escaped = {"name": "\\119ww", "type": "A", "content": "192.0.2.9", "ttl": 300}
    response = await api.client.post(f"/api/records/{zone}", json=escaped)
    assert response.status_code == 422, response.text
    token = (await api.client.post("/api/tokens", json={"name": "tool"})).json()["token"]
    headers = {"X-API-Key": token, "Authorization": ""}
    rrset = {"name": f"\\119ww.{zone}.", "type": "A", "ttl": 300, "changetype": "REPLACE",
             "records": [{"content": "192.0.2.9", "disabled": False}]}  # fmt: skip
    patched = await api.client.patch(f"{COMPAT}/{zone}.", json={"rrsets": [rrset]}, headers=headers)
    assert patched.status_code == 422, patched.text
    for server in pdns_servers[:2]:  # the www RRset keeps both records
        assert dns_query(server, f"www.{zone}.", "A") == ["192.0.2.1", "192.0.2.2"]

    for name in ("a/b.example", "a\\b.example", f"\\{ord(zone[0]):03d}{zone[1:]}"):
        created = await api.client.post("/api/zones", json={**body, "name": name})
        assert created.status_code == 422, (name, created.text)
        compat = await api.client.post(COMPAT, json={**body, "name": name + "."}, headers=headers)
        assert compat.status_code == 422, (name, compat.text)
    # Deleting or reading a zone under an escaped spelling of its name is refused too.
    spelled = quote(f"\\{ord(zone[0]):03d}{zone[1:]}", safe="")
    assert (await api.client.delete(f"/api/zones/{spelled}")).status_code == 422
    assert (await api.client.get(f"/api/records/{spelled}")).status_code == 422
    assert (await api.client.get(f"/api/zones/{zone}")).status_code == 200

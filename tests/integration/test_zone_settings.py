"""Zone settings after creation (kind, masters, SOA-EDIT-API, metadata), NOTIFY and
"retrieve from master", on every server: checked in each server's API and over DNS."""

from __future__ import annotations

import base64
import secrets
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import dns.name
import dns.query
import dns.tsigkeyring
import dns.zone
import httpx

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import Api, login_as_role
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query

NS = ["ns1.example.net."]


def direct(server: LocalPowerDNS) -> httpx.Client:
    return httpx.Client(
        base_url=f"{server.api_url}/api/v1/servers/localhost",
        headers={"X-API-Key": server.api_key, "Accept": "application/json"},
    )


def wait_for(probe: Callable[[], list[str]]) -> list[str]:
    """The probe's first non-empty answer: the transfer runs in the server's background."""
    for _ in range(100):
        if answer := probe():
            return answer
        time.sleep(0.1)
    return probe()


def signed_transfer(server: LocalPowerDNS, zone: str, key: str, secret: str) -> dns.zone.Zone:
    """``zone`` transferred from ``server`` by AXFR signed with the hmac-sha256 ``key``."""
    keyring = dns.tsigkeyring.from_text({f"{key}.": ("hmac-sha256", secret)})
    xfr = dns.query.xfr("127.0.0.1", f"{zone}.", port=server.dns_port, keyring=keyring,
                        keyalgorithm="hmac-sha256")  # fmt: skip
    return dns.zone.from_xfr(xfr)


def server_view(server: LocalPowerDNS, zone: str) -> dict[str, Any]:
    with direct(server) as client:
        data = client.get(f"/zones/{zone}.", params={"rrsets": "false"}).json()
        metadata = {m["kind"]: m["metadata"] for m in client.get(f"/zones/{zone}./metadata").json()}
    return {"kind": data["kind"], "masters": data["masters"],
            "soa_edit_api": data["soa_edit_api"], "metadata": metadata}  # fmt: skip


async def test_settings_and_metadata_set_on_every_server_and_undone_per_kind(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers, (True, True, True))
    zone = unique_zone("set")
    assert (await api.client.post("/api/zones", json={"name": zone, "nameservers": NS})).is_success
    key = await api.client.post("/api/tsigkeys", json={"name": f"xfr-{zone}"})
    assert key.status_code == 201, key.text

    response = await api.client.put(
        f"/api/zones/{zone}/settings",
        json={"kind": "master", "soa_edit_api": "increase",
              "metadata": {"ALSO-NOTIFY": ["192.0.2.54:5300"],
                           "ALLOW-AXFR-FROM": ["192.0.2.0/24", "AUTO-NS"],
                           "TSIG-ALLOW-AXFR": [f"xfr-{zone}."],
                           "SOA-EDIT": ["inception-increment"]}},
    )  # fmt: skip

    assert response.status_code == 200, response.text
    for server in pdns_servers:
        view = server_view(server, zone)
        assert (view["kind"], view["soa_edit_api"]) == ("Master", "INCREASE")
        assert view["metadata"]["ALSO-NOTIFY"] == ["192.0.2.54:5300"]
        assert sorted(view["metadata"]["ALLOW-AXFR-FROM"]) == ["192.0.2.0/24", "AUTO-NS"]
        assert view["metadata"]["TSIG-ALLOW-AXFR"] == [f"xfr-{zone}."]
        assert view["metadata"]["SOA-EDIT"] == ["INCEPTION-INCREMENT"]
    shown = (await api.client.get(f"/api/zones/{zone}/settings")).json()
    assert shown["kind"] == "Master" and shown["metadata"]["ALSO-NOTIFY"] == ["192.0.2.54:5300"]
    notified = await api.client.post(f"/api/zones/{zone}/notify")
    assert notified.status_code == 200, notified.text

    removed = await api.client.put(
        f"/api/zones/{zone}/settings", json={"metadata": {"ALSO-NOTIFY": []}}
    )
    assert removed.status_code == 200, removed.text
    for server in pdns_servers:
        view = server_view(server, zone)
        assert "ALSO-NOTIFY" not in view["metadata"] and view["kind"] == "Master"
    bad = await api.client.put(
        f"/api/zones/{zone}/settings", json={"metadata": {"ALSO-NOTIFY": ["not-an-ip"]}}
    )
    assert bad.status_code == 422 and bad.json()["field"] == "metadata.ALSO-NOTIFY"
    events = (await api.client.get("/api/audit", params={"zone": zone})).json()["items"]
    assert {"zone.settings", "zone.notify"} <= {e["action"] for e in events}


async def test_slave_zone_retrieves_from_its_master_on_every_server(
    api: Api, pdns_servers: list[LocalPowerDNS], tmp_path: Path
) -> None:
    master = pdns_servers[0]
    zone = unique_zone("sec")
    with direct(master) as client:  # a primary outside DNSMate's targets
        created = client.post("/zones", json={
            "name": f"{zone}.", "kind": "Master", "nameservers": NS,
            "rrsets": [{"name": f"www.{zone}.", "type": "A", "ttl": 60,
                        "records": [{"content": "192.0.2.80", "disabled": False}]}],
        })  # fmt: skip
        assert created.status_code == 201, created.text
    # PowerDNS transfers zones only with secondary=yes (its communicator runs then).
    targets = [
        LocalPowerDNS(name=f"Secondary {n}", workdir=tmp_path / f"s{n}",
                      api_key=secrets.token_urlsafe(16), extra_settings={"secondary": "yes"})
        for n in (1, 2)
    ]  # fmt: skip
    try:
        for server in targets:
            server.start()
        await register_servers(api.client, targets, (True, True))
        primary = f"127.0.0.1:{master.dns_port}"
        made = await api.client.post(
            "/api/zones", json={"name": zone, "kind": "Slave", "masters": ["192.0.2.1"]}
        )
        assert made.status_code == 201, made.text

        turned = await api.client.put(f"/api/zones/{zone}/settings", json={"masters": [primary]})
        assert turned.status_code == 200, turned.text
        retrieved = await api.client.post(f"/api/zones/{zone}/axfr-retrieve")

        assert retrieved.status_code == 200, retrieved.text
        for server in targets:
            assert server_view(server, zone)["masters"] == [primary]
            answer = wait_for(lambda s=server: dns_query(s, f"www.{zone}.", "A"))
            assert answer == ["192.0.2.80"]
    finally:
        for server in targets:
            server.stop()


async def test_tsig_keys_with_one_secret_on_every_server(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers, (True, True, True))
    zone = unique_zone("tsig")
    assert (await api.client.post("/api/zones", json={"name": zone, "nameservers": NS})).is_success
    name = f"k-{zone}"
    imported = base64.b64encode(b"0123456789abcdef0123456789abcdef").decode()

    made = await api.client.post("/api/tsigkeys", json={"name": name})
    assert made.status_code == 201, made.text
    secret = made.json()["secret"]
    other = await api.client.post(
        "/api/tsigkeys", json={"name": f"i-{zone}", "algorithm": "hmac-sha512", "secret": imported}
    )
    assert other.status_code == 201, other.text
    allowed = await api.client.put(
        f"/api/zones/{zone}/settings", json={"metadata": {"TSIG-ALLOW-AXFR": [name]}}
    )
    assert allowed.status_code == 200, allowed.text

    for server in pdns_servers:  # a TSIG-signed transfer with the key works on every server
        assert signed_transfer(server, zone, name, secret).origin == dns.name.from_text(f"{zone}.")
        with direct(server) as client:
            assert client.get(f"/tsigkeys/i-{zone}.").json()["key"] == imported
    listed = (await api.client.get("/api/tsigkeys")).json()["items"]
    assert {"name": name, "id": f"{name}.", "algorithm": "hmac-sha256"} in listed
    assert all("secret" not in k and "key" not in k for k in listed)
    revealed = await api.client.get(f"/api/tsigkeys/{name}/secret")
    assert revealed.status_code == 200 and revealed.json()["secret"] == secret
    events = (await api.client.get("/api/audit", params={"action": "tsigkey.reveal"})).json()
    assert any(e["target"] == f"TSIG key {name}" for e in events["items"])
    async with login_as_role(api, "editor") as editor:
        assert (await editor.get(f"/api/tsigkeys/{name}/secret")).status_code == 403
        assert (await editor.get("/api/tsigkeys")).status_code == 200

    gone = await api.client.delete(f"/api/tsigkeys/{name}")
    assert gone.status_code == 200, gone.text
    for server in pdns_servers:
        with direct(server) as client:
            assert client.get(f"/tsigkeys/{name}.").status_code == 404


async def test_a_tsig_key_rotated_renamed_and_given_an_algorithm_on_every_server(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers, (True, True, True))
    zone = unique_zone("rot")
    assert (await api.client.post("/api/zones", json={"name": zone, "nameservers": NS})).is_success
    name, renamed = f"r-{zone}", f"n-{zone}"
    old = (await api.client.post("/api/tsigkeys", json={"name": name})).json()["secret"]
    allowed = await api.client.put(
        f"/api/zones/{zone}/settings", json={"metadata": {"TSIG-ALLOW-AXFR": [name]}}
    )
    assert allowed.status_code == 200, allowed.text

    rotated = await api.client.put(f"/api/tsigkeys/{name}", json={"rotate": True})
    assert rotated.status_code == 200, rotated.text
    new = rotated.json()["secret"]
    assert new and new != old and rotated.json()["name"] == name
    for server in pdns_servers:  # the new secret signs a transfer on every server
        with direct(server) as client:
            assert client.get(f"/tsigkeys/{name}.").json()["key"] == new
        assert signed_transfer(server, zone, name, new).origin == dns.name.from_text(f"{zone}.")
    events = (await api.client.get("/api/audit", params={"action": "tsigkey.update"})).json()
    [event] = [e for e in events["items"] if e["target"] == f"TSIG key {name}"]
    assert event["outcome"] == "success" and new not in str(event) and old not in str(event)

    changed = await api.client.put(
        f"/api/tsigkeys/{name}", json={"name": renamed, "algorithm": "hmac-sha512"}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["secret"] is None  # not changed: not shown again
    assert (changed.json()["name"], changed.json()["algorithm"]) == (renamed, "hmac-sha512")
    for server in pdns_servers:
        with direct(server) as client:
            assert client.get(f"/tsigkeys/{name}.").status_code == 404
            key = client.get(f"/tsigkeys/{renamed}.").json()
            assert (key["algorithm"], key["key"]) == ("hmac-sha512", new)

    for body, status, field in (
        ({"rotate": True, "secret": old}, 422, "rotate"),
        ({}, 422, "name"),
        ({"algorithm": "hmac-md2"}, 422, "algorithm"),
        ({"secret": "not base64!"}, 422, "secret"),
    ):
        refused = await api.client.put(f"/api/tsigkeys/{renamed}", json=body)
        assert refused.status_code == status, (body, refused.text)
        assert field in refused.text, refused.text
    other = await api.client.post("/api/tsigkeys", json={"name": f"o-{zone}"})
    assert other.status_code == 201
    taken = await api.client.put(f"/api/tsigkeys/{renamed}", json={"name": f"o-{zone}"})
    assert taken.status_code == 409, taken.text
    missing = await api.client.put(f"/api/tsigkeys/x-{zone}", json={"rotate": True})
    assert missing.status_code == 404, missing.text
    async with login_as_role(api, "editor") as editor:
        denied = await editor.put(f"/api/tsigkeys/{renamed}", json={"rotate": True})
        assert denied.status_code == 403
    for server in pdns_servers:  # nothing refused changed anything
        with direct(server) as client:
            assert client.get(f"/tsigkeys/{renamed}.").json()["key"] == new


async def test_compat_metadata_and_tsigkey_routes_fan_out(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers, (True, True, True))
    token = (await api.client.post("/api/tokens", json={"name": "pdns"})).json()["token"]
    headers = {"X-API-Key": token, "Authorization": ""}
    zone = unique_zone("meta")
    assert (await api.client.post("/api/zones", json={"name": zone, "nameservers": NS})).is_success
    base = f"/api/v1/servers/localhost/zones/{zone}./metadata"

    put = await api.client.put(
        f"{base}/ALSO-NOTIFY", json={"metadata": ["192.0.2.9"]}, headers=headers
    )
    assert put.status_code == 200, put.text
    assert put.json() == {"kind": "ALSO-NOTIFY", "metadata": ["192.0.2.9"], "type": "Metadata"}
    post = await api.client.post(
        base, json={"kind": "ALSO-NOTIFY", "metadata": ["192.0.2.10"]}, headers=headers
    )
    assert post.status_code == 201, post.text
    assert sorted(post.json()["metadata"]) == ["192.0.2.10", "192.0.2.9"]
    for server in pdns_servers:
        assert sorted(server_view(server, zone)["metadata"]["ALSO-NOTIFY"]) == [
            "192.0.2.10", "192.0.2.9"
        ]  # fmt: skip
    listed = (await api.client.get(base, headers=headers)).json()
    also = next(m for m in listed if m["kind"] == "ALSO-NOTIFY")
    assert sorted(also["metadata"]) == ["192.0.2.10", "192.0.2.9"]
    bad = await api.client.put(f"{base}/FOO", json={"metadata": ["x"]}, headers=headers)
    assert bad.status_code == 422 and "Unsupported metadata kind" in bad.json()["error"]
    gone = await api.client.delete(f"{base}/ALSO-NOTIFY", headers=headers)
    assert gone.status_code == 200, gone.text
    for server in pdns_servers:
        assert "ALSO-NOTIFY" not in server_view(server, zone)["metadata"]

    keys = "/api/v1/servers/localhost/tsigkeys"
    made = await api.client.post(
        keys, json={"name": f"c-{zone}", "algorithm": "hmac-sha256"}, headers=headers
    )
    assert made.status_code == 201, made.text
    secret = made.json()["key"]
    for server in pdns_servers:
        with direct(server) as client:
            assert client.get(f"/tsigkeys/c-{zone}.").json()["key"] == secret
    shown = await api.client.get(f"{keys}/c-{zone}.", headers=headers)
    assert shown.status_code == 200 and shown.json()["key"] == secret
    assert all(k["key"] == "" for k in (await api.client.get(keys, headers=headers)).json())
    deleted = await api.client.delete(f"{keys}/c-{zone}.", headers=headers)
    assert deleted.status_code == 204, deleted.text
    assert (await api.client.get(f"{keys}/c-{zone}.", headers=headers)).status_code == 404
    for server in pdns_servers:
        with direct(server) as client:
            assert client.get(f"/tsigkeys/c-{zone}.").status_code == 404

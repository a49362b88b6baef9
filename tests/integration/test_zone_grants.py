"""Managers' zone grants against real PowerDNS: only existing zones, gone with the zone."""

from __future__ import annotations

from sqlalchemy import select

from dnsmate.dev.pdns_local import LocalPowerDNS
from dnsmate.models import ZoneGrant
from tests.conftest import Api, login_headers, make_user
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query

NS = ["ns1.example.net."]


async def make_zone(api: Api, zone: str) -> None:
    created = await api.client.post(
        "/api/zones", json={"name": zone, "kind": "Native", "nameservers": NS}
    )
    assert created.status_code == 201, created.text


async def writes_only_in(
    api: Api,
    headers: dict[str, str],
    granted: str,
    other: str,
    servers: list[LocalPowerDNS],
    content: str,
    name: str = "app",
) -> None:
    """The user of ``headers`` adds ``name`` in ``granted`` (served by every server) and is
    refused the same record in ``other`` (served by none)."""
    record = {"name": name, "type": "A", "content": content, "ttl": 300}
    added = await api.client.post(f"/api/records/{granted}", json=record, headers=headers)
    assert added.status_code == 201, added.text
    denied = await api.client.post(f"/api/records/{other}", json=record, headers=headers)
    assert denied.status_code == 403, denied.text
    for server in servers:
        assert dns_query(server, f"{name}.{granted}.", "A") == [content]
        assert dns_query(server, f"{name}.{other}.", "A") == []


async def test_manager_works_in_granted_zones_only(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers, (True, True, True))
    granted, other = unique_zone("mgr"), unique_zone("mgr")
    await make_zone(api, granted)
    await make_zone(api, other)
    manager_id = await make_user(api, "mgr@example.com", "manager")
    missing = unique_zone("missing")
    refused = await api.client.put(
        f"/api/users/{manager_id}/zones", json={"zones": [granted, missing]}
    )
    assert refused.status_code == 422 and missing in refused.json()["message"]
    set_ = await api.client.put(f"/api/users/{manager_id}/zones", json={"zones": [granted + "."]})
    assert set_.status_code == 200 and set_.json()["zones"] == [granted]
    as_mgr = await login_headers(api, "mgr@example.com")
    assert (await api.client.get("/api/users/me", headers=as_mgr)).json()["zones"] == [granted]

    await writes_only_in(api, as_mgr, granted, other, pdns_servers, "192.0.2.7")
    delete = await api.client.delete(f"/api/zones/{granted}", headers=as_mgr)
    assert delete.status_code == 403

    # A manager's token can only narrow the manager: no zone beyond the grants.
    beyond = await api.client.post(
        "/api/tokens", json={"name": "t", "zones": [other]}, headers=as_mgr
    )
    assert beyond.status_code == 422 and beyond.json()["field"] == "zones"
    token = await api.client.post("/api/tokens", json={"name": "t"}, headers=as_mgr)
    as_mgr_token = {"Authorization": f"Bearer {token.json()['token']}"}
    listed = await api.client.get("/api/zones", headers=as_mgr_token)
    assert [z["name"] for z in listed.json()["items"]] == [granted]

    editor_id = await make_user(api, "ed@example.com", "editor")
    not_manager = await api.client.put(f"/api/users/{editor_id}/zones", json={"zones": [other]})
    assert not_manager.status_code == 422


async def test_deleting_a_zone_removes_its_grants(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers, (True, True, False))
    zone, kept = unique_zone("gone"), unique_zone("kept")
    await make_zone(api, zone)
    await make_zone(api, kept)
    manager_id = await make_user(api, "mgr@example.com", "manager")
    assert (
        await api.client.put(f"/api/users/{manager_id}/zones", json={"zones": [zone, kept]})
    ).status_code == 200
    token = await api.client.post("/api/tokens", json={"name": "one zone", "zones": [zone]})
    as_token = {"Authorization": f"Bearer {token.json()['token']}"}

    assert (await api.client.delete(f"/api/zones/{zone}")).status_code == 200
    assert (await api.client.get(f"/api/users/{manager_id}")).json()["zones"] == [kept]
    async with api.context.sessions() as session:
        rows = (await session.scalars(select(ZoneGrant.zone))).all()
    assert list(rows) == [kept + "."]

    # A zone re-created under the same name is not reachable through old permissions.
    await make_zone(api, zone)
    as_mgr = await login_headers(api, "mgr@example.com")
    assert (await api.client.get(f"/api/zones/{zone}", headers=as_mgr)).status_code == 403
    assert (await api.client.get(f"/api/zones/{zone}", headers=as_token)).status_code == 403
    listed = await api.client.get("/api/tokens")
    assert listed.json()[0]["zones"] == []


async def test_leaving_the_manager_role_drops_grants(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers[:1], (False,))
    zone = unique_zone("role")
    await make_zone(api, zone)
    manager_id = await make_user(api, "mgr@example.com", "manager")
    await api.client.put(f"/api/users/{manager_id}/zones", json={"zones": [zone]})
    await api.client.put(f"/api/users/{manager_id}", json={"role": "reader"})
    back = await api.client.put(f"/api/users/{manager_id}", json={"role": "manager"})
    assert back.json()["zones"] == []


async def test_adding_a_manager_with_an_unknown_zone_creates_nothing(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers[:1], (False,))
    granted, missing = unique_zone("mgr"), unique_zone("missing")
    await make_zone(api, granted)
    body = {"email": "new-mgr@example.com", "password": "a long enough pass phrase",
            "role": "manager", "zones": [granted, missing]}  # fmt: skip

    refused = await api.client.post("/api/users", json=body)
    retried = await api.client.post("/api/users", json={**body, "zones": [granted]})

    assert refused.status_code == 422, refused.text
    assert refused.json()["field"] == "zones" and missing in refused.json()["message"]
    assert retried.status_code == 201, retried.text  # not "already exists"
    assert retried.json()["zones"] == [granted]
    user_id = retried.json()["id"]
    moved = await api.client.put(
        f"/api/users/{user_id}", json={"email": "moved@example.com", "zones": [missing]}
    )
    assert moved.status_code == 422
    after = await api.client.get(f"/api/users/{user_id}")
    assert (after.json()["email"], after.json()["zones"]) == ("new-mgr@example.com", [granted])

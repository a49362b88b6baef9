"""Global search against a real PowerDNS server: names, contents, wildcards, pages, grants."""

from __future__ import annotations

import secrets

import httpx
import pytest

from dnsmate.dev.pdns_local import LocalPowerDNS
from dnsmate.services.zonedata import search
from tests.conftest import Api, login_as_role
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.test_large_zone import fill_directly

NS = ["ns1.example.net."]


async def make_zone(
    client: httpx.AsyncClient, zone: str, records: list[tuple[str, str, str]]
) -> None:
    created = await client.post("/api/zones", json={"name": zone, "nameservers": NS})
    assert created.status_code == 201, created.text
    for name, rtype, content in records:
        added = await client.post(
            f"/api/records/{zone}", json={"name": name, "type": rtype, "content": content}
        )
        assert added.status_code == 201, added.text


def found(response: httpx.Response) -> set[tuple[str, str, str | None, str | None]]:
    assert response.status_code == 200, response.text
    return {
        (i["object_type"], i["name"], i["type"], i["content"]) for i in response.json()["items"]
    }


async def test_search_names_contents_and_wildcards(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers[:2], (True, True))
    tag = secrets.token_hex(3)
    shop, blog = f"shop{tag}.example", f"blog{tag}.example"
    await make_zone(api.client, shop, [
        ("www", "A", "192.0.2.10"), ("api", "CNAME", f"www.{shop}."),
        ("@", "TXT", f"verify-{tag}-Token"),
    ])  # fmt: skip
    await make_zone(api.client, blog, [("www", "A", "192.0.2.11")])

    by_zone_name = await api.client.get("/api/search", params={"q": f"shop{tag}"})
    assert ("zone", shop, None, None) in found(by_zone_name)
    assert ("record", f"www.{shop}", "A", "192.0.2.10") in found(by_zone_name)
    assert ("record", f"api.{shop}", "CNAME", f"www.{shop}.") in found(by_zone_name)
    assert all(i["zone"] == shop for i in by_zone_name.json()["items"])
    assert by_zone_name.json()["total"] == len(by_zone_name.json()["items"])

    by_content = await api.client.get("/api/search", params={"q": f"{tag}-TOKEN"})
    assert found(by_content) == {("record", shop, "TXT", f'"verify-{tag}-Token"')}

    wildcard = await api.client.get("/api/search", params={"q": f"www.*{tag}.example"})
    assert found(wildcard) == {
        ("record", f"www.{shop}", "A", "192.0.2.10"),
        ("record", f"www.{blog}", "A", "192.0.2.11"),
        ("record", f"api.{shop}", "CNAME", f"www.{shop}."),  # its content matches
    }
    single = await api.client.get("/api/search", params={"q": f"www.?{tag[1:]}*"})
    assert found(single) == set()  # ? is exactly one character: "shop"/"blog" are four
    zones_only = await api.client.get("/api/search", params={"q": tag, "object_type": "zone"})
    assert found(zones_only) == {("zone", shop, None, None), ("zone", blog, None, None)}
    a_only = await api.client.get("/api/search", params={"q": tag, "record_type": "a"})
    assert {i[1] for i in found(a_only)} == {f"www.{shop}", f"www.{blog}"}
    assert (await api.client.get("/api/search", params={"q": " "})).status_code == 422
    bad = await api.client.get("/api/search", params={"q": "x", "object_type": "comment"})
    assert bad.status_code == 422


async def test_search_pages(api: Api, pdns_servers: list[LocalPowerDNS]) -> None:
    await register_servers(api.client, pdns_servers[:1], (False,))
    tag = secrets.token_hex(3)
    zone = f"pages{tag}.example"
    await make_zone(api.client, zone, [(f"h{i}", "TXT", f"page-{tag}") for i in range(7)])

    pages = [
        (await api.client.get(
            "/api/search", params={"q": f"page-{tag}", "per_page": 3, "page": page}
        )).json()
        for page in (1, 2, 3, 4)
    ]  # fmt: skip

    assert [len(p["items"]) for p in pages] == [3, 3, 1, 0]
    assert [p["has_more"] for p in pages] == [True, True, False, False]
    assert pages[2]["total"] == 7
    names = [i["name"] for p in pages for i in p["items"]]
    assert sorted(names) == sorted(f"h{i}.{zone}" for i in range(7))

    # A type filter pages over that type only, though other matches come first.
    for i in range(3):
        added = await api.client.post(
            f"/api/records/{zone}", json={"name": f"page-{tag}-{i}", "type": "A",
                                          "content": f"192.0.2.{i}"},
        )  # fmt: skip
        assert added.status_code == 201
    a_pages = [
        (await api.client.get("/api/search", params={
            "q": f"page-{tag}", "record_type": "A", "per_page": 2, "page": page}
        )).json()
        for page in (1, 2)
    ]  # fmt: skip
    assert [len(p["items"]) for p in a_pages] == [2, 1]
    assert [p["has_more"] for p in a_pages] == [True, False]
    assert {i["type"] for p in a_pages for i in p["items"]} == {"A"}


@pytest.mark.parametrize("local_scan_zones", [25, 0], ids=["zone-scan", "search-data"])
async def test_search_shows_only_readable_zones(
    api: Api, pdns_servers: list[LocalPowerDNS], monkeypatch: pytest.MonkeyPatch,
    local_scan_zones: int,
) -> None:  # fmt: skip
    # Both strategies for a caller with grants: reading the granted zones, or search-data.
    monkeypatch.setattr(search, "LOCAL_SCAN_ZONES", local_scan_zones)
    await register_servers(api.client, pdns_servers[:1], (False,))
    tag = secrets.token_hex(3)
    mine, other = f"mine{tag}.example", f"other{tag}.example"
    # The other zone first: its matches come first in search-data and crowd the scan.
    await make_zone(api.client, other, [(f"n{i}", "TXT", f"secret-{tag}") for i in range(5)])
    await make_zone(api.client, mine, [("www", "TXT", f"secret-{tag}")])

    async with login_as_role(api, "manager", zones=(mine,)) as manager:
        response = await manager.get("/api/search", params={"q": tag, "per_page": 2})
        assert {i["zone"] for i in response.json()["items"]} == {mine}
        everything = await manager.get("/api/search", params={"q": tag})
        assert {i["zone"] for i in everything.json()["items"]} == {mine}
        assert everything.json()["total"] == 4  # the zone, its SOA, NS and TXT records
        pages = [
            (await manager.get("/api/search", params={"q": tag, "per_page": 1, "page": p})).json()
            for p in (1, 2, 3, 4, 5)
        ]
        paged = [(i["object_type"], i["name"], i["type"]) for p in pages for i in p["items"]]
        whole = [(i["object_type"], i["name"], i["type"]) for i in everything.json()["items"]]
        assert paged == whole  # pages fit together, whichever way each was built
        assert [p["has_more"] for p in pages] == [True, True, True, False, False]
    async with login_as_role(api, "manager") as nobody:
        assert (await nobody.get("/api/search", params={"q": tag})).json()["items"] == []
    async with login_as_role(api, "reader") as reader:
        response = await reader.get("/api/search", params={"q": f"secret-{tag}"})
        assert len(response.json()["items"]) == 6


async def test_search_in_a_zone_of_100000_records(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers[:1], (False,))
    zone = unique_zone("huge")
    created = await api.client.post("/api/zones", json={"name": zone, "nameservers": NS})
    assert created.status_code == 201
    for chunk in range(10):  # 10 PATCHes of 10,000 RRsets: each under the 2 MB body limit
        await fill_directly(pdns_servers[0], zone, 10_000, prefix=f"h{chunk}-")
    try:
        needle = await api.client.get("/api/search", params={"q": f"h7-01234.{zone}"})
        assert found(needle) == {("record", f"h7-01234.{zone}", "A", "10.0.4.210")}
        assert needle.json()["total"] == 1

        many = await api.client.get("/api/search", params={"q": "10.0.3.7", "per_page": 50})
        assert len(many.json()["items"]) == 50
        assert many.json()["has_more"] is True and many.json()["total"] is None

        pattern = await api.client.get(
            "/api/search", params={"q": f"h?-0000?.{zone}", "per_page": 200}
        )
        assert len(pattern.json()["items"]) == 100  # h0..h9 x 00000..00009
        assert pattern.json()["total"] == 100

        # A manager granted the big zone: the zone is read (and cached) and matched locally.
        async with login_as_role(api, "manager", zones=(zone,)) as manager:
            mine = await manager.get("/api/search", params={"q": "h3-09999"})
            assert found(mine) == {("record", f"h3-09999.{zone}", "A", "10.0.39.15")}
        assert (await api.client.delete(f"/api/zones/{zone}")).status_code == 200
    finally:
        # Clean-up after a failure; no assertion here, it would hide the test's own.
        await api.client.delete(f"/api/zones/{zone}")

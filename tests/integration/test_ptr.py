"""Automatic PTR records on real PowerDNS servers: the reverse zone follows A records."""

from __future__ import annotations

import secrets

import dns.reversename
import httpx

from dnsmate.dev.pdns_local import LocalPowerDNS
from dnsmate.services.zonedata import ptr
from tests.conftest import Api
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query

NS = ["ns1.example.net."]


async def make_zone(client: httpx.AsyncClient, zone: str) -> None:
    created = await client.post("/api/zones", json={"name": zone, "nameservers": NS})
    assert created.status_code == 201, created.text


async def test_ptr_follows_an_a_record_on_every_server(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    both = pdns_servers[:2]
    await register_servers(api.client, both, (True, True))
    a, b = secrets.randbelow(200) + 20, secrets.randbelow(250)
    forward, reverse = unique_zone("fwd"), f"{b}.{a}.10.in-addr.arpa"
    await make_zone(api.client, forward)
    await make_zone(api.client, reverse)
    records = f"/api/records/{forward}"

    added = await api.client.post(
        records,
        params={"ptr": "true"},
        json={"name": "www", "type": "A", "content": f"10.{a}.{b}.5"},
    )
    assert added.status_code == 201, added.text
    assert added.json()["ptr"] == {
        "zones": [{"zone": reverse, "success_servers": [s.name for s in both],
                   "failed_servers": []}],
        "notes": [],
    }  # fmt: skip
    for server in both:
        assert dns_query(server, f"5.{reverse}", "PTR") == [f"www.{forward}."]

    moved = await api.client.put(
        f"{records}/www/A",
        params={"ptr": "true"},
        json={"old_content": f"10.{a}.{b}.5", "content": f"10.{a}.{b}.6"},
    )
    assert moved.status_code == 200, moved.text
    for server in both:
        assert dns_query(server, f"5.{reverse}", "PTR") == []
        assert dns_query(server, f"6.{reverse}", "PTR") == [f"www.{forward}."]

    # Without a managed reverse zone: the A record is added, the answer says why no PTR.
    outside = await api.client.post(
        records, params={"ptr": "true"}, json={"name": "far", "type": "A", "content": "10.1.2.3"}
    )
    assert outside.status_code == 201, outside.text
    assert outside.json()["ptr"]["notes"] == [
        "No PTR for 10.1.2.3: DNSMate manages no reverse zone containing "
        "3.2.1.10.in-addr.arpa (create 2.1.10.in-addr.arpa to keep PTRs)"
    ]
    for server in both:
        assert dns_query(server, f"far.{forward}.", "A") == ["10.1.2.3"]

    deleted = await api.client.delete(f"{records}/www/A", params={"ptr": "true"})
    assert deleted.status_code == 200, deleted.text
    for server in both:
        assert dns_query(server, f"6.{reverse}", "PTR") == []
        assert dns_query(server, f"www.{forward}.", "A") == []
    versions = (await api.client.get(f"/api/zones/{reverse}/versions")).json()["items"]
    assert [v["action"] for v in versions][:3] == ["records.bulk"] * 3


async def test_the_settings_default_and_bulk_creation(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    both = pdns_servers[:2]
    await register_servers(api.client, both, (True, True))
    a, b = secrets.randbelow(200) + 20, secrets.randbelow(250)
    forward, reverse = unique_zone("fwd"), f"{b}.{a}.10.in-addr.arpa"
    await make_zone(api.client, forward)
    for name, last in (("one", 11), ("two", 12)):
        added = await api.client.post(
            f"/api/records/{forward}",
            json={"name": name, "type": "A", "content": f"10.{a}.{b}.{last}"},
        )
        assert added.status_code == 201 and "ptr" not in added.json()  # off by default
    await make_zone(api.client, reverse)

    bulk = await api.client.post(f"/api/zones/{forward}/ptr")
    assert bulk.status_code == 200, bulk.text
    assert bulk.json()["addresses"] == 2 and bulk.json()["notes"] == []
    for server in both:
        assert dns_query(server, f"11.{reverse}", "PTR") == [f"one.{forward}."]
        assert dns_query(server, f"12.{reverse}", "PTR") == [f"two.{forward}."]

    turned_on = await api.client.put("/api/settings/records", json={"auto_ptr": True})
    assert turned_on.status_code == 200 and turned_on.json() == {"auto_ptr": True}
    default = await api.client.post(
        f"/api/records/{forward}", json={"name": "three", "type": "A", "content": f"10.{a}.{b}.13"}
    )
    opted_out = await api.client.post(
        f"/api/records/{forward}",
        params={"ptr": "false"},
        json={"name": "four", "type": "A", "content": f"10.{a}.{b}.14"},
    )
    assert (default.status_code, opted_out.status_code) == (201, 201), opted_out.text
    assert default.json()["ptr"]["zones"][0]["zone"] == reverse
    assert "ptr" not in opted_out.json()
    for server in both:
        assert dns_query(server, f"three.{forward}.", "A") == [f"10.{a}.{b}.13"]
        assert dns_query(server, f"four.{forward}.", "A") == [f"10.{a}.{b}.14"]
        assert dns_query(server, f"13.{reverse}", "PTR") == [f"three.{forward}."]
        assert dns_query(server, f"14.{reverse}", "PTR") == []


async def test_stale_ptrs_go_only_where_they_name_this_host(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    """A moved or deleted A/AAAA record takes its old PTR along on every server, but a PTR
    at the old address that names another host stays."""
    await register_servers(api.client, pdns_servers, (True,) * len(pdns_servers))
    a, b = secrets.randbelow(200) + 20, secrets.randbelow(250)
    forward, reverse = unique_zone("fwd"), f"{b}.{a}.10.in-addr.arpa"
    six = f"fd{secrets.token_hex(1)}:db8::1"
    reverse6 = ptr.suggested_zone(six)  # its /48
    ptr6 = dns.reversename.from_address(six).to_text(omit_final_dot=True)
    for zone in (forward, reverse, reverse6):
        await make_zone(api.client, zone)
    records = f"/api/records/{forward}"
    host, other = f"www.{forward}.", f"other.{forward}."

    # Another host's PTR at .5 and .8, written straight into the reverse zone.
    for last in (5, 8):
        put = await api.client.post(
            f"/api/records/{reverse}", json={"name": str(last), "type": "PTR", "content": other}
        )
        assert put.status_code == 201, put.text
    # A PTR for this host written by hand in capitals, before upkeep was on.
    by_hand = await api.client.post(
        f"/api/records/{reverse}", json={"name": "9", "type": "PTR", "content": host.upper()}
    )
    assert by_hand.status_code == 201, by_hand.text
    for address, ptr_on in ((f"10.{a}.{b}.5", True), (f"10.{a}.{b}.9", False)):
        added = await api.client.post(
            records,
            params={"ptr": str(ptr_on).lower()},
            json={"name": "www", "type": "A", "content": address},
        )
        assert added.status_code == 201, added.text
    added6 = await api.client.post(
        records, params={"ptr": "true"}, json={"name": "www", "type": "AAAA", "content": six}
    )
    assert added6.status_code == 201, added6.text
    for server in pdns_servers:
        assert dns_query(server, f"5.{reverse}", "PTR") == sorted([other, host])
        assert dns_query(server, f"9.{reverse}", "PTR") == [host.upper()]
        assert dns_query(server, ptr6, "PTR") == [host]

    moved = await api.client.put(
        f"{records}/www/A",
        params={"ptr": "true"},
        json={"old_content": f"10.{a}.{b}.5", "content": f"10.{a}.{b}.8"},
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["ptr"]["notes"] == [
        f"8.{reverse} also has PTR {other} (another host's, left in place: remove it if the "
        "address moved)"
    ]
    for server in pdns_servers:
        assert dns_query(server, f"5.{reverse}", "PTR") == [other]
        assert dns_query(server, f"8.{reverse}", "PTR") == sorted([other, host])

    deleted = await api.client.delete(f"{records}/www/A", params={"ptr": "true"})
    assert deleted.status_code == 200, deleted.text
    deleted6 = await api.client.delete(f"{records}/www/AAAA", params={"ptr": "true"})
    assert deleted6.status_code == 200, deleted6.text
    for server in pdns_servers:
        assert dns_query(server, f"5.{reverse}", "PTR") == [other]
        assert dns_query(server, f"8.{reverse}", "PTR") == [other]
        assert dns_query(server, f"9.{reverse}", "PTR") == []
        assert dns_query(server, ptr6, "PTR") == []


async def test_bulk_changes_keep_ptrs_in_step(api: Api, pdns_servers: list[LocalPowerDNS]) -> None:
    await register_servers(api.client, pdns_servers, (True,) * len(pdns_servers))
    a, b = secrets.randbelow(200) + 20, secrets.randbelow(250)
    forward, reverse = unique_zone("fwd"), f"{b}.{a}.10.in-addr.arpa"
    await make_zone(api.client, forward)
    await make_zone(api.client, reverse)
    bulk = f"/api/records/{forward}/bulk"
    net = f"10.{a}.{b}"

    added = await api.client.post(
        bulk,
        params={"ptr": "true"},
        json=[{"op": "add", "name": f"h{i}", "type": "A", "content": f"{net}.{i}"}
              for i in (1, 2, 3)] + [{"op": "add", "name": "t", "type": "TXT", "content": "x"}],
    )  # fmt: skip
    assert added.status_code == 200, added.text
    assert added.json()["ptr"]["zones"][0]["zone"] == reverse
    moved = await api.client.post(
        bulk,
        params={"ptr": "true"},
        json=[
            {"op": "update", "name": "h1", "type": "A", "old_content": f"{net}.1",
             "content": f"{net}.11"},
            {"op": "delete", "name": "h2", "type": "A"},
        ],
    )  # fmt: skip
    assert moved.status_code == 200, moved.text
    unchanged = await api.client.post(  # without ?ptr and upkeep off in Settings: PTRs stay
        bulk, json=[{"op": "delete", "name": "h3", "type": "A"}]
    )
    assert unchanged.status_code == 200 and "ptr" not in unchanged.json()
    for server in pdns_servers:
        assert dns_query(server, f"1.{reverse}", "PTR") == []
        assert dns_query(server, f"11.{reverse}", "PTR") == [f"h1.{forward}."]
        assert dns_query(server, f"2.{reverse}", "PTR") == []
        assert dns_query(server, f"3.{reverse}", "PTR") == [f"h3.{forward}."]

    matched = await api.client.post(
        f"/api/records/{forward}/bulk/delete",
        params={"ptr": "true"},
        json={"name": "h*", "type": "A", "dry_run": False},
    )
    assert matched.status_code == 200, matched.text
    for server in pdns_servers:
        assert dns_query(server, f"11.{reverse}", "PTR") == []

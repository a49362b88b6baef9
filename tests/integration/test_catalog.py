"""Catalog zones (PowerDNS 4.7 producer/consumer): a Producer zone and its members set on
every server (checked in each server's own API), and a real consumer PowerDNS that
transfers the catalog and then serves the member zone (checked by a DNS query to it)."""

from __future__ import annotations

import secrets
import time
from pathlib import Path

import pytest

from dnsmate.dev.pdns_local import LocalPowerDNS
from dnsmate.migrations import upgrade
from tests.conftest import Api, ApiFactory, login_as_role
from tests.integration.compatdiff import BASE, assert_same, make_pair
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import DNSQueryError, dns_query
from tests.integration.syncutil import recover, sync_api
from tests.integration.test_zone_settings import direct

NS = ["ns1.example.net."]


def on_server(server: LocalPowerDNS, zone: str) -> dict[str, object]:
    """The zone as the server's own API shows it (kind, catalog)."""
    with direct(server) as client:
        response = client.get(f"/zones/{zone}.", params={"rrsets": "false"})
        assert response.status_code == 200, response.text
        return dict(response.json())


def served(server: LocalPowerDNS, name: str) -> list[str]:
    """The A records ``server`` answers for ``name``; [] while it has no such zone (REFUSED)."""
    try:
        return dns_query(server, name, "A")
    except DNSQueryError:
        return []


def served_soon(server: LocalPowerDNS, name: str, seconds: float = 60) -> list[str]:
    """``served`` once it answers: the consumer transfers the catalog, then each member, in
    its background (up to a minute on a loaded machine; not a timing assertion)."""
    deadline = time.monotonic() + seconds
    while not (answer := served(server, name)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return answer


async def make_catalog(api: Api, *, members: int) -> tuple[str, list[str]]:
    """A Producer zone and ``members`` Master zones, made through DNSMate."""
    catalog = unique_zone("cat")
    made = await api.client.post("/api/zones", json={"name": catalog, "kind": "Producer"})
    assert made.status_code == 201, made.text
    names = []
    for _ in range(members):
        zone = unique_zone("mem")
        made = await api.client.post(
            "/api/zones", json={"name": zone, "kind": "Master", "nameservers": NS}
        )
        assert made.status_code == 201, made.text
        names.append(zone)
    return catalog, names


async def test_membership_set_and_removed_on_every_server(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers, (True, True, True))
    catalog, (zone, other) = await make_catalog(api, members=2)

    joined = await api.client.put(f"/api/zones/{zone}/settings", json={"catalog": catalog})

    assert joined.status_code == 200, joined.text
    assert joined.json()["catalog"] == catalog
    for server in pdns_servers:
        assert on_server(server, catalog)["kind"] == "Producer"
        assert on_server(server, zone)["catalog"] == f"{catalog}."
        assert on_server(server, other)["catalog"] == ""
    settings = (await api.client.get(f"/api/zones/{zone}/settings")).json()
    assert settings["catalog"] == catalog
    assert (await api.client.get(f"/api/zones/{zone}")).json()["catalog"] == catalog
    members = await api.client.get(f"/api/zones/{catalog}/members")
    assert members.status_code == 200, members.text
    assert members.json() == {"catalog": catalog, "members": [zone], "count": 1}
    async with login_as_role(api, "manager", zones=(catalog,)) as manager:
        # A manager sees only the members it may read.
        shown = await manager.get(f"/api/zones/{catalog}/members")
        assert shown.status_code == 200 and shown.json()["members"] == []
    events = (await api.client.get("/api/audit", params={"zone": zone})).json()["items"]
    event = next(e for e in events if e["action"] == "zone.settings")
    assert event["before"]["fields"] == {"catalog": ""}
    assert event["after"]["fields"] == {"catalog": f"{catalog}."}

    # PowerDNS would delete the catalog and leave the member naming it.
    kept = await api.client.delete(f"/api/zones/{catalog}")
    assert kept.status_code == 409 and zone in kept.json()["message"], kept.text
    for server in pdns_servers:
        assert on_server(server, catalog)["kind"] == "Producer"

    left = await api.client.put(f"/api/zones/{zone}/settings", json={"catalog": ""})

    assert left.status_code == 200, left.text
    for server in pdns_servers:
        assert on_server(server, zone)["catalog"] == ""
    assert (await api.client.get(f"/api/zones/{catalog}/members")).json()["members"] == []
    assert (await api.client.delete(f"/api/zones/{catalog}")).status_code == 200


async def test_bad_catalogs_are_refused_before_any_server_changes(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers, (True, True, True))
    catalog, (zone,) = await make_catalog(api, members=1)
    native = unique_zone("nat")
    made = await api.client.post("/api/zones", json={"name": native, "nameservers": NS})
    assert made.status_code == 201, made.text

    cases = {
        "absent.example": "there is no zone absent.example",
        zone: "a zone cannot be a member of itself",
        native: "not a Producer",
    }
    for bad, message in cases.items():
        refused = await api.client.put(f"/api/zones/{zone}/settings", json={"catalog": bad})
        assert refused.status_code == 422, refused.text
        assert refused.json()["field"] == "catalog" and message in refused.json()["message"]
    refused = await api.client.put(f"/api/zones/{native}/settings", json={"catalog": catalog})
    assert refused.status_code == 422 and "only Master zones" in refused.json()["message"]
    for server in pdns_servers:
        assert on_server(server, zone)["catalog"] == ""
        assert on_server(server, native)["catalog"] == ""
    # Turning a Native zone into a Master member in one request is fine.
    both = await api.client.put(
        f"/api/zones/{native}/settings", json={"kind": "Master", "catalog": catalog}
    )
    assert both.status_code == 200, both.text
    for server in pdns_servers:
        view = on_server(server, native)
        assert (view["kind"], view["catalog"]) == ("Master", f"{catalog}.")
    # A member cannot quietly stop being a Master zone (PowerDNS would stop listing it).
    demoted = await api.client.put(f"/api/zones/{native}/settings", json={"kind": "Native"})
    assert demoted.status_code == 422 and demoted.json()["field"] == "kind", demoted.text
    assert "take it out of the catalog" in demoted.json()["message"]
    left = await api.client.put(
        f"/api/zones/{native}/settings", json={"kind": "Native", "catalog": ""}
    )
    assert left.status_code == 200, left.text
    for server in pdns_servers:
        view = on_server(server, native)
        assert (view["kind"], view["catalog"]) == ("Native", "")
    not_producer = await api.client.get(f"/api/zones/{zone}/members")
    assert not_producer.status_code == 422, not_producer.text


async def test_server_without_the_producer_refuses_the_membership(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers, (True, True, True))
    catalog, (zone,) = await make_catalog(api, members=1)
    with direct(pdns_servers[2]) as client:  # the producer gone from one server
        assert client.delete(f"/zones/{catalog}.").status_code == 204

    joined = await api.client.put(f"/api/zones/{zone}/settings", json={"catalog": catalog})

    assert joined.status_code == 207, joined.text
    assert on_server(pdns_servers[0], zone)["catalog"] == f"{catalog}."
    assert on_server(pdns_servers[2], zone)["catalog"] == ""


@pytest.fixture
def consumer_db(tmp_path: Path) -> str:
    """The database of a second DNSMate (the one managing the consumer server)."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'consumer.sqlite3'}"
    upgrade(url)
    return url


async def test_a_consumer_server_serves_the_member_zone(
    api: Api,
    api_factory: ApiFactory,
    consumer_db: str,
    pdns_servers: list[LocalPowerDNS],
    tmp_path: Path,
) -> None:
    await register_servers(api.client, pdns_servers, (True, True, True))
    catalog, (zone,) = await make_catalog(api, members=1)
    added = await api.client.post(
        f"/api/records/{zone}",
        json={"name": "www", "type": "A", "content": "192.0.2.77", "ttl": 60},
    )
    assert added.status_code == 201, added.text
    joined = await api.client.put(f"/api/zones/{zone}/settings", json={"catalog": catalog})
    assert joined.status_code == 200, joined.text
    producer = pdns_servers[0]
    primary = f"127.0.0.1:{producer.dns_port}"
    consumer = LocalPowerDNS(
        name="Consumer PowerDNS", workdir=tmp_path / "consumer",
        api_key=secrets.token_urlsafe(16), secondary=True,
    )  # fmt: skip
    # A second DNSMate manages the consumer side: the Consumer zone is made through it too.
    other = await api_factory(consumer_db, data_dir=tmp_path / "consumer-dnsmate")
    try:
        consumer.start()
        await register_servers(other.client, [consumer], (True,))
        made = await other.client.post(
            "/api/zones", json={"name": catalog, "kind": "Consumer", "masters": [primary]}
        )
        assert made.status_code == 201, made.text
        assert on_server(consumer, catalog)["kind"] == "Consumer"

        retrieved = await other.client.post(f"/api/zones/{catalog}/axfr-retrieve")

        assert retrieved.status_code == 200, retrieved.text
        answer = served_soon(consumer, f"www.{zone}.")
        assert answer == ["192.0.2.77"]
        member = on_server(consumer, zone)
        assert (member["kind"], member["masters"]) == ("Slave", [primary])
        assert member["catalog"] == f"{catalog}."
    finally:
        consumer.stop()


async def test_compat_api_passes_catalog_through_as_powerdns_does(
    api: Api, pdns_servers: list[LocalPowerDNS], reference_pdns: LocalPowerDNS
) -> None:
    await register_servers(api.client, pdns_servers, (True, True, True))
    pair = await make_pair(api, reference_pdns)
    catalog, zone = f"{unique_zone('ccat')}.", f"{unique_zone('cmem')}."
    try:
        for ref, mate in [
            await pair.both("POST", f"{BASE}/zones", json={
                "name": catalog, "kind": "Producer", "nameservers": ["invalid."]}),
            await pair.both("POST", f"{BASE}/zones", json={
                "name": zone, "kind": "Master", "nameservers": NS, "catalog": catalog}),
            await pair.both("GET", f"{BASE}/zones/{zone}", params={"rrsets": "false"}),
            await pair.both("GET", f"{BASE}/zones", params={"zone": zone}),
            await pair.both("PUT", f"{BASE}/zones/{zone}", json={"catalog": ""}),
            await pair.both("GET", f"{BASE}/zones/{zone}", params={"rrsets": "false"}),
            await pair.both("PUT", f"{BASE}/zones/{zone}", json={"catalog": catalog}),
            await pair.both("GET", f"{BASE}/zones", params={"zone": zone}),
        ]:  # fmt: skip
            assert_same(ref, mate)
        shown = await pair.dnsmate.get(f"{BASE}/zones", params={"zone": zone})
        assert shown.json()[0]["catalog"] == catalog
    finally:
        await pair.aclose()
    for server in pdns_servers:
        assert on_server(server, catalog.rstrip("."))["kind"] == "Producer"
        assert on_server(server, zone.rstrip("."))["catalog"] == catalog


async def test_a_member_added_later_reaches_the_consumer_by_notify(
    api: Api, api_factory: ApiFactory, consumer_db: str, tmp_path: Path
) -> None:
    # The producer sends NOTIFY (primary=yes); both check every second, not every minute.
    fast = {"xfr-cycle-interval": "1"}
    producer = LocalPowerDNS(name="Producer PowerDNS", workdir=tmp_path / "producer",
                             api_key=secrets.token_urlsafe(16), primary=True,
                             extra_settings=fast)  # fmt: skip
    consumer = LocalPowerDNS(name="Consumer PowerDNS", workdir=tmp_path / "consumer",
                             api_key=secrets.token_urlsafe(16), secondary=True,
                             extra_settings=fast)  # fmt: skip
    other = await api_factory(consumer_db, data_dir=tmp_path / "consumer-dnsmate")
    try:
        producer.start()
        consumer.start()
        await register_servers(api.client, [producer], (True,))
        await register_servers(other.client, [consumer], (True,))
        catalog, (first, later) = await make_catalog(api, members=2)
        # PowerDNS sets a catalog's serial to the epoch time when its members change: the
        # serial must start below that, or consumers that transferred the new catalog take
        # the change as nothing new (DEFAULT's 2026120501: every later change; EPOCH: a
        # change in the catalog's first second, which this test makes on a quiet machine).
        created = int(on_server(producer, catalog)["serial"])
        assert created == 1, created  # INCREASE from DNSMate's serial 0
        notify = await api.client.put(
            f"/api/zones/{catalog}/settings",
            json={"metadata": {"ALSO-NOTIFY": [f"127.0.0.1:{consumer.dns_port}"]}},
        )
        assert notify.status_code == 200, notify.text
        for zone in (first, later):
            added = await api.client.post(
                f"/api/records/{zone}",
                json={"name": "www", "type": "A", "content": "192.0.2.78", "ttl": 60},
            )
            assert added.status_code == 201, added.text
        joined = await api.client.put(f"/api/zones/{first}/settings", json={"catalog": catalog})
        assert joined.status_code == 200, joined.text
        made = await other.client.post(
            "/api/zones",
            json={"name": catalog, "kind": "Consumer",
                  "masters": [f"127.0.0.1:{producer.dns_port}"]},
        )  # fmt: skip
        assert made.status_code == 201, made.text
        assert (await other.client.post(f"/api/zones/{catalog}/axfr-retrieve")).is_success
        assert served_soon(consumer, f"www.{first}.") == ["192.0.2.78"]

        # No retrieve this time: the catalog's serial moves and the producer notifies.
        joined = await api.client.put(f"/api/zones/{later}/settings", json={"catalog": catalog})

        assert joined.status_code == 200, joined.text
        assert served_soon(consumer, f"www.{later}.") == ["192.0.2.78"]
        assert int(on_server(producer, catalog)["serial"]) > created
    finally:
        consumer.stop()
        producer.stop()


async def test_membership_queued_for_a_server_that_is_down_and_replayed(
    api_factory: ApiFactory, sqlite_url: str, pdns: list[LocalPowerDNS]
) -> None:
    api = await sync_api(api_factory, sqlite_url)
    await register_servers(api.client, pdns, (True, True, True))
    catalog, (zone,) = await make_catalog(api, members=1)
    pdns[2].stop()

    joined = await api.client.put(f"/api/zones/{zone}/settings", json={"catalog": catalog})

    assert joined.status_code == 207, joined.text
    assert joined.json()["queued_servers"] == [pdns[2].name]
    pdns[2].start()
    assert on_server(pdns[2], zone)["catalog"] == ""
    report = await recover(api)
    assert report.replayed == 1
    for server in pdns:
        assert on_server(server, zone)["catalog"] == f"{catalog}."

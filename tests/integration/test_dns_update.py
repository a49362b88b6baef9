"""RFC 2136 dynamic updates with the real nsupdate, fanned out to three PowerDNS servers.

Every result is checked by DNS queries to each server and in the audit log.
"""

from __future__ import annotations

import asyncio
import subprocess

import dns.asyncquery
import dns.flags
import dns.message
import dns.name
import dns.query
import dns.rcode
import dns.tsig
import dns.update
import dns.xfr
import dns.zone
from sqlalchemy import event

from dnsmate.dev.pdns_local import LocalPowerDNS
from dnsmate.services.dnsupdate.gateway import MAX_AT_ONCE
from tests.conftest import ADMIN_EMAIL, ApiFactory
from tests.integration.conftest import unique_zone
from tests.integration.dnsupdateutil import gateway_api, make_key, nsupdate
from tests.integration.dnsutil import dns_query, dns_response
from tests.integration.syncutil import NS, create_zone, recover
from tests.integration.test_audit import events


def everywhere(pdns: list[LocalPowerDNS], name: str, rtype: str) -> list[list[str]]:
    return [dns_query(server, name, rtype) for server in pdns]


async def test_nsupdate_adds_and_deletes_with_prerequisites_on_every_server(
    api_factory: ApiFactory, database_url: str, pdns: list[LocalPowerDNS]
) -> None:
    api, port = await gateway_api(api_factory, database_url, pdns)
    zone = unique_zone("nsupdate")
    assert (await create_zone(api, zone)).status_code == 201
    key = await make_key(api, "nsupdate-key", zones=[zone])
    www = f"www.{zone}."

    added = await nsupdate(
        port, key, f"zone {zone}\nprereq nxdomain {www}\nupdate add {www} 300 A 192.0.2.10"
    )
    assert added.returncode == 0, added.output
    assert "status: NOERROR" in added.output
    assert everywhere(pdns, www, "A") == [["192.0.2.10"]] * 3

    # The name is in use now: the same prerequisite fails and nothing changes.
    again = await nsupdate(
        port, key, f"zone {zone}\nprereq nxdomain {www}\nupdate add {www} 300 A 192.0.2.11"
    )
    assert again.returncode != 0 and "YXDOMAIN" in again.output, again.output
    assert everywhere(pdns, www, "A") == [["192.0.2.10"]] * 3

    # Value-dependent prerequisite, over TCP: replace the address only if it is .10.
    replaced = await nsupdate(
        port,
        key,
        f"zone {zone}\nprereq yxrrset {www} A 192.0.2.10\n"
        f"update delete {www} A\nupdate add {www} 60 A 192.0.2.20\n"
        f'update add {www} 60 TXT "managed by nsupdate"',
        tcp=True,
    )
    assert replaced.returncode == 0, replaced.output
    assert everywhere(pdns, www, "A") == [["192.0.2.20"]] * 3
    assert everywhere(pdns, www, "TXT") == [['"managed by nsupdate"']] * 3

    stale = await nsupdate(
        port, key, f"zone {zone}\nprereq yxrrset {www} A 192.0.2.10\nupdate delete {www} A"
    )
    assert stale.returncode != 0 and "NXRRSET" in stale.output, stale.output
    missing = await nsupdate(
        port, key, f"zone {zone}\nprereq yxrrset {www} AAAA\nupdate delete {www} A"
    )
    assert missing.returncode != 0 and "NXRRSET" in missing.output, missing.output
    present = await nsupdate(
        port, key, f"zone {zone}\nprereq nxrrset {www} A\nupdate delete {www} A"
    )
    assert present.returncode != 0 and "YXRRSET" in present.output, present.output
    unknown = await nsupdate(
        port, key, f"zone {zone}\nprereq yxdomain nothing.{zone}.\nupdate delete {www} A"
    )
    assert unknown.returncode != 0 and "NXDOMAIN" in unknown.output, unknown.output
    assert everywhere(pdns, www, "A") == [["192.0.2.20"]] * 3

    # One record out of two, then the whole name.
    await nsupdate(port, key, f"zone {zone}\nupdate add {www} 60 A 192.0.2.21")
    one = await nsupdate(port, key, f"zone {zone}\nupdate delete {www} A 192.0.2.20")
    assert one.returncode == 0, one.output
    assert everywhere(pdns, www, "A") == [["192.0.2.21"]] * 3
    gone = await nsupdate(port, key, f"zone {zone}\nprereq yxdomain {www}\nupdate delete {www}")
    assert gone.returncode == 0, gone.output
    assert everywhere(pdns, www, "A") == [[]] * 3
    assert everywhere(pdns, www, "TXT") == [[]] * 3
    # The apex keeps its SOA and NS whatever an update deletes there.
    apex = await nsupdate(port, key, f"zone {zone}\nupdate delete {zone}.")
    assert apex.returncode == 0, apex.output
    assert everywhere(pdns, f"{zone}.", "NS") == [sorted(NS)] * 3
    assert all(len(soa) == 1 for soa in everywhere(pdns, f"{zone}.", "SOA"))

    log = await events(api.client, zone=zone, action="record.dnsupdate")
    accepted = [e for e in log if e["outcome"] == "success"]
    assert len(accepted) >= 5
    assert {e["via"] for e in log} == {"dns-update:nsupdate-key"}
    assert {e["user_email"] for e in log} == {ADMIN_EMAIL}
    first = log[-1]
    assert first["target"] == f"www.{zone} A"
    assert first["after"][0]["records"][0]["content"] == "192.0.2.10"
    assert [s["outcome"] for s in first["servers"]] == ["success"] * 3


async def test_unsigned_wrong_key_and_other_zones_are_refused(
    api_factory: ApiFactory, sqlite_url: str, pdns: list[LocalPowerDNS]
) -> None:
    api, port = await gateway_api(api_factory, sqlite_url, pdns)
    zone, other = unique_zone("signed"), unique_zone("other")
    for name in (zone, other):
        assert (await create_zone(api, name)).status_code == 201
    key = await make_key(api, "limited-key", zones=[zone])
    add = f"update add host.{zone}. 300 A 192.0.2.1"

    unsigned = await nsupdate(port, None, f"zone {zone}\n{add}")
    assert unsigned.returncode != 0 and "REFUSED" in unsigned.output, unsigned.output
    forged = await nsupdate(
        port,
        type(key)(key.name, key.algorithm, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="),
        f"zone {zone}\n{add}",
    )
    assert forged.returncode != 0, forged.output
    outside = await nsupdate(port, key, f"zone {other}\nupdate add host.{other}. 300 A 192.0.2.1")
    assert outside.returncode != 0 and "REFUSED" in outside.output, outside.output
    notzone = await nsupdate(port, key, f"zone {zone}\nupdate add host.{other}. 300 A 192.0.2.1")
    assert notzone.returncode != 0 and "NOTZONE" in notzone.output, notzone.output
    unknown_zone = await nsupdate(
        port,
        await make_key(api, "all-zones-key"),
        "zone nowhere.invalid\nupdate add a.nowhere.invalid. 300 A 192.0.2.1",
    )
    assert unknown_zone.returncode != 0 and "NOTAUTH" in unknown_zone.output
    for server in pdns:
        assert dns_query(server, f"host.{zone}.", "A") == []
        assert dns_query(server, f"host.{other}.", "A") == []

    # Revoked: the next update signed with it fails.
    listed = (await api.client.get("/api/dns-update/keys")).json()
    assert {k["name"] for k in listed} == {"limited-key", "all-zones-key"}
    assert "secret" not in listed[0]
    revoked = await api.client.delete(f"/api/dns-update/keys/{listed[0]['id']}")
    assert revoked.status_code == 204
    after = await nsupdate(port, key, f"zone {zone}\n{add}")
    assert after.returncode != 0 and "NOTAUTH" in after.output, after.output
    assert everywhere(pdns, f"host.{zone}.", "A") == [[]] * 3
    refused = await events(api.client, zone=other, action="record.dnsupdate")
    assert refused[0]["outcome"] == "failed" and "No access" in refused[0]["detail"]


async def test_a_server_down_gets_the_update_queued_and_the_update_succeeds(
    api_factory: ApiFactory, sqlite_url: str, pdns: list[LocalPowerDNS]
) -> None:
    api, port = await gateway_api(api_factory, sqlite_url, pdns)
    zone = unique_zone("ddnsdown")
    assert (await create_zone(api, zone)).status_code == 201
    key = await make_key(api, "retry-key")
    host = f"laptop.{zone}."
    pdns[2].stop()

    result = await nsupdate(
        port, key, f"zone {zone}\nprereq nxdomain {host}\nupdate add {host} 300 A 192.0.2.7"
    )
    assert result.returncode == 0, result.output
    assert [dns_query(s, host, "A") for s in pdns[:2]] == [["192.0.2.7"]] * 2
    queue = (await api.client.get("/api/sync/queue")).json()
    assert queue["pending"] == 1
    assert queue["items"][0]["change"]["kind"] == "DnsUpdate"

    pdns[2].start()
    report = await recover(api)
    assert report.replayed == 1
    assert everywhere(pdns, host, "A") == [["192.0.2.7"]] * 3
    (event,) = await events(api.client, zone=zone, action="record.dnsupdate")
    assert [s["outcome"] for s in event["servers"]] == [
        "success",
        "success",
        "delivered",
    ]  # replayed since


async def test_zone_transfer_for_update_clients_that_list_records(
    api_factory: ApiFactory, sqlite_url: str, pdns: list[LocalPowerDNS]
) -> None:
    """ExternalDNS's rfc2136 provider lists a zone by AXFR from the update server."""
    api, port = await gateway_api(api_factory, sqlite_url, pdns)
    zone, other = unique_zone("axfr"), unique_zone("noaxfr")
    for name in (zone, other):
        assert (await create_zone(api, name)).status_code == 201
    key = await make_key(api, "externaldns", zones=[zone])
    adds = "\n".join(
        f'update add host{i}.{zone}. 300 TXT "heritage=external-dns,owner={i:04d}"'
        for i in range(600)
    )
    added = await nsupdate(port, key, f"zone {zone}\n{adds}", tcp=True)
    assert added.returncode == 0, added.output
    assert (
        everywhere(pdns, f"host599.{zone}.", "TXT") == [['"heritage=external-dns,owner=0599"']] * 3
    )

    def transfer(name: str, signed: bool = True) -> dns.zone.Zone:
        keyring = dns.tsig.Key(key.name, key.secret, key.algorithm) if signed else None
        return dns.zone.from_xfr(
            dns.query.xfr("127.0.0.1", name, port=port, keyring=keyring, timeout=30)
        )

    copy = await asyncio.to_thread(transfer, zone)
    names = {n.to_text() for n in copy.nodes}
    assert {"@", "host0", "host599"} <= names and len(names) == 601
    assert copy.get_rdataset("host7", "TXT")[0].to_text() == '"heritage=external-dns,owner=0007"'
    dig = await asyncio.to_thread(
        subprocess.run,
        ["dig", "+tcp", "-p", str(port), "-y", key.nsupdate, "@127.0.0.1", f"{zone}.", "AXFR"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert "XFR size: 604 records" in dig.stdout, dig.stdout[-2000:]  # SOA, 2 NS, 600, SOA
    assert "tsig verify failure" not in dig.stdout

    for name, signed in ((zone, False), (other, True)):
        try:
            await asyncio.to_thread(transfer, name, signed)
        except dns.xfr.TransferError as exc:
            assert exc.rcode == dns.rcode.REFUSED
        else:
            raise AssertionError(f"{name} was transferred (signed: {signed})")


async def test_zone_transfer_of_an_rrset_larger_than_one_message(
    api_factory: ApiFactory, sqlite_url: str, pdns: list[LocalPowerDNS]
) -> None:
    """One RRset can be larger than a TCP DNS message (64 KiB): the transfer splits it
    over several messages, as RFC 5936 allows, instead of failing."""
    api, port = await gateway_api(api_factory, sqlite_url, pdns)
    zone = unique_zone("bigrrset")
    assert (await create_zone(api, zone)).status_code == 201
    key = await make_key(api, "big-axfr", zones=[zone])
    operations = [
        {"op": "add", "name": "keys", "type": "TXT", "content": f"{i:04d}" + "k" * 240,
         "ttl": 300}
        for i in range(300)
    ]  # fmt: skip
    bulk = await api.client.post(f"/api/records/{zone}/bulk", json={"operations": operations})
    assert bulk.status_code == 200, bulk.text

    def transfer() -> dns.zone.Zone:
        keyring = dns.tsig.Key(key.name, key.secret, key.algorithm)
        return dns.zone.from_xfr(
            dns.query.xfr("127.0.0.1", zone, port=port, keyring=keyring, timeout=30)
        )

    copy = await asyncio.to_thread(transfer)
    assert len(copy.get_rdataset("keys", "TXT")) == 300


async def test_soa_queries_find_the_zone_of_a_name_inside_it(
    api_factory: ApiFactory, sqlite_url: str, pdns: list[LocalPowerDNS]
) -> None:
    """Update clients find a name's zone by asking the update server for the SOA of the name,
    then of each parent (lego's rfc2136 provider gives up on any RCODE but NOERROR and
    NXDOMAIN). Like a name server, DNSMate answers for a name inside a zone it manages with
    the zone's SOA in the authority section; a name in no such zone is refused."""
    api, port = await gateway_api(api_factory, sqlite_url, pdns)
    zone = unique_zone("soa")
    assert (await create_zone(api, zone)).status_code == 201
    (soa,) = dns_query(pdns[0], f"{zone}.", "SOA")

    async def ask(name: str) -> dns.message.Message:
        query = dns.message.make_query(name, "SOA")
        return await dns.asyncquery.udp(query, "127.0.0.1", timeout=30, port=port)

    apex = await ask(f"{zone}.")
    assert apex.rcode() == dns.rcode.NOERROR and apex.flags & dns.flags.AA
    assert [r.to_text() for r in apex.answer[0]] == [soa] and apex.authority == []
    for name in (f"_acme-challenge.www.{zone}.", f"www.{zone}.", f"a.b.c.{zone}."):
        inside = await ask(name)
        assert inside.rcode() == dns.rcode.NOERROR and inside.flags & dns.flags.AA, name
        assert inside.answer == [], name
        assert inside.authority[0].name.to_text() == f"{zone}.", name
        assert [r.to_text() for r in inside.authority[0]] == [soa], name
        direct = dns_response(pdns[0], name, "SOA")  # what PowerDNS answers (NXDOMAIN)
        assert direct.answer == [] and direct.authority[0].name == inside.authority[0].name
    for name in (f"{unique_zone('nozone')}.", "example.", "www.example.net."):
        assert (await ask(name)).rcode() == dns.rcode.REFUSED, name


async def test_a_flood_of_updates_leaves_the_request_pool_to_the_api(
    api_factory: ApiFactory, sqlite_url: str, pdns: list[LocalPowerDNS]
) -> None:
    """Each message served holds a request-pool connection until its write is recorded:
    40 signed UPDATEs at once are served a few at a time, all applied, and never hold more
    than MAX_AT_ONCE of the pool's connections (without the bound: up to all 15)."""
    api, port = await gateway_api(api_factory, sqlite_url, pdns)
    zone = unique_zone("flood")
    assert (await create_zone(api, zone)).status_code == 201
    key = await make_key(api, "flood-key", zones=[zone])
    keyring = {dns.name.from_text(key.name): dns.tsig.Key(key.name, key.secret, key.algorithm)}
    pool = api.context.engine.sync_engine.pool
    held, most = 0, 0

    def checkout(*_: object) -> None:
        nonlocal held, most
        held += 1
        most = max(most, held)

    def checkin(*_: object) -> None:
        nonlocal held
        held -= 1

    def update(i: int) -> dns.update.UpdateMessage:
        message = dns.update.UpdateMessage(zone, keyring=keyring, keyalgorithm=key.algorithm)
        message.add(f"f{i}", 300, "A", f"192.0.2.{i + 1}")
        return message

    event.listen(pool, "checkout", checkout)
    event.listen(pool, "checkin", checkin)
    try:
        answers = await asyncio.gather(
            *(dns.asyncquery.udp(update(i), "127.0.0.1", port=port, timeout=120)
              for i in range(40))
        )  # fmt: skip
    finally:
        event.remove(pool, "checkout", checkout)
        event.remove(pool, "checkin", checkin)

    assert [dns.rcode.to_text(a.rcode()) for a in answers] == ["NOERROR"] * 40
    assert 1 <= most <= MAX_AT_ONCE
    for i in range(40):  # every update, on every server (DNS queries to each)
        assert everywhere(pdns, f"f{i}.{zone}.", "A") == [[f"192.0.2.{i + 1}"]] * 3

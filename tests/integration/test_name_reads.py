"""A write's read of one name (``PowerDNSClient.read_name``) on a real PowerDNS: the RRsets
``get_zone`` answers, disabled records and comments included, from one search-data request
where search-data says it all, and from the filtered GET too where it does not."""

from __future__ import annotations

import httpx
import pytest

from dnsmate.dev.pdns_local import LocalPowerDNS
from dnsmate.powerdns.client import JSON, PowerDNSClient
from dnsmate.powerdns.errors import PowerDNSNotFound
from dnsmate.powerdns.name_reads import PENDING, Whole
from dnsmate.powerdns.transport import PlainHTTPTransport
from tests.integration.conftest import unique_zone


class Counting(PlainHTTPTransport):
    """The real transport, remembering the path of every request."""

    def __init__(self) -> None:
        super().__init__()
        self.paths: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.path.rsplit("/", 1)[-1])
        return await super().handle_async_request(request)


def rrset(name: str, rtype: str, records: list[tuple[str, bool]], **extra: object) -> JSON:
    return {"name": name, "type": rtype, "ttl": 300, "changetype": "REPLACE",
            "records": [{"content": c, "disabled": d} for c, d in records], **extra}  # fmt: skip


def canonical(rrsets: list[JSON]) -> list[JSON]:
    """RRsets in a fixed order, their records too (the two reads may list them differently)."""
    return sorted(
        ({**r, "records": sorted(r["records"], key=lambda x: x["content"])} for r in rrsets),
        key=lambda r: (r["name"], r["type"]),
    )


@pytest.fixture
async def zone(pdns_servers: list[LocalPowerDNS]) -> str:
    """A zone on the first server: www with an A RRset (one record disabled) and a TXT with
    a comment; mail with only a disabled record; a comment without records at ``note``."""
    zone = unique_zone("nr") + "."
    server = pdns_servers[0]
    async with httpx.AsyncClient(
        base_url=f"{server.api_url}/api/v1/servers/localhost",
        headers={"X-API-Key": server.api_key, "Accept": "application/json"},
    ) as http:
        made = await http.post("/zones", json={"name": zone, "kind": "Native",
                                               "nameservers": [f"ns1.{zone}"]})  # fmt: skip
        assert made.status_code == 201, made.text
        patched = await http.patch(f"/zones/{zone}", json={"rrsets": [
            rrset(f"www.{zone}", "A", [("192.0.2.1", False), ("192.0.2.2", True)]),
            rrset(f"www.{zone}", "TXT", [('"hello"', False)],
                  comments=[{"content": "why", "account": "ops"}]),
            rrset(f"mail.{zone}", "A", [("192.0.2.9", True)]),
            {"name": f"note.{zone}", "type": "A", "changetype": "REPLACE",
             "comments": [{"content": "planned", "account": ""}]},
        ]})  # fmt: skip
        assert patched.status_code == 204, patched.text
    return zone


@pytest.fixture
def counted(pdns_servers: list[LocalPowerDNS]) -> tuple[PowerDNSClient, Counting]:
    server = pdns_servers[0]
    transport = Counting()
    client = PowerDNSClient(name="first", api_url=server.api_url, api_key=server.api_key,
                            transport=transport)  # fmt: skip
    return client, transport


def read_by_search_data(client: PowerDNSClient, zone: str) -> None:
    """Whatever search-data is measured to take (a loaded machine), ``zone`` is read so."""
    client.name_reads.zones[zone] = PENDING


@pytest.mark.parametrize(
    ("label", "rtype", "absent_ok", "requests"),
    [
        ("www", "A", False, ["search-data"]),  # the TXT's comment is not the A's
        ("www", None, False, ["search-data", "ZONE"]),  # a comment at the name: the GET too
        ("www", "TXT", False, ["search-data", "ZONE"]),
        ("mail", None, False, ["search-data"]),  # only disabled records: search-data has them
        ("note", None, False, ["search-data", "ZONE"]),  # a comment without records
        ("nothing", None, True, ["search-data"]),  # a create: its PATCH proves the zone
        ("nothing", "A", False, ["search-data", "ZONE"]),  # the GET proves the zone
    ],
)
async def test_a_name_read_answers_what_get_zone_answers_in_as_few_requests_as_it_can(
    zone: str,
    counted: tuple[PowerDNSClient, Counting],
    label: str,
    rtype: str | None,
    absent_ok: bool,
    requests: list[str],
) -> None:
    client, transport = counted
    name = f"{label}.{zone}"
    # The zone's first read: as get_zone reads, and whether search-data lists the zone's SOA.
    await client.read_name(zone, f"ns1.{zone}")
    assert sorted(transport.paths) == sorted(["search-data", "search-data", zone])
    transport.paths.clear()
    read_by_search_data(client, zone)

    got = await client.read_name(zone, name, rtype, absent_ok=absent_ok)
    assert [zone if p == zone else p for p in transport.paths] == [
        zone if p == "ZONE" else p for p in requests
    ]
    expected = await client.get_zone(zone, rrset_name=name, rrset_type=rtype)
    assert canonical(got) == canonical(expected["rrsets"])
    if label == "www" and rtype is None:
        assert {r["type"] for r in got} == {"A", "TXT"}
        assert [c["account"] for r in got for c in r["comments"]] == ["ops"]
    if label == "mail":
        assert got[0]["records"] == [{"content": "192.0.2.9", "disabled": True}]
    if label in ("note", "nothing"):
        assert got == []
    await client.aclose()


@pytest.mark.parametrize("label", ["www", "mail", "note", "nothing"])
@pytest.mark.parametrize("rtype", [None, "A", "TXT"])
async def test_on_a_server_with_slow_search_data_a_zone_that_costs_less_is_read_whole(
    zone: str, counted: tuple[PowerDNSClient, Counting], label: str, rtype: str | None
) -> None:
    client, transport = counted
    name = f"{label}.{zone}"
    await client.read_name(zone, f"ns1.{zone}")  # the zone's first read
    expected = await client.get_zone(zone, rrset_name=name, rrset_type=rtype)
    client.name_reads.search_seconds = 3600.0  # slower than any whole read here
    transport.paths.clear()

    got = await client.read_name(zone, name, rtype)  # never read whole: read whole, timed
    assert transport.paths == [zone]
    assert canonical(got) == canonical(expected["rrsets"])
    assert client.name_reads.zones[zone].seconds < 3600.0
    transport.paths.clear()
    assert canonical(await client.read_name(zone, name, rtype)) == canonical(got)
    assert transport.paths == [zone]

    client.name_reads.zones[zone] = Whole(7200.0, 5)  # costs more whole than searched
    transport.paths.clear()
    assert canonical(await client.read_name(zone, name, rtype)) == canonical(got)
    assert transport.paths[0] == "search-data"
    await client.aclose()


async def test_a_zone_gone_from_the_server_is_not_found_by_the_get_or_the_patch(
    zone: str, counted: tuple[PowerDNSClient, Counting]
) -> None:
    """Once a zone is known to be searchable, an empty name no longer proves it exists: a
    read that is not a create's asks the GET (404), a create's read finds nothing and its
    PATCH answers 404."""
    client, transport = counted
    await client.read_name(zone, f"www.{zone}")  # the zone's first read: it is searchable
    read_by_search_data(client, zone)
    await client.delete_zone(zone)
    transport.paths.clear()
    with pytest.raises(PowerDNSNotFound):
        await client.read_name(zone, f"www.{zone}", "A")
    assert transport.paths == ["search-data", zone]
    assert await client.read_name(zone, f"www.{zone}", absent_ok=True) == []
    with pytest.raises(PowerDNSNotFound):
        await client.patch_rrsets(zone, [rrset(f"www.{zone}", "A", [("192.0.2.3", False)])])
    gone = "missing-" + zone  # never there: its first read is get_zone's
    with pytest.raises(PowerDNSNotFound):
        await client.read_name(gone, f"www.{gone}", absent_ok=True)
    client.name_reads.search_seconds = 3600.0  # read whole: the zone's GET answers 404
    client.name_reads.zones.pop(zone)
    with pytest.raises(PowerDNSNotFound):
        await client.read_name(zone, f"www.{zone}", absent_ok=True)
    await client.aclose()

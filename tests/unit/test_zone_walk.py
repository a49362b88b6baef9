"""The closest-zone walk (``closest_zone``) against a fake read: which names it asks, in
which order, and where it stops (real servers: tests/integration/test_dyndns.py and
test_dns_update.py's SOA queries)."""

from __future__ import annotations

import dns.name
import pytest

from dnsmate.powerdns.errors import PowerDNSNotFound, PowerDNSRejected, PowerDNSUnreachable
from dnsmate.services.zonedata.enclosing import MAX_ZONE_READS, closest_zone


class FakeRead:
    """A read server holding ``zones``; other names answer 404, or ``errors[name]``."""

    def __init__(self, zones: set[str], errors: dict[str, Exception] | None = None) -> None:
        self.zones = zones
        self.errors = errors or {}
        self.asked: list[str] = []

    async def __call__(self, zone: str) -> str | None:
        self.asked.append(zone)
        if zone in self.errors:
            raise self.errors[zone]
        if zone not in self.zones:
            raise PowerDNSNotFound(f"{zone} not found", status=404)
        return f"data of {zone}"


def name(text: str) -> dns.name.Name:
    return dns.name.from_text(text)


async def test_the_closest_zone_is_found_from_the_name_up_with_the_question_case() -> None:
    read = FakeRead({"example.com.", "b.example.com."})
    found = await closest_zone(name("A.b.Example.com."), read)
    assert found is not None
    assert (found.zone, found.data) == ("b.example.com.", "data of b.example.com.")
    assert found.apex.to_text() == "b.Example.com."  # as asked: answers keep the case
    assert read.asked == ["a.b.example.com.", "b.example.com."]


async def test_a_name_in_no_zone_asks_up_to_the_tld_or_not_with_min_labels() -> None:
    read = FakeRead(set())
    assert await closest_zone(name("a.b.example."), read) is None
    assert read.asked == ["a.b.example.", "b.example.", "example."]
    read = FakeRead({"example."})
    assert await closest_zone(name("a.b.example."), read, min_labels=2) is None
    assert read.asked == ["a.b.example.", "b.example."]
    assert await closest_zone(dns.name.root, read) is None


async def test_422_and_none_mean_not_here_and_other_errors_end_the_walk() -> None:
    read = FakeRead({"example."}, {"b.example.": PowerDNSRejected("bad", status=422)})
    found = await closest_zone(name("a.b.example."), read)
    assert found is not None and found.zone == "example."

    async def no_soa(zone: str) -> str | None:
        return None if zone == "b.example." else "soa"

    found = await closest_zone(name("b.example."), no_soa)
    assert found is not None and found.zone == "example."
    read = FakeRead({"example."}, {"b.example.": PowerDNSUnreachable("down")})
    with pytest.raises(PowerDNSUnreachable):
        await closest_zone(name("a.b.example."), read)
    assert read.asked == ["a.b.example.", "b.example."]


async def test_names_that_cannot_be_zones_cost_no_read_and_reads_are_capped() -> None:
    read = FakeRead({"example."})
    found = await closest_zone(name(r"a\032b.x\/y.example."), read)
    assert found is not None and read.asked == ["example."]
    read = FakeRead({"example."})  # a zone further up than the cap allows is not found
    deep = name(".".join(f"l{n}" for n in range(40)) + ".example.")
    assert await closest_zone(deep, read) is None
    assert len(read.asked) == MAX_ZONE_READS and read.asked[0] == deep.to_text()
    read = FakeRead({"example."})
    labels = ".".join(f"l{n}" for n in range(MAX_ZONE_READS - 1))
    found = await closest_zone(name(f"_acme-challenge.{labels}.example."), read)
    assert found is None and read.asked[0] == f"_acme-challenge.{labels}.example."

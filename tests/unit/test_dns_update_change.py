"""The RFC 2136 change: its stored form (retry queue) and how updates apply to RRsets."""

from __future__ import annotations

from typing import Any

import pytest

from dnsmate.services.dnsupdate.change import (
    DnsUpdate,
    Prerequisite,
    PrerequisiteFailed,
    Update,
    _check,
    _updated,
)
from dnsmate.services.write.registry import change_from_json, change_to_json

ZONE = "example.com."


def rrset(name: str, rtype: str, *contents: str, ttl: int = 300) -> dict[str, Any]:
    return {"name": name, "type": rtype, "ttl": ttl,
            "records": [{"content": c, "disabled": False} for c in contents]}  # fmt: skip


def test_the_queue_keeps_updates_and_prerequisites() -> None:
    change = DnsUpdate(
        zone=ZONE,
        updates=(Update("add", "www.example.com.", "A", "192.0.2.1", 60),),
        prerequisites=(
            Prerequisite("name_not_in_use", "www.example.com."),
            Prerequisite("rrset_equals", "host.example.com.", "TXT", ('"a"', '"b"')),
        ),
    )
    stored = change_to_json(change)
    assert stored["kind"] == "DnsUpdate"
    assert change_from_json(stored) == change


def test_prerequisites_answer_their_rcodes() -> None:
    existing = {("www.example.com.", "A"): rrset("www.example.com.", "A", "192.0.2.1")}
    cases = [
        (Prerequisite("name_in_use", "nope.example.com."), "NXDOMAIN"),
        (Prerequisite("name_not_in_use", "www.example.com."), "YXDOMAIN"),
        (Prerequisite("rrset_exists", "www.example.com.", "AAAA"), "NXRRSET"),
        (Prerequisite("rrset_absent", "www.example.com.", "A"), "YXRRSET"),
        (Prerequisite("rrset_equals", "www.example.com.", "A", ("192.0.2.2",)), "NXRRSET"),
    ]
    for prerequisite, rcode in cases:
        with pytest.raises(PrerequisiteFailed) as failed:
            _check(prerequisite, existing)
        assert failed.value.rcode == rcode
    _check(Prerequisite("rrset_equals", "www.example.com.", "A", ("192.0.2.1",)), existing)


def test_updates_follow_rfc_2136_section_3_4_2() -> None:
    existing = {
        (ZONE, "SOA"): rrset(ZONE, "SOA", "ns1.example.com. h.example.com. 1 2 3 4 5"),
        (ZONE, "NS"): rrset(ZONE, "NS", "ns1.example.com."),
        ("alias.example.com.", "CNAME"): rrset("alias.example.com.", "CNAME", "www.example.com."),
        ("www.example.com.", "A"): rrset("www.example.com.", "A", "192.0.2.1"),
    }
    changed = _updated(
        ZONE,
        (
            Update("delete_name", ZONE),  # the apex keeps its SOA and NS
            Update("delete_record", ZONE, "NS", "ns1.example.com."),  # the last NS stays
            Update("add", "alias.example.com.", "A", "192.0.2.9", 60),  # beside a CNAME: ignored
            Update("add", "www.example.com.", "A", "192.0.2.2", 60),  # added, TTL set
            Update("delete_record", "www.example.com.", "A", "192.0.2.1"),
        ),
        existing,
    )
    assert changed == [
        {"name": "www.example.com.", "type": "A", "ttl": 60,
         "records": [{"content": "192.0.2.2", "disabled": False}]},
    ]  # fmt: skip

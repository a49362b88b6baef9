"""Zone clone: a new zone with a copy of another zone's records.

The copy is read from the read server and created on every target as one CloneZone
change: a CreateZone audited as ``zone.clone`` (naming both zones) and versioned like any
new zone. Owner names move from the source zone to the new one; in record content, a name
that ends in the source zone (a CNAME or MX target inside it, the SOA's primary and
mailbox) moves too, so the clone points at itself. DNSSEC keys and zone metadata are not
copied (sign the clone on its own).
"""

from __future__ import annotations

from dnsmate.powerdns.client import JSON
from dnsmate.powerdns.names import fqdn
from dnsmate.services.errors import InvalidInput
from dnsmate.services.write.changes import CloneZone
from dnsmate.services.write.multi_powerdns import MultiPowerDNSService
from dnsmate.services.zonedata.zones import (
    TRANSFERRED_KINDS,
    read_zone,
    snapshot_payload,
    validate_kind,
    validate_zone_name,
)


def move_name(name: str, source: str, target: str) -> str:
    """``name`` under ``target`` if it is ``source`` or below it, else ``name`` unchanged."""
    if name == source:
        return target
    if name.endswith("." + source):
        return name[: -len(source)] + target
    return name


def move_content(content: str, source: str, target: str) -> str:
    """Content with each absolute name inside ``source`` moved to ``target`` (quoted text,
    such as TXT, is left as it is)."""
    if content.startswith('"'):
        return content
    return " ".join(move_name(token, source, target) for token in content.split(" "))


def clone_payload(zone: JSON, *, name: str, kind: str | None = None) -> JSON:
    """The PowerDNS POST body that creates ``name`` with ``zone``'s RRsets (a full GET)."""
    source, target = fqdn(zone["name"]), validate_zone_name(name)
    if target == source:
        raise InvalidInput("name", "give the clone a name of its own")
    payload = snapshot_payload(zone)
    payload["name"] = target
    payload.pop("masters", None)
    payload["kind"] = validate_kind(kind) if kind else payload["kind"]
    if payload["kind"] in TRANSFERRED_KINDS:
        raise InvalidInput("kind", "a clone holds records: make it Native or Master")
    payload["rrsets"] = [
        {
            **rrset,
            "name": move_name(rrset["name"], source, target),
            "records": [
                {**r, "content": move_content(r["content"], source, target)}
                for r in rrset["records"]
            ],
        }
        for rrset in payload["rrsets"]
    ]
    return payload


async def clone_change(
    *, multi: MultiPowerDNSService, source: str, name: str, kind: str | None = None
) -> CloneZone:
    """The CloneZone that makes ``name`` a copy of ``source`` as the read server has it."""
    data = await read_zone(multi, source)
    payload = clone_payload(data, name=name, kind=kind)
    return CloneZone(zone=payload["name"], payload=payload, source=fqdn(data["name"]))

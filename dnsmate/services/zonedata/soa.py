"""The SOA record: defaults from Settings, the SOA a new zone starts with, and SOA edits.

PowerDNS gives a zone created without an SOA its ``default-soa-content``, whose primary is
``a.misconfigured.dns.server.invalid.``: served in public DNS and in every export. DNSMate
therefore always creates a zone (other than a Slave, whose SOA comes from its master) with
an SOA built from, first to last: the request's fields, the template's, the stored defaults
(Settings > Zone defaults), and the built-in ones (primary: the zone's first name server,
hostmaster: ``hostmaster.<zone>``). The serial is left to PowerDNS's SOA-EDIT-API: it
rewrites the serial of an SOA it is sent (on creation and on every PATCH).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import dns.exception
import dns.name
from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.models import ZoneDefaults
from dnsmate.powerdns.client import JSON
from dnsmate.powerdns.names import display, fqdn
from dnsmate.services.errors import InvalidInput, NotFound
from dnsmate.services.write.multi_powerdns import MultiPowerDNSService
from dnsmate.services.zonedata.records import find_rrset
from dnsmate.services.zonedata.validation import MAX_TTL
from dnsmate.services.zonedata.zones import TRANSFERRED_KINDS, read_zone

TIMERS = ("refresh", "retry", "expire", "minimum")
FIELDS = ("primary", "hostmaster", *TIMERS, "ttl")
BUILTIN: dict[str, int] = {
    "refresh": 10800,
    "retry": 3600,
    "expire": 604800,
    "minimum": 3600,
    "ttl": 3600,
}


@dataclass(frozen=True)
class Soa:
    """The fields of one SOA record (the serial is the server's own)."""

    primary: str
    hostmaster: str
    serial: int
    refresh: int
    retry: int
    expire: int
    minimum: int

    @classmethod
    def parse(cls, content: str) -> Soa:
        """An SOA from its zone-file text as PowerDNS returns it."""
        parts = content.split()
        if len(parts) != 7:
            raise InvalidInput("content", f"not an SOA record: {content!r}")
        primary, hostmaster, *numbers = parts
        try:
            serial, refresh, retry, expire, minimum = (int(n) for n in numbers)
        except ValueError as exc:
            raise InvalidInput("content", f"not an SOA record: {content!r}") from exc
        return cls(fqdn(primary), fqdn(hostmaster), serial, refresh, retry, expire, minimum)

    def content(self) -> str:
        """The zone-file text PowerDNS takes."""
        return (
            f"{self.primary} {self.hostmaster} {self.serial} "
            f"{self.refresh} {self.retry} {self.expire} {self.minimum}"
        )

    def public(self) -> dict[str, Any]:
        """The API form (field names as in Settings and the SOA form)."""
        return {
            "primary": self.primary,
            "hostmaster": self.hostmaster,
            "serial": self.serial,
            "refresh": self.refresh,
            "retry": self.retry,
            "expire": self.expire,
            "minimum": self.minimum,
        }


def normalize_name_field(field: str, value: str) -> str:
    """An absolute DNS name (``hostmaster`` also takes an e-mail: ``ops@example.com``)."""
    text = value.strip()
    if field == "hostmaster" and "@" in text:
        local, _, domain = text.rpartition("@")
        # A dot in the mailbox's local part is escaped in the SOA's RNAME (RFC 1035 8).
        text = local.replace(".", "\\.") + "." + domain
    if not text or "/" in text or any(c.isspace() for c in text):
        raise InvalidInput(field, f"{field} must be a DNS name such as ns1.example.net.")
    try:
        name = dns.name.from_text(text, origin=dns.name.root)
    except dns.exception.DNSException as exc:
        raise InvalidInput(field, f"{value!r} is not a valid DNS name: {exc}") from exc
    if len(name.labels) < 2:
        raise InvalidInput(field, f"{field} must be a DNS name such as ns1.example.net.")
    return str(name.to_text()).lower()


def normalize_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    """Validated SOA fields; None values (not given) are left out."""
    out: dict[str, Any] = {}
    for field in FIELDS:
        value = data.get(field)
        if value is None:
            continue
        if field in ("primary", "hostmaster"):
            out[field] = normalize_name_field(field, str(value))
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_TTL:
            raise InvalidInput(field, f"{field} must be a number of seconds, 0 to {MAX_TTL}")
        if field in ("refresh", "retry", "expire") and value == 0:
            raise InvalidInput(field, f"{field} must be at least 1 second")
        out[field] = value
    return out


async def get_defaults(*, session: AsyncSession) -> dict[str, Any]:
    """The stored SOA defaults (a field not stored is None: the built-in default applies)."""
    row = await session.get(ZoneDefaults, 1)
    return {field: getattr(row, f"soa_{field}") if row else None for field in FIELDS}


async def set_defaults(*, session: AsyncSession, fields: Mapping[str, Any]) -> dict[str, Any]:
    """Store every SOA default (None: back to the built-in one); commits."""
    values = normalize_fields(fields)
    row = await session.get(ZoneDefaults, 1)
    if row is None:
        row = ZoneDefaults(id=1)
        session.add(row)
    for field in FIELDS:
        setattr(row, f"soa_{field}", values.get(field))
    await session.commit()
    return await get_defaults(session=session)


def initial_soa_rrset(
    *, zone: str, nameservers: list[str], layers: Sequence[Mapping[str, Any]]
) -> JSON | None:
    """The SOA RRset a new zone is created with; ``layers`` first to last (request, template,
    stored defaults), each a mapping of fields where None means "not set here". None when
    no primary is known (no name server and none configured)."""
    zone = fqdn(zone)
    chosen: dict[str, Any] = {}
    for layer in layers:
        for field, value in normalize_fields(layer).items():
            chosen.setdefault(field, value)
    primary = chosen.get("primary") or (fqdn(nameservers[0]) if nameservers else None)
    if primary is None:
        return None
    soa = Soa(
        primary=primary,
        hostmaster=chosen.get("hostmaster") or f"hostmaster.{zone}",
        serial=0,  # PowerDNS's SOA-EDIT-API sets the serial on creation
        **{t: chosen.get(t, BUILTIN[t]) for t in TIMERS},
    )
    ttl = chosen.get("ttl", BUILTIN["ttl"])
    return {"name": zone, "type": "SOA", "ttl": ttl,
            "records": [{"content": soa.content(), "disabled": False}]}  # fmt: skip


def add_initial_soa(
    payload: JSON, *, layers: Sequence[Mapping[str, Any]], keep_existing: bool = True
) -> JSON:
    """``payload`` (a PowerDNS zone creation body) with an SOA RRset unless it is a Slave
    or Consumer zone or (with ``keep_existing``) already has one."""
    if payload.get("kind") in TRANSFERRED_KINDS:
        return payload
    rrsets = list(payload.get("rrsets") or [])
    if keep_existing and any(r["type"] == "SOA" for r in rrsets):
        return payload
    zone = fqdn(payload["name"])
    nameservers = list(payload.get("nameservers") or []) or [
        r["content"]
        for rrset in rrsets
        if rrset["type"] == "NS" and fqdn(rrset["name"]) == zone
        for r in rrset.get("records", [])
    ]
    soa = initial_soa_rrset(zone=zone, nameservers=nameservers, layers=layers)
    if soa is None:
        return payload
    return {**payload, "rrsets": [soa, *(r for r in rrsets if r["type"] != "SOA")]}


async def read_zone_soa(*, multi: MultiPowerDNSService, zone: str) -> dict[str, Any]:
    """The zone's SOA fields, TTL and SOA-EDIT-API, from the read server."""
    name = fqdn(zone)
    data = await read_zone(multi, name, rrset_name=name, rrset_type="SOA", disabled=False)
    rrset = find_rrset(data, name, "SOA")
    if rrset is None or not rrset["records"]:
        raise NotFound(f"Zone {display(name)} has no SOA record")
    soa = Soa.parse(rrset["records"][0]["content"])
    return soa.public() | {"ttl": rrset["ttl"], "soa_edit_api": data.get("soa_edit_api") or ""}


def builtin_defaults() -> dict[str, int | str]:
    """The built-in defaults, as Settings shows them beside the stored ones."""
    return {"primary": "the zone's first name server", "hostmaster": "hostmaster.<zone>",
            **BUILTIN}  # fmt: skip

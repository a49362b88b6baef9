"""Zone settings after creation: kind, masters, SOA-EDIT-API, the catalog a zone is a member
of (``dnsmate.services.zonedata.catalog``) and the zone metadata operators use (ALSO-NOTIFY,
ALLOW-AXFR-FROM, AXFR-MASTER-TSIG, TSIG-ALLOW-AXFR, SOA-EDIT).

Validated here, before any server is contacted (PowerDNS stores an unknown kind as Native
and accepts any text as a metadata value), then set on every target by
``dnsmate.services.write.zone_changes.UpdateZoneSettings``.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any

from dnsmate.powerdns.client import JSON
from dnsmate.powerdns.errors import PowerDNSNotFound
from dnsmate.powerdns.names import display, fqdn
from dnsmate.services.errors import InvalidInput, NotFound
from dnsmate.services.write.multi_powerdns import MultiPowerDNSService
from dnsmate.services.write.zone_changes import KEY_FIELDS
from dnsmate.services.zonedata import catalog as catalogs
from dnsmate.services.zonedata import tsig
from dnsmate.services.zonedata.templates import validate_soa_edit_api
from dnsmate.services.zonedata.zones import TRANSFERRED_KINDS, validate_kind

# The metadata kinds DNSMate sets (PowerDNS sets SOA-EDIT-API through the zone itself).
METADATA_KINDS = ("ALSO-NOTIFY", "ALLOW-AXFR-FROM", "AXFR-MASTER-TSIG", "TSIG-ALLOW-AXFR",
                  "SOA-EDIT")  # fmt: skip
SOA_EDIT = ("INCREMENT-WEEKS", "INCEPTION-EPOCH", "INCEPTION-INCREMENT", "EPOCH", "NONE")


def _address(value: str, field: str, *, port: bool) -> str:
    """An IP address, with an optional port when ``port`` (``192.0.2.1:5300``,
    ``[2001:db8::1]:5300``)."""
    text = value.strip()
    host, port_text = text, ""
    if port and text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port_text = rest.removeprefix(":")
    elif port and text.count(":") == 1:
        host, _, port_text = text.partition(":")
    try:
        ipaddress.ip_address(host)
    except ValueError as exc:
        raise InvalidInput(field, f"{value!r} is not an IP address") from exc
    if port_text and not (port_text.isdigit() and 0 < int(port_text) < 65536):
        raise InvalidInput(field, f"{value!r}: the port must be a number from 1 to 65535")
    return text


def _network(value: str, field: str) -> str:
    text = value.strip()
    if text == "AUTO-NS":
        return text
    try:
        return str(ipaddress.ip_network(text, strict=False))
    except ValueError as exc:
        raise InvalidInput(
            field, f"{value!r} is not an IP address or network (192.0.2.0/24), nor AUTO-NS"
        ) from exc


def validate_metadata(kind: str, values: list[str]) -> list[str]:
    """One metadata kind's values, checked and in PowerDNS's form (InvalidInput names it)."""
    field = f"metadata.{kind}"
    if kind not in METADATA_KINDS:
        raise InvalidInput("metadata", f"unknown metadata kind {kind!r}; use "
                           + ", ".join(METADATA_KINDS))  # fmt: skip
    values = [v for v in (str(v).strip() for v in values) if v]
    if kind in ("AXFR-MASTER-TSIG", "SOA-EDIT") and len(values) > 1:
        raise InvalidInput(field, f"{kind} takes one value")
    if kind == "ALSO-NOTIFY":
        return [_address(v, field, port=True) for v in values]
    if kind == "ALLOW-AXFR-FROM":
        return [_network(v, field) for v in values]
    if kind == "SOA-EDIT":
        upper = [v.upper() for v in values]
        if any(v not in SOA_EDIT for v in upper):
            raise InvalidInput(field, f"use one of {', '.join(SOA_EDIT)}")
        return upper
    return [tsig.check_name(v, field) for v in values]


async def validate_settings(
    *,
    multi: MultiPowerDNSService,
    zone: str,
    kind: str | None,
    masters: list[str] | None,
    soa_edit_api: str | None,
    catalog: str | None = None,
) -> JSON:
    """The zone fields to set (only those given), checked; a catalog is checked on the read
    server (``catalog.check_membership``), "" takes the zone out of its catalog."""
    fields: JSON = {}
    if kind is not None:
        fields["kind"] = validate_kind(kind)
    if masters is not None:
        fields["masters"] = [_address(m, "masters", port=True) for m in masters if m.strip()]
    if fields.get("kind") in TRANSFERRED_KINDS and masters is not None and not fields["masters"]:
        raise InvalidInput("masters", f"a {fields['kind']} zone needs at least one master address")
    if soa_edit_api is not None:
        fields["soa_edit_api"] = validate_soa_edit_api(soa_edit_api)
    if catalog is not None:
        fields["catalog"] = await catalogs.check_membership(
            multi=multi, zone=zone, catalog=catalog, kind=fields.get("kind")
        )
    elif fields.get("kind") not in (None, catalogs.MEMBER_KIND):
        await catalogs.check_kind_change(multi=multi, zone=zone, kind=fields["kind"])
    return fields


def validate_all_metadata(metadata: Mapping[str, list[str]] | None) -> JSON:
    """Every given metadata kind, checked (kinds upper-cased)."""
    return {k.upper(): validate_metadata(k.upper(), v) for k, v in (metadata or {}).items()}


async def read_settings(*, multi: MultiPowerDNSService, zone: str) -> dict[str, Any]:
    """The zone's kind, masters, SOA-EDIT-API, catalog and metadata, from the read server."""
    name = fqdn(zone)

    async def read(client: Any) -> dict[str, Any]:
        data = await client.get_zone(name, rrsets=False)
        listed = await client.list_metadata(name)
        keys = {kind: [v.rstrip(".") for v in data.get(f) or []] for kind, f in KEY_FIELDS.items()}
        return {
            "name": display(name),
            "kind": data.get("kind"),
            "masters": data.get("masters") or [],
            "soa_edit_api": data.get("soa_edit_api") or "",
            "catalog": display(data["catalog"]) if data.get("catalog") else "",
            "metadata": {
                m["kind"]: m.get("metadata") or []
                for m in listed
                if m["kind"] in METADATA_KINDS and m["kind"] not in KEY_FIELDS
            }
            | {kind: values for kind, values in keys.items() if values},
        }

    try:
        return await multi.read(read)
    except PowerDNSNotFound as exc:
        raise NotFound(f"Zone {display(name)} not found") from exc

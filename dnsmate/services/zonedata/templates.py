"""Zone templates: stored record sets applied to new zones, and "save this zone as a template".

Template record names are ``@`` or relative to the zone, and names inside record content
without a trailing dot are relative too (zone-file rules), so one template fits any zone:
``{"name": "@", "type": "MX", "content": "10 mail"}`` becomes ``10 mail.example.com.``.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import dns.exception
import dns.name
import dns.rdata
import dns.rdataclass
import dns.rdatatype
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.models import ZoneTemplate
from dnsmate.powerdns.client import JSON
from dnsmate.powerdns.names import display, fqdn
from dnsmate.schemas.templates import TemplateCreate, TemplateRecord, TemplateUpdate
from dnsmate.schemas.zones import ZoneCreate
from dnsmate.services.errors import Conflict, InvalidInput, NotFound
from dnsmate.services.write.multi_powerdns import MultiPowerDNSService
from dnsmate.services.zonedata import soa
from dnsmate.services.zonedata.validation import (
    check_rrset_coexistence,
    normalize_content,
    normalize_name,
    normalize_ttl,
    normalize_type,
)
from dnsmate.services.zonedata.zones import build_zone_payload, read_zone

SOA_EDIT_API = ("DEFAULT", "INCREASE", "EPOCH", "SOA-EDIT", "SOA-EDIT-INCREASE", "OFF")
# A zone the template is checked against when saved; any valid zone would do.
_SAMPLE_ZONE = "template.example."
# Types PowerDNS manages itself, left out when a zone is saved as a template.
_MANAGED_TYPES = {"SOA", "DNSKEY", "RRSIG", "NSEC", "NSEC3", "NSEC3PARAM", "CDS", "CDNSKEY"}


def validate_soa_edit_api(value: str) -> str:
    upper = value.strip().upper()
    if upper not in SOA_EDIT_API:
        raise InvalidInput(
            "soa_edit_api", f"unknown value {value!r}; use {', '.join(SOA_EDIT_API)}"
        )
    return upper


def template_rrsets(*, zone: str, default_ttl: int, records: list[dict[str, Any]]) -> list[JSON]:
    """The template's records for ``zone`` as PowerDNS RRsets (InvalidInput names the row).

    Records of one name and type form one RRset; its TTL is the lowest of theirs.
    """
    zone = fqdn(zone)
    rrsets: dict[tuple[str, str], JSON] = {}
    for row, record in enumerate(records):
        where = f"records[{row}]"
        try:
            rtype = normalize_type(record["type"])
            raw_name = str(record.get("name") or "@").strip()
            if raw_name.endswith(".") and raw_name != ".":
                raise InvalidInput("name", "use @ or a name relative to the zone")
            name = normalize_name(raw_name, zone)
            if rtype == "SOA":
                raise InvalidInput("type", "PowerDNS creates the SOA record")
            if rtype == "NS" and name == zone:
                raise InvalidInput("type", "list the zone's own name servers in nameservers")
            content = normalize_content(rtype, record["content"], origin=zone)
            ttl = normalize_ttl(default_ttl if record.get("ttl") is None else record["ttl"])
        except InvalidInput as exc:
            raise InvalidInput(f"{where}.{exc.field}", exc.reason) from exc
        rrset = rrsets.setdefault((name, rtype), {"name": name, "type": rtype, "ttl": ttl,
                                                  "records": []})  # fmt: skip
        rrset["ttl"] = min(rrset["ttl"], ttl)
        if content not in {r["content"] for r in rrset["records"]}:
            rrset["records"].append({"content": content, "disabled": False})
    types_at: dict[str, set[str]] = {zone: {"SOA", "NS"}}
    for name, rtype in rrsets:
        types_at.setdefault(name, set()).add(rtype)
    for name, rtype in rrsets:
        try:
            check_rrset_coexistence(display(name), rtype, types_at[name] - {rtype})
        except InvalidInput as exc:
            raise InvalidInput("records", exc.reason) from exc
    return list(rrsets.values())


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """Validated, normalised template fields (records are checked against a sample zone)."""
    out = dict(data)
    if "name" in out:
        out["name"] = out["name"].strip()
        if not out["name"]:
            raise InvalidInput("name", "a template needs a name")
    if out.get("default_ttl") is not None:
        try:
            out["default_ttl"] = normalize_ttl(out["default_ttl"])
        except InvalidInput as exc:
            raise InvalidInput("default_ttl", exc.reason) from exc
    if out.get("soa_edit_api") is not None:
        out["soa_edit_api"] = validate_soa_edit_api(out["soa_edit_api"])
    if out.get("nameservers") is not None:
        out["nameservers"] = [_nameserver(ns) for ns in out["nameservers"]]
    if "soa" in out:
        try:
            out["soa"] = soa.normalize_fields(out["soa"] or {}) or None
        except InvalidInput as exc:
            raise InvalidInput(f"soa.{exc.field}", exc.reason) from exc
    if out.get("records") is not None:
        out["records"] = [
            {"name": str(r.get("name") or "@").strip().lower(), "type": r["type"].strip().upper(),
             "content": r["content"].strip(), "ttl": r.get("ttl")}
            for r in out["records"]
        ]  # fmt: skip
    return out


def _nameserver(ns: str) -> str:
    try:
        return str(dns.name.from_text(ns.strip(), origin=dns.name.root).to_text().lower())
    except dns.exception.DNSException as exc:
        raise InvalidInput("nameservers", f"invalid name server {ns!r}: {exc}") from exc


async def list_templates(*, session: AsyncSession) -> list[ZoneTemplate]:
    """Every template, by name."""
    return list((await session.scalars(select(ZoneTemplate).order_by(ZoneTemplate.name))).all())


async def get_template(*, session: AsyncSession, template_id: int) -> ZoneTemplate:
    """One template; NotFound if there is none with this id."""
    row = await session.get(ZoneTemplate, template_id)
    if row is None:
        raise NotFound(f"Template {template_id} not found")
    return row


async def create_template(*, session: AsyncSession, data: TemplateCreate) -> ZoneTemplate:
    """Validate and store a new template (Conflict when the name is taken)."""
    fields = _clean(data.model_dump())
    template_rrsets(zone=_SAMPLE_ZONE, default_ttl=fields["default_ttl"], records=fields["records"])
    row = ZoneTemplate(**fields)
    session.add(row)
    await _commit_unique(session, fields["name"])
    return row


async def update_template(
    *, session: AsyncSession, template_id: int, data: TemplateUpdate
) -> ZoneTemplate:
    """Change the given fields of a template; ``records`` replaces the whole list."""
    row = await get_template(session=session, template_id=template_id)
    changes = _clean(
        {k: v for k, v in data.model_dump(exclude_unset=True).items() if v is not None}
    )  # "soa": {} clears the template's SOA fields
    template_rrsets(
        zone=_SAMPLE_ZONE,
        default_ttl=changes.get("default_ttl", row.default_ttl),
        records=changes.get("records", row.records),
    )
    for key, value in changes.items():
        setattr(row, key, value)
    await _commit_unique(session, row.name)
    return row


async def delete_template(*, session: AsyncSession, template_id: int) -> None:
    """Delete a template (zones made from it are not affected)."""
    row = await get_template(session=session, template_id=template_id)
    await session.delete(row)
    await session.commit()


async def _commit_unique(session: AsyncSession, name: str) -> None:
    try:
        await session.commit()
    except IntegrityError as exc:
        await session.rollback()
        raise Conflict(f"A template named {name!r} already exists") from exc


async def template_from_zone(
    *, session: AsyncSession, multi: MultiPowerDNSService, zone: str, name: str, description: str
) -> ZoneTemplate:
    """Save ``zone`` (from the read server) as a new template, with names made relative."""
    zone = fqdn(zone)
    data = await read_zone(multi, zone)
    origin = dns.name.from_text(zone)
    nameservers: list[str] = []
    records: list[dict[str, Any]] = []
    kept: list[JSON] = []
    for rrset in data.get("rrsets", []):
        rtype = rrset["type"]
        if rtype in _MANAGED_TYPES:
            continue
        if rtype == "NS" and rrset["name"] == zone:
            nameservers = sorted(r["content"] for r in rrset["records"])
            continue
        if any(not r.get("disabled") for r in rrset["records"]):
            kept.append(rrset)
    ttls = Counter(int(r["ttl"]) for r in kept)
    default_ttl = ttls.most_common(1)[0][0] if ttls else 3600
    for rrset in kept:
        rel = dns.name.from_text(rrset["name"]).relativize(origin).to_text()
        for record in rrset["records"]:
            if record.get("disabled"):
                continue
            records.append({
                "name": rel,
                "type": rrset["type"],
                "content": _relative_content(rrset["type"], record["content"], origin),
                "ttl": None if rrset["ttl"] == default_ttl else rrset["ttl"],
            })  # fmt: skip
    records.sort(key=lambda r: (r["name"] != "@", r["name"], r["type"], r["content"]))
    payload = TemplateCreate(
        name=name,
        description=description,
        default_ttl=default_ttl,
        nameservers=nameservers,
        soa_edit_api=str(data.get("soa_edit_api") or "DEFAULT"),
        records=[TemplateRecord(**r) for r in records],
    )
    return await create_template(session=session, data=payload)


def _relative_content(rtype: str, content: str, origin: dns.name.Name) -> str:
    """Content with names inside the zone made relative (``www.example.com.`` -> ``www``)."""
    if rtype in ("TXT", "SPF"):
        return content
    try:
        rdata = dns.rdata.from_text(
            dns.rdataclass.IN,
            dns.rdatatype.from_text(rtype),
            content,
            origin=dns.name.root,
            relativize=False,
        )
    except (dns.exception.DNSException, ValueError):
        return content
    return str(rdata.to_text(origin=origin, relativize=True))


async def zone_request(
    *, session: AsyncSession, data: ZoneCreate
) -> tuple[JSON, ZoneTemplate | None]:
    """The PowerDNS creation payload for ``data`` and its template, if it names one.

    The template gives the name servers (unless the request lists its own), SOA-EDIT-API and
    the records, which are part of the payload: each server creates the zone with them in
    one request (a template saved under older rules that no longer fits is refused here,
    before anything is created). The SOA comes from the request's fields, then the
    template's, then Settings (``dnsmate.services.zonedata.soa``).
    """
    template = None
    if data.template_id is not None:
        template = await session.get(ZoneTemplate, data.template_id)
        if template is None:
            raise InvalidInput("template_id", f"no template with id {data.template_id}")
    payload = build_zone_payload(
        name=data.name,
        kind=data.kind,
        nameservers=data.nameservers or (template.nameservers if template else []),
        masters=data.masters,
        soa_edit_api=template.soa_edit_api if template else "DEFAULT",
    )
    if template is not None:
        payload["rrsets"] = template_rrsets(
            zone=payload["name"], default_ttl=template.default_ttl, records=template.records
        )
    layers = [
        data.soa.model_dump() if data.soa else {},
        (template.soa if template else None) or {},
        await soa.get_defaults(session=session),
    ]
    try:
        payload = soa.add_initial_soa(payload, layers=layers)
    except InvalidInput as exc:
        raise InvalidInput(f"soa.{exc.field}", exc.reason) from exc
    return payload, template

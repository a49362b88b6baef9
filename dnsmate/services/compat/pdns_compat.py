"""The PowerDNS-compatible API's decisions: PowerDNS 4.x request rules and messages.

Requests are checked the way PowerDNS 4.7 checks them, with its messages (``Key 'ttl' not
an Integer or not present``, ``RRset x. IN A: Name is out of zone``), and turned into
DNSMate changes that run on every target server through the write pipeline (a zone too
big for one PowerDNS request is created in steps by ``CreateZone`` itself). Record content
is left for each PowerDNS server to parse: a PATCH is atomic there, so bad content changes
nothing and the client sees PowerDNS's own 422 message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar

import dns.exception
import dns.name

from dnsmate.powerdns.client import JSON, PowerDNSClient
from dnsmate.powerdns.names import fqdn, in_zone, zone_id
from dnsmate.services.errors import InvalidInput
from dnsmate.services.write.changes import Irreversible, PatchRRsets, ServerChange
from dnsmate.services.write.multi_powerdns import MultiPowerDNSResult, MultiPowerDNSService
from dnsmate.services.zonedata.records import check_fits_one_patch
from dnsmate.services.zonedata.validation import MAX_TTL, check_one_line, check_plain_name
from dnsmate.services.zonedata.zones import validate_kind, validate_zone_name

SERVER_ID = "localhost"
CHANGETYPES = ("REPLACE", "DELETE")
# Zone keys passed on to PowerDNS at creation and by PUT; anything else is ignored, as
# PowerDNS ignores keys it does not know.
CREATE_KEYS = ("kind", "masters", "account", "soa_edit", "soa_edit_api", "api_rectify",
               "serial", "catalog", "master_tsig_key_ids", "slave_tsig_key_ids")  # fmt: skip
UPDATE_KEYS = ("kind", "masters", "account", "soa_edit", "soa_edit_api", "api_rectify",
               "catalog", "master_tsig_key_ids", "slave_tsig_key_ids")  # fmt: skip
# Signing keys: set on the reference server by PowerDNS, then its keys and NSEC3 settings
# copied to every target (``pdns_compat_keys.write_key``): one DNSKEY set everywhere.
SIGNING_KEYS = ("dnssec", "nsec3param")
# Not offered: narrow NSEC3 and presigned zones would need per-server signing data.
UNSUPPORTED_KEYS = ("nsec3narrow", "presigned")
# PowerDNS reads a TTL given as a JSON string as a number ("60" is 60). It also reads "60x"
# as 60, "-1" as 4294967295 and answers 500 for "abc"; DNSMate takes digits only.
_NSEC3PARAM = re.compile(r"|[0-9]+ [0-9]+ [0-9]+ ([0-9a-fA-F]+|-)")
_TTL_TEXT = re.compile(r"\s*([0-9]+)\s*")


@dataclass(frozen=True)
class UpdateZone(Irreversible):
    """Set zone metadata (``PUT /zones/{id}``: kind, masters, account, soa_edit_api, ...)."""

    zone: str
    payload: JSON
    action: ClassVar[str] = "zone.update"
    verb: ClassVar[str] = "update"
    noun: ClassVar[str] = "Zone"

    async def apply(self, client: PowerDNSClient) -> ServerChange:
        async with client.write_lock:
            before = await client.get_zone(self.zone, rrsets=False)
            await client.update_zone(self.zone, self.payload)
        return ServerChange(True, zone_before=before)


def _invalid(message: str) -> InvalidInput:
    return InvalidInput("body", message)


def server_info(version: str) -> JSON:
    """``GET /servers/localhost``: the shape PowerDNS answers, with the read server's version.

    Clients such as octoDNS pick API behaviour by version, so DNSMate reports the version
    of the PowerDNS servers behind it rather than its own.
    """
    base = f"/api/v1/servers/{SERVER_ID}"
    return {
        "type": "Server",
        "id": SERVER_ID,
        "daemon_type": "authoritative",
        "version": version,
        "url": base,
        "config_url": base + "/config{/config_setting}",
        "zones_url": base + "/zones{/zone}",
        "autoprimaries_url": base + "/autoprimaries{/autoprimary}",
    }


def present_zone(zone: JSON, *, rrsets: bool = True) -> JSON:
    """A zone as DNSMate's one server ``localhost`` shows it: PowerDNS's object, with the
    ``url`` under ``localhost`` whatever the server id behind, and without ``rrsets`` when
    they were not asked for."""
    shown = {k: v for k, v in zone.items() if rrsets or k != "rrsets"}
    if "id" in shown:
        shown["url"] = f"/api/v1/servers/{SERVER_ID}/zones/{shown['id']}"
    return shown


def canonical_name(value: Any, key: str = "name") -> str:
    """A DNS name as PowerDNS requires it in requests: absolute, with the trailing dot."""
    if not isinstance(value, str):
        raise _invalid(f"Key '{key}' not present or not a String")
    if not value.endswith("."):
        raise _invalid(f"DNS Name '{value}' is not canonical")
    try:
        check_plain_name(value, key)
    except InvalidInput as exc:
        raise _invalid(exc.reason) from exc
    try:
        dns.name.from_text(value)
    except dns.exception.DNSException as exc:
        raise _invalid(f"DNS Name '{value}' is invalid: {exc}") from exc
    return fqdn(value)


def filter_zones(zones: list[JSON], *, zone: str | None, allowed: set[str] | None) -> list[JSON]:
    """``GET /zones``: the zones the caller may see, or the one named by ``?zone=``."""
    if allowed is not None:
        zones = [z for z in zones if fqdn(z["name"]) in allowed]
    if zone is not None:
        wanted = canonical_name(zone, "zone")
        zones = [z for z in zones if fqdn(z["name"]) == wanted]
    return [present_zone(z) for z in zones]


def _check_unsupported(body: JSON) -> None:
    for key in UNSUPPORTED_KEYS:
        if body.get(key):
            raise _invalid(f"'{key}' is not supported through DNSMate's PowerDNS-compatible API")


def signing_payload(body: JSON, *, creating: bool) -> JSON:
    """The signing settings of a zone creation or ``PUT`` (``dnssec``, ``nsec3param``), for
    the reference server; empty when there is nothing to sign. A new zone is signed only
    with ``dnssec: true``, as PowerDNS does."""
    props: JSON = {key: body[key] for key in SIGNING_KEYS if key in body}
    if creating and not props.get("dnssec"):
        return {}
    nsec3param = props.get("nsec3param")
    if nsec3param is not None and not (
        isinstance(nsec3param, str) and _NSEC3PARAM.fullmatch(nsec3param)
    ):
        # PowerDNS answers 500 for a value it cannot parse.
        raise _invalid(f"NSEC3PARAM '{nsec3param}' is invalid: 'algorithm flags iterations salt'")
    return props


def _rrset_records(rrset: JSON, label: str) -> list[JSON]:
    records = rrset.get("records")
    if not isinstance(records, list):
        raise _invalid(f"RRset {label}: Key 'records' not present or not an Array")
    out = []
    for record in records:
        content = record.get("content") if isinstance(record, dict) else None
        if not isinstance(content, str):
            raise _invalid(f"RRset {label}: Key 'content' not present or not a String")
        try:
            check_one_line(content)
        except InvalidInput as exc:
            raise _invalid(f"RRset {label}: {exc.reason}") from exc
        out.append({"content": content, "disabled": bool(record.get("disabled", False))})
    name, rtype = str(rrset.get("name")), str(rrset.get("type")).upper()
    try:
        check_fits_one_patch(name, rtype, (str(r["content"]) for r in out))
    except InvalidInput as exc:
        raise _invalid(f"RRset {label}: {exc.reason}") from exc
    return out


def _rrset_head(zone: str, rrset: Any) -> tuple[str, str, str]:
    if not isinstance(rrset, dict):
        raise _invalid("RRset is not a JSON object")
    name = canonical_name(rrset.get("name"))
    rtype = rrset.get("type")
    if not isinstance(rtype, str) or not rtype:
        raise _invalid("Key 'type' not present or not a String")
    rtype = rtype.upper()
    label = f"{name} IN {rtype}"
    if not in_zone(name, zone):
        raise _invalid(f"RRset {label}: Name is out of zone")
    return name, rtype, label


def _ttl(rrset: JSON) -> int:
    ttl = rrset.get("ttl")
    if isinstance(ttl, str) and (digits := _TTL_TEXT.fullmatch(ttl)):
        ttl = int(digits.group(1))
    elif isinstance(ttl, float) and ttl.is_integer():
        ttl = int(ttl)
    if not isinstance(ttl, int) or isinstance(ttl, bool) or ttl < 0:
        raise _invalid("Key 'ttl' not an Integer or not present")
    if ttl > MAX_TTL:
        # PowerDNS would store it, and DNS would serve it as 0 (RFC 2181: TTLs are 31 bits).
        raise _invalid(f"Key 'ttl' is out of range: at most {MAX_TTL}")
    return ttl


def patch_change(*, zone: str, body: JSON) -> PatchRRsets:
    """``PATCH /zones/{id}``: REPLACE and DELETE RRsets, as one atomic change per server."""
    rrsets = body.get("rrsets")
    if not isinstance(rrsets, list) or not rrsets:
        raise _invalid("No rrsets given in update request")
    zone = fqdn(zone)
    wanted: list[JSON] = []
    seen: set[tuple[str, str]] = set()
    for rrset in rrsets:
        name, rtype, label = _rrset_head(zone, rrset)
        changetype = str(rrset.get("changetype", "")).upper()
        if changetype not in CHANGETYPES:
            raise _invalid("Changetype not understood")
        if (name, rtype) in seen:
            raise _invalid(f"Duplicate RRset {label} with changetype: {changetype}")
        seen.add((name, rtype))
        if changetype == "DELETE":
            wanted.append({"name": name, "type": rtype, "ttl": 0, "records": []})
            continue
        comments = _rrset_comments(rrset, label)
        if "records" not in rrset and comments is not None:
            # Comments only: the records stay as they are (PowerDNS's own rule).
            wanted.append({"name": name, "type": rtype, "comments": comments})
            continue
        ttl = _ttl(rrset)
        records = _rrset_records(rrset, label)
        entry = {"name": name, "type": rtype, "ttl": ttl, "records": records}
        wanted.append(entry if comments is None else {**entry, "comments": comments})
    return PatchRRsets(zone=zone, rrsets=tuple(wanted))


def _rrset_comments(rrset: JSON, label: str) -> list[JSON] | None:
    """The RRset's ``comments`` as PowerDNS takes them; None when the request has none
    (PowerDNS then keeps the RRset's comments)."""
    if "comments" not in rrset:
        return None
    comments = rrset["comments"]
    if not isinstance(comments, list):
        raise _invalid(f"RRset {label}: Key 'comments' is not an Array")
    out = []
    for comment in comments:
        content = comment.get("content") if isinstance(comment, dict) else None
        if not isinstance(content, str):
            raise _invalid(f"RRset {label}: Key 'content' not present or not a String")
        entry: JSON = {"content": content, "account": str(comment.get("account") or "")}
        if isinstance(comment.get("modified_at"), int):
            entry["modified_at"] = comment["modified_at"]
        out.append(entry)
    return out


def create_payload(body: JSON) -> JSON:
    """``POST /zones``: the PowerDNS creation body sent to every target server."""
    name = canonical_name(body.get("name"))
    zone = validate_zone_name(name)
    _check_unsupported(body)
    payload: JSON = {key: body[key] for key in CREATE_KEYS if key in body}
    payload["name"] = zone
    payload["kind"] = validate_kind(str(body.get("kind") or "Native"))
    # Unsigned zones need no rectify; PowerDNS would re-rectify the zone after every PATCH.
    payload.setdefault("api_rectify", False)
    nameservers = body.get("nameservers") or []
    if not isinstance(nameservers, list):
        raise _invalid("Key 'nameservers' is not an Array")
    try:
        payload["nameservers"] = [canonical_name(ns, "nameservers") for ns in nameservers]
    except InvalidInput as exc:
        bad = next((ns for ns in nameservers if not str(ns).endswith(".")), None)
        if bad is None:
            raise
        raise _invalid(f"Nameserver is not canonical: '{bad}'") from exc
    rrsets = body.get("rrsets") or []
    if not isinstance(rrsets, list):
        raise _invalid("Key 'rrsets' is not an Array")
    payload["rrsets"] = []
    for rrset in rrsets:
        rname, rtype, label = _rrset_head(zone, rrset)
        entry = {"name": rname, "type": rtype, "ttl": _ttl(rrset),
                 "records": _rrset_records(rrset, label)}  # fmt: skip
        comments = _rrset_comments(rrset, label)
        payload["rrsets"].append(entry if comments is None else {**entry, "comments": comments})
    return payload


def update_payload(body: JSON) -> JSON:
    """``PUT /zones/{id}``: the zone metadata to set on every target server."""
    _check_unsupported(body)
    payload: JSON = {key: body[key] for key in UPDATE_KEYS if key in body}
    if "kind" in payload:
        payload["kind"] = validate_kind(str(payload["kind"]))
    return payload


async def created_zone(
    *,
    multi: MultiPowerDNSService,
    result: MultiPowerDNSResult[ServerChange],
    zone: str,
    rrsets: bool = True,
) -> JSON:
    """The new zone as PowerDNS shows it, read from a server where the creation succeeded."""
    ok = {r.server_id for r in result.results if r.success}
    client = next(c for c in multi.clients if c.settings_id in ok)
    return present_zone(await client.get_zone(zone, rrsets=rrsets), rrsets=rrsets)


def pending_zone(payload: JSON, *, rrsets: bool = True) -> JSON:
    """A zone only queued so far (no server has it yet): PowerDNS's fields, from the request."""
    name = str(payload["name"])
    zone: JSON = dict.fromkeys(("serial", "edited_serial", "notified_serial", "last_check"), 0)
    zone |= dict.fromkeys(("account", "catalog", "soa_edit"), "")
    zone |= {key: [] for key in ("masters", "master_tsig_key_ids", "slave_tsig_key_ids")}
    zone |= {key: payload[key] for key in CREATE_KEYS if key in payload and key != "serial"}
    zone |= {"id": zone_id(name), "name": name, "dnssec": False, "nsec3param": "",
             "nsec3narrow": False, "api_rectify": bool(payload.get("api_rectify"))}  # fmt: skip
    zone.setdefault("soa_edit_api", "DEFAULT")
    zone["rrsets"] = [{**r, "comments": []} for r in payload.get("rrsets", [])]
    return present_zone(zone, rrsets=rrsets)


async def rectify(*, multi: MultiPowerDNSService, zone: str) -> MultiPowerDNSResult[None]:
    """Rectify the zone on every target server."""
    return await multi.execute(lambda c: c.rectify_zone(zone), zone=fqdn(zone))


async def read_version(multi: MultiPowerDNSService) -> str:
    """The PowerDNS version of the read server."""
    info = await multi.read(lambda c: c.server_info())
    return str(info.get("version", "4.7.0"))

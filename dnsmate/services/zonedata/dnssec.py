"""DNSSEC signing: the same keys on every target server, DS records for the registrar.

Resolvers accept a signature only if it matches a DNSKEY they fetched, and they may fetch
the DNSKEY set from one server and a signed answer from another. So every target must
publish the SAME DNSKEY set: the key is generated once on the reference server (the read
server: the default one when it answers), its private key is exported, and the other
targets import it (``POST cryptokeys`` with ``privatekey``). Enabling is three steps:

1. ``CreateZoneKey`` on the reference server alone (nothing to do if it already signs);
2. ``SyncZoneKeys`` on every target: hold exactly the reference's keys, ``api_rectify`` on,
   rectify;
3. ``dnssec_status``: every target's DNSKEY set compared with the reference's.

Both changes are idempotent, and ``SyncZoneKeys`` never stores the private keys it carries
(``to_json`` leaves them out), so a stored copy cannot leak them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from dnsmate.powerdns.client import JSON, PowerDNSClient
from dnsmate.powerdns.errors import PowerDNSNotFound, PowerDNSRejected
from dnsmate.powerdns.names import display, fqdn
from dnsmate.services.errors import InvalidInput, NotFound
from dnsmate.services.write.changes import Irreversible, ServerChange
from dnsmate.services.write.multi_powerdns import MultiPowerDNSService
from dnsmate.services.write.outcome import WriteOutcome

if TYPE_CHECKING:  # the pipeline's registry lists this module's changes
    from dnsmate.services.write.pipeline import WritePipeline, WriteScope

# PowerDNS algorithm names, by the lower-case spelling users may send.
ALGORITHMS = {
    "ecdsap256sha256": "ECDSAP256SHA256",
    "ecdsap384sha384": "ECDSAP384SHA384",
    "ed25519": "ED25519",
    "rsasha256": "RSASHA256",
    "rsasha512": "RSASHA512",
}
DEFAULT_ALGORITHM = "ECDSAP256SHA256"
# DS digest types to hand to a registrar: SHA-256 and SHA-384. SHA-1 (type 1) must no
# longer be used for DS records (RFC 8624, section 3.3).
DS_DIGEST_TYPES = ("2", "4")
# NSEC3 as RFC 9276 recommends: SHA-1, no opt-out, no extra iterations, no salt.
NSEC3_PARAM = "1 0 0 -"


@dataclass(frozen=True)
class ZoneKey:
    """One key as the targets must hold it; ``privatekey`` is needed only to import it."""

    keytype: str
    active: bool
    published: bool
    dnskey: str
    privatekey: str = field(default="", repr=False)


def _dnskey(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class CreateZoneKey(Irreversible):
    """Generate a signing key (CSK) unless the server already has an active key."""

    zone: str
    algorithm: str = DEFAULT_ALGORITHM
    action: ClassVar[str] = "dnssec.key.create"
    verb: ClassVar[str] = "enable"
    noun: ClassVar[str] = "Signing"

    async def apply(self, client: PowerDNSClient) -> ServerChange:
        async with client.write_lock:
            keys = await client.list_cryptokeys(self.zone)
            if any(k.get("active") for k in keys):
                return ServerChange(False)
            await client.create_cryptokey(
                self.zone, {"keytype": "csk", "active": True, "algorithm": self.algorithm}
            )
        return ServerChange(True)


@dataclass(frozen=True)
class SyncZoneKeys(Irreversible):
    """Make the server sign with exactly ``keys``: import missing ones, drop others, rectify.

    Keys are matched by their DNSKEY text (flags, algorithm, public key), since key ids
    differ between servers. ``nsec3param`` ("" for NSEC) is set too: servers that deny
    existence differently would give resolvers proofs that do not fit together.
    """

    zone: str
    keys: tuple[ZoneKey, ...]
    nsec3param: str = ""
    action: ClassVar[str] = "dnssec.enable"
    verb: ClassVar[str] = "enable"
    noun: ClassVar[str] = "Signing"

    async def apply(self, client: PowerDNSClient) -> ServerChange:
        wanted = {_dnskey(k.dnskey): k for k in self.keys}
        changed = False
        async with client.write_lock:
            meta = await client.get_zone(self.zone, rrsets=False)
            have = {_dnskey(k["dnskey"]): k for k in await client.list_cryptokeys(self.zone)}
            for dnskey, key in wanted.items():
                present = have.get(dnskey)
                if present is None:
                    if not key.privatekey:
                        # A replay from storage: private keys are never stored.
                        raise PowerDNSRejected(_missing_key_help(client.name, self.zone))
                    await client.create_cryptokey(
                        self.zone,
                        {"keytype": key.keytype, "active": key.active,
                         "published": key.published, "privatekey": key.privatekey},
                    )  # fmt: skip
                    changed = True
                elif (bool(present.get("active")), bool(present.get("published", True))) != (
                    key.active,
                    key.published,
                ):
                    await client.set_cryptokey_state(
                        self.zone, present["id"], active=key.active, published=key.published
                    )
                    changed = True
            for dnskey, extra in have.items():
                if dnskey not in wanted:
                    await client.delete_cryptokey(self.zone, extra["id"])
                    changed = True
            props: JSON = {}
            if not meta.get("api_rectify"):
                props["api_rectify"] = True
            if (meta.get("nsec3param") or "") != self.nsec3param:
                props["nsec3param"] = self.nsec3param
            if props:
                await client.update_zone(self.zone, props)
                changed = True
            # Always: a replay after a failure between import and rectify must still rectify.
            await client.rectify_zone(self.zone)
        return ServerChange(changed)

    def to_json(self) -> JSON:
        """The change without private keys (for the audit log and retry queue)."""
        keys = [_key_json(k) for k in self.keys]
        return {"zone": self.zone, "keys": keys, "nsec3param": self.nsec3param}

    @classmethod
    def from_json(cls, data: JSON) -> SyncZoneKeys:
        keys = tuple(ZoneKey(**k) for k in data["keys"])
        return cls(zone=data["zone"], keys=keys, nsec3param=data.get("nsec3param", ""))


def _missing_key_help(server: str, zone: str) -> str:
    """What a parked signing change tells the operator (it is the entry's ``last_error``)."""
    name = display(zone)
    return (
        f"{server} lacks the DNSSEC signing key of {name}, and private keys are never stored "
        f"in the retry queue, so this queued change cannot add it. To fix it, once {server} "
        f"answers: enable DNSSEC on {name} again (web interface: zone {name}, DNSSEC tab, "
        f"'Copy the keys to every server'; API: POST /api/zones/{name}/dnssec). That is safe "
        "on a signed zone: it keeps the reference server's key and copies it to the servers "
        "that lack it. Then retry this parked change (it completes with nothing left to do) "
        "or drop it: Settings > Consistency, or POST /api/sync/queue/{id}/retry or DELETE "
        "/api/sync/queue/{id}."
    )


def _key_json(key: ZoneKey) -> JSON:
    return {"keytype": key.keytype, "active": key.active, "published": key.published,
            "dnskey": key.dnskey}  # fmt: skip


@dataclass(frozen=True)
class UnsignZone(Irreversible):
    """Delete every key and turn ``api_rectify`` off again (unsigned zones do not need it)."""

    zone: str
    action: ClassVar[str] = "dnssec.disable"
    verb: ClassVar[str] = "disable"
    noun: ClassVar[str] = "Signing"

    async def apply(self, client: PowerDNSClient) -> ServerChange:
        async with client.write_lock:
            meta = await client.get_zone(self.zone, rrsets=False)
            keys = await client.list_cryptokeys(self.zone)
            for key in keys:
                await client.delete_cryptokey(self.zone, key["id"])
            props: JSON = {}
            if meta.get("api_rectify"):
                props["api_rectify"] = False
            if meta.get("nsec3param"):
                props["nsec3param"] = ""
            if props:
                await client.update_zone(self.zone, props)
        return ServerChange(bool(keys or props))


def validate_algorithm(algorithm: str) -> str:
    try:
        return ALGORITHMS[algorithm.strip().lower()]
    except KeyError as exc:
        raise InvalidInput(
            "algorithm",
            f"unknown algorithm {algorithm!r}; use one of {', '.join(ALGORITHMS.values())}",
        ) from exc


async def reference_server(*, multi: MultiPowerDNSService, zone: str) -> PowerDNSClient:
    """The read server for ``zone`` (default first); NotFound when it lacks the zone."""

    async def holding_zone(client: PowerDNSClient) -> PowerDNSClient:
        await client.get_zone(zone, rrsets=False)
        return client

    try:
        return await multi.read(holding_zone)
    except PowerDNSNotFound as exc:
        raise NotFound(f"Zone {display(zone)} not found") from exc


async def export_keys(*, client: PowerDNSClient, zone: str) -> tuple[ZoneKey, ...]:
    """The server's keys for ``zone`` with their private keys, to import elsewhere."""
    keys = []
    for key in await client.list_cryptokeys(zone):
        full = await client.get_cryptokey(zone, key["id"])
        keys.append(
            ZoneKey(
                keytype=str(full["keytype"]),
                active=bool(full.get("active")),
                published=bool(full.get("published", True)),
                dnskey=_dnskey(full["dnskey"]),
                privatekey=str(full["privatekey"]),
            )
        )
    return tuple(keys)


@dataclass
class DNSSECOutcome:
    """A signing change's per-server result and the key status read after it."""

    result: WriteOutcome
    status: dict[str, Any]


async def enable_dnssec(
    *,
    pipeline: WritePipeline,
    scope: WriteScope,
    zone: str,
    algorithm: str,
    nsec3: bool | None = None,
) -> DNSSECOutcome:
    """Sign ``zone`` on every target with one key set generated on the reference server.

    ``nsec3``: True for NSEC3 (RFC 9276 parameters), False for NSEC, None to keep what the
    reference server uses.
    """
    name = fqdn(zone)
    algo = validate_algorithm(algorithm)
    reference = await reference_server(multi=scope.targets, zone=name)
    alone = dataclasses.replace(scope, targets=MultiPowerDNSService([reference]))
    created = await pipeline.run(CreateZoneKey(zone=name, algorithm=algo), scope=alone)
    if not created.all_succeeded:
        return DNSSECOutcome(created, {"name": display(name), "dnssec": False})
    keys = await export_keys(client=reference, zone=name)
    if nsec3 is None:
        meta = await reference.get_zone(name, rrsets=False)
        nsec3param = str(meta.get("nsec3param") or "")
    else:
        nsec3param = NSEC3_PARAM if nsec3 else ""
    change = SyncZoneKeys(zone=name, keys=keys, nsec3param=nsec3param)
    result = await pipeline.run(change, scope=scope)
    status = await dnssec_status(multi=scope.targets, zone=name, reference=reference.name)
    return DNSSECOutcome(result, status)


async def disable_dnssec(*, pipeline: WritePipeline, scope: WriteScope, zone: str) -> DNSSECOutcome:
    """Stop signing ``zone`` on every target (delete its keys)."""
    name = fqdn(zone)
    result = await pipeline.run(UnsignZone(zone=name), scope=scope)
    status = await dnssec_status(multi=scope.targets, zone=name, strict=False)
    return DNSSECOutcome(result, status)


def public_key(key: JSON) -> dict[str, Any]:
    """A key as the API shows it (never the private key)."""
    return {
        "id": key["id"],
        "keytype": key.get("keytype"),
        "flags": key.get("flags"),
        "algorithm": key.get("algorithm"),
        "bits": key.get("bits"),
        "active": bool(key.get("active")),
        "published": bool(key.get("published", True)),
        "dnskey": _dnskey(key["dnskey"]),
        "ds": [ds for ds in key.get("ds", []) if ds.split()[2] in DS_DIGEST_TYPES],
    }


async def _server_keys(client: PowerDNSClient, zone: str) -> JSON:
    meta = await client.get_zone(zone, rrsets=False)
    keys = await client.list_cryptokeys(zone)
    return {"meta": meta, "keys": keys}


async def dnssec_status(
    *, multi: MultiPowerDNSService, zone: str, reference: str | None = None, strict: bool = True
) -> dict[str, Any]:
    """Keys on every target, DS records for the registrar, and whether the DNSKEY sets match.

    The reference is ``reference`` (by server name) or the first target that answered.
    With ``strict``, NotFound when no target has the zone.
    """
    name = fqdn(zone)
    result = await multi.execute(lambda c: _server_keys(c, name), zone=name)
    answered = [r for r in result.results if r.success and r.value is not None]
    if not answered:
        if strict and result.all_failed_with(PowerDNSNotFound):
            raise NotFound(f"Zone {display(name)} not found")
        if strict and result.results and result.results[0].exc is not None:
            raise result.results[0].exc
    ref = next((r for r in answered if r.server == reference), answered[0] if answered else None)

    def dnskeys(value: JSON) -> set[str]:
        return {_dnskey(k["dnskey"]) for k in value["keys"] if k.get("published", True)}

    def nsec3(value: JSON) -> str:
        return str(value["meta"].get("nsec3param") or "")

    ref_set = dnskeys(ref.value) if ref is not None and ref.value is not None else set()
    ref_nsec3 = nsec3(ref.value) if ref is not None and ref.value is not None else ""
    servers, mismatched, key_mismatch, nsec3_mismatch = [], [], [], []
    for r in result.results:
        entry: dict[str, Any] = {"server": r.server, "success": r.success, "error": r.error}
        if r.success and r.value is not None:
            same_keys = dnskeys(r.value) == ref_set
            same_nsec3 = nsec3(r.value) == ref_nsec3
            if not same_keys:
                key_mismatch.append(r.server)
            if not same_nsec3:
                nsec3_mismatch.append(r.server)
            if not (same_keys and same_nsec3):
                mismatched.append(r.server)
            entry |= {
                "dnssec": bool(r.value["keys"]),
                "api_rectify": bool(r.value["meta"].get("api_rectify")),
                "nsec3param": nsec3(r.value),
                "matches_reference": same_keys and same_nsec3,
                "keys": [public_key(k) for k in r.value["keys"]],
            }
        servers.append(entry)
    everyone = bool(answered) and len(answered) == len(result.results)
    ref_keys = ref.value["keys"] if ref is not None and ref.value is not None else []
    ds = sorted(
        {d for k in ref_keys if k.get("active") and k.get("keytype") in ("ksk", "csk")
         for d in public_key(k)["ds"]}
    )  # fmt: skip
    return {
        "name": display(name),
        "dnssec": bool(ref_keys),
        "reference_server": ref.server if ref is not None else None,
        "ds": ds,
        "ds_records": [f"{name} IN DS {d}" for d in ds],
        "nsec3param": ref_nsec3,
        "dnskeys_match": everyone and not key_mismatch,
        "nsec3_match": everyone and not nsec3_mismatch,
        "mismatched_servers": mismatched,
        "server_keys": servers,
    }

"""One RFC 2136 UPDATE as one change: prerequisites and updates, applied on each server.

``DnsUpdate.apply`` runs on every target like any change (``services/write``): under the
server's write lock it reads the RRsets at the names the message touches, checks the
prerequisites (RFC 2136 section 3.2) against THAT server's data, applies the updates
(section 3.4.2) to a copy of them and writes the RRsets that differ in one PATCH. A failed
prerequisite raises ``PrerequisiteFailed`` with the RCODE the client gets.

The retry queue stores a DnsUpdate with its prerequisites, and a replay checks them again on
the server that missed the update: replays run in order per server and zone, so that
server holds what the others held when they checked, and reaches the same decision. This
also covers an update no server has checked yet (every target skipped, behind older queued
changes): it is applied later only if its prerequisites hold then; if they fail on replay,
the entry is parked for an admin instead of forcing data in. Every update is idempotent
(add a record, delete an RRset, delete a name, delete a record), so a replay is safe.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, ClassVar, Literal

from dnsmate.powerdns.client import JSON, PowerDNSClient
from dnsmate.powerdns.errors import RecordConflict
from dnsmate.powerdns.names import display, fqdn
from dnsmate.services.write.changes import RestoresRRsets, ServerChange, write_rrsets
from dnsmate.services.zonedata.records import current_rrsets
from dnsmate.services.zonedata.rrset import content_key

PrerequisiteKind = Literal[
    "name_in_use", "name_not_in_use", "rrset_exists", "rrset_absent", "rrset_equals"
]
Operation = Literal["add", "delete_rrset", "delete_name", "delete_record"]

# The RCODE each failed prerequisite answers (RFC 2136 section 3.2.5).
PREREQUISITE_RCODES: dict[PrerequisiteKind, str] = {
    "name_in_use": "NXDOMAIN",
    "name_not_in_use": "YXDOMAIN",
    "rrset_exists": "NXRRSET",
    "rrset_absent": "YXRRSET",
    "rrset_equals": "NXRRSET",
}
# What an update never removes at the zone apex (RFC 2136 section 3.4.2.3/3.4.2.4).
_APEX_KEPT = frozenset({"SOA", "NS"})
# Types maintained by PowerDNS (DNSSEC) or by DNSMate's zone settings, never by an UPDATE.
_NOT_UPDATABLE = frozenset({"SOA", "RRSIG", "NSEC", "NSEC3", "NSEC3PARAM", "DNSKEY"})


class PrerequisiteFailed(RecordConflict):
    """A prerequisite does not hold on this server; ``rcode`` is what the client is told."""

    def __init__(self, rcode: str, message: str) -> None:
        super().__init__(message, status=409)
        self.rcode = rcode


@dataclass(frozen=True)
class Prerequisite:
    """One prerequisite: ``kind`` on ``name`` (absolute), for ``type`` and ``contents``
    (canonical zone-file text, the whole RRset) when the kind needs them."""

    kind: PrerequisiteKind
    name: str
    type: str = ""
    contents: tuple[str, ...] = ()


@dataclass(frozen=True)
class Update:
    """One update: add ``content`` to (``name``, ``type``) with ``ttl``, or delete the RRset,
    every RRset at the name, or the one record ``content``."""

    op: Operation
    name: str
    type: str = ""
    content: str = ""
    ttl: int = 0


@dataclass(frozen=True)
class DnsUpdate(RestoresRRsets):
    """An RFC 2136 UPDATE of ``zone``: ``prerequisites`` checked, then ``updates`` applied."""

    zone: str
    updates: tuple[Update, ...]
    prerequisites: tuple[Prerequisite, ...] = ()
    action: ClassVar[str] = "record.dnsupdate"
    verb: ClassVar[str] = "update"
    noun: ClassVar[str] = "Records"

    @property
    def target(self) -> str:
        """What the audit log names: the RRsets the update touches."""
        touched = dict.fromkeys(
            f"{display(u.name)} {u.type or 'ANY'}" for u in self.updates
        )  # ordered, without repeats
        return ", ".join(touched)[:500] or display(self.zone)

    async def apply(self, client: PowerDNSClient) -> ServerChange:
        names = {p.name for p in self.prerequisites} | {u.name for u in self.updates}
        async with client.write_lock:
            found = await current_rrsets(client, self.zone, names)
            existing = {(fqdn(name), rtype): rrset for (name, rtype), rrset in found.items()}
            for prerequisite in self.prerequisites:
                _check(prerequisite, existing)
            wanted = _updated(self.zone, self.updates, existing)
            return await write_rrsets(client, self.zone, wanted, existing)

    def to_json(self) -> JSON:
        """The stored form (retry queue), see the module docstring."""
        return {
            "zone": self.zone,
            "updates": [asdict(u) for u in self.updates],
            "prerequisites": [asdict(p) for p in self.prerequisites],
        }

    @classmethod
    def from_json(cls, data: JSON) -> DnsUpdate:
        """The change ``to_json`` stored."""
        return cls(
            zone=data["zone"],
            updates=tuple(Update(**u) for u in data["updates"]),
            prerequisites=tuple(
                Prerequisite(**{**p, "contents": tuple(p.get("contents", ()))})
                for p in data.get("prerequisites", ())
            ),
        )


def _live(rrset: JSON | None) -> set[str]:
    """The content keys of an RRset's enabled records (what DNS serves)."""
    if rrset is None:
        return set()
    rtype = rrset["type"]
    return {content_key(rtype, r["content"]) for r in rrset["records"] if not r.get("disabled")}


def _check(prerequisite: Prerequisite, existing: dict[tuple[str, str], JSON]) -> None:
    name, rtype = prerequisite.name, prerequisite.type
    at_name = [r for (n, _t), r in existing.items() if n == name and _live(r)]
    kind = prerequisite.kind
    if kind == "name_in_use":
        holds = bool(at_name)
    elif kind == "name_not_in_use":
        holds = not at_name
    elif kind == "rrset_exists":
        holds = bool(_live(existing.get((name, rtype))))
    elif kind == "rrset_absent":
        holds = not _live(existing.get((name, rtype)))
    else:
        wanted = {content_key(rtype, c) for c in prerequisite.contents}
        holds = _live(existing.get((name, rtype))) == wanted
    if not holds:
        what = f"{display(name)} {rtype}".strip()
        raise PrerequisiteFailed(PREREQUISITE_RCODES[kind], f"prerequisite {kind} failed: {what}")


def _updated(
    zone: str, updates: tuple[Update, ...], existing: dict[tuple[str, str], JSON]
) -> list[JSON]:
    """The RRsets the updates change, as they must be afterwards (no records: delete)."""
    state: dict[tuple[str, str], dict[str, Any]] = {
        key: {"ttl": r["ttl"], "records": list(r["records"])} for key, r in existing.items()
    }
    apex = fqdn(zone)
    for update in updates:
        _apply_one(update, state, apex)
    changed = []
    for (name, rtype), rrset in state.items():
        old = existing.get((name, rtype))
        if old is not None and rrset["records"] == old["records"] and rrset["ttl"] == old["ttl"]:
            continue
        if old is None and not rrset["records"]:
            continue
        changed.append({"name": name, "type": rtype, **rrset})
    return changed


def _apply_one(update: Update, state: dict[tuple[str, str], dict[str, Any]], apex: str) -> None:
    """Apply one update to ``state`` as RFC 2136 section 3.4.2 says."""
    name, rtype = update.name, update.type
    if update.op == "delete_name":
        for (n, t), rrset in state.items():
            if n == name and not (n == apex and t in _APEX_KEPT) and t not in _NOT_UPDATABLE:
                rrset["records"] = []
        return
    if rtype in _NOT_UPDATABLE or (name == apex and rtype == "NS" and update.op == "delete_rrset"):
        return  # PowerDNS keeps the SOA; the apex NS RRset goes only record by record
    rrset = state.setdefault((name, rtype), {"ttl": update.ttl, "records": []})
    if update.op == "delete_rrset":
        rrset["records"] = []
    elif update.op == "delete_record":
        key = content_key(rtype, update.content)
        kept = [r for r in rrset["records"] if content_key(rtype, r["content"]) != key]
        if name == apex and rtype == "NS" and not kept:
            return  # the zone's last name server stays (section 3.4.2.4)
        rrset["records"] = kept
    else:
        _add(update, rrset, state)


def _add(
    update: Update, rrset: dict[str, Any], state: dict[tuple[str, str], dict[str, Any]]
) -> None:
    """Add one record; a CNAME beside other data (or other data beside a CNAME) is ignored,
    and a CNAME replaces the one there (section 3.4.2.2)."""
    others = {t for (n, t), r in state.items() if n == update.name and r["records"]}
    if update.type == "CNAME" and others - {"CNAME", "RRSIG", "NSEC", "NSEC3"}:
        return
    if update.type != "CNAME" and "CNAME" in others:
        return
    key = content_key(update.type, update.content)
    if update.type == "CNAME":
        rrset["records"] = [
            r for r in rrset["records"] if content_key("CNAME", r["content"]) == key
        ]
    if key not in {content_key(update.type, r["content"]) for r in rrset["records"]}:
        rrset["records"] = [*rrset["records"], {"content": update.content, "disabled": False}]
    rrset["ttl"] = update.ttl

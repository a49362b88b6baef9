"""A zone's content as plain data: the one form versions, import, export and bulk compare.

``State`` maps ``(name, type)`` to ``(ttl, records)`` with records sorted as
``(content, disabled)`` pairs, so two states compare with ``==`` and serialise compactly.
Names are absolute with the trailing dot, content is PowerDNS's zone-file text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from dnsmate.powerdns.client import JSON
from dnsmate.powerdns.names import display, name_order

Key = tuple[str, str]
RRsetData = tuple[int, tuple[tuple[str, bool], ...]]
State = dict[Key, RRsetData]

# Records PowerDNS makes itself: the SOA (serial bumped on every change) and DNSSEC data.
MANAGED_TYPES = frozenset({"SOA"})
GENERATED_TYPES = frozenset({"RRSIG", "NSEC", "NSEC3", "NSEC3PARAM", "DNSKEY", "CDS", "CDNSKEY"})


def rrset_data(rrset: JSON) -> RRsetData | None:
    """``(ttl, records)`` of a PowerDNS RRset dict, or None when it has no records."""
    records = rrset.get("records") or []
    if not records:
        return None
    pairs = sorted({(str(r["content"]), bool(r.get("disabled", False))) for r in records})
    return int(rrset.get("ttl") or 0), tuple(pairs)


def state_from_rrsets(rrsets: Iterable[JSON]) -> State:
    """A State from PowerDNS RRset dicts (empty RRsets are absent)."""
    state: State = {}
    for rrset in rrsets:
        data = rrset_data(rrset)
        if data is not None:
            state[(rrset["name"], rrset["type"])] = data
    return state


def to_rrset(key: Key, data: RRsetData | None) -> JSON:
    """The PowerDNS RRset dict for ``key`` (no records when ``data`` is None)."""
    ttl, records = data if data is not None else (0, ())
    return {
        "name": key[0],
        "type": key[1],
        "ttl": ttl,
        "records": [{"content": c, "disabled": d} for c, d in records],
    }


def sort_key(key: Key) -> tuple[tuple[str, ...], str]:
    """Zone order: the apex first, then names grouped from the right, then type."""
    return name_order(key[0]), key[1]


def state_to_rrsets(state: State) -> list[JSON]:
    """PowerDNS RRset dicts in zone order."""
    return [to_rrset(key, state[key]) for key in sorted(state, key=sort_key)]


def public_rrset(key: Key, data: RRsetData | None) -> dict[str, Any]:
    """The API form of an RRset: display name, type, TTL and records."""
    ttl, records = data if data is not None else (0, ())
    return {
        "name": display(key[0]),
        "type": key[1],
        "ttl": ttl,
        "records": [{"content": c, "disabled": d} for c, d in records],
    }


@dataclass
class Diff:
    """RRsets to add, change and delete to turn one state into another."""

    adds: list[Key] = field(default_factory=list)
    changes: list[Key] = field(default_factory=list)
    deletes: list[Key] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.adds) + len(self.changes) + len(self.deletes)

    def counts(self) -> dict[str, int]:
        return {"adds": len(self.adds), "changes": len(self.changes), "deletes": len(self.deletes)}


def diff_states(
    old: State, new: State, *, deletes: bool = True, ignore: frozenset[str] = frozenset()
) -> Diff:
    """What turns ``old`` into ``new``; ``deletes=False`` keeps RRsets missing from ``new``.

    Types in ``ignore`` are left out on both sides.
    """
    diff = Diff()
    for key, data in new.items():
        if key[1] in ignore:
            continue
        current = old.get(key)
        if current is None:
            diff.adds.append(key)
        elif current != data:
            diff.changes.append(key)
    if deletes:
        diff.deletes = [k for k in old if k not in new and k[1] not in ignore]
    for keys in (diff.adds, diff.changes, diff.deletes):
        keys.sort(key=sort_key)
    return diff


def diff_public(diff: Diff, old: State, new: State, *, limit: int | None = None) -> JSON:
    """The API form of a diff: RRsets added, changed (before and after) and deleted.

    ``limit`` caps each list (a 100,000-RRset import is described by its counts);
    ``truncated`` says when a list was cut.
    """

    def cut(keys: list[Key]) -> list[Key]:
        return keys if limit is None else keys[:limit]

    return {
        **diff.counts(),
        "added": [public_rrset(k, new[k]) for k in cut(diff.adds)],
        "changed": [
            {
                "name": display(k[0]),
                "type": k[1],
                "before": public_rrset(k, old[k]),
                "after": public_rrset(k, new[k]),
            }
            for k in cut(diff.changes)
        ],
        "deleted": [public_rrset(k, old[k]) for k in cut(diff.deletes)],
        "truncated": limit is not None
        and max(len(diff.adds), len(diff.changes), len(diff.deletes)) > limit,
    }


def patch_rrsets(diff: Diff, new: State) -> tuple[JSON, ...]:
    """The RRsets a PatchRRsets change needs to apply ``diff`` (deleted ones without records)."""
    keys = [*diff.deletes, *diff.adds, *diff.changes]
    return tuple(to_rrset(k, new.get(k)) for k in keys)

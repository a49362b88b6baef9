"""The one Plan: the RRsets to create, update and delete to turn one zone state into another.

Import, rollback and bulk previews, and reconcile (one per server), compute a ``Plan`` with
``Plan.between`` (RRsets compared with the RRset equality rule), show it with ``public``
and apply it as one PatchRRsets change of ``rrsets()``. Like octoDNS, a plan that updates
or deletes more than 30 % of the RRsets it starts from is ``unsafe`` (zones with fewer than
10 RRsets are exempt: one change in a tiny zone is not a mass deletion); reconcile refuses
such a plan without ``force``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dnsmate.powerdns.client import JSON
from dnsmate.powerdns.names import display
from dnsmate.services.zonedata.rrset import RRset, absent
from dnsmate.services.zonedata.zonestate import State, sort_key

MAX_SAFE_CHANGE_FRACTION = 0.30
MIN_EXISTING_RRSETS = 10


@dataclass
class Plan:
    """RRsets to create, to update (current, wanted) and to delete, in zone order.

    ``existing`` is how many RRsets the current state had (the base of the safety rule).
    """

    creates: list[RRset] = field(default_factory=list)
    updates: list[tuple[RRset, RRset]] = field(default_factory=list)
    deletes: list[RRset] = field(default_factory=list)
    existing: int = 0

    @classmethod
    def between(
        cls,
        current: State,
        wanted: State,
        *,
        deletes: bool = True,
        ignore: frozenset[str] = frozenset(),
    ) -> Plan:
        """What turns ``current`` into ``wanted``; ``deletes=False`` keeps RRsets missing
        from ``wanted``. Types in ``ignore`` are left out on both sides."""
        plan = cls(existing=sum(1 for key in current if key[1] not in ignore))
        for key, rrset in wanted.items():
            if key[1] in ignore:
                continue
            have = current.get(key)
            if have is None:
                plan.creates.append(rrset)
            elif have != rrset:
                plan.updates.append((have, rrset))
        if deletes:
            plan.deletes = [v for k, v in current.items() if k not in wanted and k[1] not in ignore]
        plan.creates.sort(key=_order)
        plan.updates.sort(key=lambda pair: _order(pair[1]))
        plan.deletes.sort(key=_order)
        return plan

    def __len__(self) -> int:
        return len(self.creates) + len(self.updates) + len(self.deletes)

    def counts(self) -> dict[str, int]:
        return {"adds": len(self.creates), "changes": len(self.updates),
                "deletes": len(self.deletes)}  # fmt: skip

    @property
    def unsafe(self) -> bool:
        """Updates or deletes more than ``MAX_SAFE_CHANGE_FRACTION`` of the RRsets."""
        if self.existing < MIN_EXISTING_RRSETS:
            return False
        limit = MAX_SAFE_CHANGE_FRACTION * self.existing
        return len(self.updates) > limit or len(self.deletes) > limit

    def rrsets(self) -> tuple[JSON, ...]:
        """The RRsets a PatchRRsets change needs to apply the plan (deleted ones without
        records)."""
        return (
            *(absent(*old.key).to_pdns() for old in self.deletes),
            *(new.to_pdns() for new in self.creates),
            *(new.to_pdns() for _old, new in self.updates),
        )

    def public(self, *, limit: int | None = None, comments: bool = False) -> JSON:
        """The API form: counts, RRsets added, changed (before and after) and deleted.

        ``limit`` caps each list (a 100,000-RRset import is described by its counts);
        ``truncated`` says when a list was cut. ``comments`` shows the RRsets' comments
        where they are known (versions, rollbacks).
        """
        cut = slice(None) if limit is None else slice(limit)
        return {
            **self.counts(),
            "added": [new.public(comments=comments) for new in self.creates[cut]],
            "changed": [
                {
                    "name": display(old.name),
                    "type": old.type,
                    "before": old.public(comments=comments),
                    "after": new.public(comments=comments),
                }
                for old, new in self.updates[cut]
            ],
            "deleted": [old.public(comments=comments) for old in self.deletes[cut]],
            "truncated": limit is not None
            and max(len(self.creates), len(self.updates), len(self.deletes)) > limit,
        }


def _order(rrset: RRset) -> tuple[tuple[str, ...], str]:
    return sort_key(rrset.key)

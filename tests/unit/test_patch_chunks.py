"""PATCH chunking: changes split below PowerDNS's body limit, sized by ``rrset_size``."""

from __future__ import annotations

import random

from dnsmate.services.zonedata.records import (
    MAX_PATCH_BYTES,
    MAX_PATCH_RRSETS,
    chunk_patch,
    rrset_size,
)
from dnsmate.services.zonedata.rrset import RRset


def by_rrset_size(changes: list[dict]) -> list[int]:
    """The chunk lengths the rule gives: a new chunk when the next entry would pass a limit."""
    lengths: list[int] = []
    size = 0
    for change in changes:
        entry = rrset_size(change["name"], [r["content"] for r in change.get("records", [])])
        if not lengths or lengths[-1] >= MAX_PATCH_RRSETS or size + entry > MAX_PATCH_BYTES:
            lengths.append(0)
            size = 0
        lengths[-1] += 1
        size += entry
    return lengths


def test_chunks_follow_rrset_size_for_one_record_many_and_none() -> None:
    rng = random.Random(11)
    changes: list[dict] = []
    for i in range(30_000):
        records = [{"content": "x" * rng.randint(1, 900), "disabled": False}
                   for _ in range(rng.choice((1, 1, 1, 2, 5)))]  # fmt: skip
        if i % 97 == 0:
            changes.append({"name": f"d{i}.example.", "type": "A", "changetype": "DELETE"})
        else:
            changes.append(RRset.of(f"n{i}.example.", "TXT", 60).to_pdns() | {"records": records})

    chunks = chunk_patch(changes)

    assert [len(c) for c in chunks] == by_rrset_size(changes)
    assert len(chunks) > 2 and [e for c in chunks for e in c] == changes


def test_at_most_max_patch_rrsets_small_entries_per_chunk() -> None:
    small = [{"name": f"h{i}.example.", "type": "A", "changetype": "REPLACE",
              "records": [{"content": "192.0.2.1", "disabled": False}]}
             for i in range(MAX_PATCH_RRSETS + 1)]  # fmt: skip
    assert [len(c) for c in chunk_patch(small)] == [MAX_PATCH_RRSETS, 1]

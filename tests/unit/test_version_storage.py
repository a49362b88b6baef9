"""The stored form of zone versions: what is encoded decodes to the same content."""

from __future__ import annotations

import json
import zlib

from dnsmate.services.versions import (
    RebuildCache,
    decode_delta,
    decode_state,
    encode_delta,
    encode_state,
)
from dnsmate.services.zonestate import State


def big_state(count: int) -> State:
    return {
        (f"h{i}.example.", "A"): (300, ((f"10.0.{i >> 8 & 255}.{i & 255}", i % 2 == 0),))
        for i in range(count)
    }


def test_a_big_snapshot_decodes_item_by_item_to_the_same_state() -> None:
    state = big_state(30_000)  # over 1 MB of JSON: decoded one RRset at a time
    blob = encode_state(state)
    assert len(zlib.decompress(blob)) > 1_000_000
    assert decode_state(blob) == state


def test_stored_lists_with_whitespace_still_decode() -> None:
    items = [[n, t, ttl, [list(r) for r in records]] for (n, t), (ttl, records) in
             big_state(20_000).items()]  # fmt: skip
    spaced = zlib.compress((" " + json.dumps(items, indent=1) + " \n").encode())
    assert decode_state(spaced) == big_state(20_000)
    assert decode_state(zlib.compress(b"[ ]")) == {}


def test_delta_round_trip() -> None:
    delta = {("a.example.", "TXT"): (None, (60, (('"x"', False),))), ("b.example.", "A"): (
        (300, (("192.0.2.1", True),)), None)}  # fmt: skip
    assert decode_delta(encode_delta(delta)) == delta


def test_the_rebuild_cache_keeps_the_newest_within_its_limits() -> None:
    cache = RebuildCache(size=3, max_rrsets=50)
    for version in (1, 2, 3):
        cache.put("a.example.", version, big_state(10))
    cache.put("b.example.", 7, big_state(30))  # 60 RRsets: the oldest goes
    cache.put("b.example.", 9, big_state(60))  # alone over the limit, still kept

    assert cache.nearest("a.example.", 3) is None
    assert cache.nearest("b.example.", 8) is None
    found = cache.nearest("b.example.", 100)
    assert found is not None and found[0] == 9 and len(found[1]) == 60

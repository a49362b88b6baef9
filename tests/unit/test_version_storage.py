"""The stored form of zone versions: what is encoded decodes to the same content."""

from __future__ import annotations

import json
import zlib

from dnsmate.services.versions import decode_delta, decode_state, encode_delta, encode_state
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

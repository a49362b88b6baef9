"""The stored form of zone versions: what is encoded decodes to the same content."""

from __future__ import annotations

import json
import zlib

from dnsmate.services.history.versions import (
    RebuildCache,
    decode_delta,
    decode_state,
    encode_delta,
    encode_state,
)
from dnsmate.services.zonedata.rrset import Comment, RRset
from dnsmate.services.zonedata.zonestate import State


def big_state(count: int) -> State:
    rrsets = (
        RRset.of(f"h{i}.example.", "A", 300, [(f"10.0.{i >> 8 & 255}.{i & 255}", i % 2 == 0)])
        for i in range(count)
    )
    return {r.key: r for r in rrsets}


def test_a_big_snapshot_decodes_item_by_item_to_the_same_state() -> None:
    state = big_state(30_000)  # over 1 MB of JSON: decoded one RRset at a time
    blob = encode_state(state)
    assert len(zlib.decompress(blob)) > 1_000_000
    assert decode_state(blob) == state


def test_stored_lists_with_whitespace_still_decode() -> None:
    items = [[n, t, r.ttl, [list(x) for x in r.records]] for (n, t), r in
             big_state(20_000).items()]  # fmt: skip
    spaced = zlib.compress((" " + json.dumps(items, indent=1) + " \n").encode())
    assert decode_state(spaced) == big_state(20_000)
    assert decode_state(zlib.compress(b"[ ]")) == {}


def test_delta_round_trip() -> None:
    txt = RRset.of("a.example.", "TXT", 60, [('"x"', False)])
    a = RRset.of("b.example.", "A", 300, [("192.0.2.1", True)])
    delta = {txt.key: (None, txt), a.key: (a, None)}
    decoded = decode_delta(encode_delta(delta))
    assert decoded == delta
    # Exactly the same text, not only equal by the RRset rule.
    assert [(b and b.records, a and a.records) for b, a in decoded.values()] == [
        (b and b.records, a and a.records) for b, a in delta.values()
    ]


def test_comments_round_trip_and_versions_stored_without_them_still_decode() -> None:
    noted = RRset.of("a.example.", "A", 60, [("192.0.2.1", False)], [Comment("web", "ops@x")])
    bare = RRset.of("b.example.", "A", 60, [("192.0.2.2", False)], [])
    delta = decode_delta(encode_delta({noted.key: (bare.with_comments(None), noted)}))
    assert delta[noted.key][1] is not None and delta[noted.key][1].comments == noted.comments
    assert delta[noted.key][0] is not None and delta[noted.key][0].comments is None
    state = decode_state(encode_state({noted.key: noted, bare.key: bare}))
    assert [r.comments for r in state.values()] == [(Comment("web", "ops@x"),), ()]
    # The form stored before versions kept comments: [ttl, records], comments not known.
    old_delta = zlib.compress(
        json.dumps([["a.example.", "A", None, [60, [["1.2.3.4", 0]]]]]).encode()
    )
    old_state = zlib.compress(json.dumps([["a.example.", "A", 60, [["1.2.3.4", 0]]]]).encode())
    assert decode_delta(old_delta)[("a.example.", "A")][1].comments is None  # type: ignore[union-attr]
    assert decode_state(old_state)[("a.example.", "A")].comments is None


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

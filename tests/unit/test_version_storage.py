"""The stored form of zone versions: what is encoded decodes to the same content."""

from __future__ import annotations

import json
import zlib

from dnsmate.services.history.version_codec import (
    apply_delta,
    decode_delta,
    decode_state,
    encode_delta,
    encode_state,
    snapshot_after,
)
from dnsmate.services.history.versions import RebuildCache
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


def _exact(state: State) -> dict[tuple[str, str], tuple[object, ...]]:
    """Everything stored of each RRset, compared exactly (not by the RRset equality rule)."""
    return {k: (r.ttl, r.records, r.comments) for k, r in state.items()}


def _odd_state() -> State:
    odd = [
        RRset.of('q"uote\\back.example.', "TXT", 60, [('"a\\"b"', False)], []),
        RRset.of("tab\there\nnl.example.", "A", 60, [("192.0.2.9", True)], None),
        RRset.of("ünï.example.", "MX", 3600, [("10 mx.example.", False), ("5 a.example.", True)]),
        RRset.of("c.example.", "CNAME", 1, [("T.example.", False)], [Comment("x\ty", "a@b")]),
    ]
    return {**{r.key: r for r in odd}, **big_state(50)}


def test_a_snapshot_moved_forward_as_text_is_the_decoded_one_moved_forward() -> None:
    state = _odd_state()
    keys = list(state)
    changed = RRset.of(keys[0][0], "TXT", 30, [('"new"', False)], [Comment("c", "")])
    added = RRset.of("new.example.", "AAAA", 300, [("2001:db8::1", False)], None)
    first = {keys[0]: (state[keys[0]], changed), keys[1]: (state[keys[1]], None)}
    second = {
        added.key: (None, added),
        keys[2]: (state[keys[2]], None),
        ("absent.example.", "A"): (None, None),
    }
    expected = dict(state)
    for delta in (first, second):
        apply_delta(expected, delta)

    moved = snapshot_after(encode_state(state), [encode_delta(first), encode_delta(second)])

    assert _exact(decode_state(moved)) == _exact(expected)
    assert moved == encode_state(expected)  # the same bytes as decoding and encoding
    assert decode_state(snapshot_after(encode_state({}), [])) == {}
    gone = {k: (r, None) for k, r in state.items()}
    assert decode_state(snapshot_after(encode_state(state), [encode_delta(gone)])) == {}


def test_versions_stored_as_one_json_list_still_move_forward() -> None:
    # The forms stored before snapshots and deltas were lines, with and without comments.
    old = [["a.example.", "A", 60, [["1.2.3.4", 0]]],
           ["b.example.", "TXT", 60, [['"x"', False]], [["note", "ops"]]]]  # fmt: skip
    old_delta = zlib.compress(json.dumps([
        ["b.example.", "TXT", old[1][2:], [61, [['"y"', True]], []]],
        ["a.example.", "A", old[0][2:], None]]).encode())  # fmt: skip
    added = RRset.of("c.example.", "A", 60, [("192.0.2.3", False)], [])
    delta = {added.key: (None, added)}
    for blob in (zlib.compress(json.dumps(old).encode()),
                 zlib.compress((" " + json.dumps(old, indent=1) + "\n").encode())):  # fmt: skip
        expected = decode_state(blob)
        apply_delta(expected, delta)
        apply_delta(expected, decode_delta(old_delta))

        moved = decode_state(snapshot_after(blob, [encode_delta(delta), old_delta]))

        assert _exact(moved) == _exact(expected)
        assert moved[("b.example.", "TXT")].records == (('"y"', True),)
        kept = decode_state(snapshot_after(blob, []))
        assert kept[("a.example.", "A")].comments is None

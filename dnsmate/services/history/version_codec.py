"""The stored form of zone versions: compressed deltas and snapshots, and moving a snapshot
forward without decoding it.

A stored RRset is ``[ttl, [[content, disabled], ...]]`` followed by ``[[content, account],
...]`` when the comments are known (versions recorded before comments were kept end after
the records, and decode with comments None). The names, records and comments were canonical
when stored, so decoding builds RRsets without checking again.

Both are zlib-compressed text: a header line, then one line per RRset, its parts compact
ASCII JSON (which never holds a raw tab or newline) separated by tabs:

- a snapshot line is ``["name","type"]<TAB>RRset``;
- a delta line is ``["name","type"]<TAB>before<TAB>after``, ``null`` for "did not exist".

Versions stored before these forms are one JSON list, ``[[name, type, ttl, records,
comments], ...]`` for a snapshot and ``[[name, type, before, after], ...]`` for a delta; they
still decode, and still move a snapshot forward.

Why lines: retention gives the oldest kept version of a zone a snapshot (the old snapshot
moved forward over the deltas after it) once per batch of pruned versions. Decoding a
20,000-RRset snapshot into RRsets, applying the deltas and encoding it again cost about
0.2 s of CPU per prune in ``dnsmate serve`` (0.35 s and more with Python's default
collector thresholds, whose passes walk the containers decoding keeps alive).
``snapshot_after`` instead keys the snapshot's lines by their first part and puts each delta
line's last part in place: strings only, 25 to 40 ms for that zone.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator, Sequence
from json.encoder import encode_basestring_ascii
from typing import Any

from dnsmate.services.zonedata.rrset import Comment, Key, RRset
from dnsmate.services.zonedata.zonestate import State

# A delta maps each touched RRset to (before, after); None means "did not exist". RRsets
# recorded before versions kept comments have comments None (not known).
Delta = dict[Key, tuple[RRset | None, RRset | None]]

_LEVEL = 6
_ENCODER = json.JSONEncoder(separators=(",", ":"))
# The first lines of a snapshot and of a delta stored as lines (the older forms start with "[").
_LINES = "dnsmate-snapshot-lines 1\n"
_DELTA_LINES = "dnsmate-delta-lines 1\n"


# Above this size a stored list is decoded item by item: one json.loads of a 100,000-RRset
# snapshot is a single C call that holds the GIL (and so the event loop) for up to a second,
# and the items' lists are not all alive at once.
_BIG_BLOB = 1_000_000
_DECODER = json.JSONDecoder()


def _unpack(blob: bytes) -> Iterator[Any]:
    text = _text(blob)
    if len(text) < _BIG_BLOB:
        return iter(json.loads(text))
    return _items(text)


def _zip(text: str) -> bytes:
    return zlib.compress(text.encode(), _LEVEL)


def _unzip(blob: bytes) -> str:
    return zlib.decompress(blob).decode()


def _body(text: str, header: str) -> list[str] | None:
    """The lines of ``text`` stored as lines under ``header``; None for the older form."""
    if not text.startswith(header):
        return None
    body = text[len(header) :]
    return body.split("\n") if body else []


def _text(blob: bytes) -> str:
    """A stored list as JSON text (a snapshot or delta stored as lines turned into one)."""
    text = _unzip(blob)
    if (lines := _body(text, _LINES)) is not None:
        # ``["n","t"]<TAB>[ttl,...]`` lines are the items ``["n","t",ttl,...]`` of a list.
        return "[" + ",".join(lines).replace("]\t[", ",") + "]"
    if (lines := _body(text, _DELTA_LINES)) is not None:
        # ``["n","t"]<TAB>b<TAB>a`` lines are the items ``["n","t",b,a]``.
        items = (line.split("\t") for line in lines)
        return "[" + ",".join(f"{key[:-1]},{b},{a}]" for key, b, a in items) + "]"
    return text


def _items(text: str) -> Iterator[Any]:
    """The items of a JSON list, decoded one at a time (other threads run in between)."""
    pos = _skip(text, 0)
    if text[pos] != "[":
        raise ValueError("a stored version is not a JSON list")
    pos = _skip(text, pos + 1)
    if text[pos] == "]":
        return
    while True:
        item, pos = _DECODER.raw_decode(text, pos)
        yield item
        pos = _skip(text, pos)
        if text[pos] == "]":
            return
        pos = _skip(text, pos + 1)  # the comma


def _skip(text: str, pos: int) -> int:
    while text[pos] in " \t\r\n":
        pos += 1
    return pos


def _stored(rrset: RRset | None) -> list[Any] | None:
    return None if rrset is None else _value(rrset)


def _value(rrset: RRset) -> list[Any]:
    if rrset.comments is None:
        return [rrset.ttl, rrset.records]
    return [rrset.ttl, rrset.records, [[c.content, c.account] for c in rrset.comments]]


def _decoded(name: str, rtype: str, ttl: Any, records: Any, comments: Any = None) -> RRset:
    return RRset(
        name,
        rtype,
        int(ttl),
        tuple((str(c), bool(d)) for c, d in records),
        None if comments is None else tuple(Comment(str(c), str(a)) for c, a in comments),
    )


def _rrset(name: str, rtype: str, value: Any) -> RRset | None:
    return None if value is None else _decoded(name, rtype, *value)


def _line_key(name: str, rtype: str) -> str:
    """The first part of a snapshot line: what ``_ENCODER`` makes of ``[name, rtype]``."""
    return f"[{encode_basestring_ascii(name)},{encode_basestring_ascii(rtype)}]"


def _pack_lines(lines: dict[str, str]) -> bytes:
    return _zip(_LINES + "\n".join(f"{key}\t{value}" for key, value in lines.items()))


def _lines(blob: bytes) -> dict[str, str]:
    """A stored snapshot (either form) as its lines: first part -> second part."""
    text = _unzip(blob)
    lines = _body(text, _LINES)
    if lines is None:
        return {_line_key(n, t): _ENCODER.encode(value) for n, t, *value in _items(text)}
    return {key: value for key, _tab, value in (line.partition("\t") for line in lines)}


def encode_state(state: State) -> bytes:
    return _pack_lines({_line_key(n, t): _ENCODER.encode(_value(r)) for (n, t), r in state.items()})


def decode_state(blob: bytes) -> State:
    state: State = {}
    for name, rtype, *value in _unpack(blob):
        state[(name, rtype)] = _decoded(name, rtype, *value)
    return state


def snapshot_after(snapshot: bytes, deltas: Sequence[bytes]) -> bytes:
    """(CPU) The stored ``snapshot`` moved forward over the stored ``deltas``, in stored form.

    The same as ``encode_state`` of the decoded snapshot with the decoded deltas applied,
    without decoding the RRsets of the zone or of the deltas.
    """
    lines = _lines(snapshot)
    for blob in deltas:
        for key, after in _afters(blob):
            if after is None:
                lines.pop(key, None)
            else:
                lines[key] = after
    return _pack_lines(lines)


def _afters(blob: bytes) -> Iterator[tuple[str, str | None]]:
    """A stored delta's (snapshot line key, the RRset's line part after it or None)."""
    text = _unzip(blob)
    lines = _body(text, _DELTA_LINES)
    if lines is not None:
        for line in lines:
            key, _before, after = line.split("\t")
            yield key, None if after == "null" else after
        return
    # The older form, one item at a time, each dropped before the next: decoding a whole
    # 20,000-RRset delta first kept 80,000 lists alive, and the cycle collector's passes
    # over them took more CPU than everything else here.
    for name, rtype, _before, value in _items(text):
        yield _line_key(name, rtype), None if value is None else _ENCODER.encode(value)


def encode_delta(delta: Delta) -> bytes:
    return _zip(
        _DELTA_LINES
        + "\n".join(
            f"{_line_key(n, t)}\t{_ENCODER.encode(_stored(b))}\t{_ENCODER.encode(_stored(a))}"
            for (n, t), (b, a) in delta.items()
        )
    )


def decode_delta(blob: bytes) -> Delta:
    return {(n, t): (_rrset(n, t, b), _rrset(n, t, a)) for n, t, b, a in _unpack(blob)}


def apply_delta(state: State, delta: Delta) -> None:
    """Move ``state`` forward over one version (in place)."""
    for key, (_before, after) in delta.items():
        if after is None:
            state.pop(key, None)
        else:
            state[key] = after

"""The RRset value type and its one equality rule.

Every place that asks "is this RRset the same as that one" (the apply step of a change,
import and rollback plans, bulk previews, version deltas and diffs, drift and reconcile)
compares ``RRset`` values. Two RRsets are equal when:

- their names are equal in canonical form (absolute, lower case, ``\\DDD`` escapes decoded:
  ``powerdns.names.fqdn``) and their types are equal;
- their TTLs are equal;
- their sets of ``(content, disabled)`` are equal, content compared by ``content_key``:
  canonical zone-file text with the DNS names inside it case-folded (a CNAME, NS, PTR, MX
  or SRV target), the rest as DNS sees it (TXT keeps its case); record order and repeated
  records do not matter;
- their comments are equal, when both say what their comments are. An RRset read from a
  zone file, a bulk operation or a stored version does not know them (``comments`` is None):
  PowerDNS keeps an RRset's comments on a REPLACE that does not mention them, so there is
  nothing about comments that writing such an RRset could change.

An RRset without records is an absent one ("delete this RRset" in a plan).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import dns.exception
import dns.name
import dns.rdata
import dns.rdataclass
import dns.rdatatype

from dnsmate.powerdns.client import JSON
from dnsmate.powerdns.names import display, fqdn
from dnsmate.services.errors import InvalidInput
from dnsmate.services.zonedata.validation import normalize_content

Key = tuple[str, str]
Records = tuple[tuple[str, bool], ...]

# Content of these types is DNS names and numbers only: folding the text folds the names.
_NAMES_AND_NUMBERS = frozenset(
    {"CNAME", "DNAME", "NS", "PTR", "MX", "SRV", "SOA", "AFSDB", "KX", "RT", "PX", "RP", "MINFO"}
)
# Names beside case-sensitive text (a NAPTR regexp, SVCB parameters): fold the names only.
_NAMES_AND_TEXT = frozenset({"NAPTR", "HTTPS", "SVCB"})


@functools.lru_cache(maxsize=65_536)
def content_key(rtype: str, content: str) -> str:
    """The form in which record content is compared: canonical text, names case-folded.

    Content DNSMate cannot parse (a type dnspython does not know) is compared as written.
    Cached: a bulk change or a drift check compares the same contents on every server.
    """
    try:
        text = normalize_content(rtype, content)
    except InvalidInput:
        return content.strip()
    if rtype in _NAMES_AND_NUMBERS:
        return text.lower()
    if rtype in _NAMES_AND_TEXT:
        return _fold_names(rtype, text)
    return text


# Types whose validated content (what ``normalize_content`` answers) is its own key.
_CONTENT_IS_KEY = frozenset({"A", "AAAA"})


def valid_content_key(rtype: str, content: str) -> str:
    """``content_key`` of validated content: an address is its own key, and 10,000 new
    addresses of a bulk change need not pass through the cache."""
    return content if rtype in _CONTENT_IS_KEY else content_key(rtype, content)


def _fold_names(rtype: str, text: str) -> str:
    try:
        rdata = dns.rdata.from_text(
            dns.rdataclass.IN, dns.rdatatype.from_text(rtype), text, origin=dns.name.root
        )
    except (dns.exception.DNSException, ValueError):
        return text
    slots = [s for cls in type(rdata).__mro__ for s in getattr(cls, "__slots__", ())]
    names = {
        slot: value.canonicalize()
        for slot in slots
        if isinstance(value := getattr(rdata, slot, None), dns.name.Name)
    }
    return str(rdata.replace(**names).to_text()) if names else text


@dataclass(frozen=True, slots=True)
class Comment:
    """A PowerDNS RRset comment; its ``modified_at`` is the server's and not compared."""

    content: str
    account: str = ""

    def public(self) -> dict[str, str]:
        """The form PowerDNS takes and the API shows (``modified_at`` left to the server)."""
        return {"content": self.content, "account": self.account}


@dataclass(frozen=True, slots=True, eq=False)
class RRset:
    """One RRset: canonical name, type, TTL, records as ``(content, disabled)``, comments.

    Build it with ``RRset.of`` (or ``from_pdns``), which canonicalises the name and sorts the
    records; equality follows the module's rule whatever the order.
    """

    name: str
    type: str
    ttl: int = 0
    records: Records = ()
    comments: tuple[Comment, ...] | None = None

    @classmethod
    def of(
        cls,
        name: str,
        rtype: str,
        ttl: int,
        records: Iterable[tuple[str, bool]] = (),
        comments: Iterable[Comment] | None = None,
    ) -> RRset:
        """An RRset in canonical form: name via ``fqdn``, records sorted without repeats."""
        return cls(
            fqdn(name),
            rtype.upper(),
            int(ttl),
            tuple(sorted({(str(c), bool(d)) for c, d in records})),
            None if comments is None else tuple(sorted(set(comments), key=_comment_order)),
        )

    @classmethod
    def from_pdns(
        cls,
        data: JSON,
        *,
        with_comments: bool = True,
        unsaid: tuple[Comment, ...] | None = None,
    ) -> RRset:
        """From a PowerDNS RRset dict (``comments`` counts as known only when present, and
        not at all without ``with_comments``; ``unsaid``: the comments to take when the
        dict does not say them, None for unknown)."""
        comments = data.get("comments") if with_comments else None
        records: list[JSON] = data.get("records") or []
        return cls(
            fqdn(data["name"]),
            str(data["type"]).upper(),
            int(data.get("ttl") or 0),
            # One record, the usual case, needs no sorting (bulk changes read 10,000s).
            ((str(records[0]["content"]), bool(records[0].get("disabled", False))),)
            if len(records) == 1
            else tuple(sorted({(str(r["content"]), bool(r.get("disabled", False)))
                               for r in records})),
            unsaid if comments is None else _comments(comments),
        )  # fmt: skip

    @property
    def key(self) -> Key:
        return self.name, self.type

    @property
    def exists(self) -> bool:
        """False for an absent RRset (no records)."""
        return bool(self.records)

    @property
    def contents(self) -> list[str]:
        return [content for content, _disabled in self.records]

    def canonical_records(self) -> frozenset[tuple[str, bool]]:
        """The records as the equality rule sees them."""
        rtype = self.type
        return frozenset([(content_key(rtype, c), d) for c, d in self.records])

    def without_comments(self) -> RRset:
        """This RRset with its comments unknown (as a zone file has it)."""
        return self if self.comments is None else RRset(*self.key, self.ttl, self.records)

    def with_comments(self, comments: tuple[Comment, ...] | None) -> RRset:
        """This RRset with ``comments`` (already sorted, as an RRset holds them)."""
        return RRset(*self.key, self.ttl, self.records, comments)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RRset):
            return NotImplemented
        if self.name != other.name or self.type != other.type or self.exists != other.exists:
            return False
        if not self.exists:
            return True  # two absent RRsets, whatever TTL or comments they were given
        if self.ttl != other.ttl:
            return False
        if (
            self.comments is not None
            and other.comments is not None
            and self.comments != other.comments
        ):
            return False
        # Exact text first (the usual case, and cheap); canonical content only if needed.
        mine, theirs = self.records, other.records
        if mine == theirs:
            return True
        if len(mine) == 1 == len(theirs):  # one record each: no sets to build
            return mine[0][1] == theirs[0][1] and content_key(self.type, mine[0][0]) == content_key(
                self.type, theirs[0][0]
            )
        return self.canonical_records() == other.canonical_records()

    def __hash__(self) -> int:
        return hash((self.key, self.ttl if self.exists else 0, self.canonical_records()))

    def to_pdns(self) -> JSON:
        """The PowerDNS RRset dict (comments only when known; no records when absent)."""
        data: JSON = {
            "name": self.name,
            "type": self.type,
            "ttl": self.ttl,
            "records": [{"content": c, "disabled": d} for c, d in self.records],
        }
        if self.comments is not None:
            data["comments"] = [c.public() for c in self.comments]
        return data

    def public(self, *, comments: bool = False) -> dict[str, Any]:
        """The API form of plans, diffs and versions: display name, type, TTL and records;
        with ``comments``, also the comments when they are known."""
        body: dict[str, Any] = {
            "name": display(self.name),
            "type": self.type,
            "ttl": self.ttl,
            "records": [{"content": c, "disabled": d} for c, d in self.records],
        }
        if comments and self.comments is not None:
            body["comments"] = [c.public() for c in self.comments]
        return body

    def drift_public(self) -> dict[str, Any]:
        """The drift and reconcile form: records as content strings, and the comments when
        there are some (between servers, comments can be the only difference)."""
        body: dict[str, Any] = {
            "name": display(self.name),
            "type": self.type,
            "ttl": self.ttl,
            "records": self.contents,
        }
        if self.comments:
            body["comments"] = [c.public() for c in self.comments]
        return body


def absent(name: str, rtype: str) -> RRset:
    """The RRset ``(name, type)`` that does not exist."""
    return RRset.of(name, rtype, 0)


def _comments(data: list[JSON] | None) -> tuple[Comment, ...] | None:
    """PowerDNS comment dicts as sorted Comments; None (not known) stays None."""
    if data is None:
        return None
    if not data:
        return ()
    found = {Comment(str(c["content"]), str(c.get("account") or "")) for c in data}
    return tuple(sorted(found, key=_comment_order))


def _comment_order(comment: Comment) -> tuple[str, str]:
    return comment.content, comment.account

"""The RRset equality rule and the Plan built on it."""

from __future__ import annotations

import pytest

from dnsmate.services.errors import InvalidInput
from dnsmate.services.zonedata.plan import Plan
from dnsmate.services.zonedata.rrset import Comment, RRset, content_key, valid_content_key
from dnsmate.services.zonedata.validation import normalize_content
from dnsmate.services.zonedata.zonestate import state_from_rrsets

NAPTR = '100 10 "S" "SIP+D2U" "{}" {}'


def rr(
    content: str | list[str],
    *,
    rtype: str = "CNAME",
    name: str = "www.example.com.",
    ttl: int = 300,
    disabled: bool = False,
    comments: list[Comment] | None = None,
) -> RRset:
    contents = [content] if isinstance(content, str) else content
    return RRset.of(name, rtype, ttl, [(c, disabled) for c in contents], comments)


@pytest.mark.parametrize(
    ("rtype", "a", "b"),
    [
        ("CNAME", "Target.Example.COM.", "target.example.com."),
        ("CNAME", "target.example.com", "target.example.com."),
        ("MX", "10 MX1.example.net.", "10 mx1.example.net."),
        ("NS", "NS1.example.net.", "ns1.example.net."),
        ("SRV", "10 5 5060 SIP.example.com.", "10 5 5060 sip.example.com."),
        ("PTR", "Host.Example.NET.", "host.example.net."),
        ("HTTPS", '1 SVC.example.com. alpn="h2"', '1 svc.example.com. alpn="h2"'),
        (
            "NAPTR",
            NAPTR.format("", "_SIP._udp.example.com."),
            NAPTR.format("", "_sip._udp.example.com."),
        ),
        ("AAAA", "2001:DB8::1", "2001:db8::1"),
        ("AAAA", "2001:db8:0:0::1", "2001:db8::1"),
        ("MX", "10  mx1.example.net.", "10 mx1.example.net."),
    ],
)
def test_names_inside_content_compare_case_insensitively(rtype: str, a: str, b: str) -> None:
    assert rr(a, rtype=rtype) == rr(b, rtype=rtype)
    assert content_key(rtype, a) == content_key(rtype, b)


@pytest.mark.parametrize(
    ("rtype", "a", "b"),
    [
        ("TXT", '"Hello"', '"hello"'),
        ("SPF", '"v=spf1 include:Example.com -all"', '"v=spf1 include:example.com -all"'),
        ("CAA", '0 issue "LetsEncrypt.org"', '0 issue "letsencrypt.org"'),
        ("HTTPS", '1 svc.example.com. alpn="H2"', '1 svc.example.com. alpn="h2"'),
        (
            "NAPTR",
            NAPTR.format("!^.*$!sip:Info@example.com!", "."),
            NAPTR.format("!^.*$!sip:info@example.com!", "."),
        ),
        ("CNAME", "a.example.com.", "b.example.com."),
    ],
)
def test_text_keeps_its_case(rtype: str, a: str, b: str) -> None:
    assert rr(a, rtype=rtype) != rr(b, rtype=rtype)


def test_names_are_canonical() -> None:
    assert rr("x.").name == "www.example.com."
    assert rr("x.", name="WWW.Example.COM") == rr("x.", name="www.example.com.")
    assert rr("x.", name=r"\119ww.example.com.") == rr("x.")
    assert rr("x.", name="www.example.com").key == ("www.example.com.", "CNAME")


def test_ttl_disabled_and_type_count() -> None:
    assert rr("x.", ttl=300) != rr("x.", ttl=301)
    assert rr("x.", disabled=True) != rr("x.")
    assert rr("x.", rtype="CNAME") != rr("x.", rtype="DNAME")
    # Absent RRsets are equal whatever TTL they were given.
    assert RRset.of("a.example.", "A", 0) == RRset.of("a.example.", "A", 3600)


def test_record_order_and_repeats_do_not_count() -> None:
    a = rr(["192.0.2.2", "192.0.2.1"], rtype="A")
    b = rr(["192.0.2.1", "192.0.2.2", "192.0.2.1"], rtype="A")
    assert a == b and a.records == b.records
    # Unsorted records built directly (as a caller may) still follow the rule.
    assert RRset("a.example.", "A", 60, (("192.0.2.2", False), ("192.0.2.1", False))) == RRset(
        "a.example.", "A", 60, (("192.0.2.1", False), ("192.0.2.2", False))
    )
    assert rr(["192.0.2.1", "192.0.2.2"], rtype="A") != rr(["192.0.2.1"], rtype="A")


def test_comments_count_when_both_sides_know_them() -> None:
    note, other = Comment("owned by ops", "alice"), Comment("owned by dev", "bob")
    assert rr("x.", comments=[note]) == rr("x.", comments=[note])
    assert rr("x.", comments=[note]) != rr("x.", comments=[other])
    assert rr("x.", comments=[note]) != rr("x.", comments=[])
    # A zone file or a stored version does not know comments: a write of it keeps them.
    assert rr("x.", comments=[note]) == rr("x.")
    assert rr("x.", comments=[note]).without_comments().comments is None


def test_from_pdns_reads_records_disabled_flags_and_comments() -> None:
    data = {
        "name": "Www.Example.com.",
        "type": "CNAME",
        "ttl": 60,
        "records": [{"content": "Target.example.com.", "disabled": True}],
        "comments": [{"content": "c", "account": "a", "modified_at": 1700000000}],
    }
    rrset = RRset.from_pdns(data)
    assert rrset == RRset.of("www.example.com.", "CNAME", 60, [("target.example.com.", True)])
    assert rrset.comments == (Comment("c", "a"),)
    assert rrset.to_pdns()["comments"] == [{"content": "c", "account": "a"}]
    assert "comments" not in RRset.of("a.", "A", 1, [("192.0.2.1", False)]).to_pdns()
    assert rrset.drift_public()["records"] == ["Target.example.com."]


def test_a_plan_ignores_differences_the_rule_does_not_see() -> None:
    current = state_from_rrsets(
        [
            {"name": "a.example.", "type": "CNAME", "ttl": 60,
             "records": [{"content": "t.example.", "disabled": False}]},
            {"name": "b.example.", "type": "A", "ttl": 60,
             "records": [{"content": "192.0.2.1", "disabled": False}]},
            {"name": "c.example.", "type": "TXT", "ttl": 60,
             "records": [{"content": '"Hi"', "disabled": False}]},
        ]
    )  # fmt: skip
    wanted = {
        r.key: r
        for r in (
            RRset.of("A.example.", "CNAME", 60, [("T.Example.", False)]),
            RRset.of("c.example.", "TXT", 60, [('"hi"', False)]),
            RRset.of("d.example.", "A", 60, [("192.0.2.4", False)]),
        )
    }

    plan = Plan.between(current, wanted)

    assert plan.counts() == {"adds": 1, "changes": 1, "deletes": 1}
    assert [r.name for r in plan.creates] == ["d.example."]
    assert [new.name for _old, new in plan.updates] == ["c.example."]
    assert [r.name for r in plan.deletes] == ["b.example."]
    assert Plan.between(current, wanted, deletes=False).counts()["deletes"] == 0
    first = plan.rrsets()[0]
    assert (first["name"], first["records"]) == ("b.example.", [])


def test_the_safety_threshold_needs_ten_rrsets_and_thirty_percent() -> None:
    def zone(count: int) -> dict[tuple[str, str], RRset]:
        rrsets = (RRset.of(f"h{i}.example.", "A", 60, [("192.0.2.1", False)]) for i in range(count))
        return {r.key: r for r in rrsets}

    ten = zone(10)
    assert not Plan.between(ten, zone(7)).unsafe  # 3 of 10 deleted
    assert Plan.between(ten, zone(6)).unsafe  # 4 of 10
    assert not Plan.between(zone(9), {}).unsafe  # a tiny zone is exempt


def test_comments_a_dict_does_not_say_are_the_unsaid_ones() -> None:
    # Versions build the after-state of a write in one go (version_recorder._delta).
    note = Comment("kept", "ops")
    said = {"name": "a.example.", "type": "A", "ttl": 60, "comments": [],
            "records": [{"content": "192.0.2.1", "disabled": False}]}  # fmt: skip
    unsaid = {k: v for k, v in said.items() if k != "comments"}
    assert RRset.from_pdns(unsaid, unsaid=(note,)).comments == (note,)
    assert RRset.from_pdns(unsaid).comments is None
    assert RRset.from_pdns(said, unsaid=(note,)).comments == ()
    assert RRset.from_pdns(said, with_comments=False, unsaid=(note,)).comments == (note,)


@pytest.mark.parametrize(
    ("rtype", "given"),
    [
        ("A", "192.0.2.1"),
        ("A", " 010.1.2.3"),
        ("AAAA", "2001:DB8::0001"),
        ("AAAA", "::ffff:192.0.2.1"),
        ("CNAME", "Target.Example.NET"),
        ("TXT", "Mixed Case"),
        ("MX", "10 MAIL.example.com"),
    ],
)
def test_the_key_of_validated_content_is_content_key(rtype: str, given: str) -> None:
    # Bulk changes key validated addresses by their text (valid_content_key).
    try:
        valid = normalize_content(rtype, given)
    except InvalidInput:
        return
    assert valid_content_key(rtype, valid) == content_key(rtype, valid) == content_key(rtype, given)

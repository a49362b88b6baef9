"""Name normalisation, zone id escaping and record validation."""

from __future__ import annotations

import dns.name
import dns.rdata
import dns.rdataclass
import pytest

from dnsmate.powerdns.names import absolute_name, display, fqdn, zone_id
from dnsmate.services.errors import InvalidInput
from dnsmate.services.write.changes import AddRecord, PatchRRsets, add_record_change
from dnsmate.services.write.registry import change_from_json, change_to_json
from dnsmate.services.zonedata.validation import (
    ZoneNames,
    _quote_txt,
    check_rrset_coexistence,
    normalize_content,
    normalize_name,
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("www", "www.example.com."),
        ("@", "example.com."),
        ("", "example.com."),
        ("www.example.com", "www.example.com."),
        ("WWW.Example.com.", "www.example.com."),
        ("a.b", "a.b.example.com."),
    ],
)
def test_absolute_name(name: str, expected: str) -> None:
    assert absolute_name(name, "example.com") == expected


def test_zone_id_escapes_like_powerdns() -> None:
    assert zone_id("_x.example.") == "=5Fx.example."
    assert zone_id("a/b.example") == "a=2Fb.example."
    assert fqdn("Example.COM") == "example.com."
    assert display("www.example.com.") == "www.example.com"


@pytest.mark.parametrize(
    ("rtype", "given", "canonical"),
    [
        ("TXT", "hello world", '"hello world"'),
        ("TXT", '"quoted"', '"quoted"'),
        ("MX", "10 mail.example.com", "10 mail.example.com."),
        ("AAAA", "2001:DB8::0001", "2001:db8::1"),
        ("CNAME", "target.example.net", "target.example.net."),
        ("CAA", '0 issue "letsencrypt.org"', '0 issue "letsencrypt.org"'),
    ],
)
def test_content_is_canonicalised_for_powerdns(rtype: str, given: str, canonical: str) -> None:
    assert normalize_content(rtype, given) == canonical


@pytest.mark.parametrize(
    ("rtype", "given"),
    [
        ("TXT", 'say "hi" \\ there'),
        ("TXT", "tab\there"),
        ("TXT", "caf\u00e9"),
        ("TXT", "x" * 600),
        ("A", "192.0.2.1"),
        ("A", "0.0.0.0"),
        ("A", "255.255.255.255"),
    ],
)
def test_fast_paths_agree_with_dnspython(rtype: str, given: str) -> None:
    # Plain TXT and canonical dotted quads skip dnspython; the answer must not change.
    text = _quote_txt(given) if rtype == "TXT" else given
    parsed = dns.rdata.from_text(dns.rdataclass.IN, rtype, text, origin=dns.name.root)
    assert normalize_content(rtype, given) == parsed.to_text(origin=None, relativize=False)


@pytest.mark.parametrize(
    ("name", "valid"),
    [
        ("a" * 63, True),
        ("a" * 64, False),
        (".".join(["a" * 62] * 4), True),  # 254 characters with ".z.", 255 bytes on the wire
        ("a" + ".".join(["a" * 62] * 4), False),
        ("under_score.*-x", True),
        ("a..b", False),
    ],
)
def test_name_validation(name: str, valid: bool) -> None:
    if valid:
        assert normalize_name(name, "z.") == f"{name}.z."
    else:
        with pytest.raises(InvalidInput):
            normalize_name(name, "z.")


NAMES = [
    "www", "WWW", "a.b", "@", "", " www ", "www.", "Www.Example.com", "example.com",
    "xexample.com", "a.example.com.", "*.dev", "_srv._tcp", "under_score.*-x", "a" * 63,
    "a" * 64, ".".join(["a" * 62] * 4), "a" * 250, "a..b", ".a", "a/b", "a\\098", "caf\u00e9",
    "with space", "a.other.org.",
]  # fmt: skip


@pytest.mark.parametrize("zone", ["example.com", "Example.COM.", "z.", ".", "_x.example"])
def test_zone_names_agree_with_normalize_name(zone: str) -> None:
    # ZoneNames (bulk changes) resolves plain names without the general checks.
    names = ZoneNames(zone)
    for name in NAMES:
        try:
            expected: str | InvalidInput = normalize_name(name, zone)
        except InvalidInput as exc:
            expected = exc
        if isinstance(expected, str):
            assert names.normalize(name) == expected, name
        else:
            with pytest.raises(InvalidInput) as caught:
                names.normalize(name)
            assert (caught.value.field, caught.value.reason) == (expected.field, expected.reason)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("192.0.2.1", "192.0.2.1"),
        (" 192.0.2.1 ", "192.0.2.1"),
        ("192.0.2.1\n", "one line without control characters"),
        ("010.0.0.1", "write an IPv4 address"),
        ("1.2.3", "write an IPv4 address"),
    ],
)
def test_a_content_taken_as_given_only_when_canonical(given: str, expected: str) -> None:
    # Canonical dotted quads return at once; anything else still gets the full checks.
    try:
        assert normalize_content("A", given) == expected
    except InvalidInput as exc:
        assert expected in exc.reason


def test_long_txt_is_split_into_255_byte_strings() -> None:
    content = normalize_content("TXT", "a" * 300)
    assert content == '"' + "a" * 255 + '" "' + "a" * 45 + '"'


def test_invalid_input_names_the_field() -> None:
    with pytest.raises(InvalidInput) as bad_type:
        add_record_change(zone="example.com", name="www", rtype="BOGUS", content="x", ttl=60)
    with pytest.raises(InvalidInput) as bad_ttl:
        add_record_change(zone="example.com", name="www", rtype="A", content="192.0.2.1", ttl=-1)
    with pytest.raises(InvalidInput) as outside:
        add_record_change(
            zone="example.com", name="www.other.org.", rtype="A", content="192.0.2.1", ttl=60
        )
    assert (bad_type.value.field, bad_ttl.value.field, outside.value.field) == (
        "type",
        "ttl",
        "name",
    )


def test_cname_rule() -> None:
    with pytest.raises(InvalidInput, match="CNAME cannot coexist"):
        check_rrset_coexistence("www.example.com", "CNAME", {"A"})
    with pytest.raises(InvalidInput, match="has a CNAME"):
        check_rrset_coexistence("www.example.com", "TXT", {"CNAME"})
    check_rrset_coexistence("www.example.com", "A", {"A", "TXT"})


def test_changes_survive_a_json_round_trip() -> None:
    add = add_record_change(zone="example.com", name="www", rtype="A", content="192.0.2.1", ttl=60)
    patch = PatchRRsets(
        zone="example.com.",
        rrsets=({"name": "a.example.com.", "type": "A", "ttl": 60, "records": []},),
    )
    assert change_from_json(change_to_json(add)) == add
    assert change_from_json(change_to_json(patch)) == patch
    assert isinstance(change_from_json(change_to_json(add)), AddRecord)

"""Bad input is refused with a 4xx on both APIs, never stored cut short, never a 5xx or a
traceback in the log."""

from __future__ import annotations

import logging
from urllib.parse import quote

import pytest

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import Api
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query
from tests.integration.syncutil import pdns_zone

COMPAT = "/api/v1/servers/localhost/zones"


@pytest.fixture
async def zone(api: Api, pdns_servers: list[LocalPowerDNS]) -> str:
    await register_servers(api.client, pdns_servers[:2], (True, True))
    name = unique_zone("bad")
    body = {"name": name, "kind": "Native", "nameservers": ["ns1.example.net."]}
    created = await api.client.post("/api/zones", json=body)
    assert created.status_code == 201, created.text
    return name


async def compat_headers(api: Api) -> dict[str, str]:
    created = await api.client.post("/api/tokens", json={"name": "pdns-tool"})
    assert created.status_code == 201, created.text
    return {"X-API-Key": created.json()["token"], "Authorization": ""}


def no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert not errors, [r.getMessage() for r in errors]


@pytest.mark.parametrize(
    ("rtype", "content"),
    [("A", "192.0.2.3\n192.0.2.4"), ("TXT", "line one\nline two"), ("TXT", "a\rb")],
)
async def test_content_with_a_line_break_is_refused_not_cut(
    api: Api,
    zone: str,
    pdns_servers: list[LocalPowerDNS],
    caplog: pytest.LogCaptureFixture,
    rtype: str,
    content: str,
) -> None:
    record = {"name": "multi", "type": rtype, "content": content, "ttl": 300}
    response = await api.client.post(f"/api/records/{zone}", json=record)
    assert response.status_code == 422, response.text
    assert "one line" in response.text
    rrset = {"name": f"compat.{zone}.", "type": rtype, "ttl": 300, "changetype": "REPLACE",
             "records": [{"content": content, "disabled": False}]}  # fmt: skip
    headers = await compat_headers(api)
    patched = await api.client.patch(f"{COMPAT}/{zone}.", json={"rrsets": [rrset]}, headers=headers)
    assert patched.status_code == 422, patched.text
    assert "one line" in patched.json()["error"]
    for server in pdns_servers[:2]:
        assert dns_query(server, f"multi.{zone}.", rtype) == []
        assert dns_query(server, f"compat.{zone}.", rtype) == []
    no_tracebacks(caplog)


@pytest.mark.parametrize(
    ("name", "rtype", "content", "field", "says"),
    [
        ("bad name", "A", "192.0.2.1", "name", "contains a space, which a DNS name cannot hold"),
        ("caf\u00e9", "A", "192.0.2.1", "name", "write the international name as xn--caf-dma"),
        ("x", "A", "1.2.3", "content", "four numbers from 0 to 255 separated by dots"),
        ("x", "MX", "mail.example.net.", "content", "e.g. 10 mail.example.com."),
        ("x", "SRV", "10 5 sip host.", "content", "priority, weight and port numbers"),
    ],
)
async def test_bad_names_and_content_are_refused_saying_what_to_type(
    api: Api,
    zone: str,
    pdns_servers: list[LocalPowerDNS],
    name: str,
    rtype: str,
    content: str,
    field: str,
    says: str,
) -> None:
    record = {"name": name, "type": rtype, "content": content}
    response = await api.client.post(f"/api/records/{zone}", json=record)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["field"] == field
    assert says in body["message"]
    # Refused by DNSMate before any server: no per-server errors in PowerDNS's words.
    assert "servers" not in body
    assert "\\032" not in response.text and "malformed" not in response.text
    apex = {(f"{zone}.", "SOA"), (f"{zone}.", "NS")}
    for server in pdns_servers[:2]:  # nothing stored, whatever the name: the apex only
        assert dns_query(server, f"x.{zone}.", rtype) == []
        assert {(r["name"], r["type"]) for r in (await pdns_zone(server, zone))["rrsets"]} == apex


async def test_ttl_beyond_31_bits_is_refused_on_both_apis(
    api: Api, zone: str, pdns_servers: list[LocalPowerDNS], caplog: pytest.LogCaptureFixture
) -> None:
    too_big = 2**31
    record = {"name": "ttl", "type": "A", "content": "192.0.2.1", "ttl": too_big}
    assert (await api.client.post(f"/api/records/{zone}", json=record)).status_code == 422
    headers = await compat_headers(api)

    def patch(ttl: int) -> dict[str, object]:
        rrset = {"name": f"ttl.{zone}.", "type": "A", "ttl": ttl, "changetype": "REPLACE",
                 "records": [{"content": "192.0.2.1", "disabled": False}]}  # fmt: skip
        return {"rrsets": [rrset]}

    refused = await api.client.patch(f"{COMPAT}/{zone}.", json=patch(too_big), headers=headers)
    assert refused.status_code == 422, refused.text
    assert "2147483647" in refused.json()["error"]
    new_zone = {"name": f"big-{zone}.", "kind": "Native", "nameservers": ["ns1.example.net."],
                "rrsets": patch(too_big)["rrsets"]}  # fmt: skip
    new_zone["rrsets"][0]["name"] = f"ttl.big-{zone}."  # type: ignore[index]
    assert (await api.client.post(COMPAT, json=new_zone, headers=headers)).status_code == 422
    for server in pdns_servers[:2]:
        assert dns_query(server, f"ttl.{zone}.", "A") == []
    accepted = await api.client.patch(f"{COMPAT}/{zone}.", json=patch(too_big - 1), headers=headers)
    assert accepted.status_code == 204, accepted.text
    no_tracebacks(caplog)


@pytest.mark.parametrize("name", [" ", ".", "..", " . ", "\t", "a b.example", "@", "%"])
async def test_odd_zone_names_get_a_4xx(
    api: Api, zone: str, caplog: pytest.LogCaptureFixture, name: str
) -> None:
    body = {"name": name, "kind": "Native", "nameservers": ["ns1.example.net."]}
    created = await api.client.post("/api/zones", json=body)
    assert 400 <= created.status_code < 500, created.text
    headers = await compat_headers(api)
    compat = await api.client.post(COMPAT, json=body, headers=headers)
    assert 400 <= compat.status_code < 500, compat.text
    quoted = quote(name, safe="")
    for path in (f"/api/zones/{quoted}", f"/api/records/{quoted}", f"{COMPAT}/{quoted}"):
        response = await api.client.get(path, headers=headers if "v1" in path else None)
        assert response.status_code < 500, (path, response.text)
    no_tracebacks(caplog)


async def test_bulk_bodies_that_are_not_plain_json_get_422(
    api: Api, zone: str, caplog: pytest.LogCaptureFixture
) -> None:
    deep = b'{"operations": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    op = '{"op": "add", "name": "x", "type": "A", "content": "192.0.2.1", "ttl": %s}'
    bodies = [
        deep,
        ('{"operations": [' + op % "NaN" + "]}").encode(),
        ('{"operations": [' + op % "Infinity" + "]}").encode(),
        ('{"operations": [' + op % "1e400" + "]}").encode(),
        ('{"operations": [' + op % ("9" * 5000) + "]}").encode(),
        b'{"operations": [{"op": "add", "name": {"a": [1]}, "type": ["A"], "content": {}}]}',
    ]
    for body in bodies:
        response = await api.client.post(
            f"/api/records/{zone}/bulk",
            content=body,
            headers={"Content-Type": "application/json"},
        )
        assert response.status_code == 422, (body[:80], response.text)
    no_tracebacks(caplog)


async def test_nan_and_huge_numbers_in_json_get_422(
    api: Api, zone: str, caplog: pytest.LogCaptureFixture
) -> None:
    server = (
        '{"name": "nan", "api_url": "http://127.0.0.1:1", "api_key": "k", "timeout_seconds": %s}'
    )
    record = '{"name": "n", "type": "A", "content": "192.0.2.1", "ttl": %s}'
    cases = [
        ("/api/settings/powerdns", server % "NaN"),
        ("/api/settings/powerdns", server % "Infinity"),
        (f"/api/records/{zone}", record % "NaN"),
        (f"/api/records/{zone}", record % "1e400"),
        (f"/api/records/{zone}", record % ("9" * 30)),
    ]
    for path, body in cases:
        response = await api.client.post(
            path, content=body.encode(), headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 422, (path, body, response.text)
    no_tracebacks(caplog)


async def test_audit_records_failure_for_a_delete_answered_404(api: Api, zone: str) -> None:
    missing = unique_zone("missing")
    response = await api.client.delete(f"/api/zones/{missing}")
    assert response.status_code == 404, response.text
    events = (await api.client.get("/api/audit", params={"zone": missing})).json()["items"]
    assert [(e["action"], e["outcome"]) for e in events] == [("zone.delete", "failed")]

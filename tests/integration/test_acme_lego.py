"""A real ACME client gets a certificate through DNSMate: lego (the Go ACME client Traefik
uses) obtains one from pebble (the ACME test server) on loopback with the DNS-01 challenge,
for a name in a zone DNSMate serves on three PowerDNS servers (multi-server mode).

lego writes the challenge TXT record through DNSMate, with its ``pdns`` provider (the
PowerDNS-compatible API, a DNSMate API token as its key) or its ``rfc2136`` provider (the
DNS UPDATE gateway, a DNSMate DNS-update TSIG key). pebble looks the record up on the first
PowerDNS server; lego finds the zone's SOA there too. A run that is issued a certificate
proves the record was there during the challenge; the audit log shows it written (to every
server) and removed, and DNS queries show it gone from all three servers afterwards.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import ADMIN_EMAIL, LiveServer
from tests.integration.acme import LegoRun, Pebble, certificate_names, run_lego
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsupdateutil import gateway_api, make_key
from tests.integration.dnsutil import dns_query
from tests.integration.syncutil import NS, create_zone
from tests.integration.test_audit import events


def _address(server: LocalPowerDNS) -> str:
    return f"127.0.0.1:{server.dns_port}"


async def _obtain(
    tmp_path: Path, pdns: list[LocalPowerDNS], domain: str, provider: str, **env: str
) -> LegoRun:
    """One ``lego run`` against a fresh pebble that checks challenges on ``pdns[0]``;
    asserts it was issued a certificate for ``domain``."""
    pebble = Pebble(tmp_path / "pebble", _address(pdns[0]))
    pebble.start()
    try:
        run = await run_lego(pebble, tmp_path / "lego", domain, provider, _address(pdns[0]), **env)
    finally:
        pebble.stop()
    assert run.returncode == 0, f"lego:\n{run.output[-6000:]}\npebble:\n{pebble.log()[-4000:]}"
    assert run.certificate.exists(), run.output[-4000:]
    assert certificate_names(run.certificate) == [domain]
    return run


def _assert_challenge_gone(pdns: list[LocalPowerDNS], domain: str) -> None:
    for server in pdns:
        assert dns_query(server, f"_acme-challenge.{domain}.", "TXT") == [], server.name


def _txt_changes(log: list[dict[str, Any]], name: str) -> list[tuple[list[str], list[str]]]:
    """(before, after) TXT contents at ``name`` of each audit event, oldest first."""

    def contents(rrsets: list[dict[str, Any]] | None) -> list[str]:
        return sorted(
            record["content"]
            for rrset in rrsets or []
            if rrset.get("name") == name and rrset.get("type") == "TXT"
            for record in rrset.get("records", [])
        )

    return [(contents(e.get("before")), contents(e.get("after"))) for e in reversed(log)]


def _assert_added_and_removed(
    writes: list[dict[str, Any]], challenge: str, pdns: list[LocalPowerDNS]
) -> None:
    """Two audited writes by the admin's credential: the challenge TXT record added (one
    value, a base64url SHA-256 digest) and then removed, each applied on every server."""
    assert [e["outcome"] for e in writes] == ["success", "success"], writes
    assert {e["user_email"] for e in writes} == {ADMIN_EMAIL}
    for event in writes:
        assert {s["server"]: s["outcome"] for s in event["servers"]} == {
            server.name: "success" for server in pdns
        }
    (added_before, added), (removed_before, removed) = _txt_changes(writes, challenge)
    assert (added_before, len(added), removed_before, removed) == ([], 1, added, [])
    assert re.fullmatch(r'"[A-Za-z0-9_-]{43}"', added[0]), added


async def test_lego_pdns_provider_gets_a_certificate_through_the_compat_api(
    live_server: LiveServer, pdns_servers: list[LocalPowerDNS], tmp_path: Path
) -> None:
    zone = unique_zone("lego")
    domain = f"www.{zone}"
    async with live_server.client() as client:
        await register_servers(client, pdns_servers, (True, True, True))
        token = await client.post("/api/tokens", json={"name": "lego"})
        assert token.status_code == 201, token.text
        body = {"name": zone, "kind": "Master", "nameservers": NS}
        created = await client.post("/api/zones", json=body)
        assert created.status_code == 201, created.text

    await _obtain(
        tmp_path,
        pdns_servers,
        domain,
        "pdns",
        PDNS_API_URL=live_server.url,
        PDNS_API_KEY=token.json()["token"],
        PDNS_HTTP_TIMEOUT="60",
    )

    _assert_challenge_gone(pdns_servers, domain)
    async with live_server.client() as client:
        log = await events(client, zone=zone)
    challenge = f"_acme-challenge.{domain}."
    writes = [e for e in log if _txt_changes([e], challenge) != [([], [])]]
    assert {e["via"] for e in writes} == {"token:lego"}
    _assert_added_and_removed(writes, challenge, pdns_servers)


async def test_lego_rfc2136_provider_gets_a_certificate_through_the_update_gateway(
    api_factory: Any, sqlite_url: str, pdns: list[LocalPowerDNS], tmp_path: Path
) -> None:
    api, port = await gateway_api(api_factory, sqlite_url, pdns)
    zone = unique_zone("lego")
    domain = f"www.{zone}"
    assert (await create_zone(api, zone)).status_code == 201
    key = await make_key(api, f"lego-{zone.split('-')[1]}", zones=[zone])

    await _obtain(
        tmp_path,
        pdns,
        domain,
        "rfc2136",
        RFC2136_NAMESERVER=f"127.0.0.1:{port}",
        RFC2136_TSIG_ALGORITHM="hmac-sha256.",
        RFC2136_TSIG_KEY=key.name,
        RFC2136_TSIG_SECRET=key.secret,
        RFC2136_DNS_TIMEOUT="30",
    )

    _assert_challenge_gone(pdns, domain)
    log = await events(api.client, zone=zone, action="record.dnsupdate")
    assert {e["via"] for e in log} == {f"dns-update:{key.name}"}
    _assert_added_and_removed(log, f"_acme-challenge.{domain}.", pdns)

"""RFC 2136 clients other than nsupdate against DNSMate's listener: Kea's DHCP-DDNS server
(forward and reverse updates for a lease, then their removal) and certbot's dns-rfc2136
authenticator (the ACME challenge TXT record, added and cleaned up).

Results are checked by DNS queries to each of the three PowerDNS servers and in the audit
log.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable
from pathlib import Path

from dnsmate.dev.pdns_local import LocalPowerDNS, free_port
from tests.conftest import ADMIN_EMAIL, ApiFactory
from tests.integration.conftest import unique_zone
from tests.integration.dnsupdateutil import gateway_api, make_key
from tests.integration.dnsutil import dns_query
from tests.integration.kea import KeaD2, d2_config
from tests.integration.syncutil import create_zone
from tests.integration.test_audit import events


async def until(check: Callable[[], bool], what: str, log: Callable[[], str]) -> None:
    """Wait until ``check()`` holds (the client works in its own process)."""
    for _ in range(300):
        if check():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{what} did not happen:\n{log()[-4000:]}")


async def test_kea_dhcp_ddns_adds_and_removes_forward_and_reverse_records(
    api_factory: ApiFactory, sqlite_url: str, pdns: list[LocalPowerDNS], tmp_path: Path
) -> None:
    api, port = await gateway_api(api_factory, sqlite_url, pdns)
    zone = unique_zone("kea")
    octet = int(zone.split("-")[1][:2], 16)
    reverse = f"{octet}.51.198.in-addr.arpa"
    for name in (zone, reverse):
        assert (await create_zone(api, name)).status_code == 201
    key = await make_key(api, f"kea-{octet}", zones=[zone, reverse])
    d2 = KeaD2(
        tmp_path / "kea",
        d2_config(
            ncr_port=free_port(),
            dns_port=port,
            key={"name": key.name, "algorithm": "HMAC-SHA256", "secret": key.secret},
            forward=f"{zone}.",
            reverse=f"{reverse}.",
        ),
    )
    host, address = f"printer.{zone}.", f"198.51.{octet}.20"
    ptr_name = f"20.{reverse}."
    dhcid = "000101" + hashlib.sha256(b"printer").hexdigest()
    d2.start()
    try:
        await asyncio.to_thread(d2.send_ncr, add=True, fqdn=host, address=address, dhcid=dhcid)
        await until(
            lambda: all(dns_query(s, ptr_name, "PTR") == [host] for s in pdns),
            "the forward and reverse adds",
            d2.log,
        )
        for server in pdns:
            assert dns_query(server, host, "A") == [address]
            assert len(dns_query(server, host, "DHCID")) == 1
        await asyncio.to_thread(d2.send_ncr, add=False, fqdn=host, address=address, dhcid=dhcid)
        await until(
            lambda: all(
                dns_query(s, ptr_name, "PTR") == []
                and dns_query(s, host, "A") == []
                and dns_query(s, host, "DHCID") == []
                for s in pdns
            ),
            "the removal",
            d2.log,
        )
    finally:
        d2.stop()
    # DNS shows a change before DNSMate has recorded it (the audit entry is written after
    # the servers answered, just before D2 gets its answer).
    for name in (zone, reverse):
        for _ in range(300):
            log = await events(api.client, zone=name, action="record.dnsupdate")
            if len([e for e in log if e["outcome"] == "success"]) >= 2:
                break
            await asyncio.sleep(0.1)
        else:
            raise AssertionError(f"the updates of {name} are not in the audit log: {log}")
        assert {e["via"] for e in log} == {f"dns-update:{key.name}"}
        assert {e["user_email"] for e in log} == {ADMIN_EMAIL}


def certbot_challenge(domain: str) -> object:
    """A dns-01 challenge for ``domain`` as certbot gets it from an ACME server."""
    import josepy
    from acme import challenges, messages
    from certbot.achallenges import KeyAuthorizationAnnotatedChallenge
    from cryptography.hazmat.primitives.asymmetric import rsa

    account_key = josepy.JWKRSA(key=rsa.generate_private_key(public_exponent=65537, key_size=2048))
    challb = messages.ChallengeBody(
        chall=challenges.DNS01(token=b"dnsmate-token-0123456789"),
        uri="https://acme.invalid/chall/1",
        status=messages.STATUS_PENDING,
    )
    identifier = messages.Identifier(typ=messages.IDENTIFIER_FQDN, value=domain)
    return KeyAuthorizationAnnotatedChallenge(
        challb=challb, identifier=identifier, account_key=account_key
    )


async def test_certbot_dns_rfc2136_sets_and_cleans_up_the_challenge_record(
    api_factory: ApiFactory, sqlite_url: str, pdns: list[LocalPowerDNS], tmp_path: Path
) -> None:
    from types import SimpleNamespace

    from certbot.tests.util import patch_display_util
    from certbot_dns_rfc2136._internal.dns_rfc2136 import Authenticator

    api, port = await gateway_api(api_factory, sqlite_url, pdns)
    zone = unique_zone("certbot")
    assert (await create_zone(api, zone)).status_code == 201
    key = await make_key(api, f"certbot-{zone.split('-')[1]}", zones=[zone])
    credentials = tmp_path / "rfc2136.ini"
    credentials.write_text(
        "dns_rfc2136_server = 127.0.0.1\n"
        f"dns_rfc2136_port = {port}\n"
        f"dns_rfc2136_name = {key.name}\n"
        f"dns_rfc2136_secret = {key.secret}\n"
        "dns_rfc2136_algorithm = HMAC-SHA256\n"
    )
    credentials.chmod(0o600)
    config = SimpleNamespace(
        dns_rfc2136_credentials=str(credentials), dns_rfc2136_propagation_seconds=0
    )
    authenticator = Authenticator(config, "dns-rfc2136")
    challenge = certbot_challenge(f"www.{zone}")
    record = f"_acme-challenge.www.{zone}."

    with patch_display_util():
        await asyncio.to_thread(authenticator.perform, [challenge])
    validation = challenge.validation(challenge.account_key)  # type: ignore[attr-defined]
    for server in pdns:
        assert dns_query(server, record, "TXT") == [f'"{validation}"']

    with patch_display_util():
        await asyncio.to_thread(authenticator.cleanup, [challenge])
    for server in pdns:
        assert dns_query(server, record, "TXT") == []
    log = await events(api.client, zone=zone, action="record.dnsupdate")
    assert [e["outcome"] for e in log] == ["success", "success"]
    assert {e["via"] for e in log} == {f"dns-update:{key.name}"}
    assert log[1]["after"][0]["records"][0]["content"] == f'"{validation}"'

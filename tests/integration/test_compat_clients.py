"""Real PowerDNS clients from PyPI against DNSMate's PowerDNS-compatible API.

octoDNS (YamlProvider -> octodns-powerdns's PowerDnsProvider) and dns-lexicon's PowerDNS
provider (what certbot DNS plugins use) talk to a live DNSMate with a DNSMate API token as
their API key; the results are checked over DNS on each of three PowerDNS servers.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import yaml
from lexicon.client import Client as LexiconClient
from lexicon.config import ConfigResolver
from octodns.manager import Manager

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import LiveServer
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query

HOSTS = 400
IPV6_HOSTS = 60
ALIASES = 40


async def _setup(live_server: LiveServer, pdns: list[LocalPowerDNS]) -> str:
    """Register the servers (all in multi-server mode) and return a new API token."""
    async with live_server.client() as client:
        await register_servers(client, pdns, (True, True, True))
        created = await client.post("/api/tokens", json={"name": "pdns-clients"})
        assert created.status_code == 201, created.text
        token: str = created.json()["token"]
    return token


def _zone_records() -> dict[str, Any]:
    """An octoDNS zone of several hundred records of the common types."""
    records: dict[str, Any] = {
        "": [
            {"type": "A", "values": ["192.0.2.1", "192.0.2.2"]},
            {"type": "MX", "values": [{"preference": 10, "exchange": "mx1.example.net."},
                                      {"preference": 20, "exchange": "mx2.example.net."}]},
            {"type": "TXT", "values": ["v=spf1 include:_spf.example.net ~all",
                                       "some\\; semicolons\\; here"]},
            {"type": "CAA", "value": {"flags": 0, "tag": "issue", "value": "letsencrypt.org"}},
        ],
        "_sip._tcp": {"type": "SRV", "value": {"priority": 10, "weight": 20, "port": 5060,
                                               "target": "sip.example.net."}},
    }  # fmt: skip
    for i in range(HOSTS):
        records[f"host-{i:03d}"] = {"type": "A", "ttl": 300, "value": f"10.0.{i // 250}.{i % 250}"}
    for i in range(IPV6_HOSTS):
        records[f"v6-{i:02d}"] = {"type": "AAAA", "value": f"2001:db8::{i + 1:x}"}
    for i in range(ALIASES):
        records[f"alias-{i:02d}"] = {"type": "CNAME", "value": f"host-{i:03d}.{{zone}}"}
    return records


def _write_octodns_config(tmp_path: Path, live: LiveServer, token: str, zone: str) -> Path:
    zones_dir = tmp_path / "zones"
    zones_dir.mkdir()
    records = _zone_records()
    for i in range(ALIASES):
        records[f"alias-{i:02d}"]["value"] = f"host-{i:03d}.{zone}"
    (zones_dir / f"{zone}yaml").write_text(yaml.safe_dump(records))
    config = {
        "manager": {"plan_outputs": {"markdown": {"class": "octodns.provider.plan.PlanMarkdown"}}},
        "providers": {
            "config": {"class": "octodns.provider.yaml.YamlProvider",
                       "directory": str(zones_dir), "default_ttl": 3600},
            "dnsmate": {"class": "octodns_powerdns.PowerDnsProvider", "host": "127.0.0.1",
                        "port": live.port, "api_key": token, "timeout": 60},
        },
        "zones": {zone: {"sources": ["config"], "targets": ["dnsmate"]}},
    }  # fmt: skip
    path = tmp_path / "octodns.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def _sync(config: Path, *, dry_run: bool) -> tuple[int, str]:
    output = io.StringIO()
    changes = Manager(str(config)).sync(dry_run=dry_run, plan_output_fh=output)
    return int(changes), output.getvalue()


async def test_octodns_syncs_a_zone_through_dnsmate_to_three_servers(
    tmp_path: Path, live_server: LiveServer, pdns_servers: list[LocalPowerDNS]
) -> None:
    token = await _setup(live_server, pdns_servers)
    zone = unique_zone("octo") + "."
    config = _write_octodns_config(tmp_path, live_server, token, zone)

    changes, plan = _sync(config, dry_run=False)

    expected = 4 + 1 + HOSTS + IPV6_HOSTS + ALIASES
    assert changes == expected, plan
    for server in pdns_servers:
        assert dns_query(server, zone, "A") == ["192.0.2.1", "192.0.2.2"]
        assert dns_query(server, zone, "MX") == ["10 mx1.example.net.", "20 mx2.example.net."]
        assert dns_query(server, zone, "CAA") == ['0 issue "letsencrypt.org"']
        assert '"v=spf1 include:_spf.example.net ~all"' in dns_query(server, zone, "TXT")
        assert dns_query(server, f"_sip._tcp.{zone}", "SRV") == ["10 20 5060 sip.example.net."]
        for i in range(HOSTS):
            assert dns_query(server, f"host-{i:03d}.{zone}", "A") == [f"10.0.{i // 250}.{i % 250}"]
        for i in range(IPV6_HOSTS):
            assert dns_query(server, f"v6-{i:02d}.{zone}", "AAAA") == [f"2001:db8::{i + 1:x}"]
        for i in range(ALIASES):
            assert dns_query(server, f"alias-{i:02d}.{zone}", "CNAME") == [f"host-{i:03d}.{zone}"]

    changes, plan = _sync(config, dry_run=False)
    assert changes == 0
    assert "No changes were planned" in plan

    # An edit in the YAML is planned and applied as exactly that change.
    records = yaml.safe_load((tmp_path / "zones" / f"{zone}yaml").read_text())
    records["host-007"]["value"] = "10.9.9.9"
    del records["v6-00"]
    (tmp_path / "zones" / f"{zone}yaml").write_text(yaml.safe_dump(records))
    changes, plan = _sync(config, dry_run=False)
    assert changes == 2, plan
    for server in pdns_servers:
        assert dns_query(server, f"host-007.{zone}", "A") == ["10.9.9.9"]
        assert dns_query(server, f"v6-00.{zone}", "AAAA") == []
        assert dns_query(server, f"host-008.{zone}", "A") == ["10.0.0.8"]


def _lexicon(live: LiveServer, token: str, zone: str) -> LexiconClient:
    config = ConfigResolver().with_dict({
        "provider_name": "powerdns",
        "domain": zone,
        "delegated": zone,
        "powerdns": {"auth_token": token, "pdns_server": live.url, "pdns_server_id": "localhost"},
    })  # fmt: skip
    return LexiconClient(config)


async def test_lexicon_creates_and_deletes_an_acme_challenge(
    live_server: LiveServer, pdns_servers: list[LocalPowerDNS]
) -> None:
    token = await _setup(live_server, pdns_servers)
    zone = unique_zone("lex").replace(".example", ".example.com")
    async with live_server.client() as client:
        body = {"name": zone, "kind": "Master", "nameservers": ["ns1.example.net."]}
        created = await client.post("/api/zones", json=body)
        assert created.status_code == 201, created.text
    name = f"_acme-challenge.{zone}"

    # Two challenges at one name (a certificate for the zone and its wildcard).
    with _lexicon(live_server, token, zone) as operations:
        assert operations.create_record("TXT", name, "challenge-one")
    with _lexicon(live_server, token, zone) as operations:
        assert operations.create_record("TXT", name, "challenge-two")
        listed = operations.list_records("TXT", name)
    assert sorted(r["content"] for r in listed) == ["challenge-one", "challenge-two"]
    for server in pdns_servers:
        assert dns_query(server, f"{name}.", "TXT") == ['"challenge-one"', '"challenge-two"']

    with _lexicon(live_server, token, zone) as operations:
        assert operations.delete_record(rtype="TXT", name=name, content="challenge-one")
    for server in pdns_servers:
        assert dns_query(server, f"{name}.", "TXT") == ['"challenge-two"']
    with _lexicon(live_server, token, zone) as operations:
        assert operations.delete_record(rtype="TXT", name=name, content="challenge-two")
    for server in pdns_servers:
        assert dns_query(server, f"{name}.", "TXT") == []


@pytest.fixture(autouse=True)
def _quiet_tldextract(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """lexicon's tldextract caches the public suffix list here (offline: its snapshot)."""
    monkeypatch.setenv("TLDEXTRACT_CACHE_PATH", str(tmp_path / "tldextract"))

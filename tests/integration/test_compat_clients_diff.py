"""Differential tests with PowerDNS API clients from PyPI: powerdns-cli and powerdns-migrator.

Every client operation runs twice: against a plain PowerDNS (the reference) and against
DNSMate's PowerDNS-compatible API in front of three real PowerDNS servers. The client's
outcome (success, message, each HTTP request it made and the status it got, the data it
printed) must be the same, and afterwards the reference's data and that of each of the
three servers behind DNSMate (read from them directly) must agree.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from click.testing import CliRunner
from powerdns_cli.powerdns_cli import cli
from powerdns_migrator import AsyncZoneMigrator, PowerDNSConnection

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import LiveServer, plain_pdns
from tests.integration.compatdiff import BASE, comparable
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query


@dataclass(frozen=True)
class Target:
    """Where a client points: an API URL and its key."""

    name: str
    url: str
    key: str


@pytest.fixture
async def targets(
    live_server: LiveServer, pdns_servers: list[LocalPowerDNS], reference_pdns: LocalPowerDNS
) -> tuple[Target, Target]:
    """(reference PowerDNS, DNSMate with the three servers in multi-server mode)."""
    async with live_server.client() as client:
        await register_servers(client, pdns_servers, (True, True, True))
        created = await client.post("/api/tokens", json={"name": "pdns-clients-diff"})
        assert created.status_code == 201, created.text
    return (
        Target("reference", reference_pdns.api_url, reference_pdns.api_key),
        Target("dnsmate", live_server.url, created.json()["token"]),
    )


@pytest.fixture(autouse=True)
def _no_cli_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """powerdns-cli reads config files from HOME and the working directory: none here."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / ".config"))
    monkeypatch.chdir(tmp_path)


def pdns_cli(target: Target, *args: str) -> dict[str, Any]:
    """Run ``powerdns-cli ARGS`` against ``target`` with JSON output; the parsed result."""
    result = CliRunner().invoke(cli, [*args, "-u", target.url, "-a", target.key, "-j"])
    logging.getLogger("cli_logger").handlers.clear()  # it adds one per run
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    out: dict[str, Any] = json.loads(result.output)
    out["exit_code"] = result.exit_code
    return out


def outcome(out: dict[str, Any], ids: dict[str, str]) -> dict[str, Any]:
    """What a user of the client sees: exit code, success, message, the requests made with
    their statuses, and the data printed. ``ids`` renames cryptokey ids, and a new key's id in
    its "with id N" message is masked: ids count a server's keys, of every zone and test."""

    def named(text: str) -> str:
        for key_id, name in ids.items():
            text = re.sub(rf"\b{key_id}\b", name, text)
        return re.sub(r"(cryptokey with id )\d+", r"\1KEY", text)

    return {
        "exit_code": out["exit_code"],
        "success": out["success"],
        "message": named(out["message"]),
        "http": [_request(h, named) for h in out["http"]],
        "data": comparable(out.get("data")),
    }


def _request(http: dict[str, Any], named: Any) -> tuple[str, str, int]:
    request, response = http["request"], http["response"]
    return request["method"], named(urlsplit(request["url"]).path), response["status_code"]


def both(
    targets: tuple[Target, Target],
    *args: str,
    ids: tuple[str, str] = ("", ""),
    mine: str | None = None,
) -> Any:
    """Run the same powerdns-cli command on both targets; assert the outcomes agree.

    ``ids``: the cryptokey id on the reference and on DNSMate when ``args`` has ``{id}``.
    ``mine``: for a server-wide list, compare only the entries naming ``mine`` (other
    tests leave other zones on each side). Returns DNSMate's outcome.
    """
    results = []
    for target, key_id in zip(targets, ids, strict=True):
        out = pdns_cli(target, *(a.replace("{id}", key_id) for a in args))
        if mine is not None:
            out["data"] = [item for item in out["data"] if mine in item.values()]
        results.append(outcome(out, {key_id: "KEY"} if key_id else {}))
    ref, mate = results
    assert mate == ref, args
    return mate


def zone_of(server_url: str, key: str, zone: str) -> dict[str, Any]:
    """The zone as one PowerDNS server holds it (read from that server directly)."""
    response = httpx.get(
        f"{server_url}{BASE}/zones/{zone}", headers={"X-API-Key": key, "Accept": "application/json"}
    )
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    for rrset in data["rrsets"]:
        if rrset["type"] == "SOA":  # serials move with every change
            for record in rrset["records"]:
                parts = record["content"].split()
                record["content"] = " ".join(parts[:2] + parts[3:])
    return data


def assert_same_contents(
    reference: LocalPowerDNS, servers: list[LocalPowerDNS], zone: str, *fields: str
) -> None:
    """Each server behind DNSMate holds what the reference holds: RRsets and ``fields``."""
    want = zone_of(reference.api_url, reference.api_key, zone)
    for server in servers:
        got = zone_of(server.api_url, server.api_key, zone)
        assert comparable(got["rrsets"]) == comparable(want["rrsets"]), server.name
        for field in fields:
            assert got[field] == want[field], (server.name, field)


def key_id(target: Target, zone: str) -> str:
    listed = pdns_cli(target, "cryptokey", "list", zone)
    [key] = listed["data"]
    return str(key["id"])


async def test_powerdns_cli_zone_record_key_and_autoprimary_operations(
    targets: tuple[Target, Target],
    pdns_servers: list[LocalPowerDNS],
    reference_pdns: LocalPowerDNS,
) -> None:
    zone = unique_zone("cli") + "."
    both(targets, "zone", "add", zone, "NATIVE")
    both(targets, "zone", "add", zone, "NATIVE")  # already present
    listed = both(targets, "zone", "list", mine=zone)
    assert len(listed["data"]) == 1

    both(targets, "record", "add", "@", zone, "NS", f"ns1.{zone}", "--ttl", "3600")
    both(targets, "record", "add", "www", zone, "A", "192.0.2.1", "--ttl", "300")
    both(targets, "record", "add", "www", zone, "A", "192.0.2.2", "--ttl", "300")  # extends
    both(targets, "record", "add", "www", zone, "A", "192.0.2.2", "--ttl", "300")  # present
    both(targets, "record", "add", "@", zone, "MX", "10 mx.example.net.")
    both(targets, "record", "add", "txt", zone, "TXT", '"v=spf1 -all"')
    both(targets, "record", "add", "alias", zone, "CNAME", f"www.{zone}")
    both(targets, "record", "add", "www", zone, "CNAME", f"alias.{zone}")  # CNAME beside A
    both(targets, "record", "disable", "www", zone, "A", "192.0.2.1", "--ttl", "300")
    both(targets, "record", "enable", "www", zone, "A", "192.0.2.1", "--ttl", "300")
    both(targets, "record", "replace", "txt", zone, "TXT", '"replaced"')
    both(targets, "record", "delete", "www", zone, "A", "192.0.2.2", "--ttl", "300")
    both(targets, "record", "delete", "www", zone, "A", "192.0.2.2", "--ttl", "300")  # absent
    both(targets, "record", "delete", "nothing", zone, "A", "192.0.2.9")
    both(targets, "record", "export", zone)
    both(targets, "zone", "export", zone)
    both(targets, "zone", "search", f"*{zone.split('.')[0]}*", "--max", "20")
    both(targets, "zone", "notify", zone)  # a Native zone: refused by PowerDNS
    both(targets, "zone", "flush-cache", zone)
    assert_same_contents(reference_pdns, pdns_servers, zone, "kind", "dnssec")
    for server in pdns_servers:
        assert dns_query(server, f"www.{zone}", "A") == ["192.0.2.1"]

    both(targets, "cryptokey", "add", "ksk", "ecdsap256sha256", zone, "--active", "--publish")
    ids = (key_id(targets[0], zone), key_id(targets[1], zone))
    both(targets, "cryptokey", "list", zone)
    both(targets, "cryptokey", "disable", zone, "{id}", ids=ids)
    both(targets, "cryptokey", "enable", zone, "{id}", ids=ids)
    both(targets, "cryptokey", "unpublish", zone, "{id}", ids=ids)
    both(targets, "cryptokey", "publish", zone, "{id}", ids=ids)
    both(targets, "zone", "rectify", zone)
    assert_same_contents(reference_pdns, pdns_servers, zone, "dnssec")
    dnskeys = [dns_query(server, zone, "DNSKEY") for server in pdns_servers]
    assert dnskeys[0] and dnskeys[0] == dnskeys[1] == dnskeys[2]
    both(targets, "cryptokey", "delete", zone, "{id}", ids=ids)
    both(targets, "cryptokey", "delete", zone, "{id}", ids=ids)  # already absent
    assert [dns_query(server, zone, "DNSKEY") for server in pdns_servers] == [[], [], []]

    nameserver = unique_zone("primary")
    both(targets, "autoprimary", "add", "192.0.2.53", nameserver, "--account", "ops")
    both(targets, "autoprimary", "add", "192.0.2.53", nameserver, "--account", "ops")
    listed = both(targets, "autoprimary", "list", mine=nameserver)
    assert {"ip": "192.0.2.53", "nameserver": nameserver, "account": "ops"} in listed["data"]
    both(targets, "autoprimary", "delete", "192.0.2.53", nameserver)
    both(targets, "autoprimary", "delete", "192.0.2.53", nameserver)

    both(targets, "config", "list")  # the servers: DNSMate shows itself as one, localhost
    for command in ("stats", "export"):  # per-server values: the same names on both
        ref, mate = [pdns_cli(target, "config", command) for target in targets]
        assert mate["success"] is ref["success"] is True
        assert {s["name"] for s in mate["data"]} == {s["name"] for s in ref["data"]}

    both(targets, "zone", "delete", zone, "-f")
    both(targets, "zone", "delete", zone, "-f")  # already absent


@pytest.fixture(scope="module")
def migration_source(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalPowerDNS]:
    """A plain PowerDNS the zones are migrated from."""
    with plain_pdns("Migration source", tmp_path_factory) as server:
        yield server


async def _source_zone(source: LocalPowerDNS, zone: str, *, comments: bool) -> None:
    rrsets = [
        {"name": f"host-{i}.{zone}", "type": "A", "ttl": 300,
         "records": [{"content": f"198.51.100.{i}", "disabled": False}]}
        for i in range(1, 40)
    ]  # fmt: skip
    rrsets += [
        {"name": zone, "type": "MX", "ttl": 3600,
         "records": [{"content": "10 mx.example.net.", "disabled": False}]},
        {"name": f"txt.{zone}", "type": "TXT", "ttl": 60,
         "records": [{"content": '"one"', "disabled": False},
                     {"content": '"two"', "disabled": True}]},
    ]  # fmt: skip
    if comments:
        rrsets[0]["comments"] = [
            {"content": "the first host", "account": "ops", "modified_at": 1_700_000_000}
        ]
    body = {"name": zone, "kind": "Native", "nameservers": [f"ns1.{zone}"], "rrsets": rrsets}
    await _source_request(source, "POST", "/zones", body)


async def _source_request(source: LocalPowerDNS, method: str, path: str, body: object) -> None:
    async with httpx.AsyncClient(
        base_url=f"{source.api_url}{BASE}", headers={"X-API-Key": source.api_key}
    ) as client:
        response = await client.request(method, path, json=body)
    assert response.status_code < 300, response.text


async def _migrate(source: LocalPowerDNS, target: Target, zone: str) -> dict[str, Any]:
    migrator = AsyncZoneMigrator(
        PowerDNSConnection(base_url=source.api_url, api_key=source.api_key),
        PowerDNSConnection(base_url=target.url, api_key=target.key),
        timeout=60,
        retries=0,
        ignore_soa_serial=True,  # each target's SOA-EDIT-API moves its own serial
    )
    try:
        result: dict[str, Any] = await migrator.migrate(zone)
    finally:
        await migrator.close()
    return result


async def _migrate_both(
    source: LocalPowerDNS, targets: tuple[Target, Target], zone: str
) -> tuple[str, list[Any]]:
    ref, mate = [await _migrate(source, target, zone) for target in targets]
    assert mate["migrator_action"] == ref["migrator_action"]
    assert comparable(mate["changes"]) == comparable(ref["changes"])
    return mate["migrator_action"], mate["changes"]


async def test_powerdns_migrator_creates_then_patches_then_is_in_sync(
    targets: tuple[Target, Target],
    pdns_servers: list[LocalPowerDNS],
    reference_pdns: LocalPowerDNS,
    migration_source: LocalPowerDNS,
) -> None:
    zone = unique_zone("migr") + "."
    await _source_zone(migration_source, zone, comments=False)
    action, _ = await _migrate_both(migration_source, targets, zone)
    assert action == "CREATE_ZONE"
    assert_same_contents(reference_pdns, pdns_servers, zone, "kind")
    for server in pdns_servers:
        assert dns_query(server, f"host-7.{zone}", "A") == ["198.51.100.7"]

    action, changes = await _migrate_both(migration_source, targets, zone)
    assert (action, changes) == ("NOOP", {})  # "already in sync"

    # A change on the source is migrated as that change.
    patch = {"rrsets": [
        {"name": f"host-1.{zone}", "type": "A", "changetype": "REPLACE", "ttl": 300,
         "records": [{"content": "203.0.113.1", "disabled": False}]},
        {"name": f"host-2.{zone}", "type": "A", "changetype": "DELETE"},
    ]}  # fmt: skip
    await _source_request(migration_source, "PATCH", f"/zones/{zone}", patch)
    action, changes = await _migrate_both(migration_source, targets, zone)
    assert action == "PATCH_ZONE"
    assert {(c["name"], c["changetype"]) for c in changes} >= {
        (f"host-1.{zone}", "REPLACE"), (f"host-2.{zone}", "DELETE")
    }  # fmt: skip
    assert_same_contents(reference_pdns, pdns_servers, zone)
    for server in pdns_servers:
        assert dns_query(server, f"host-1.{zone}", "A") == ["203.0.113.1"]
        assert dns_query(server, f"host-2.{zone}", "A") == []
    action, changes = await _migrate_both(migration_source, targets, zone)
    assert (action, changes) == ("NOOP", {})


async def test_powerdns_migrator_keeps_comments_in_sync(
    targets: tuple[Target, Target],
    pdns_servers: list[LocalPowerDNS],
    reference_pdns: LocalPowerDNS,
    migration_source: LocalPowerDNS,
) -> None:
    zone = unique_zone("migrc") + "."
    await _source_zone(migration_source, zone, comments=True)
    action, _ = await _migrate_both(migration_source, targets, zone)
    assert action == "CREATE_ZONE"
    assert_same_contents(reference_pdns, pdns_servers, zone)
    # The second run finds nothing to do: comments included.
    action, changes = await _migrate_both(migration_source, targets, zone)
    assert (action, changes) == ("NOOP", {})

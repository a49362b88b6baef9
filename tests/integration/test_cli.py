"""The ``dnsmate`` client commands against a live DNSMate and three real PowerDNS servers."""

from __future__ import annotations

import json
import stat
import tarfile
from pathlib import Path

import httpx
import pyotp
import pytest
from click.testing import Result
from typer.testing import CliRunner

from dnsmate.cli import app
from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, LiveServer
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query, dns_rcode


class Cli:
    """Runs ``dnsmate`` in-process with its own config directory."""

    def __init__(self, config_home: Path, env: dict[str, str] | None = None) -> None:
        self.env = {"XDG_CONFIG_HOME": str(config_home), "DNSMATE_URL": "", "DNSMATE_TOKEN": "",
                    "COLUMNS": "200", **(env or {})}  # fmt: skip
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None) -> Result:
        return self.runner.invoke(app, list(args), env=self.env, input=input)

    def json(self, *args: str, input: str | None = None) -> object:
        result = self(*args, "--json", input=input)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)


async def on_three_servers(live_server: LiveServer, servers: list[LocalPowerDNS]) -> str:
    """Register ``servers`` in multi-server mode; a fresh zone name for the test."""
    async with live_server.client() as client:
        await register_servers(client, servers, (True, True, True))
    return unique_zone("cli")


def create_zone(cli: Cli, zone: str) -> None:
    created = cli("zones", "create", zone, "--ns", "ns1.example.net.")
    assert created.exit_code == 0, created.output


@pytest.fixture
def cli(tmp_path: Path, live_server: LiveServer) -> Cli:
    """A CLI logged in to the live server as the admin."""
    cli = Cli(tmp_path / "config")
    result = cli("login", "--url", live_server.url, "--email", ADMIN_EMAIL,
                 "--password", ADMIN_PASSWORD)  # fmt: skip
    assert result.exit_code == 0, result.output
    return cli


def test_login_prompts_and_stores_the_token_for_the_owner_only(
    tmp_path: Path, live_server: LiveServer
) -> None:
    cli = Cli(tmp_path / "config")

    result = cli("login", input=f"{live_server.url}\n{ADMIN_EMAIL}\n{ADMIN_PASSWORD}\n")

    assert result.exit_code == 0, result.output
    path = tmp_path / "config" / "dnsmate" / "config.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    stored = json.loads(path.read_text())
    assert stored["url"] == live_server.url
    assert stored["token"].startswith("dnsmate_")  # an API token, not the password
    assert ADMIN_PASSWORD not in path.read_text()
    me = cli.json("whoami")
    assert (me["email"], me["role"], me["url"]) == (ADMIN_EMAIL, "admin", live_server.url)  # type: ignore[index]
    listed = cli.json("tokens", "list")
    assert [t["id"] for t in listed] == [stored["token_id"]]  # type: ignore[union-attr,index]

    logout = cli("logout")
    assert logout.exit_code == 0, logout.output
    revoked = Cli(tmp_path / "other", {"DNSMATE_URL": live_server.url,
                                       "DNSMATE_TOKEN": stored["token"]})("whoami")  # fmt: skip
    assert revoked.exit_code == 1
    assert cli("whoami").exit_code == 1


def test_tokens_for_powerdns_tools(cli: Cli, live_server: LiveServer) -> None:
    created = cli("tokens", "create", "octodns", "--read-only", "--password", ADMIN_PASSWORD)
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip().splitlines()[-1]
    assert secret.startswith("dnsmate_")
    servers = httpx.get(f"{live_server.url}/api/v1/servers", headers={"X-API-Key": secret})
    assert servers.status_code != 401

    tokens = cli.json("tokens", "list")
    [made] = [t for t in tokens if t["name"] == "octodns"]  # type: ignore[union-attr,index]
    assert made["read_only"] is True
    assert cli("tokens", "revoke", str(made["id"])).exit_code == 0
    servers = httpx.get(f"{live_server.url}/api/v1/servers", headers={"X-API-Key": secret})
    assert servers.status_code == 401


def test_environment_overrides_the_stored_login(tmp_path: Path, live_server: LiveServer) -> None:
    anonymous = Cli(tmp_path / "empty")
    result = anonymous("zones", "list")
    assert result.exit_code == 1
    assert "Not logged in" in result.stderr

    token = live_server.login()
    by_env = Cli(tmp_path / "empty", {"DNSMATE_URL": live_server.url, "DNSMATE_TOKEN": token})
    assert by_env.json("whoami")["email"] == ADMIN_EMAIL  # type: ignore[index]

    wrong = Cli(tmp_path / "empty", {"DNSMATE_URL": live_server.url, "DNSMATE_TOKEN": "bogus"})
    result = wrong("whoami")
    assert result.exit_code == 1
    assert "dnsmate login" in result.stderr


def test_wrong_password_and_unreachable_server_fail_with_exit_1(
    tmp_path: Path, live_server: LiveServer
) -> None:
    cli = Cli(tmp_path / "config")
    result = cli("login", "--url", live_server.url, "--email", ADMIN_EMAIL, "--password", "nope")
    assert result.exit_code == 1
    assert not (tmp_path / "config" / "dnsmate" / "config.json").exists()

    down = Cli(tmp_path / "config", {"DNSMATE_URL": "http://127.0.0.1:9", "DNSMATE_TOKEN": "x"})
    result = down("zones", "list")
    assert result.exit_code == 1
    assert "Cannot reach DNSMate at http://127.0.0.1:9" in result.stderr


async def test_zone_and_record_lifecycle_on_three_servers(
    cli: Cli, live_server: LiveServer, pdns_servers: list[LocalPowerDNS]
) -> None:
    zone = await on_three_servers(live_server, pdns_servers)

    servers = cli.json("servers", "list")
    assert [s["name"] for s in servers] == [s.name for s in pdns_servers]  # type: ignore[union-attr,index]
    health = cli("servers", "health")
    assert health.exit_code == 0, health.output
    assert "Legacy PowerDNS" in health.stdout

    created = cli("zones", "create", zone, "--ns", "ns1.example.net.", "--ns", "ns2.example.net.")
    assert created.exit_code == 0, created.output
    assert f"Zone {zone} created on 3/3 servers" in created.stdout

    added = cli("records", "add", zone, "www", "A", "192.0.2.10", "--ttl", "300")
    assert added.exit_code == 0, added.output
    again = cli.json("records", "add", zone, "www", "A", "192.0.2.11", "--ttl", "300")
    assert [s["success"] for s in again["servers"]] == [True, True, True]  # type: ignore[index]
    for server in pdns_servers:
        assert dns_query(server, f"www.{zone}.", "A") == ["192.0.2.10", "192.0.2.11"]

    updated = cli("records", "update", zone, "www", "A", "192.0.2.10", "192.0.2.20")
    assert updated.exit_code == 0, updated.output
    txt = cli("records", "add", zone, "_acme-challenge", "TXT", "token-value")
    assert txt.exit_code == 0, txt.output
    for server in pdns_servers:
        assert dns_query(server, f"www.{zone}.", "A") == ["192.0.2.11", "192.0.2.20"]
        assert dns_query(server, f"_acme-challenge.{zone}.", "TXT") == ['"token-value"']

    records = cli.json("records", "list", zone, "--type", "A")
    assert [(r["name"], r["content"], r["ttl"]) for r in records] == [  # type: ignore[union-attr,index]
        (f"www.{zone}", "192.0.2.11", 300), (f"www.{zone}", "192.0.2.20", 300)
    ]  # fmt: skip
    table = cli("records", "list", zone)
    assert table.exit_code == 0 and "192.0.2.20" in table.stdout

    removed = cli("records", "delete", zone, "www", "A", "192.0.2.11")
    assert removed.exit_code == 0, removed.output
    rrset_gone = cli("records", "delete", zone, "_acme-challenge", "TXT", "--yes")
    assert rrset_gone.exit_code == 0, rrset_gone.output
    for server in pdns_servers:
        assert dns_query(server, f"www.{zone}.", "A") == ["192.0.2.20"]
        assert dns_query(server, f"_acme-challenge.{zone}.", "TXT") == []

    shown = cli.json("zones", "show", zone)
    assert shown["nameservers"] == ["ns1.example.net.", "ns2.example.net."]  # type: ignore[index]
    assert shown["servers"] == [s.name for s in pdns_servers]  # type: ignore[index]
    assert zone in [z["name"] for z in cli.json("zones", "list")]  # type: ignore[union-attr,index]

    async with live_server.client() as client:
        template = await client.post("/api/templates", json={
            "name": "web", "nameservers": ["ns1.example.net."],
            "records": [{"name": "www", "type": "A", "content": "192.0.2.80"}],
        })  # fmt: skip
        assert template.status_code == 201, template.text
    templated = unique_zone("cli")
    made = cli("zones", "create", templated, "--template", str(template.json()["id"]))
    assert made.exit_code == 0, made.output
    for server in pdns_servers:
        assert dns_query(server, f"www.{templated}.", "A") == ["192.0.2.80"]

    copy = unique_zone("cli")
    cloned = cli("zones", "clone", zone, copy)
    assert cloned.exit_code == 0, cloned.output
    assert f"Zone {copy} cloned from {zone}" in cloned.stdout
    for server in pdns_servers:
        assert dns_query(server, f"www.{copy}.", "A") == ["192.0.2.20"]

    declined = cli("zones", "delete", zone, input="n\n")
    assert declined.exit_code == 1
    assert dns_rcode(pdns_servers[0], f"{zone}.") == "NOERROR"
    deleted = cli("zones", "delete", zone, "--yes")
    assert deleted.exit_code == 0, deleted.output
    for server in pdns_servers:
        assert dns_rcode(server, f"{zone}.") == "REFUSED"


async def test_partial_success_exits_3_with_the_failed_server_on_stderr(
    cli: Cli, live_server: LiveServer, pdns: list[LocalPowerDNS]
) -> None:
    zone = await on_three_servers(live_server, pdns)
    create_zone(cli, zone)
    pdns[2].stop()

    result = cli("records", "add", zone, "www", "A", "192.0.2.1")

    assert result.exit_code == 3, result.output
    assert "Legacy PowerDNS: Server unreachable" in result.stderr
    assert "added on 2/3 servers" in result.stdout
    assert dns_query(pdns[0], f"www.{zone}.", "A") == ["192.0.2.1"]
    assert dns_query(pdns[1], f"www.{zone}.", "A") == ["192.0.2.1"]
    as_json = cli("records", "add", zone, "mail", "A", "192.0.2.2", "--json")
    assert as_json.exit_code == 3
    assert json.loads(as_json.stdout)["failed_servers"] == ["Legacy PowerDNS: Server unreachable"]
    health = cli("servers", "health")
    assert health.exit_code == 3
    assert "Legacy PowerDNS" in health.stderr


async def test_failures_exit_1_with_the_reason(
    cli: Cli, live_server: LiveServer, pdns: list[LocalPowerDNS]
) -> None:
    zone = await on_three_servers(live_server, pdns)

    missing = cli("records", "add", zone, "www", "A", "192.0.2.1")
    assert missing.exit_code == 1
    assert "(HTTP 404)" in missing.stderr
    assert "Zone not found" in missing.stderr

    create_zone(cli, zone)
    invalid = cli("records", "add", zone, "www", "A", "not-an-address")
    assert invalid.exit_code == 1
    assert "invalid A content" in invalid.stderr

    for server in pdns:
        server.stop()
    down = cli("records", "add", zone, "www", "A", "192.0.2.1")
    assert down.exit_code == 1
    assert "Failed to create record on all PowerDNS servers" in down.stderr
    assert "Primary PowerDNS: Server unreachable" in down.stderr
    assert "Legacy PowerDNS: Server unreachable" in down.stderr


@pytest.mark.live_settings(sync_worker=False, breaker_cooldown_seconds=0)
async def test_sync_shows_and_replays_what_a_down_server_missed(
    cli: Cli, live_server: LiveServer, pdns: list[LocalPowerDNS]
) -> None:
    zone = await on_three_servers(live_server, pdns)
    create_zone(cli, zone)
    pdns[2].stop()

    added = cli("records", "add", zone, "www", "A", "192.0.2.1")

    assert added.exit_code == 3, added.output
    assert "queued for: Legacy PowerDNS" in added.stderr
    status = cli("sync", "status", "--json")
    assert status.exit_code == 3
    pending = {s["name"]: s["pending"] for s in json.loads(status.stdout)["servers"]}
    # (The PowerDNS servers are shared by the session: only this test's zone is checked.)
    assert pending == {"Primary PowerDNS": 0, "Secondary PowerDNS": 0, "Legacy PowerDNS": 1}
    queue = cli.json("sync", "queue")
    assert [(e["server"], e["change"]["kind"]) for e in queue["items"]] == [  # type: ignore[index]
        ("Legacy PowerDNS", "AddRecord")
    ]

    pdns[2].start()
    drained = cli("sync", "drain")
    assert drained.exit_code == 0, drained.output
    assert dns_query(pdns[2], f"www.{zone}.", "A") == ["192.0.2.1"]
    after = json.loads(cli("sync", "status", "--json").stdout)
    assert all(s["pending"] == 0 for s in after["servers"])
    [mine] = [z for z in after["zones"]["zones"] if z["zone"] == zone]
    assert mine["status"] == "in_sync"


async def test_export_import_and_backup(
    tmp_path: Path, cli: Cli, live_server: LiveServer, pdns_servers: list[LocalPowerDNS]
) -> None:
    zone = await on_three_servers(live_server, pdns_servers)
    create_zone(cli, zone)
    assert cli("records", "add", zone, "www", "A", "192.0.2.44").exit_code == 0

    exported = tmp_path / "out.zone"
    result = cli("export", zone, "-o", str(exported))
    assert result.exit_code == 0, result.output
    assert "192.0.2.44" in exported.read_text()
    assert "192.0.2.44" in cli("export", zone).stdout

    target = unique_zone("imp")
    source = tmp_path / f"{target}.zone"
    source.write_text(
        f"$ORIGIN {target}.\n$TTL 300\n@ IN NS ns1.example.net.\n"
        "www IN A 192.0.2.50\nmail IN MX 10 mx.example.net.\n"
    )
    planned = cli("import", str(source))
    assert planned.exit_code == 0, planned.output
    assert "--apply" in planned.stdout
    assert dns_rcode(pdns_servers[0], f"{target}.") == "REFUSED"  # a plan changes nothing
    applied = cli("import", str(source), "--apply")
    assert applied.exit_code == 0, applied.output
    for server in pdns_servers:
        assert dns_query(server, f"www.{target}.", "A") == ["192.0.2.50"]
        assert dns_query(server, f"mail.{target}.", "MX") == ["10 mx.example.net."]

    archive = tmp_path / "backup.tar.gz"
    result = cli("backup", "-o", str(archive))
    assert result.exit_code == 0, result.output
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert any(name.endswith("/manifest.json") for name in names)
    assert any(name.endswith(f"/zones/{target}.zone") for name in names)


async def test_login_asks_for_the_second_factor(tmp_path: Path, live_server: LiveServer) -> None:
    async with live_server.client() as client:
        secret = (await client.post("/api/auth/2fa/setup")).json()["secret"]
        enabled = await client.post("/api/auth/2fa/enable", json={"code": pyotp.TOTP(secret).now()})
        assert enabled.status_code == 200, enabled.text
        recovery = enabled.json()["recovery_codes"][0]
    cli = Cli(tmp_path / "config")

    wrong = cli("login", "--url", live_server.url, "--email", ADMIN_EMAIL, "--password", "nope")
    assert wrong.exit_code == 1
    assert "Incorrect e-mail or password (HTTP 401)" in wrong.stderr
    result = cli("login", "--url", live_server.url, "--email", ADMIN_EMAIL,
                 "--password", ADMIN_PASSWORD, input=f"{recovery}\n")  # fmt: skip

    assert result.exit_code == 0, result.output
    assert "Two-factor code" in result.stdout
    assert cli.json("whoami")["email"] == ADMIN_EMAIL  # type: ignore[index]


async def test_bulk_changes_and_deleting_by_pattern(
    tmp_path: Path, cli: Cli, live_server: LiveServer, pdns_servers: list[LocalPowerDNS]
) -> None:
    zone = await on_three_servers(live_server, pdns_servers)
    create_zone(cli, zone)
    bad = tmp_path / "bad.csv"
    bad.write_text("op,name,type,content,ttl\nadd,tmp-a,A,192.0.2.1,300\nadd,tmp-b,A,nope,300\n")
    refused = cli("records", "bulk", zone, str(bad))
    assert refused.exit_code == 1
    assert "row 3: content" in refused.stderr
    assert dns_query(pdns_servers[0], f"tmp-a.{zone}.", "A") == []  # nothing applied

    good = tmp_path / "ops.csv"
    good.write_text(
        "op,name,type,content,ttl\n"
        + "".join(f"add,tmp-{i},A,192.0.2.{i},300\n" for i in range(20))
        + "add,keep,TXT,stay,300\n"
    )
    applied = cli("records", "bulk", zone, str(good))
    assert applied.exit_code == 0, applied.output
    for server in pdns_servers:
        assert dns_query(server, f"tmp-7.{zone}.", "A") == ["192.0.2.7"]

    listed = cli("records", "delete-matching", zone, "tmp-*", "--json")
    assert json.loads(listed.stdout)["matched"] == 20
    assert dns_query(pdns_servers[0], f"tmp-7.{zone}.", "A") == ["192.0.2.7"]
    deleted = cli("records", "delete-matching", zone, "tmp-*", "--type", "A", "--apply")
    assert deleted.exit_code == 0, deleted.output
    for server in pdns_servers:
        assert dns_query(server, f"tmp-7.{zone}.", "A") == []
        assert dns_query(server, f"keep.{zone}.", "TXT") == ['"stay"']


@pytest.mark.live_settings(sync_worker=False)
async def test_sync_finds_and_reconciles_drift(
    cli: Cli, live_server: LiveServer, pdns_servers: list[LocalPowerDNS]
) -> None:
    zone = await on_three_servers(live_server, pdns_servers)
    create_zone(cli, zone)
    assert cli("records", "add", zone, "www", "A", "192.0.2.1").exit_code == 0
    legacy = pdns_servers[2]
    async with httpx.AsyncClient(headers={"X-API-Key": legacy.api_key}) as direct:
        behind_back = await direct.patch(
            f"{legacy.api_url}/api/v1/servers/localhost/zones/{zone}.",
            json={"rrsets": [{"name": f"rogue.{zone}.", "type": "A", "ttl": 60,
                              "changetype": "REPLACE",
                              "records": [{"content": "192.0.2.66", "disabled": False}]}]},
        )  # fmt: skip
        assert behind_back.status_code == 204

    status = cli("sync", "status", "--deep", "--json")
    assert status.exit_code == 3, status.output
    [mine] = [z for z in json.loads(status.stdout)["zones"]["zones"] if z["zone"] == zone]
    assert (mine["status"], mine["drifted_on"]) == ("drifted", [legacy.name])
    diff = cli("sync", "diff", zone, "--json")
    assert diff.exit_code == 3
    [entry] = [s for s in json.loads(diff.stdout)["servers"] if s["server"] == legacy.name]
    assert [(r["name"], r["type"]) for r in entry["extra"]] == [(f"rogue.{zone}", "A")]

    plan = cli("sync", "reconcile", zone, "--source", "Primary PowerDNS")
    assert plan.exit_code == 0, plan.output
    assert dns_query(legacy, f"rogue.{zone}.", "A") == ["192.0.2.66"]  # a plan changes nothing
    applied = cli("sync", "reconcile", zone, "--source", "Primary PowerDNS", "--apply")
    assert applied.exit_code == 0, applied.output
    assert dns_query(legacy, f"rogue.{zone}.", "A") == []
    assert dns_query(legacy, f"www.{zone}.", "A") == ["192.0.2.1"]
    assert cli("sync", "diff", zone).exit_code == 0

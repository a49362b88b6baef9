"""The real DynDNS2 clients, ddclient and inadyn, against a live DNSMate on loopback (http),
with their addresses given statically or by a command (no lookup on the internet).

Each result is checked by DNS queries to the three PowerDNS servers and in the audit log.
"""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import ADMIN_EMAIL, LiveServer
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query
from tests.integration.test_audit import events


async def prepare(live_server: LiveServer, pdns: list[LocalPowerDNS], host: str) -> str:
    """Servers registered, the host's zone created; returns a DynDNS token for ``host``."""
    zone = host.split(".", 1)[1]
    async with live_server.client() as client:
        await register_servers(client, pdns, (True, True, True))
        created = await client.post(
            "/api/zones", json={"name": zone, "kind": "Native", "nameservers": ["ns1.example."]}
        )
        assert created.status_code == 201, created.text
        token = await client.post("/api/tokens", json={"name": "router", "hosts": [host]})
        assert token.status_code == 201, token.text
        secret: str = token.json()["token"]
        return secret


def run(args: list[str]) -> str:
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
    return f"exit {done.returncode}\n{done.stdout}\n{done.stderr}"


async def audited(live_server: LiveServer, zone: str) -> list[dict[str, object]]:
    async with live_server.client() as client:
        return await events(client, zone=zone, action="record.dyndns")


async def test_ddclient_sets_ipv4_and_ipv6_on_every_server(
    live_server: LiveServer, pdns: list[LocalPowerDNS], tmp_path: Path
) -> None:
    zone = unique_zone("ddclient")
    host = f"home.{zone}"
    token = await prepare(live_server, pdns, host)
    config = tmp_path / "ddclient.conf"

    command = tmp_path / "address.sh"

    def ddclient(lines: str, cache: str) -> list[str]:
        config.write_text(
            "daemon=0\nsyslog=no\nssl=no\nprotocol=dyndns2\n"
            f"server=127.0.0.1:{live_server.port}\n"
            f"login=router\npassword='{token}'\n{lines}\n{host}\n"
        )
        config.chmod(0o600)
        return ["ddclient", "-foreground", "-daemon=0", "-verbose", "-noquiet",
                "-file", str(config), "-cache", str(tmp_path / cache)]  # fmt: skip

    # IPv4 from a command (use=cmd in older ddclient configurations).
    command.write_text("#!/bin/sh\necho 198.51.100.44\n")
    command.chmod(0o700)
    output = await asyncio.to_thread(run, ddclient(f"usev4=cmdv4, cmdv4={command}", "v4"))
    assert "good: IP address set to 198.51.100.44" in output, output
    for server in pdns:
        assert dns_query(server, f"{host}.", "A") == ["198.51.100.44"], output

    # The address changed (a fresh cache: ddclient waits 30 s between its own updates).
    command.write_text("#!/bin/sh\necho 198.51.100.45\n")
    output = await asyncio.to_thread(run, ddclient(f"usev4=cmdv4, cmdv4={command}", "v4b"))
    assert "good: IP address set to 198.51.100.45" in output, output
    for server in pdns:
        assert dns_query(server, f"{host}.", "A") == ["198.51.100.45"], output

    # IPv6, given statically (ddclient 3.10's dyndns2 sends the legacy "ip" only): the AAAA
    # RRset is set, the A RRset stays.
    output = await asyncio.to_thread(run, ddclient("use=ip, ip=2001:db8::44", "v6"))
    assert "SUCCESS" in output, output
    for server in pdns:
        assert dns_query(server, f"{host}.", "AAAA") == ["2001:db8::44"], output
        assert dns_query(server, f"{host}.", "A") == ["198.51.100.45"], output
    log = await audited(live_server, zone)
    assert len(log) == 3
    assert {e["via"] for e in log} == {"dyndns:router"}
    assert {e["user_email"] for e in log} == {ADMIN_EMAIL}


async def test_inadyn_updates_the_host_on_every_server(
    live_server: LiveServer, pdns: list[LocalPowerDNS], tmp_path: Path
) -> None:
    zone = unique_zone("inadyn")
    host = f"office.{zone}"
    token = await prepare(live_server, pdns, host)
    config = tmp_path / "inadyn.conf"
    config.write_text(
        "period = 300\n"
        "custom dnsmate {\n"
        "    ssl = false\n"
        "    username = router\n"
        f'    password = "{token}"\n'
        '    checkip-command = "/bin/echo 203.0.113.77"\n'
        f'    ddns-server = "127.0.0.1:{live_server.port}"\n'
        '    ddns-path = "/nic/update?hostname=%h&myip=%i"\n'
        f'    hostname = "{host}"\n'
        "}\n"
    )
    config.chmod(0o600)
    cache = tmp_path / "inadyn-cache"
    cache.mkdir()
    args = ["inadyn", "--once", "--foreground", "--no-pidfile", "-l", "debug",
            "-f", str(config), "--cache-dir", str(cache)]  # fmt: skip
    output = await asyncio.to_thread(run, args)
    for server in pdns:
        assert dns_query(server, f"{host}.", "A") == ["203.0.113.77"], output
    log = await audited(live_server, zone)
    assert [e["outcome"] for e in log] == ["success"]
    assert log[0]["via"] == "dyndns:router"
